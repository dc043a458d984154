-- A view without a year column: one self-contained file.
COPY ($select) TO '$out' (FORMAT parquet, COMPRESSION zstd)
