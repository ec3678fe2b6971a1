-- 数据铁笼: risk rules over the ledger (versioned data), the alerts they raise with the ledger entries that prove
-- them, the cases opened on alerts, and the stream's cursor over the ledger. docs/oversight.md describes them.

CREATE TABLE oversight_rules (
  id             serial PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  owner_id       text NOT NULL,
  -- The version the stream runs; null while the rule is a draft or switched off.
  active_version integer,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- A rule's versions are never changed: an edit is a new version, and alerts point at the version that raised them.
CREATE TABLE oversight_rule_versions (
  id          serial PRIMARY KEY,
  rule_id     integer NOT NULL REFERENCES oversight_rules (id),
  version     integer NOT NULL,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  rationale   text NOT NULL,
  legal_basis text NOT NULL,
  severity    text NOT NULL CHECK (severity IN ('red', 'yellow')),
  scope       text NOT NULL,
  definition  jsonb NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  -- The last dry run over history (试运行): when, over how many days, what it would have raised.
  tested_at   timestamptz,
  tested      jsonb,
  UNIQUE (rule_id, version)
);

CREATE TABLE oversight_alerts (
  id              bigserial PRIMARY KEY,
  rule_version_id integer NOT NULL REFERENCES oversight_rule_versions (id),
  alert_key       text NOT NULL,
  severity        text NOT NULL,
  -- Time of the act that raised it (recorded_at of its ledger entry).
  raised_at       timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  entries         bigint[] NOT NULL,
  people          text[] NOT NULL,
  department_id   bigint,
  division_code   text,
  measure         double precision NOT NULL,
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed', 'dismissed', 'case', 'closed')),
  handled_by      text,
  handled_at      timestamptz,
  dismiss_reason  text,
  released_at     timestamptz,
  answer          text,
  answered_at     timestamptz,
  UNIQUE (rule_version_id, alert_key)
);
CREATE INDEX oversight_alerts_raised ON oversight_alerts (raised_at DESC);
CREATE INDEX oversight_alerts_people ON oversight_alerts USING gin (people);

-- A case opened on an alert: 提醒谈话 (talk), 整改 (rectify, with a deadline) or 问责 referral.
CREATE TABLE oversight_cases (
  id         bigserial PRIMARY KEY,
  alert_id   bigint NOT NULL UNIQUE REFERENCES oversight_alerts (id),
  kind       text NOT NULL CHECK (kind IN ('talk', 'rectify', 'referral')),
  deadline   date,
  note       text NOT NULL,
  opened_by  text NOT NULL,
  opened_at  timestamptz NOT NULL,
  outcome    text,
  closed_by  text,
  closed_at  timestamptz,
  CHECK (kind <> 'rectify' OR deadline IS NOT NULL)
);

-- The stream's position: the next leaf index to evaluate, and the rule set it ran with.
CREATE TABLE oversight_cursor (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  next_index bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
