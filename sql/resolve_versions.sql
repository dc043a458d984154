-- One active report per body-year (pipeline/bodies.py runs this after every ingest).
-- Computed from the reports' content and their files alone, so it is the same
-- whatever order the files were ingested in.
--
-- Key: body_id, else the printed body + division code ('unresolved:...'); reports
-- with neither a body nor a year stay active on their own.
-- Same report: same key, year, template version, published_on and every fact's
-- value (another encoding or format of one file). Its primary is the first by
-- (file still present, format: txt, html, docx, other, pdf - the text-native first -,
-- source_path, report_id); the others are 'duplicate' with duplicate_of -> the primary.
-- Versions of one body-year: ordered by published_on when every version prints one,
-- else by file mtime (newest last). The latest is 'active'; each earlier one is
-- 'superseded' with superseded_by -> the next later version. Versions that tie for
-- latest cannot be ordered: all stay active and integrity.one_report_per_body_year
-- names them.
CREATE OR REPLACE TEMP TABLE resolved_versions AS
WITH fp AS (  -- only for reports loaded without a fingerprint (pipeline/parse.py computes it)
    SELECT report_id,
           md5(string_agg(table_code || '.' || row_code || '.' || col_code || '=' || coalesce(CAST(value AS VARCHAR), '-'),
                          ';' ORDER BY table_code, row_code, col_code)) AS facts_fp
    FROM facts WHERE report_id IN (SELECT report_id FROM reports WHERE facts_fp IS NULL)
    GROUP BY report_id
),
keyed AS (
    SELECT r.report_id, r.source_path, coalesce(r.source_missing, FALSE) AS source_missing, r.year, r.published_on,
           CASE r.file_format WHEN 'txt' THEN 1 WHEN 'html' THEN 2 WHEN 'docx' THEN 3 WHEN 'pdf' THEN 5 ELSE 4 END AS format_rank,
           coalesce(r.body_id, 'unresolved:' || coalesce(r.division_code, '') || ':' || r.body) AS body_key,
           f.mtime_ns,
           md5(concat_ws('|', coalesce(r.template_version, ''), coalesce(CAST(r.published_on AS VARCHAR), ''),
                         coalesce(r.facts_fp, fp.facts_fp, ''))) AS content
    FROM reports r
    LEFT JOIN fp USING (report_id)
    LEFT JOIN files f ON f.source_path = r.source_path
    WHERE r.year IS NOT NULL AND (r.body_id IS NOT NULL OR r.body IS NOT NULL)
),
grouped AS (
    SELECT *,
           first_value(report_id) OVER (PARTITION BY body_key, year, content
                                        ORDER BY source_missing, format_rank, source_path, report_id) AS primary_id,
           max(mtime_ns) OVER (PARTITION BY body_key, year, content) AS version_mtime
    FROM keyed
),
versions AS (
    SELECT DISTINCT body_key, year, primary_id, published_on, version_mtime FROM grouped
),
ordered AS (
    SELECT *,
           CASE WHEN bool_and(published_on IS NOT NULL) OVER (PARTITION BY body_key, year)
                THEN CAST(date_diff('day', DATE '1970-01-01', published_on) AS BIGINT)
                ELSE version_mtime END AS order_key
    FROM versions
),
ranked AS (
    SELECT *, dense_rank() OVER (PARTITION BY body_key, year ORDER BY order_key DESC NULLS LAST) AS version_rank
    FROM ordered
),
linked AS (
    SELECT cur.primary_id,
           CASE WHEN cur.version_rank = 1 THEN 'active' ELSE 'superseded' END AS status,
           (SELECT min(nxt.primary_id) FROM ranked nxt
            WHERE nxt.body_key = cur.body_key AND nxt.year = cur.year AND nxt.version_rank = cur.version_rank - 1) AS superseded_by
    FROM ranked cur
)
SELECT g.report_id,
       CASE WHEN g.report_id = g.primary_id THEN l.status ELSE 'duplicate' END AS status,
       CASE WHEN g.report_id <> g.primary_id THEN g.primary_id END AS duplicate_of,
       CASE WHEN g.report_id = g.primary_id THEN l.superseded_by END AS superseded_by
FROM grouped g JOIN linked l USING (primary_id);

UPDATE reports SET status = coalesce(v.status, 'active'), duplicate_of = v.duplicate_of, superseded_by = v.superseded_by
FROM (SELECT r.report_id, v.status, v.duplicate_of, v.superseded_by
      FROM reports r LEFT JOIN resolved_versions v USING (report_id)) v
WHERE reports.report_id = v.report_id
  AND (reports.status IS DISTINCT FROM coalesce(v.status, 'active')
       OR reports.duplicate_of IS DISTINCT FROM v.duplicate_of
       OR reports.superseded_by IS DISTINCT FROM v.superseded_by);

DROP TABLE resolved_versions;
