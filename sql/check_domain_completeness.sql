-- Completeness frame: one row per report; every cell of its template version printed.
WITH expected AS (
    SELECT r.report_id, d.table_code, d.row_code, d.col_code, d.sort_order
    FROM reports r JOIN dim_cells d ON d.template_version = r.template_version
),
missing AS (
    SELECT e.report_id, e.table_code, e.row_code, count(*) AS n, min(e.sort_order) AS o
    FROM expected e
    LEFT JOIN facts f USING (report_id, table_code, row_code, col_code)
    WHERE f.report_id IS NULL
    GROUP BY ALL
)
SELECT r.report_id,
       'domain.all_cells_present' AS check_name,
       (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id) AS observed,
       (SELECT count(*) FROM dim_cells d WHERE d.template_version = r.template_version) AS expected,
       CASE WHEN m.report_id IS NULL THEN 'all cells present'
            ELSE 'missing cells: ' || m.listing END AS message
FROM reports r
LEFT JOIN (
    SELECT report_id, string_agg(table_code || '.' || row_code || ' (' || n || ')', ', ' ORDER BY o) AS listing
    FROM missing GROUP BY report_id
) m USING (report_id);
