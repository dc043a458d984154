SELECT concat_ws(' ', coalesce(r.province, '(province unknown)'), r.city, r.county) AS district,
       c.report_id, r.body, r.year, c.suite, c.check_name, c.severity, c.message
FROM check_results c JOIN reports r USING (report_id)
WHERE NOT c.passed
ORDER BY district, r.body, c.severity, c.suite, c.check_name;
