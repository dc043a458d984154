-- A report whose file has gone from the raw folder stays, marked; one seen again is unmarked.
UPDATE reports SET source_missing = TRUE WHERE source_path IN (SELECT source_path FROM missing_paths);
UPDATE reports SET source_missing = FALSE
WHERE source_missing AND source_path IN (SELECT source_path FROM seen_paths);
