-- Plausibility frame: a score per report and measure, 1.0 being the edge of plausible.
-- Review and litigation cases against applications handled; disclosure, not-held and
-- review-correction rates against peers of the same year by median and MAD (robust:
-- a peer group of zeros has MAD 0 and then yields no score rather than infinity).
WITH s AS (SELECT * FROM v_report_summary),
ratio AS (
    SELECT report_id, year,
           review_total + litigation_total AS cases, handled,
           (review_total + litigation_total) / greatest(coalesce(handled, 0), 1) AS cases_per_handled,
           disclosure_rate, not_held_rate, review_correction_rate
    FROM s
),
long AS (
    SELECT report_id, year, 'disclosure_rate' AS measure, disclosure_rate AS rate FROM ratio
    UNION ALL SELECT report_id, year, 'not_held_rate', not_held_rate FROM ratio
    UNION ALL SELECT report_id, year, 'review_correction_rate', review_correction_rate FROM ratio
),
med AS (
    SELECT year, measure, median(rate) AS m, count(rate) AS n FROM long WHERE rate IS NOT NULL GROUP BY ALL
),
mad AS (
    SELECT l.year, l.measure, median(abs(l.rate - med.m)) AS mad
    FROM long l JOIN med USING (year, measure) WHERE l.rate IS NOT NULL GROUP BY ALL
)
SELECT report_id,
       'plausibility.cases_vs_handled' AS check_name,
       cases_per_handled AS observed,
       1.0 AS expected,
       cases_per_handled AS score,
       format('{} review + litigation cases against {} applications handled ({}x): more cases than applications',
              cases, handled, round(cases_per_handled, 2)) AS message
FROM ratio WHERE cases IS NOT NULL
UNION ALL
SELECT l.report_id,
       'plausibility.' || l.measure || '_vs_peers',
       l.rate,
       med.m,
       abs(l.rate - med.m) / (1.4826 * mad.mad) / 3.5,
       format('{} {} against a median of {} among {} reports of {} (robust z {})',
              l.measure, round(l.rate, 3), round(med.m, 3), med.n, l.year,
              round((l.rate - med.m) / (1.4826 * mad.mad), 1))
FROM long l JOIN med USING (year, measure) JOIN mad USING (year, measure)
WHERE l.rate IS NOT NULL AND med.n >= 5 AND mad.mad > 0;
