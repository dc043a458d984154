-- summary.xlsx: table 2 of every report, wide, in printed order.
SELECT * EXCLUDE (sort_order) FROM v_t2 ORDER BY year, body, report_id, sort_order
