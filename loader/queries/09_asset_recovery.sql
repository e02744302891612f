-- 09_asset_recovery.sql -- QUESTIONNAIRE.md 8.9
-- Question: asset recovery: frozen, seized and confiscated values in USD by
--   asset category, against estimates of illicit proceeds.
-- Views: v_ff_assets_usd (section E of current submissions: the amount in
--   the currency reported, and in USD by the annual rate of
--   ref_exchange_rates, with the rate, its basis and source).
-- Caveats: one row per country, year, measure, category and currency: the
--   original amounts of different currencies are never added, the USD
--   figures may be.  amount_usd is NULL (never 0) when an amount in the row
--   is not available or its currency has no rate for the year
--   (usd_missing says why); the rate used is shown.  THE QUESTIONNAIRES
--   COLLECT NO ESTIMATES OF ILLICIT PROCEEDS: estimated_illicit_proceeds_usd
--   is NULL.  Seized and frozen values overlap with later confiscations
--   (V-FIN-12): do not add measures together.
SELECT a.reporting_country, a.reporting_year, a.measure, a.asset_category, a.currency,
       count(*) AS n_rows, count(*) FILTER (WHERE a.amount IS NULL) AS n_missing,
       CASE WHEN count(*) FILTER (WHERE a.amount IS NULL) = 0 THEN trim_scale(sum(a.amount)) END
           AS amount,
       CASE WHEN count(*) FILTER (WHERE a.amount_usd IS NULL) = 0 THEN trim_scale(sum(a.amount_usd)) END
           AS amount_usd,
       min(a.rate_units_per_usd) AS rate_units_per_usd, min(a.rate_source) AS rate_source,
       string_agg(DISTINCT a.usd_missing_reason, '; ') AS usd_missing,
       CASE WHEN count(*) FILTER (WHERE a.cases_value IS NULL) = 0 THEN sum(a.cases_value) END
           AS cases,
       string_agg(DISTINCT a.valuation_basis, ',') AS valuation_basis,
       NULL::numeric AS estimated_illicit_proceeds_usd
FROM dcp.v_ff_assets_usd a
GROUP BY a.reporting_country, a.reporting_year, a.measure, a.asset_category, a.currency
ORDER BY 1, 2, 3, 4, 5;
