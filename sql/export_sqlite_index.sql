CREATE INDEX "idx_$table_$column" ON "$table" ("$column")
