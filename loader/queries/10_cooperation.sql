-- 10_cooperation.sql -- QUESTIONNAIRE.md 8.10
-- Question: international cooperation as a network of requests: response
--   times and refusal rates.
-- Views: v_ff_cooperation (section G: one row per instrument x direction x
--   counterpart, drug-related kept apart: drug_scope DRUG / NON_DRUG /
--   UNKNOWN / ALL).
-- Caveats: one edge per reporting country, counterpart, instrument,
--   direction and drug scope -- never summed across drug scopes, since "all"
--   already holds the drug-related requests.  A counterpart NULL means the
--   country did not break its figures down by partner.  refusal_rate_pct
--   = refused / (executed + refused), NULL when either is not available;
--   mean response days as reported (no recomputation).  Each side reports
--   its own view of an exchange: A's outgoing requests to B need not equal
--   B's incoming requests from A.
SELECT c.reporting_country AS from_country, coalesce(c.counterpart_country, '(all)') AS to_country,
       c.instrument, c.direction, c.drug_scope, c.reporting_year,
       c.requests_value AS requests, c.executed_value AS executed, c.refused_value AS refused,
       c.pending_at_year_end_value AS pending_at_year_end,
       round(100 * c.refused_value / nullif(c.executed_value + c.refused_value, 0), 1)
           AS refusal_rate_pct,
       c.mean_response_days_value AS mean_response_days,
       nullif(concat_ws(' ', CASE WHEN c.requests_value IS NULL THEN 'requests=' || c.requests_status END,
                        CASE WHEN c.refused_value IS NULL THEN 'refused=' || c.refused_status END,
                        CASE WHEN c.mean_response_days_value IS NULL
                             THEN 'days=' || c.mean_response_days_status END), '') AS not_available
FROM dcp.v_ff_cooperation c
ORDER BY c.reporting_year, c.reporting_country, c.counterpart_country NULLS FIRST, c.instrument,
         c.direction, c.drug_scope;
