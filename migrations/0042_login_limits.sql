-- Login abuse without ledger floods or lockouts of the owner (issue 13).

-- Acts counted per client address (IPv6 per /64) and fixed window, one row each: `counted` acts the limit
-- allows, `refused` those past it. Upserted under a row lock, so concurrent requests cannot overrun a limit.
-- Replaces login_failures, which kept one row per failed attempt.
DROP TABLE login_failures;
CREATE TABLE address_limits (
  scope        text NOT NULL,
  address      text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  counted      int NOT NULL DEFAULT 0,
  refused      int NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, address, window_start)
);
CREATE INDEX address_limits_end ON address_limits (window_end);

-- Failed logins per account AND address: guessing from one address locks out that address only, never the
-- owner elsewhere. users.locked_until now says until when some address is locked out of the account.
CREATE TABLE login_lockouts (
  user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address         text NOT NULL,
  failures        int NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL,
  locked_until    timestamptz,
  PRIMARY KEY (user_id, address)
);
ALTER TABLE users DROP COLUMN failed_logins;

-- Sessions end after a while without use (sliding idle timeout), as well as at expires_at.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
