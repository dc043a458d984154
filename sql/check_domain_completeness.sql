-- Completeness frame: one row per report; every cell of its template version printed.
-- cells = the missing cells.
WITH expected AS (
    SELECT s.report_id, d.table_code, d.row_code, d.col_code, d.sort_order
    FROM check_scope s JOIN dim_cells d ON d.template_version = s.template_version
),
missing AS (
    SELECT e.report_id, e.table_code, e.row_code, count(*) AS n, min(e.sort_order) AS o,
           list(e.table_code || '.' || e.row_code || '.' || e.col_code ORDER BY e.sort_order) AS cells
    FROM expected e
    LEFT JOIN (SELECT report_id, table_code, row_code, col_code FROM facts
               WHERE report_id IN (SELECT report_id FROM check_scope)) f USING (report_id, table_code, row_code, col_code)
    WHERE f.report_id IS NULL
    GROUP BY ALL
),
per_report AS (
    SELECT report_id, string_agg(table_code || '.' || row_code || ' (' || n || ')', ', ' ORDER BY o) AS listing,
           flatten(list(cells ORDER BY o)) AS cells, sum(n) AS n
    FROM missing GROUP BY report_id
)
SELECT s.report_id,
       'domain.all_cells_present' AS check_name,
       e.n - coalesce(m.n, 0) AS observed,
       e.n AS expected,
       coalesce(m.cells, []) AS cells,
       CAST(NULL AS VARCHAR[]) AS suspect_cells,
       'domain.missing' AS message_key,
       to_json({n: coalesce(m.n, 0), listing: m.listing}) AS args
FROM check_scope s
JOIN (SELECT report_id, count(*) AS n FROM expected GROUP BY report_id) e USING (report_id)
LEFT JOIN per_report m USING (report_id);
