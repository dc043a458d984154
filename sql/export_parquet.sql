-- One analyst table to Parquet, hive layout year=/province_code=/ with ASCII keys
-- (Spark and Hive decode percent-encoded Chinese folder names byte by byte), and the
-- partition columns also inside every file so each file stands on its own.
-- <select> is one of the export_parquet_*.sql queries; <out> the target folder.
COPY ($select) TO '$out' (FORMAT parquet, PARTITION_BY (year, province_code), WRITE_PARTITION_COLUMNS true,
                          COMPRESSION zstd)
