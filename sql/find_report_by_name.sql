-- Reports for `ogi show REF [YEAR]`: REF is an id prefix, a source path (or part of one)
-- or part of the issuing body's name ($1); $2 the year, NULL for any. `exact` ranks an id
-- prefix or a whole source path above substring matches.
SELECT report_id, year, body, source_path,
       starts_with(report_id, $1) OR source_path = $1 AS exact
FROM reports
WHERE (starts_with(report_id, $1) OR contains(source_path, $1) OR contains(coalesce(body, ''), $1))
  AND ($2::INTEGER IS NULL OR year = $2::INTEGER)
ORDER BY exact DESC, body, year, report_id;
