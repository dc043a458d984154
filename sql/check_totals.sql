-- Per suite and severity: checks, failed, incomplete, and failed findings still open
-- (review_status open or stale: a stale decision no longer closes anything).
SELECT suite, severity, count(*) AS checks,
       count(*) FILTER (WHERE passed = FALSE) AS failed,
       count(*) FILTER (WHERE passed IS NULL) AS incomplete,
       count(*) FILTER (WHERE passed = FALSE AND coalesce(review_status, 'open') IN ('open', 'stale')) AS open
FROM check_results GROUP BY ALL ORDER BY min(CASE severity WHEN 'error' THEN 0 ELSE 1 END), suite, severity;
