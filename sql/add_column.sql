-- A column added to a table since an older warehouse was made; the names and type come
-- from DuckDB's own catalogue of sql/schema.sql, never from input.
ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{column}" {data_type}{default}
