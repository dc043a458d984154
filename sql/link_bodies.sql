-- Bodies and each report's body_id from incoming_bodies / incoming_body_links
-- (pipeline/bodies.py: one link per distinct printed body x division code), and
-- this run's body and sidecar warnings in place of the last run's.
DELETE FROM bodies;
INSERT INTO bodies BY NAME SELECT * FROM incoming_bodies;

UPDATE reports SET body_id = l.body_id
FROM incoming_body_links l
WHERE coalesce(reports.body, '') = coalesce(l.body, '')
  AND coalesce(reports.division_code, '') = coalesce(l.division_code, '')
  AND reports.body_id IS DISTINCT FROM l.body_id;

DELETE FROM parse_warnings WHERE stage IN ('body', 'sidecar');
INSERT INTO parse_warnings BY NAME
SELECT r.report_id, r.source_path, 'body' AS stage, l.warning AS message
FROM reports r
JOIN incoming_body_links l
  ON coalesce(r.body, '') = coalesce(l.body, '') AND coalesce(r.division_code, '') = coalesce(l.division_code, '')
WHERE l.warning IS NOT NULL;
INSERT INTO parse_warnings BY NAME SELECT * FROM incoming_sidecar_warnings;
