-- One report's failed and incomplete checks, with the cells they point at.
SELECT suite, check_name, severity, message, coalesce(cells, []), coalesce(suspect_cells, []), passed,
       coalesce(review_status, CASE WHEN passed IS NULL THEN 'incomplete' ELSE 'open' END)
FROM check_results
WHERE report_id = $1 AND passed IS DISTINCT FROM TRUE
ORDER BY passed NULLS LAST, severity, suite, check_name;
