-- 数据铁笼 base: every act that matters, queued by its command's transaction, then sequenced into an
-- RFC 6962 Merkle log by one sequencer.
CREATE TABLE ledger_queue (
  id           bigserial PRIMARY KEY,
  actor_kind   text NOT NULL,
  actor_id     text NOT NULL,
  action       text NOT NULL,
  object_type  text,
  object_id    text,
  purpose      text,
  payload_hash bytea NOT NULL,
  recorded_at  timestamptz NOT NULL
);
