-- summary.xlsx: table 1 of every report, wide, in printed order.
SELECT * EXCLUDE (sort_order) FROM v_t1 ORDER BY year, body, report_id, sort_order
