-- Write the review status of every check a decision matches (see review_match.sql).
UPDATE check_results SET review_status = m.status, decision_id = m.decision_id
FROM ($match) m
WHERE check_results.report_id = m.report_id AND check_results.check_name = m.check_name;
