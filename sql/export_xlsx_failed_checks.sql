-- summary.xlsx, sheet 未通过核查: the checks each report failed.
SELECT r.year, r.province, r.city, r.county, r.body, c.severity, c.suite, c.check_name, c.message, c.report_id
FROM check_results c JOIN reports r USING (report_id)
WHERE NOT c.passed
ORDER BY r.year, r.province, r.city, r.county, r.body, c.severity, c.check_name
