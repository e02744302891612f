-- 0010_section_views.sql: a view for every section and every stored answer
-- (issue 12, item 1).
--
-- Analysts (dcp_analyst) read views only.  Each view below shows one
-- section table of the CURRENT revision of every series (joined on
-- dcp.submission.is_current, like 0004), with the country, year, submission
-- id, revision and geographic coverage in front and every stored column of
-- the table after them under its own name, so the data dictionary and the
-- column comments of the table describe the view too.  Child rows carry
-- their parent's ord and a few of its identifying columns (method, lab
-- type, incident id).  Quantities in volume units also appear in litres
-- (dcp.to_litres, from dcp.ref_units: L, ML and M3 alike); kilograms are the
-- stored derivation (*_kg, libdcp/dcp_kg).  Sector rows of section C are a
-- view of their own, apart from the totals, so that a plain SUM over one
-- view never counts a report twice.  Personal data of focal points is in no
-- view here.  Append-only file.

-- A volume in litres (NULL when the unit is not a volume unit, or the value
-- is absent).  STABLE: it reads dcp.ref_units, refreshed by the loader.
CREATE FUNCTION dcp.to_litres (value numeric, unit text) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT value * u.factor_to_canonical FROM dcp.ref_units u
          WHERE u.code = upper(unit) AND u.kind = 'volume' $$;
COMMENT ON FUNCTION dcp.to_litres (numeric, text) IS
    'A quantity in a volume unit (L, ML, M3 ...) converted to litres by dcp.ref_units; NULL for other units.';

CREATE VIEW dcp.v_submission_agencies AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.name, t.type
FROM dcp.submission_agency t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_submission_agencies IS
    'Contributing agencies of current submissions (agency names only, no persons).';

CREATE VIEW dcp.v_ff_legal AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ml_offence_exists, t.drug_trafficking_is_ml_predicate, t.fiu_exists, t.fiu_model,
       t.fiu_established_year, t.fiu_egmont_member, t.egmont_joined_year, t.fsrb_memberships,
       t.cash_declaration_system, t.cash_declaration_threshold_amount,
       t.cash_declaration_threshold_currency, t.cash_declaration_threshold_status,
       t.cash_declaration_threshold_qref, t.mvts_hawala_regime,
       t.non_conviction_based_confiscation, t.asset_recovery_office_exists,
       t.virtual_assets_regulated, t.question_ref
FROM dcp.ff_legal t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_legal IS
    'FF section B of current submissions: legal and institutional framework, one row per submission.';

CREATE VIEW dcp.v_ff_str AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.received_total_value, t.received_total_status, t.received_total_qref,
       t.received_drug_related_value, t.received_drug_related_status,
       t.received_drug_related_qref, t.received_afghan_opiates_value,
       t.received_afghan_opiates_status, t.received_afghan_opiates_qref,
       t.disseminated_total_value, t.disseminated_total_status, t.disseminated_total_qref,
       t.disseminated_drug_related_value, t.disseminated_drug_related_status,
       t.disseminated_drug_related_qref, t.median_days_to_dissemination_value,
       t.median_days_to_dissemination_status, t.median_days_to_dissemination_qref,
       t.fiu_requests_sent_value, t.fiu_requests_sent_status, t.fiu_requests_sent_qref,
       t.fiu_requests_received_value, t.fiu_requests_received_status,
       t.fiu_requests_received_qref, t.cash_declarations_filed_value,
       t.cash_declarations_filed_status, t.cash_declarations_filed_qref,
       t.cash_declarations_value_amount, t.cash_declarations_value_currency,
       t.cash_declarations_value_status, t.cash_declarations_value_qref,
       t.cash_seized_at_border_amount, t.cash_seized_at_border_currency,
       t.cash_seized_at_border_status, t.cash_seized_at_border_qref,
       t.cash_seized_at_border_cases_value, t.cash_seized_at_border_cases_status,
       t.cash_seized_at_border_cases_qref
FROM dcp.ff_str t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_str IS
    'FF section C totals of current submissions, one row per submission; the sector breakdown is in v_ff_str_sectors (kept apart so a SUM never counts a report twice).';

CREATE VIEW dcp.v_ff_str_sectors AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.sector, t.reports_value, t.reports_status, t.reports_qref
FROM dcp.ff_str_sector t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_str_sectors IS
    'FF section C: STRs received by reporting sector, one row per sector answered; parts of v_ff_str.received_total_value, never add them to it.';

CREATE VIEW dcp.v_ff_enforcement AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.stage, t.scope, t.count_unit, t.counting_rule, t.count_value, t.count_status,
       t.count_qref, t.sanctions_summary, t.question_ref
FROM dcp.ff_enforcement t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_enforcement IS
    'FF section D of current submissions: one row per stage x scope x count unit x counting rule.';

CREATE VIEW dcp.v_ff_assets AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.measure, t.asset_category, t.predicate_scope, t.amount, t.currency,
       t.amount_status, t.amount_qref, t.valuation_basis, t.cases_value, t.cases_status,
       t.cases_qref, t.origin_of_request, t.counterpart_country, t.question_ref
FROM dcp.ff_asset t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_assets IS
    'FF section E of current submissions: assets per measure x category x scope, amount in the original currency, with origin of request and counterpart country.';

CREATE VIEW dcp.v_ff_methods AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.method, t.observed, t.rank, t.trend, t.direction, t.currencies_observed,
       t.case_examples, t.question_ref,
       (SELECT array_agg(j.country ORDER BY j.ord) FROM dcp.ff_method_jurisdiction j
         WHERE j.submission_id = t.submission_id AND j.method_ord = t.ord) AS jurisdictions
FROM dcp.ff_method t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_methods IS
    'FF section F of current submissions: methods of moving drug money, one row per method; jurisdictions in v_ff_method_jurisdictions.';

CREATE VIEW dcp.v_ff_method_jurisdictions AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.method_ord, t.ord, t.country, t.role,
       m.method
FROM dcp.ff_method_jurisdiction t
JOIN dcp.submission s ON s.submission_id = t.submission_id
JOIN dcp.ff_method m ON m.submission_id = t.submission_id AND m.ord = t.method_ord
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_method_jurisdictions IS
    'FF section F: jurisdictions involved in each method (method_ord = v_ff_methods.ord), with the method code.';

CREATE VIEW dcp.v_ff_cooperation AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.instrument, t.direction, t.counterpart_country, t.drug_related,
       t.requests_value, t.requests_status, t.requests_qref, t.executed_value,
       t.executed_status, t.executed_qref, t.refused_value, t.refused_status, t.refused_qref,
       t.pending_at_year_end_value, t.pending_at_year_end_status, t.pending_at_year_end_qref,
       t.mean_response_days_value, t.mean_response_days_status, t.mean_response_days_qref,
       t.pending_from_previous_year_value, t.pending_from_previous_year_status,
       t.pending_from_previous_year_qref, t.question_ref,
       CASE t.drug_related WHEN 'YES' THEN 'DRUG' WHEN 'NO' THEN 'NON_DRUG'
            WHEN 'UNKNOWN' THEN 'UNKNOWN' ELSE 'ALL' END AS drug_scope
FROM dcp.ff_cooperation t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_cooperation IS
    'FF section G of current submissions: cooperation requests per instrument x direction x counterpart; drug_scope keeps drug-related UNKNOWN apart from ALL.';

CREATE VIEW dcp.v_ff_challenges AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.categories, t.challenge_text, t.lesson_learned_text, t.good_practice_text,
       t.assistance_needs, t.assistance_text
FROM dcp.ff_challenge t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_challenges IS
    'FF section H of current submissions: challenges, lessons, good practice and assistance needs, one row per submission.';

CREATE VIEW dcp.v_pc_nonscheduled AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.substance_name, t.cas_number, t.hs_code, t.on_special_surveillance_list,
       t.quantity_value, t.quantity_unit, t.quantity_status, t.quantity_qref, t.quantity_kg,
       t.quantity_kg_factor, t.quantity_kg_method, t.suspected_use, t.question_ref,
       dcp.to_litres(t.quantity_value, t.quantity_unit) AS quantity_litres
FROM dcp.pc_nonscheduled t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_nonscheduled IS
    'P2 of current submissions: seizures of non-scheduled substances, quantity as reported beside derived kg and litres.';

CREATE VIEW dcp.v_pc_diversion AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.method, t.substance_code, t.observed, t.rank, t.trend, t.description,
       t.question_ref
FROM dcp.pc_diversion t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_diversion IS
    'P3 of current submissions: methods of diversion and illicit manufacture.';

CREATE VIEW dcp.v_pc_stopped_shipments AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.event_type, t.substance_code, t.quantity_value, t.quantity_unit,
       t.quantity_status, t.quantity_qref, t.quantity_kg, t.quantity_kg_factor,
       t.quantity_kg_method, t.exporting_country, t.importing_country, t.pen_reference,
       t.reason, t.question_ref,
       dcp.to_litres(t.quantity_value, t.quantity_unit) AS quantity_litres
FROM dcp.pc_stopped_shipment t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_stopped_shipments IS
    'P4 of current submissions: stopped or suspended shipments, suspicious orders, thefts.';

CREATE VIEW dcp.v_pc_labs AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.lab_type, t.labs_value, t.labs_status, t.labs_qref, t.admin_area,
       t.question_ref
FROM dcp.pc_lab t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_labs IS
    'P5 of current submissions: illicit laboratories dismantled; chemicals found in v_pc_lab_chemicals.';

CREATE VIEW dcp.v_pc_lab_chemicals AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.lab_ord, t.ord, t.substance_code, t.quantity_value, t.quantity_unit, t.quantity_status,
       t.quantity_qref, t.quantity_kg, t.quantity_kg_factor, t.quantity_kg_method,
       l.lab_type, dcp.to_litres(t.quantity_value, t.quantity_unit) AS quantity_litres
FROM dcp.pc_lab_chemical t
JOIN dcp.submission s ON s.submission_id = t.submission_id
JOIN dcp.pc_lab l ON l.submission_id = t.submission_id AND l.ord = t.lab_ord
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_lab_chemicals IS
    'P5 of current submissions: chemicals found in a laboratory (lab_ord = v_pc_labs.ord), with the lab type.';

CREATE VIEW dcp.v_pc_incidents AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.incident_id, t.incident_type, t.incident_date, t.admin_area, t.place,
       t.border_crossing, t.port, t.latitude, t.longitude, t.declared_description,
       t.concealment, t.identification_basis, t.transport_mode, t.persons_nationalities,
       t.seizing_agency, t.linked_money_amount, t.linked_money_currency, t.linked_money_status,
       t.linked_money_qref, t.linked_transfer_channel, t.communicated_via_pics, t.pics_date,
       t.follow_up, t.question_ref
FROM dcp.pc_incident t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_incidents IS
    'P6 of current submissions: every incident in full (location and coordinates, concealment, declared description, nationalities, linked money, PICS); substances, packages and route legs in the views beside it.';

CREATE VIEW dcp.v_pc_incident_substances AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.incident_ord, t.ord, t.substance_code, t.substance_name, t.convention_table,
       t.quantity_value, t.quantity_unit, t.quantity_status, t.quantity_qref, t.quantity_kg,
       t.quantity_kg_factor, t.quantity_kg_method, t.concentration_pct, t.package_type,
       t.package_count_value, t.package_count_status, t.package_count_qref, t.mixed_substances,
       i.incident_id, i.incident_date, dcp.to_litres(t.quantity_value, t.quantity_unit) AS quantity_litres
FROM dcp.pc_incident_substance t
JOIN dcp.submission s ON s.submission_id = t.submission_id
JOIN dcp.pc_incident i ON i.submission_id = t.submission_id AND i.ord = t.incident_ord
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_incident_substances IS
    'P6 of current submissions: substances of each incident with packages; a mixed_substances figure covers several substances and is never a per-substance total.';

CREATE VIEW dcp.v_pc_incident_route_legs AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.incident_ord, t.ord, t.country, t.role,
       i.incident_id
FROM dcp.pc_incident_route t
JOIN dcp.submission s ON s.submission_id = t.submission_id
JOIN dcp.pc_incident i ON i.submission_id = t.submission_id AND i.ord = t.incident_ord
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_incident_route_legs IS
    'P6 of current submissions: route legs of each incident in order (incident_ord = v_pc_incidents.ord).';

CREATE VIEW dcp.v_pc_licit_trade AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.flow, t.substance_code, t.partner_country, t.quantity_value, t.quantity_unit,
       t.quantity_status, t.quantity_qref, t.quantity_kg, t.quantity_kg_factor,
       t.quantity_kg_method, t.requirement_value, t.requirement_unit, t.requirement_status,
       t.requirement_qref, t.requirement_kg, t.requirement_kg_factor, t.requirement_kg_method,
       t.question_ref,
       dcp.to_litres(t.quantity_value, t.quantity_unit) AS quantity_litres, dcp.to_litres(t.requirement_value, t.requirement_unit) AS requirement_litres
FROM dcp.pc_licit_trade t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_licit_trade IS
    'P7 of current submissions: licit trade and annual legitimate requirements.';

CREATE VIEW dcp.v_pc_routes AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage,
       t.ord, t.substance_code, t.role, t.country, t.rank, t.share_pct, t.route_code
FROM dcp.pc_route t
JOIN dcp.submission s ON s.submission_id = t.submission_id
WHERE s.is_current;
COMMENT ON VIEW dcp.v_pc_routes IS
    'P8 of current submissions: aggregate trafficking routes per substance with route code (NORTHERN, BALKAN, SOUTHERN, OTHER).';

-- P1: the existing view gains the question references and litres (new
-- columns at the end keep it compatible).
CREATE OR REPLACE VIEW dcp.v_precursor_seizures AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage, z.ord, z.substance_code, rs.name AS substance_name,
       z.convention_table, z.physical_form, z.no_seizures,
       z.quantity_value, z.quantity_unit, z.quantity_status,
       z.quantity_kg, z.quantity_kg_factor, z.quantity_kg_method,
       z.concentration_pct, z.number_of_seizures_value, z.number_of_seizures_status,
       z.origin_countries, z.origin_basis, z.question_ref,
       z.quantity_qref, z.number_of_seizures_qref,
       dcp.to_litres(z.quantity_value, z.quantity_unit) AS quantity_litres
FROM dcp.pc_seizure z
JOIN dcp.submission s ON s.submission_id = z.submission_id
LEFT JOIN LATERAL (SELECT r.name FROM dcp.ref_substances r
                    WHERE r.code = z.substance_code LIMIT 1) rs ON true
WHERE s.is_current;

-- Financial-flow indicators: cooperation rows whose drug link is UNKNOWN
-- keep the scope UNKNOWN (0004 folded them into ALL), and part_of_total
-- marks the figures already inside another row's figure ("of which" rows,
-- the STR sector breakdown, drug-predicate scopes of ML_ALL), so that
-- SUM(value) FILTER (WHERE NOT part_of_total) never double counts.
CREATE OR REPLACE VIEW dcp.v_ff_indicators AS
WITH cur AS (
    SELECT submission_id, reporting_country, reporting_year, revision_no
    FROM dcp.submission WHERE is_current AND questionnaire = 'financial_flows'
)
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'C'::text AS section, x.indicator, x.measure, x.scope, NULL::text AS breakdown,
       x.count_unit, NULL::text AS counting_rule, NULL::text AS valuation_basis,
       x.value, x.currency, x.status, x.question_ref, x.part_of_total
FROM dcp.ff_str t
JOIN cur c USING (submission_id)
CROSS JOIN LATERAL (VALUES
    ('STR_RECEIVED', 'COUNT', 'ALL', 'REPORTS', t.received_total_value, NULL, t.received_total_status, t.received_total_qref, false),
    ('STR_RECEIVED', 'COUNT', 'DRUG', 'REPORTS', t.received_drug_related_value, NULL, t.received_drug_related_status, t.received_drug_related_qref, true),
    ('STR_RECEIVED', 'COUNT', 'AFGHAN_OPIATES', 'REPORTS', t.received_afghan_opiates_value, NULL, t.received_afghan_opiates_status, t.received_afghan_opiates_qref, true),
    ('STR_DISSEMINATED', 'COUNT', 'ALL', 'REPORTS', t.disseminated_total_value, NULL, t.disseminated_total_status, t.disseminated_total_qref, false),
    ('STR_DISSEMINATED', 'COUNT', 'DRUG', 'REPORTS', t.disseminated_drug_related_value, NULL, t.disseminated_drug_related_status, t.disseminated_drug_related_qref, true),
    ('STR_DISSEMINATION_DAYS', 'MEDIAN', 'ALL', 'DAYS', t.median_days_to_dissemination_value, NULL, t.median_days_to_dissemination_status, t.median_days_to_dissemination_qref, false),
    ('FIU_REQUESTS_SENT', 'COUNT', 'ALL', 'REQUESTS', t.fiu_requests_sent_value, NULL, t.fiu_requests_sent_status, t.fiu_requests_sent_qref, false),
    ('FIU_REQUESTS_RECEIVED', 'COUNT', 'ALL', 'REQUESTS', t.fiu_requests_received_value, NULL, t.fiu_requests_received_status, t.fiu_requests_received_qref, false),
    ('CASH_DECLARATIONS', 'COUNT', 'ALL', 'DECLARATIONS', t.cash_declarations_filed_value, NULL, t.cash_declarations_filed_status, t.cash_declarations_filed_qref, false),
    ('CASH_DECLARATIONS', 'AMOUNT', 'ALL', NULL, t.cash_declarations_value_amount, t.cash_declarations_value_currency, t.cash_declarations_value_status, t.cash_declarations_value_qref, false),
    ('CASH_SEIZED_AT_BORDER', 'AMOUNT', 'ALL', NULL, t.cash_seized_at_border_amount, t.cash_seized_at_border_currency, t.cash_seized_at_border_status, t.cash_seized_at_border_qref, false),
    ('CASH_SEIZED_AT_BORDER', 'COUNT', 'ALL', 'CASES', t.cash_seized_at_border_cases_value, NULL, t.cash_seized_at_border_cases_status, t.cash_seized_at_border_cases_qref, false)
) AS x (indicator, measure, scope, count_unit, value, currency, status, question_ref, part_of_total)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'C', 'STR_RECEIVED', 'COUNT', 'ALL', t.sector, 'REPORTS', NULL, NULL,
       t.reports_value, NULL, t.reports_status, t.reports_qref, true
FROM dcp.ff_str_sector t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'D', 'ML_' || t.stage, 'COUNT', t.scope, NULL, t.count_unit, t.counting_rule, NULL,
       t.count_value, NULL, t.count_status, coalesce(t.count_qref, t.question_ref),
       t.scope IN ('ML_DRUG_PREDICATE', 'ML_AFGHAN_OPIATES')
FROM dcp.ff_enforcement t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'E', 'ASSET_' || t.measure, 'AMOUNT', t.predicate_scope, t.asset_category, NULL, NULL,
       t.valuation_basis, t.amount, t.currency, t.amount_status, coalesce(t.amount_qref, t.question_ref),
       t.predicate_scope IN ('ML_DRUG_PREDICATE', 'ML_AFGHAN_OPIATES')
FROM dcp.ff_asset t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'E', 'ASSET_' || t.measure, 'COUNT', t.predicate_scope, t.asset_category, 'CASES', NULL,
       NULL, t.cases_value, NULL, t.cases_status, coalesce(t.cases_qref, t.question_ref),
       t.predicate_scope IN ('ML_DRUG_PREDICATE', 'ML_AFGHAN_OPIATES')
FROM dcp.ff_asset t JOIN cur c USING (submission_id)
UNION ALL
SELECT c.reporting_country, c.reporting_year, c.submission_id, c.revision_no,
       'G', t.instrument || '_' || t.direction, x.measure,
       CASE t.drug_related WHEN 'YES' THEN 'DRUG' WHEN 'NO' THEN 'NON_DRUG'
                           WHEN 'UNKNOWN' THEN 'UNKNOWN' ELSE 'ALL' END,
       t.counterpart_country, x.count_unit, NULL, NULL, x.value, NULL, x.status,
       coalesce(x.qref, t.question_ref), false
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

-- Grants: views made here (CREATE OR REPLACE keeps the grants of 0005).
DO $$
DECLARE
    v text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        FOREACH v IN ARRAY ARRAY['v_submission_agencies', 'v_ff_legal', 'v_ff_str',
                                 'v_ff_str_sectors', 'v_ff_enforcement', 'v_ff_assets',
                                 'v_ff_methods', 'v_ff_method_jurisdictions', 'v_ff_cooperation',
                                 'v_ff_challenges', 'v_pc_nonscheduled', 'v_pc_diversion',
                                 'v_pc_stopped_shipments', 'v_pc_labs', 'v_pc_lab_chemicals',
                                 'v_pc_incidents', 'v_pc_incident_substances',
                                 'v_pc_incident_route_legs', 'v_pc_licit_trade', 'v_pc_routes'] LOOP
            EXECUTE format('GRANT SELECT ON dcp.%I TO dcp_analyst', v);
        END LOOP;
    END IF;
END $$;
