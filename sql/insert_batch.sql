-- Bulk-load one batch from the registered frames incoming_*.
INSERT INTO reports BY NAME SELECT * FROM incoming_reports;
INSERT INTO parsed_metadata BY NAME
SELECT report_id, year, body, body_source, province, city, county, division_code, published_on FROM incoming_reports;
INSERT INTO facts BY NAME SELECT *, value AS parsed_value FROM incoming_facts;
INSERT INTO narrative_facts BY NAME SELECT * FROM incoming_narrative;
INSERT INTO parse_warnings BY NAME SELECT * FROM incoming_warnings;
