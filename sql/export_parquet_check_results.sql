SELECT c.*, r.year, r.body, r.province, r.city, r.county, r.division_code,
       province_code(r.division_code) AS province_code
FROM check_results c JOIN reports r USING (report_id)
