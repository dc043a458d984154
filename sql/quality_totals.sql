SELECT suite, severity, count(*) AS checks, count(*) FILTER (WHERE NOT passed) AS failed
FROM check_results GROUP BY ALL ORDER BY suite;
