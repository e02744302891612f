-- 02_trends.sql -- QUESTIONNAIRE.md 8.2
-- Question: trends: moving averages, year-on-year change, and the breaks
--   where coverage or the form changes.
-- Views: v_pc_seizure_kg (acetic anhydride kg per country and year),
--   v_submissions_current (form version and coverage of each year).
-- Caveats: shown for acetic anhydride seizures in kg (the same window
--   applies to any figure of v_key_figures).  A change or average is NULL
--   when a year in it is not known -- a missing year is never taken as 0 --
--   and the 3-year average needs three consecutive known years.  A break
--   (form_break, coverage_break) marks a year whose form version or
--   geographic coverage differs from the year before: read the change
--   across it with care.  Years a country did not report are absent.
WITH y AS (
    SELECT k.reporting_country, k.reporting_year, k.kg_total, k.total_status,
           s.form_version, s.geographic_coverage
    FROM dcp.v_pc_seizure_kg k
    JOIN dcp.v_submissions_current s USING (submission_id)
    WHERE k.substance_code = 'AA'
), w AS (
    SELECT y.*,
           lag(y.reporting_year) OVER p AS prev_year,
           lag(y.kg_total) OVER p AS prev_kg,
           lag(y.form_version) OVER p AS prev_form,
           lag(y.geographic_coverage) OVER p AS prev_coverage,
           avg(y.kg_total) OVER (PARTITION BY y.reporting_country ORDER BY y.reporting_year
                                 RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS avg3,
           count(y.kg_total) OVER (PARTITION BY y.reporting_country ORDER BY y.reporting_year
                                   RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS n_known3
    FROM y
    WINDOW p AS (PARTITION BY y.reporting_country ORDER BY y.reporting_year)
)
SELECT w.reporting_country, w.reporting_year, trim_scale(w.kg_total) AS kg_total, w.total_status,
       CASE WHEN w.prev_year = w.reporting_year - 1 THEN trim_scale(w.kg_total - w.prev_kg) END
           AS yoy_change_kg,
       CASE WHEN w.prev_year = w.reporting_year - 1 AND w.prev_kg <> 0
            THEN round(100 * (w.kg_total - w.prev_kg) / w.prev_kg, 1) END AS yoy_change_pct,
       CASE WHEN w.n_known3 = 3 THEN round(w.avg3, 1) END AS moving_avg_3y,
       w.form_version,
       w.prev_year IS NOT NULL AND w.form_version IS DISTINCT FROM w.prev_form AS form_break,
       w.prev_year IS NOT NULL AND w.geographic_coverage IS DISTINCT FROM w.prev_coverage
           AS coverage_break
FROM w
ORDER BY w.reporting_country, w.reporting_year;
