-- check_results.csv: the latest validation, with the report's place.
SELECT c.run_id, c.report_id, r.year, csv_text(r.body) AS body, r.division_code, c.suite, c.check_name, c.severity,
       c.passed, csv_text(c.observed) AS observed, csv_text(c.expected) AS expected, csv_text(c.message) AS message,
       csv_text(r.source_path) AS source_path
FROM check_results c JOIN reports r USING (report_id)
WHERE $filter
ORDER BY c.report_id, c.suite, c.check_name
