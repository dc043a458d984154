-- summary.xlsx: table 3 of every report, wide, in printed order.
SELECT * EXCLUDE (sort_order) FROM v_t3 ORDER BY year, body, report_id, sort_order
