SELECT c.*, r.source_path FROM check_results c JOIN reports r USING (report_id)
ORDER BY c.report_id, c.suite, c.check_name;
