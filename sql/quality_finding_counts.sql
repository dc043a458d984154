-- Failed (and corrected) checks per report, suite, severity and review status.
SELECT report_id, suite, severity, coalesce(review_status, 'open') AS status, count(*) AS n
FROM check_results
WHERE passed = FALSE OR review_status = 'corrected'
GROUP BY ALL;
