-- Integrity frame: each active report with a body and year beside the number of active
-- reports of its body-year. More than one means two versions that cannot be ordered
-- (same published_on, or no date and the same file mtime): a person must decide.
WITH active AS (
    SELECT report_id, body_id, coalesce(body, body_id) AS body, year, published_on, source_path
    FROM reports
    WHERE status = 'active' AND body_id IS NOT NULL AND year IS NOT NULL
),
per AS (
    SELECT body_id, year, count(*) AS n,
           string_agg(left(report_id, 12) || ' ' || source_path, '; ' ORDER BY source_path) AS files
    FROM active GROUP BY body_id, year
)
SELECT a.report_id,
       'integrity.one_report_per_body_year' AS check_name,
       CAST(p.n AS DOUBLE) AS observed,
       CAST(1 AS DOUBLE) AS expected,
       format('{} {}: {} active reports that cannot be ordered (published_on {}): {}',
              a.body, a.year, p.n, coalesce(CAST(a.published_on AS VARCHAR), 'not printed'), p.files) AS message
FROM active a JOIN per p USING (body_id, year);
