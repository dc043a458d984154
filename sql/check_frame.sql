-- A suite's frame for the current chunk, numbered (frame_row) so GX's failing row
-- indices find their rows again (the suite frame SQL is substituted below).
CREATE OR REPLACE TEMP TABLE check_frame AS
SELECT row_number() OVER () - 1 AS frame_row, * FROM (
$frame
);
