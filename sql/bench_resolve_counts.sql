-- Benchmark only: reports and active reports after resolution.
SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM reports;
