-- t1.csv: wide, one row per report x row in printed order (<filter>: see export_facts.sql).
SELECT * EXCLUDE (sort_order) REPLACE (csv_text(body) AS body, csv_num(issued) AS issued, csv_num(repealed) AS repealed, csv_num(in_force) AS in_force, csv_num(decisions) AS decisions, csv_num(amount_10k_yuan) AS amount_10k_yuan, csv_num(made) AS made, csv_num(published) AS published, csv_num(published_total) AS published_total, csv_num(prior_year_items) AS prior_year_items, csv_num(change) AS change, csv_num(items) AS items)
FROM v_t1
WHERE $filter
ORDER BY year, body, report_id, sort_order
