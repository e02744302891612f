-- 09_asset_recovery.sql -- QUESTIONNAIRE.md 8.9
-- Question: asset recovery: frozen, seized and confiscated values in USD by
--   asset category, against estimates of illicit proceeds.
-- Views: v_ff_assets (section E, amounts in the currency reported).
-- Caveats: THE SYSTEM HOLDS NO EXCHANGE RATES and the questionnaires collect
--   no estimates of illicit proceeds: amount_usd is the amount where it was
--   reported in USD and NULL otherwise (convert with the rates of your
--   choice from amount and currency), estimated_illicit_proceeds_usd is
--   NULL.  Amounts in different currencies are never added: one row per
--   currency.  A total is NULL when an amount in it is not available
--   (n_missing).  Seized and frozen values overlap with later confiscations
--   (V-FIN-12); do not add measures together.
SELECT a.reporting_country, a.reporting_year, a.measure, a.asset_category, a.currency,
       count(*) AS n_rows, count(*) FILTER (WHERE a.amount IS NULL) AS n_missing,
       CASE WHEN count(*) FILTER (WHERE a.amount IS NULL) = 0 THEN trim_scale(sum(a.amount)) END
           AS amount,
       CASE WHEN count(*) FILTER (WHERE a.amount IS NULL) = 0 AND a.currency = 'USD'
            THEN trim_scale(sum(a.amount)) END AS amount_usd,
       CASE WHEN count(*) FILTER (WHERE a.cases_value IS NULL) = 0 THEN sum(a.cases_value) END
           AS cases,
       string_agg(DISTINCT a.valuation_basis, ',') AS valuation_basis,
       NULL::numeric AS estimated_illicit_proceeds_usd
FROM dcp.v_ff_assets a
GROUP BY a.reporting_country, a.reporting_year, a.measure, a.asset_category, a.currency
ORDER BY 1, 2, 3, 4, 5;
