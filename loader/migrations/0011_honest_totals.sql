-- 0011_honest_totals.sql: totals that never show a missing figure as 0
-- (issue 12, item 2).
--
-- One rule for every total here: a total is NULL whenever one of the
-- figures it adds is not available (its value is NULL: NOT_AVAILABLE,
-- CONFIDENTIAL, UNANSWERED ..., or a volume with no known density), and a
-- status column says why (total_status: REPORTED, CONFIRMED_ZERO,
-- INCOMPLETE, NOT_AVAILABLE) beside a count of what is missing.  A
-- confirmed zero (no_seizures: stored as 0 REPORTED since the loader of
-- issue 12, read as 0 from older rows too) is a figure and adds 0.
-- Quantities are added in kilograms only (the stored *_kg of dcp_kg),
-- PER SUBSTANCE: nothing here adds kilograms of different substances.  A
-- figure flagged mixed_substances covers several substances and is shown
-- apart, never inside a substance's total.  Cross-country totals leave out
-- submissions with PARTIAL geographic coverage and say how many they left
-- out.  Old view names keep their columns (CREATE OR REPLACE; new columns
-- at the end; the meaning of a changed column is in DATA_DICTIONARY.md).
-- Append-only file.

-- The status of a total from its counts: rows, rows missing, rows that are
-- confirmed zeros.
CREATE FUNCTION dcp.total_status (n_rows bigint, n_missing bigint, n_zero bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN n_rows = 0 THEN 'NOT_AVAILABLE'
                      WHEN n_missing = n_rows THEN 'NOT_AVAILABLE'
                      WHEN n_missing > 0 THEN 'INCOMPLETE'
                      WHEN n_zero = n_rows THEN 'CONFIRMED_ZERO'
                      ELSE 'REPORTED' END $$;
COMMENT ON FUNCTION dcp.total_status (bigint, bigint, bigint) IS
    'Status of a total: NOT_AVAILABLE (nothing known), INCOMPLETE (some figures missing: the total is NULL), CONFIRMED_ZERO, REPORTED.';

-- P1 seizures in kg per current submission and substance.
CREATE VIEW dcp.v_pc_seizure_kg AS
WITH r AS (
    SELECT v.*,
           CASE WHEN v.no_seizures AND v.quantity_kg IS NULL THEN 0 ELSE v.quantity_kg END AS kg,
           coalesce(v.no_seizures, false) AS zero
    FROM dcp.v_precursor_seizures v
)
SELECT r.reporting_country, r.reporting_year, r.submission_id, r.revision_no,
       r.geographic_coverage, r.substance_code, min(r.substance_name) AS substance_name,
       CASE WHEN count(*) FILTER (WHERE r.kg IS NULL) = 0 THEN sum(r.kg) END AS kg_total,
       dcp.total_status(count(*), count(*) FILTER (WHERE r.kg IS NULL),
                        count(*) FILTER (WHERE r.zero)) AS total_status,
       count(*) AS n_rows,
       count(*) FILTER (WHERE r.kg IS NULL) AS n_missing,
       count(*) FILTER (WHERE r.kg IS NULL AND r.quantity_value IS NOT NULL) AS n_unconverted,
       count(*) FILTER (WHERE r.zero) AS n_confirmed_zero,
       CASE WHEN count(*) FILTER (WHERE r.kg IS NULL) = 0
            THEN sum(r.quantity_litres) END AS litres_reported,
       array_agg(DISTINCT r.quantity_status) AS statuses
FROM r
GROUP BY r.reporting_country, r.reporting_year, r.submission_id, r.revision_no,
         r.geographic_coverage, r.substance_code;
COMMENT ON VIEW dcp.v_pc_seizure_kg IS
    'P1 seizures in kg per country, year and substance (current revisions): kg_total NULL with total_status INCOMPLETE when any row is not available; a confirmed zero adds 0.';

-- Cross-country P1 totals per year and substance, PARTIAL coverage left out.
CREATE VIEW dcp.v_pc_seizure_kg_by_year AS
SELECT k.reporting_year, k.substance_code, min(k.substance_name) AS substance_name,
       CASE WHEN count(*) FILTER (WHERE k.kg_total IS NULL
                                    AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL') = 0
                 AND count(*) FILTER (WHERE k.geographic_coverage IS DISTINCT FROM 'PARTIAL') > 0
            THEN sum(k.kg_total) FILTER (WHERE k.geographic_coverage IS DISTINCT FROM 'PARTIAL')
       END AS kg_total,
       dcp.total_status(
           count(*) FILTER (WHERE k.geographic_coverage IS DISTINCT FROM 'PARTIAL'),
           count(*) FILTER (WHERE k.kg_total IS NULL
                              AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL'),
           count(*) FILTER (WHERE k.total_status = 'CONFIRMED_ZERO'
                              AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL')) AS total_status,
       count(*) FILTER (WHERE k.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS n_countries,
       count(*) FILTER (WHERE k.kg_total IS NULL
                          AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS n_countries_missing,
       count(*) FILTER (WHERE k.geographic_coverage = 'PARTIAL') AS n_partial_left_out,
       array_agg(k.reporting_country ORDER BY k.reporting_country)
           FILTER (WHERE k.kg_total IS NULL
                     AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS countries_missing
FROM dcp.v_pc_seizure_kg k
GROUP BY k.reporting_year, k.substance_code;
COMMENT ON VIEW dcp.v_pc_seizure_kg_by_year IS
    'P1 seizures in kg per year and substance over all countries: PARTIAL coverage left out (n_partial_left_out), NULL with INCOMPLETE when a country''s figure is missing.';

-- Analysis 8.1, same columns as 0004 (new ones at the end): kg_total and
-- its parts are NULL as soon as one row's kg is missing.
CREATE OR REPLACE VIEW dcp.v_aa_seizures_kg AS
WITH r AS (
    SELECT v.*,
           CASE WHEN v.no_seizures AND v.quantity_kg IS NULL THEN 0 ELSE v.quantity_kg END AS kg
    FROM dcp.v_precursor_seizures v
    WHERE v.substance_code = 'AA'
), g AS (
    SELECT r.reporting_country, r.reporting_year, r.submission_id, r.revision_no,
           count(*) FILTER (WHERE r.kg IS NULL) AS n_missing,
           sum(r.kg) AS kg_sum,
           sum(r.quantity_kg) FILTER (WHERE r.quantity_kg_method = 'mass_unit') AS kg_mass,
           sum(r.quantity_kg) FILTER (WHERE r.quantity_kg_method LIKE 'density:%') AS kg_volume,
           sum(r.quantity_litres) AS litres,
           count(*) AS n_rows,
           count(*) FILTER (WHERE coalesce(r.no_seizures, false)) AS n_zero,
           bool_and(coalesce(r.no_seizures, false)) AS all_zero,
           array_agg(DISTINCT r.quantity_status) AS statuses,
           array_agg(DISTINCT r.quantity_kg_method) FILTER (WHERE r.quantity_kg_method IS NOT NULL)
               AS kg_methods,
           bool_or(r.geographic_coverage = 'PARTIAL') AS partial
    FROM r
    GROUP BY r.reporting_country, r.reporting_year, r.submission_id, r.revision_no
)
SELECT g.reporting_country, g.reporting_year, g.submission_id, g.revision_no,
       CASE WHEN g.n_missing = 0 THEN g.kg_sum END AS kg_total,
       CASE WHEN g.n_missing = 0 THEN g.kg_mass END AS kg_from_mass_units,
       CASE WHEN g.n_missing = 0 THEN g.kg_volume END AS kg_from_volume,
       CASE WHEN g.n_missing = 0 THEN g.litres END AS litres_reported,
       g.n_rows AS rows,
       g.n_missing AS rows_without_kg,
       g.all_zero AS confirmed_no_seizures,
       g.statuses, g.kg_methods,
       g.partial AS partial_coverage,
       dcp.total_status(g.n_rows, g.n_missing, g.n_zero) AS total_status,
       g.n_zero AS rows_confirmed_zero
FROM g;

-- The two ends of every incident's route.  Origin: the first ORIGIN leg
-- (else DEPARTURE, else the first leg); destination: the last DESTINATION
-- leg (else INTENDED_DESTINATION, else the last leg), as in 0004.
CREATE VIEW dcp.v_incident_route_ends AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       s.geographic_coverage, i.ord AS incident_ord, i.incident_id, i.incident_type,
       i.incident_date, i.transport_mode,
       coalesce(r.first_origin, r.first_departure, r.first_leg) AS origin,
       coalesce(r.last_destination, r.last_intended, r.last_leg) AS destination,
       r.transit, r.legs, r.n_legs
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
WHERE s.is_current;
COMMENT ON VIEW dcp.v_incident_route_ends IS
    'Origin, transit and destination of every incident of current submissions (analysis 8.3).';

-- Per incident and substance: the kg of the rows of one substance; a
-- mixed-substance figure is its own row (mixed_substances true), never
-- added to a substance.
CREATE VIEW dcp.v_incident_route_substances AS
SELECT e.reporting_country, e.reporting_year, e.submission_id, e.revision_no,
       e.geographic_coverage, e.incident_ord, e.incident_id, e.incident_type,
       e.incident_date, e.transport_mode, e.origin, e.destination, e.transit, e.legs,
       coalesce(x.substance_code, x.substance_name) AS substance,
       coalesce(x.mixed_substances, false) AS mixed_substances,
       CASE WHEN count(*) FILTER (WHERE x.quantity_kg IS NULL) = 0 THEN sum(x.quantity_kg) END
           AS quantity_kg,
       dcp.total_status(count(*), count(*) FILTER (WHERE x.quantity_kg IS NULL), 0) AS total_status,
       count(*) AS n_rows,
       count(*) FILTER (WHERE x.quantity_kg IS NULL) AS n_missing,
       CASE WHEN count(*) FILTER (WHERE x.quantity_kg IS NULL) = 0
            THEN sum(dcp.to_litres(x.quantity_value, x.quantity_unit)) END AS litres_reported,
       array_agg(DISTINCT x.quantity_status) AS statuses
FROM dcp.v_incident_route_ends e
JOIN dcp.pc_incident_substance x
  ON x.submission_id = e.submission_id AND x.incident_ord = e.incident_ord
GROUP BY e.reporting_country, e.reporting_year, e.submission_id, e.revision_no,
         e.geographic_coverage, e.incident_ord, e.incident_id, e.incident_type,
         e.incident_date, e.transport_mode, e.origin, e.destination, e.transit, e.legs,
         coalesce(x.substance_code, x.substance_name), coalesce(x.mixed_substances, false);
COMMENT ON VIEW dcp.v_incident_route_substances IS
    'One row per incident x substance (current revisions) with origin and destination; kg never added across substances; mixed-substance figures on rows of their own.';

-- Flows: origin -> destination per year and substance over all countries,
-- PARTIAL coverage left out; mixed-substance figures are flows of their own.
CREATE VIEW dcp.v_incident_flows AS
SELECT t.reporting_year, t.substance, t.mixed_substances, t.origin, t.destination,
       CASE WHEN count(*) FILTER (WHERE t.quantity_kg IS NULL
                                    AND t.geographic_coverage IS DISTINCT FROM 'PARTIAL') = 0
                 AND count(*) FILTER (WHERE t.geographic_coverage IS DISTINCT FROM 'PARTIAL') > 0
            THEN sum(t.quantity_kg) FILTER (WHERE t.geographic_coverage IS DISTINCT FROM 'PARTIAL')
       END AS quantity_kg,
       dcp.total_status(
           count(*) FILTER (WHERE t.geographic_coverage IS DISTINCT FROM 'PARTIAL'),
           count(*) FILTER (WHERE t.quantity_kg IS NULL
                              AND t.geographic_coverage IS DISTINCT FROM 'PARTIAL'), 0) AS total_status,
       count(*) FILTER (WHERE t.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS n_incidents,
       count(*) FILTER (WHERE t.quantity_kg IS NULL
                          AND t.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS n_missing,
       count(*) FILTER (WHERE t.geographic_coverage = 'PARTIAL') AS n_partial_left_out,
       count(DISTINCT t.reporting_country)
           FILTER (WHERE t.geographic_coverage IS DISTINCT FROM 'PARTIAL') AS n_countries
FROM dcp.v_incident_route_substances t
GROUP BY t.reporting_year, t.substance, t.mixed_substances, t.origin, t.destination;
COMMENT ON VIEW dcp.v_incident_flows IS
    'Incident flows origin -> destination per year and substance over all countries: PARTIAL coverage left out (n_partial_left_out), NULL with INCOMPLETE when a figure is missing; mixed-substance figures apart.';

-- Analysis 8.3, same columns as 0004 (new ones at the end): quantity_kg is
-- the incident's kg only when it holds ONE substance, no mixed figure and
-- no missing figure; otherwise NULL and quantity_kg_status says why
-- (SEVERAL_SUBSTANCES: read v_incident_route_substances).
CREATE OR REPLACE VIEW dcp.v_incident_routes AS
SELECT e.reporting_country, e.reporting_year, e.submission_id, e.revision_no,
       e.incident_ord, e.incident_id, e.incident_type, e.incident_date, e.transport_mode,
       e.origin, e.destination, e.transit, e.legs, e.n_legs, sub.substances,
       CASE WHEN sub.n_substances = 1 AND NOT sub.mixed AND sub.rows_without_kg = 0
            THEN sub.kg END AS quantity_kg,
       sub.rows_without_kg,
       sub.n_substances,
       sub.mixed AS mixed_substances,
       CASE WHEN sub.n_rows IS NULL OR sub.n_rows = 0 THEN 'NOT_AVAILABLE'
            WHEN sub.mixed THEN 'MIXED_SUBSTANCES'
            WHEN sub.n_substances > 1 THEN 'SEVERAL_SUBSTANCES'
            ELSE dcp.total_status(sub.n_rows, sub.rows_without_kg, 0) END AS quantity_kg_status,
       e.geographic_coverage
FROM dcp.v_incident_route_ends e
LEFT JOIN LATERAL (
    SELECT array_agg(coalesce(x.substance_code, x.substance_name) ORDER BY x.ord) AS substances,
           sum(x.quantity_kg) AS kg,
           count(*) AS n_rows,
           count(*) FILTER (WHERE x.quantity_kg IS NULL) AS rows_without_kg,
           count(DISTINCT coalesce(x.substance_code, x.substance_name)) AS n_substances,
           coalesce(bool_or(x.mixed_substances), false) AS mixed
    FROM dcp.pc_incident_substance x
    WHERE x.submission_id = e.submission_id AND x.incident_ord = e.incident_ord
) sub ON true;

DO $$
DECLARE
    v text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        FOREACH v IN ARRAY ARRAY['v_pc_seizure_kg', 'v_pc_seizure_kg_by_year',
                                 'v_incident_route_ends', 'v_incident_route_substances',
                                 'v_incident_flows'] LOOP
            EXECUTE format('GRANT SELECT ON dcp.%I TO dcp_analyst', v);
        END LOOP;
    END IF;
END $$;
