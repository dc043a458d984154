-- facts of the active reports with their report's place and the labels of their cell (v_facts).
SELECT *, province_code(division_code) AS province_code FROM v_facts
WHERE report_id IN (SELECT report_id FROM reports WHERE status = 'active')
