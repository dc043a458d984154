SELECT c.table_name, lower(t.table_type), c.column_name, c.data_type
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'main'
ORDER BY CASE WHEN t.table_type = 'VIEW' THEN 1 ELSE 0 END, c.table_name, c.ordinal_position;
