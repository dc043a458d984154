-- Serve corrected cells: undo every earlier correction, then apply the active ones
-- (review_corrections: id, report_id, table_code, row_code, col_code, value).
-- facts.parsed_value keeps the value as parsed; corrected_by names the decision.
DELETE FROM facts WHERE corrected_by IS NOT NULL AND locator LIKE 'review decision %';
UPDATE facts SET value = parsed_value, corrected_by = NULL WHERE corrected_by IS NOT NULL;
UPDATE facts SET parsed_value = coalesce(facts.parsed_value, facts.value), value = c.value, corrected_by = c.id
FROM review_corrections c
WHERE facts.report_id = c.report_id AND facts.table_code = c.table_code
  AND facts.row_code = c.row_code AND facts.col_code = c.col_code;
INSERT INTO facts (report_id, table_code, row_code, col_code, value, raw_text, locator, parsed_value, corrected_by)
SELECT c.report_id, c.table_code, c.row_code, c.col_code, c.value, NULL, 'review decision ' || c.id, NULL, c.id
FROM review_corrections c
WHERE c.report_id IN (SELECT report_id FROM reports)
  AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.report_id = c.report_id AND f.table_code = c.table_code
                    AND f.row_code = c.row_code AND f.col_code = c.col_code);
