-- The reports a validation run checks, numbered so each suite can take them in
-- chunks of a bounded size (check_scope holds the current chunk).
CREATE OR REPLACE TEMP TABLE check_chunks AS
SELECT report_id, template_version, row_number() OVER (ORDER BY report_id) - 1 AS rn FROM reports;
CREATE OR REPLACE TEMP TABLE check_scope (report_id VARCHAR, template_version VARCHAR);
