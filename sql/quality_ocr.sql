-- The chunk's reports with cells read by OCR (report_id between $lo and $hi): how many
-- cells OCR read, how many are suspect, and how the report's identities came out: the
-- evidence the page gives that OCR read the numbers right.
WITH o AS (
    SELECT report_id,
           count(*) FILTER (WHERE source = 'ocr') AS ocr_cells,
           count(*) FILTER (WHERE source = 'ocr' AND suspect) AS suspect_cells
    FROM facts
    WHERE report_id BETWEEN $lo AND $hi
    GROUP BY report_id
    HAVING count(*) FILTER (WHERE source = 'ocr') > 0
)
SELECT o.report_id, o.ocr_cells, o.suspect_cells,
       count(c.check_name) FILTER (WHERE c.passed) AS held,
       count(c.check_name) FILTER (WHERE NOT c.passed) AS broken,
       count(c.check_name) FILTER (WHERE c.passed IS NULL) AS incomplete
FROM o
LEFT JOIN check_results c ON c.report_id = o.report_id AND c.suite = 'identities'
GROUP BY o.report_id, o.ocr_cells, o.suspect_cells
ORDER BY o.report_id;
