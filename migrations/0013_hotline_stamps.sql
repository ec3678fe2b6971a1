-- The hotline's configuration (categories, time limits, the dispatch catalogue, settings) and its classifier
-- model are read by every intake and change rarely: each has a cache stamp (see 0006_cache_stamps.sql).
INSERT INTO cache_stamps (name) VALUES ('hotline'), ('hotline-classifier');

CREATE TRIGGER hotline_categories_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotline_categories
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('hotline');
CREATE TRIGGER hotline_time_limits_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotline_time_limits
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('hotline');
CREATE TRIGGER hotline_dispatch_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotline_dispatch_rules
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('hotline');
CREATE TRIGGER hotline_settings_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotline_settings
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('hotline');
CREATE TRIGGER hotline_classifier_models_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotline_classifier_models
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('hotline-classifier');
