-- Store the current chunk's verdicts: every frame row (or, for suites stored as
-- failures only, the failing rows plus one passed row per report without failure).
-- check_verdicts: frame_row, passed (false, or NULL for incomplete), message.
INSERT INTO check_results BY NAME
SELECT $run_id AS run_id, f.report_id, $suite AS suite, f.check_name, $severity AS severity,
       CASE WHEN v.frame_row IS NULL THEN TRUE ELSE v.passed END AS passed,
       CAST(f.observed AS VARCHAR) AS observed, CAST(f.expected AS VARCHAR) AS expected,
       coalesce(v.message, 'ok') AS message,
       f.cells, f.suspect_cells, f.message_key,
       CASE WHEN v.frame_row IS NOT NULL THEN CAST(f.args AS VARCHAR) END AS message_args,  -- passed rows need none
       CASE WHEN v.passed = FALSE THEN 'open' END AS review_status
FROM check_frame f LEFT JOIN check_verdicts v USING (frame_row)
WHERE NOT $failures_only OR v.frame_row IS NOT NULL;

INSERT INTO check_results BY NAME
SELECT $run_id AS run_id, s.report_id, $suite AS suite, $name AS check_name, $severity AS severity,
       TRUE AS passed, 'ok' AS message, CAST([] AS VARCHAR[]) AS cells
FROM check_scope s
WHERE $failures_only AND s.report_id IN (SELECT report_id FROM check_frame)
  AND s.report_id NOT IN (SELECT f.report_id FROM check_frame f JOIN check_verdicts v USING (frame_row));
