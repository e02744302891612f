-- 0002_sections.sql: normalised answers, one table per questionnaire section.
--
-- Naming is uniform so analysts and the loader can rely on it:
--   a count X      -> X_value numeric, X_status, X_qref
--   money X        -> X_amount numeric, X_currency, X_status, X_qref
--                     (a field called "amount" gives amount, currency, ...)
--   a quantity X   -> X_value numeric, X_unit (as reported), X_status, X_qref,
--                     and derived X_kg, X_kg_factor, X_kg_method
-- X_status is never NULL; X_value is NULL exactly when the status says the
-- value is absent (never 0); a question missing from the message is stored
-- as UNANSWERED.  Derived kilograms sit beside the reported figure and never
-- replace it (V-PRE-05).  ord keeps the order of repeated rows (0-based, as in
-- the JSON pointers of findings); child rows carry the ord of their parent.
-- Empty text in a response is stored as NULL.  Append-only file.

CREATE TABLE dcp.ff_legal (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ml_offence_exists dcp.tri,
    drug_trafficking_is_ml_predicate dcp.tri,
    fiu_exists dcp.tri,
    fiu_model text,
    fiu_established_year integer,
    fiu_egmont_member dcp.tri,
    egmont_joined_year integer,
    fsrb_memberships text[],
    cash_declaration_system text,
    cash_declaration_threshold_amount numeric,
    cash_declaration_threshold_currency text,
    cash_declaration_threshold_status dcp.obs_status NOT NULL,
    cash_declaration_threshold_qref text,
    mvts_hawala_regime text,
    non_conviction_based_confiscation dcp.tri,
    asset_recovery_office_exists dcp.tri,
    virtual_assets_regulated dcp.tri,
    question_ref text,
    CHECK (dcp.obs_ok(cash_declaration_threshold_amount, cash_declaration_threshold_status)),
    PRIMARY KEY (submission_id)
);
COMMENT ON TABLE dcp.ff_legal IS 'Financial flows, section B: legal and institutional framework; one row per submission.';

CREATE TABLE dcp.ff_str (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    received_total_value numeric,
    received_total_status dcp.obs_status NOT NULL,
    received_total_qref text,
    received_drug_related_value numeric,
    received_drug_related_status dcp.obs_status NOT NULL,
    received_drug_related_qref text,
    received_afghan_opiates_value numeric,
    received_afghan_opiates_status dcp.obs_status NOT NULL,
    received_afghan_opiates_qref text,
    disseminated_total_value numeric,
    disseminated_total_status dcp.obs_status NOT NULL,
    disseminated_total_qref text,
    disseminated_drug_related_value numeric,
    disseminated_drug_related_status dcp.obs_status NOT NULL,
    disseminated_drug_related_qref text,
    median_days_to_dissemination_value numeric,
    median_days_to_dissemination_status dcp.obs_status NOT NULL,
    median_days_to_dissemination_qref text,
    fiu_requests_sent_value numeric,
    fiu_requests_sent_status dcp.obs_status NOT NULL,
    fiu_requests_sent_qref text,
    fiu_requests_received_value numeric,
    fiu_requests_received_status dcp.obs_status NOT NULL,
    fiu_requests_received_qref text,
    cash_declarations_filed_value numeric,
    cash_declarations_filed_status dcp.obs_status NOT NULL,
    cash_declarations_filed_qref text,
    cash_declarations_value_amount numeric,
    cash_declarations_value_currency text,
    cash_declarations_value_status dcp.obs_status NOT NULL,
    cash_declarations_value_qref text,
    cash_seized_at_border_amount numeric,
    cash_seized_at_border_currency text,
    cash_seized_at_border_status dcp.obs_status NOT NULL,
    cash_seized_at_border_qref text,
    cash_seized_at_border_cases_value numeric,
    cash_seized_at_border_cases_status dcp.obs_status NOT NULL,
    cash_seized_at_border_cases_qref text,
    CHECK (dcp.obs_ok(received_total_value, received_total_status)),
    CHECK (dcp.obs_ok(received_drug_related_value, received_drug_related_status)),
    CHECK (dcp.obs_ok(received_afghan_opiates_value, received_afghan_opiates_status)),
    CHECK (dcp.obs_ok(disseminated_total_value, disseminated_total_status)),
    CHECK (dcp.obs_ok(disseminated_drug_related_value, disseminated_drug_related_status)),
    CHECK (dcp.obs_ok(median_days_to_dissemination_value, median_days_to_dissemination_status)),
    CHECK (dcp.obs_ok(fiu_requests_sent_value, fiu_requests_sent_status)),
    CHECK (dcp.obs_ok(fiu_requests_received_value, fiu_requests_received_status)),
    CHECK (dcp.obs_ok(cash_declarations_filed_value, cash_declarations_filed_status)),
    CHECK (dcp.obs_ok(cash_declarations_value_amount, cash_declarations_value_status)),
    CHECK (dcp.obs_ok(cash_seized_at_border_amount, cash_seized_at_border_status)),
    CHECK (dcp.obs_ok(cash_seized_at_border_cases_value, cash_seized_at_border_cases_status)),
    PRIMARY KEY (submission_id)
);
COMMENT ON TABLE dcp.ff_str IS 'Financial flows, section C: suspicious transaction reports and cash declarations; one row per submission.';

CREATE TABLE dcp.ff_str_sector (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    sector text,
    reports_value numeric,
    reports_status dcp.obs_status NOT NULL,
    reports_qref text,
    CHECK (dcp.obs_ok(reports_value, reports_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.ff_str_sector IS 'Financial flows, section C: STRs received by reporting sector; one row per sector answered.';

CREATE TABLE dcp.ff_enforcement (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    stage text,
    scope text,
    count_unit text,
    counting_rule text,
    count_value numeric,
    count_status dcp.obs_status NOT NULL,
    count_qref text,
    sanctions_summary text,
    question_ref text,
    CHECK (dcp.obs_ok(count_value, count_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.ff_enforcement IS 'Financial flows, section D: investigations, prosecutions, convictions; one row per stage x scope x count unit x counting rule.';

CREATE TABLE dcp.ff_asset (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    measure text,
    asset_category text,
    predicate_scope text,
    amount numeric,
    currency text,
    amount_status dcp.obs_status NOT NULL,
    amount_qref text,
    valuation_basis text,
    cases_value numeric,
    cases_status dcp.obs_status NOT NULL,
    cases_qref text,
    origin_of_request text,
    counterpart_country text,
    question_ref text,
    CHECK (dcp.obs_ok(amount, amount_status)),
    CHECK (dcp.obs_ok(cases_value, cases_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.ff_asset IS 'Financial flows, section E: assets frozen, seized, confiscated; one row per measure x category x scope, amount in the original currency.';

CREATE TABLE dcp.ff_method (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    method text,
    observed dcp.tri,
    rank integer,
    trend text,
    direction text,
    currencies_observed text[],
    case_examples text,
    question_ref text,
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.ff_method IS 'Financial flows, section F: methods of moving and laundering drug money; one row per method.';

CREATE TABLE dcp.ff_method_jurisdiction (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    method_ord integer NOT NULL,
    ord integer NOT NULL,
    country text,
    role text,
    PRIMARY KEY (submission_id, method_ord, ord)
);
COMMENT ON TABLE dcp.ff_method_jurisdiction IS 'Financial flows, section F: jurisdictions involved in a method (method_ord = ff_method.ord).';

CREATE TABLE dcp.ff_cooperation (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    instrument text,
    direction text,
    counterpart_country text,
    drug_related dcp.tri,
    requests_value numeric,
    requests_status dcp.obs_status NOT NULL,
    requests_qref text,
    executed_value numeric,
    executed_status dcp.obs_status NOT NULL,
    executed_qref text,
    refused_value numeric,
    refused_status dcp.obs_status NOT NULL,
    refused_qref text,
    pending_at_year_end_value numeric,
    pending_at_year_end_status dcp.obs_status NOT NULL,
    pending_at_year_end_qref text,
    mean_response_days_value numeric,
    mean_response_days_status dcp.obs_status NOT NULL,
    mean_response_days_qref text,
    pending_from_previous_year_value numeric,
    pending_from_previous_year_status dcp.obs_status NOT NULL,
    pending_from_previous_year_qref text,
    question_ref text,
    CHECK (dcp.obs_ok(requests_value, requests_status)),
    CHECK (dcp.obs_ok(executed_value, executed_status)),
    CHECK (dcp.obs_ok(refused_value, refused_status)),
    CHECK (dcp.obs_ok(pending_at_year_end_value, pending_at_year_end_status)),
    CHECK (dcp.obs_ok(mean_response_days_value, mean_response_days_status)),
    CHECK (dcp.obs_ok(pending_from_previous_year_value, pending_from_previous_year_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.ff_cooperation IS 'Financial flows, section G: international cooperation requests; one row per instrument x direction x counterpart.';

CREATE TABLE dcp.ff_challenge (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    categories text[],
    challenge_text text,
    lesson_learned_text text,
    good_practice_text text,
    assistance_needs text[],
    assistance_text text,
    PRIMARY KEY (submission_id)
);
COMMENT ON TABLE dcp.ff_challenge IS 'Financial flows, section H: challenges, lessons learned, assistance needs; one row per submission.';

CREATE TABLE dcp.pc_seizure (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    substance_code text,
    convention_table smallint CHECK (convention_table IN (1, 2)),
    physical_form text,
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    concentration_pct numeric,
    number_of_seizures_value numeric,
    number_of_seizures_status dcp.obs_status NOT NULL,
    number_of_seizures_qref text,
    origin_countries text[],
    origin_basis text,
    no_seizures boolean,
    question_ref text,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    CHECK (dcp.obs_ok(number_of_seizures_value, number_of_seizures_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_seizure IS 'Precursors, P1: annual seizures of Table I/II substances; one row per substance (and origin).';

CREATE TABLE dcp.pc_nonscheduled (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    substance_name text,
    cas_number text,
    hs_code text,
    on_special_surveillance_list dcp.tri,
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    suspected_use text,
    question_ref text,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_nonscheduled IS 'Precursors, P2: seizures of non-scheduled substances.';

CREATE TABLE dcp.pc_diversion (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    method text,
    substance_code text,
    observed dcp.tri,
    rank integer,
    trend text,
    description text,
    question_ref text,
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_diversion IS 'Precursors, P3: methods of diversion and illicit manufacture.';

CREATE TABLE dcp.pc_stopped_shipment (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    event_type text,
    substance_code text,
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    exporting_country text,
    importing_country text,
    pen_reference text,
    reason text,
    question_ref text,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_stopped_shipment IS 'Precursors, P4: stopped or suspended shipments, suspicious orders, thefts.';

CREATE TABLE dcp.pc_lab (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    lab_type text,
    labs_value numeric,
    labs_status dcp.obs_status NOT NULL,
    labs_qref text,
    admin_area text,
    question_ref text,
    CHECK (dcp.obs_ok(labs_value, labs_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_lab IS 'Precursors, P5: illicit laboratories dismantled.';

CREATE TABLE dcp.pc_lab_chemical (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    lab_ord integer NOT NULL,
    ord integer NOT NULL,
    substance_code text,
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    PRIMARY KEY (submission_id, lab_ord, ord)
);
COMMENT ON TABLE dcp.pc_lab_chemical IS 'Precursors, P5: chemicals found in a laboratory (lab_ord = pc_lab.ord).';

CREATE TABLE dcp.pc_incident (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    incident_id text,
    incident_type text,
    incident_date date,
    admin_area text,
    place text,
    border_crossing text,
    port text,
    latitude numeric,
    longitude numeric,
    declared_description text,
    concealment text,
    identification_basis text,
    transport_mode text,
    persons_nationalities text[],
    seizing_agency text,
    linked_money_amount numeric,
    linked_money_currency text,
    linked_money_status dcp.obs_status NOT NULL,
    linked_money_qref text,
    linked_transfer_channel text,
    communicated_via_pics boolean,
    pics_date date,
    follow_up text,
    question_ref text,
    CHECK (dcp.obs_ok(linked_money_amount, linked_money_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_incident IS 'Precursors, P6: individual incidents (PICS-like).';

CREATE TABLE dcp.pc_incident_substance (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    incident_ord integer NOT NULL,
    ord integer NOT NULL,
    substance_code text,
    substance_name text,
    convention_table smallint CHECK (convention_table IN (1, 2)),
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    concentration_pct numeric,
    package_type text,
    package_count_value numeric,
    package_count_status dcp.obs_status NOT NULL,
    package_count_qref text,
    mixed_substances boolean,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    CHECK (dcp.obs_ok(package_count_value, package_count_status)),
    PRIMARY KEY (submission_id, incident_ord, ord)
);
COMMENT ON TABLE dcp.pc_incident_substance IS 'Precursors, P6: substances of an incident (incident_ord = pc_incident.ord).';

CREATE TABLE dcp.pc_incident_route (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    incident_ord integer NOT NULL,
    ord integer NOT NULL,
    country text,
    role text,
    PRIMARY KEY (submission_id, incident_ord, ord)
);
COMMENT ON TABLE dcp.pc_incident_route IS 'Precursors, P6: route legs of an incident in order (incident_ord = pc_incident.ord).';

CREATE TABLE dcp.pc_licit_trade (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    flow text,
    substance_code text,
    partner_country text,
    quantity_value numeric,
    quantity_unit text,
    quantity_status dcp.obs_status NOT NULL,
    quantity_qref text,
    quantity_kg numeric,
    quantity_kg_factor numeric,
    quantity_kg_method text,
    requirement_value numeric,
    requirement_unit text,
    requirement_status dcp.obs_status NOT NULL,
    requirement_qref text,
    requirement_kg numeric,
    requirement_kg_factor numeric,
    requirement_kg_method text,
    question_ref text,
    CHECK (dcp.obs_ok(quantity_value, quantity_status)),
    CHECK (dcp.obs_ok(requirement_value, requirement_status)),
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_licit_trade IS 'Precursors, P7: licit trade and annual legitimate requirements.';

CREATE TABLE dcp.pc_route (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord integer NOT NULL,
    substance_code text,
    role text,
    country text,
    rank integer,
    share_pct numeric,
    route_code text,
    PRIMARY KEY (submission_id, ord)
);
COMMENT ON TABLE dcp.pc_route IS 'Precursors, P8: trafficking routes (aggregate).';
