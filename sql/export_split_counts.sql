-- Rows of one CSV export by year, province and city code: decides whether it is split.
SELECT coalesce(year, 0) AS year, province_code(division_code) AS province_code,
       city_code(division_code) AS city_code, count(*) AS rows
FROM ($query)
GROUP BY ALL
ORDER BY ALL
