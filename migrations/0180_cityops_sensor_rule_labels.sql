-- The shipped rules get names for people, shown in the events' descriptions and the cases they open
-- (报警「积水超限」 rather than the rule's identifier).
UPDATE cityops_sensor_types t
   SET rules = (SELECT jsonb_agg(CASE WHEN r ? 'label' OR l.label IS NULL THEN r ELSE r || jsonb_build_object('label', l.label) END ORDER BY n)
                  FROM jsonb_array_elements(t.rules) WITH ORDINALITY AS e (r, n)
                  LEFT JOIN (VALUES ('water_level', 'flooding', '积水超限'), ('water_level', 'rising', '水位快速上涨'),
                                    ('manhole_tilt', 'tilted', '井盖倾斜'), ('smoke', 'smoke', '烟雾浓度超限'),
                                    ('streetlight_current', 'overcurrent', '电流超限'), ('streetlight_current', 'surge', '电流突增'))
                         AS l (type_code, rule, label) ON l.type_code = t.code AND l.rule = r->>'name')
 WHERE t.code IN ('water_level', 'manhole_tilt', 'smoke', 'streetlight_current');
