-- 电子证照库: certificates found by their subject, the holder's resident ID or the company's credit code.
CREATE INDEX credentials_id_number ON credentials ((claims ->> 'id_number'));
CREATE INDEX credentials_uscc ON credentials ((claims ->> 'uscc'));
