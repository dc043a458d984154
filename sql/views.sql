-- Analyst views, recreated on every connect. Documented in docs/data-dictionary.md.

CREATE OR REPLACE VIEW v_facts AS
SELECT f.report_id, r.year, r.body, r.province, r.city, r.county, r.division_code,
       r.template_version, f.table_code, f.row_code, f.col_code,
       d.row_label_zh, d.col_label_zh, f.value, f.raw_text, f.locator, d.sort_order,
       f.parsed_value, f.corrected_by
FROM facts f
JOIN reports r USING (report_id)
LEFT JOIN dim_cells d
  ON d.template_version = r.template_version AND d.table_code = f.table_code
 AND d.row_code = f.row_code AND d.col_code = f.col_code;

-- One row per active report, i.e. per body-year (duplicates and superseded versions
-- stay in `reports`): the measures analysts compare. Rates are NULL when their
-- denominator is 0 or unknown, never a division error.
CREATE OR REPLACE VIEW v_report_summary AS
WITH p AS (
    SELECT f.report_id,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'new_received' THEN f.value END) AS received,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'carried_over' THEN f.value END) AS carried_over,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'total_handled' THEN f.value END) AS handled,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'granted' THEN f.value END) AS granted,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'partially_granted' THEN f.value END) AS partially_granted,
        sum(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code LIKE 'withheld%' THEN f.value END) AS withheld,
        sum(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code LIKE 'unavailable%' THEN f.value END) AS unavailable,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'unavailable_not_held' THEN f.value END) AS not_held,
        sum(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code LIKE 'not_processed%' THEN f.value END) AS not_processed,
        sum(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code LIKE 'other%' THEN f.value END) AS other_processing,
        max(CASE WHEN f.table_code = 't2' AND f.col_code = 'total' AND f.row_code = 'carried_forward' THEN f.value END) AS carried_forward,
        max(CASE WHEN f.table_code = 't3' AND f.row_code = 'review' AND f.col_code = 'total' THEN f.value END) AS review_total,
        max(CASE WHEN f.table_code = 't3' AND f.row_code = 'review' AND f.col_code = 'corrected' THEN f.value END) AS review_corrected,
        sum(CASE WHEN f.table_code = 't3' AND f.row_code LIKE 'litigation%' AND f.col_code = 'total' THEN f.value END) AS litigation_total,
        sum(CASE WHEN f.table_code = 't3' AND f.row_code LIKE 'litigation%' AND f.col_code = 'corrected' THEN f.value END) AS litigation_corrected,
        max(CASE WHEN f.table_code = 't1' AND f.row_code = 'normative_document' AND f.col_code IN ('in_force', 'published_total') THEN f.value END) AS normative_documents_in_force
    FROM facts f GROUP BY f.report_id
),
n AS (
    SELECT report_id, max(CASE WHEN metric = 'proactive_published' THEN value END) AS proactive_published
    FROM narrative_facts GROUP BY report_id
),
c AS (
    SELECT report_id,
           count(*) FILTER (WHERE NOT passed AND severity = 'error') AS checks_failed_error,
           count(*) FILTER (WHERE NOT passed AND severity = 'warning') AS checks_failed_warning
    FROM check_results GROUP BY report_id
)
SELECT r.report_id, r.year, r.body, r.body_id, b.name AS body_name, b.level AS body_level, b.body_type,
       r.province, r.city, r.county, r.division_code, r.template_version,
       p.received, p.carried_over, p.handled, p.granted, p.partially_granted, p.withheld, p.unavailable,
       p.not_held, p.not_processed, p.other_processing, p.carried_forward,
       CAST((p.granted + p.partially_granted) / nullif(p.handled, 0) AS DOUBLE) AS disclosure_rate,
       CAST(p.not_held / nullif(p.handled, 0) AS DOUBLE) AS not_held_rate,
       p.review_total, p.review_corrected,
       CAST(p.review_corrected / nullif(p.review_total, 0) AS DOUBLE) AS review_correction_rate,
       p.litigation_total, p.litigation_corrected,
       CAST(p.litigation_corrected / nullif(p.litigation_total, 0) AS DOUBLE) AS litigation_correction_rate,
       p.normative_documents_in_force,
       n.proactive_published,
       coalesce(c.checks_failed_error, 0) AS checks_failed_error,
       coalesce(c.checks_failed_warning, 0) AS checks_failed_warning
FROM reports r
LEFT JOIN bodies b USING (body_id)
LEFT JOIN p USING (report_id)
LEFT JOIN n USING (report_id)
LEFT JOIN c USING (report_id)
WHERE r.status = 'active';

-- Active reports summed at three grains in one pass (GROUPING SETS), per year:
--   province: every report of the province (its own bodies, its cities', its counties');
--   city:     every report of the prefecture (its own bodies and its counties');
--   division: the reports whose most specific division is this code (a county, or a
--             city's or province's own bodies).
-- Rates come from the summed numerators and denominators, never from averaging rates.
-- Reports with no division code sit in the division grain under a NULL code only.
CREATE OR REPLACE VIEW v_rollup_year AS
WITH s AS (
    SELECT *,
           CASE WHEN division_code IS NOT NULL THEN left(division_code, 2) || '0000' END AS province_code,
           CASE WHEN division_code IS NOT NULL AND city IS NOT NULL THEN left(division_code, 4) || '00' END AS city_code
    FROM v_report_summary
)
SELECT CASE WHEN GROUPING(division_code) = 0 THEN 'division'
            WHEN GROUPING(city_code) = 0 THEN 'city' ELSE 'province' END AS grain,
       year,
       CASE WHEN GROUPING(division_code) = 0 THEN division_code
            WHEN GROUPING(city_code) = 0 THEN city_code ELSE province_code END AS division_code,
       province,
       CASE WHEN GROUPING(city) = 0 THEN city END AS city,
       CASE WHEN GROUPING(county) = 0 THEN county END AS county,
       count(*) AS reports,
       count(DISTINCT body_id) AS bodies,
       sum(received) AS received, sum(carried_over) AS carried_over, sum(handled) AS handled,
       sum(granted) AS granted, sum(partially_granted) AS partially_granted, sum(withheld) AS withheld,
       sum(unavailable) AS unavailable, sum(not_held) AS not_held, sum(not_processed) AS not_processed,
       sum(other_processing) AS other_processing, sum(carried_forward) AS carried_forward,
       CAST((sum(granted) + sum(partially_granted)) / nullif(sum(handled), 0) AS DOUBLE) AS disclosure_rate,
       CAST(sum(not_held) / nullif(sum(handled), 0) AS DOUBLE) AS not_held_rate,
       sum(review_total) AS review_total, sum(review_corrected) AS review_corrected,
       CAST(sum(review_corrected) / nullif(sum(review_total), 0) AS DOUBLE) AS review_correction_rate,
       sum(litigation_total) AS litigation_total, sum(litigation_corrected) AS litigation_corrected,
       CAST(sum(litigation_corrected) / nullif(sum(litigation_total), 0) AS DOUBLE) AS litigation_correction_rate,
       sum(normative_documents_in_force) AS normative_documents_in_force,
       sum(proactive_published) AS proactive_published,
       sum(checks_failed_error) AS checks_failed_error, sum(checks_failed_warning) AS checks_failed_warning
FROM s
GROUP BY GROUPING SETS ((year, province_code, province),
                        (year, city_code, province, city),
                        (year, division_code, province, city, county));

-- The division grain with its place names: one row per year x division code
-- (a county, or a city's / province's own bodies); all active reports, unresolved ones
-- under a NULL code.
CREATE OR REPLACE VIEW v_jurisdiction_year AS
SELECT * EXCLUDE (grain) FROM v_rollup_year WHERE grain = 'division'
ORDER BY division_code NULLS LAST, year;

-- One row per year x prefecture-level city (GB/T 2260 code ending 00), in code order.
CREATE OR REPLACE VIEW v_city_year AS
SELECT * EXCLUDE (grain, county) FROM v_rollup_year WHERE grain = 'city' AND division_code IS NOT NULL
ORDER BY division_code, year;

-- One row per year x province (code ending 0000), in code order.
CREATE OR REPLACE VIEW v_province_year AS
SELECT * EXCLUDE (grain, city, county) FROM v_rollup_year WHERE grain = 'province' AND division_code IS NOT NULL
ORDER BY division_code, year;

-- Each rollup row beside the same place's previous year (grain province, city or
-- division). reports/prev_reports show when the set of reporting bodies changed.
CREATE OR REPLACE VIEW v_rollup_yoy AS
SELECT cur.grain, cur.division_code, cur.province, cur.city, cur.county, cur.year,
       cur.reports, prev.reports AS prev_reports,
       cur.received, prev.received AS prev_received, cur.received - prev.received AS received_change,
       cur.handled, prev.handled AS prev_handled, cur.handled - prev.handled AS handled_change,
       cur.disclosure_rate, prev.disclosure_rate AS prev_disclosure_rate,
       cur.disclosure_rate - prev.disclosure_rate AS disclosure_rate_change,
       cur.not_held_rate, prev.not_held_rate AS prev_not_held_rate,
       cur.not_held_rate - prev.not_held_rate AS not_held_rate_change,
       cur.review_total, prev.review_total AS prev_review_total, cur.review_total - prev.review_total AS review_total_change,
       cur.litigation_total, prev.litigation_total AS prev_litigation_total,
       cur.litigation_total - prev.litigation_total AS litigation_total_change
FROM v_rollup_year cur
LEFT JOIN v_rollup_year prev
  ON prev.grain = cur.grain AND prev.division_code = cur.division_code AND prev.year = cur.year - 1
WHERE cur.division_code IS NOT NULL
ORDER BY CASE cur.grain WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END, cur.division_code, cur.year;

-- Each body's measures beside its previous year's (same body_id; reports without a
-- body_id have no previous year).
CREATE OR REPLACE VIEW v_body_yoy AS
SELECT cur.report_id, cur.year, cur.body, cur.body_id, cur.body_name, cur.division_code, prev.report_id AS prev_report_id,
       cur.received, prev.received AS prev_received, cur.received - prev.received AS received_change,
       cur.handled, prev.handled AS prev_handled, cur.handled - prev.handled AS handled_change,
       cur.disclosure_rate, prev.disclosure_rate AS prev_disclosure_rate,
       cur.disclosure_rate - prev.disclosure_rate AS disclosure_rate_change,
       cur.not_held_rate, prev.not_held_rate AS prev_not_held_rate,
       cur.not_held_rate - prev.not_held_rate AS not_held_rate_change,
       cur.review_total, prev.review_total AS prev_review_total, cur.review_total - prev.review_total AS review_total_change,
       cur.litigation_total, prev.litigation_total AS prev_litigation_total,
       cur.litigation_total - prev.litigation_total AS litigation_total_change
FROM v_report_summary cur
LEFT JOIN v_report_summary prev ON prev.body_id = cur.body_id AND prev.year = cur.year - 1;

-- Minimum denominators for a rate to be ranked: a body that handled 1 application
-- has a rate of 0 or 1 and would top or tail every ranking. Defaults, documented in
-- README: 20 applications handled (disclosure and not-held rates, and both years for
-- the change of disclosure rate), 10 administrative review cases.
CREATE OR REPLACE MACRO ranking_min_handled() AS 20;
CREATE OR REPLACE MACRO ranking_min_review_cases() AS 10;

-- Rank (1 = highest) and percentile (0 = lowest) of each active report's rates among
-- the same year's reports in a scope: one row per report x rank_scope (national;
-- province, when known; city, when known). A rate whose denominator is below the
-- minimum is shown but not ranked (rank and percentile NULL).
CREATE OR REPLACE VIEW v_rankings AS
WITH base AS (
    SELECT s.*, y.prev_handled, y.disclosure_rate_change,
           s.handled >= ranking_min_handled() AND s.disclosure_rate IS NOT NULL AS disclosure_rankable,
           s.handled >= ranking_min_handled() AND s.not_held_rate IS NOT NULL AS not_held_rankable,
           s.review_total >= ranking_min_review_cases() AND s.review_correction_rate IS NOT NULL AS review_rankable,
           s.handled >= ranking_min_handled() AND y.prev_handled >= ranking_min_handled()
               AND y.disclosure_rate_change IS NOT NULL AS change_rankable
    FROM v_report_summary s LEFT JOIN v_body_yoy y USING (report_id)
),
scoped AS (
    SELECT *, 'national' AS rank_scope, '000000' AS scope_code FROM base
    UNION ALL
    SELECT *, 'province', left(division_code, 2) || '0000' FROM base WHERE division_code IS NOT NULL
    UNION ALL
    SELECT *, 'city', left(division_code, 4) || '00' FROM base WHERE division_code IS NOT NULL AND city IS NOT NULL
)
SELECT report_id, year, body, body_id, body_name, province, city, county, division_code, rank_scope, scope_code,
       handled, review_total, prev_handled,
       disclosure_rate,
       CASE WHEN disclosure_rankable THEN rank() OVER (PARTITION BY year, rank_scope, scope_code, disclosure_rankable ORDER BY disclosure_rate DESC) END AS disclosure_rank,
       CASE WHEN disclosure_rankable THEN percent_rank() OVER (PARTITION BY year, rank_scope, scope_code, disclosure_rankable ORDER BY disclosure_rate) END AS disclosure_percentile,
       not_held_rate,
       CASE WHEN not_held_rankable THEN rank() OVER (PARTITION BY year, rank_scope, scope_code, not_held_rankable ORDER BY not_held_rate DESC) END AS not_held_rank,
       CASE WHEN not_held_rankable THEN percent_rank() OVER (PARTITION BY year, rank_scope, scope_code, not_held_rankable ORDER BY not_held_rate) END AS not_held_percentile,
       review_correction_rate,
       CASE WHEN review_rankable THEN rank() OVER (PARTITION BY year, rank_scope, scope_code, review_rankable ORDER BY review_correction_rate DESC) END AS review_correction_rank,
       CASE WHEN review_rankable THEN percent_rank() OVER (PARTITION BY year, rank_scope, scope_code, review_rankable ORDER BY review_correction_rate) END AS review_correction_percentile,
       disclosure_rate_change,
       CASE WHEN change_rankable THEN rank() OVER (PARTITION BY year, rank_scope, scope_code, change_rankable ORDER BY disclosure_rate_change DESC) END AS disclosure_rate_change_rank
FROM scoped;

-- Bodies that had an active report in year Y-1 and none in Y, for every Y up to the
-- latest year in the warehouse: missing, not silently absent.
CREATE OR REPLACE VIEW v_missing_reports AS
WITH reported AS (
    SELECT body_id, year, min(report_id) AS report_id
    FROM reports
    WHERE status = 'active' AND body_id IS NOT NULL AND year IS NOT NULL
    GROUP BY body_id, year
)
SELECT b.body_id, b.name AS body_name, b.division_code, b.province, b.city, b.county, b.level AS body_level, b.body_type,
       r.year + 1 AS missing_year, r.year AS last_reported_year, r.report_id AS last_report_id
FROM reported r
JOIN bodies b USING (body_id)
WHERE r.year + 1 <= (SELECT max(year) FROM reported)
  AND NOT EXISTS (SELECT 1 FROM reported n WHERE n.body_id = r.body_id AND n.year = r.year + 1)
ORDER BY b.division_code, b.body_id, missing_year;
