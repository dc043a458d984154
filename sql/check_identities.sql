-- Identity check frame: one row per report x identity instance, lhs and rhs of
-- each equation (勾稽关系). Rows with a missing (NULL or absent) term are left out:
-- the domain suite reports missing cells.
WITH f AS (
    SELECT f.report_id, r.template_version, f.table_code, f.row_code, f.col_code, f.value
    FROM facts f JOIN reports r USING (report_id)
),
cell AS (
    SELECT report_id, template_version, table_code, row_code, col_code, value FROM f
),
t2_cols AS (SELECT DISTINCT col_code FROM dim_cells WHERE table_code = 't2'),
-- A 2021 report that prints 2019's one-row （六）其他处理 (stored as other_processing) sums
-- its result rows as a 2019 report does (identity 2).
t2_reports AS (
    SELECT report_id,
           CASE WHEN bool_or(row_code = 'other_processing') THEN '2019' ELSE any_value(template_version) END
               AS template_version
    FROM f WHERE table_code = 't2' GROUP BY report_id
),
result_rows AS (
    SELECT DISTINCT template_version, row_code FROM dim_cells
    WHERE table_code = 't2'
      AND row_code NOT IN ('new_received', 'carried_over', 'total_handled', 'carried_forward')
),
balance AS (
    SELECT r.report_id, c.col_code,
           max(CASE WHEN x.row_code = 'new_received' THEN x.value END) AS new_received,
           max(CASE WHEN x.row_code = 'carried_over' THEN x.value END) AS carried_over,
           max(CASE WHEN x.row_code = 'total_handled' THEN x.value END) AS total_handled,
           max(CASE WHEN x.row_code = 'carried_forward' THEN x.value END) AS carried_forward
    FROM t2_reports r CROSS JOIN t2_cols c
    LEFT JOIN cell x ON x.report_id = r.report_id AND x.table_code = 't2' AND x.col_code = c.col_code
    GROUP BY ALL
),
handled AS (
    SELECT r.report_id, c.col_code,
           sum(x.value) AS results_sum,
           count(x.value) AS n_present,
           (SELECT count(*) FROM result_rows rr WHERE rr.template_version = r.template_version) AS n_expected
    FROM t2_reports r CROSS JOIN t2_cols c
    JOIN result_rows rr ON rr.template_version = r.template_version
    LEFT JOIN cell x ON x.report_id = r.report_id AND x.table_code = 't2'
                    AND x.col_code = c.col_code AND x.row_code = rr.row_code
    GROUP BY ALL
),
row_totals AS (
    SELECT report_id, table_code, row_code,
           max(CASE WHEN col_code = 'total' THEN value END) AS total,
           sum(CASE WHEN col_code <> 'total' THEN value END) AS parts,
           count(CASE WHEN col_code <> 'total' THEN value END) AS n_parts
    FROM cell WHERE table_code IN ('t2', 't3')
    GROUP BY ALL
)
SELECT report_id,
       't2.column_balance[' || col_code || ']' AS check_name,
       new_received + carried_over AS lhs,
       total_handled + carried_forward AS rhs,
       format('t2 column {}: new_received {} + carried_over {} = {}, but total_handled {} + carried_forward {} = {}',
              col_code, num(new_received), num(carried_over), num(new_received + carried_over),
              num(total_handled), num(carried_forward), num(total_handled + carried_forward)) AS message
FROM balance
WHERE new_received IS NOT NULL AND carried_over IS NOT NULL
  AND total_handled IS NOT NULL AND carried_forward IS NOT NULL
UNION ALL
SELECT h.report_id,
       't2.handled_sum[' || h.col_code || ']',
       b.total_handled,
       h.results_sum,
       format('t2 column {}: total_handled is {}, but the result rows granted … other sum to {}',
              h.col_code, num(b.total_handled), num(h.results_sum))
FROM handled h JOIN balance b USING (report_id, col_code)
WHERE h.n_present = h.n_expected AND b.total_handled IS NOT NULL
UNION ALL
SELECT report_id,
       table_code || '.row_total[' || row_code || ']',
       total,
       parts,
       format('{} row {}: total is {}, but its {} columns sum to {}',
              table_code, row_code, num(total), CASE WHEN table_code = 't2' THEN 'six applicant' ELSE 'four outcome' END, num(parts))
FROM row_totals
WHERE total IS NOT NULL AND n_parts = CASE WHEN table_code = 't2' THEN 6 ELSE 4 END;
