-- The current chunk of reports: rows $1 <= rn < $2 of check_chunks.
DELETE FROM check_scope;
INSERT INTO check_scope SELECT report_id, template_version FROM check_chunks WHERE rn >= $1 AND rn < $2;
