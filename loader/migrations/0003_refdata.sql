-- 0003_refdata.sql: reference tables, filled from libdcp/refdata/*.csv.
--
-- The CSV files are the one source of truth: the collector and validator
-- read them embedded in their binaries, and migrate_run() copies each file
-- into dcp.ref_<file name> whenever its SHA-256 differs from the one
-- recorded in dcp.ref_load, so analysts join against exactly the data the
-- validator checked with.  No foreign keys point here: codes are checked
-- by the validator "as at" the reporting year, and a reference row that
-- changes later must not make stored history unloadable.  Append-only file.

CREATE TABLE dcp.ref_load (
    file        text PRIMARY KEY,     -- "countries.csv"
    table_name  text NOT NULL,        -- "dcp.ref_countries"
    sha256      text NOT NULL,        -- hex SHA-256 of the embedded file
    rows        bigint NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dcp.ref_countries (
    iso3               text NOT NULL,
    name               text NOT NULL,
    valid_from         integer,       -- first year valid; NULL or 0 = always
    valid_to           integer,       -- last year valid; NULL or 0 = still valid
    paris_pact_partner boolean
);
CREATE INDEX ref_countries_iso3 ON dcp.ref_countries (iso3);

CREATE TABLE dcp.ref_country_aliases (
    alias text NOT NULL,
    iso3  text NOT NULL
);

CREATE TABLE dcp.ref_currencies (
    code       text NOT NULL,
    name       text,
    valid_from integer,
    valid_to   integer
);

CREATE TABLE dcp.ref_substances (
    code  text NOT NULL,
    name  text NOT NULL,
    cas   text,
    hs    text,
    state text                        -- physical state at 20 C (liquid, solid)
);
CREATE INDEX ref_substances_code ON dcp.ref_substances (code);

CREATE TABLE dcp.ref_substance_schedule (
    code             text NOT NULL,
    convention_table smallint NOT NULL, -- 1 = Table I, 2 = Table II of the 1988 Convention
    valid_from       date,
    valid_to         date,
    source           text
);

CREATE TABLE dcp.ref_substance_aliases (
    alias text NOT NULL,
    code  text NOT NULL
);

CREATE TABLE dcp.ref_densities (
    id                text NOT NULL,  -- cited by kg_method 'density:<id>'
    substance         text NOT NULL,
    concentration_min numeric,
    concentration_max numeric,
    kg_per_litre      numeric NOT NULL,
    temperature_c     numeric,
    source            text
);

CREATE TABLE dcp.ref_units (
    code                text NOT NULL,
    kind                text NOT NULL,   -- mass, volume, count
    factor_to_canonical numeric          -- to KG for mass, L for volume
);

CREATE TABLE dcp.ref_codelists (
    list  text NOT NULL,
    code  text NOT NULL,
    label text
);
