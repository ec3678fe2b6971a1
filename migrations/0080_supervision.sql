-- 七张问题清单 (problem lists closed through 发现→清单→根源分析→整改→评估验收→预警预防) and 督考 (supervision tasks
-- assigned to departments, their progress reports and the monthly score of each department).

-- The lists a problem goes on: Zhejiang's seven by default, and a city's own.
CREATE TABLE supervision_lists (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  -- one of the seven (shipped); a city's own list has the division that added it
  builtin       boolean NOT NULL DEFAULT false,
  division_code text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO supervision_lists (code, name_zh, name_en, builtin) VALUES
  ('inspection-tour', '巡视巡察反馈问题清单', 'Inspection tour findings', true),
  ('supervision-check', '督查检查考核发现问题清单', 'Supervision and assessment findings', true),
  ('audit', '审计发现问题清单', 'Audit findings', true),
  ('eco-environment', '生态环境督察发现问题清单', 'Environmental inspection findings', true),
  ('work-safety', '安全生产领域问题清单', 'Work safety problems', true),
  ('petition', '信访和群众反映问题清单', 'Petitions and citizens'' complaints', true),
  ('public-opinion', '网络舆情反映问题清单', 'Online public opinion', true);

CREATE TABLE supervision_problems (
  id              bigserial PRIMARY KEY,
  number          text NOT NULL UNIQUE,
  title           text NOT NULL,
  description     text NOT NULL,
  list_id         int NOT NULL REFERENCES supervision_lists (id),
  -- where it was found: hotline-hotspot, hotline-category, rating, oversight-alert, inspection, audit, manual
  source          text NOT NULL,
  source_ref      text,
  -- what kind of problem, for recurrence: the same kind in the same area after closing is a recurrence
  kind            text NOT NULL,
  department_id   bigint NOT NULL REFERENCES departments (id),
  division_code   text NOT NULL,
  state           text NOT NULL CHECK (state IN ('registered', 'analysed', 'rectifying', 'review', 'accepted', 'closed')),
  due_days        int NOT NULL,
  due             timestamptz NOT NULL,
  analysis        jsonb,
  prevention      jsonb,
  -- a problem of the same kind and area closed within the watch window before this one opened
  recurrence_of   bigint REFERENCES supervision_problems (id),
  opened_by       text NOT NULL,
  opened_at       timestamptz NOT NULL,
  accepted_by     text,
  accepted_at     timestamptz,
  closed_at       timestamptz,
  watch_until     timestamptz,
  next_check_at   timestamptz,
  updated_at      timestamptz NOT NULL
);
-- One problem per finding of a source (a hotspot of a week, a bad rating, an alert).
CREATE UNIQUE INDEX supervision_problems_source ON supervision_problems (source, source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX supervision_problems_department ON supervision_problems (department_id, state);
CREATE INDEX supervision_problems_kind ON supervision_problems (kind, division_code, closed_at);

-- 整改措施: the steps taken, each with its evidence.
CREATE TABLE supervision_steps (
  id          bigserial PRIMARY KEY,
  problem_id  bigint NOT NULL REFERENCES supervision_problems (id) ON DELETE CASCADE,
  description text NOT NULL,
  done_by     text NOT NULL,
  done_at     timestamptz NOT NULL
);

-- What happened to a problem, in order: the page's timeline (the ledger holds the proof).
CREATE TABLE supervision_problem_events (
  id          bigserial PRIMARY KEY,
  problem_id  bigint NOT NULL REFERENCES supervision_problems (id) ON DELETE CASCADE,
  action      text NOT NULL,
  actor       text NOT NULL,
  actor_name  text NOT NULL,
  note        text,
  at          timestamptz NOT NULL
);
CREATE INDEX supervision_problem_events_problem ON supervision_problem_events (problem_id, id);

-- 督办事项: a task a leader gives a department.
CREATE TABLE supervision_tasks (
  id             bigserial PRIMARY KEY,
  number         text NOT NULL UNIQUE,
  title          text NOT NULL,
  detail         text NOT NULL,
  department_id  bigint NOT NULL REFERENCES departments (id),
  division_code  text NOT NULL,
  state          text NOT NULL CHECK (state IN ('assigned', 'reported', 'closed')),
  due_days       int NOT NULL,
  due            timestamptz NOT NULL,
  progress       int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  assigned_by    text NOT NULL,
  assigned_name  text NOT NULL,
  assigned_at    timestamptz NOT NULL,
  reminded_at    timestamptz,
  escalated_at   timestamptz,
  closed_at      timestamptz,
  closed_by      text,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX supervision_tasks_department ON supervision_tasks (department_id, state);

CREATE TABLE supervision_milestones (
  id        bigserial PRIMARY KEY,
  task_id   bigint NOT NULL REFERENCES supervision_tasks (id) ON DELETE CASCADE,
  title     text NOT NULL,
  due       timestamptz NOT NULL,
  done_at   timestamptz
);

-- 进展报告 of a department, and the leader's decisions (closing, sending back), in order.
CREATE TABLE supervision_reports (
  id            bigserial PRIMARY KEY,
  task_id       bigint NOT NULL REFERENCES supervision_tasks (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('assigned', 'progress', 'completion', 'closed', 'returned', 'reminder', 'escalation')),
  text          text NOT NULL,
  progress      int,
  milestone_id  bigint REFERENCES supervision_milestones (id),
  actor         text NOT NULL,
  actor_name    text NOT NULL,
  at            timestamptz NOT NULL
);
CREATE INDEX supervision_reports_task ON supervision_reports (task_id, id);

-- Evidence of a rectification step or a progress report.
CREATE TABLE supervision_attachments (
  id            uuid PRIMARY KEY,
  step_id       bigint REFERENCES supervision_steps (id) ON DELETE CASCADE,
  report_id     bigint REFERENCES supervision_reports (id) ON DELETE CASCADE,
  name          text NOT NULL,
  content_type  text NOT NULL,
  size          int NOT NULL,
  sha256        text NOT NULL,
  bytes         bytea NOT NULL,
  CHECK ((step_id IS NULL) <> (report_id IS NULL))
);
CREATE INDEX supervision_attachments_step ON supervision_attachments (step_id);
CREATE INDEX supervision_attachments_report ON supervision_attachments (report_id);

-- The weights of the monthly score, per division that sets them (the city's apply below it).
CREATE TABLE supervision_weights (
  division_code text PRIMARY KEY,
  weights       jsonb NOT NULL,
  updated_by    text NOT NULL,
  updated_at    timestamptz NOT NULL
);
