-- 一网统管, sensors (感知设备): device types with their rules, the device registry, readings (compact, one row
-- per device and sequence number) and the events the rules raise and clear.

-- A type of device: what it measures, when a silent device counts as offline, the rules that turn its readings
-- into events, and the component kind (小类) a case about it is filed under when the device is not mounted on a component.
CREATE TABLE cityops_sensor_types (
  code            text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  unit            text NOT NULL,
  offline_after_s integer NOT NULL CHECK (offline_after_s BETWEEN 30 AND 604800),
  rules           jsonb NOT NULL,
  case_class_code text NOT NULL,
  case_kind_code  text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

INSERT INTO cityops_sensor_types (code, name_zh, name_en, unit, offline_after_s, rules, case_class_code, case_kind_code) VALUES
  ('water_level', '积水水位监测', 'Water level', 'm', 900,
   '[{"name":"flooding","kind":"threshold","direction":"above","raise":0.30,"clear":0.20,"debounceReadings":3,"debounceSeconds":0},
     {"name":"rising","kind":"rate","direction":"rise","perMinute":0.05,"clearPerMinute":0.01,"windowSeconds":300,"debounceReadings":2,"debounceSeconds":0}]',
   '01', '03'),
  ('manhole_tilt', '井盖倾斜监测', 'Manhole-cover tilt', '°', 3600,
   '[{"name":"tilted","kind":"threshold","direction":"above","raise":15,"clear":5,"debounceReadings":2,"debounceSeconds":0}]',
   '01', '13'),
  ('smoke', '烟感监测', 'Smoke', '%/m', 600,
   '[{"name":"smoke","kind":"threshold","direction":"above","raise":4,"clear":2,"debounceReadings":2,"debounceSeconds":0}]',
   '03', '02'),
  ('streetlight_current', '路灯电流监测', 'Street-light current', 'A', 1800,
   '[{"name":"overcurrent","kind":"threshold","direction":"above","raise":8,"clear":6,"debounceReadings":3,"debounceSeconds":0},
     {"name":"surge","kind":"rate","direction":"rise","perMinute":4,"clearPerMinute":1,"windowSeconds":120,"debounceReadings":1,"debounceSeconds":0}]',
   '01', '17');

CREATE TABLE cityops_sensor_devices (
  -- A small number for the readings' rows; `code` is the device's name on the wire (topics, HTTP).
  id              serial PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$'),
  type_code       text NOT NULL REFERENCES cityops_sensor_types (code),
  name            text NOT NULL DEFAULT '',
  division_code   text NOT NULL,
  grid_code       text,
  lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  -- The component (部件) the device is mounted on, if any; checked by the command (components may be re-imported).
  component_code  text,
  -- scrypt of the secret (MQTT password), and the key readings are signed with (HMAC-SHA256), derived from the secret.
  secret_hash     text NOT NULL,
  signing_key     bytea NOT NULL,
  enabled         boolean NOT NULL DEFAULT true,
  -- never: no reading yet; online; offline: silent for longer than the type's offline_after_s.
  connectivity    text NOT NULL DEFAULT 'never' CHECK (connectivity IN ('never', 'online', 'offline')),
  last_seen_at    timestamptz,
  last_seq        bigint,
  last_value      double precision,
  last_reading_at timestamptz,
  source          text NOT NULL DEFAULT 'registered' CHECK (source IN ('registered', 'demo')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cityops_sensor_devices_division ON cityops_sensor_devices (division_code text_pattern_ops, code);
CREATE INDEX cityops_sensor_devices_updated ON cityops_sensor_devices (updated_at);
CREATE INDEX cityops_sensor_devices_component ON cityops_sensor_devices (component_code) WHERE component_code IS NOT NULL;

-- One row per reading (about 50 bytes with the tuple header); a repeated (device, seq) is ignored.
CREATE TABLE cityops_sensor_readings (
  device_id integer NOT NULL,
  seq       bigint NOT NULL,
  at        timestamptz NOT NULL,
  value     real NOT NULL,
  PRIMARY KEY (device_id, seq)
);

CREATE TABLE cityops_sensor_events (
  id              bigserial PRIMARY KEY,
  device_id       integer NOT NULL REFERENCES cityops_sensor_devices (id),
  rule            text NOT NULL,
  rule_kind       text NOT NULL CHECK (rule_kind IN ('threshold', 'rate')),
  state           text NOT NULL CHECK (state IN ('raised', 'cleared')),
  raised_at       timestamptz NOT NULL,
  raised_seq      bigint NOT NULL,
  raised_value    double precision NOT NULL,
  cleared_at      timestamptz,
  cleared_seq     bigint,
  cleared_value   double precision,
  -- What a case (案件) about the event needs: where, the kind (小类), the component, and a description.
  division_code   text NOT NULL,
  grid_code       text,
  lon             double precision NOT NULL,
  lat             double precision NOT NULL,
  component_code  text,
  case_class_code text NOT NULL,
  case_kind_code  text NOT NULL,
  description     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cityops_sensor_events_open ON cityops_sensor_events (device_id, rule) WHERE state = 'raised';
CREATE INDEX cityops_sensor_events_division ON cityops_sensor_events (division_code text_pattern_ops, raised_at DESC);
CREATE INDEX cityops_sensor_events_device ON cityops_sensor_events (device_id, raised_at DESC);
