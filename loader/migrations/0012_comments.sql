-- 0012_comments.sql: COMMENT ON every table, view and column (issue 12,
-- item 8), from one source.
--
-- Table and column comments come from the loader's one description of its
-- tables (loader/sections.c, the same doc strings that make the data
-- dictionary): after migrating, the loader passes them as parameters to
-- dcp.sync_comments() below (catalog_comment() in loader/catalog.c), which
-- writes only those that differ.  A view column that shows a table (or
-- view) column under the same name takes that column's comment
-- (dcp.inherit_view_comments), and follows it when the doc changes; the
-- other view columns (computed ones) are commented by hand at the end of
-- this file and in the migration that creates the view.  test_schema fails
-- when a table, view or column in schema dcp has no comment.
-- Append-only file.

-- Sets the comment of column ATT of relation REL to DOC if it differs, and
-- then of every view column that shows it under the same name and carried
-- its old comment.  Returns the number of comments written.
CREATE FUNCTION dcp.sync_column_comment (rel oid, att smallint, doc text) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    old text := col_description(rel, att);
    col name;
    n integer := 1;
    d record;
BEGIN
    IF old IS NOT DISTINCT FROM doc THEN
        RETURN 0;
    END IF;
    SELECT attname INTO col FROM pg_attribute WHERE attrelid = rel AND attnum = att;
    EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', rel::regclass, col, doc);
    FOR d IN SELECT DISTINCT v.oid AS vrel, va.attnum AS vatt
               FROM pg_depend dp
               JOIN pg_rewrite w ON w.oid = dp.objid
               JOIN pg_class v ON v.oid = w.ev_class AND v.relkind = 'v'
               JOIN pg_attribute va ON va.attrelid = v.oid AND va.attname = col
              WHERE dp.classid = 'pg_rewrite'::regclass AND dp.refobjid = rel
                AND dp.refobjsubid = att AND v.oid <> rel
                AND old IS NOT NULL AND col_description(v.oid, va.attnum) = old LOOP
        n := n + dcp.sync_column_comment(d.vrel, d.vatt, doc);
    END LOOP;
    RETURN n;
END $$;
COMMENT ON FUNCTION dcp.sync_column_comment (oid, smallint, text) IS
    'Sets a column comment if it differs, and of the view columns that copied the old one.';

-- TABLES[i], COLUMNS[i] ('' = the table itself), DOCS[i]: the loader's
-- description.  Unknown tables or columns are skipped (test_schema's catalog
-- check reports them).  Returns the number of comments written.
CREATE FUNCTION dcp.sync_comments (tables text[], columns text[], docs text[]) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    rel oid;
    att smallint;
    n integer := 0;
BEGIN
    FOR i IN 1 .. coalesce(array_length(tables, 1), 0) LOOP
        rel := to_regclass(format('dcp.%I', tables[i]));
        CONTINUE WHEN rel IS NULL;
        IF columns[i] = '' THEN
            IF obj_description(rel, 'pg_class') IS DISTINCT FROM docs[i] THEN
                EXECUTE format('COMMENT ON TABLE dcp.%I IS %L', tables[i], docs[i]);
                n := n + 1;
            END IF;
            CONTINUE;
        END IF;
        SELECT attnum INTO att FROM pg_attribute
         WHERE attrelid = rel AND attname = columns[i] AND NOT attisdropped;
        CONTINUE WHEN att IS NULL;
        n := n + dcp.sync_column_comment(rel, att, docs[i]);
    END LOOP;
    RETURN n;
END $$;
COMMENT ON FUNCTION dcp.sync_comments (text[], text[], text[]) IS
    'Sets table and column comments from the loader''s description (loader/sections.c); writes only what differs.';

-- Every view column of schema dcp without a comment that shows a column of
-- the same name of a relation the view reads takes that column's comment
-- (dcp.submission first, then by relation name); repeated until nothing
-- changes, so views on views are covered.  Returns the number written.
CREATE FUNCTION dcp.inherit_view_comments () RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    n integer := 0;
    changed integer;
    d record;
BEGIN
    LOOP
        changed := 0;
        FOR d IN SELECT DISTINCT ON (v.oid, va.attnum) v.oid::regclass AS view, va.attname,
                        col_description(a.attrelid, a.attnum) AS doc
                   FROM pg_class v
                   JOIN pg_namespace ns ON ns.oid = v.relnamespace AND ns.nspname = 'dcp'
                   JOIN pg_attribute va ON va.attrelid = v.oid AND va.attnum > 0
                   JOIN pg_rewrite w ON w.ev_class = v.oid
                   JOIN pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = w.oid
                   JOIN pg_attribute a ON a.attrelid = dp.refobjid AND a.attnum = dp.refobjsubid
                                      AND a.attname = va.attname
                   JOIN pg_class r ON r.oid = a.attrelid
                  WHERE v.relkind = 'v' AND dp.refobjid <> v.oid
                    AND col_description(v.oid, va.attnum) IS NULL
                    AND col_description(a.attrelid, a.attnum) IS NOT NULL
                  ORDER BY v.oid, va.attnum, r.relname <> 'submission', r.relname LOOP
            EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', d.view, d.attname, d.doc);
            changed := changed + 1;
        END LOOP;
        n := n + changed;
        EXIT WHEN changed = 0;
    END LOOP;
    RETURN n;
END $$;
COMMENT ON FUNCTION dcp.inherit_view_comments () IS
    'Gives view columns without a comment the comment of the same-named column they show.';

-- Reference tables (loaded by the loader from libdcp/refdata/*.csv) and
-- the bookkeeping table: described here, where they are defined in SQL.
COMMENT ON TABLE dcp.ref_codelists IS 'Code lists (list, code, label) (codelists.csv).';
COMMENT ON COLUMN dcp.ref_codelists.list IS 'code list name (e.g. incident_type)';
COMMENT ON COLUMN dcp.ref_codelists.code IS 'code';
COMMENT ON COLUMN dcp.ref_codelists.label IS 'label for people';
COMMENT ON TABLE dcp.ref_countries IS 'Countries (libdcp/refdata/countries.csv): iso3, name, valid_from/valid_to (years; NULL or 0 = open), paris_pact_partner.';
COMMENT ON COLUMN dcp.ref_countries.iso3 IS 'ISO 3166-1 alpha-3, or XKX';
COMMENT ON COLUMN dcp.ref_countries.name IS 'English short name';
COMMENT ON COLUMN dcp.ref_countries.valid_from IS 'first year the code is valid; NULL or 0 = always';
COMMENT ON COLUMN dcp.ref_countries.valid_to IS 'last year valid; NULL or 0 = still valid';
COMMENT ON COLUMN dcp.ref_countries.paris_pact_partner IS 'partner of the Paris Pact (Phase IV list)';
COMMENT ON TABLE dcp.ref_country_aliases IS 'Other names of countries mapped to ISO3 (country_aliases.csv).';
COMMENT ON COLUMN dcp.ref_country_aliases.alias IS 'other name ("Turkey", "Czech Republic")';
COMMENT ON COLUMN dcp.ref_country_aliases.iso3 IS 'code it maps to';
COMMENT ON TABLE dcp.ref_currencies IS 'ISO 4217 currencies with validity years (currencies.csv).';
COMMENT ON COLUMN dcp.ref_currencies.code IS 'ISO 4217 alphabetic code';
COMMENT ON COLUMN dcp.ref_currencies.name IS 'currency name';
COMMENT ON COLUMN dcp.ref_currencies.valid_from IS 'first year valid; NULL or 0 = always';
COMMENT ON COLUMN dcp.ref_currencies.valid_to IS 'last year valid; NULL or 0 = still valid';
COMMENT ON TABLE dcp.ref_densities IS 'Densities for litre-to-kg conversion (densities.csv): by substance and concentration range, kg per litre at temperature_c, source. id is cited in kg_method.';
COMMENT ON COLUMN dcp.ref_densities.id IS 'row id, cited in kg_method as density:<id>';
COMMENT ON COLUMN dcp.ref_densities.substance IS 'substance code';
COMMENT ON COLUMN dcp.ref_densities.concentration_min IS 'lowest concentration % w/w the row applies to; NULL = any';
COMMENT ON COLUMN dcp.ref_densities.concentration_max IS 'highest concentration % w/w; NULL = any';
COMMENT ON COLUMN dcp.ref_densities.kg_per_litre IS 'density, kg/L';
COMMENT ON COLUMN dcp.ref_densities.temperature_c IS 'temperature of the density, degrees C';
COMMENT ON COLUMN dcp.ref_densities.source IS 'source reference';
COMMENT ON TABLE dcp.ref_load IS 'Which embedded reference CSV was loaded into which table, with its hash.';
COMMENT ON COLUMN dcp.ref_load.file IS 'embedded CSV file name';
COMMENT ON COLUMN dcp.ref_load.table_name IS 'table it was copied into';
COMMENT ON COLUMN dcp.ref_load.sha256 IS 'hex SHA-256 of the file loaded';
COMMENT ON COLUMN dcp.ref_load.rows IS 'rows copied';
COMMENT ON COLUMN dcp.ref_load.loaded_at IS 'time of the refresh';
COMMENT ON TABLE dcp.ref_substance_aliases IS 'Other names of substances (substance_aliases.csv).';
COMMENT ON COLUMN dcp.ref_substance_aliases.alias IS 'other name ("Ac2O", "acetyl oxide")';
COMMENT ON COLUMN dcp.ref_substance_aliases.code IS 'substance code';
COMMENT ON TABLE dcp.ref_substance_schedule IS 'Dated 1988 Convention table membership (substance_schedule.csv): valid_from/valid_to dates, source.';
COMMENT ON COLUMN dcp.ref_substance_schedule.code IS 'substance code';
COMMENT ON COLUMN dcp.ref_substance_schedule.convention_table IS 'table of the 1988 Convention: 1 = Table I, 2 = Table II';
COMMENT ON COLUMN dcp.ref_substance_schedule.valid_from IS 'first day in that table';
COMMENT ON COLUMN dcp.ref_substance_schedule.valid_to IS 'last day; NULL = still';
COMMENT ON COLUMN dcp.ref_substance_schedule.source IS 'source reference';
COMMENT ON TABLE dcp.ref_substances IS 'Precursor substances: code, name, CAS, HS, physical state at 20 C (substances.csv).';
COMMENT ON COLUMN dcp.ref_substances.code IS 'substance code used in submissions (AA, ACET, ...)';
COMMENT ON COLUMN dcp.ref_substances.name IS 'substance name';
COMMENT ON COLUMN dcp.ref_substances.cas IS 'CAS number';
COMMENT ON COLUMN dcp.ref_substances.hs IS 'HS code';
COMMENT ON COLUMN dcp.ref_substances.state IS 'physical state at 20 C (liquid, solid): decides whether volume units are allowed';
COMMENT ON TABLE dcp.ref_units IS 'Units and factor to the canonical unit (KG for mass, L for volume) (units.csv).';
COMMENT ON COLUMN dcp.ref_units.code IS 'unit code (KG, G, MG, T, L, ML, M3, ...)';
COMMENT ON COLUMN dcp.ref_units.kind IS 'mass, volume or count';
COMMENT ON COLUMN dcp.ref_units.factor_to_canonical IS 'multiply to get KG (mass) or L (volume)';
DO $$
BEGIN
    -- created by the loader's bootstrap, absent when files are run by hand
    IF to_regclass('dcp.schema_migrations') IS NOT NULL THEN
        COMMENT ON TABLE dcp.schema_migrations IS
            'Migrations applied, created by the loader''s bootstrap before the first migration.';
        COMMENT ON COLUMN dcp.schema_migrations.version IS 'leading number of the migration file';
        COMMENT ON COLUMN dcp.schema_migrations.name IS 'file name, e.g. `0002_sections.sql`';
        COMMENT ON COLUMN dcp.schema_migrations.checksum IS
            'hex SHA-256 of the file; a changed applied file stops the loader';
        COMMENT ON COLUMN dcp.schema_migrations.applied_at IS 'when it was applied';
    END IF;
END $$;

-- View columns that are computed, or that reuse a column name with another
-- meaning (an aggregate of it): commented by hand, so inheritance leaves
-- them alone.
COMMENT ON VIEW dcp.v_aa_seizures_kg IS
    'Analysis 1: acetic anhydride seized per country and year (current revisions) in kg by substance density (never 1 kg/L); kg_total NULL with total_status INCOMPLETE when a row is not available, 0 only for confirmed no seizures.';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.kg_total IS
    'sum of the rows'' kg, a confirmed no_seizures row adding 0; NULL as soon as one row''s kg is missing (rows_without_kg > 0): not available is never shown as 0';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.kg_from_mass_units IS 'part of kg_total reported in mass units; NULL when kg_total is NULL or no such row';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.kg_from_volume IS 'part of kg_total converted from volume with a density; NULL when kg_total is NULL or no such row';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.litres_reported IS 'quantities reported in any volume unit (L, ML, M3) converted to litres; NULL when kg_total is NULL or no volume row';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.rows IS 'P1 rows for AA';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.rows_without_kg IS 'rows whose kg is missing (not available, or a volume without density); > 0 makes kg_total NULL';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.confirmed_no_seizures IS 'every row is an explicit "no seizures" confirmation (kg_total 0, total_status CONFIRMED_ZERO)';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.statuses IS 'distinct observation statuses of the rows';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.kg_methods IS 'distinct kg_method values used (densities cited by id)';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.partial_coverage IS 'the submission covers only part of the country (exclude from cross-country totals)';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.total_status IS 'REPORTED, CONFIRMED_ZERO, INCOMPLETE (some rows missing: kg_total NULL) or NOT_AVAILABLE (no row known)';
COMMENT ON COLUMN dcp.v_aa_seizures_kg.rows_confirmed_zero IS 'rows with no_seizures (stored as 0 REPORTED)';

COMMENT ON COLUMN dcp.v_ff_indicators.section IS 'questionnaire section: C (STR), D (enforcement), E (assets), G (cooperation)';
COMMENT ON COLUMN dcp.v_ff_indicators.indicator IS 'STR_RECEIVED, STR_DISSEMINATED, STR_DISSEMINATION_DAYS, FIU_REQUESTS_SENT/RECEIVED, CASH_DECLARATIONS, CASH_SEIZED_AT_BORDER, ML_<stage>, ASSET_<measure>, <instrument>_<direction> (e.g. MLA_SENT)';
COMMENT ON COLUMN dcp.v_ff_indicators.measure IS 'COUNT, AMOUNT, MEDIAN; for cooperation REQUESTS, EXECUTED, REFUSED, PENDING_AT_YEAR_END, PENDING_FROM_PREVIOUS_YEAR, MEAN_RESPONSE_DAYS';
COMMENT ON COLUMN dcp.v_ff_indicators.scope IS 'ALL, DRUG, AFGHAN_OPIATES for STRs; the enforcement/asset scope code; for cooperation DRUG, NON_DRUG, UNKNOWN (drug link not known) or ALL (drug link not answered)';
COMMENT ON COLUMN dcp.v_ff_indicators.breakdown IS 'STR sector, asset category, or cooperation counterpart country; NULL = total';
COMMENT ON COLUMN dcp.v_ff_indicators.count_unit IS 'REPORTS, REQUESTS, DAYS, DECLARATIONS, CASES or the enforcement count unit; NULL for money';
COMMENT ON COLUMN dcp.v_ff_indicators.counting_rule IS 'enforcement counting rule; compare stages only with equal count_unit and counting_rule';
COMMENT ON COLUMN dcp.v_ff_indicators.valuation_basis IS 'asset amounts only';
COMMENT ON COLUMN dcp.v_ff_indicators.value IS 'the number (count, days or amount in currency); NULL exactly when status says absent';
COMMENT ON COLUMN dcp.v_ff_indicators.currency IS 'ISO 4217 for money rows, NULL otherwise';
COMMENT ON COLUMN dcp.v_ff_indicators.status IS 'observation status; UNANSWERED when the question was left out';
COMMENT ON COLUMN dcp.v_ff_indicators.question_ref IS 'question number on the form';
COMMENT ON COLUMN dcp.v_ff_indicators.part_of_total IS 'true when the figure is inside another row''s figure ("of which" STRs, the STR sector breakdown, drug-predicate scopes of ML_ALL): leave these out of a SUM of totals';

COMMENT ON COLUMN dcp.v_ff_cooperation.drug_scope IS 'DRUG (drug_related YES), NON_DRUG (NO), UNKNOWN (drug link not known), ALL (not answered: all requests); UNKNOWN is never counted as ALL';
COMMENT ON COLUMN dcp.v_ff_methods.jurisdictions IS 'ISO3 countries of the method''s jurisdictions in order (text[]; roles in v_ff_method_jurisdictions)';

COMMENT ON VIEW dcp.v_incident_routes IS
    'Analysis 3: one row per P6 incident of current submissions with origin, transit and destination; quantity_kg only for a single-substance incident (per-substance figures in v_incident_route_substances).';
COMMENT ON COLUMN dcp.v_incident_routes.substances IS 'substance codes (or names) of the incident in order';
COMMENT ON COLUMN dcp.v_incident_routes.quantity_kg IS 'kg of the incident when it holds ONE substance, no mixed-substance figure and no missing kg; otherwise NULL (quantity_kg_status says why): kilograms of different substances are never added';
COMMENT ON COLUMN dcp.v_incident_routes.rows_without_kg IS 'substance rows whose kg is unknown';
COMMENT ON COLUMN dcp.v_incident_routes.n_substances IS 'distinct substances (code, or name) of the incident';
COMMENT ON COLUMN dcp.v_incident_routes.mixed_substances IS 'a substance figure of the incident covers several substances (V-PRE-04)';
COMMENT ON COLUMN dcp.v_incident_routes.quantity_kg_status IS 'REPORTED, INCOMPLETE (a kg missing), NOT_AVAILABLE (no substance or no kg), SEVERAL_SUBSTANCES or MIXED_SUBSTANCES (read v_incident_route_substances)';
COMMENT ON COLUMN dcp.v_incident_routes.origin IS 'first ORIGIN leg, else first DEPARTURE, else the first leg; NULL without route';
COMMENT ON COLUMN dcp.v_incident_routes.destination IS 'last DESTINATION leg, else last INTENDED_DESTINATION, else the last leg';
COMMENT ON COLUMN dcp.v_incident_routes.transit IS 'TRANSIT countries in order (text[])';
COMMENT ON COLUMN dcp.v_incident_routes.legs IS 'all legs in order, ''AFG > IRN > TUR''';
COMMENT ON COLUMN dcp.v_incident_route_ends.origin IS 'first ORIGIN leg, else first DEPARTURE, else the first leg; NULL without route';
COMMENT ON COLUMN dcp.v_incident_route_ends.destination IS 'last DESTINATION leg, else last INTENDED_DESTINATION, else the last leg';
COMMENT ON COLUMN dcp.v_incident_route_ends.transit IS 'TRANSIT countries in order (text[])';
COMMENT ON COLUMN dcp.v_incident_route_ends.legs IS 'all legs in order, ''AFG > IRN > TUR''';
COMMENT ON COLUMN dcp.v_incident_route_substances.origin IS 'first ORIGIN leg, else first DEPARTURE, else the first leg; NULL without route';
COMMENT ON COLUMN dcp.v_incident_route_substances.destination IS 'last DESTINATION leg, else last INTENDED_DESTINATION, else the last leg';
COMMENT ON COLUMN dcp.v_incident_route_substances.transit IS 'TRANSIT countries in order (text[])';
COMMENT ON COLUMN dcp.v_incident_route_substances.legs IS 'all legs in order, ''AFG > IRN > TUR''';
COMMENT ON COLUMN dcp.v_incident_routes.n_legs IS 'number of route legs (0 = no routing information)';
COMMENT ON COLUMN dcp.v_incident_route_ends.n_legs IS 'number of route legs (0 = no routing information)';

COMMENT ON COLUMN dcp.v_incident_route_substances.substance IS 'substance code, else the name given';
COMMENT ON COLUMN dcp.v_incident_route_substances.mixed_substances IS 'true: these figures cover several substances (V-PRE-04) and belong to no substance total';
COMMENT ON COLUMN dcp.v_incident_route_substances.quantity_kg IS 'kg of this substance in the incident; NULL when one of its figures has no kg';
COMMENT ON COLUMN dcp.v_incident_route_substances.total_status IS 'REPORTED, INCOMPLETE (quantity_kg NULL: n_missing figures without kg) or NOT_AVAILABLE';
COMMENT ON COLUMN dcp.v_incident_route_substances.n_rows IS 'substance rows added';
COMMENT ON COLUMN dcp.v_incident_route_substances.n_missing IS 'rows without kg (not available, or a volume without density)';
COMMENT ON COLUMN dcp.v_incident_route_substances.litres_reported IS 'quantities reported in volume units (L, ML, M3) in litres; NULL when a figure is missing';
COMMENT ON COLUMN dcp.v_incident_route_substances.statuses IS 'distinct observation statuses of the rows';

COMMENT ON COLUMN dcp.v_incident_flows.substance IS 'substance code, else the name given';
COMMENT ON COLUMN dcp.v_incident_flows.mixed_substances IS 'true: a flow of mixed-substance figures, never part of a substance''s flow';
COMMENT ON COLUMN dcp.v_incident_flows.origin IS 'origin country of the incidents (see v_incident_route_ends)';
COMMENT ON COLUMN dcp.v_incident_flows.destination IS 'destination country of the incidents (see v_incident_route_ends)';
COMMENT ON COLUMN dcp.v_incident_flows.quantity_kg IS 'kg over the incidents of NATIONAL-coverage submissions; NULL when one of them has no kg';
COMMENT ON COLUMN dcp.v_incident_flows.total_status IS 'REPORTED, INCOMPLETE (quantity_kg NULL: n_missing incidents without kg) or NOT_AVAILABLE';
COMMENT ON COLUMN dcp.v_incident_flows.n_incidents IS 'incidents counted (PARTIAL coverage left out)';
COMMENT ON COLUMN dcp.v_incident_flows.n_missing IS 'counted incidents whose kg for the substance is missing';
COMMENT ON COLUMN dcp.v_incident_flows.n_partial_left_out IS 'incidents left out because their submission has PARTIAL geographic coverage';
COMMENT ON COLUMN dcp.v_incident_flows.n_countries IS 'reporting countries counted';

COMMENT ON COLUMN dcp.v_pc_seizure_kg.substance_name IS 'from ref_substances (NULL if the code is unknown there)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.kg_total IS 'sum of the rows'' kg, a confirmed no_seizures row adding 0; NULL as soon as one row''s kg is missing: not available is never 0';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.total_status IS 'REPORTED, CONFIRMED_ZERO, INCOMPLETE (kg_total NULL: n_missing rows without kg) or NOT_AVAILABLE';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.n_rows IS 'P1 rows of the substance';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.n_missing IS 'rows without kg (not available, or not convertible)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.n_unconverted IS 'of which with a value but no kg (a volume without density, an unknown unit)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.n_confirmed_zero IS 'rows with no_seizures (0 REPORTED)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.litres_reported IS 'quantities reported in volume units (L, ML, M3) in litres; NULL when a row is missing';
COMMENT ON COLUMN dcp.v_pc_seizure_kg.statuses IS 'distinct observation statuses of the rows';

COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.substance_name IS 'from ref_substances';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.kg_total IS 'sum over the countries with NATIONAL coverage; NULL when one of them has no total (n_countries_missing > 0)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.total_status IS 'REPORTED, CONFIRMED_ZERO, INCOMPLETE (kg_total NULL) or NOT_AVAILABLE';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.n_countries IS 'countries counted (PARTIAL coverage left out)';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.n_countries_missing IS 'counted countries whose total is NULL';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.n_partial_left_out IS 'countries left out because their submission has PARTIAL geographic coverage';
COMMENT ON COLUMN dcp.v_pc_seizure_kg_by_year.countries_missing IS 'ISO3 of the counted countries whose total is NULL (text[])';

COMMENT ON COLUMN dcp.v_precursor_seizures.substance_name IS 'from ref_substances (NULL if the code is unknown there)';
COMMENT ON COLUMN dcp.v_submissions_first_reported.n_revisions IS 'number of accepted revisions of the series so far';
COMMENT ON COLUMN dcp.v_precursor_seizures.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_nonscheduled.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_stopped_shipments.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_lab_chemicals.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_incident_substances.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_licit_trade.quantity_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
COMMENT ON COLUMN dcp.v_pc_licit_trade.requirement_litres IS 'DERIVED: the figure in litres when reported in a volume unit (L, ML, M3, by ref_units); NULL for other units or absent values';
