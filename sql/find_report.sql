-- A report by id prefix or by source path ($1 = the user's argument).
SELECT report_id, source_path, year, body, province, city, county, division_code,
       template_version, layout, published_on
FROM reports
WHERE report_id LIKE $1 || '%' OR source_path = $1 OR source_path LIKE '%' || $1 || '%'
ORDER BY report_id;
