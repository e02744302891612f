/* test_schema.c: the database after all migrations against the loader's
 * one description of its tables (loader/sections.c).
 *
 * Fails when a column exists on one side only, when a *_status column lacks
 * the type dcp.obs_status or its dcp.obs_ok CHECK, and when one of the other
 * hand-kept copies disagrees with the description: the column list of the
 * immutability trigger of migration 0007 and the unpivot of the count and
 * money columns in the view v_ff_indicators; when a stored answer reaches
 * no analyst view, or an analyst view shows personal data; when a table,
 * view or column has no COMMENT; and when the column lists of
 * loader/DATA_DICTIONARY.md are not what the description and the catalog
 * generate.  Needs the PostgreSQL of the
 * ctest fixture "pg" (DCP_TEST_PG names its conninfo file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dcp_err.h"
#include "migrate.h"
#include "pgtest.h"
#include "catalog.h"
#include "copy_text.h"
#include "sections.h"

typedef pgtest_db_t fixture_t;

/* One migrated database for the whole file: the tests only read it, or
 * change it inside a transaction they roll back. */
static int
setup (void **state)
{
    fixture_t *f = pgtest_db_new ("dcp_schema");
    assert_int_equal (migrate_run (f->db), 0);
    *state = f;
    return 0;
}

static int
teardown (void **state)
{
    pgtest_db_destroy ((fixture_t **) state);
    return 0;
}

/* The catalog after all migrations is exactly what the encoder writes. */
static void
test_catalog_matches_description (void **state)
{
    fixture_t *f = *state;
    char why[8192];
    int rc = catalog_check (f->db, why, sizeof why);
    if (rc != 0)
        fail_msg ("the tables and the loader's description (loader/sections.c) differ:\n%s"
                  "add the column to both the description and a new migration",
                  why);
}

/* The check catches a column added on either side, a status column
 * without its CHECK, and says which. */
static void
test_catalog_check_catches_mismatch (void **state)
{
    fixture_t *f = *state;
    char why[8192];
    pgtest_exec (f->db, "BEGIN");
    pgtest_exec (f->db, "ALTER TABLE dcp.ff_str ADD COLUMN forgotten_value numeric");
    pgtest_exec (f->db, "ALTER TABLE dcp.pc_lab DROP COLUMN admin_area CASCADE");
    pgtest_exec (f->db, "ALTER TABLE dcp.ff_str_sector DROP CONSTRAINT ff_str_sector_check");
    assert_int_equal (catalog_check (f->db, why, sizeof why), DCP_ECONFIG);
    pgtest_exec (f->db, "ROLLBACK");
    assert_non_null (strstr (why, "dcp.ff_str.forgotten_value: only in the database\n"));
    assert_non_null (strstr (why, "dcp.pc_lab.admin_area: only in the loader's description\n"));
    assert_non_null (strstr (why, "dcp.ff_str_sector.reports_status: no CHECK"));
    assert_int_equal (catalog_check (f->db, why, sizeof why), 0);
}

/* Rows of SQL (one text column) as a set of strings; returns whether NAME
 * is among them. */
static bool
s_in (PGresult *res, const char *name)
{
    for (int r = 0; r < PQntuples (res); r++)
        if (strcmp (PQgetvalue (res, r, 0), name) == 0)
            return true;
    return false;
}

/* Migration 0007 names the immutable columns of dcp.submission by hand:
 * every described column but the two that may change. */
static void
test_immutability_trigger_lists_every_column (void **state)
{
    fixture_t *f = *state;
    PGresult *res = PQexec (f->db, "SELECT a.attname FROM pg_trigger t"
                                   " JOIN pg_attribute a ON a.attrelid = t.tgrelid"
                                   "  AND a.attnum = ANY (t.tgattr::int2[])"
                                   " WHERE t.tgname = 'submission_guard_update'");
    assert_int_equal (PQresultStatus (res), PGRES_TUPLES_OK);
    const sections_table_t *tab = sections_table (SECTIONS_SUBMISSION);
    int expected = 0;
    char missing[2048] = "";
    for (size_t i = 0; i < tab->n_columns; i++) {
        const char *name = tab->columns[i].name;
        if (strcmp (name, "is_current") == 0 || strcmp (name, "review_state") == 0)
            continue;
        expected++;
        if (!s_in (res, name)) {
            strncat (missing, " ", sizeof missing - strlen (missing) - 1);
            strncat (missing, name, sizeof missing - strlen (missing) - 1);
        }
    }
    int listed = PQntuples (res);
    PQclear (res);
    if (missing[0])
        fail_msg ("the trigger submission_guard_update does not guard:%s", missing);
    assert_int_equal (listed, expected);
}

/* Count and money columns of the financial-flows tables that are not
 * indicators of v_ff_indicators, and why. */
static const struct {
    const char *table, *column, *reason;
} s_not_indicators[] = {
    {"ff_legal", "cash_declaration_threshold",
     "a legal setting (the declaration threshold), not a yearly figure"},
};

static bool
s_excluded (const char *table, const char *column)
{
    for (size_t i = 0; i < sizeof s_not_indicators / sizeof s_not_indicators[0]; i++)
        if (strcmp (s_not_indicators[i].table, table) == 0
            && strcmp (s_not_indicators[i].column, column) == 0)
            return true;
    return false;
}

/* Every COUNT and MONEY column of an ff_ table is unpivoted by the view
 * (its value and status columns appear in its definition). */
static void
test_ff_indicators_cover_every_number (void **state)
{
    fixture_t *f = *state;
    PGresult *res = PQexec (f->db, "SELECT pg_get_viewdef('dcp.v_ff_indicators'::regclass)");
    assert_int_equal (PQresultStatus (res), PGRES_TUPLES_OK);
    char *def = strdup (PQgetvalue (res, 0, 0));
    PQclear (res);
    char missing[4096] = "";
    for (int t = 0; t < SECTIONS_N_SECTION; t++) {
        const sections_table_t *tab = sections_table (t);
        if (strncmp (tab->name, "ff_", 3) != 0)
            continue;
        for (size_t i = 0; i < tab->n_columns; i++) {
            const sections_column_t *c = &tab->columns[i];
            if (c->kind != SECTIONS_COUNT && c->kind != SECTIONS_MONEY)
                continue;
            if (s_excluded (tab->name, c->name))
                continue;
            char value[160], status[160], needle[200];
            sections_column_name (c, 0, value, sizeof value, NULL, 0);
            sections_column_name (c, c->kind == SECTIONS_MONEY ? 2 : 1, status, sizeof status, NULL,
                                  0);
            bool found = true;
            const char *names[] = {value, status};
            for (int k = 0; k < 2; k++) {
                snprintf (needle, sizeof needle, "t.%s", names[k]);
                /* whole identifier: the next character ends it */
                const char *p = def;
                bool here = false;
                while ((p = strstr (p, needle))) {
                    char next = p[strlen (needle)];
                    if (!(next == '_' || (next >= 'a' && next <= 'z')
                          || (next >= '0' && next <= '9'))) {
                        here = true;
                        break;
                    }
                    p++;
                }
                found &= here;
            }
            if (!found) {
                char line[256];
                snprintf (line, sizeof line, "\n  dcp.%s.%s", tab->name, value);
                strncat (missing, line, sizeof missing - strlen (missing) - 1);
            }
        }
    }
    free (def);
    if (missing[0])
        fail_msg ("v_ff_indicators does not unpivot (add it to the view, or to"
                  " s_not_indicators with the reason):%s",
                  missing);
}

/* Rows of the one-column query SQL joined into "\n  a\n  b" (empty if no
 * row); fails the test if the query fails. */
static void
s_rows (PGconn *db, const char *sql, char *out, size_t out_len)
{
    PGresult *res = PQexec (db, sql);
    if (PQresultStatus (res) != PGRES_TUPLES_OK)
        fail_msg ("%s: %s", sql, PQresultErrorMessage (res));
    out[0] = '\0';
    for (int r = 0; r < PQntuples (res); r++) {
        strncat (out, "\n  ", out_len - strlen (out) - 1);
        strncat (out, PQgetvalue (res, r, 0), out_len - strlen (out) - 1);
    }
    PQclear (res);
}

/* A view V shows column A of table T when V's rule depends on T.A and V
 * has a column of the same name (a column used only in a filter is not
 * shown). */
#define S_SHOWN_BY_ANALYST_VIEW                                                                    \
    " EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid"                      \
    "   JOIN pg_class v ON v.oid = w.ev_class"                                                     \
    "  WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = c.oid"                            \
    "    AND d.refobjsubid = a.attnum AND v.relkind = 'v'"                                         \
    "    AND has_table_privilege('dcp_analyst', v.oid, 'SELECT')"                                  \
    "    AND EXISTS (SELECT 1 FROM pg_attribute va WHERE va.attrelid = v.oid"                      \
    "                AND va.attname = a.attname AND NOT va.attisdropped))"
#define S_TABLE_COLUMNS                                                                            \
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"                                   \
    " JOIN pg_namespace n ON n.oid = c.relnamespace"                                               \
    " WHERE n.nspname = 'dcp' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"

/* Issue 12: every stored answer (every column of every ff_ and pc_ table,
 * and the agencies) is shown by at least one view dcp_analyst may read,
 * and no such view shows the focal point's personal data, the raw bytes
 * or the sender key. */
static void
test_every_answer_reaches_an_analyst_view (void **state)
{
    fixture_t *f = *state;
    char missing[8192];
    s_rows (f->db,
            "SELECT c.relname || '.' || a.attname" S_TABLE_COLUMNS
            "   AND (c.relname LIKE 'ff\\_%' OR c.relname LIKE 'pc\\_%'"
            "        OR c.relname = 'submission_agency')"
            "   AND NOT" S_SHOWN_BY_ANALYST_VIEW " ORDER BY 1",
            missing, sizeof missing);
    if (missing[0])
        fail_msg ("stored answers no analyst view shows (add them to a view and GRANT SELECT"
                  " to dcp_analyst):%s",
                  missing);
    /* The check sees a view taken away from the analyst. */
    pgtest_exec (f->db, "BEGIN");
    /* (the first-reported twin of migration 0030 shows it too) */
    pgtest_exec (f->db, "REVOKE SELECT ON dcp.v_pc_routes, dcp.v_first_pc_route FROM dcp_analyst");
    s_rows (f->db,
            "SELECT c.relname || '.' || a.attname" S_TABLE_COLUMNS
            "   AND c.relname = 'pc_route' AND NOT" S_SHOWN_BY_ANALYST_VIEW " ORDER BY 1",
            missing, sizeof missing);
    pgtest_exec (f->db, "ROLLBACK");
    assert_non_null (strstr (missing, "\n  pc_route.route_code"));
    char exposed[4096];
    s_rows (f->db,
            "SELECT c.relname || '.' || a.attname" S_TABLE_COLUMNS
            "   AND c.relname = 'submission' AND a.attname IN ('focal_point_name',"
            "   'focal_point_email', 'focal_point_phone', 'focal_point_title', 'raw',"
            "   'sender_key') AND" S_SHOWN_BY_ANALYST_VIEW " ORDER BY 1",
            exposed, sizeof exposed);
    if (exposed[0])
        fail_msg ("personal data or raw bytes shown to dcp_analyst:%s", exposed);
}

/* Issue 12: \d+ describes everything: every table and view of schema dcp
 * and every column of them has a COMMENT (columns of described tables from
 * sections.c through catalog_comment(), run by migrate_run(); view columns
 * inherited or written in the migrations). */
static void
test_everything_is_commented (void **state)
{
    fixture_t *f = *state;
    char missing[16384];
    s_rows (f->db,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'dcp' AND c.relkind IN ('r', 'v')"
            "   AND obj_description(c.oid, 'pg_class') IS NULL"
            " UNION ALL "
            "SELECT c.relname || '.' || a.attname"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'dcp' AND c.relkind IN ('r', 'v') AND a.attnum > 0"
            "   AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL"
            " ORDER BY 1",
            missing, sizeof missing);
    if (missing[0])
        printf ("no COMMENT ON:%s\n", missing);
    if (missing[0])
        fail_msg ("no COMMENT ON (describe it in loader/sections.c, or comment the view"
                  " column in its migration):%s",
                  missing);
}

/* One value of SQL as a string (caller frees). */
static char *
s_value (PGconn *db, const char *sql)
{
    PGresult *res = PQexec (db, sql);
    if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
        fail_msg ("%s: %s", sql, PQresultErrorMessage (res));
    char *v = strdup (PQgetvalue (res, 0, 0));
    PQclear (res);
    return v;
}

/* A column comment that drifted from the description is put back by
 * catalog_comment(), and the view column that copied it follows; on an
 * up-to-date database it writes nothing. */
static void
test_comments_follow_the_description (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (catalog_comment (f->db), 0);
    pgtest_exec (f->db, "BEGIN");
    pgtest_exec (f->db, "COMMENT ON COLUMN dcp.pc_route.route_code IS 'stale'");
    pgtest_exec (f->db, "COMMENT ON COLUMN dcp.v_pc_routes.route_code IS 'stale'");
    assert_int_equal (catalog_comment (f->db), 2);
    char *table = s_value (f->db, "SELECT col_description('dcp.pc_route'::regclass, attnum)"
                                  " FROM pg_attribute WHERE attrelid = 'dcp.pc_route'::regclass"
                                  " AND attname = 'route_code'");
    char *view = s_value (f->db, "SELECT col_description('dcp.v_pc_routes'::regclass, attnum)"
                                 " FROM pg_attribute WHERE attrelid = 'dcp.v_pc_routes'::regclass"
                                 " AND attname = 'route_code'");
    pgtest_exec (f->db, "ROLLBACK");
    assert_string_equal (table, "NORTHERN, BALKAN, SOUTHERN, OTHER");
    assert_string_equal (view, table);
    free (table);
    free (view);
}

/* The file as a string (caller frees); fails the test if unreadable. */
static char *
s_slurp (const char *path)
{
    FILE *fp = fopen (path, "rb");
    if (!fp)
        fail_msg ("could not open \"%s\"", path);
    fseek (fp, 0, SEEK_END);
    long size = ftell (fp);
    fseek (fp, 0, SEEK_SET);
    char *text = malloc ((size_t) size + 1);
    assert_non_null (text);
    assert_int_equal (fread (text, 1, (size_t) size, fp), (size_t) size);
    text[size] = '\0';
    fclose (fp);
    return text;
}

/* The section "### dcp.NAME" of the dictionary TEXT: from its heading to
 * the next heading (exclusive); *LEN is its length.  NULL if absent. */
static const char *
s_section (const char *text, const char *name, size_t *len)
{
    char heading[128];
    snprintf (heading, sizeof heading, "\n### dcp.%s\n", name);
    const char *start = strstr (text, heading);
    if (!start)
        return NULL;
    start++;
    const char *end = strstr (start + 1, "\n#");
    *len = end ? (size_t) (end - start) + 1 : strlen (start);
    return start;
}

/* The generated section of relation NAME: from the loader's description
 * when it describes NAME, else from the catalog alone (its comments). */
static void
s_generate (PGconn *db, const char *name, dcp_buf_t *out)
{
    for (int t = 0; t < SECTIONS_N_TABLES; t++)
        if (strcmp (sections_table (t)->name, name) == 0) {
            assert_int_equal (catalog_dictionary (db, (sections_table_id_t) t, out), 0);
            return;
        }
    assert_int_equal (catalog_dictionary_relation (db, name, out), 0);
}

/* TEXT with its section of NAME replaced by the generated one, or (when
 * absent) the generated one added: a view before "## Tables", a table at
 * the end.  Returns a new string (caller frees). */
static char *
s_rewrite_section (PGconn *db, const char *text, const char *name, bool view)
{
    dcp_buf_t fresh = {0};
    size_t len = 0;
    const char *start = s_section (text, name, &len);
    const char *tables = strstr (text, "\n## Tables\n");
    size_t at = start            ? (size_t) (start - text)
                : view && tables ? (size_t) (tables - text) + 1
                                 : strlen (text);
    dcp_buf_append (&fresh, text, at);
    if (!start && !view && at && text[at - 1] != '\n')
        dcp_buf_appendc (&fresh, '\n');
    if (!start && !view)
        dcp_buf_appendc (&fresh, '\n');
    s_generate (db, name, &fresh);
    if (start ? start[len] != '\0' : view && tables)
        dcp_buf_appendc (&fresh, '\n');
    const char *rest = start ? start + len : text + at;
    dcp_buf_append (&fresh, rest, strlen (rest));
    assert_int_equal (fresh.err, 0);
    return fresh.data;
}

/* loader/DATA_DICTIONARY.md has one generated section per table and view
 * of schema dcp: the tables the loader writes from its description
 * (meaning) and the catalog (type, NULL); the other tables and every view
 * from the catalog and its comments (migration 0012).  The prose around
 * them is kept by hand.  With DCP_WRITE_DICTIONARY=1 the file is rewritten
 * (sections replaced; missing ones added). */
static void
test_dictionary_is_current (void **state)
{
    fixture_t *f = *state;
    const char *src = getenv ("DCP_SOURCE_DIR");
    assert_non_null (src);
    char path[1024];
    snprintf (path, sizeof path, "%s/loader/DATA_DICTIONARY.md", src);
    char *text = s_slurp (path);
    PGresult *rels = PQexec (f->db, "SELECT c.relname, c.relkind = 'v'"
                                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    " WHERE n.nspname = 'dcp' AND c.relkind IN ('r', 'v')"
                                    " ORDER BY c.relkind DESC, c.relname");
    assert_int_equal (PQresultStatus (rels), PGRES_TUPLES_OK);
    char stale[4096] = "";
    bool write = getenv ("DCP_WRITE_DICTIONARY") != NULL;
    for (int r = 0; r < PQntuples (rels); r++) {
        const char *name = PQgetvalue (rels, r, 0);
        bool view = strcmp (PQgetvalue (rels, r, 1), "t") == 0;
        dcp_buf_t want = {0};
        s_generate (f->db, name, &want);
        size_t len = 0;
        const char *have = s_section (text, name, &len);
        if (have && have[len])
            dcp_buf_appendc (&want, '\n'); /* the blank line before the next heading */
        if (!have || len != want.len || memcmp (have, want.data, len) != 0) {
            if (write) {
                char *fresh = s_rewrite_section (f->db, text, name, view);
                free (text);
                text = fresh;
            } else {
                strncat (stale, have ? " dcp." : " (missing) dcp.",
                         sizeof stale - strlen (stale) - 1);
                strncat (stale, name, sizeof stale - strlen (stale) - 1);
            }
        }
        dcp_buf_free (&want);
    }
    PQclear (rels);
    if (write) {
        FILE *fp = fopen (path, "wb");
        assert_non_null (fp);
        assert_int_equal (fwrite (text, 1, strlen (text), fp), strlen (text));
        fclose (fp);
        printf ("rewrote %s\n", path);
    }
    free (text);
    if (stale[0])
        fail_msg ("loader/DATA_DICTIONARY.md is out of date for%s; regenerate it from the build"
                  " folder with: DCP_WRITE_DICTIONARY=1 ctest -R test_schema",
                  stale);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_catalog_matches_description),
        cmocka_unit_test (test_catalog_check_catches_mismatch),
        cmocka_unit_test (test_immutability_trigger_lists_every_column),
        cmocka_unit_test (test_ff_indicators_cover_every_number),
        cmocka_unit_test (test_every_answer_reaches_an_analyst_view),
        cmocka_unit_test (test_everything_is_commented),
        cmocka_unit_test (test_comments_follow_the_description),
        cmocka_unit_test (test_dictionary_is_current),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
