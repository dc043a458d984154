-- Schema 2 -> 3 (and every older warehouse on its way): counts and money as exact
-- decimals with six places (75394432.52元 is 7539.443252 万元), no longer DECIMAL(18, 4).
ALTER TABLE facts ALTER COLUMN value TYPE DECIMAL(24, 6);
ALTER TABLE narrative_facts ALTER COLUMN value TYPE DECIMAL(24, 6);
