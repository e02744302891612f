-- queries.sql: every SQL statement of the report program, in one place.
--
-- Embedded into `report` at build time (loader/report/CMakeLists.txt) and
-- looked up by name: each statement starts with a line "-- name: NAME".
-- Parameters: $1 = reporting year (integer), $2 = country group (text,
-- NULL for all; passed only to statements that use it).  The report runs as a member of dcp_analyst, so it reads
-- views and ref_* tables only.  Written against the views of 0004_views.sql
-- and 0050_report.sql; when the views of issue 12 (tracking, country groups,
-- baselines as first reported) exist, this file is the one place to switch.
-- HTML sections return one JSON value each; "sdmx" returns rows in the
-- column order report_sdmx.h expects.

-- name: group_check
-- Country groups need issue 12's group view; until then only "all".
SELECT $2::text IS NULL AS ok, $1::int AS year;

-- name: meta
SELECT json_build_object(
    'year', $1::int,
    'group', $2::text,
    'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'years', (SELECT coalesce(json_agg(DISTINCT reporting_year ORDER BY reporting_year), '[]')
                FROM dcp.v_submissions_current),
    'countries', (SELECT coalesce(json_object_agg(iso3, name), '{}')
                    FROM (SELECT DISTINCT ON (iso3) iso3, name FROM dcp.ref_countries
                           ORDER BY iso3, coalesce(nullif(valid_to, 0), 9999) DESC) c),
    'substances', (SELECT coalesce(json_object_agg(code, name), '{}')
                     FROM (SELECT DISTINCT ON (code) code, name FROM dcp.ref_substances
                            ORDER BY code) s));

-- name: tracking
-- Expected: every Paris Pact partner, plus any country that answered.
-- Late = the validator's finding V-ENV-05 (received after the deadline) on
-- the current submission; null when nothing was submitted.
WITH q (questionnaire) AS (VALUES ('financial_flows'), ('precursors')),
expected AS (
    SELECT iso3 FROM dcp.ref_countries WHERE paris_pact_partner
    UNION
    SELECT reporting_country FROM dcp.v_submissions_current WHERE reporting_year = $1
),
cur AS (SELECT * FROM dcp.v_submissions_current WHERE reporting_year = $1)
SELECT coalesce(json_agg(json_build_object(
           'country', e.iso3, 'group', NULL, 'questionnaire', q.questionnaire,
           'state', CASE WHEN c.submission_id IS NULL THEN 'NOT_SUBMITTED'
                         WHEN c.completeness_pct < 100 OR c.geographic_coverage = 'PARTIAL'
                             THEN 'PARTIAL'
                         ELSE 'SUBMITTED' END,
           'late', CASE WHEN c.submission_id IS NOT NULL THEN EXISTS (
                       SELECT 1 FROM dcp.v_findings f
                        WHERE f.submission_id = c.submission_id AND f.rule = 'V-ENV-05') END,
           'review_state', c.review_state, 'revision_no', c.revision_no,
           'received_at', c.received_at, 'completeness_pct', c.completeness_pct,
           'geographic_coverage', c.geographic_coverage,
           'n_not_available', c.n_not_available, 'n_warnings', c.n_warnings)
         ORDER BY e.iso3, q.questionnaire), '[]')
FROM expected e CROSS JOIN q
LEFT JOIN cur c ON c.reporting_country = e.iso3 AND c.questionnaire = q.questionnaire;

-- name: baseline
-- Baseline = the earliest year with a current answer (the first-reported
-- figures need issue 12's baseline view); change only between two numbers
-- in the same unit.
WITH obs AS (
    SELECT 'Financial flows' AS pillar, reporting_country AS country, reporting_year AS year,
           indicator, scope, coalesce(currency, count_unit) AS unit, value, status
    FROM dcp.v_ff_indicators
    WHERE breakdown IS NULL AND section IN ('C', 'D', 'E') AND reporting_year <= $1
    UNION ALL
    SELECT 'Precursors', reporting_country, reporting_year, 'SEIZED_KG', substance_code, 'KG',
           CASE WHEN bool_and(coalesce(no_seizures, false)) THEN 0
                WHEN count(quantity_kg) = 0 THEN NULL
                ELSE sum(quantity_kg) END,
           CASE WHEN bool_and(coalesce(no_seizures, false)) THEN 'REPORTED'
                WHEN count(quantity_kg) = 0 THEN min(quantity_status)
                WHEN count(*) > count(quantity_kg) + count(*) FILTER (WHERE no_seizures) THEN 'PARTIAL'
                WHEN bool_or(quantity_status = 'PROVISIONAL') THEN 'PROVISIONAL'
                WHEN bool_or(quantity_status = 'ESTIMATED') THEN 'ESTIMATED'
                ELSE 'REPORTED' END
    FROM dcp.v_precursor_seizures
    WHERE reporting_year <= $1
    GROUP BY reporting_country, reporting_year, substance_code
),
keyed AS (
    SELECT o.*, min(year) OVER w AS base_year
    FROM obs o
    WINDOW w AS (PARTITION BY pillar, country, indicator, scope, unit)
)
SELECT coalesce(json_agg(json_build_object(
           'pillar', c.pillar, 'country', c.country, 'indicator', c.indicator,
           'scope', c.scope, 'unit', c.unit,
           'baseline_year', b.year, 'baseline_value', b.value, 'baseline_status', b.status,
           'current_value', c.value, 'current_status', c.status,
           'change', CASE WHEN b.value IS NOT NULL AND c.value IS NOT NULL AND b.year < c.year
                          THEN c.value - b.value END,
           'change_pct', CASE WHEN b.value IS NOT NULL AND c.value IS NOT NULL AND b.year < c.year
                               AND b.value <> 0
                              THEN round(100 * (c.value - b.value) / b.value, 1) END)
         ORDER BY c.pillar, c.country, c.indicator, c.scope), '[]')
FROM keyed c
JOIN keyed b ON b.pillar = c.pillar AND b.country = c.country AND b.indicator = c.indicator
            AND b.scope IS NOT DISTINCT FROM c.scope AND b.unit IS NOT DISTINCT FROM c.unit
            AND b.year = c.base_year
WHERE c.year = $1;

-- name: seizures
-- kg per country, substance and year; rows_without_kg > 0 = a partial total.
SELECT coalesce(json_agg(t ORDER BY t.year, t.country, t.substance), '[]')
FROM (SELECT reporting_country AS country, reporting_year AS year, substance_code AS substance,
             substance_name,
             CASE WHEN bool_and(coalesce(no_seizures, false)) THEN 0
                  WHEN count(quantity_kg) = 0 THEN NULL ELSE sum(quantity_kg) END AS kg,
             bool_and(coalesce(no_seizures, false)) AS confirmed_none,
             count(*) AS rows,
             count(*) FILTER (WHERE NOT coalesce(no_seizures, false) AND quantity_kg IS NULL)
                 AS rows_without_kg,
             array_agg(DISTINCT quantity_status) AS statuses,
             coalesce(bool_or(geographic_coverage = 'PARTIAL'), false) AS partial_coverage
      FROM dcp.v_precursor_seizures
      WHERE reporting_year <= $1
      GROUP BY reporting_country, reporting_year, substance_code, substance_name) t;

-- name: routes
SELECT coalesce(json_agg(json_build_object(
           'country', reporting_country, 'incident_id', incident_id, 'type', incident_type,
           'date', incident_date, 'mode', transport_mode, 'origin', origin,
           'transit', transit, 'destination', destination, 'legs', legs,
           'substances', substances, 'kg', quantity_kg, 'rows_without_kg', rows_without_kg)
         ORDER BY reporting_country, incident_ord), '[]')
FROM dcp.v_incident_routes
WHERE reporting_year = $1;

-- name: funnel
-- STRs received (all) -> ML investigations -> prosecutions -> convictions,
-- all money-laundering cases ("ALL" / "ML_ALL"), per country.
SELECT coalesce(json_agg(json_build_object(
           'country', reporting_country, 'stage', indicator, 'value', value, 'status', status,
           'unit', count_unit, 'counting_rule', counting_rule)
         ORDER BY reporting_country, indicator), '[]')
FROM dcp.v_ff_indicators
WHERE reporting_year = $1 AND breakdown IS NULL
  AND ((indicator = 'STR_RECEIVED' AND scope = 'ALL')
       OR (indicator IN ('ML_INVESTIGATION', 'ML_PROSECUTION', 'ML_CONVICTION')
           AND scope = 'ML_ALL'));

-- name: assets
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
WHERE reporting_year = $1;

-- name: notes
-- Every figure that is not a plain reported number, and the counts per status.
WITH obs AS (
    SELECT 'financial_flows' AS questionnaire, reporting_country AS country,
           indicator || ' ' || measure || ' ' || scope || coalesce(' ' || breakdown, '') AS item,
           status, question_ref
    FROM dcp.v_ff_indicators WHERE reporting_year = $1
    UNION ALL
    SELECT 'precursors', reporting_country, 'SEIZURE ' || coalesce(substance_code, '?'),
           quantity_status, question_ref
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1
)
SELECT json_build_object(
    'counts', (SELECT coalesce(json_agg(json_build_object('questionnaire', questionnaire,
                                                          'status', status, 'n', n)
                                        ORDER BY questionnaire, status), '[]')
                 FROM (SELECT questionnaire, status, count(*) AS n FROM obs
                        GROUP BY questionnaire, status) c),
    'items', (SELECT coalesce(json_agg(json_build_object('questionnaire', questionnaire,
                                                         'country', country, 'item', item,
                                                         'status', status, 'question_ref',
                                                         question_ref)
                                       ORDER BY country, questionnaire, item), '[]')
                FROM obs WHERE status <> 'REPORTED'));

-- name: sdmx
-- One row per observation of both questionnaires.  Columns, in this order:
-- dataflow, ref_area, indicator, measure, scope, breakdown, item,
-- time_period, obs_value, status, unit, counting_rule, valuation_basis,
-- question_ref, revision.  NULL dimensions become "_Z" in the file; item
-- numbers rows that share every other dimension (report_sdmx.h).
WITH ff AS (
    SELECT 'DF_FINANCIAL_FLOWS' AS dataflow, reporting_country, indicator, measure, scope,
           breakdown, reporting_year, value, status, coalesce(currency, count_unit) AS unit,
           counting_rule, valuation_basis, question_ref, revision_no
    FROM dcp.v_ff_indicators WHERE reporting_year = $1
),
pc AS (
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZED', 'QUANTITY', physical_form,
           substance_code, reporting_year, quantity_value, quantity_status, quantity_unit,
           NULL::text, NULL::text, question_ref, revision_no
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1
    UNION ALL
    SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZURES', 'COUNT', physical_form,
           substance_code, reporting_year, number_of_seizures_value, number_of_seizures_status,
           'SEIZURES', NULL, NULL, question_ref, revision_no
    FROM dcp.v_precursor_seizures WHERE reporting_year = $1
),
obs AS (SELECT * FROM ff UNION ALL SELECT * FROM pc)
SELECT dataflow, reporting_country, indicator, measure, scope, breakdown,
       row_number() OVER (PARTITION BY dataflow, reporting_country, indicator, measure,
                                       scope, breakdown, reporting_year
                          ORDER BY unit, counting_rule, valuation_basis, question_ref,
                                   status, value) AS item,
       reporting_year, value, status, unit, counting_rule, valuation_basis, question_ref,
       revision_no
FROM obs
ORDER BY dataflow, reporting_country, indicator, measure, scope, breakdown, item;
