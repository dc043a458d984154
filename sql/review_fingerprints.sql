-- A report's fingerprint: its bytes (report_id) and its parsed facts. A review
-- decision records it; a report whose bytes or facts differ later makes it stale.
-- Cells a correction added (locator 'review decision N') are not part of it.
SELECT f.report_id,
       sha256(f.report_id || '|' || string_agg(
           f.table_code || '.' || f.row_code || '.' || f.col_code || '=' ||
           coalesce(CAST(coalesce(f.parsed_value, f.value) AS VARCHAR), '∅'), ','
           ORDER BY f.table_code, f.row_code, f.col_code)) AS fingerprint
FROM facts f
WHERE f.report_id IN (SELECT report_id FROM review_reports)
  AND f.locator NOT LIKE 'review decision %'
GROUP BY f.report_id;
