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
       format('{}.{}.{} = {} (printed ''{}'' at {})', f.table_code, f.row_code, f.col_code,
              num(f.value), f.raw_text, f.locator) AS message
FROM facts f
JOIN reports r USING (report_id)
LEFT JOIN dim_cells d
  ON d.template_version = r.template_version AND d.table_code = f.table_code
 AND d.row_code = f.row_code AND d.col_code = f.col_code;
