-- 数据共享 (data hub), catalogue side: information systems, catalogue entries (政务信息资源目录) with their
-- fields (信息项), the rows the hub holds for table resources, versions, imports and objections (疑义/纠错).

-- 信息系统: a department's information system; gateway callers act as a system through its API tokens.
CREATE TABLE hub_systems (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{2,40}$'),
  name          text NOT NULL,
  department_id bigint NOT NULL REFERENCES departments (id),
  description   text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_systems_department ON hub_systems (department_id);

-- Which system an API token speaks for (one system per token).
CREATE TABLE hub_system_tokens (
  token_id  uuid PRIMARY KEY REFERENCES api_tokens (id) ON DELETE CASCADE,
  system_id bigint NOT NULL REFERENCES hub_systems (id) ON DELETE CASCADE
);
CREATE INDEX hub_system_tokens_system ON hub_system_tokens (system_id);

-- 目录: the working copy of a catalogue entry. What consumers use is the last published version
-- (hub_resource_versions), so a published entry stays usable while its next version is in review.
CREATE TABLE hub_resources (
  id                     bigserial PRIMARY KEY,
  -- 类-项-目-细目 + sequence, e.g. A01-0001-0001-0001
  code                   text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$'),
  name                   text NOT NULL,
  provider_department_id bigint NOT NULL REFERENCES departments (id),
  system_id              bigint REFERENCES hub_systems (id),
  kind                   text NOT NULL CHECK (kind IN ('table', 'api')),
  summary                text NOT NULL DEFAULT '',
  format                 text NOT NULL,
  update_cycle           text NOT NULL,
  share_type             text NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'none')),
  share_condition        text NOT NULL DEFAULT '',
  open_type              text NOT NULL CHECK (open_type IN ('open', 'conditional', 'closed')),
  subject_kind           text CHECK (subject_kind IN ('person', 'company')),
  subject_field          text,
  key_field              text,
  status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published', 'retired')),
  version                int NOT NULL DEFAULT 1,
  published_version      int,
  review_note            text,
  api_url                text,
  api_timeout_ms         int CHECK (api_timeout_ms BETWEEN 100 AND 60000),
  api_mapping            jsonb,
  -- highest sensitivity of the fields, for the facet: general < important < core
  top_sensitivity        text NOT NULL DEFAULT 'general' CHECK (top_sensitivity IN ('general', 'important', 'core')),
  -- jieba-segmented name, summary and field names, in the 'simple' configuration
  search                 tsvector NOT NULL DEFAULT ''::tsvector,
  row_count              bigint NOT NULL DEFAULT 0,
  quality_score          numeric,
  quality_checked_at     timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'table' OR api_url IS NOT NULL),
  CHECK ((subject_kind IS NULL) = (subject_field IS NULL))
);
CREATE INDEX hub_resources_search ON hub_resources USING gin (search);
CREATE INDEX hub_resources_provider ON hub_resources (provider_department_id);
CREATE INDEX hub_resources_status ON hub_resources (status);

-- 信息项 of the working copy, with default masking and quality rules.
CREATE TABLE hub_resource_fields (
  resource_id bigint NOT NULL REFERENCES hub_resources (id) ON DELETE CASCADE,
  code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  name        text NOT NULL,
  type        text NOT NULL CHECK (type IN ('string', 'integer', 'number', 'date', 'boolean')),
  length      int CHECK (length > 0),
  sensitivity text NOT NULL CHECK (sensitivity IN ('general', 'important', 'core')),
  level       text NOT NULL CHECK (level IN ('L1', 'L2', 'L3', 'L4')),
  masking     text NOT NULL CHECK (masking IN ('none', 'partial', 'hash', 'drop')),
  position    int NOT NULL,
  -- quality rules: {required, pattern, min, max, check: 'resident-id'|'credit-code', reference: resource code}
  rules       jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (resource_id, code)
);

-- Every published version, entry and fields as they were; the newest is what the gateway serves.
CREATE TABLE hub_resource_versions (
  resource_id  bigint NOT NULL REFERENCES hub_resources (id) ON DELETE CASCADE,
  version      int NOT NULL,
  entry        jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  published_by text NOT NULL,
  PRIMARY KEY (resource_id, version)
);

-- The data of a hub-held (table) resource.
CREATE SEQUENCE hub_rows_row_id;
CREATE TABLE hub_rows (
  resource_id bigint NOT NULL REFERENCES hub_resources (id) ON DELETE CASCADE,
  row_id      bigint NOT NULL DEFAULT nextval('hub_rows_row_id'),
  subject     text,
  key         text,
  data        jsonb NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, row_id)
);
CREATE INDEX hub_rows_subject ON hub_rows (resource_id, subject);
CREATE INDEX hub_rows_key ON hub_rows (resource_id, key);

-- One import (or push) and its per-row report.
CREATE TABLE hub_imports (
  id          bigserial PRIMARY KEY,
  resource_id bigint NOT NULL REFERENCES hub_resources (id) ON DELETE CASCADE,
  source      text NOT NULL CHECK (source IN ('csv', 'json', 'push')),
  actor       text NOT NULL,
  at          timestamptz NOT NULL,
  rows_total  int NOT NULL,
  rows_loaded int NOT NULL,
  rows_failed int NOT NULL,
  -- the first errors, {row, field, reason, message}
  errors      jsonb NOT NULL,
  duration_ms int NOT NULL
);
CREATE INDEX hub_imports_resource ON hub_imports (resource_id, at DESC);

-- 疑义/纠错: a consumer says a record is wrong; the provider answers within working days.
CREATE TABLE hub_objections (
  id                     bigserial PRIMARY KEY,
  resource_id            bigint NOT NULL REFERENCES hub_resources (id) ON DELETE CASCADE,
  row_key                text NOT NULL,
  field_code             text NOT NULL,
  description            text NOT NULL,
  raised_by_department_id bigint NOT NULL REFERENCES departments (id),
  raised_by              text NOT NULL,
  raised_at              timestamptz NOT NULL,
  due_at                 timestamptz NOT NULL,
  state                  text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'corrected', 'rejected')),
  answer                 text,
  answered_by            text,
  answered_at            timestamptz
);
CREATE INDEX hub_objections_resource ON hub_objections (resource_id, state);
CREATE INDEX hub_objections_raiser ON hub_objections (raised_by_department_id, state);
