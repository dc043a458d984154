-- summary.xlsx, sheet 汇总: v_report_summary.
SELECT * FROM v_report_summary ORDER BY year, province, city, county, body, report_id
