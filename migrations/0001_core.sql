-- Key material and settings the platform makes for itself at first start (ledger signing key, token secret).
CREATE TABLE kernel_secrets (
  name       text PRIMARY KEY,
  value      bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Facts about this installation, e.g. when the demo city was loaded, so a restart does not load it again.
CREATE TABLE kernel_settings (
  name       text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
