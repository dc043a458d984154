SELECT *, province_code(division_code) AS province_code FROM v_report_summary
