-- The warehouse's tables. Names and columns are the public contract: analysts
-- and other tools query them. Every statement is idempotent.

CREATE TABLE IF NOT EXISTS reports (
    report_id        VARCHAR NOT NULL,   -- SHA-256 of the file's bytes
    source_path      VARCHAR NOT NULL,   -- where the file was read from
    file_format      VARCHAR,            -- txt | docx | pdf | html
    layout           VARCHAR,            -- how the tables were laid out (tab-rows, pipe-cell-per-line, ...)
    template_version VARCHAR,            -- 2021 (国办公开办函〔2021〕30号) or 2019 (〔2019〕60号)
    year             INTEGER,            -- the year reported on
    body             VARCHAR,            -- issuing body as printed in the document (or the sidecar's), else NULL
    province         VARCHAR,
    city             VARCHAR,
    county           VARCHAR,
    division_code    VARCHAR,            -- GB/T 2260, 6 digits, of the most specific place
    published_on     DATE,
    ingested_at      TIMESTAMP,
    parser_version   VARCHAR,
    source_missing   BOOLEAN DEFAULT FALSE, -- the file has gone from the raw folder since
    body_source      VARCHAR,            -- where body was read: title | signature | source_line | text | sidecar | inferred
    source_url       VARCHAR,            -- the page the file was published at (sidecar manifest)
    body_id          VARCHAR,            -- the body (bodies.body_id); NULL when it cannot be resolved
    status           VARCHAR DEFAULT 'active',  -- active | duplicate | superseded (sql/resolve_versions.sql)
    duplicate_of     VARCHAR,            -- status duplicate: the active (or superseded) report it repeats
    superseded_by    VARCHAR,            -- status superseded: the next later version of the body-year report
    facts_fp         VARCHAR             -- MD5 of every fact's code and value: same facts, same fingerprint
);
-- Warehouses made before these columns existed gain them (a no-op otherwise).
ALTER TABLE reports ADD COLUMN IF NOT EXISTS body_source VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS source_url VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS body_id VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS status VARCHAR DEFAULT 'active';
ALTER TABLE reports ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS superseded_by VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS facts_fp VARCHAR;

-- What the parser read of each report, before the sidecar manifest overrides it
-- (so a changed or removed manifest row re-applies without re-parsing).
CREATE TABLE IF NOT EXISTS parsed_metadata (
    report_id     VARCHAR NOT NULL,
    year          INTEGER,
    body          VARCHAR,
    body_source   VARCHAR,
    province      VARCHAR,
    city          VARCHAR,
    county        VARCHAR,
    division_code VARCHAR,
    published_on  DATE
);

-- Government bodies: one row per division x canonical name (pipeline/bodies.py).
CREATE TABLE IF NOT EXISTS bodies (
    body_id       VARCHAR NOT NULL,   -- '<division_code>:<canonical name>', stable across runs
    name          VARCHAR NOT NULL,   -- canonical name (data/body_names.csv rules, current place names)
    division_code VARCHAR NOT NULL,
    province      VARCHAR,
    city          VARCHAR,
    county        VARCHAR,
    level         VARCHAR,            -- province | city | county | township
    body_type     VARCHAR             -- government | government office | department | township | subdistrict | other
);

-- The sidecar manifest rows applied in the last run (manifest.csv / manifest.jsonl).
CREATE TABLE IF NOT EXISTS sidecar (
    manifest      VARCHAR,   -- the manifest file
    line          INTEGER,   -- its line (csv) or record (jsonl) number
    source_path   VARCHAR,   -- the report file the row is about
    report_id     VARCHAR,
    source_url    VARCHAR,
    body          VARCHAR,
    division_code VARCHAR,
    year          INTEGER,
    published_on  DATE
);

CREATE TABLE IF NOT EXISTS facts (
    report_id  VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,  -- t1 | t2 | t3
    row_code   VARCHAR NOT NULL,
    col_code   VARCHAR NOT NULL,
    value      DECIMAL(24, 6),    -- exact; NULL: the cell was blank, —, / or 无 (not 0)
    raw_text   VARCHAR,           -- the cell as printed
    locator    VARCHAR,           -- where: 'line 12', 'page 3 table 1 r4c2', ...
    source     VARCHAR DEFAULT 'text',  -- text (a text layer) | ocr (read from an image)
    confidence REAL,              -- OCR's recognition score of the cell (0-1); NULL for text
    suspect    BOOLEAN DEFAULT FALSE, -- an OCR'd number not to be trusted without a look
    parsed_value DECIMAL(24, 6),  -- the value as parsed; differs from value only where corrected
    corrected_by INTEGER          -- the review decision (data/review/decisions.csv id) that set value
);

CREATE TABLE IF NOT EXISTS narrative_facts (
    report_id VARCHAR NOT NULL,
    metric    VARCHAR NOT NULL,   -- applications_received, review_cases, ...
    value     DECIMAL(24, 6),
    sentence  VARCHAR             -- the sentence the figure was read from
);

CREATE TABLE IF NOT EXISTS dim_cells (
    template_version VARCHAR NOT NULL,
    table_code       VARCHAR NOT NULL,
    row_code         VARCHAR NOT NULL,
    col_code         VARCHAR NOT NULL,
    row_label_zh     VARCHAR,
    col_label_zh     VARCHAR,
    sort_order       INTEGER        -- printed order within the template version
);

CREATE TABLE IF NOT EXISTS parse_warnings (
    report_id   VARCHAR,
    source_path VARCHAR,
    stage       VARCHAR,   -- read | map | metadata
    message     VARCHAR
);

CREATE TABLE IF NOT EXISTS quarantine (
    source_path VARCHAR NOT NULL,
    sha256      VARCHAR,
    reason      VARCHAR,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP
);

-- What the incremental runs know of each file they have seen.
CREATE TABLE IF NOT EXISTS files (
    source_path    VARCHAR NOT NULL,
    size           BIGINT,
    mtime_ns       BIGINT,
    sha256         VARCHAR,
    status         VARCHAR,   -- loaded | quarantined | duplicate | page_image (a table image read with its page)
    parser_version VARCHAR,
    last_seen      TIMESTAMP
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id            VARCHAR NOT NULL,
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP,
    status            VARCHAR,   -- ok | warnings | failed
    files_seen        INTEGER,
    files_new         INTEGER,
    files_changed     INTEGER,
    files_unchanged   INTEGER,
    files_quarantined INTEGER,
    checks_failed     INTEGER,
    parser_version    VARCHAR
);

CREATE TABLE IF NOT EXISTS check_results (
    run_id     VARCHAR,
    report_id  VARCHAR,
    suite      VARCHAR,   -- identities | domain | narrative | plausibility | continuity
    check_name VARCHAR,
    severity   VARCHAR,   -- error | warning
    passed     BOOLEAN,
    observed   VARCHAR,
    expected   VARCHAR,
    message    VARCHAR,
    cells         VARCHAR[],  -- the cells the check covers, 'table.row.col'
    suspect_cells VARCHAR[],  -- those the rule singles out (e.g. the one term breaking two identities)
    message_key   VARCHAR,    -- the message as data: key of pipeline/checks/messages.csv ...
    message_args  VARCHAR,    -- ... and its arguments (JSON), for the zh/en quality site
    review_status VARCHAR,    -- open | acknowledged | dismissed | corrected | stale (failed or corrected checks)
    decision_id   INTEGER     -- the review decision behind review_status
);

-- Warehouses made before review decisions and pointing checks: add their columns.
ALTER TABLE facts ADD COLUMN IF NOT EXISTS parsed_value DECIMAL(24, 6);
ALTER TABLE facts ADD COLUMN IF NOT EXISTS corrected_by INTEGER;
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS cells VARCHAR[];
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS suspect_cells VARCHAR[];
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS message_key VARCHAR;
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS message_args VARCHAR;
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS review_status VARCHAR;
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS decision_id INTEGER;

-- The warehouse's schema version, one row per version it was created at or migrated to;
-- checked by every connect (pipeline/warehouse.py SCHEMA_VERSION).
CREATE TABLE IF NOT EXISTS schema_info (
    schema_version INTEGER NOT NULL,
    ogi_version    VARCHAR,
    applied_at     TIMESTAMP
);

-- A count as people write it: 25, not 25.0000; 2090.6 stays 2090.6. Used in check messages.
CREATE OR REPLACE MACRO num(x) AS
    CASE WHEN x IS NULL THEN 'NULL'
         WHEN CAST(x AS DOUBLE) = round(CAST(x AS DOUBLE)) THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
         ELSE CAST(round(CAST(x AS DOUBLE), 4) AS VARCHAR) END;
