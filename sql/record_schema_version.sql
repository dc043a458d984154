INSERT INTO schema_info VALUES (?, ?, now()::TIMESTAMP)
