SELECT * FROM v_report_summary ORDER BY year, province, city, county, body, report_id;
