-- A rollup view (<view>) by province name: its province code from the reports' division codes.
WITH codes AS (
    SELECT province, min(province_code(division_code)) AS province_code FROM reports GROUP BY province
)
SELECT v.*, coalesce(codes.province_code, 'unknown') AS province_code
FROM $view v LEFT JOIN codes USING (province)
