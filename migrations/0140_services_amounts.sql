-- What an item's decision pays or charges (a benefit such as 临时救助 or 高龄津贴, a fee), and the amount an
-- application's decision set, in 分 (fen): an integer, so sums and medians are exact.
ALTER TABLE services_items ADD COLUMN amount_kind text CHECK (amount_kind IN ('benefit', 'fee'));
ALTER TABLE services_applications ADD COLUMN amount integer CHECK (amount BETWEEN 0 AND 1000000000);
