-- The report pages' cell text, rendered in DuckDB so 200 cells a report never become
-- Python rows: site_num is report_page.number (an integer as an integer, else Python's
-- :g, which fmt's {:g} matches), site_esc is html.escape(quote=True).
CREATE OR REPLACE TEMP MACRO site_num(x) AS
    CASE WHEN x IS NULL THEN NULL
         WHEN CAST(x AS DOUBLE) = trunc(CAST(x AS DOUBLE)) THEN CAST(CAST(CAST(x AS DOUBLE) AS HUGEINT) AS VARCHAR)
         ELSE format('{:g}', CAST(x AS DOUBLE)) END;
CREATE OR REPLACE TEMP MACRO site_esc(x) AS
    replace(replace(replace(replace(replace(x, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;');
