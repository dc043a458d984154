SELECT n.*, r.year, r.body, r.province, r.city, r.county, r.division_code,
       province_code(r.division_code) AS province_code
FROM narrative_facts n JOIN reports r USING (report_id)
