-- 0004_views.sql: the analysts' surface (proto/QUESTIONNAIRE.md section 8).
-- previous-sha256: 4b479296c52ba2ae915a5fd848ac6cdc1c822b355c9611a4117e6148652de922
--
-- Analysts read views, never the ingest tables: every view except
-- v_submissions_first_reported shows CURRENT revisions only, so one answer
-- never appears in two versions.  Status columns are kept beside every value
-- so that "not available" (value NULL, status NOT_AVAILABLE) can be told
-- from a reported zero.  Personal data (focal point, sender keys, raw bytes)
-- is not exposed here.  Append-only file: change a view by CREATE OR REPLACE
-- in a later migration.

CREATE VIEW dcp.v_submissions_current AS
SELECT s.submission_id, s.questionnaire, s.reporting_country, s.reporting_year,
       s.revision_no, s.supersedes, s.revision_reason, s.form_version, s.schema_version,
       s.finalised_at, s.completed_on, s.reference_period_start, s.reference_period_end,
       s.geographic_coverage, s.coverage_note, s.language, s.sender_country, s.sender_name,
       s.validator_id, s.received_at, s.stored_at, s.review_state, s.completeness_pct,
       s.n_numbers, s.n_reported, s.n_not_available, s.n_unanswered, s.n_warnings, s.n_infos
FROM dcp.submission s
WHERE s.is_current;
COMMENT ON VIEW dcp.v_submissions_current IS
    'The current revision of every (country, questionnaire, year); reporting compliance dashboard.';

-- "As first reported": the lowest revision of each series, so a baseline can
-- be frozen and later revisions never move it silently (proto/QUESTIONNAIRE.md 8.13).
CREATE VIEW dcp.v_submissions_first_reported AS
SELECT DISTINCT ON (s.reporting_country, s.questionnaire, s.reporting_year)
       s.submission_id, s.questionnaire, s.reporting_country, s.reporting_year,
       s.revision_no, s.form_version, s.finalised_at, s.completed_on, s.geographic_coverage,
       s.received_at, s.stored_at, s.review_state, s.completeness_pct, s.is_current,
       (SELECT count(*) FROM dcp.submission r
         WHERE r.reporting_country = s.reporting_country AND r.questionnaire = s.questionnaire
           AND r.reporting_year = s.reporting_year) AS n_revisions
FROM dcp.submission s
ORDER BY s.reporting_country, s.questionnaire, s.reporting_year, s.revision_no, s.stored_at;
COMMENT ON VIEW dcp.v_submissions_first_reported IS
    'The first accepted submission of every (country, questionnaire, year), whatever was revised later.';

CREATE VIEW dcp.v_findings AS
SELECT s.reporting_country, s.questionnaire, s.reporting_year, s.revision_no, s.review_state,
       f.submission_id, f.ord, f.rule, f.severity, f.path, f.message
FROM dcp.finding f
JOIN dcp.submission s ON s.submission_id = f.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_findings IS 'Warnings and infos stored with current submissions.';

CREATE VIEW dcp.v_precursor_seizures AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage, z.ord, z.substance_code, rs.name AS substance_name,
       z.convention_table, z.physical_form, z.no_seizures,
       z.quantity_value, z.quantity_unit, z.quantity_status,
       z.quantity_kg, z.quantity_kg_factor, z.quantity_kg_method,
       z.concentration_pct, z.number_of_seizures_value, z.number_of_seizures_status,
       z.origin_countries, z.origin_basis, z.question_ref
FROM dcp.pc_seizure z
JOIN dcp.submission s ON s.submission_id = z.submission_id
LEFT JOIN LATERAL (SELECT r.name FROM dcp.ref_substances r
                    WHERE r.code = z.substance_code LIMIT 1) rs ON true
WHERE s.is_current;
COMMENT ON VIEW dcp.v_precursor_seizures IS
    'P1 annual seizures of current submissions, original quantity and unit beside the derived kg.';

-- Analysis 8.1.  kg_total is NULL when no row has a known mass (all "not
-- available"), 0 only when the country confirmed no seizures; rows_without_kg
-- > 0 means the total is partial.
CREATE VIEW dcp.v_aa_seizures_kg AS
SELECT v.reporting_country, v.reporting_year, v.submission_id, v.revision_no,
       sum(CASE WHEN v.no_seizures THEN 0 ELSE v.quantity_kg END) AS kg_total,
       sum(v.quantity_kg) FILTER (WHERE v.quantity_kg_method = 'mass_unit') AS kg_from_mass_units,
       sum(v.quantity_kg) FILTER (WHERE v.quantity_kg_method LIKE 'density:%') AS kg_from_volume,
       sum(v.quantity_value) FILTER (WHERE v.quantity_unit = 'L') AS litres_reported,
       count(*) AS rows,
       count(*) FILTER (WHERE NOT coalesce(v.no_seizures, false) AND v.quantity_kg IS NULL)
           AS rows_without_kg,
       bool_and(coalesce(v.no_seizures, false)) AS confirmed_no_seizures,
       array_agg(DISTINCT v.quantity_status) AS statuses,
       array_agg(DISTINCT v.quantity_kg_method) FILTER (WHERE v.quantity_kg_method IS NOT NULL)
           AS kg_methods,
       bool_or(v.geographic_coverage = 'PARTIAL') AS partial_coverage
FROM dcp.v_precursor_seizures v
WHERE v.substance_code = 'AA'
GROUP BY v.reporting_country, v.reporting_year, v.submission_id, v.revision_no;
COMMENT ON VIEW dcp.v_aa_seizures_kg IS
    'Acetic anhydride seized per country and year in kg (substance density, never 1 kg/L).';

-- Financial-flow indicators in long form (analyses 8, 9, 10): one row per
-- number, with its breakdown, unit or currency and status.
CREATE VIEW dcp.v_ff_indicators AS
WITH cur AS (
    SELECT submission_id, reporting_country, reporting_year, revision_no
    FROM dcp.submission WHERE is_current AND questionnaire = 'financial_flows'
)
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'C'::text AS section, x.indicator, x.measure, x.scope, NULL::text AS breakdown,
       x.count_unit, NULL::text AS counting_rule, NULL::text AS valuation_basis,
       x.value, x.currency, x.status, x.question_ref
FROM dcp.ff_str t
JOIN cur c USING (submission_id)
CROSS JOIN LATERAL (VALUES
    ('STR_RECEIVED', 'COUNT', 'ALL', 'REPORTS', t.received_total_value, NULL, t.received_total_status, t.received_total_qref),
    ('STR_RECEIVED', 'COUNT', 'DRUG', 'REPORTS', t.received_drug_related_value, NULL, t.received_drug_related_status, t.received_drug_related_qref),
    ('STR_RECEIVED', 'COUNT', 'AFGHAN_OPIATES', 'REPORTS', t.received_afghan_opiates_value, NULL, t.received_afghan_opiates_status, t.received_afghan_opiates_qref),
    ('STR_DISSEMINATED', 'COUNT', 'ALL', 'REPORTS', t.disseminated_total_value, NULL, t.disseminated_total_status, t.disseminated_total_qref),
    ('STR_DISSEMINATED', 'COUNT', 'DRUG', 'REPORTS', t.disseminated_drug_related_value, NULL, t.disseminated_drug_related_status, t.disseminated_drug_related_qref),
    ('STR_DISSEMINATION_DAYS', 'MEDIAN', 'ALL', 'DAYS', t.median_days_to_dissemination_value, NULL, t.median_days_to_dissemination_status, t.median_days_to_dissemination_qref),
    ('FIU_REQUESTS_SENT', 'COUNT', 'ALL', 'REQUESTS', t.fiu_requests_sent_value, NULL, t.fiu_requests_sent_status, t.fiu_requests_sent_qref),
    ('FIU_REQUESTS_RECEIVED', 'COUNT', 'ALL', 'REQUESTS', t.fiu_requests_received_value, NULL, t.fiu_requests_received_status, t.fiu_requests_received_qref),
    ('CASH_DECLARATIONS', 'COUNT', 'ALL', 'DECLARATIONS', t.cash_declarations_filed_value, NULL, t.cash_declarations_filed_status, t.cash_declarations_filed_qref),
    ('CASH_DECLARATIONS', 'AMOUNT', 'ALL', NULL, t.cash_declarations_value_amount, t.cash_declarations_value_currency, t.cash_declarations_value_status, t.cash_declarations_value_qref),
    ('CASH_SEIZED_AT_BORDER', 'AMOUNT', 'ALL', NULL, t.cash_seized_at_border_amount, t.cash_seized_at_border_currency, t.cash_seized_at_border_status, t.cash_seized_at_border_qref),
    ('CASH_SEIZED_AT_BORDER', 'COUNT', 'ALL', 'CASES', t.cash_seized_at_border_cases_value, NULL, t.cash_seized_at_border_cases_status, t.cash_seized_at_border_cases_qref)
) AS x (indicator, measure, scope, count_unit, value, currency, status, question_ref)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'C', 'STR_RECEIVED', 'COUNT', 'ALL', t.sector, 'REPORTS', NULL, NULL,
       t.reports_value, NULL, t.reports_status, t.reports_qref
FROM dcp.ff_str_sector t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'D', 'ML_' || t.stage, 'COUNT', t.scope, NULL, t.count_unit, t.counting_rule, NULL,
       t.count_value, NULL, t.count_status, coalesce(t.count_qref, t.question_ref)
FROM dcp.ff_enforcement t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'E', 'ASSET_' || t.measure, 'AMOUNT', t.predicate_scope, t.asset_category, NULL, NULL,
       t.valuation_basis, t.amount, t.currency, t.amount_status, coalesce(t.amount_qref, t.question_ref)
FROM dcp.ff_asset t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'E', 'ASSET_' || t.measure, 'COUNT', t.predicate_scope, t.asset_category, 'CASES', NULL,
       NULL, t.cases_value, NULL, t.cases_status, coalesce(t.cases_qref, t.question_ref)
FROM dcp.ff_asset t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'G', t.instrument || '_' || t.direction, x.measure,
       CASE t.drug_related WHEN 'YES' THEN 'DRUG' WHEN 'NO' THEN 'NON_DRUG' ELSE 'ALL' END,
       t.counterpart_country, x.count_unit, NULL, NULL, x.value, NULL, x.status,
       coalesce(x.qref, t.question_ref)
FROM dcp.ff_cooperation t
JOIN cur c USING (submission_id)
CROSS JOIN LATERAL (VALUES
    ('REQUESTS', 'REQUESTS', t.requests_value, t.requests_status, t.requests_qref),
    ('EXECUTED', 'REQUESTS', t.executed_value, t.executed_status, t.executed_qref),
    ('REFUSED', 'REQUESTS', t.refused_value, t.refused_status, t.refused_qref),
    ('PENDING_AT_YEAR_END', 'REQUESTS', t.pending_at_year_end_value, t.pending_at_year_end_status, t.pending_at_year_end_qref),
    ('PENDING_FROM_PREVIOUS_YEAR', 'REQUESTS', t.pending_from_previous_year_value, t.pending_from_previous_year_status, t.pending_from_previous_year_qref),
    ('MEAN_RESPONSE_DAYS', 'DAYS', t.mean_response_days_value, t.mean_response_days_status, t.mean_response_days_qref)
) AS x (measure, count_unit, value, status, qref);
COMMENT ON VIEW dcp.v_ff_indicators IS
    'Financial-flow indicators of current submissions in long form: STRs, enforcement, assets, cooperation.';

-- Analysis 8.3: origin -> destination of every incident.  Origin is the first
-- ORIGIN leg (else DEPARTURE, else the first leg); destination the last
-- DESTINATION leg (else INTENDED_DESTINATION, else the last leg).
CREATE VIEW dcp.v_incident_routes AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       i.ord AS incident_ord, i.incident_id, i.incident_type, i.incident_date, i.transport_mode,
       coalesce(r.first_origin, r.first_departure, r.first_leg) AS origin,
       coalesce(r.last_destination, r.last_intended, r.last_leg) AS destination,
       r.transit, r.legs, r.n_legs, sub.substances, sub.quantity_kg, sub.rows_without_kg
FROM dcp.pc_incident i
JOIN dcp.submission s ON s.submission_id = i.submission_id
LEFT JOIN LATERAL (
    SELECT (array_agg(l.country ORDER BY l.ord) FILTER (WHERE l.role = 'ORIGIN'))[1] AS first_origin,
           (array_agg(l.country ORDER BY l.ord) FILTER (WHERE l.role = 'DEPARTURE'))[1] AS first_departure,
           (array_agg(l.country ORDER BY l.ord))[1] AS first_leg,
           (array_agg(l.country ORDER BY l.ord DESC) FILTER (WHERE l.role = 'DESTINATION'))[1] AS last_destination,
           (array_agg(l.country ORDER BY l.ord DESC) FILTER (WHERE l.role = 'INTENDED_DESTINATION'))[1] AS last_intended,
           (array_agg(l.country ORDER BY l.ord DESC))[1] AS last_leg,
           array_agg(l.country ORDER BY l.ord) FILTER (WHERE l.role = 'TRANSIT') AS transit,
           string_agg(l.country, ' > ' ORDER BY l.ord) AS legs,
           count(*) AS n_legs
    FROM dcp.pc_incident_route l
    WHERE l.submission_id = i.submission_id AND l.incident_ord = i.ord
) r ON true
LEFT JOIN LATERAL (
    SELECT array_agg(coalesce(x.substance_code, x.substance_name) ORDER BY x.ord) AS substances,
           sum(x.quantity_kg) AS quantity_kg,
           count(*) FILTER (WHERE x.quantity_kg IS NULL) AS rows_without_kg
    FROM dcp.pc_incident_substance x
    WHERE x.submission_id = i.submission_id AND x.incident_ord = i.ord
) sub ON true
WHERE s.is_current;
COMMENT ON VIEW dcp.v_incident_routes IS
    'One row per incident of current submissions: origin, transit, destination, substances and kg.';
