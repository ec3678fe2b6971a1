-- When each entry joined the queue, by the database's clock: the ledger's lag (how long the oldest entry has
-- waited to be signed) is read from it. recorded_at is the command's time, which an import may set in the past.
ALTER TABLE ledger_queue ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
