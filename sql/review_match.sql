-- Each check result's review status from the decisions (review_applied: id,
-- report_id, check_name, cell, status): the latest decision naming the check, or a
-- cell it covers. acknowledged / dismissed / stale close or flag a failed (or
-- incomplete) check; corrected marks the checks a correction made pass.
SELECT c.report_id, c.check_name, arg_max(d.status, d.id) AS status, max(d.id) AS decision_id
FROM check_results c
JOIN review_applied d
  ON d.report_id = c.report_id
 AND (d.check_name = c.check_name OR (d.cell IS NOT NULL AND list_contains(c.cells, d.cell)))
WHERE (d.status = 'corrected' AND c.passed IS DISTINCT FROM FALSE)
   OR (d.status <> 'corrected' AND c.passed IS DISTINCT FROM TRUE)
GROUP BY ALL
