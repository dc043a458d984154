-- The chunk's narrative figures beside the table figures their check compared them with.
SELECT n.report_id, n.metric, n.value, n.sentence, c.expected AS table_value, c.cells, c.passed
FROM narrative_facts n JOIN site_scope USING (report_id)
LEFT JOIN check_results c ON c.report_id = n.report_id AND c.check_name = 'narrative.' || n.metric
ORDER BY n.report_id, n.metric;
