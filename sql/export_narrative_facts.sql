-- narrative_facts.csv: figures stated in the report's text, with their sentence.
SELECT n.report_id, r.year, csv_text(r.body) AS body, r.division_code, n.metric, csv_num(n.value) AS value,
       csv_text(n.sentence) AS sentence
FROM narrative_facts n JOIN reports r USING (report_id)
WHERE $filter
ORDER BY r.year, n.report_id, n.metric
