-- ogi.sqlite: one table or analyst view, every row.
SELECT * FROM $source
