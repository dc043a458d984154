-- The run whose warehouse is exported (the manifest names it).
SELECT run_id, finished_at FROM ingest_runs ORDER BY finished_at DESC NULLS LAST LIMIT 1
