-- report_summary.csv: v_report_summary, counts as integers.
SELECT * REPLACE (
    csv_text(body) AS body, csv_num(received) AS received, csv_num(carried_over) AS carried_over,
    csv_num(handled) AS handled, csv_num(granted) AS granted, csv_num(partially_granted) AS partially_granted,
    csv_num(withheld) AS withheld, csv_num(unavailable) AS unavailable, csv_num(not_held) AS not_held,
    csv_num(not_processed) AS not_processed, csv_num(other_processing) AS other_processing,
    csv_num(carried_forward) AS carried_forward, csv_num(review_total) AS review_total,
    csv_num(review_corrected) AS review_corrected, csv_num(litigation_total) AS litigation_total,
    csv_num(litigation_corrected) AS litigation_corrected,
    csv_num(normative_documents_in_force) AS normative_documents_in_force,
    csv_num(proactive_published) AS proactive_published)
FROM v_report_summary
WHERE $filter
ORDER BY year, province, city, county, body, report_id
