-- 07_compliance.sql -- QUESTIONNAIRE.md 8.7
-- Question: reporting compliance per country and questionnaire: submitted
--   or not, lateness, completeness, revisions, differences between channels.
-- Views: v_response_tracking (partner x questionnaire x year: expected by
--   the partner's dates, received, late, completeness against the
--   questionnaire's expected items, revisions, review state).
-- Caveats: one row per tracked country, questionnaire and year (Paris Pact
--   partners in the years they were partners, and any country that
--   answered).  "Expected" follows the partner's joining year.  Lateness is
--   that of the FIRST submission against the deadline.  Differences between
--   channels (this questionnaire against Form D or the ARQ) cannot be
--   answered: only this questionnaire is collected here; channels = 1.
--   "Which partners have not submitted the financial-flows questionnaire
--   for 2023, by subregion?" is
--     SELECT m49_subregion, reporting_country, country_name
--       FROM dcp.v_response_tracking
--      WHERE questionnaire = 'financial_flows' AND reporting_year = 2023
--        AND expected AND NOT received ORDER BY 1, 2;
SELECT t.reporting_country, t.country_name, t.m49_subregion, t.questionnaire, t.reporting_year,
       t.expected, t.received, t.timeliness, t.late, t.n_revisions, t.revision_no,
       t.partial, t.completeness_pct, t.sections_missing, t.n_warnings, t.review_state,
       1 AS channels
FROM dcp.v_response_tracking t
WHERE t.expected OR t.received
ORDER BY t.reporting_year, t.questionnaire, t.reporting_country;
