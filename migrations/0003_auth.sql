CREATE TABLE users (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name    text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  password_hash   text NOT NULL,
  -- staff act within their department's division; citizens have no jurisdiction
  department_id   bigint REFERENCES departments (id),
  division_code   text REFERENCES divisions (code),
  roles           text[] NOT NULL DEFAULT '{}',
  id_number       text UNIQUE,
  phone           text,
  disabled        boolean NOT NULL DEFAULT false,
  failed_logins   int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'citizen' OR division_code IS NOT NULL)
);
CREATE INDEX users_division ON users (division_code text_pattern_ops);

CREATE TABLE sessions (
  id_hash      bytea PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens for systems. The token itself is a signed JWT naming this row; revoking the row kills it.
CREATE TABLE api_tokens (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  roles         text[] NOT NULL,
  division_code text NOT NULL REFERENCES divisions (code),
  department_id bigint REFERENCES departments (id),
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);

-- Failed logins by address, for throttling guessing across many usernames.
CREATE TABLE login_failures (
  ip  text NOT NULL,
  at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_ip_at ON login_failures (ip, at);
