SELECT *, province_code(division_code) AS province_code FROM reports
