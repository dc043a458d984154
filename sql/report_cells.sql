-- Every template cell of one report's version, with its fact if printed.
SELECT d.table_code, d.row_code, d.col_code, d.row_label_zh, d.col_label_zh, f.value, f.raw_text
FROM dim_cells d
JOIN reports r ON r.template_version = d.template_version AND r.report_id = $1
LEFT JOIN facts f
  ON f.report_id = r.report_id AND f.table_code = d.table_code
 AND f.row_code = d.row_code AND f.col_code = d.col_code
ORDER BY d.sort_order;
