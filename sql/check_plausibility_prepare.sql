-- Plausibility, computed once per validation run over every report (peers need them
-- all): a score per report and measure, 1.0 being the edge of plausible.
-- Review and litigation cases against applications handled; disclosure, not-held and
-- review-correction rates against peers by median and MAD (robust: a peer group of
-- zeros has MAD 0 and then yields no score rather than infinity). Peers are the same
-- year's reports of the same body type (government office, department, township) when
-- that group has at least 5 reports with the rate, else the same year's reports.
CREATE OR REPLACE TEMP TABLE check_plausibility_scores AS
WITH s AS (
    SELECT *,
           CASE WHEN regexp_matches(body, '(街道|街道办事处|镇|乡)(人民政府)?$') THEN 'township'
                WHEN regexp_matches(body, '(人民政府|政府)(办公室|办公厅)?$') THEN 'government'
                WHEN regexp_matches(body, '(局|委员会|委|厅|办公室|中心)$') THEN 'department'
           END AS body_type
    FROM v_report_summary
),
ratio AS (
    SELECT report_id, year, body_type,
           review_total + litigation_total AS cases, handled,
           (review_total + litigation_total) / greatest(coalesce(handled, 0), 1) AS cases_per_handled,
           disclosure_rate, not_held_rate, review_correction_rate
    FROM s
),
long0 AS (
    SELECT report_id, year, body_type, 'disclosure_rate' AS measure, disclosure_rate AS rate FROM ratio
    UNION ALL SELECT report_id, year, body_type, 'not_held_rate', not_held_rate FROM ratio
    UNION ALL SELECT report_id, year, body_type, 'review_correction_rate', review_correction_rate FROM ratio
),
typed AS (
    SELECT year, body_type, measure FROM long0
    WHERE rate IS NOT NULL AND body_type IS NOT NULL GROUP BY ALL HAVING count(*) >= 5
),
long AS (
    SELECT l.report_id, l.year, l.measure, l.rate,
           CASE WHEN t.body_type IS NOT NULL THEN l.body_type ELSE 'all' END AS peers
    FROM long0 l LEFT JOIN typed t USING (year, body_type, measure)
),
med AS (
    SELECT year, peers, measure, median(rate) AS m, count(rate) AS n FROM long WHERE rate IS NOT NULL GROUP BY ALL
),
mad AS (
    SELECT l.year, l.peers, l.measure, median(abs(l.rate - med.m)) AS mad
    FROM long l JOIN med USING (year, peers, measure) WHERE l.rate IS NOT NULL GROUP BY ALL
),
cells(measure, cells) AS (
    VALUES ('disclosure_rate', ['t2.granted.total', 't2.partially_granted.total', 't2.total_handled.total']),
           ('not_held_rate', ['t2.unavailable_not_held.total', 't2.total_handled.total']),
           ('review_correction_rate', ['t3.review.corrected', 't3.review.total'])
)
SELECT report_id,
       'plausibility.cases_vs_handled' AS check_name,
       cases_per_handled AS observed,
       1.0 AS expected,
       cases_per_handled AS score,
       ['t3.review.total', 't3.litigation_direct.total', 't3.litigation_after_review.total', 't2.total_handled.total'] AS cells,
       'plausibility.cases' AS message_key,
       to_json({cases: num(cases), handled: num(handled), ratio: round(cases_per_handled, 2)}) AS args
FROM ratio WHERE cases IS NOT NULL
UNION ALL
SELECT l.report_id,
       'plausibility.' || l.measure || '_vs_peers',
       l.rate,
       med.m,
       abs(l.rate - med.m) / (1.4826 * mad.mad) / 3.5,
       c.cells,
       'plausibility.peers',
       to_json({measure: l.measure, rate: round(l.rate, 3), median: round(med.m, 3), n: med.n,
                peers: l.peers, year: l.year, z: round((l.rate - med.m) / (1.4826 * mad.mad), 1)})
FROM long l JOIN med USING (year, peers, measure) JOIN mad USING (year, peers, measure) JOIN cells c USING (measure)
WHERE l.rate IS NOT NULL AND med.n >= 5 AND mad.mad > 0;
