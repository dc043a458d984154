SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM facts) AS facts,
       (SELECT count(*) FROM parse_warnings) AS parse_warnings,
       (SELECT count(*) FROM quarantine) AS quarantined;
