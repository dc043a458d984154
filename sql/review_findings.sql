-- Findings for `ogi review list`: failed or incomplete checks (and corrected ones),
-- optionally of one province ($1, a prefix) and one suite ($2).
SELECT c.report_id, r.body, r.year, r.province, r.county, c.suite, c.check_name, c.severity, c.passed, c.message
FROM check_results c JOIN reports r USING (report_id)
WHERE (c.passed IS DISTINCT FROM TRUE OR c.review_status = 'corrected')
  AND ($1 IS NULL OR r.province LIKE $1 || '%')
  AND ($2 IS NULL OR c.suite = $2)
ORDER BY r.province, r.city, r.county, r.body, r.year, CASE c.severity WHEN 'error' THEN 0 ELSE 1 END, c.suite, c.check_name;
