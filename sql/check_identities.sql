-- Identity check frame (勾稽关系): one row per report x identity instance, each a sum of
-- left terms equal to a sum of right terms, generated from dim_cells:
--   t2.column_balance[col]  new_received + carried_over = total_handled + carried_forward
--   t2.handled_sum[col]     total_handled = the result rows granted … other
--   t2/t3.row_total[row]    total = the applicant (t2) or outcome (t3) columns
-- A missing term (not printed, or printed blank) does not make the identity pass:
-- lhs/rhs are NULL and `complete` is false; the present terms are still checked
-- where the rule can decide (counts are >= 0, so present terms of one side that
-- already exceed the complete other side fail: partial_excess > 0).
-- Instances with no term present at all are left to the completeness suite.
WITH terms AS (
    SELECT template_version, 'balance' AS kind, 't2.column_balance[' || col_code || ']' AS check_name,
           table_code, row_code, col_code,
           CASE WHEN row_code IN ('new_received', 'carried_over') THEN 'L' ELSE 'R' END AS side, sort_order
    FROM dim_cells
    WHERE table_code = 't2' AND row_code IN ('new_received', 'carried_over', 'total_handled', 'carried_forward')
    UNION ALL
    SELECT template_version, 'handled', 't2.handled_sum[' || col_code || ']', table_code, row_code, col_code,
           CASE WHEN row_code = 'total_handled' THEN 'L' ELSE 'R' END, sort_order
    FROM dim_cells
    WHERE table_code = 't2' AND row_code NOT IN ('new_received', 'carried_over', 'carried_forward')
    UNION ALL
    SELECT template_version, 'row_total', table_code || '.row_total[' || row_code || ']', table_code, row_code, col_code,
           CASE WHEN col_code = 'total' THEN 'L' ELSE 'R' END, sort_order
    FROM dim_cells
    WHERE table_code IN ('t2', 't3')
),
defs AS (  -- an identity's cells depend on the template version only
    SELECT template_version, check_name, any_value(kind) AS kind,
           list(table_code || '.' || row_code || '.' || col_code ORDER BY side, sort_order) AS cells,
           count(*) FILTER (WHERE side = 'L') AS l_n, count(*) FILTER (WHERE side = 'R') AS r_n
    FROM terms GROUP BY ALL
),
scope_facts AS (
    SELECT report_id, table_code, row_code, col_code, value FROM facts
    WHERE report_id IN (SELECT report_id FROM check_scope)
),
-- A 2021 report that prints 2019's one-row （六）其他处理 (stored as other_processing) sums
-- its result rows as a 2019 report does (identity 2).
versions AS (
    SELECT s.report_id, s.template_version,
           CASE WHEN s.report_id IN (SELECT report_id FROM scope_facts WHERE table_code = 't2'
                                     AND row_code = 'other_processing') THEN '2019'
                ELSE s.template_version END AS handled_version
    FROM check_scope s
),
inst AS (
    SELECT s.report_id, t.template_version, t.check_name, t.side, t.sort_order,
           t.table_code || '.' || t.row_code || '.' || t.col_code AS cell, f.value
    FROM versions s
    JOIN terms t
      ON t.template_version = CASE WHEN t.kind = 'handled' THEN s.handled_version ELSE s.template_version END
    LEFT JOIN scope_facts f
      ON f.report_id = s.report_id AND f.table_code = t.table_code
     AND f.row_code = t.row_code AND f.col_code = t.col_code
),
agg AS (
    SELECT a.*, d.kind, d.cells, d.r_n, a.l_present = d.l_n AS l_complete, a.r_present = d.r_n AS r_complete
    FROM (
        SELECT report_id, template_version, check_name,
               sum(value) FILTER (WHERE side = 'L') AS l_sum,
               sum(value) FILTER (WHERE side = 'R') AS r_sum,
               count(value) FILTER (WHERE side = 'L') AS l_present,
               count(value) FILTER (WHERE side = 'R') AS r_present
        FROM inst GROUP BY ALL HAVING count(value) > 0
    ) a JOIN defs d USING (template_version, check_name)
),
-- The terms spelled out for the message, only where it will be read (sides differ or a
-- term is missing; GX still gives the verdict).
detail AS (
    SELECT i.report_id, i.check_name,
           string_agg(i.cell || ' ' || num(i.value), ' + ' ORDER BY i.sort_order) FILTER (WHERE i.side = 'L') AS l_terms,
           string_agg(i.cell || ' ' || num(i.value), ' + ' ORDER BY i.sort_order) FILTER (WHERE i.side = 'R') AS r_terms,
           list(i.cell ORDER BY i.sort_order) FILTER (WHERE i.value IS NULL) AS missing
    FROM inst i
    JOIN (SELECT report_id, check_name FROM agg
          WHERE NOT (l_complete AND r_complete) OR l_sum IS DISTINCT FROM r_sum) x USING (report_id, check_name)
    GROUP BY ALL
)
SELECT report_id, check_name,
       CASE WHEN l_complete AND r_complete THEN CAST(l_sum AS DOUBLE) END AS observed,  -- the left side
       CASE WHEN l_complete AND r_complete THEN CAST(r_sum AS DOUBLE) END AS expected,  -- the right side
       CAST(CASE WHEN l_complete AND NOT r_complete THEN coalesce(r_sum, 0) - l_sum
                 WHEN r_complete AND NOT l_complete THEN coalesce(l_sum, 0) - r_sum END AS DOUBLE) AS partial_excess,
       l_complete AND r_complete AS complete,
       cells,
       CAST(NULL AS VARCHAR[]) AS suspect_cells,
       CASE WHEN l_complete AND r_complete THEN 'identity.' || kind ELSE 'identity.incomplete' END AS message_key,
       CASE WHEN detail.report_id IS NOT NULL  -- a message only where it will be read
            THEN to_json({'check': check_name, lhs: num(l_sum), rhs: num(r_sum), l_terms: l_terms,
                          r_terms: r_terms, r_n: r_n, missing: array_to_string(missing, ', ')}) END AS args
FROM agg LEFT JOIN detail USING (report_id, check_name);
