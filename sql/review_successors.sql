-- Where a decided report went: the report now at its source path, else the one
-- report of the same body and year. review_lost: id, report_id, source_path, body, year.
SELECT l.id,
       coalesce(
           (SELECT min(r.report_id) FROM reports r WHERE r.source_path = l.source_path),
           (SELECT CASE WHEN count(*) = 1 THEN min(r.report_id) END FROM reports r
             WHERE r.body = l.body AND r.year = TRY_CAST(l.year AS INTEGER))) AS successor
FROM review_lost l;
