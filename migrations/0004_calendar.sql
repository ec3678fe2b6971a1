-- 工作日历: the days that differ from the Monday-to-Friday rule, i.e. holidays off and 调休 make-up working days.
CREATE TABLE calendar_days (
  date       date PRIMARY KEY,
  is_off_day boolean NOT NULL,
  name       text NOT NULL,
  -- 'official' rows come from the shipped State Council arrangements, 'admin' rows from an administrator
  source     text NOT NULL DEFAULT 'admin' CHECK (source IN ('official', 'admin'))
);

-- Years whose arrangement is known. Dates in other years follow the weekday rule and deadlines
-- reaching them are provisional.
CREATE TABLE calendar_years (
  year      int PRIMARY KEY,
  published boolean NOT NULL DEFAULT false,
  -- links to the State Council notice(s)
  papers    jsonb NOT NULL DEFAULT '[]'
);

-- One row whose stamp every calendar change replaces, so cached calendars know when to reload.
CREATE TABLE calendar_revision (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  stamp     uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO calendar_revision DEFAULT VALUES;
