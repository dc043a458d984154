-- reports.csv: one row per report with its counts of facts and parse warnings.
SELECT report_id, csv_text(source_path) AS source_path, file_format, layout, template_version, year,
       csv_text(body) AS body, province, city, county, division_code, published_on, ingested_at, parser_version,
       (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id) AS facts,
       (SELECT count(*) FROM parse_warnings w WHERE w.report_id = r.report_id) AS parse_warnings
FROM reports r
WHERE $filter
ORDER BY year, province, city, county, body, report_id
