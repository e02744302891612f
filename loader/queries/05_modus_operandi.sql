-- 05_modus_operandi.sql -- QUESTIONNAIRE.md 8.5
-- Question: modus operandi: misdeclarations, concealment, transport modes,
--   package types, diversion points.
-- Views: v_pc_incidents (concealment, declared description, transport),
--   v_pc_incident_substances (package types, units in litres),
--   v_pc_diversion (P3 diversion methods the countries observe).
-- Caveats: counts of incidents (or, for diversion methods, of countries
--   saying "observed"), per year; incidents are only those the countries
--   chose to report.  "misdeclared" counts incidents whose declared
--   description is given and names none of the substances found (the
--   V-PRE-14 reading).  Volumes are in litres whatever the unit sent (L, ML,
--   M3), kg per substance only; a mixed-substance figure is counted under
--   the package type but flagged.
WITH inc AS (
    SELECT i.*,
           (SELECT bool_and(position(lower(coalesce(x.substance_name, x.substance_code, ''))
                                     IN lower(i.declared_description)) = 0)
              FROM dcp.v_pc_incident_substances x
             WHERE x.submission_id = i.submission_id AND x.incident_ord = i.ord) AS names_none
    FROM dcp.v_pc_incidents i
)
SELECT reporting_year, dimension, category, count(*) AS n, string_agg(DISTINCT reporting_country, ',')
           AS countries, NULL::numeric AS litres, NULL::numeric AS kg
FROM (
    SELECT reporting_year, reporting_country, 'concealment' AS dimension,
           coalesce(concealment, '(not given)') AS category FROM inc
    UNION ALL
    SELECT reporting_year, reporting_country, 'transport_mode', coalesce(transport_mode, '(not given)')
    FROM inc
    UNION ALL
    SELECT reporting_year, reporting_country, 'misdeclared',
           CASE WHEN declared_description IS NULL THEN '(no declaration)'
                WHEN names_none THEN 'yes' ELSE 'no' END
    FROM inc
    UNION ALL
    SELECT reporting_year, reporting_country, 'diversion_method', method
    FROM dcp.v_pc_diversion WHERE observed = 'YES'
) d
GROUP BY reporting_year, dimension, category
UNION ALL
SELECT x.reporting_year, 'package_type',
       coalesce(x.package_type, '(not given)') || ':' || coalesce(x.substance_code, x.substance_name)
           || CASE WHEN x.mixed_substances THEN ' (mixed)' ELSE '' END,
       count(*), string_agg(DISTINCT x.reporting_country, ','),
       trim_scale(sum(x.quantity_litres)), trim_scale(round(sum(x.quantity_kg), 3))
FROM dcp.v_pc_incident_substances x
GROUP BY x.reporting_year, x.package_type, coalesce(x.substance_code, x.substance_name),
         x.mixed_substances
ORDER BY 1, 2, 3;
