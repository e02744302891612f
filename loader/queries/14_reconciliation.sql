-- 14_reconciliation.sql -- QUESTIONNAIRE.md 8.14
-- Question: reconciliation between sources (this questionnaire, Form D, the
--   ARQ, incident systems) per country, year and substance.
-- Views: v_pc_seizure_kg (P1 annual seizures), v_incident_route_substances
--   (P6 incidents of the same response), v_key_figures_first_reported (the
--   figure as first reported).
-- Caveats: FORM D, THE ARQ AND PICS ARE NOT COLLECTED BY THIS SYSTEM: their
--   columns are NULL (rule V-X-04 cannot run).  What exists is reconciled:
--   within one response, the annual P1 total against the sum of its P6
--   incidents (incidents_share_pct; over 105 % is rule V-PRE-11), and the
--   current figure against the one first reported (revised).  kg per
--   substance only; a mixed-substance incident figure is left out and
--   counted (n_mixed); totals NULL when a figure is missing.
WITH inc AS (
    SELECT submission_id, substance,
           count(*) FILTER (WHERE NOT mixed_substances) AS n_incidents,
           CASE WHEN count(*) FILTER (WHERE NOT mixed_substances AND quantity_kg IS NULL) = 0
                THEN sum(quantity_kg) FILTER (WHERE NOT mixed_substances) END AS kg,
           count(*) FILTER (WHERE mixed_substances) AS n_mixed
    FROM dcp.v_incident_route_substances
    GROUP BY submission_id, substance
)
SELECT k.reporting_country, k.reporting_year, k.substance_code,
       trim_scale(round(k.kg_total, 3)) AS annual_kg, k.total_status AS annual_status,
       coalesce(i.n_incidents, 0) AS n_incidents, trim_scale(round(i.kg, 3)) AS incidents_kg,
       coalesce(i.n_mixed, 0) AS n_mixed,
       round(100 * i.kg / nullif(k.kg_total, 0), 1) AS incidents_share_pct,
       trim_scale(f.value) AS first_reported_kg,
       f.value IS DISTINCT FROM k.kg_total AND f.value IS NOT NULL AS revised,
       NULL::numeric AS form_d_kg, NULL::numeric AS arq_kg, NULL::numeric AS pics_kg
FROM dcp.v_pc_seizure_kg k
LEFT JOIN inc i ON i.submission_id = k.submission_id AND i.substance = k.substance_code
LEFT JOIN dcp.v_key_figures_first_reported f
       ON f.reporting_country = k.reporting_country AND f.reporting_year = k.reporting_year
      AND f.questionnaire = 'precursors' AND f.indicator = 'P1_SEIZED_KG'
      AND f.breakdown = k.substance_code
ORDER BY k.reporting_year, k.reporting_country, k.substance_code;
