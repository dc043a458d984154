-- The chunk's reports (report_id between $lo and $hi).
SELECT r.report_id, r.source_path, r.file_format, r.layout, r.template_version, r.year, r.body,
       r.province, r.city, r.county, r.division_code, r.published_on, r.source_missing
FROM reports r
WHERE r.report_id BETWEEN $lo AND $hi
ORDER BY r.report_id;
