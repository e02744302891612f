-- 0050_report.sql: exchange rates and money in US dollars (issue 15).
--
-- Amounts stay as reported, in their own currency (V-FIN-13: the USD figure
-- is derived beside the original and never overwrites it).  The rate is
-- dated reference data: libdcp/refdata/exchange_rates.csv, copied into
-- dcp.ref_exchange_rates by the loader like every ref_* table, one annual
-- average per currency and year with its basis and source (how to add
-- rates: loader/report/README.md).  A row with no year holds for every year
-- (USD = 1 by definition).  A missing rate gives amount_usd NULL and says
-- why in usd_missing_reason: never 0 and never the original amount.
-- Append-only file.

CREATE TABLE dcp.ref_exchange_rates (
    currency      text NOT NULL,     -- ISO 4217, as in ref_currencies
    year          integer,           -- reporting year; NULL = every year
    units_per_usd numeric NOT NULL CHECK (units_per_usd > 0),
    basis         text NOT NULL,     -- ANNUAL_AVERAGE, DEFINITION
    source        text NOT NULL      -- publisher and series, for the reader
);
CREATE INDEX ref_exchange_rates_currency ON dcp.ref_exchange_rates (currency, year);
COMMENT ON TABLE dcp.ref_exchange_rates IS
    'Annual average exchange rates, units of the currency per US dollar, with basis and source.';

-- Section E assets of current submissions with the amount in USD.  The rate
-- of the reporting year wins over a rate with no year.
CREATE VIEW dcp.v_ff_assets_usd AS
SELECT s.reporting_country, s.reporting_year, s.submission_id, s.revision_no,
       a.ord, a.measure, a.asset_category, a.predicate_scope, a.valuation_basis,
       a.amount, a.currency, a.amount_status,
       CASE WHEN a.amount IS NOT NULL THEN round(a.amount / r.units_per_usd, 2) END AS amount_usd,
       r.units_per_usd AS rate_units_per_usd, r.year AS rate_year, r.basis AS rate_basis,
       r.source AS rate_source,
       CASE WHEN a.amount IS NULL THEN 'no amount: ' || lower(a.amount_status)
            WHEN a.currency IS NULL THEN 'no currency given with the amount'
            WHEN r.units_per_usd IS NULL
                THEN 'no exchange rate for ' || a.currency || ' in ' || s.reporting_year
       END AS usd_missing_reason,
       a.cases_value, a.cases_status, a.origin_of_request, a.counterpart_country,
       coalesce(a.amount_qref, a.question_ref) AS question_ref
FROM dcp.ff_asset a
JOIN dcp.submission s ON s.submission_id = a.submission_id
LEFT JOIN LATERAL (SELECT x.units_per_usd, x.year, x.basis, x.source
                     FROM dcp.ref_exchange_rates x
                    WHERE x.currency = a.currency
                      AND (x.year = s.reporting_year OR x.year IS NULL)
                    ORDER BY x.year NULLS LAST LIMIT 1) r ON true
WHERE s.is_current;
COMMENT ON VIEW dcp.v_ff_assets_usd IS
    'Section E assets of current submissions: original amount and currency, amount_usd derived with the rate, its basis and source; NULL with usd_missing_reason when no rate.';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        GRANT SELECT ON dcp.ref_exchange_rates, dcp.v_ff_assets_usd TO dcp_analyst;
    END IF;
END $$;

COMMENT ON COLUMN dcp.ref_exchange_rates.currency IS 'ISO 4217 code of the currency, as in ref_currencies.';
COMMENT ON COLUMN dcp.ref_exchange_rates.year IS 'Reporting year the rate applies to; NULL: every year (USD = 1).';
COMMENT ON COLUMN dcp.ref_exchange_rates.units_per_usd IS 'Units of the currency per US dollar (annual average).';
COMMENT ON COLUMN dcp.ref_exchange_rates.basis IS 'How the rate was set: ANNUAL_AVERAGE, or DEFINITION for USD itself.';
COMMENT ON COLUMN dcp.ref_exchange_rates.source IS 'Publisher and series of the rate, for the reader to check.';
COMMENT ON COLUMN dcp.v_ff_assets_usd.amount_usd IS 'amount / rate_units_per_usd, rounded to cents; NULL when there is no amount, no currency or no rate (see usd_missing_reason).';
COMMENT ON COLUMN dcp.v_ff_assets_usd.rate_units_per_usd IS 'The rate used: units of the currency per US dollar.';
COMMENT ON COLUMN dcp.v_ff_assets_usd.rate_year IS 'Year of the rate used; NULL for a rate that holds every year.';
COMMENT ON COLUMN dcp.v_ff_assets_usd.rate_basis IS 'Basis of the rate used (ANNUAL_AVERAGE, DEFINITION).';
COMMENT ON COLUMN dcp.v_ff_assets_usd.rate_source IS 'Source of the rate used.';
COMMENT ON COLUMN dcp.v_ff_assets_usd.usd_missing_reason IS 'Why amount_usd is NULL (no amount and its status, no currency, no rate for the currency and year); NULL when amount_usd is given.';
