-- 13_baselines.sql -- QUESTIONNAIRE.md 8.13
-- Question: a baseline per Vienna Declaration pillar (a baseline year, e.g.
--   2012 or each country's first year, and indicators for pillars I-III),
--   reported as change against the baseline; the baseline vintage is frozen
--   so that later revisions never move it silently.
-- Views: v_baseline_change (each frozen baseline beside the current figure
--   of every year of the same country), v_key_figures_first_reported (what
--   could be frozen: figures as first reported).
-- How to freeze (once; never moved by revisions; dictionary, "First-reported
--   values, key figures and baselines"):
--     SELECT * FROM dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'PAK', 2023,
--                                       'pillar III baseline');
-- Caveats: pillars of the key figures: II (financial flows: C_STR_*,
--   D_CONVICTIONS, E_ASSET_*) and III (precursors: P1_SEIZED_KG).  Pillar I
--   (regional initiatives and cross-border cooperation) has no key figure
--   in these questionnaires; section G cooperation requests are the nearest
--   (query 10) and are not frozen here.  A change is NULL when the baseline
--   or the current figure is not available; change_pct is NULL from a
--   baseline of 0.  revised_since_baseline says the current figure of the
--   baseline year itself differs from the frozen one (a revision came later).
SELECT CASE WHEN b.indicator LIKE 'P%' THEN 'III' ELSE 'II' END AS pillar,
       b.indicator, b.breakdown, b.unit, b.area, b.year AS baseline_year,
       trim_scale(b.baseline_value) AS baseline_value, b.baseline_status, b.vintage,
       b.current_year, trim_scale(b.current_value) AS current_value, b.current_status,
       trim_scale(b.change) AS change, b.change_pct,
       b.current_year = b.year AND b.current_value IS DISTINCT FROM b.baseline_value
           AS revised_since_baseline,
       b.frozen_by, b.note
FROM dcp.v_baseline_change b
ORDER BY pillar, b.indicator, b.breakdown, b.area, b.current_year;
