-- The warehouse's tables (to tell a new file from one made before schema versions were recorded).
SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
