-- 0005_roles.sql: least-privilege roles for the loader and for analysts.
--
--   dcp_loader   what the running loader needs and no more: USAGE on the
--                schema, SELECT + INSERT on its tables, UPDATE of only
--                is_current and review_state of dcp.submission, USAGE on the
--                sequences; no DDL, no DELETE.  (Migrations and the reference
--                refresh run as the schema owner, e.g. `loader migrate`.)
--   dcp_analyst  SELECT on the views and the reference tables only.
--
-- Both are NOLOGIN group roles: grant them to login roles, e.g.
--   CREATE ROLE loader_svc LOGIN; GRANT dcp_loader TO loader_svc;
-- Roles are cluster-wide and creating them needs CREATEROLE, so each is
-- created only if it does not exist and the migrating user may create it;
-- otherwise the grants are skipped (with a WARNING) and a DBA can run this
-- file's statements later.  Later migrations grant on their own new objects.

DO $$
DECLARE
    may_create boolean;
    r text;
BEGIN
    SELECT rolsuper OR rolcreaterole INTO may_create FROM pg_roles WHERE rolname = current_user;
    FOREACH r IN ARRAY ARRAY['dcp_loader', 'dcp_analyst'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            IF may_create THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            ELSE
                RAISE WARNING 'role % does not exist and % may not create it: grants skipped',
                    r, current_user;
            END IF;
        END IF;
    END LOOP;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_loader') THEN
        GRANT USAGE ON SCHEMA dcp TO dcp_loader;
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'dcp' AND c.relkind = 'r'
                    AND (c.relname IN ('submission', 'submission_agency', 'finding', 'quarantine',
                                       'security_event')
                         OR c.relname LIKE 'ff\_%' OR c.relname LIKE 'pc\_%') LOOP
            EXECUTE format('GRANT SELECT, INSERT ON dcp.%I TO dcp_loader', t);
        END LOOP;
        GRANT UPDATE (is_current, review_state) ON dcp.submission TO dcp_loader;
        GRANT SELECT ON dcp.ref_load TO dcp_loader;
        -- created by the loader's bootstrap, absent when files are run by hand
        IF to_regclass('dcp.schema_migrations') IS NOT NULL THEN
            GRANT SELECT ON dcp.schema_migrations TO dcp_loader;
        END IF;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA dcp TO dcp_loader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        GRANT USAGE ON SCHEMA dcp TO dcp_analyst;
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'dcp'
                    AND (c.relkind = 'v' OR (c.relkind = 'r' AND c.relname LIKE 'ref\_%')) LOOP
            EXECUTE format('GRANT SELECT ON dcp.%I TO dcp_analyst', t);
        END LOOP;
    END IF;
END $$;
