-- Narrative frame: each figure stated in 总体情况 beside the table cell(s) it describes.
WITH cell AS (
    SELECT report_id, table_code || '.' || row_code || '.' || col_code AS k, value FROM facts
),
target(metric, cells, label) AS (
    VALUES ('applications_received',        ['t2.new_received.total'], 't2.new_received.total'),
           ('applications_carried_over',    ['t2.carried_over.total'], 't2.carried_over.total'),
           ('applications_handled',         ['t2.total_handled.total'], 't2.total_handled.total'),
           ('applications_carried_forward', ['t2.carried_forward.total'], 't2.carried_forward.total'),
           ('applications_disclosed',       ['t2.granted.total', 't2.partially_granted.total'],
                                            't2.granted.total + t2.partially_granted.total'),
           ('review_cases',                 ['t3.review.total'], 't3.review.total'),
           ('litigation_cases',             ['t3.litigation_direct.total', 't3.litigation_after_review.total'],
                                            't3.litigation_direct.total + t3.litigation_after_review.total')
),
pairs AS (
    SELECT n.report_id, n.metric, n.value AS narrative_value, n.sentence, t.label,
           (SELECT CASE WHEN count(c.value) = len(t.cells) THEN sum(c.value) END
            FROM cell c WHERE c.report_id = n.report_id AND list_contains(t.cells, c.k)) AS table_value
    FROM narrative_facts n JOIN target t USING (metric)
)
SELECT report_id,
       'narrative.' || metric AS check_name,
       CAST(narrative_value AS DOUBLE) AS observed,
       CAST(table_value AS DOUBLE) AS expected,
       format('text says {} = {} ("{}"), table {} = {}', metric, num(narrative_value), sentence, label, num(table_value)) AS message
FROM pairs
WHERE table_value IS NOT NULL;
