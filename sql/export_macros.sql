-- Cell formatting for the CSV, XLSX and SQLite exports, as temporary macros (the
-- export reads the warehouse through a read-only connection).

-- A text cell from a report that Excel would take for a formula (=, +, -, @, or a
-- leading tab/CR) gets a leading apostrophe; plain signed numbers and runs of dashes
-- (how blank cells are printed) are not formulas and stay as printed.
CREATE OR REPLACE TEMP MACRO csv_text(x) AS
    CASE WHEN regexp_matches(x, '^[=+\-@\t\r]')
          AND NOT regexp_full_match(x, '[+-]?[0-9]+([.][0-9]+)?|[-—–]+')
         THEN '''' || x ELSE x END;

-- A count as people write it (25, not 25.0000); a decimal exactly, without trailing zeros.
CREATE OR REPLACE TEMP MACRO csv_num(x) AS
    CASE WHEN x IS NULL THEN NULL
         WHEN x = trunc(x) THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
         ELSE rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.') END;

-- The ASCII partition key: the province's two digits of GB/T 2260 (44 = 广东省).
CREATE OR REPLACE TEMP MACRO province_code(dc) AS
    CASE WHEN regexp_full_match(dc, '[1-9][0-9]{5}') THEN left(dc, 2) ELSE 'unknown' END;

-- The city's four digits (4403 = 深圳市), the split of last resort for Excel-sized CSVs.
CREATE OR REPLACE TEMP MACRO city_code(dc) AS
    CASE WHEN regexp_full_match(dc, '[1-9][0-9]{5}') THEN left(dc, 4) ELSE 'unknown' END;
