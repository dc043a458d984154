-- Suspect cells of failed identities: in each failed identity, the cells that the
-- most failed identities of the same report cover, when that is at least two (one
-- wrong term breaks its row total and its column identities, which meet at it).
WITH bad AS (
    SELECT report_id, check_name, unnest(cells) AS cell
    FROM check_results WHERE suite = 'identities' AND passed = FALSE
),
cover AS (SELECT report_id, cell, count(*) AS n FROM bad GROUP BY ALL),
scored AS (
    SELECT b.report_id, b.check_name, b.cell, c.n, max(c.n) OVER (PARTITION BY b.report_id, b.check_name) AS top
    FROM bad b JOIN cover c USING (report_id, cell)
),
sus AS (
    SELECT report_id, check_name, list(cell ORDER BY cell) AS suspects
    FROM scored WHERE n = top AND top >= 2 GROUP BY ALL
)
UPDATE check_results SET suspect_cells = sus.suspects
FROM sus
WHERE check_results.suite = 'identities' AND check_results.report_id = sus.report_id
  AND check_results.check_name = sus.check_name;
