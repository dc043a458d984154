SELECT stage, message FROM parse_warnings WHERE report_id = $1 ORDER BY stage, message;
