-- dim_cells is generated from pipeline/template.py on every connect.
DELETE FROM dim_cells;
INSERT INTO dim_cells BY NAME SELECT * FROM incoming_dim_cells;
