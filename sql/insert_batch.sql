-- Bulk-load one batch from the registered frames incoming_*.
INSERT INTO reports BY NAME SELECT * FROM incoming_reports;
INSERT INTO facts BY NAME SELECT *, value AS parsed_value FROM incoming_facts;
INSERT INTO narrative_facts BY NAME SELECT * FROM incoming_narrative;
INSERT INTO parse_warnings BY NAME SELECT * FROM incoming_warnings;
