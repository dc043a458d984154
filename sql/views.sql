-- Analyst views, recreated on every connect. Documented in docs/data-dictionary.md.

CREATE OR REPLACE VIEW v_facts AS
SELECT f.report_id, r.year, r.body, r.province, r.city, r.county, r.division_code,
       r.template_version, f.table_code, f.row_code, f.col_code,
       d.row_label_zh, d.col_label_zh, f.value, f.raw_text, f.locator, d.sort_order
FROM facts f
JOIN reports r USING (report_id)
LEFT JOIN dim_cells d
  ON d.template_version = r.template_version AND d.table_code = f.table_code
 AND d.row_code = f.row_code AND d.col_code = f.col_code;
