-- Every report, in the site's order: province -> city -> county -> body -> year.
SELECT report_id, coalesce(province, '') AS province, coalesce(city, '') AS city, coalesce(county, '') AS county,
       coalesce(body, '') AS body, year, coalesce(division_code, '') AS division_code
FROM reports
ORDER BY province NULLS LAST, city NULLS LAST, county NULLS LAST, body, year, report_id;
