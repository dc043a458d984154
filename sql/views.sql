-- Analyst views, recreated on every connect. Documented in docs/data-dictionary.md.

CREATE OR REPLACE VIEW v_facts AS
SELECT f.report_id, r.year, r.body, r.province, r.city, r.county, r.division_code,
       r.template_version, f.table_code, f.row_code, f.col_code,
       d.row_label_zh, d.col_label_zh, f.value, f.raw_text, f.locator, d.sort_order
FROM facts f
JOIN reports r USING (report_id)
LEFT JOIN dim_cells d
  ON d.template_version = r.template_version AND d.table_code = f.table_code
 AND d.row_code = f.row_code AND d.col_code = f.col_code;

-- One row per report: the measures analysts compare. Rates are NULL when their
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
SELECT r.report_id, r.year, r.body, r.province, r.city, r.county, r.division_code, r.template_version,
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
LEFT JOIN p USING (report_id)
LEFT JOIN n USING (report_id)
LEFT JOIN c USING (report_id);
