-- t2.csv: wide, one row per report x row in printed order (<filter>: see export_facts.sql).
SELECT * EXCLUDE (sort_order) REPLACE (csv_text(body) AS body, csv_num(natural_person) AS natural_person, csv_num(commercial_enterprise) AS commercial_enterprise, csv_num(research_institution) AS research_institution, csv_num(social_welfare_org) AS social_welfare_org, csv_num(legal_service_org) AS legal_service_org, csv_num(other_org) AS other_org, csv_num(total) AS total)
FROM v_t2
WHERE $filter
ORDER BY year, body, report_id, sort_order
