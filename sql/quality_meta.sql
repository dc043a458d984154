SELECT r.report_id, r.source_path, r.file_format, r.layout, r.template_version, r.year, r.body,
       r.province, r.city, r.county, r.division_code, r.published_on, r.source_missing
FROM reports r JOIN site_scope USING (report_id);
