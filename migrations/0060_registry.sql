-- 基础库 (base libraries): 人口库 (people) and 法人库 (companies), resolved from departments' hub resources into
-- one golden record per person or company, with provenance, review and history.

-- A library's own hub resource (its golden records, served through the gateway) and the system reading for it.
CREATE TABLE registry_libraries (
  library        text PRIMARY KEY CHECK (library IN ('people', 'companies')),
  resource_code  text NOT NULL,
  department_id  bigint NOT NULL REFERENCES departments (id),
  system_id      bigint NOT NULL,
  created_at     timestamptz NOT NULL
);

-- 数据源: a hub resource feeding a library, its field mapping (library field -> resource field) and trust per field.
CREATE TABLE registry_sources (
  id                     bigserial PRIMARY KEY,
  library                text NOT NULL REFERENCES registry_libraries (library),
  resource_code          text NOT NULL,
  resource_name          text NOT NULL,
  key_field              text,
  provider_department_id bigint NOT NULL REFERENCES departments (id),
  -- the provider's division: sources are scoped by it
  division_code          text NOT NULL,
  mapping                jsonb NOT NULL,
  -- library field -> 1..10
  trust                  jsonb NOT NULL,
  -- the last hub row id read: loads are incremental
  cursor                 bigint NOT NULL DEFAULT 0,
  created_by             text NOT NULL,
  created_at             timestamptz NOT NULL,
  UNIQUE (library, resource_code)
);

-- 加载: one incremental run of a source through the stages read -> clean -> match -> cluster -> golden.
CREATE TABLE registry_loads (
  id           bigserial PRIMARY KEY,
  source_id    bigint NOT NULL REFERENCES registry_sources (id) ON DELETE CASCADE,
  state        text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  -- the next stage to run; a finished stage is never run again
  stage        text NOT NULL CHECK (stage IN ('read', 'clean', 'match', 'cluster', 'golden', 'done')),
  -- counts per stage: {read, findings, pairs, review, entities, golden, ...}
  counts       jsonb NOT NULL DEFAULT '{}',
  cursor_from  bigint NOT NULL,
  cursor_to    bigint,
  -- entities whose golden records the load must write again (found by the cluster stage)
  touched      bigint[] NOT NULL DEFAULT '{}',
  error        text,
  started_by   text NOT NULL,
  started_at   timestamptz NOT NULL,
  -- last sign of life: a running load without one for long is resumed
  heartbeat_at timestamptz NOT NULL,
  finished_at  timestamptz
);
CREATE INDEX registry_loads_source ON registry_loads (source_id, id DESC);

-- 清洗后记录: one row of a source (by its key), as read, as cleaned, and what cleaning found.
CREATE TABLE registry_records (
  id            bigserial PRIMARY KEY,
  library       text NOT NULL,
  source_id     bigint NOT NULL REFERENCES registry_sources (id) ON DELETE CASCADE,
  source_key    text NOT NULL,
  raw           jsonb NOT NULL,
  clean         jsonb,
  -- [{field, code, message}]: an invalid ID is kept with its finding, never corrected
  findings      jsonb NOT NULL DEFAULT '[]',
  division_code text NOT NULL,
  load_id       bigint NOT NULL,
  changed_at    timestamptz NOT NULL,
  entity_id     bigint,
  UNIQUE (source_id, source_key)
);
CREATE INDEX registry_records_load ON registry_records (load_id);
CREATE INDEX registry_records_entity ON registry_records (entity_id);
CREATE INDEX registry_records_id_number ON registry_records (library, (clean ->> 'id_number'));

-- 比对对: two records scored by the model, with the weight's parts per field; the uncertain band is reviewed.
CREATE TABLE registry_pairs (
  id            bigserial PRIMARY KEY,
  library       text NOT NULL,
  left_id       bigint NOT NULL REFERENCES registry_records (id) ON DELETE CASCADE,
  right_id      bigint NOT NULL REFERENCES registry_records (id) ON DELETE CASCADE,
  weight        double precision NOT NULL,
  probability   double precision NOT NULL,
  -- [{field, level, weight}]
  parts         jsonb NOT NULL,
  band          text NOT NULL CHECK (band IN ('match', 'review', 'non-match')),
  division_code text NOT NULL,
  decision      text CHECK (decision IN ('match', 'non-match')),
  decided_by    text,
  decided_at    timestamptz,
  load_id       bigint NOT NULL,
  CHECK (left_id < right_id),
  UNIQUE (left_id, right_id)
);
CREATE INDEX registry_pairs_review ON registry_pairs (library, band) WHERE decision IS NULL;

-- 标准记录 (golden record) of an entity: per field the value, the record and source it came from, and why it won.
CREATE TABLE registry_entities (
  id            bigserial PRIMARY KEY,
  library       text NOT NULL,
  -- the resident ID or credit code when one valid value is known
  subject       text,
  division_code text NOT NULL,
  -- {field: {value, recordId, sourceId, at, rule}}
  golden        jsonb NOT NULL DEFAULT '{}',
  -- {field: [{value, recordId, sourceId}]}: fields whose sources disagree
  conflicts     jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL
);
CREATE INDEX registry_entities_subject ON registry_entities (library, subject);

-- 历史: merges, splits and golden-record changes, with what is needed to undo them.
CREATE TABLE registry_history (
  id         bigserial PRIMARY KEY,
  entity_id  bigint NOT NULL,
  action     text NOT NULL CHECK (action IN ('created', 'merged', 'split', 'golden', 'undone')),
  -- {recordId: entityId before} for merges and splits
  before     jsonb NOT NULL DEFAULT '{}',
  detail     jsonb NOT NULL DEFAULT '{}',
  actor      text NOT NULL,
  at         timestamptz NOT NULL,
  undone_at  timestamptz
);
CREATE INDEX registry_history_entity ON registry_history (entity_id, id DESC);

-- The trained model per library (parameters as the matching engine gives them).
CREATE TABLE registry_models (
  library    text PRIMARY KEY,
  model      jsonb NOT NULL,
  trained_at timestamptz NOT NULL
);

-- 纠错: a citizen's correction of their record, sent as a hub objection to the department owning the source.
CREATE TABLE registry_corrections (
  id           bigserial PRIMARY KEY,
  entity_id    bigint NOT NULL REFERENCES registry_entities (id) ON DELETE CASCADE,
  citizen_id   bigint NOT NULL,
  field        text NOT NULL,
  objection_id bigint NOT NULL,
  description  text NOT NULL,
  at           timestamptz NOT NULL,
  -- the hub's deadline for the department's answer
  due_at       timestamptz NOT NULL
);
CREATE INDEX registry_corrections_citizen ON registry_corrections (citizen_id, id DESC);
