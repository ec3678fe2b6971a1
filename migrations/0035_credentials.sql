-- 电子证照: e-certificates issued as SD-JWT VCs (RFC 9901), each signed by its issuing department's key.

-- A department that issues credentials; `issuer` is the `iss` URL its credentials carry, and the
-- verifier accepts no other.
CREATE TABLE credential_issuers (
  department_id bigint PRIMARY KEY REFERENCES departments (id),
  issuer        text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Signing keys (ES256). The private key is stored encrypted (AES-256-GCM under the platform's key
-- encryption key); retired keys stay so that credentials they signed still verify.
CREATE TABLE credential_issuer_keys (
  kid           text PRIMARY KEY,
  department_id bigint NOT NULL REFERENCES credential_issuers (department_id),
  public_jwk    jsonb NOT NULL,
  private_key   bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz
);
-- One current key per issuer.
CREATE UNIQUE INDEX credential_issuer_keys_current ON credential_issuer_keys (department_id) WHERE retired_at IS NULL;

-- Token Status Lists: each credential has one index in one list of its issuer; `version` moves on
-- every revocation so that a cached signed list is known to be stale with one read.
CREATE TABLE credential_status_lists (
  id            bigserial PRIMARY KEY,
  department_id bigint NOT NULL REFERENCES credential_issuers (department_id),
  size          int NOT NULL,
  next_index    int NOT NULL DEFAULT 0,
  version       bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credential_status_lists_issuer ON credential_status_lists (department_id, id);

CREATE TABLE credentials (
  id                   uuid PRIMARY KEY,
  type                 text NOT NULL,
  vct                  text NOT NULL,
  issuer_department_id bigint NOT NULL REFERENCES credential_issuers (department_id),
  holder_user_id       bigint NOT NULL REFERENCES users (id),
  -- the application (办件) whose approval issued it, when there is one
  application_id       text,
  -- every claim as issued, for the holder's wallet and the issuer's register
  claims               jsonb NOT NULL,
  -- the SD-JWT with all its disclosures: the holder's copy, from which presentations are cut
  sd_jwt               text NOT NULL,
  kid                  text NOT NULL REFERENCES credential_issuer_keys (kid),
  -- the private half of the credential's holder key (its `cnf`), sealed like issuer keys; the wallet
  -- service signs Key Binding JWTs with it for the logged-in holder only. NULL once the credential is
  -- bound to a key on the holder's device, which the platform never sees.
  holder_key           bytea,
  device_bound_at      timestamptz,
  status_list_id       bigint NOT NULL REFERENCES credential_status_lists (id),
  status_index         int NOT NULL,
  issued_at            timestamptz NOT NULL,
  valid_until          timestamptz,
  revoked_at           timestamptz,
  revoked_by           text,
  revoke_reason        text,
  UNIQUE (status_list_id, status_index)
);
CREATE INDEX credentials_holder ON credentials (holder_user_id, issued_at DESC);
CREATE INDEX credentials_issuer ON credentials (issuer_department_id, issued_at DESC);
CREATE INDEX credentials_revoked ON credentials (status_list_id) WHERE revoked_at IS NOT NULL;
