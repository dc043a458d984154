-- A wide table (v_t1, v_t2, v_t3): one row per active report x row of the table, in the
-- report's printed order (sort_order), the table's columns as SQL columns. The column
-- list comes from the template (pipeline.template.table_columns: both versions' columns
-- in order), so no column code is written here by hand.
CREATE OR REPLACE VIEW v_$table AS
SELECT f.report_id, f.year, f.body, f.division_code, f.template_version, f.row_code,
       any_value(f.row_label_zh) AS row_label_zh, min(f.sort_order) AS sort_order,
       $columns
FROM v_facts f
WHERE f.table_code = '$table' AND f.report_id IN (SELECT report_id FROM reports WHERE status = 'active')
GROUP BY f.report_id, f.year, f.body, f.division_code, f.template_version, f.row_code;
