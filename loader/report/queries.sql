-- queries.sql: every SQL statement of the report program, in one place.
--
-- Embedded into `report` at build time (loader/report/CMakeLists.txt) and
-- looked up by name: each statement starts with a line "-- name: NAME".
-- Parameters: $1 = reporting year (integer), $2 = country group code
-- (text, NULL for all countries; ref_groups.group_code, e.g. PARIS_PACT,
-- M49_143, UNODC_RP_AFG).  Every statement takes both.  The report runs as
-- a member of dcp_analyst, so it reads views and ref_* tables only, and
-- takes every total from the views of issue 12 (migrations 0010-0032):
-- section views, honest totals (NULL with a status, never 0; PARTIAL
-- coverage left out with a count), country groups, response tracking, key
-- figures as first reported and frozen baselines.
-- With a group, every section keeps the countries that are members of the
-- group in the report year (v_country_groups, from_year/to_year); the trend
-- over earlier years uses the same members.
-- HTML sections return one JSON value each; "sdmx" returns rows in the
-- column order report_sdmx.h expects.

-- name: group_check
-- ok: no group asked, or the group has member countries in the year (a
-- group of organisations, or one before its first member, would give an
-- empty report); known: every group, to name them in the error message;
-- exists: the code is a group (it may still have no country that year).
SELECT $2::text IS NULL
           OR EXISTS (SELECT 1 FROM dcp.v_country_groups
                       WHERE group_code = $2::text AND member_kind = 'country'
                         AND coalesce(from_year, $1::int) <= $1::int
                         AND coalesce(to_year, $1::int) >= $1::int) AS ok,
       (SELECT string_agg(group_code || ' (' || group_name || ')', E'\n  ' ORDER BY kind, group_code)
          FROM (SELECT DISTINCT group_code, group_name, kind FROM dcp.v_country_groups) g) AS known,
       EXISTS (SELECT 1 FROM dcp.v_country_groups WHERE group_code = $2::text) AS exists;

-- name: meta
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
)
SELECT json_build_object(
    'year', $1::int,
    'group', $2::text,
    'group_name', (SELECT min(group_name) FROM dcp.v_country_groups WHERE group_code = $2::text),
    'members', (SELECT coalesce(json_agg(iso3 ORDER BY iso3), '[]') FROM members
                 WHERE $2::text IS NOT NULL),
    'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'years', (SELECT coalesce(json_agg(DISTINCT reporting_year ORDER BY reporting_year), '[]')
                FROM dcp.v_submissions_current),
    'countries', (SELECT coalesce(json_object_agg(iso3, name), '{}') FROM dcp.v_country_regions),
    'substances', (SELECT coalesce(json_object_agg(code, name), '{}')
                     FROM (SELECT DISTINCT ON (code) code, name FROM dcp.ref_substances
                            ORDER BY code) s));

-- name: tracking
-- From v_response_tracking: every partner expected that year and every
-- country that answered, per questionnaire, with its UN M49 subregion (the
-- table and chart are grouped by it).  state: NOT_SUBMITTED (expected,
-- nothing received), PARTIAL (received, PARTIAL geographic coverage),
-- SUBMITTED.  coverage: v_group_coverage for the group (PARIS_PACT when no
-- group is asked).
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
t AS (
    SELECT * FROM dcp.v_response_tracking
     WHERE reporting_year = $1::int AND (expected OR received)
       AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members))
)
SELECT json_build_object(
    'rows', (SELECT coalesce(json_agg(json_build_object(
                 'country', reporting_country, 'country_name', country_name,
                 'subregion', coalesce(m49_subregion, 'no M49 subregion'),
                 'questionnaire', questionnaire, 'expected', expected,
                 'state', CASE WHEN NOT received THEN 'NOT_SUBMITTED'
                               WHEN partial THEN 'PARTIAL' ELSE 'SUBMITTED' END,
                 'late', late, 'timeliness', timeliness, 'deadline', deadline,
                 'review_state', review_state, 'review_note', review_note,
                 'revision_no', revision_no, 'received_at', first_received_at,
                 'completeness_pct', completeness_pct, 'sections_missing', sections_missing,
                 'geographic_coverage', geographic_coverage, 'n_warnings', n_warnings)
               ORDER BY coalesce(m49_subregion, 'zzz'), reporting_country, questionnaire), '[]')
             FROM t),
    'coverage', (SELECT coalesce(json_agg(json_build_object(
                     'group', group_code, 'group_name', group_name, 'questionnaire', questionnaire,
                     'n_members', n_members, 'n_expected', n_expected, 'n_received', n_received,
                     'n_not_received', n_not_received, 'n_late', n_late, 'n_partial', n_partial,
                     'n_approved', n_approved, 'not_received', not_received)
                   ORDER BY questionnaire), '[]')
                   FROM dcp.v_group_coverage
                  WHERE group_code = coalesce($2::text, 'PARIS_PACT') AND reporting_year = $1::int));

-- name: baseline
-- Per pillar, each key figure of the report year (dcp.v_key_figures:
-- P1 kg per substance, STRs, convictions, assets; NULL with its status
-- when a contributing figure is missing) against its baseline: the frozen
-- baseline of dcp.baseline (earliest frozen year up to the report year)
-- when one was frozen, else the figure as first reported in the earliest
-- year with an answer (dcp.v_key_figures_first_reported), said in
-- baseline_kind.  Change only between two numbers in the same unit.
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
cur AS (
    SELECT * FROM dcp.v_key_figures
     WHERE reporting_year = $1::int
       AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members))
),
frozen AS (
    SELECT DISTINCT ON (area, indicator, breakdown, unit) *
      FROM dcp.baseline WHERE year <= $1::int
     ORDER BY area, indicator, breakdown, unit, year
),
first AS (
    SELECT DISTINCT ON (reporting_country, indicator, breakdown, unit) *
      FROM dcp.v_key_figures_first_reported WHERE reporting_year <= $1::int
     ORDER BY reporting_country, indicator, breakdown, unit, reporting_year
),
b AS (
    SELECT c.*, z.area IS NOT NULL AS is_frozen,
           CASE WHEN z.area IS NOT NULL THEN z.year ELSE f.reporting_year END AS b_year,
           CASE WHEN z.area IS NOT NULL THEN z.value ELSE f.value END AS b_value,
           CASE WHEN z.area IS NOT NULL THEN z.status ELSE f.status END AS b_status,
           z.frozen_at, z.vintage
    FROM cur c
    LEFT JOIN frozen z ON z.area = c.reporting_country AND z.indicator = c.indicator
                      AND z.breakdown = c.breakdown AND z.unit IS NOT DISTINCT FROM c.unit
    LEFT JOIN first f ON f.reporting_country = c.reporting_country AND f.indicator = c.indicator
                     AND f.breakdown = c.breakdown AND f.unit IS NOT DISTINCT FROM c.unit
)
SELECT coalesce(json_agg(json_build_object(
           'pillar', CASE WHEN indicator LIKE 'P%' THEN 'Precursors' ELSE 'Financial flows' END,
           'country', reporting_country, 'indicator', indicator, 'scope', breakdown, 'unit', unit,
           'baseline_kind', CASE WHEN is_frozen THEN 'frozen (' || vintage || ', '
                                     || to_char(frozen_at, 'YYYY-MM-DD') || ')'
                                 ELSE 'as first reported, not frozen' END,
           'baseline_year', b_year, 'baseline_value', b_value, 'baseline_status', b_status,
           'current_value', value, 'current_status', status,
           'change', CASE WHEN b_value IS NOT NULL AND value IS NOT NULL AND b_year < reporting_year
                          THEN value - b_value END,
           'change_pct', CASE WHEN b_value IS NOT NULL AND value IS NOT NULL
                               AND b_year < reporting_year AND b_value <> 0
                              THEN round(100 * (value - b_value) / abs(b_value), 1) END)
         ORDER BY CASE WHEN indicator LIKE 'P%' THEN 2 ELSE 1 END, reporting_country, indicator,
                  breakdown), '[]')
FROM b;

-- name: seizures
-- countries: v_pc_seizure_kg per country, substance and year (kg_total NULL
-- with total_status INCOMPLETE or NOT_AVAILABLE when a row has no kg; 0
-- only for a confirmed "no seizures").  totals: per year and substance over
-- the countries, PARTIAL coverage left out and counted (n_partial_left_out):
-- v_pc_seizure_kg_by_year for all countries, the same sum over the group's
-- members otherwise.
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
k AS (
    SELECT * FROM dcp.v_pc_seizure_kg
     WHERE reporting_year <= $1::int
       AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members))
),
nat AS (SELECT * FROM k WHERE geographic_coverage IS DISTINCT FROM 'PARTIAL'),
totals AS (
    SELECT reporting_year, substance_code, substance_name, kg_total, total_status, n_countries,
           n_countries_missing, n_partial_left_out, countries_missing
      FROM dcp.v_pc_seizure_kg_by_year
     WHERE $2::text IS NULL AND reporting_year <= $1::int
    UNION ALL
    SELECT y.reporting_year, y.substance_code, min(k.substance_name),
           CASE WHEN count(n.*) > 0 AND count(n.*) FILTER (WHERE n.kg_total IS NULL) = 0
                THEN sum(n.kg_total) END,
           CASE WHEN count(n.*) = 0 OR count(n.*) FILTER (WHERE n.kg_total IS NULL) = count(n.*)
                    THEN 'NOT_AVAILABLE'
                WHEN count(n.*) FILTER (WHERE n.kg_total IS NULL) > 0 THEN 'INCOMPLETE'
                WHEN count(n.*) FILTER (WHERE n.total_status = 'CONFIRMED_ZERO') = count(n.*)
                    THEN 'CONFIRMED_ZERO'
                ELSE 'REPORTED' END,
           count(n.*), count(n.*) FILTER (WHERE n.kg_total IS NULL),
           count(k.*) FILTER (WHERE k.geographic_coverage = 'PARTIAL'),
           array_agg(n.reporting_country ORDER BY n.reporting_country)
               FILTER (WHERE n.reporting_country IS NOT NULL AND n.kg_total IS NULL)
      FROM (SELECT DISTINCT reporting_year, substance_code FROM k) y
      JOIN k ON k.reporting_year = y.reporting_year AND k.substance_code = y.substance_code
      LEFT JOIN nat n ON n.reporting_country = k.reporting_country
                     AND n.reporting_year = k.reporting_year
                     AND n.substance_code = k.substance_code
     WHERE $2::text IS NOT NULL
     GROUP BY y.reporting_year, y.substance_code
)
SELECT json_build_object(
    'countries', (SELECT coalesce(json_agg(json_build_object(
                      'country', reporting_country, 'year', reporting_year,
                      'substance', substance_code, 'substance_name', substance_name,
                      'kg', kg_total, 'total_status', total_status, 'rows', n_rows,
                      'rows_without_kg', n_missing, 'rows_unconverted', n_unconverted,
                      'rows_confirmed_zero', n_confirmed_zero, 'litres', litres_reported,
                      'statuses', statuses,
                      'partial_coverage', geographic_coverage = 'PARTIAL')
                    ORDER BY reporting_year, reporting_country, substance_code), '[]') FROM k),
    'totals', (SELECT coalesce(json_agg(json_build_object(
                   'year', reporting_year, 'substance', substance_code,
                   'substance_name', substance_name, 'kg', kg_total,
                   'total_status', total_status, 'n_countries', n_countries,
                   'n_countries_missing', n_countries_missing,
                   'n_partial_left_out', n_partial_left_out,
                   'countries_missing', countries_missing)
                 ORDER BY reporting_year, substance_code), '[]') FROM totals));

-- name: routes
-- incidents: one row per incident and substance (v_incident_route_substances):
-- the map draws each substance as its own series and mixed-substance
-- figures apart; kilograms of different substances are never added.
-- flows: origin -> destination per substance (v_incident_flows for all
-- countries, the same sum over the group's members otherwise), PARTIAL
-- coverage left out and counted.
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
s AS (
    SELECT * FROM dcp.v_incident_route_substances
     WHERE reporting_year = $1::int
       AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members))
),
flows AS (
    SELECT substance, mixed_substances, origin, destination, quantity_kg, total_status,
           n_incidents, n_missing, n_partial_left_out, n_countries
      FROM dcp.v_incident_flows
     WHERE $2::text IS NULL AND reporting_year = $1::int
    UNION ALL
    SELECT substance, mixed_substances, origin, destination,
           CASE WHEN count(*) FILTER (WHERE quantity_kg IS NULL AND NOT p) = 0
                 AND count(*) FILTER (WHERE NOT p) > 0
                THEN sum(quantity_kg) FILTER (WHERE NOT p) END,
           CASE WHEN count(*) FILTER (WHERE NOT p) = 0
                  OR count(*) FILTER (WHERE quantity_kg IS NULL AND NOT p) = count(*) FILTER (WHERE NOT p)
                    THEN 'NOT_AVAILABLE'
                WHEN count(*) FILTER (WHERE quantity_kg IS NULL AND NOT p) > 0 THEN 'INCOMPLETE'
                ELSE 'REPORTED' END,
           count(*) FILTER (WHERE NOT p), count(*) FILTER (WHERE quantity_kg IS NULL AND NOT p),
           count(*) FILTER (WHERE p), count(DISTINCT reporting_country) FILTER (WHERE NOT p)
      FROM (SELECT *, geographic_coverage = 'PARTIAL' AS p FROM s) x
     WHERE $2::text IS NOT NULL
     GROUP BY substance, mixed_substances, origin, destination
)
SELECT json_build_object(
    'incidents', (SELECT coalesce(json_agg(json_build_object(
                      'country', reporting_country, 'incident_id', incident_id,
                      'type', incident_type, 'date', incident_date, 'mode', transport_mode,
                      'origin', origin, 'transit', transit, 'destination', destination,
                      'legs', legs, 'substance', substance, 'mixed', mixed_substances,
                      'kg', quantity_kg, 'total_status', total_status,
                      'rows_without_kg', n_missing, 'statuses', statuses,
                      'partial_coverage', geographic_coverage = 'PARTIAL')
                    ORDER BY reporting_country, incident_ord, mixed_substances, substance), '[]')
                    FROM s),
    'flows', (SELECT coalesce(json_agg(json_build_object(
                  'substance', substance, 'mixed', mixed_substances, 'origin', origin,
                  'destination', destination, 'kg', quantity_kg, 'total_status', total_status,
                  'n_incidents', n_incidents, 'n_missing', n_missing,
                  'n_partial_left_out', n_partial_left_out, 'n_countries', n_countries)
                ORDER BY mixed_substances, substance, origin, destination), '[]') FROM flows));

-- name: funnel
-- STRs received (all) -> ML investigations -> prosecutions -> convictions,
-- all money-laundering cases ("ALL" / "ML_ALL"), per country.
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
)
SELECT coalesce(json_agg(json_build_object(
           'country', reporting_country, 'stage', indicator, 'value', value, 'status', status,
           'unit', count_unit, 'counting_rule', counting_rule)
         ORDER BY reporting_country, indicator), '[]')
FROM dcp.v_ff_indicators
WHERE reporting_year = $1::int AND breakdown IS NULL
  AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members))
  AND ((indicator = 'STR_RECEIVED' AND scope = 'ALL')
       OR (indicator IN ('ML_INVESTIGATION', 'ML_PROSECUTION', 'ML_CONVICTION')
           AND scope = 'ML_ALL'));

-- name: assets
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
)
SELECT coalesce(json_agg(json_build_object(
           'country', reporting_country, 'measure', measure, 'category', asset_category,
           'scope', predicate_scope, 'valuation', valuation_basis,
           'amount', amount, 'currency', currency, 'status', amount_status,
           'amount_usd', amount_usd, 'rate', rate_units_per_usd, 'rate_year', rate_year,
           'rate_basis', rate_basis, 'rate_source', rate_source,
           'usd_missing_reason', usd_missing_reason, 'cases', cases_value,
           'cases_status', cases_status)
         ORDER BY reporting_country, ord), '[]')
FROM dcp.v_ff_assets_usd
WHERE reporting_year = $1::int
  AND ($2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members));

-- name: notes
-- Every figure that is not a plain reported number, and the counts per
-- status: NOT_AVAILABLE, ESTIMATED, PROVISIONAL, CONFIDENTIAL, ... as
-- stored; PARTIAL for every response with partial geographic coverage
-- (left out of the cross-country totals, count in left_out).
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
obs AS (
    SELECT 'financial_flows' AS questionnaire, reporting_country AS country,
           indicator || ' ' || measure || ' ' || scope || coalesce(' ' || breakdown, '') AS item,
           status::text AS status, question_ref
    FROM dcp.v_ff_indicators WHERE reporting_year = $1::int
    UNION ALL
    SELECT 'precursors', reporting_country, 'P1 SEIZURE ' || coalesce(substance_code, '?'),
           quantity_status::text, question_ref
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1::int
    UNION ALL
    SELECT 'precursors', reporting_country,
           'P6 INCIDENT ' || coalesce(incident_id, '?') || ' '
               || coalesce(substance_code, substance_name, '?'),
           quantity_status::text, quantity_qref
    FROM dcp.v_pc_incident_substances WHERE reporting_year = $1::int
    UNION ALL
    SELECT questionnaire, reporting_country,
           'whole response: partial geographic coverage, left out of cross-country totals',
           'PARTIAL', NULL
    FROM dcp.v_response_tracking WHERE reporting_year = $1::int AND received AND partial
),
g AS (SELECT * FROM obs WHERE $2::text IS NULL OR country IN (SELECT iso3 FROM members))
SELECT json_build_object(
    'counts', (SELECT coalesce(json_agg(json_build_object('questionnaire', questionnaire,
                                                          'status', status, 'n', n)
                                        ORDER BY questionnaire, status), '[]')
                 FROM (SELECT questionnaire, status, count(*) AS n FROM g
                        GROUP BY questionnaire, status) c),
    'items', (SELECT coalesce(json_agg(json_build_object('questionnaire', questionnaire,
                                                         'country', country, 'item', item,
                                                         'status', status, 'question_ref',
                                                         question_ref)
                                       ORDER BY country, questionnaire, item), '[]')
                FROM g WHERE status <> 'REPORTED'),
    'left_out', (SELECT coalesce(json_agg(json_build_object('questionnaire', questionnaire,
                                                            'country', country)
                                          ORDER BY country, questionnaire), '[]')
                   FROM g WHERE status = 'PARTIAL'));

-- name: sdmx
-- One row per observation of both questionnaires.  Columns, in this order:
-- dataflow, ref_area, indicator, measure, scope, breakdown, item,
-- time_period, obs_value, status, unit, counting_rule, valuation_basis,
-- question_ref, revision.  NULL dimensions become "_Z" in the file; item
-- numbers rows that share every other dimension (report_sdmx.h).  Derived
-- precursor totals (PC_SEIZED_KG, PC_INCIDENTS, PC_INCIDENT_KG) take the
-- status SDMX.md describes: a NULL total is NOT_AVAILABLE (or the one
-- missing status all its rows share), never 0.
WITH members AS (
    SELECT DISTINCT member AS iso3 FROM dcp.v_country_groups
     WHERE group_code = $2::text AND member_kind = 'country'
       AND coalesce(from_year, $1::int) <= $1::int AND coalesce(to_year, $1::int) >= $1::int
),
ff AS (
    SELECT 'DF_FINANCIAL_FLOWS' AS dataflow, reporting_country, indicator, measure, scope,
           breakdown, reporting_year, value, status::text AS status,
           coalesce(currency, count_unit) AS unit, counting_rule, valuation_basis, question_ref,
           revision_no
    FROM dcp.v_ff_indicators WHERE reporting_year = $1::int
),
pc AS (
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZED', 'QUANTITY', physical_form,
           substance_code, reporting_year, quantity_value, quantity_status::text, quantity_unit,
           NULL::text, NULL::text, question_ref, revision_no
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1::int
    UNION ALL
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZURES', 'COUNT', physical_form,
           substance_code, reporting_year, number_of_seizures_value,
           number_of_seizures_status::text, 'SEIZURES', NULL, NULL, question_ref, revision_no
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1::int
    UNION ALL
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZED_KG', 'QUANTITY', NULL,
           substance_code, reporting_year, kg_total,
           CASE WHEN kg_total IS NULL THEN
                    CASE WHEN cardinality(statuses) = 1
                          AND statuses[1]::text NOT IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL')
                         THEN statuses[1]::text ELSE 'NOT_AVAILABLE' END
                WHEN 'PROVISIONAL' = ANY (statuses::text[]) THEN 'PROVISIONAL'
                WHEN 'ESTIMATED' = ANY (statuses::text[]) THEN 'ESTIMATED'
                ELSE 'REPORTED' END,
           'KG', NULL, NULL, NULL, revision_no
    FROM dcp.v_pc_seizure_kg WHERE reporting_year = $1::int
),
inc AS (
    SELECT reporting_country, reporting_year, revision_no, substance,
           CASE WHEN mixed_substances THEN 'MIXED_SUBSTANCES' END AS scope,
           count(DISTINCT incident_ord) AS n_incidents,
           CASE WHEN count(*) FILTER (WHERE quantity_kg IS NULL) = 0 THEN sum(quantity_kg) END
               AS kg,
           -- the one missing status every row shares, if they share one
           CASE WHEN bool_and(cardinality(statuses) = 1)
                 AND min(statuses[1]::text) = max(statuses[1]::text)
                 AND min(statuses[1]::text) NOT IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL')
                THEN min(statuses[1]::text) END AS shared_missing,
           bool_or('PROVISIONAL' = ANY (statuses::text[])) AS any_provisional,
           bool_or('ESTIMATED' = ANY (statuses::text[])) AS any_estimated
    FROM dcp.v_incident_route_substances WHERE reporting_year = $1::int
    GROUP BY reporting_country, reporting_year, revision_no, substance, mixed_substances
),
pi AS (
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_INCIDENTS', 'COUNT', scope, substance,
           reporting_year, n_incidents::numeric, 'REPORTED', 'INCIDENTS', NULL::text, NULL::text,
           NULL::text, revision_no
    FROM inc
    UNION ALL
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_INCIDENT_KG', 'QUANTITY', scope, substance,
           reporting_year, kg,
           CASE WHEN kg IS NULL THEN coalesce(shared_missing, 'NOT_AVAILABLE')
                WHEN any_provisional THEN 'PROVISIONAL'
                WHEN any_estimated THEN 'ESTIMATED'
                ELSE 'REPORTED' END,
           'KG', NULL, NULL, NULL, revision_no
    FROM inc
),
obs AS (
    SELECT * FROM ff UNION ALL SELECT * FROM pc UNION ALL SELECT * FROM pi
)
SELECT dataflow, reporting_country, indicator, measure, scope, breakdown,
       row_number() OVER (PARTITION BY dataflow, reporting_country, indicator, measure,
                                       scope, breakdown, reporting_year
                          ORDER BY unit, counting_rule, valuation_basis, question_ref,
                                   status, value) AS item,
       reporting_year, value, status, unit, counting_rule, valuation_basis, question_ref,
       revision_no
FROM obs
WHERE $2::text IS NULL OR reporting_country IN (SELECT iso3 FROM members)
ORDER BY dataflow, reporting_country, indicator, measure, scope, breakdown, item;
