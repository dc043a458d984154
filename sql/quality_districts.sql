-- Per district: reports and failed checks by severity (quality report's overview).
SELECT concat_ws(' ', coalesce(r.province, '(province unknown)'), r.city, r.county) AS district,
       count(DISTINCT r.report_id) AS reports,
       count(c.report_id) FILTER (WHERE NOT c.passed AND c.severity = 'error') AS errors,
       count(c.report_id) FILTER (WHERE NOT c.passed AND c.severity = 'warning') AS warnings
FROM reports r LEFT JOIN check_results c USING (report_id)
GROUP BY ALL ORDER BY errors DESC, warnings DESC, district;
