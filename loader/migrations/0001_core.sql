-- 0001_core.sql: the submission record, findings, quarantine and security log.
-- previous-sha256: 329a2a75c925bd1b745d9132060376262bdaf1d042d4ae6b8f6379b49b2a3d80
--
-- Every accepted submission is kept whole and immutable (its protobuf bytes
-- and their SHA-256) in dcp.submission; normalised answers live in the
-- section tables of 0002.  Rejected and conflicting submissions go to
-- dcp.quarantine with their problems, so that a resend of the same bytes gets
-- the same receipt back.  Append-only: never edit this file once applied;
-- add a new numbered file instead (migrate.c refuses changed checksums).

CREATE SCHEMA IF NOT EXISTS dcp;

-- Observation status of every numeric answer (proto/QUESTIONNAIRE.md 4.1, 5.7).  A value
-- is present exactly for REPORTED, ESTIMATED and PROVISIONAL; the other
-- statuses say why it is absent.  UNANSWERED also stands for a question
-- missing from the message.
CREATE DOMAIN dcp.obs_status AS text
    CHECK (VALUE IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL', 'NOT_AVAILABLE',
                     'NOT_APPLICABLE', 'CONFIDENTIAL', 'INCLUDED_ELSEWHERE', 'UNANSWERED'));

-- Yes / no / unknown; NULL = not answered.
CREATE DOMAIN dcp.tri AS text CHECK (VALUE IN ('YES', 'NO', 'UNKNOWN'));

-- True when VALUE and STATUS agree (V-GEN-02): the database's last line of
-- defence against a silent zero or a number hiding behind "not available".
CREATE FUNCTION dcp.obs_ok (value numeric, status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (value IS NOT NULL) = (status IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL')) $$;

-- RFC 3339 text to timestamptz, NULL if it does not parse.  Used only where
-- a row must never be refused (quarantine: the text comes from a submission
-- we are rejecting anyway).
CREATE FUNCTION dcp.try_timestamptz (text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN NULLIF ($1, '')::timestamptz;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;

CREATE TABLE dcp.submission (
    submission_id          uuid PRIMARY KEY,
    content_sha256         bytea NOT NULL CHECK (length(content_sha256) = 32),
    raw                    bytea NOT NULL,
    questionnaire          text NOT NULL CHECK (questionnaire IN ('financial_flows', 'precursors')),
    schema_version         integer NOT NULL,
    form_version           text,
    reporting_country      text NOT NULL,
    reporting_year         integer NOT NULL,
    finalised_at           timestamptz,
    completed_on           date,
    reference_period_start date,
    reference_period_end   date,
    geographic_coverage    text,
    coverage_note          text,
    revision_no            integer NOT NULL CHECK (revision_no >= 0),
    supersedes             uuid,
    revision_reason        text,
    language               text,
    focal_point_name       text,
    focal_point_agency     text,
    focal_point_title      text,
    focal_point_email      text,
    focal_point_phone      text,
    sender_key             text,
    sender_country         text,
    sender_name            text,
    validator_id           text,
    received_at            timestamptz,
    stored_at              timestamptz NOT NULL DEFAULT now(),
    is_current             boolean NOT NULL,
    review_state           text NOT NULL DEFAULT 'received'
                           CHECK (review_state IN ('received', 'has_issues', 'approved', 'rejected')),
    n_numbers              integer NOT NULL DEFAULT 0,
    n_reported             integer NOT NULL DEFAULT 0,
    n_not_available        integer NOT NULL DEFAULT 0,
    n_unanswered           integer NOT NULL DEFAULT 0,
    completeness_pct       numeric(5,2),
    n_warnings             integer NOT NULL DEFAULT 0,
    n_infos                integer NOT NULL DEFAULT 0
);

-- One current revision per (country, questionnaire, year): V-ENV-06.
CREATE UNIQUE INDEX submission_one_current
    ON dcp.submission (reporting_country, questionnaire, reporting_year) WHERE is_current;
-- A submission is superseded at most once: revisions form a chain, not a tree.
CREATE UNIQUE INDEX submission_supersedes_once
    ON dcp.submission (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX submission_series
    ON dcp.submission (reporting_country, questionnaire, reporting_year, revision_no);

-- Submissions are immutable: only the current flag and the review state may
-- change, and rows are never deleted (analysts review, they do not edit).
CREATE FUNCTION dcp.submission_guard () RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'submission % is immutable and cannot be deleted', OLD.submission_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - 'is_current' - 'review_state')
       IS DISTINCT FROM (to_jsonb(OLD) - 'is_current' - 'review_state') THEN
        RAISE EXCEPTION 'submission % is immutable: only is_current and review_state may change',
            OLD.submission_id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER submission_guard BEFORE UPDATE OR DELETE ON dcp.submission
    FOR EACH ROW EXECUTE FUNCTION dcp.submission_guard ();

CREATE TABLE dcp.submission_agency (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord           integer NOT NULL,
    name          text,
    type          text,
    PRIMARY KEY (submission_id, ord)
);

-- Warnings and infos of accepted submissions (errors reject, so they live in
-- dcp.quarantine.problems instead).
CREATE TABLE dcp.finding (
    submission_id uuid NOT NULL REFERENCES dcp.submission ON DELETE RESTRICT,
    ord           integer NOT NULL,
    rule          text NOT NULL,
    severity      text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    path          text NOT NULL DEFAULT '',
    message       text NOT NULL,
    PRIMARY KEY (submission_id, ord)
);
CREATE INDEX finding_rule ON dcp.finding (rule);

CREATE TABLE dcp.quarantine (
    id                bigserial PRIMARY KEY,
    submission_id     text NOT NULL,
    content_sha256    bytea NOT NULL CHECK (length(content_sha256) = 32),
    raw               bytea NOT NULL,
    reason            text NOT NULL
                      CHECK (reason IN ('invalid', 'undecodable', 'conflict', 'wrong_country',
                                        'revision', 'db_refused')),
    problems          jsonb NOT NULL DEFAULT '[]'::jsonb,
    questionnaire     text,
    reporting_country text,
    reporting_year    integer,
    sender_key        text,
    sender_country    text,
    sender_name       text,
    validator_id      text,
    received_at       timestamptz,
    stored_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (submission_id, content_sha256)
);

CREATE TABLE dcp.security_event (
    id              bigserial PRIMARY KEY,
    kind            text NOT NULL,
    sender_key      text,
    sender_country  text,
    claimed_country text,
    submission_id   text,
    detail          text,
    at              timestamptz NOT NULL DEFAULT now()
);
