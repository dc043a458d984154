-- The analyst views present, with whether they have the columns the partitioning needs.
SELECT v.view_name,
       bool_or(c.column_name = 'year') AS has_year,
       bool_or(c.column_name = 'province_code') AS has_province_code,
       bool_or(c.column_name = 'division_code') AS has_division_code,
       bool_or(c.column_name = 'province') AS has_province
FROM duckdb_views() v
JOIN duckdb_columns() c
  ON c.database_name = v.database_name AND c.schema_name = v.schema_name AND c.table_name = v.view_name
WHERE NOT v.internal AND v.view_name LIKE 'v\_%' ESCAPE '\'
GROUP BY v.view_name
ORDER BY v.view_name
