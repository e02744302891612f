-- 04_interdiction.sql -- QUESTIONNAIRE.md 8.4
-- Question: interdiction: acetic anhydride seized against what estimated
--   heroin manufacture needs (with the ratio as a parameter).
-- Views: v_pc_seizure_kg_by_year (acetic anhydride kg over all countries
--   per year, PARTIAL coverage left out), v_pc_seizure_kg (per country).
-- Parameter: psql variable aa_kg_per_kg_heroin (kg of acetic anhydride per
--   kg of heroin manufactured), default 1.5; e.g.
--   psql -v aa_kg_per_kg_heroin=2 -f 04_interdiction.sql
-- Caveats: THE QUESTIONNAIRES DO NOT COLLECT HEROIN MANUFACTURE ESTIMATES
--   (they come from the UNODC opium surveys): estimated_manufacture_kg is
--   NULL here and interdiction_rate with it; what exists is returned: the
--   acetic anhydride seized and the heroin it could have made at the
--   given ratio.  Totals are NULL when a country's figure is missing
--   (INCOMPLETE, countries_missing names them); known_kg is the sum of what
--   is known, to read with that status.
\if :{?aa_kg_per_kg_heroin}
\else
\set aa_kg_per_kg_heroin 1.5
\endif
SELECT t.reporting_year, trim_scale(round(t.kg_total, 3)) AS aa_seized_kg, t.total_status,
       trim_scale(round((SELECT sum(k.kg_total) FROM dcp.v_pc_seizure_kg k
                          WHERE k.substance_code = 'AA' AND k.reporting_year = t.reporting_year
                            AND k.geographic_coverage IS DISTINCT FROM 'PARTIAL'), 3)) AS known_kg,
       t.n_countries, t.n_countries_missing, t.countries_missing, t.n_partial_left_out,
       :aa_kg_per_kg_heroin::numeric AS aa_kg_per_kg_heroin,
       round(t.kg_total / :aa_kg_per_kg_heroin::numeric, 1) AS heroin_equivalent_kg,
       NULL::numeric AS estimated_manufacture_kg,
       NULL::numeric AS interdiction_rate,
       'heroin manufacture estimates are not collected by these questionnaires'::text AS caveat
FROM dcp.v_pc_seizure_kg_by_year t
WHERE t.substance_code = 'AA'
ORDER BY t.reporting_year;
