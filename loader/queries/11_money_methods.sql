-- 11_money_methods.sql -- QUESTIONNAIRE.md 8.11
-- Question: money-movement methods: rankings aggregated across countries,
--   trend votes, prevalence of hawala and virtual assets over time.
-- Views: v_ff_methods (section F, one row per method a country answered,
--   with its jurisdictions).
-- Caveats: per year and method: how many countries answered about it, say
--   it is observed, not observed or do not know; the mean and best rank among
--   countries that ranked it (ranks are 1..n within a country's own list,
--   so a mean rank compares lists of different lengths: read it with
--   n_ranked); trend votes.  prevalence_pct = observed / (observed + not observed),
--   a share of the countries that answered yes or no, not of all partners
--   (n_answered says how many); hawala is HAWALA_INFORMAL_MVTS, virtual
--   assets VIRTUAL_ASSET (flagged in focus).
SELECT m.reporting_year, m.method,
       m.method IN ('HAWALA_INFORMAL_MVTS', 'VIRTUAL_ASSET') AS focus,
       count(DISTINCT m.reporting_country) AS n_answered,
       count(*) FILTER (WHERE m.observed = 'YES') AS n_observed,
       count(*) FILTER (WHERE m.observed = 'NO') AS n_not_observed,
       count(*) FILTER (WHERE m.observed = 'UNKNOWN' OR m.observed IS NULL) AS n_unknown,
       round(100.0 * count(*) FILTER (WHERE m.observed = 'YES')
             / nullif(count(*) FILTER (WHERE m.observed IN ('YES', 'NO')), 0), 1) AS prevalence_pct,
       count(m.rank) AS n_ranked, round(avg(m.rank), 2) AS mean_rank, min(m.rank) AS best_rank,
       count(*) FILTER (WHERE m.trend = 'INCREASING') AS votes_increasing,
       count(*) FILTER (WHERE m.trend = 'STABLE') AS votes_stable,
       count(*) FILTER (WHERE m.trend = 'DECREASING') AS votes_decreasing,
       count(*) FILTER (WHERE m.trend = 'UNKNOWN') AS votes_unknown
FROM dcp.v_ff_methods m
GROUP BY m.reporting_year, m.method
ORDER BY m.reporting_year, mean_rank NULLS LAST, m.method;
