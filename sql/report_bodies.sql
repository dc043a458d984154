-- report id -> issuing body, for summaries.
SELECT report_id, coalesce(body, '(body unknown)') FROM reports;
