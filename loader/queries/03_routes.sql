-- 03_routes.sql -- QUESTIONNAIRE.md 8.3
-- Question: routes from origin through transit to destination, per
--   substance and year, and the shift between the three opiate routes.
-- Views: v_incident_flows (incidents origin -> destination per year and
--   substance, over all countries), v_incident_route_ends (transit legs),
--   v_pc_routes (P8: the routes countries name, with route codes).
-- Caveats: two answers, in this order.
--   1. Incident flows (P6): kg per substance, never added across
--      substances; transit_seen lists the transit countries of any incident
--      between the two ends that year; a figure flagged mixed_substances is a flow of its own
--      (mixed = true) and in no substance's total; quantity_kg NULL when a
--      figure in it has no kg (INCOMPLETE); PARTIAL coverage left out
--      (n_partial_left_out).  Only the incidents countries chose to report.
--   2. Route shift (P8): per year and route code, how many countries name
--      it and their mean share of the substance; route codes are the
--      countries' own reading, and P8 shares are not quantities.
SELECT 'flow' AS answer, f.reporting_year, f.substance, f.mixed_substances AS mixed,
       f.origin, f.destination,
       (SELECT string_agg(DISTINCT t, ',') FROM dcp.v_incident_route_ends e,
               unnest(e.transit) AS t
         WHERE e.reporting_year = f.reporting_year AND e.origin = f.origin
           AND e.destination = f.destination) AS transit_seen,
       trim_scale(round(f.quantity_kg, 3)) AS quantity_kg, f.total_status, f.n_incidents,
       f.n_partial_left_out
FROM dcp.v_incident_flows f
ORDER BY f.reporting_year, f.substance, f.mixed_substances, f.origin, f.destination;

SELECT 'route_shift' AS answer, r.reporting_year, r.substance_code, r.route_code,
       count(DISTINCT r.reporting_country) AS n_countries,
       round(avg(r.share_pct), 1) AS mean_share_pct,
       string_agg(DISTINCT r.reporting_country, ',') AS named_by
FROM dcp.v_pc_routes r
WHERE r.route_code IS NOT NULL
GROUP BY r.reporting_year, r.substance_code, r.route_code
ORDER BY r.reporting_year, r.substance_code, r.route_code;
