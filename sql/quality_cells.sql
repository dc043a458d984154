-- Every template cell of the chunk's reports (report_id between $lo and $hi) as the page
-- prints it, one row per report: the cells' escaped texts in template order joined by
-- U+001F (texts_list instead when a text itself holds U+001F), and the corrected cells.
-- Needs quality_macros.sql.
WITH f AS (
    SELECT * FROM facts WHERE report_id BETWEEN $lo AND $hi
),
cell AS (
    SELECT r.report_id, d.sort_order,
           d.table_code || '.' || d.row_code || '.' || d.col_code AS k,
           CASE WHEN f.report_id IS NULL THEN '·'                    -- not printed
                WHEN f.value IS NULL THEN site_esc(coalesce(f.raw_text, ''))  -- blank, —, / or 无 as printed
                ELSE site_num(f.value) END AS text,
           f.parsed_value, f.corrected_by
    FROM reports r
    JOIN dim_cells d ON d.template_version = r.template_version
    LEFT JOIN f ON f.report_id = r.report_id AND f.table_code = d.table_code
               AND f.row_code = d.row_code AND f.col_code = d.col_code
    WHERE r.report_id BETWEEN $lo AND $hi
)
SELECT report_id,
       string_agg(text, chr(31) ORDER BY sort_order) AS texts,
       CASE WHEN bool_or(contains(text, chr(31))) THEN list(text ORDER BY sort_order) END AS texts_list,
       list({'k': k, 'parsed': coalesce(site_num(parsed_value), ''), 'by': corrected_by} ORDER BY sort_order)
           FILTER (WHERE corrected_by IS NOT NULL) AS corrected
FROM cell
GROUP BY report_id
ORDER BY report_id;
