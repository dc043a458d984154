-- The chunk's narrative figures (report_id between $lo and $hi) beside the table figures
-- their check compared them with (NULL when a cell was not printed: the sum is unknown).
WITH c AS (
    SELECT report_id, check_name, expected, cells, passed
    FROM check_results
    WHERE report_id BETWEEN $lo AND $hi AND check_name LIKE 'narrative.%'
)
SELECT n.report_id, n.metric, n.value, n.sentence, c.expected AS table_value, c.cells, c.passed
FROM narrative_facts n
LEFT JOIN c ON c.report_id = n.report_id AND c.check_name = 'narrative.' || n.metric
WHERE n.report_id BETWEEN $lo AND $hi
ORDER BY n.report_id, n.metric;
