INSERT INTO ingest_runs BY NAME SELECT * FROM incoming_run;
