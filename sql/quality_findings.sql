-- The chunk's failed, incomplete and corrected checks (report_id between $lo and $hi).
SELECT c.report_id, c.suite, c.check_name, c.severity, c.passed, c.message_key, c.message_args, c.message,
       c.cells, c.suspect_cells, coalesce(c.review_status, CASE WHEN c.passed IS NULL THEN 'incomplete' ELSE 'open' END),
       c.decision_id
FROM check_results c
WHERE c.report_id BETWEEN $lo AND $hi
  AND (c.passed IS DISTINCT FROM TRUE OR c.review_status = 'corrected')
ORDER BY c.report_id, CASE c.severity WHEN 'error' THEN 0 ELSE 1 END, c.passed NULLS LAST, c.suite, c.check_name;
