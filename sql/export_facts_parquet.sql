-- Parquet hand-off for Spark, Trino, pandas: hive layout year=/province=/.
-- $out is replaced with the target folder (COPY takes no bound parameter).
COPY (
    SELECT report_id, coalesce(year, 0) AS year, coalesce(province, 'unknown') AS province,
           city, county, division_code, body, template_version,
           table_code, row_code, col_code, row_label_zh, col_label_zh,
           CAST(value AS DOUBLE) AS value, raw_text, locator
    FROM v_facts
    WHERE report_id IN (SELECT report_id FROM reports WHERE status = 'active')
) TO '$out' (FORMAT parquet, PARTITION_BY (year, province));
