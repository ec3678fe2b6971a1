-- The screen's messages wait here from the change that wrote them until the relay (src/cityops/screen/relay.ts)
-- publishes them with pg_notify: a change that notified itself took PostgreSQL's notify-queue lock at commit and
-- held it through its WAL flush, so concurrent changes could not share a flush. Rows live milliseconds.
CREATE TABLE cityops_screen_outbox (
  id        bigserial PRIMARY KEY,
  -- The message as JSON text, as the notification carries it.
  payload   text NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now()
);
