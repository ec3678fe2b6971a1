-- Golden records by jurisdiction (LIKE 'prefix%'): the 标准记录 list and whether an officer's area has any.
CREATE INDEX registry_entities_division ON registry_entities (division_code text_pattern_ops);
