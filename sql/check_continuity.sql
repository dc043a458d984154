-- Continuity frame: a body's carried_over in year Y equals its carried_forward in Y-1,
-- per t2 column, whenever both years are loaded (body matched on division code + name).
WITH t2 AS (
    SELECT r.report_id, r.year, coalesce(r.division_code, '') AS division_code, r.body,
           f.row_code, f.col_code, f.value
    FROM facts f JOIN reports r USING (report_id)
    WHERE f.table_code = 't2' AND f.row_code IN ('carried_over', 'carried_forward')
      AND r.year IS NOT NULL AND r.body IS NOT NULL
)
SELECT cur.report_id,
       'continuity.carried_over[' || cur.col_code || ']' AS check_name,
       CAST(cur.value AS DOUBLE) AS observed,
       CAST(prev.value AS DOUBLE) AS expected,
       ['t2.carried_over.' || cur.col_code] AS cells,
       CAST(NULL AS VARCHAR[]) AS suspect_cells,
       'continuity' AS message_key,
       to_json({body: cur.body, year: cur.year, col: cur.col_code, value: num(cur.value),
                prev_year: prev.year, prev: num(prev.value), prev_report: left(prev.report_id, 12)}) AS args
FROM t2 cur
JOIN check_scope s ON s.report_id = cur.report_id
JOIN t2 prev
  ON prev.division_code = cur.division_code AND prev.body = cur.body AND prev.year = cur.year - 1
 AND prev.col_code = cur.col_code AND prev.row_code = 'carried_forward'
WHERE cur.row_code = 'carried_over' AND cur.value IS NOT NULL AND prev.value IS NOT NULL;
