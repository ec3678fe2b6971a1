-- 核验挑战: nonces the platform's verifier issues; a presentation's Key Binding JWT must carry one that
-- is unused and unexpired, and using it marks it used, so a presentation cannot be shown twice.
CREATE TABLE credential_verifier_nonces (
  nonce      text PRIMARY KEY,
  audience   text NOT NULL,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX credential_verifier_nonces_expiry ON credential_verifier_nonces (expires_at);
