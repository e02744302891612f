-- 0032_baseline_comments.sql: the comments of 0031's objects that no table
-- column lends them (issue 12, item 8: \d+ describes every column).  View
-- columns that show a commented column under its own name take its comment
-- (dcp.inherit_view_comments, run after every migration by the loader).
-- Append-only file.

COMMENT ON COLUMN dcp.baseline.id IS 'number of the baseline, in the order frozen';
COMMENT ON COLUMN dcp.v_baseline_change.baseline_value IS 'the figure as frozen (dcp.baseline.value)';
COMMENT ON COLUMN dcp.v_baseline_change.baseline_status IS 'its status when frozen (dcp.baseline.status)';
COMMENT ON COLUMN dcp.v_baseline_change.current_year IS 'a reporting year of the same country with the same key figure (the baseline year included)';
COMMENT ON COLUMN dcp.v_baseline_change.current_value IS 'the figure of that year in its current revision; NULL when not available';
COMMENT ON COLUMN dcp.v_baseline_change.current_status IS 'its status (as v_key_figures.status)';
COMMENT ON COLUMN dcp.v_baseline_change.current_submission IS 'the current submission the figure comes from';
COMMENT ON COLUMN dcp.v_baseline_change.change IS 'current_value - baseline_value; NULL when either is not available';
COMMENT ON COLUMN dcp.v_baseline_change.change_pct IS 'change in % of the baseline (1 decimal); NULL from a baseline of 0 or when either is not available';
