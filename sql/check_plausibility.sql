-- Plausibility frame for the current chunk (scores from check_plausibility_prepare.sql).
SELECT p.report_id, p.check_name, p.observed, p.expected, p.score, p.cells,
       CAST(NULL AS VARCHAR[]) AS suspect_cells, p.message_key, p.args
FROM check_plausibility_scores p JOIN check_scope USING (report_id);
