-- Benchmark only: grow a warehouse to $n reports by copying the reports of the
-- warehouse at $seed under new ids, bodies and years (facts copied alongside); each
-- copy is its own body-year (the seed's year stays in the body's name).
ATTACH '$seed' AS s (READ_ONLY);
CREATE TEMP TABLE copies AS
SELECT r.report_id AS src, sha256(r.report_id || ':' || i) AS report_id, i
FROM s.reports r, range(CAST(ceil($n / (SELECT count(*) FROM s.reports)) AS BIGINT)) t(i)
QUALIFY row_number() OVER () <= $n;

INSERT INTO reports BY NAME
SELECT c.report_id, r.source_path || '#' || c.i AS source_path, r.file_format, r.layout, r.template_version,
       2019 + c.i % 6 AS year, r.body || '#' || c.i || '/' || r.year AS body, r.province, r.city, r.county,
       r.division_code, r.published_on, r.ingested_at, r.parser_version, FALSE AS source_missing, r.facts_fp
FROM copies c JOIN s.reports r ON r.report_id = c.src;

INSERT INTO facts BY NAME
SELECT c.report_id, f.table_code, f.row_code, f.col_code, f.value, f.raw_text, f.locator, f.value AS parsed_value
FROM copies c JOIN s.facts f ON f.report_id = c.src;

INSERT INTO narrative_facts BY NAME
SELECT c.report_id, n.metric, n.value, n.sentence
FROM copies c JOIN s.narrative_facts n ON n.report_id = c.src;

DROP TABLE copies;
DETACH s;
