-- The reports of the site page chunk being written ($ids: a registered frame).
CREATE OR REPLACE TEMP TABLE site_scope AS SELECT report_id FROM site_ids;
