SELECT report_id, suite, check_name, severity, passed, message, cells, suspect_cells,
       coalesce(review_status, 'open') AS review_status, decision_id
FROM check_results WHERE passed = FALSE ORDER BY report_id, severity, suite, check_name;
