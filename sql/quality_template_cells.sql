-- Each template's cells in printed order, with their labels: the layout of a report
-- page's three tables, built once per template version.
SELECT template_version, table_code, row_code, col_code, row_label_zh, col_label_zh
FROM dim_cells
ORDER BY template_version, sort_order;
