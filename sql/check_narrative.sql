-- Narrative frame: each figure stated in 总体情况 beside the table cell(s) it describes.
-- A figure whose cells are not all printed is `complete = false` (not passed).
WITH target(metric, cells) AS (
    VALUES ('applications_received',        ['t2.new_received.total']),
           ('applications_carried_over',    ['t2.carried_over.total']),
           ('applications_handled',         ['t2.total_handled.total']),
           ('applications_carried_forward', ['t2.carried_forward.total']),
           ('applications_disclosed',       ['t2.granted.total', 't2.partially_granted.total']),
           ('review_cases',                 ['t3.review.total']),
           ('litigation_cases',             ['t3.litigation_direct.total', 't3.litigation_after_review.total'])
),
cell AS (
    SELECT f.report_id, f.table_code || '.' || f.row_code || '.' || f.col_code AS k, f.value
    FROM facts f JOIN check_scope s USING (report_id)
    WHERE f.col_code = 'total' AND f.table_code IN ('t2', 't3')
),
pairs AS (
    SELECT n.report_id, n.metric, n.value AS narrative_value, n.sentence, t.cells,
           (SELECT CASE WHEN count(c.value) = len(t.cells) THEN sum(c.value) END
            FROM cell c WHERE c.report_id = n.report_id AND list_contains(t.cells, c.k)) AS table_value
    FROM narrative_facts n JOIN check_scope s USING (report_id) JOIN target t USING (metric)
)
SELECT report_id,
       'narrative.' || metric AS check_name,
       CAST(narrative_value AS DOUBLE) AS observed,
       CAST(table_value AS DOUBLE) AS expected,
       table_value IS NOT NULL AND narrative_value IS NOT NULL AS complete,
       cells,
       CAST(NULL AS VARCHAR[]) AS suspect_cells,
       CASE WHEN table_value IS NULL THEN 'narrative.incomplete' ELSE 'narrative' END AS message_key,
       to_json({metric: metric, text_value: num(narrative_value), sentence: sentence,
                label: array_to_string(cells, ' + '), table_value: num(table_value)}) AS args
FROM pairs;
