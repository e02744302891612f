-- 0031_key_figures_baselines.sql: key figures, rule V-X-03, frozen baselines.
--
-- Key figures are the few numbers per response that analyses are built
-- on and that a revision must not move silently (QUESTIONNAIRE.md 8.13):
--
--   P1_SEIZED_KG      per substance     kg seized in the year (P1), a
--                                       confirmed "no seizures" row as 0
--   C_STR_RECEIVED    ALL               suspicious transaction reports received
--   C_STR_DISSEMINATED ALL              STRs disseminated
--   D_CONVICTIONS     scope/unit/rule   convictions (section D)
--   E_ASSET_<measure> category/scope    assets frozen, seized, confiscated
--                                       (amount, one currency)
--
-- They are defined here, in dcp.v_key_figures_by_revision, which analysts
-- read and baselines are frozen from.  The loader's rule V-X-03
-- (store_change.c) reads the figures of the stored revision being replaced
-- from this view's first layer, v_key_figures_of_submission, and computes those of the arriving revision from its
-- message (sections_key_figures in loader/sections.c, so nothing is
-- written twice); test_store holds the two definitions equal.
-- dcp.key_figure_changes() is the same comparison in SQL, for analysts
-- comparing any two revisions.  A figure summing several rows is NULL (never
-- 0) when any of them has no value: status INCOMPLETE, n_missing says how
-- many; NULL too when amounts in several currencies would be added.
-- Append-only file.

-- Two layers: the figures of one submission from its own rows (what the
-- loader asks for by id: an index scan of each section table, no scan of
-- dcp.submission), and the same with the submission's envelope beside it.
CREATE VIEW dcp.v_key_figures_of_submission AS
WITH f AS (
    -- P1: kg per substance; no_seizures counts as a reported 0
    SELECT z.submission_id, 'P1_SEIZED_KG'::text AS indicator,
           coalesce(z.substance_code, '?') AS breakdown, 'kg'::text AS unit,
           sum(CASE WHEN z.no_seizures THEN 0 ELSE z.quantity_kg END) AS total,
           count(*) AS n_rows,
           count(*) FILTER (WHERE NOT coalesce(z.no_seizures, false) AND z.quantity_kg IS NULL)
               AS n_missing,
           min(z.quantity_status) AS any_status, count(DISTINCT z.quantity_status) AS n_statuses,
           '/precursors/seizures'::text AS path
    FROM dcp.pc_seizure z
    GROUP BY z.submission_id, coalesce(z.substance_code, '?')
    UNION ALL
    SELECT t.submission_id, x.indicator, 'ALL', 'reports', x.value, 1,
           (x.value IS NULL)::int, x.status, 1, x.path
    FROM dcp.ff_str t
    CROSS JOIN LATERAL (VALUES
        ('C_STR_RECEIVED', t.received_total_value, t.received_total_status,
         '/financial_flows/str/received_total'),
        ('C_STR_DISSEMINATED', t.disseminated_total_value, t.disseminated_total_status,
         '/financial_flows/str/disseminated_total')) AS x (indicator, value, status, path)
    UNION ALL
    SELECT e.submission_id, 'D_CONVICTIONS',
           concat_ws('/', e.scope, e.count_unit, e.counting_rule), lower(e.count_unit),
           sum(e.count_value), count(*), count(*) FILTER (WHERE e.count_value IS NULL),
           min(e.count_status), count(DISTINCT e.count_status), '/financial_flows/enforcement'
    FROM dcp.ff_enforcement e
    WHERE e.stage = 'CONVICTION'
    GROUP BY e.submission_id, e.scope, e.count_unit, e.counting_rule
    UNION ALL
    SELECT a.submission_id, 'E_ASSET_' || a.measure,
           concat_ws('/', a.asset_category, a.predicate_scope),
           CASE WHEN count(DISTINCT a.currency) = 1 THEN min(a.currency) END,
           CASE WHEN count(DISTINCT a.currency) <= 1 THEN sum(a.amount) END,
           count(*), count(*) FILTER (WHERE a.amount IS NULL),
           CASE WHEN count(DISTINCT a.currency) > 1 THEN 'MIXED_CURRENCIES'
                ELSE min(a.amount_status) END,
           CASE WHEN count(DISTINCT a.currency) > 1 THEN 1
                ELSE count(DISTINCT a.amount_status) END,
           '/financial_flows/assets'
    FROM dcp.ff_asset a
    GROUP BY a.submission_id, a.measure, a.asset_category, a.predicate_scope
)
SELECT f.submission_id, f.indicator, f.breakdown, f.unit,
       CASE WHEN f.n_missing = 0 THEN f.total END AS value,
       CASE WHEN f.any_status = 'MIXED_CURRENCIES' THEN 'MIXED_CURRENCIES'
            WHEN f.n_missing = 0 THEN 'REPORTED'
            WHEN f.n_missing < f.n_rows THEN 'INCOMPLETE'
            WHEN f.n_statuses = 1 THEN f.any_status
            ELSE 'NOT_AVAILABLE' END AS status,
       f.n_rows, f.n_missing, f.path
FROM f;
COMMENT ON VIEW dcp.v_key_figures_of_submission IS
    'Key figures of each submission from its own rows (v_key_figures_by_revision without the envelope); the loader reads it by submission id.';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.submission_id IS 'the submission the figures are of';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.indicator IS
    'P1_SEIZED_KG, C_STR_RECEIVED, C_STR_DISSEMINATED, D_CONVICTIONS, E_ASSET_<measure>';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.breakdown IS
    'substance code (P1), ALL (C), scope/count unit/counting rule (D), asset category/predicate scope (E)';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.unit IS 'kg, reports, the count unit, or the currency';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.value IS 'the figure; NULL unless every row it sums has a value';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.status IS
    'REPORTED, INCOMPLETE (some rows without a value), the shared status of rows without a value, NOT_AVAILABLE, or MIXED_CURRENCIES';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.n_rows IS 'rows of the section the figure sums';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.n_missing IS 'of those, rows without a value';
COMMENT ON COLUMN dcp.v_key_figures_of_submission.path IS 'JSON pointer of the section in the response';

CREATE VIEW dcp.v_key_figures_by_revision AS
SELECT s.submission_id, s.reporting_country, s.questionnaire, s.reporting_year, s.revision_no,
       s.is_current, s.geographic_coverage, k.indicator, k.breakdown, k.unit, k.value, k.status,
       k.n_rows, k.n_missing, k.path
FROM dcp.v_key_figures_of_submission k
JOIN dcp.submission s ON s.submission_id = k.submission_id;
COMMENT ON VIEW dcp.v_key_figures_by_revision IS
    'Key figures (rule V-X-03, baselines) of every accepted submission, current or revised.';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.indicator IS
    'P1_SEIZED_KG, C_STR_RECEIVED, C_STR_DISSEMINATED, D_CONVICTIONS, E_ASSET_<measure>';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.breakdown IS
    'substance code (P1), ALL (C), scope/count unit/counting rule (D), asset category/predicate scope (E)';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.unit IS
    'kg, reports, cases/persons (D), or the currency (E; NULL when several currencies)';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.value IS
    'the figure; NULL (never 0) when any contributing row has no value or currencies differ';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.status IS
    'REPORTED (every contributing value known), INCOMPLETE (some missing), MIXED_CURRENCIES,'
    ' or the common status of the missing cells (NOT_AVAILABLE, CONFIDENTIAL ...)';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.n_rows IS 'rows of the section the figure sums';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.n_missing IS 'of those, rows without a value';
COMMENT ON COLUMN dcp.v_key_figures_by_revision.path IS 'JSON pointer of the section in the response';

CREATE VIEW dcp.v_key_figures AS
SELECT * FROM dcp.v_key_figures_by_revision WHERE is_current;
COMMENT ON VIEW dcp.v_key_figures IS 'Key figures of the current revision of every response.';

CREATE VIEW dcp.v_key_figures_first_reported AS
SELECT k.*, f.n_revisions
FROM dcp.v_key_figures_by_revision k
JOIN dcp.v_submissions_first_reported f ON f.submission_id = k.submission_id;
COMMENT ON VIEW dcp.v_key_figures_first_reported IS
    'Key figures as first reported (lowest revision of each series), whatever was revised later.';

-- Rule V-X-03 in SQL: the key figures of revision NEW that differ from
-- those of OLD by more than SHARE of the old value (a figure going from 0 to any
-- other value always counts).  Figures known in both only: one that became
-- unavailable shows in the first-reported views instead.
CREATE FUNCTION dcp.key_figure_changes (old_id uuid, new_id uuid, share numeric)
    RETURNS TABLE (indicator text, breakdown text, unit text, old_value numeric,
                   new_value numeric, change_pct numeric, path text)
    LANGUAGE sql STABLE
    AS $$
SELECT n.indicator, n.breakdown, n.unit, o.value, n.value,
       CASE WHEN o.value <> 0 THEN round(100 * (n.value - o.value) / abs(o.value), 1) END,
       n.path
FROM dcp.v_key_figures_by_revision o
JOIN dcp.v_key_figures_by_revision n
  ON n.indicator = o.indicator AND n.breakdown = o.breakdown
 AND n.unit IS NOT DISTINCT FROM o.unit
WHERE o.submission_id = old_id AND n.submission_id = new_id
  AND o.value IS NOT NULL AND n.value IS NOT NULL
  AND abs(n.value - o.value) > share * abs(o.value)
ORDER BY n.indicator, n.breakdown
$$;
COMMENT ON FUNCTION dcp.key_figure_changes (uuid, uuid, numeric) IS
    'V-X-03: key figures of a revision that moved by more than a share of the value it replaces.';

-- Frozen baselines (QUESTIONNAIRE.md 8.13): one figure per indicator,
-- breakdown, area and year, copied once and never moved by later
-- revisions.  Rows are written only by dcp.freeze_baseline() and are never
-- updated or deleted (a trigger refuses, even for the owner).
CREATE TABLE dcp.baseline (
    id                 bigserial PRIMARY KEY,
    indicator          text NOT NULL,
    breakdown          text NOT NULL,
    unit               text,
    area               text NOT NULL,
    year               integer NOT NULL,
    value              numeric,
    status             text NOT NULL,
    vintage            text NOT NULL CHECK (vintage IN ('first_reported', 'current')),
    source_submissions uuid[] NOT NULL,
    frozen_at          timestamptz NOT NULL DEFAULT now(),
    frozen_by          text NOT NULL DEFAULT session_user,
    note               text,
    UNIQUE (indicator, breakdown, area, year)
);
COMMENT ON TABLE dcp.baseline IS
    'Frozen baselines: a key figure copied once (dcp.freeze_baseline) and never moved by revisions.';
COMMENT ON COLUMN dcp.baseline.indicator IS 'key figure (v_key_figures_by_revision.indicator)';
COMMENT ON COLUMN dcp.baseline.breakdown IS 'its breakdown (substance, scope, category ...)';
COMMENT ON COLUMN dcp.baseline.unit IS 'kg, reports, cases, or the currency';
COMMENT ON COLUMN dcp.baseline.area IS 'ISO 3166-1 alpha-3 code of the reporting country';
COMMENT ON COLUMN dcp.baseline.year IS 'baseline year (the reporting year of the figure)';
COMMENT ON COLUMN dcp.baseline.value IS 'the figure as frozen; NULL when it was not available (see status)';
COMMENT ON COLUMN dcp.baseline.status IS 'status of the figure when frozen (as v_key_figures_by_revision.status)';
COMMENT ON COLUMN dcp.baseline.vintage IS 'first_reported (default) or current: which revision was frozen';
COMMENT ON COLUMN dcp.baseline.source_submissions IS 'the submission(s) the value was taken from';
COMMENT ON COLUMN dcp.baseline.frozen_at IS 'when it was frozen';
COMMENT ON COLUMN dcp.baseline.frozen_by IS 'login role that froze it (session_user)';
COMMENT ON COLUMN dcp.baseline.note IS 'why this baseline (free text of the person freezing it)';

CREATE FUNCTION dcp.baseline_guard () RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'baseline % is frozen and cannot be changed or deleted', OLD.id
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER baseline_guard BEFORE UPDATE OR DELETE ON dcp.baseline
    FOR EACH ROW EXECUTE FUNCTION dcp.baseline_guard ();

-- Freezes the key figure INDICATOR/BREAKDOWN of AREA (a country) for YEAR,
-- from the first-reported vintage unless VINTAGE = 'current'.  Returns the
-- new row; an error when there is no such figure or it is frozen already.
-- SECURITY DEFINER so that callers need no INSERT on the table: the
-- function is the one way in.
CREATE FUNCTION dcp.freeze_baseline (indicator text, breakdown text, area text, year integer,
                                     note text DEFAULT NULL, vintage text DEFAULT 'first_reported')
    RETURNS dcp.baseline
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_variable
DECLARE
    k record;
    b dcp.baseline;
BEGIN
    IF vintage NOT IN ('first_reported', 'current') THEN
        RAISE EXCEPTION 'vintage must be first_reported or current, not %', vintage
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT v.unit, v.value, v.status, v.submission_id INTO k
    FROM dcp.v_key_figures_by_revision v
    WHERE v.indicator = freeze_baseline.indicator AND v.breakdown = freeze_baseline.breakdown
      AND v.reporting_country = area AND v.reporting_year = year
      AND v.submission_id IN (SELECT f.submission_id FROM dcp.v_submissions_first_reported f
                              WHERE vintage = 'first_reported'
                              UNION ALL
                              SELECT c.submission_id FROM dcp.submission c
                              WHERE vintage = 'current' AND c.is_current);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no key figure % % for % %: nothing to freeze',
            freeze_baseline.indicator, freeze_baseline.breakdown, area, year
            USING ERRCODE = 'no_data_found';
    END IF;
    SELECT * INTO b FROM dcp.baseline x
    WHERE x.indicator = freeze_baseline.indicator AND x.breakdown = freeze_baseline.breakdown
      AND x.area = freeze_baseline.area AND x.year = freeze_baseline.year;
    IF FOUND THEN
        RAISE EXCEPTION 'baseline % % for % % was frozen at % by %: baselines never move',
            b.indicator, b.breakdown, b.area, b.year, b.frozen_at, b.frozen_by
            USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO dcp.baseline AS x (indicator, breakdown, unit, area, year, value, status, vintage,
                                   source_submissions, note)
    VALUES (freeze_baseline.indicator, freeze_baseline.breakdown, k.unit, area, year, k.value,
            k.status, vintage, ARRAY[k.submission_id], note)
    RETURNING x.* INTO b;
    RETURN b;
END $$;
COMMENT ON FUNCTION dcp.freeze_baseline (text, text, text, integer, text, text) IS
    'Freezes one key figure of a country and year as a baseline (first-reported vintage by default).';
REVOKE ALL ON FUNCTION dcp.freeze_baseline (text, text, text, integer, text, text) FROM PUBLIC;

-- Analysis 8.13: each baseline beside the current figure, as change.
CREATE VIEW dcp.v_baseline_change AS
SELECT b.indicator, b.breakdown, b.unit, b.area, b.year, b.value AS baseline_value,
       b.status AS baseline_status, b.vintage, b.frozen_at, b.frozen_by, b.note,
       b.source_submissions, c.reporting_year AS current_year, c.value AS current_value,
       c.status AS current_status, c.submission_id AS current_submission,
       c.value - b.value AS change,
       CASE WHEN b.value <> 0 THEN round(100 * (c.value - b.value) / abs(b.value), 1) END
           AS change_pct
FROM dcp.baseline b
LEFT JOIN dcp.v_key_figures c
  ON c.indicator = b.indicator AND c.breakdown = b.breakdown AND c.reporting_country = b.area
 AND c.unit IS NOT DISTINCT FROM b.unit;
COMMENT ON VIEW dcp.v_baseline_change IS
    'Frozen baselines against the current key figures of every year of the same area (analysis 8.13).';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_loader') THEN
        GRANT SELECT ON dcp.v_key_figures_by_revision, dcp.v_key_figures_of_submission
            TO dcp_loader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        GRANT SELECT ON dcp.v_key_figures_by_revision, dcp.v_key_figures_of_submission, dcp.v_key_figures,
            dcp.v_key_figures_first_reported, dcp.v_baseline_change, dcp.baseline TO dcp_analyst;
        GRANT EXECUTE ON FUNCTION dcp.freeze_baseline (text, text, text, integer, text, text)
            TO dcp_analyst;
    END IF;
    -- the reviewer role of the review migrations, when it exists
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_reviewer') THEN
        GRANT SELECT ON dcp.baseline, dcp.v_baseline_change TO dcp_reviewer;
        GRANT EXECUTE ON FUNCTION dcp.freeze_baseline (text, text, text, integer, text, text)
            TO dcp_reviewer;
    END IF;
END $$;
