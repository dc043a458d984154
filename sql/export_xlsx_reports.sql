-- summary.xlsx, sheet 报告: one row per report.
SELECT year, province, city, county, body, division_code, template_version, file_format, published_on,
       report_id, source_path
FROM reports
ORDER BY year, province, city, county, body, report_id
