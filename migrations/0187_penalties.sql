-- 行政处罚: the penalty items a department enforces with their discretion standards (裁量基准), and its cases from
-- 立案 through 拟处罚, 法制审核 and 决定. Amounts are in 分.

CREATE TABLE penalty_items (
  id             serial PRIMARY KEY,
  -- the item's code in the city's list of powers (权责清单), e.g. CF-CG-0007
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  -- the department kind that enforces it (urban-management, market-regulation, …)
  department_kind text NOT NULL,
  -- 违法依据 and 处罚依据
  violated_basis text NOT NULL,
  penalty_basis  text NOT NULL,
  -- the fine the law allows, and the three bands of the discretion standard inside it
  legal_min      bigint NOT NULL CHECK (legal_min >= 0),
  legal_max      bigint NOT NULL CHECK (legal_max >= legal_min),
  bands          jsonb NOT NULL,
  active         boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE penalty_cases (
  id              bigserial PRIMARY KEY,
  number          text NOT NULL UNIQUE,
  item_id         int NOT NULL REFERENCES penalty_items (id),
  department_id   bigint NOT NULL REFERENCES departments (id),
  -- where the violation happened (12 digits)
  division_code   text NOT NULL,
  party_kind      text NOT NULL CHECK (party_kind IN ('person', 'organisation')),
  party_name      text NOT NULL,
  -- 身份证号 or 统一社会信用代码
  party_id_number text NOT NULL,
  place           text NOT NULL,
  facts           text NOT NULL,
  state           text NOT NULL CHECK (state IN ('investigating', 'proposed', 'reviewed', 'decided')),
  level           text CHECK (level IN ('light', 'ordinary', 'severe')),
  amount          bigint CHECK (amount >= 0),
  -- why the amount leaves the level's band (偏离裁量基准的理由); required when it does
  deviation       text,
  investigator    text NOT NULL,
  investigator_name text NOT NULL,
  filed_at        timestamptz NOT NULL,
  proposed_at     timestamptz,
  reviewer        text,
  reviewed_at     timestamptz,
  decider         text,
  decided_at      timestamptz,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX penalty_cases_department ON penalty_cases (department_id, state, id DESC);
CREATE INDEX penalty_cases_division ON penalty_cases (division_code text_pattern_ops);

-- The case's record: each step with who took it and what they said.
CREATE TABLE penalty_case_events (
  id         bigserial PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES penalty_cases (id) ON DELETE CASCADE,
  action     text NOT NULL,
  from_state text,
  to_state   text NOT NULL,
  actor      text NOT NULL,
  actor_name text NOT NULL,
  note       text,
  at         timestamptz NOT NULL
);
CREATE INDEX penalty_case_events_case ON penalty_case_events (case_id, id);
