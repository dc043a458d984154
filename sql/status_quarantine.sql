SELECT source_path, reason, first_seen, last_seen FROM quarantine ORDER BY source_path;
