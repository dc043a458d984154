-- facts.csv: one row per cell of the active reports (one per body-year), codes beside labels.
SELECT report_id, year, body, province, city, county, division_code, template_version,
       table_code, row_code, col_code, row_label_zh, col_label_zh, value, raw_text, locator
FROM v_facts
WHERE report_id IN (SELECT report_id FROM reports WHERE status = 'active')
ORDER BY year, province, city, county, body, report_id, sort_order;
