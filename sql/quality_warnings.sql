-- The chunk's parse warnings (report_id between $lo and $hi).
SELECT w.report_id, w.stage, w.message FROM parse_warnings w WHERE w.report_id BETWEEN $lo AND $hi ORDER BY ALL;
