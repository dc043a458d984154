-- The columns of every table, to add what an older warehouse lacks.
SELECT table_name, column_name, data_type, column_default
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name IN (SELECT table_name FROM duckdb_tables()
                     WHERE database_name = current_database() AND schema_name = 'main')
ORDER BY table_name, column_index
