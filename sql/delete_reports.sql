-- Remove everything loaded from the reports in `doomed(report_id)`, so a
-- changed or re-parsed file replaces its old facts inside one transaction.
DELETE FROM facts WHERE report_id IN (SELECT report_id FROM doomed);
DELETE FROM narrative_facts WHERE report_id IN (SELECT report_id FROM doomed);
DELETE FROM parse_warnings WHERE report_id IN (SELECT report_id FROM doomed);
DELETE FROM check_results WHERE report_id IN (SELECT report_id FROM doomed);
DELETE FROM parsed_metadata WHERE report_id IN (SELECT report_id FROM doomed);
DELETE FROM reports WHERE report_id IN (SELECT report_id FROM doomed);
