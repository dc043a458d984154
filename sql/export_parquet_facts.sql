-- facts with their report's place and the labels of their cell (v_facts).
SELECT *, province_code(division_code) AS province_code FROM v_facts
