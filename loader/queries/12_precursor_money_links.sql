-- 12_precursor_money_links.sql -- QUESTIONNAIRE.md 8.12
-- Question: links between precursors and money: incidents with linked
--   financial information.
-- Views: v_pc_incidents (P6: linked money amount, currency, status and
--   transfer channel), v_pc_incident_substances (what was seized).
-- Caveats: every incident of the current revisions that carries any
--   linked-money answer: an amount (in its own currency, never converted or
--   added across currencies), or a status saying why there is none
--   (NOT_AVAILABLE ...), or a transfer channel.  The link to section F or to
--   an STR is not collected: the financial-flows questionnaire does not
--   name incidents, so matching the two is left to the analyst (same
--   country, year and channel).
SELECT i.reporting_country, i.reporting_year, i.incident_id, i.incident_date,
       (SELECT string_agg(coalesce(x.substance_code, x.substance_name), ',' ORDER BY x.ord)
          FROM dcp.v_pc_incident_substances x
         WHERE x.submission_id = i.submission_id AND x.incident_ord = i.ord) AS substances,
       trim_scale(i.linked_money_amount) AS linked_amount, i.linked_money_currency AS currency,
       i.linked_money_status AS amount_status, i.linked_transfer_channel AS transfer_channel,
       i.follow_up
FROM dcp.v_pc_incidents i
WHERE i.linked_money_amount IS NOT NULL OR i.linked_transfer_channel IS NOT NULL
   OR i.linked_money_status NOT IN ('UNANSWERED')
ORDER BY i.reporting_year, i.reporting_country, i.incident_date, i.incident_id;
