SELECT max(schema_version) FROM schema_info
