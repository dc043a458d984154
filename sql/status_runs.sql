SELECT run_id, started_at, finished_at, status, files_seen, files_new, files_changed,
       files_unchanged, files_quarantined, checks_failed
FROM ingest_runs ORDER BY started_at DESC LIMIT 10;
