SELECT report_id, source_path, file_format, layout, template_version, year, body,
       province, city, county, division_code, published_on, ingested_at, parser_version,
       body_source, body_id, source_url, status, duplicate_of, superseded_by,
       (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id) AS facts,
       (SELECT count(*) FROM parse_warnings w WHERE w.report_id = r.report_id) AS parse_warnings
FROM reports r
ORDER BY year, province, city, county, body, report_id;
