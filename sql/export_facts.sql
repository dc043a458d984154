-- facts.csv: one row per cell of the active reports (one per body-year), codes beside
-- labels. <filter> narrows it to one part (a year, a province, a city) when the whole
-- would pass Excel's row limit.
SELECT report_id, year, csv_text(body) AS body, province, city, county, division_code, template_version,
       table_code, row_code, col_code, row_label_zh, col_label_zh, csv_num(value) AS value,
       csv_text(raw_text) AS raw_text, csv_text(locator) AS locator
FROM v_facts
WHERE report_id IN (SELECT report_id FROM reports WHERE status = 'active') AND $filter
ORDER BY year, province, city, county, report_id, sort_order
