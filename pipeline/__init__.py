"""ogi: China's government information disclosure annual reports -> a DuckDB warehouse."""

__version__ = "0.1.0"
# Bump when parsing changes what a file yields: the next run re-parses every file.
PARSER_VERSION = "2"
DEFAULT_DB = "data/curated/warehouse.duckdb"
