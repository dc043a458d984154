-- Effective metadata: what the parser read (parsed_metadata), overridden field by
-- field by the sidecar manifest (incoming_sidecar, one row per report). Recomputed
-- after every ingest, so an edited or removed manifest row takes effect without a
-- re-parse. Reports without parsed_metadata (loaded by other means) are left alone.
UPDATE reports
SET year = x.year, body = x.body, body_source = x.body_source, province = x.province, city = x.city,
    county = x.county, division_code = x.division_code, published_on = x.published_on, source_url = x.source_url
FROM (
    SELECT p.report_id,
           coalesce(s.year, p.year) AS year,
           coalesce(s.body, p.body) AS body,
           CASE WHEN s.body IS NOT NULL THEN 'sidecar' ELSE p.body_source END AS body_source,
           CASE WHEN s.division_code IS NOT NULL THEN s.province ELSE p.province END AS province,
           CASE WHEN s.division_code IS NOT NULL THEN s.city ELSE p.city END AS city,
           CASE WHEN s.division_code IS NOT NULL THEN s.county ELSE p.county END AS county,
           coalesce(s.division_code, p.division_code) AS division_code,
           coalesce(s.published_on, p.published_on) AS published_on,
           s.source_url
    FROM parsed_metadata p LEFT JOIN incoming_sidecar s USING (report_id)
) x
WHERE reports.report_id = x.report_id
  AND (reports.year IS DISTINCT FROM x.year OR reports.body IS DISTINCT FROM x.body
       OR reports.body_source IS DISTINCT FROM x.body_source OR reports.province IS DISTINCT FROM x.province
       OR reports.city IS DISTINCT FROM x.city OR reports.county IS DISTINCT FROM x.county
       OR reports.division_code IS DISTINCT FROM x.division_code
       OR reports.published_on IS DISTINCT FROM x.published_on OR reports.source_url IS DISTINCT FROM x.source_url);

DELETE FROM sidecar;
INSERT INTO sidecar BY NAME
SELECT manifest, line, source_path, report_id, source_url, body, division_code, year, published_on FROM incoming_sidecar;
