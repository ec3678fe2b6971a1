-- 一网统管, command-centre screen (指挥大屏): one-click orders (一键调度). The command centre orders a department to act
-- on a case or a sensor alarm; the department's staff acknowledge it within `ack_minutes`, or a sweep escalates
-- it (升级) to the department's superior, else to the command centre of the area.
CREATE TABLE cityops_orders (
  id                         bigserial PRIMARY KEY,
  -- The area of the case or alarm ordered about: who sees the order on the screen.
  division_code              text NOT NULL,
  case_id                    bigint REFERENCES cityops_cases (id) ON DELETE CASCADE,
  sensor_event_id            bigint REFERENCES cityops_sensor_events (id) ON DELETE CASCADE,
  lon                        double precision NOT NULL,
  lat                        double precision NOT NULL,
  department_id              bigint NOT NULL REFERENCES departments (id),
  instruction                text NOT NULL,
  ack_minutes                integer NOT NULL CHECK (ack_minutes BETWEEN 1 AND 1440),
  state                      text NOT NULL CHECK (state IN ('issued', 'acknowledged', 'escalated')),
  issued_at                  timestamptz NOT NULL,
  ack_due_at                 timestamptz NOT NULL,
  issued_by                  text NOT NULL,
  issued_by_user_id          bigint,
  issued_by_name             text NOT NULL,
  acknowledged_at            timestamptz,
  acknowledged_by_user_id    bigint,
  acknowledged_by_name       text,
  ack_note                   text,
  escalated_at               timestamptz,
  escalated_to_department_id bigint REFERENCES departments (id),
  CHECK ((case_id IS NULL) <> (sensor_event_id IS NULL))
);
CREATE INDEX cityops_orders_due ON cityops_orders (ack_due_at) WHERE state = 'issued';
CREATE INDEX cityops_orders_department ON cityops_orders (department_id, state);
CREATE INDEX cityops_orders_escalated_to ON cityops_orders (escalated_to_department_id, state) WHERE escalated_to_department_id IS NOT NULL;
CREATE INDEX cityops_orders_division ON cityops_orders (division_code text_pattern_ops, issued_at DESC);
