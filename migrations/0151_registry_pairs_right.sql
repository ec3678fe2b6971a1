-- A load reads the pairs of its records from either end (left_id is covered by the unique key).
CREATE INDEX registry_pairs_right ON registry_pairs (right_id);
