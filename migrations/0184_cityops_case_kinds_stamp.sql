-- The case kinds are read by every step of every case and change rarely: cached in memory by a stamp like the
-- calendar (see 0006_cache_stamps.sql), so a step reads them with the calendar's stamp in one statement.
INSERT INTO cache_stamps (name) VALUES ('cityops-case-kinds');
CREATE TRIGGER cityops_case_kinds_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cityops_case_kinds
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('cityops-case-kinds');

-- 核实 and 核查 go to the patrol worker with the fewest open field tasks: counted per worker at each
-- assignment, which without this index read every case.
CREATE INDEX cityops_cases_field_tasks ON cityops_cases (assignee_user_id) WHERE state IN ('verifying', 'checking');
