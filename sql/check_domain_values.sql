-- Domain frame: one row per fact. Counts are whole numbers >= 0, money a decimal
-- >= 0, the signed 2019 '本年增/减' is left free; every code must be in dim_cells.
SELECT f.report_id,
       f.table_code || '.' || f.row_code || '.' || f.col_code AS check_name,
       CAST(f.value AS DOUBLE) AS observed,
       NULL AS expected,
       CASE WHEN f.col_code NOT IN ('change', 'amount_10k_yuan') THEN CAST(f.value AS DOUBLE) END AS count_value,
       CASE WHEN f.col_code = 'amount_10k_yuan' THEN CAST(f.value AS DOUBLE) END AS money_value,
       CASE WHEN f.col_code NOT IN ('change', 'amount_10k_yuan') AND f.value IS NOT NULL
            THEN f.value = round(f.value) END AS is_whole,
       d.row_code IS NOT NULL AS known_code,
       -- cells and message only where a rule is broken (the suite stores failures only)
       CASE WHEN NOT coalesce(d.row_code IS NOT NULL AND coalesce(f.value >= 0 OR f.col_code = 'change', TRUE)
                              AND coalesce(f.col_code IN ('change', 'amount_10k_yuan') OR f.value = round(f.value), TRUE), FALSE)
            THEN [f.table_code || '.' || f.row_code || '.' || f.col_code] END AS cells,
       CASE WHEN NOT coalesce(d.row_code IS NOT NULL AND coalesce(f.value >= 0 OR f.col_code = 'change', TRUE)
                              AND coalesce(f.col_code IN ('change', 'amount_10k_yuan') OR f.value = round(f.value), TRUE), FALSE)
            THEN [f.table_code || '.' || f.row_code || '.' || f.col_code] END AS suspect_cells,
       'domain.value' AS message_key,
       CASE WHEN NOT coalesce(d.row_code IS NOT NULL AND coalesce(f.value >= 0 OR f.col_code = 'change', TRUE)
                              AND coalesce(f.col_code IN ('change', 'amount_10k_yuan') OR f.value = round(f.value), TRUE), FALSE)
            THEN to_json({cell: f.table_code || '.' || f.row_code || '.' || f.col_code, value: num(f.value),
                          raw: f.raw_text, locator: f.locator}) END AS args
FROM check_scope s
JOIN (SELECT * FROM facts WHERE report_id IN (SELECT report_id FROM check_scope)) f USING (report_id)
LEFT JOIN dim_cells d
  ON d.template_version = s.template_version AND d.table_code = f.table_code
 AND d.row_code = f.row_code AND d.col_code = f.col_code;
