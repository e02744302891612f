-- 06_stopped_vs_seized.sql -- QUESTIONNAIRE.md 8.6
-- Question: stopped against seized shipments, by exporting country.
-- Views: v_pc_stopped_shipments (P4: stopped or suspended shipments,
--   suspicious orders, thefts, with the exporting country),
--   v_incident_route_substances (P6: seized incidents with their origin).
-- Caveats: "exporting country" of a seizure is the origin of the incident's
--   route (first ORIGIN leg, else the first leg); P1 annual seizures are
--   left out because their origin lists cannot be apportioned.  kg per
--   substance only, NULL when a figure in the sum has no kg
--   (n_*_missing say how many); a mixed-substance incident figure is
--   left out of the substance's kg and counted in n_seized_mixed.  Both
--   sides hold only what countries chose to report.
WITH stopped AS (
    SELECT reporting_year, exporting_country AS country, substance_code AS substance,
           count(*) AS n, count(*) FILTER (WHERE quantity_kg IS NULL) AS n_missing,
           sum(quantity_kg) AS kg
    FROM dcp.v_pc_stopped_shipments
    GROUP BY 1, 2, 3
), seized AS (
    SELECT reporting_year, origin AS country, substance,
           count(*) FILTER (WHERE NOT mixed_substances) AS n,
           count(*) FILTER (WHERE NOT mixed_substances AND quantity_kg IS NULL) AS n_missing,
           sum(quantity_kg) FILTER (WHERE NOT mixed_substances) AS kg,
           count(*) FILTER (WHERE mixed_substances) AS n_mixed
    FROM dcp.v_incident_route_substances
    GROUP BY 1, 2, 3
)
SELECT coalesce(st.reporting_year, se.reporting_year) AS reporting_year,
       coalesce(st.country, se.country) AS exporting_country,
       coalesce(st.substance, se.substance) AS substance,
       coalesce(st.n, 0) AS n_stopped,
       CASE WHEN st.n_missing = 0 THEN trim_scale(round(st.kg, 3)) END AS stopped_kg,
       coalesce(st.n_missing, 0) AS n_stopped_missing,
       coalesce(se.n, 0) AS n_seized,
       CASE WHEN se.n_missing = 0 AND se.n > 0 THEN trim_scale(round(se.kg, 3)) END AS seized_kg,
       coalesce(se.n_missing, 0) AS n_seized_missing,
       coalesce(se.n_mixed, 0) AS n_seized_mixed
FROM stopped st
FULL JOIN seized se USING (reporting_year, country, substance)
ORDER BY 1, 2, 3;
