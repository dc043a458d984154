-- An OCR'd number that takes part in a failing identity is suspect: a misread digit
-- almost always breaks one of the 勾稽关系, so the failing identity points at it.
UPDATE facts SET suspect = TRUE
WHERE source = 'ocr' AND NOT coalesce(suspect, FALSE) AND value IS NOT NULL AND EXISTS (
    SELECT 1 FROM check_results c
    WHERE c.report_id = facts.report_id AND c.suite = 'identities' AND c.passed = FALSE
      AND list_contains(c.cells, facts.table_code || '.' || facts.row_code || '.' || facts.col_code));
