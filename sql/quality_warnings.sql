SELECT w.report_id, w.stage, w.message FROM parse_warnings w JOIN site_scope USING (report_id) ORDER BY ALL;
