-- 12345 热线, the closed loop's remaining parts: 主办/协办 co-handling, deadline alerts (预警, 催办, 督办),
-- photos, citizens' reports with a status token, the knowledge base for 咨询, and imported history.

-- 协办: departments that help the main (主办) department; each may give its opinion (协办意见) once.
CREATE TABLE hotline_co_handlers (
  ticket_id     bigint NOT NULL REFERENCES hotline_tickets (id) ON DELETE CASCADE,
  department_id bigint NOT NULL REFERENCES departments (id),
  assigned_at   timestamptz NOT NULL,
  reply         text,
  replied_by    text,
  replied_at    timestamptz,
  PRIMARY KEY (ticket_id, department_id)
);
CREATE INDEX hotline_co_handlers_department ON hotline_co_handlers (department_id, ticket_id);

-- Deadline alerts the sweep raises: before a deadline (warning), after it (reminder, 催办) and long after
-- the resolve deadline (supervision, 督办). `due` is part of the key: a new deadline (重办, 延期) may alert again.
CREATE TABLE hotline_alerts (
  id            bigserial PRIMARY KEY,
  ticket_id     bigint NOT NULL REFERENCES hotline_tickets (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('warning', 'reminder', 'supervision')),
  deadline      text NOT NULL CHECK (deadline IN ('accept', 'reply', 'resolve')),
  due           timestamptz NOT NULL,
  at            timestamptz NOT NULL,
  department_id bigint REFERENCES departments (id),
  UNIQUE (ticket_id, deadline, kind, due)
);
CREATE INDEX hotline_alerts_department ON hotline_alerts (department_id, id);
-- Who has read an alert (each staff member reads their own).
CREATE TABLE hotline_alert_reads (
  alert_id bigint NOT NULL REFERENCES hotline_alerts (id) ON DELETE CASCADE,
  reader   text NOT NULL,
  read_at  timestamptz NOT NULL,
  PRIMARY KEY (alert_id, reader)
);

-- Photos of a report, checked by their content; attached to a ticket at intake.
CREATE TABLE hotline_photos (
  id           uuid PRIMARY KEY,
  ticket_id    bigint REFERENCES hotline_tickets (id) ON DELETE CASCADE,
  uploader     text NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  width        integer NOT NULL,
  height       integer NOT NULL,
  bytes        bytea NOT NULL,
  uploaded_at  timestamptz NOT NULL
);
CREATE INDEX hotline_photos_ticket ON hotline_photos (ticket_id, uploaded_at) WHERE ticket_id IS NOT NULL;

-- A citizen's report: the SHA-256 of the status token handed to the reporter (the token itself is never stored).
CREATE TABLE hotline_report_tokens (
  ticket_id  bigint PRIMARY KEY REFERENCES hotline_tickets (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL
);
-- Acts per client address (reports, uploads without an account), for the rate limits; kept for an hour.
CREATE TABLE hotline_report_hits (
  address text NOT NULL,
  at      timestamptz NOT NULL
);
CREATE INDEX hotline_report_hits_address ON hotline_report_hits (address, at);

-- 知识库: answers the centre gives to consultations (咨询). `tokens` are jieba words of the question and keywords, for search.
CREATE TABLE hotline_knowledge (
  id          bigserial PRIMARY KEY,
  question    text NOT NULL,
  answer      text NOT NULL,
  keywords    text NOT NULL DEFAULT '',
  category_id bigint REFERENCES hotline_categories (id),
  active      boolean NOT NULL DEFAULT true,
  tokens      text[] NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX hotline_knowledge_tokens ON hotline_knowledge USING gin (tokens);

-- Imported historical tickets keep where they came from and their original id.
ALTER TABLE hotline_tickets
  ADD COLUMN imported_from text,
  ADD COLUMN original_id   text;
CREATE UNIQUE INDEX hotline_tickets_original ON hotline_tickets (imported_from, original_id) WHERE imported_from IS NOT NULL;

INSERT INTO hotline_settings (name, value) VALUES
  ('warningShare', '0.8'),                 -- 预警 when this share of the working time to a deadline has passed
  ('supervisionAfterWorkingHours', '8'),   -- 督办 when the resolve deadline has passed by this many working hours
  ('photoMaxBytes', '5242880'),            -- largest photo accepted
  ('reportsPerHourPerAddress', '20');      -- citizens' reports from one client address per hour
