-- 接诉即办考评: what the metrics and hotspot queries need.

-- Office hours (09:00–17:00 China time on working days) elapsed from the start of `first_day` (days since
-- 1970-01-01, China time) up to `at`. `clock[i]` holds the office hours before day first_day + i - 1, so a
-- working day is one where clock[i + 1] - clock[i] = 8; the caller builds it from the working-day calendar.
-- Working hours between two instants are the difference of two readings. One expression, so PostgreSQL
-- inlines it into the metrics query.
CREATE FUNCTION hotline_office_clock(at timestamptz, first_day integer, clock double precision[])
RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT clock[floor((date_part('epoch', at) + 28800) / 86400)::integer - first_day + 1]
       + least(greatest(date_part('epoch', at) + 28800 - floor((date_part('epoch', at) + 28800) / 86400) * 86400 - 32400, 0), 28800)
         / 28800
         * (clock[floor((date_part('epoch', at) + 28800) / 86400)::integer - first_day + 2]
            - clock[floor((date_part('epoch', at) + 28800) / 86400)::integer - first_day + 1])
$$;

-- The China-time day a ticket was received (days since 1970-01-01), as the metrics group by it. Statistics on
-- the expression let the planner know a month has about 30 of them, so it plans a parallel aggregate.
CREATE STATISTICS hotline_tickets_received_day
  ON (floor((date_part('epoch', received_at - timestamptz '1970-01-01 00:00:00+00') + 28800) / 86400)::integer) FROM hotline_tickets;
