-- 0021_review.sql: reviewers approve, query or reject submissions, and
-- every decision is kept.
--
-- The review state of a submission (dcp.submission.review_state) changes
-- only through dcp.review(submission_id, state, note), a SECURITY DEFINER
-- function that only dcp_reviewer may call.  It records who (session_user,
-- the login role, not the function's owner), when, from which state, to
-- which state and why in dcp.review_audit, which nobody may update, delete
-- or truncate (a trigger refuses, whatever the grants).  A trigger on
-- dcp.submission refuses any other change of review_state, so the state and
-- its audit trail cannot disagree; the loader sets the first state
-- ('received' or 'has_issues') on INSERT and needs no UPDATE of it.
-- Migration 0007's guard already lets review_state change (it is the one
-- column besides is_current outside its list).
--
-- dcp_reviewer is a member of dcp_analyst and can also read, in schema
-- dcp_review, the quarantine with its reasons and the focal points'
-- contact data, which analysts cannot.  Those views live in their own
-- schema so that no "grant SELECT on every view of dcp to analysts" can
-- expose them.  Append-only file.

ALTER TABLE dcp.submission DROP CONSTRAINT submission_review_state_check;
ALTER TABLE dcp.submission ADD CONSTRAINT submission_review_state_check
    CHECK (review_state IN ('received', 'has_issues', 'approved', 'queried', 'rejected'));

CREATE TABLE dcp.review_audit (
    id            bigserial PRIMARY KEY,
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    reviewed_by   text NOT NULL DEFAULT session_user,
    reviewed_at   timestamptz NOT NULL DEFAULT now(),
    from_state    text NOT NULL,
    to_state      text NOT NULL CHECK (to_state IN ('approved', 'queried', 'rejected')),
    note          text
);
CREATE INDEX review_audit_submission ON dcp.review_audit (submission_id, reviewed_at);
COMMENT ON TABLE dcp.review_audit IS
    'Append-only log of review decisions, one row per call of dcp.review(); never updated or deleted.';
COMMENT ON COLUMN dcp.review_audit.id IS 'order of the decisions';
COMMENT ON COLUMN dcp.review_audit.submission_id IS 'the submission reviewed (FK to dcp.submission)';
COMMENT ON COLUMN dcp.review_audit.reviewed_by IS 'login role that decided (session_user)';
COMMENT ON COLUMN dcp.review_audit.reviewed_at IS 'when (transaction time)';
COMMENT ON COLUMN dcp.review_audit.from_state IS 'review_state before the decision';
COMMENT ON COLUMN dcp.review_audit.to_state IS 'approved, queried or rejected';
COMMENT ON COLUMN dcp.review_audit.note IS 'why; required for queried and rejected';

CREATE FUNCTION dcp.review_audit_guard () RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'review audit is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER review_audit_guard BEFORE UPDATE OR DELETE ON dcp.review_audit
    FOR EACH ROW EXECUTE FUNCTION dcp.review_audit_guard ();
CREATE TRIGGER review_audit_guard_truncate BEFORE TRUNCATE ON dcp.review_audit
    FOR EACH STATEMENT EXECUTE FUNCTION dcp.review_audit_guard ();

-- review_state changes only inside dcp.review(), which announces the
-- submission it is about to change in a transaction-local setting.
CREATE FUNCTION dcp.submission_review_guard () RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.review_state IS DISTINCT FROM OLD.review_state
       AND coalesce(current_setting('dcp.reviewing', true), '') <> OLD.submission_id::text THEN
        RAISE EXCEPTION 'review_state of submission % changes only through dcp.review()',
            OLD.submission_id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER submission_review_guard BEFORE UPDATE OF review_state ON dcp.submission
    FOR EACH ROW EXECUTE FUNCTION dcp.submission_review_guard ();

-- Sets the review state of the CURRENT revision SUBMISSION_ID to STATE
-- ('approved', 'queried' or 'rejected') and records the decision with NOTE
-- (required unless approving).  Returns the id of the audit row.  Raises
-- invalid_parameter_value for a bad state or a missing note, no_data_found
-- for an unknown submission, and restrict_violation for a superseded one
-- (review the revision analysts see).
CREATE FUNCTION dcp.review (submission_id uuid, state text, note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    old_state text;
    is_cur    boolean;
    audit_id  bigint;
BEGIN
    IF state IS NULL OR state NOT IN ('approved', 'queried', 'rejected') THEN
        RAISE EXCEPTION 'review state "%" is not approved, queried or rejected', state
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF state <> 'approved' AND nullif(btrim(note), '') IS NULL THEN
        RAISE EXCEPTION 'a submission % needs a note saying why', state
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT s.review_state, s.is_current INTO old_state, is_cur
      FROM dcp.submission s WHERE s.submission_id = review.submission_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'submission % does not exist', review.submission_id
            USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT is_cur THEN
        RAISE EXCEPTION 'submission % is superseded: review its current revision',
            review.submission_id USING ERRCODE = 'restrict_violation';
    END IF;
    PERFORM set_config('dcp.reviewing', review.submission_id::text, true);
    UPDATE dcp.submission s SET review_state = review.state
     WHERE s.submission_id = review.submission_id;
    PERFORM set_config('dcp.reviewing', '', true);
    INSERT INTO dcp.review_audit (submission_id, reviewed_by, from_state, to_state, note)
    VALUES (review.submission_id, session_user, old_state, review.state, nullif(btrim(review.note), ''))
    RETURNING id INTO audit_id;
    RETURN audit_id;
END $$;
COMMENT ON FUNCTION dcp.review (uuid, text, text) IS
    'Approve, query or reject the current revision of a submission, with a note (required unless approving); recorded in dcp.review_audit. Reviewers only.';
REVOKE ALL ON FUNCTION dcp.review (uuid, text, text) FROM PUBLIC;

CREATE SCHEMA dcp_review;
COMMENT ON SCHEMA dcp_review IS 'What reviewers may read and analysts may not: quarantine reasons, focal-point contacts, the review log.';

CREATE VIEW dcp_review.v_quarantine AS
SELECT q.id, q.submission_id, q.reason, q.problems, q.questionnaire, q.reporting_country,
       q.reporting_year, q.sender_country, q.sender_name, q.validator_id, q.received_at,
       q.stored_at
FROM dcp.quarantine q;
COMMENT ON VIEW dcp_review.v_quarantine IS
    'Rejected and conflicting submissions with their reasons and problems (no raw bytes, no sender key).';

CREATE VIEW dcp_review.v_focal_points AS
SELECT s.submission_id, s.questionnaire, s.reporting_country, s.reporting_year, s.revision_no,
       s.is_current, s.focal_point_name, s.focal_point_agency, s.focal_point_title,
       s.focal_point_email, s.focal_point_phone, s.review_state
FROM dcp.submission s;
COMMENT ON VIEW dcp_review.v_focal_points IS
    'Focal point contact data of every submission, for reviewers who query a response.';

CREATE VIEW dcp_review.v_review_log AS
SELECT a.id, a.submission_id, s.questionnaire, s.reporting_country, s.reporting_year,
       s.revision_no, a.reviewed_by, a.reviewed_at, a.from_state, a.to_state, a.note
FROM dcp.review_audit a
JOIN dcp.submission s ON s.submission_id = a.submission_id;
COMMENT ON VIEW dcp_review.v_review_log IS 'Every review decision with who made it.';

DO $$
DECLARE
    may_create boolean;
BEGIN
    SELECT rolsuper OR rolcreaterole INTO may_create FROM pg_roles WHERE rolname = current_user;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_reviewer') THEN
        IF may_create THEN
            CREATE ROLE dcp_reviewer NOLOGIN;
        ELSE
            RAISE WARNING 'role dcp_reviewer does not exist and % may not create it: grants skipped',
                current_user;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_loader') THEN
        -- The loader sets the first state on INSERT; later changes are reviews.
        REVOKE UPDATE (review_state) ON dcp.submission FROM dcp_loader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_reviewer') THEN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
            GRANT dcp_analyst TO dcp_reviewer;
        END IF;
        GRANT EXECUTE ON FUNCTION dcp.review (uuid, text, text) TO dcp_reviewer;
        GRANT USAGE ON SCHEMA dcp_review TO dcp_reviewer;
        GRANT SELECT ON ALL TABLES IN SCHEMA dcp_review TO dcp_reviewer;
    END IF;
END $$;
