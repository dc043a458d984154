-- Every loaded file's path and report (byte-identical copies too), for the sidecar manifest.
SELECT f.source_path, f.sha256 AS report_id
FROM files f JOIN reports r ON r.report_id = f.sha256
WHERE f.status IN ('loaded', 'duplicate')
UNION
SELECT source_path, report_id FROM reports;
