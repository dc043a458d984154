-- --prune: forget files that have gone, and their quarantine entries.
DELETE FROM files WHERE source_path IN (SELECT source_path FROM missing_paths);
DELETE FROM quarantine WHERE source_path IN (SELECT source_path FROM missing_paths);
