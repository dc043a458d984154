SELECT suite, check_name, severity, message FROM check_results
WHERE report_id = $1 AND NOT passed ORDER BY severity, suite, check_name;
