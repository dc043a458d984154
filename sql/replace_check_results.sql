-- check_results holds the latest validation run.
DELETE FROM check_results;
INSERT INTO check_results BY NAME SELECT * FROM incoming_check_results;
