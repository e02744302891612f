-- 01_aa_seizures.sql -- QUESTIONNAIRE.md 8.1
-- Question: acetic anhydride seized by country and year, in original units
--   and in kg with the density used; shares of the regional and global
--   totals.
-- Views: v_pc_seizure_kg (kg per country, year and substance, honest
--   total), v_precursor_seizures (units and densities per row),
--   v_country_regions (names, UN M49 subregion: the "region" of the totals).
-- Caveats: kg_total is NULL, never 0, when any row is not available or a
--   volume has no known density (total_status INCOMPLETE, n_missing); a
--   confirmed "no seizures" adds 0.  PARTIAL coverage is left out of the
--   regional and global totals (partial = true, share NULL).  A regional or
--   global total is NULL as soon as one country's figure in it is missing
--   (region_status / global_status INCOMPLETE); the *_known_pct shares are
--   shares of what is known, to read with that status.  Current revisions;
--   v_first_pc_seizure holds the figures as first reported.
WITH c AS (
    SELECT k.reporting_country, r.name AS country_name, r.m49_subregion, k.reporting_year,
           k.kg_total, k.total_status, k.n_missing, k.litres_reported,
           k.geographic_coverage = 'PARTIAL' AS partial
    FROM dcp.v_pc_seizure_kg k
    LEFT JOIN dcp.v_country_regions r ON r.iso3 = k.reporting_country
    WHERE k.substance_code = 'AA'
), units AS (
    SELECT v.reporting_country, v.reporting_year,
           string_agg(DISTINCT v.quantity_unit, ', ') AS units_reported,
           string_agg(DISTINCT trim_scale(v.quantity_kg_factor)::text, ', ')
               FILTER (WHERE v.quantity_kg_method LIKE 'density:%') AS densities_kg_per_l,
           string_agg(DISTINCT v.quantity_kg_method, ', ') AS kg_methods
    FROM dcp.v_precursor_seizures v
    WHERE v.substance_code = 'AA'
    GROUP BY v.reporting_country, v.reporting_year
), tot AS (
    SELECT c.*,
           sum(c.kg_total) FILTER (WHERE NOT c.partial)
               OVER (PARTITION BY c.reporting_year, c.m49_subregion) AS region_known_kg,
           count(*) FILTER (WHERE NOT c.partial AND c.kg_total IS NULL)
               OVER (PARTITION BY c.reporting_year, c.m49_subregion) AS region_missing,
           sum(c.kg_total) FILTER (WHERE NOT c.partial)
               OVER (PARTITION BY c.reporting_year) AS global_known_kg,
           count(*) FILTER (WHERE NOT c.partial AND c.kg_total IS NULL)
               OVER (PARTITION BY c.reporting_year) AS global_missing
    FROM c
)
SELECT t.reporting_country, t.country_name, t.m49_subregion, t.reporting_year,
       u.units_reported, trim_scale(t.litres_reported) AS litres_reported,
       u.densities_kg_per_l, u.kg_methods,
       trim_scale(t.kg_total) AS kg_total, t.total_status, t.n_missing, t.partial,
       CASE WHEN t.region_missing = 0 THEN trim_scale(t.region_known_kg) END AS region_kg_total,
       CASE WHEN t.region_missing = 0 THEN 'REPORTED' ELSE 'INCOMPLETE' END AS region_status,
       CASE WHEN t.global_missing = 0 THEN trim_scale(t.global_known_kg) END AS global_kg_total,
       CASE WHEN t.global_missing = 0 THEN 'REPORTED' ELSE 'INCOMPLETE' END AS global_status,
       CASE WHEN NOT t.partial AND t.region_known_kg > 0
            THEN round(100 * t.kg_total / t.region_known_kg, 1) END AS share_of_region_known_pct,
       CASE WHEN NOT t.partial AND t.global_known_kg > 0
            THEN round(100 * t.kg_total / t.global_known_kg, 1) END AS share_of_global_known_pct
FROM tot t
LEFT JOIN units u USING (reporting_country, reporting_year)
ORDER BY t.reporting_year, t.reporting_country;
