-- 数据共享 (data hub), exchange side: yes/no questions (predicates), sharing requests (共享申请) and their
-- history, grants (授权), and the evidence of every gateway call (调用存证).

-- Settings of the exchange side (request deadline in working days, per-system rate limit, anti-probing limits).
CREATE TABLE hub_exchange_settings (
  name  text PRIMARY KEY,
  value jsonb NOT NULL
);
INSERT INTO hub_exchange_settings (name, value) VALUES
  ('requestWorkingDays', '5'),
  ('systemCallsPerSecond', '5000'),
  ('askPerSubjectPerDay', '20'),
  ('askDistinctParamsPerSubject', '3');

-- 最小披露: a yes/no question a provider answers over one of its resources, never giving the value.
CREATE TABLE hub_predicates (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{1,59}$'),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  resource_id bigint NOT NULL REFERENCES hub_resources (id),
  field       text NOT NULL,
  operator    text NOT NULL CHECK (operator IN ('age_at_least', 'exists', 'equals_prefix')),
  -- the parameter: fixed at definition, or chosen by the caller from an allowed list
  param       text,
  allowed     text[],
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((param IS NULL) <> (allowed IS NULL) OR operator = 'exists')
);

-- 共享申请: a consumer department asks for fields of a resource (or a predicate) for one of its systems.
CREATE TABLE hub_requests (
  id                     bigserial PRIMARY KEY,
  consumer_system_id     bigint NOT NULL REFERENCES hub_systems (id),
  consumer_department_id bigint NOT NULL REFERENCES departments (id),
  resource_id            bigint NOT NULL REFERENCES hub_resources (id),
  predicate_id           bigint REFERENCES hub_predicates (id),
  provider_department_id bigint NOT NULL REFERENCES departments (id),
  fields                 text[] NOT NULL,
  purpose                text NOT NULL,
  legal_basis            text NOT NULL,
  scenario               text NOT NULL,
  state                  text NOT NULL CHECK (state IN ('pending', 'approved', 'refused', 'escalated', 'withdrawn')),
  requested_by           text NOT NULL,
  requested_at           timestamptz NOT NULL,
  due_at                 timestamptz NOT NULL,
  escalated_at           timestamptz,
  decided_by             text,
  decided_at             timestamptz,
  reason                 text
);
CREATE INDEX hub_requests_consumer ON hub_requests (consumer_department_id, requested_at DESC);
CREATE INDEX hub_requests_provider ON hub_requests (provider_department_id, state, due_at);
CREATE INDEX hub_requests_open ON hub_requests (due_at) WHERE state = 'pending';

CREATE TABLE hub_request_events (
  request_id bigint NOT NULL REFERENCES hub_requests (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  event      text NOT NULL CHECK (event IN ('requested', 'approved', 'refused', 'escalated', 'withdrawn')),
  note       text
);
CREATE INDEX hub_request_events_request ON hub_request_events (request_id, at);

-- 授权: consumer system × resource (or predicate) × fields × masking × row filter × validity × quota.
CREATE TABLE hub_grants (
  id                     bigserial PRIMARY KEY,
  request_id             bigint REFERENCES hub_requests (id),
  consumer_system_id     bigint NOT NULL REFERENCES hub_systems (id),
  consumer_department_id bigint NOT NULL REFERENCES departments (id),
  resource_id            bigint NOT NULL REFERENCES hub_resources (id),
  predicate_id           bigint REFERENCES hub_predicates (id),
  provider_department_id bigint NOT NULL REFERENCES departments (id),
  fields                 text[] NOT NULL,
  -- field code → masking rule overriding the field's default
  masking                jsonb NOT NULL DEFAULT '{}',
  -- [{field, op: eq|in|prefix, value}]
  row_filter             jsonb NOT NULL DEFAULT '[]',
  purpose                text NOT NULL,
  legal_basis            text NOT NULL,
  valid_from             timestamptz NOT NULL,
  valid_until            timestamptz,
  daily_quota            int CHECK (daily_quota > 0),
  granted_by             text NOT NULL,
  granted_at             timestamptz NOT NULL,
  revoked_at             timestamptz,
  revoked_by             text,
  revoke_reason          text
);
CREATE INDEX hub_grants_lookup ON hub_grants (consumer_system_id, resource_id) WHERE revoked_at IS NULL;
CREATE INDEX hub_grants_consumer ON hub_grants (consumer_department_id);
CREATE INDEX hub_grants_provider ON hub_grants (provider_department_id);

-- 调用存证: one row per gateway call or question, answered or refused; the same record is hashed into the ledger.
CREATE TABLE hub_evidence (
  message_id             uuid PRIMARY KEY,
  at                     timestamptz NOT NULL,
  consumer_system_id     bigint NOT NULL REFERENCES hub_systems (id),
  consumer_department_id bigint NOT NULL REFERENCES departments (id),
  provider_department_id bigint REFERENCES departments (id),
  resource_id            bigint REFERENCES hub_resources (id),
  predicate_id           bigint REFERENCES hub_predicates (id),
  grant_id               bigint REFERENCES hub_grants (id),
  -- the resident ID or credit code as given (checked), so the citizen finds the calls about them
  subject                text,
  lookup_key             text,
  param                  text,
  fields                 text[] NOT NULL DEFAULT '{}',
  purpose                text NOT NULL,
  case_id                text NOT NULL,
  legal_basis            text,
  request_hash           text NOT NULL,
  response_hash          text,
  status                 int NOT NULL,
  code                   text NOT NULL,
  duration_ms            numeric(10, 3) NOT NULL,
  hidden_until           timestamptz,
  hidden_reason          text,
  hidden_by              text
);
CREATE INDEX hub_evidence_subject ON hub_evidence (subject, at DESC) WHERE subject IS NOT NULL;
CREATE INDEX hub_evidence_at ON hub_evidence (at);
CREATE INDEX hub_evidence_consumer ON hub_evidence (consumer_department_id, at);
CREATE INDEX hub_evidence_provider ON hub_evidence (provider_department_id, at);
CREATE INDEX hub_evidence_grant_day ON hub_evidence (grant_id, at) WHERE status = 200;
