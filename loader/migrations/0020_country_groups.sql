-- 0020_country_groups.sql: country groups as dated reference data.
--
-- Filled like every ref_* table from libdcp/refdata/*.csv (migrate.c copies
-- each file into dcp.ref_<file name> when its SHA-256 changes):
--   groups.csv             dcp.ref_groups             one row per group
--   group_members.csv      dcp.ref_group_members      who belongs, from/to which year
--   organisations.csv      dcp.ref_organisations      partner organisations' names
--   response_deadlines.csv dcp.ref_response_deadlines which years are tracked and their deadline
-- Group kinds: 'partnership' (Paris Pact countries, Paris Pact
-- organisations), 'm49_region' / 'm49_subregion' / 'm49_intermediate' (UN
-- M49; every country is in one group of each level it has), 'programme'
-- (UNODC regional programmes), 'trafficking_route' (northern, Balkan,
-- southern).  Membership is dated because it changes: Australia is a
-- partner from 2013 (Phase IV), Croatia was in the South-Eastern Europe
-- programme 2016-2019.  Every row says where it comes from (source); where
-- a date is assumed the source says so.  Append-only file.

CREATE TABLE dcp.ref_groups (
    group_code text NOT NULL,          -- 'PARIS_PACT', 'M49_143', 'ROUTE_BALKAN'
    kind       text NOT NULL,          -- partnership, m49_region, m49_subregion, m49_intermediate, programme, trafficking_route
    name       text NOT NULL,
    parent     text,                   -- enclosing group (M49 hierarchy), NULL at the top
    source     text NOT NULL
);
CREATE INDEX ref_groups_code ON dcp.ref_groups (group_code);
COMMENT ON TABLE dcp.ref_groups IS
    'Country and organisation groups (Paris Pact, UN M49, UNODC programmes, trafficking routes), from libdcp/refdata/groups.csv.';
COMMENT ON COLUMN dcp.ref_groups.group_code IS 'group code, e.g. PARIS_PACT, M49_143 (Central Asia), UNODC_RP_AFG, ROUTE_BALKAN';
COMMENT ON COLUMN dcp.ref_groups.kind IS 'partnership, m49_region, m49_subregion, m49_intermediate, programme, trafficking_route';
COMMENT ON COLUMN dcp.ref_groups.name IS 'name of the group';
COMMENT ON COLUMN dcp.ref_groups.parent IS 'enclosing group (UN M49 hierarchy); NULL at the top';
COMMENT ON COLUMN dcp.ref_groups.source IS 'where the group and its definition come from';

CREATE TABLE dcp.ref_group_members (
    group_code  text NOT NULL,
    member      text NOT NULL,         -- ISO3 (ref_countries.iso3) or organisation code (ref_organisations.code)
    member_kind text NOT NULL,         -- country, organisation
    from_year   integer,               -- first year a member; NULL = always
    to_year     integer,               -- last year a member; NULL = still
    joined      text,                  -- phase or programme cycle, as the source puts it
    source      text NOT NULL
);
CREATE INDEX ref_group_members_group ON dcp.ref_group_members (group_code);
CREATE INDEX ref_group_members_member ON dcp.ref_group_members (member);
COMMENT ON TABLE dcp.ref_group_members IS
    'Dated membership of the groups of ref_groups, from libdcp/refdata/group_members.csv; a member of group G in year Y has from_year <= Y <= to_year (NULL = open).';
COMMENT ON COLUMN dcp.ref_group_members.group_code IS 'ref_groups.group_code';
COMMENT ON COLUMN dcp.ref_group_members.member IS 'ISO3 country code (ref_countries) or organisation code (ref_organisations)';
COMMENT ON COLUMN dcp.ref_group_members.member_kind IS 'country or organisation';
COMMENT ON COLUMN dcp.ref_group_members.from_year IS 'first year of membership; NULL = since always';
COMMENT ON COLUMN dcp.ref_group_members.to_year IS 'last year of membership; NULL = still a member';
COMMENT ON COLUMN dcp.ref_group_members.joined IS 'phase or programme cycle of joining, as the source says (e.g. Phase IV)';
COMMENT ON COLUMN dcp.ref_group_members.source IS 'where the membership and its dates come from; assumed dates are said to be assumed';

CREATE TABLE dcp.ref_organisations (
    code   text NOT NULL,
    name   text NOT NULL,
    source text NOT NULL
);
COMMENT ON TABLE dcp.ref_organisations IS
    'Paris Pact partner organisations (short codes ours), from libdcp/refdata/organisations.csv.';
COMMENT ON COLUMN dcp.ref_organisations.code IS 'short code, e.g. CARICC, SELEC';
COMMENT ON COLUMN dcp.ref_organisations.name IS 'full name';
COMMENT ON COLUMN dcp.ref_organisations.source IS 'where the name comes from';

CREATE TABLE dcp.ref_response_deadlines (
    questionnaire text NOT NULL,       -- financial_flows, precursors
    from_year     integer NOT NULL,    -- first reporting year this row covers (the first tracked year)
    to_year       integer,             -- last reporting year this row covers; NULL = open
    deadline_mmdd text NOT NULL,       -- day of the year after the reporting year, 'MM-DD'
    source        text NOT NULL
);
COMMENT ON TABLE dcp.ref_response_deadlines IS
    'Response deadline per questionnaire and reporting year (V-ENV-05) and the years response tracking covers, from libdcp/refdata/response_deadlines.csv.';
COMMENT ON COLUMN dcp.ref_response_deadlines.questionnaire IS 'financial_flows or precursors';
COMMENT ON COLUMN dcp.ref_response_deadlines.from_year IS 'first reporting year covered; the smallest from_year of a questionnaire is the first year tracked';
COMMENT ON COLUMN dcp.ref_response_deadlines.to_year IS 'last reporting year covered; NULL = open';
COMMENT ON COLUMN dcp.ref_response_deadlines.deadline_mmdd IS 'deadline, MM-DD of the year after the reporting year; a response first received after that day is late';
COMMENT ON COLUMN dcp.ref_response_deadlines.source IS 'where the deadline comes from';

-- Analysts read every ref_* table (0005); these are new, so grant here.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dcp_analyst') THEN
        GRANT SELECT ON dcp.ref_groups, dcp.ref_group_members, dcp.ref_organisations,
            dcp.ref_response_deadlines TO dcp_analyst;
    END IF;
END $$;
