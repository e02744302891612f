-- 0007_cheaper_submission_guard.sql: check immutability only when an UPDATE
-- names an immutable column.
--
-- The guard of 0001 turned the whole old and new row (raw bytes included)
-- into JSON on every UPDATE, and each accepted revision updates the
-- is_current flag of its predecessor: 8 % of the loader's database time in
-- the benchmark (tests/bench/README.md).  A column-list trigger fires only
-- when the UPDATE's SET list names one of the listed columns, so the
-- loader's `SET is_current = false` no longer pays for it while any attempt
-- to change another column still meets the same check.  (The loader's role
-- may only update is_current and review_state anyway; this guards owners.)
DROP TRIGGER submission_guard ON dcp.submission;

CREATE TRIGGER submission_guard_delete BEFORE DELETE ON dcp.submission
    FOR EACH ROW EXECUTE FUNCTION dcp.submission_guard ();

CREATE TRIGGER submission_guard_update
    BEFORE UPDATE OF submission_id, content_sha256, raw, questionnaire, schema_version,
        form_version, reporting_country, reporting_year, finalised_at, completed_on,
        reference_period_start, reference_period_end, geographic_coverage, coverage_note,
        revision_no, supersedes, revision_reason, language, focal_point_name,
        focal_point_agency, focal_point_title, focal_point_email, focal_point_phone,
        sender_key, sender_country, sender_name, validator_id, received_at, stored_at,
        n_numbers, n_reported, n_not_available, n_unanswered, completeness_pct, n_warnings,
        n_infos
    ON dcp.submission
    FOR EACH ROW EXECUTE FUNCTION dcp.submission_guard ();
