-- 0022_response_tracking.sql: who was expected to answer, who did, when,
-- how completely, and what the reviewers decided; and totals per country
-- group that say how many countries they leave out.
--
--   dcp.questionnaire_section      the sections each questionnaire expects
--   dcp.v_country_groups           group memberships with names
--   dcp.v_country_regions          every country with its UN M49 region,
--                                  subregion and intermediate region
--   dcp.v_submission_completeness  completeness against the expected items
--   dcp.v_response_tracking        partner x questionnaire x year
--   dcp.v_submissions_approved     current submissions a reviewer approved
--   dcp.v_group_coverage           per group and year: expected, received,
--                                  late, partial, not received
--   dcp.v_country_indicators       key figures per country-year, NULL when
--                                  not available (never 0)
--   dcp.v_group_indicator_totals   per group: a total that is NULL unless
--                                  every expected country is in it, with
--                                  the counts of what is left out;
--                                  ..._approved the same over approved
--                                  submissions only
--
-- Completeness (loader/DATA_DICTIONARY.md, "Response tracking"): the
-- expected items of a response are the numeric answers (columns of type
-- dcp.obs_status) of every row it sent, plus, for each section of its
-- questionnaire it did not send, the numeric answers of one row of that
-- section (one item if the section has no numeric answer).  An item is
-- answered when its status is REPORTED, ESTIMATED, PROVISIONAL,
-- NOT_APPLICABLE, CONFIDENTIAL or INCLUDED_ELSEWHERE; NOT_AVAILABLE and
-- UNANSWERED are not.  A section without numeric answers counts one item,
-- answered when it has rows.  Computed here, in SQL, from the stored rows:
-- the stored submission.completeness_pct (the loader's V-X-05 count over
-- what the file contained) is kept as it was.  Append-only file.

CREATE TABLE dcp.questionnaire_section (
    questionnaire text NOT NULL,   -- financial_flows, precursors
    section       text NOT NULL,   -- B .. H, P1 .. P8
    table_name    text NOT NULL,   -- dcp.<table_name>
    parent_table  text,            -- a table of rows inside a section's rows (not a section)
    label         text NOT NULL,
    PRIMARY KEY (questionnaire, table_name)
);
COMMENT ON TABLE dcp.questionnaire_section IS
    'The sections each questionnaire expects and the tables that store them; the basis of completeness.';
COMMENT ON COLUMN dcp.questionnaire_section.questionnaire IS 'financial_flows or precursors';
COMMENT ON COLUMN dcp.questionnaire_section.section IS 'section letter or number (QUESTIONNAIRE.md 2.3, 3.4)';
COMMENT ON COLUMN dcp.questionnaire_section.table_name IS 'table in schema dcp holding the section''s rows';
COMMENT ON COLUMN dcp.questionnaire_section.parent_table IS 'for rows inside rows (e.g. STR sectors): the section table; NULL for a section';
COMMENT ON COLUMN dcp.questionnaire_section.label IS 'what the section asks';

INSERT INTO dcp.questionnaire_section VALUES
    ('financial_flows', 'B', 'ff_legal', NULL, 'legal and institutional framework'),
    ('financial_flows', 'C', 'ff_str', NULL, 'suspicious transaction reports, FIU, cash declarations'),
    ('financial_flows', 'C', 'ff_str_sector', 'ff_str', 'STRs received by sector'),
    ('financial_flows', 'D', 'ff_enforcement', NULL, 'investigations, prosecutions, convictions'),
    ('financial_flows', 'E', 'ff_asset', NULL, 'assets frozen, seized, confiscated'),
    ('financial_flows', 'F', 'ff_method', NULL, 'methods of moving and laundering funds'),
    ('financial_flows', 'F', 'ff_method_jurisdiction', 'ff_method', 'jurisdictions of a method'),
    ('financial_flows', 'G', 'ff_cooperation', NULL, 'international cooperation'),
    ('financial_flows', 'H', 'ff_challenge', NULL, 'challenges and assistance needs'),
    ('precursors', 'P1', 'pc_seizure', NULL, 'annual seizures of scheduled substances'),
    ('precursors', 'P2', 'pc_nonscheduled', NULL, 'non-scheduled substances'),
    ('precursors', 'P3', 'pc_diversion', NULL, 'diversion methods'),
    ('precursors', 'P4', 'pc_stopped_shipment', NULL, 'stopped shipments'),
    ('precursors', 'P5', 'pc_lab', NULL, 'laboratories'),
    ('precursors', 'P5', 'pc_lab_chemical', 'pc_lab', 'chemicals found in laboratories'),
    ('precursors', 'P6', 'pc_incident', NULL, 'significant incidents'),
    ('precursors', 'P6', 'pc_incident_substance', 'pc_incident', 'substances of an incident'),
    ('precursors', 'P6', 'pc_incident_route', 'pc_incident', 'route of an incident'),
    ('precursors', 'P7', 'pc_licit_trade', NULL, 'licit trade'),
    ('precursors', 'P8', 'pc_route', NULL, 'trafficking routes');

CREATE VIEW dcp.v_country_groups AS
SELECT g.group_code, g.name AS group_name, g.kind, g.parent, m.member, m.member_kind,
       coalesce(c.name, o.name) AS member_name, m.from_year, m.to_year, m.joined, m.source
FROM dcp.ref_group_members m
JOIN dcp.ref_groups g ON g.group_code = m.group_code
LEFT JOIN LATERAL (SELECT r.name FROM dcp.ref_countries r WHERE r.iso3 = m.member
                    ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1) c ON m.member_kind = 'country'
LEFT JOIN LATERAL (SELECT r.name FROM dcp.ref_organisations r WHERE r.code = m.member
                    LIMIT 1) o ON m.member_kind = 'organisation';
COMMENT ON VIEW dcp.v_country_groups IS
    'Members of every country group (Paris Pact, UN M49, UNODC programmes, routes) with names and the years they belong.';

CREATE VIEW dcp.v_country_regions AS
SELECT DISTINCT ON (c.iso3) c.iso3, c.name,
       r.group_code AS m49_region_code, r.name AS m49_region,
       s.group_code AS m49_subregion_code, s.name AS m49_subregion,
       i.group_code AS m49_intermediate_code, i.name AS m49_intermediate_region
FROM dcp.ref_countries c
LEFT JOIN LATERAL (SELECT g.group_code, g.name FROM dcp.ref_group_members m
                   JOIN dcp.ref_groups g USING (group_code)
                   WHERE m.member = c.iso3 AND g.kind = 'm49_region' LIMIT 1) r ON true
LEFT JOIN LATERAL (SELECT g.group_code, g.name FROM dcp.ref_group_members m
                   JOIN dcp.ref_groups g USING (group_code)
                   WHERE m.member = c.iso3 AND g.kind = 'm49_subregion' LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT g.group_code, g.name FROM dcp.ref_group_members m
                   JOIN dcp.ref_groups g USING (group_code)
                   WHERE m.member = c.iso3 AND g.kind = 'm49_intermediate' LIMIT 1) i ON true
ORDER BY c.iso3, c.valid_to DESC NULLS FIRST;
COMMENT ON VIEW dcp.v_country_regions IS
    'Every country code with its name and UN M49 region, subregion and intermediate region (NULL where M49 has none, e.g. Antarctica).';

-- One row per numeric answer of every stored row: (submission, table, status).
CREATE VIEW dcp.v_answer_items AS
WITH status_column AS (
    SELECT c.relname::text AS table_name, a.attname::text AS column_name
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'dcp' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid = 'dcp.obs_status'::regtype
), answer_row AS (
    SELECT t.submission_id, 'ff_legal'::text AS table_name, to_jsonb(t) AS row FROM dcp.ff_legal t
    UNION ALL SELECT t.submission_id, 'ff_str', to_jsonb(t) FROM dcp.ff_str t
    UNION ALL SELECT t.submission_id, 'ff_str_sector', to_jsonb(t) FROM dcp.ff_str_sector t
    UNION ALL SELECT t.submission_id, 'ff_enforcement', to_jsonb(t) FROM dcp.ff_enforcement t
    UNION ALL SELECT t.submission_id, 'ff_asset', to_jsonb(t) FROM dcp.ff_asset t
    UNION ALL SELECT t.submission_id, 'ff_method', NULL FROM dcp.ff_method t
    UNION ALL SELECT t.submission_id, 'ff_method_jurisdiction', NULL FROM dcp.ff_method_jurisdiction t
    UNION ALL SELECT t.submission_id, 'ff_cooperation', to_jsonb(t) FROM dcp.ff_cooperation t
    UNION ALL SELECT t.submission_id, 'ff_challenge', NULL FROM dcp.ff_challenge t
    UNION ALL SELECT t.submission_id, 'pc_seizure', to_jsonb(t) FROM dcp.pc_seizure t
    UNION ALL SELECT t.submission_id, 'pc_nonscheduled', to_jsonb(t) FROM dcp.pc_nonscheduled t
    UNION ALL SELECT t.submission_id, 'pc_diversion', NULL FROM dcp.pc_diversion t
    UNION ALL SELECT t.submission_id, 'pc_stopped_shipment', to_jsonb(t) FROM dcp.pc_stopped_shipment t
    UNION ALL SELECT t.submission_id, 'pc_lab', to_jsonb(t) FROM dcp.pc_lab t
    UNION ALL SELECT t.submission_id, 'pc_lab_chemical', to_jsonb(t) FROM dcp.pc_lab_chemical t
    UNION ALL SELECT t.submission_id, 'pc_incident', to_jsonb(t) FROM dcp.pc_incident t
    UNION ALL SELECT t.submission_id, 'pc_incident_substance', to_jsonb(t) FROM dcp.pc_incident_substance t
    UNION ALL SELECT t.submission_id, 'pc_incident_route', NULL FROM dcp.pc_incident_route t
    UNION ALL SELECT t.submission_id, 'pc_licit_trade', to_jsonb(t) FROM dcp.pc_licit_trade t
    UNION ALL SELECT t.submission_id, 'pc_route', NULL FROM dcp.pc_route t
)
SELECT r.submission_id, r.table_name, sc.column_name, r.row ->> sc.column_name AS status
FROM answer_row r
LEFT JOIN status_column sc ON sc.table_name = r.table_name AND r.row IS NOT NULL;
COMMENT ON VIEW dcp.v_answer_items IS
    'Every numeric answer stored (submission, table, status column, status); a row of a table without numeric answers appears once with column_name NULL.';

CREATE VIEW dcp.v_submission_completeness AS
WITH n_status AS (
    SELECT q.table_name, count(a.attname) AS n
    FROM dcp.questionnaire_section q
    LEFT JOIN pg_attribute a
      ON a.attrelid = to_regclass('dcp.' || q.table_name) AND a.attnum > 0
     AND NOT a.attisdropped AND a.atttypid = 'dcp.obs_status'::regtype
    GROUP BY q.table_name
), per_table AS (
    SELECT i.submission_id, i.table_name,
           count(i.column_name) AS n_items,
           count(*) FILTER (WHERE i.status IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL',
                                               'NOT_APPLICABLE', 'CONFIDENTIAL',
                                               'INCLUDED_ELSEWHERE')) AS n_answered,
           count(*) FILTER (WHERE i.status = 'NOT_AVAILABLE') AS n_not_available
    FROM dcp.v_answer_items i
    GROUP BY i.submission_id, i.table_name
), per_section AS (
    SELECT s.submission_id, s.questionnaire, q.section,
           bool_or(t.submission_id IS NOT NULL AND q.parent_table IS NULL) AS sent,
           sum(coalesce(t.n_items, 0)) AS n_items,
           sum(coalesce(t.n_answered, 0)) AS n_answered,
           sum(coalesce(t.n_not_available, 0)) AS n_not_available,
           max(ns.n) FILTER (WHERE q.parent_table IS NULL) AS n_status_columns
    FROM dcp.submission s
    JOIN dcp.questionnaire_section q ON q.questionnaire = s.questionnaire
    JOIN n_status ns ON ns.table_name = q.table_name
    LEFT JOIN per_table t ON t.submission_id = s.submission_id AND t.table_name = q.table_name
    GROUP BY s.submission_id, s.questionnaire, q.section
), scored AS (
    SELECT p.submission_id, p.questionnaire, p.section, p.sent, p.n_not_available,
           CASE WHEN NOT p.sent THEN greatest(p.n_status_columns, 1)
                WHEN p.n_status_columns = 0 THEN p.n_items + 1
                ELSE p.n_items END AS n_expected,
           CASE WHEN NOT p.sent THEN 0
                WHEN p.n_status_columns = 0 THEN p.n_answered + 1
                ELSE p.n_answered END AS n_answered
    FROM per_section p
)
SELECT x.submission_id, x.questionnaire,
       count(*) AS n_sections_expected,
       count(*) FILTER (WHERE x.sent) AS n_sections_sent,
       coalesce(array_agg(x.section ORDER BY x.section) FILTER (WHERE NOT x.sent), '{}')
           AS sections_missing,
       sum(x.n_expected)::integer AS n_expected_items,
       sum(x.n_answered)::integer AS n_answered_items,
       sum(x.n_not_available)::integer AS n_not_available_items,
       round(100.0 * sum(x.n_answered) / nullif(sum(x.n_expected), 0), 2) AS completeness_pct
FROM scored x
GROUP BY x.submission_id, x.questionnaire;
COMMENT ON VIEW dcp.v_submission_completeness IS
    'Completeness of every submission against its questionnaire''s expected items: sections not sent count as missing; NOT_APPLICABLE, CONFIDENTIAL, INCLUDED_ELSEWHERE count as answered.';

CREATE VIEW dcp.v_response_tracking AS
WITH tracked AS (
    SELECT d.questionnaire, min(d.from_year) AS first_year FROM dcp.ref_response_deadlines d
    GROUP BY d.questionnaire
), grid AS (
    SELECT p.member AS country, t.questionnaire, y.year
    FROM tracked t
    CROSS JOIN LATERAL generate_series(t.first_year,
                                       extract(year FROM now())::integer - 1) AS y (year)
    CROSS JOIN (SELECT DISTINCT member FROM dcp.ref_group_members
                 WHERE group_code = 'PARIS_PACT') p
    UNION
    SELECT s.reporting_country, s.questionnaire, s.reporting_year FROM dcp.submission s
), series AS (
    SELECT s.reporting_country AS country, s.questionnaire, s.reporting_year AS year,
           count(*) AS n_revisions,
           min(coalesce(s.received_at, s.stored_at)) AS first_received_at
    FROM dcp.submission s
    GROUP BY s.reporting_country, s.questionnaire, s.reporting_year
)
SELECT g.country AS reporting_country, cr.name AS country_name,
       cr.m49_region, cr.m49_subregion, cr.m49_intermediate_region,
       g.questionnaire, g.year AS reporting_year,
       pp.member IS NOT NULL AS expected,
       pp.from_year AS partner_from_year,
       cur.submission_id IS NOT NULL AS received,
       se.first_received_at,
       cur.submission_id, cur.revision_no, coalesce(se.n_revisions, 0) AS n_revisions,
       coalesce(cur.received_at, cur.stored_at) AS current_received_at,
       dl.deadline,
       (se.first_received_at AT TIME ZONE 'UTC')::date > dl.deadline AS late,
       CASE WHEN cur.submission_id IS NOT NULL THEN
                CASE WHEN (se.first_received_at AT TIME ZONE 'UTC')::date > dl.deadline
                     THEN 'late' ELSE 'on_time' END
            WHEN pp.member IS NULL THEN 'not_expected'
            WHEN (now() AT TIME ZONE 'UTC')::date > dl.deadline THEN 'overdue'
            ELSE 'not_yet_due' END AS timeliness,
       cur.geographic_coverage,
       cur.geographic_coverage = 'PARTIAL' AS partial,
       sc.completeness_pct, sc.n_expected_items, sc.n_answered_items, sc.sections_missing,
       cur.completeness_pct AS completeness_pct_in_file,
       cur.n_warnings,
       cur.review_state,
       ra.reviewed_at, ra.note AS review_note
FROM grid g
LEFT JOIN dcp.v_country_regions cr ON cr.iso3 = g.country
LEFT JOIN LATERAL (SELECT m.member, m.from_year FROM dcp.ref_group_members m
                   WHERE m.group_code = 'PARIS_PACT' AND m.member = g.country
                     AND coalesce(m.from_year, g.year) <= g.year
                     AND coalesce(m.to_year, g.year) >= g.year
                   ORDER BY m.from_year LIMIT 1) pp ON true
LEFT JOIN dcp.submission cur
       ON cur.is_current AND cur.reporting_country = g.country
      AND cur.questionnaire = g.questionnaire AND cur.reporting_year = g.year
LEFT JOIN series se
       ON se.country = g.country AND se.questionnaire = g.questionnaire AND se.year = g.year
LEFT JOIN dcp.v_submission_completeness sc ON sc.submission_id = cur.submission_id
LEFT JOIN LATERAL (SELECT make_date(g.year + 1, split_part(d.deadline_mmdd, '-', 1)::integer,
                                    split_part(d.deadline_mmdd, '-', 2)::integer) AS deadline
                   FROM dcp.ref_response_deadlines d
                   WHERE d.questionnaire = g.questionnaire AND d.from_year <= g.year
                     AND coalesce(d.to_year, g.year) >= g.year
                   ORDER BY d.from_year DESC LIMIT 1) dl ON true
LEFT JOIN LATERAL (SELECT a.reviewed_at, a.note FROM dcp.review_audit a
                   WHERE a.submission_id = cur.submission_id
                   ORDER BY a.id DESC LIMIT 1) ra ON true;
COMMENT ON VIEW dcp.v_response_tracking IS
    'One row per Paris Pact partner (and any other country that answered) x questionnaire x reporting year: expected by the partner''s dates, received, first received, current revision, late or on time, completeness, review state.';

CREATE VIEW dcp.v_submissions_approved AS
SELECT v.* FROM dcp.v_submissions_current v WHERE v.review_state = 'approved';
COMMENT ON VIEW dcp.v_submissions_approved IS
    'Current submissions a reviewer approved: join a view to it (USING submission_id) for approved-only figures.';

CREATE VIEW dcp.v_group_coverage AS
SELECT g.group_code, g.group_name, g.kind, t.questionnaire, t.reporting_year,
       (SELECT count(*) FROM dcp.ref_group_members m
         WHERE m.group_code = g.group_code AND m.member_kind = 'country'
           AND coalesce(m.from_year, t.reporting_year) <= t.reporting_year
           AND coalesce(m.to_year, t.reporting_year) >= t.reporting_year) AS n_members,
       count(*) AS n_tracked,
       count(*) FILTER (WHERE t.expected) AS n_expected,
       count(*) FILTER (WHERE t.received) AS n_received,
       count(*) FILTER (WHERE t.expected AND t.received) AS n_expected_received,
       count(*) FILTER (WHERE t.expected AND NOT t.received) AS n_not_received,
       count(*) FILTER (WHERE t.late) AS n_late,
       count(*) FILTER (WHERE t.partial) AS n_partial,
       count(*) FILTER (WHERE t.review_state = 'approved') AS n_approved,
       coalesce(array_agg(t.country_name || ' (' || t.reporting_country || ')'
                          ORDER BY t.reporting_country)
                    FILTER (WHERE t.expected AND NOT t.received), '{}') AS not_received
FROM dcp.v_country_groups g
JOIN dcp.v_response_tracking t
  ON t.reporting_country = g.member
 AND coalesce(g.from_year, t.reporting_year) <= t.reporting_year
 AND coalesce(g.to_year, t.reporting_year) >= t.reporting_year
WHERE g.member_kind = 'country'
GROUP BY g.group_code, g.group_name, g.kind, t.questionnaire, t.reporting_year;
COMMENT ON VIEW dcp.v_group_coverage IS
    'Per country group, questionnaire and year: members (n_members), of which tracked (partners and any that answered), expected, received, not received (named), late, partial, approved.';

-- Key figures per current submission, NULL unless known: acetic anhydride
-- seized in kg (0 only when every row confirms no seizures) and STRs
-- received.  status: REPORTED (value known), NOT_AVAILABLE (some figure has
-- no value or no kg), UNANSWERED (the response has no such figure).
CREATE VIEW dcp.v_country_indicators AS
WITH aa AS (
    SELECT s.submission_id,
           count(z.*) AS n_rows,
           count(*) FILTER (WHERE NOT coalesce(z.no_seizures, false) AND z.quantity_kg IS NULL)
               AS n_without_kg,
           sum(CASE WHEN z.no_seizures THEN 0 ELSE z.quantity_kg END) AS kg
    FROM dcp.submission s
    JOIN dcp.pc_seizure z ON z.submission_id = s.submission_id AND z.substance_code = 'AA'
    WHERE s.is_current
    GROUP BY s.submission_id
)
SELECT s.reporting_country, s.questionnaire, s.reporting_year, s.submission_id,
       'AA_SEIZED_KG'::text AS indicator, 'KG'::text AS unit,
       CASE WHEN aa.n_rows > 0 AND aa.n_without_kg = 0 THEN aa.kg END AS value,
       CASE WHEN aa.n_rows IS NULL THEN 'UNANSWERED'
            WHEN aa.n_without_kg > 0 THEN 'NOT_AVAILABLE' ELSE 'REPORTED' END AS status,
       s.geographic_coverage = 'PARTIAL' AS partial, s.review_state
FROM dcp.submission s
LEFT JOIN aa ON aa.submission_id = s.submission_id
WHERE s.is_current AND s.questionnaire = 'precursors'
UNION ALL
SELECT s.reporting_country, s.questionnaire, s.reporting_year, s.submission_id,
       'STR_RECEIVED', 'REPORTS', t.received_total_value,
       CASE WHEN t.submission_id IS NULL OR t.received_total_status = 'UNANSWERED' THEN 'UNANSWERED'
            WHEN t.received_total_value IS NULL THEN 'NOT_AVAILABLE' ELSE 'REPORTED' END,
       s.geographic_coverage = 'PARTIAL', s.review_state
FROM dcp.submission s
LEFT JOIN dcp.ff_str t ON t.submission_id = s.submission_id
WHERE s.is_current AND s.questionnaire = 'financial_flows';
COMMENT ON VIEW dcp.v_country_indicators IS
    'Key figures per country and year (AA_SEIZED_KG, STR_RECEIVED) of current submissions; value NULL unless known, never 0 for a missing figure.';

-- The per-group totals, over all current submissions or approved ones only.
CREATE FUNCTION dcp.group_indicator_totals (approved_only boolean)
    RETURNS TABLE (group_code text, group_name text, kind text, indicator text,
                   questionnaire text, reporting_year integer, n_members bigint,
                   n_expected bigint, n_in_total bigint, n_partial_left_out bigint,
                   n_not_available bigint, n_not_submitted bigint, sum_of_known numeric,
                   total numeric, total_status text, left_out text[])
    LANGUAGE sql STABLE
    AS $$
WITH ind AS (
    SELECT DISTINCT questionnaire, indicator FROM (VALUES ('precursors', 'AA_SEIZED_KG'),
                                                           ('financial_flows', 'STR_RECEIVED')) v (questionnaire, indicator)
), cell AS (
    SELECT g.group_code, g.group_name, g.kind, i.indicator, t.questionnaire, t.reporting_year,
           t.reporting_country, t.country_name, t.expected,
           CASE WHEN approved_only AND t.review_state IS DISTINCT FROM 'approved' THEN NULL
                ELSE ci.value END AS value,
           CASE WHEN ci.submission_id IS NULL THEN 'NOT_SUBMITTED'
                WHEN approved_only AND t.review_state IS DISTINCT FROM 'approved' THEN 'NOT_APPROVED'
                WHEN ci.partial THEN 'PARTIAL'
                ELSE ci.status END AS state
    FROM dcp.v_country_groups g
    JOIN dcp.v_response_tracking t
      ON t.reporting_country = g.member
     AND coalesce(g.from_year, t.reporting_year) <= t.reporting_year
     AND coalesce(g.to_year, t.reporting_year) >= t.reporting_year
    JOIN ind i ON i.questionnaire = t.questionnaire
    LEFT JOIN dcp.v_country_indicators ci
      ON ci.submission_id = t.submission_id AND ci.indicator = i.indicator
    WHERE g.member_kind = 'country' AND (t.expected OR t.received)
)
SELECT c.group_code, c.group_name, c.kind, c.indicator, c.questionnaire, c.reporting_year,
       (SELECT count(*) FROM dcp.ref_group_members m
         WHERE m.group_code = c.group_code AND m.member_kind = 'country'
           AND coalesce(m.from_year, c.reporting_year) <= c.reporting_year
           AND coalesce(m.to_year, c.reporting_year) >= c.reporting_year),
       count(*) FILTER (WHERE c.expected),
       count(*) FILTER (WHERE c.state = 'REPORTED'),
       count(*) FILTER (WHERE c.state = 'PARTIAL'),
       count(*) FILTER (WHERE c.state IN ('NOT_AVAILABLE', 'UNANSWERED', 'NOT_APPROVED')),
       count(*) FILTER (WHERE c.state = 'NOT_SUBMITTED' AND c.expected),
       sum(c.value) FILTER (WHERE c.state = 'REPORTED'),
       CASE WHEN bool_and(c.state = 'REPORTED' OR (c.state = 'NOT_SUBMITTED' AND NOT c.expected))
            THEN coalesce(sum(c.value) FILTER (WHERE c.state = 'REPORTED'), 0) END,
       CASE WHEN bool_and(c.state = 'REPORTED' OR (c.state = 'NOT_SUBMITTED' AND NOT c.expected))
            THEN 'complete' ELSE 'incomplete' END,
       coalesce(array_agg(c.country_name || ' (' || c.reporting_country || '): ' || lower(c.state)
                          ORDER BY c.reporting_country)
                    FILTER (WHERE c.state <> 'REPORTED' AND (c.expected OR c.state <> 'NOT_SUBMITTED')),
                '{}')
FROM cell c
GROUP BY c.group_code, c.group_name, c.kind, c.indicator, c.questionnaire, c.reporting_year
$$;

CREATE VIEW dcp.v_group_indicator_totals AS
SELECT * FROM dcp.group_indicator_totals (false);
COMMENT ON VIEW dcp.v_group_indicator_totals IS
    'Per country group and year: a key figure summed over the countries that reported it (sum_of_known), and total, which is NULL unless every expected country is in it; the counts and names of countries left out (partial coverage, not available, not submitted).';

CREATE VIEW dcp.v_group_indicator_totals_approved AS
SELECT * FROM dcp.group_indicator_totals (true);
COMMENT ON VIEW dcp.v_group_indicator_totals_approved IS
    'As v_group_indicator_totals over approved submissions only; a figure not (yet) approved counts as left out.';

DO $$
DECLARE
    v text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        GRANT SELECT ON dcp.questionnaire_section TO dcp_analyst;
        FOREACH v IN ARRAY ARRAY['v_country_groups', 'v_country_regions', 'v_answer_items',
                                 'v_submission_completeness', 'v_response_tracking',
                                 'v_submissions_approved', 'v_group_coverage',
                                 'v_country_indicators', 'v_group_indicator_totals',
                                 'v_group_indicator_totals_approved'] LOOP
            EXECUTE format('GRANT SELECT ON dcp.%I TO dcp_analyst', v);
        END LOOP;
    END IF;
END $$;
