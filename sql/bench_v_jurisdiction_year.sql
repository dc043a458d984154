-- Benchmark: the whole view, every row fetched.
SELECT * FROM v_jurisdiction_year;
