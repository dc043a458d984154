-- Every template cell of the chunk's reports in printed order, with its fact if printed.
SELECT r.report_id, d.table_code, d.row_code, d.col_code, d.row_label_zh, d.col_label_zh,
       f.report_id IS NOT NULL AS printed, f.value, f.raw_text, f.parsed_value, f.corrected_by
FROM reports r
JOIN site_scope USING (report_id)
JOIN dim_cells d ON d.template_version = r.template_version
LEFT JOIN facts f
  ON f.report_id = r.report_id AND f.table_code = d.table_code
 AND f.row_code = d.row_code AND f.col_code = d.col_code
ORDER BY r.report_id, d.sort_order;
