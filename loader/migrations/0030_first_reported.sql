-- 0030_first_reported.sql: every answer as it was FIRST reported.
--
-- The views of 0004 (and the section views of later migrations) show the
-- current revision only, so once a country revises a figure the earlier
-- one was out of analysts' reach: v_submissions_first_reported had the
-- envelope only.  Here every section table gets a twin
-- dcp.v_first_<table>: its rows as stored with the FIRST accepted
-- submission of each (country, questionnaire, year) -- the lowest
-- revision_no -- whatever was revised since.  Together with the current
-- views this is the pair "as first reported / as now" that baselines
-- (QUESTIONNAIRE.md 8.13, migration 0031) are frozen from.
--
-- Columns: the series (reporting_country, questionnaire, reporting_year),
-- the revision it comes from, still_current (false once revised),
-- n_revisions, geographic_coverage of that first response, then every
-- column of the section table.  Section tables hold no personal data (the
-- focal point lives in dcp.submission), so all their columns are shown.
-- Column comments are copied from the section table's, so \d+ explains
-- them.  Append-only file.

DO $$
DECLARE
    t record;
    c record;
BEGIN
    FOR t IN SELECT cl.relname, obj_description(cl.oid, 'pg_class') AS doc
               FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
              WHERE n.nspname = 'dcp' AND cl.relkind = 'r'
                AND (cl.relname LIKE 'ff\_%' OR cl.relname LIKE 'pc\_%'
                     OR cl.relname = 'submission_agency')
              ORDER BY cl.relname LOOP
        EXECUTE format(
            'CREATE VIEW dcp.%I AS
             SELECT f.reporting_country, f.questionnaire, f.reporting_year,
                    f.revision_no, f.is_current AS still_current, f.n_revisions,
                    f.geographic_coverage, t.*
             FROM dcp.%I t
             JOIN dcp.v_submissions_first_reported f ON f.submission_id = t.submission_id',
            'v_first_' || t.relname, t.relname);
        EXECUTE format('COMMENT ON VIEW dcp.%I IS %L', 'v_first_' || t.relname,
                       'As first reported (lowest revision of each country, questionnaire and'
                       ' year; never moved by later revisions): ' || coalesce(t.doc, t.relname));
        FOR c IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS doc
                   FROM pg_attribute a
                  WHERE a.attrelid = format('dcp.%I', t.relname)::regclass
                    AND a.attnum > 0 AND NOT a.attisdropped
                    AND col_description(a.attrelid, a.attnum) IS NOT NULL LOOP
            EXECUTE format('COMMENT ON COLUMN dcp.%I.%I IS %L', 'v_first_' || t.relname,
                           c.attname, c.doc);
        END LOOP;
        EXECUTE format('COMMENT ON COLUMN dcp.%I.still_current IS %L', 'v_first_' || t.relname,
                       'true while no revision replaced this first response');
        EXECUTE format('COMMENT ON COLUMN dcp.%I.n_revisions IS %L', 'v_first_' || t.relname,
                       'number of accepted submissions of the series (1 = never revised)');
        EXECUTE format('COMMENT ON COLUMN dcp.%I.revision_no IS %L', 'v_first_' || t.relname,
                       'revision of the first accepted submission (normally 0)');
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
            EXECUTE format('GRANT SELECT ON dcp.%I TO dcp_analyst', 'v_first_' || t.relname);
        END IF;
    END LOOP;
END $$;
