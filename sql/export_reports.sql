-- reports.csv: one row per report with its counts of facts and parse warnings.
SELECT report_id, csv_text(source_path) AS source_path, file_format, layout, template_version, year,
       csv_text(body) AS body, province, city, county, division_code, published_on, ingested_at, parser_version,
       body_source, csv_text(body_id) AS body_id, csv_text(source_url) AS source_url, status, duplicate_of,
       superseded_by,
       (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id) AS facts,
       (SELECT count(*) FROM parse_warnings w WHERE w.report_id = r.report_id) AS parse_warnings
FROM reports r
WHERE $filter
ORDER BY year, province, city, county, body, report_id
