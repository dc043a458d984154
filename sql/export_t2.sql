-- t2.csv: wide, one row per report x row in printed order.
SELECT * EXCLUDE (sort_order) FROM v_t2 ORDER BY year, body, report_id, sort_order;
