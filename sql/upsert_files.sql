-- Record what this batch saw of each file; a loaded file leaves quarantine.
DELETE FROM files WHERE source_path IN (SELECT source_path FROM incoming_files);
INSERT INTO files BY NAME SELECT * FROM incoming_files;
DELETE FROM quarantine
WHERE source_path IN (SELECT source_path FROM incoming_files WHERE status <> 'quarantined');
UPDATE quarantine q SET last_seen = i.last_seen, reason = i.reason
FROM incoming_quarantine i
WHERE q.source_path = i.source_path AND q.sha256 = i.sha256;
DELETE FROM quarantine
WHERE source_path IN (SELECT source_path FROM incoming_quarantine)
  AND sha256 NOT IN (SELECT sha256 FROM incoming_quarantine);
INSERT INTO quarantine BY NAME
SELECT * FROM incoming_quarantine i
WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source_path = i.source_path AND q.sha256 = i.sha256);
