-- 08_aml_funnel.sql -- QUESTIONNAIRE.md 8.8
-- Question: the AML funnel: reports received, disseminated, investigations,
--   prosecutions, convictions, with the drug-related and Afghan-opiate
--   shares; compared only within a country or between countries counting in
--   the same units.
-- Views: v_ff_str (section C totals), v_ff_enforcement (section D, one row
--   per stage x scope x count unit x counting rule).
-- Caveats: one row per country, year, count unit and counting rule, so a
--   funnel never mixes cases with persons or "started in year" with
--   "concluded in year"; compare rows across countries only when unit and
--   rule agree.  Stages are summed over no scope: ML_ALL, ML_DRUG_PREDICATE
--   and ML_AFGHAN_OPIATES are columns of their own (the drug and Afghan
--   shares are of ML_ALL).  A NULL is a figure not available, confidential
--   or not given -- never 0 -- and a share is NULL when either figure is.
--   PARTIAL coverage is shown (partial) and must not be added to others.
WITH d AS (
    SELECT e.reporting_country, e.reporting_year, e.submission_id, e.count_unit, e.counting_rule,
           max(e.count_value) FILTER (WHERE e.stage = 'INVESTIGATION' AND e.scope = 'ML_ALL') AS inv_all,
           max(e.count_value) FILTER (WHERE e.stage = 'PROSECUTION' AND e.scope = 'ML_ALL') AS pros_all,
           max(e.count_value) FILTER (WHERE e.stage = 'CONVICTION' AND e.scope = 'ML_ALL') AS conv_all,
           max(e.count_value) FILTER (WHERE e.stage = 'CONVICTION' AND e.scope = 'ML_DRUG_PREDICATE')
               AS conv_drug,
           max(e.count_value) FILTER (WHERE e.stage = 'CONVICTION' AND e.scope = 'ML_AFGHAN_OPIATES')
               AS conv_afghan,
           max(e.count_value) FILTER (WHERE e.stage = 'INVESTIGATION' AND e.scope = 'ML_DRUG_PREDICATE')
               AS inv_drug,
           string_agg(DISTINCT e.stage || ':' || e.scope || '=' || e.count_status, ' ')
               FILTER (WHERE e.count_value IS NULL) AS not_available
    FROM dcp.v_ff_enforcement e
    GROUP BY 1, 2, 3, 4, 5
)
SELECT s.reporting_country, s.reporting_year, s.geographic_coverage = 'PARTIAL' AS partial,
       s.received_total_value AS str_received, s.disseminated_total_value AS str_disseminated,
       round(100 * s.received_drug_related_value / nullif(s.received_total_value, 0), 2)
           AS str_drug_share_pct,
       round(100 * s.received_afghan_opiates_value / nullif(s.received_total_value, 0), 2)
           AS str_afghan_share_pct,
       d.count_unit, d.counting_rule, d.inv_all AS investigations, d.pros_all AS prosecutions,
       d.conv_all AS convictions,
       round(100 * d.conv_drug / nullif(d.conv_all, 0), 1) AS conv_drug_share_pct,
       round(100 * d.conv_afghan / nullif(d.conv_all, 0), 1) AS conv_afghan_share_pct,
       round(100 * d.inv_drug / nullif(d.inv_all, 0), 1) AS inv_drug_share_pct,
       d.not_available
FROM dcp.v_ff_str s
LEFT JOIN d USING (submission_id)
ORDER BY s.reporting_year, s.reporting_country, d.count_unit, d.counting_rule;
