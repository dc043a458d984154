-- t3.csv: wide, one row per report x row in printed order (<filter>: see export_facts.sql).
SELECT * EXCLUDE (sort_order) REPLACE (csv_text(body) AS body, csv_num(upheld) AS upheld, csv_num(corrected) AS corrected, csv_num(other) AS other, csv_num(pending) AS pending, csv_num(total) AS total)
FROM v_t3
WHERE $filter
ORDER BY year, body, report_id, sort_order
