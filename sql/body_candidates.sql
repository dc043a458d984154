-- The distinct printed body x division code pairs to identify (pipeline/bodies.py).
SELECT DISTINCT body, division_code FROM reports WHERE body IS NOT NULL;
