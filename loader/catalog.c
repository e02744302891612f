/* catalog.c: the database catalog against the loader's description of its
 * tables, the data dictionary's column lists and the COMMENT ON of every
 * described column (see catalog.h). */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dcp_err.h"
#include "dcp_log.h"

typedef struct {
    char *text;
    size_t len, used;
    int n;
} s_why_t;

static void
s_why (s_why_t *w, const char *table, const char *column, const char *what)
{
    w->n++;
    if (w->used + 1 >= w->len)
        return;
    int k = snprintf (w->text + w->used, w->len - w->used, "dcp.%s.%s: %s\n", table, column, what);
    if (k > 0)
        w->used += (size_t) k < w->len - w->used ? (size_t) k : w->len - w->used - 1;
}

/* Row of (TABLE, COLUMN) in RES (table, column, type), or -1. */
static int
s_find (PGresult *res, const char *table, const char *column)
{
    for (int r = 0; r < PQntuples (res); r++)
        if (strcmp (PQgetvalue (res, r, 0), table) == 0
            && strcmp (PQgetvalue (res, r, 1), column) == 0)
            return r;
    return -1;
}

/* True if TABLE has the CHECK dcp.obs_ok(VALUE, STATUS) in CHECKS
 * (table, definition); PostgreSQL shows the status as "(x_status)::text"
 * because its type is a domain. */
static bool
s_has_status_check (PGresult *checks, const char *table, const char *value, const char *status)
{
    char head[300], plain[200], cast[210];
    snprintf (head, sizeof head, "obs_ok(%s, ", value);
    snprintf (plain, sizeof plain, "%s)", status);
    snprintf (cast, sizeof cast, "(%s)::text)", status);
    for (int r = 0; r < PQntuples (checks); r++) {
        if (strcmp (PQgetvalue (checks, r, 0), table) != 0)
            continue;
        const char *p = strstr (PQgetvalue (checks, r, 1), head);
        if (p
            && (strncmp (p + strlen (head), plain, strlen (plain)) == 0
                || strncmp (p + strlen (head), cast, strlen (cast)) == 0))
            return true;
    }
    return false;
}

/* Every described column in the catalog, with the status rules. */
static void
s_check_described (PGresult *cols, PGresult *checks, bool *seen, s_why_t *w)
{
    for (int t = 0; t < SECTIONS_N_TABLES; t++) {
        const sections_table_t *tab = sections_table ((sections_table_id_t) t);
        for (size_t i = 0; i < tab->n_columns; i++) {
            const sections_column_t *c = &tab->columns[i];
            char value[128];
            sections_column_name (c, 0, value, sizeof value, NULL, 0);
            for (size_t k = 0; k < sections_width (c); k++) {
                char name[128];
                sections_column_name (c, k, name, sizeof name, NULL, 0);
                int r = s_find (cols, tab->name, name);
                if (r < 0) {
                    s_why (w, tab->name, name, "only in the loader's description");
                    continue;
                }
                seen[r] = true;
                size_t len = strlen (name);
                bool status =
                    sections_width (c) > 1 && len > 7 && strcmp (name + len - 7, "_status") == 0;
                if (status && strcmp (PQgetvalue (cols, r, 2), "dcp.obs_status") != 0)
                    s_why (w, tab->name, name, "a status column not of type dcp.obs_status");
                if (status && !s_has_status_check (checks, tab->name, value, name))
                    s_why (w, tab->name, name, "no CHECK (dcp.obs_ok(value, status))");
            }
        }
    }
}

int
catalog_check (PGconn *db, char *why, size_t why_len)
{
    assert (db && why && why_len);
    why[0] = '\0';
    dcp_buf_t names = {0};
    const char *list[SECTIONS_N_TABLES];
    for (int t = 0; t < SECTIONS_N_TABLES; t++)
        list[t] = sections_table ((sections_table_id_t) t)->name;
    copy_text_array_literal (&names, list, SECTIONS_N_TABLES);
    if (names.err) {
        dcp_buf_free (&names);
        return DCP_ENOMEM;
    }
    const char *params[] = {names.data};
    PGresult *cols = PQexecParams (
        db,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'dcp' AND c.relkind IN ('r', 'p') AND c.relname = ANY ($1::text[])"
        "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum",
        1, NULL, params, NULL, NULL, 0);
    PGresult *checks = PQexecParams (
        db,
        "SELECT c.relname, pg_get_constraintdef(k.oid)"
        " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'dcp' AND k.contype = 'c' AND c.relname = ANY ($1::text[])",
        1, NULL, params, NULL, NULL, 0);
    dcp_buf_free (&names);
    int rc = DCP_EDB_RETRY;
    bool *seen = NULL;
    if (PQresultStatus (cols) != PGRES_TUPLES_OK || PQresultStatus (checks) != PGRES_TUPLES_OK) {
        snprintf (why, why_len, "could not read the catalog: %s", PQerrorMessage (db));
        goto cleanup;
    }
    rc = DCP_ENOMEM;
    if (!(seen = calloc ((size_t) PQntuples (cols) + 1, sizeof *seen)))
        goto cleanup;
    s_why_t w = {why, why_len, 0, 0};
    s_check_described (cols, checks, seen, &w);
    for (int r = 0; r < PQntuples (cols); r++)
        if (!seen[r])
            s_why (&w, PQgetvalue (cols, r, 0), PQgetvalue (cols, r, 1), "only in the database");
    rc = w.n ? DCP_ECONFIG : 0;
cleanup:
    free (seen);
    PQclear (cols);
    PQclear (checks);
    return rc;
}

int
catalog_dictionary (PGconn *db, sections_table_id_t t, dcp_buf_t *out)
{
    const sections_table_t *tab = sections_table (t);
    const char *params[] = {tab->name};
    PGresult *res = PQexecParams (
        db,
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
        " CASE WHEN a.attnotnull THEN 'no' ELSE 'yes' END"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'dcp' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (res) != PGRES_TUPLES_OK) {
        PQclear (res);
        return DCP_EDB_RETRY;
    }
    char line[2400];
    int n = snprintf (line, sizeof line,
                      "### dcp.%s\n\n%s\n\n| column | type | null | meaning |\n|---|---|---|---|\n",
                      tab->name, tab->doc);
    dcp_buf_append (out, line, (size_t) n < sizeof line ? (size_t) n : sizeof line - 1);
    for (size_t i = 0; i < tab->n_columns; i++) {
        const sections_column_t *c = &tab->columns[i];
        for (size_t k = 0; k < sections_width (c); k++) {
            char name[128], doc[1600];
            sections_column_name (c, k, name, sizeof name, doc, sizeof doc);
            int r = 0;
            while (r < PQntuples (res) && strcmp (PQgetvalue (res, r, 0), name) != 0)
                r++;
            bool known = r < PQntuples (res);
            n = snprintf (line, sizeof line, "| %s | %s | %s | %s |\n", name,
                          known ? PQgetvalue (res, r, 1) : "?",
                          known ? PQgetvalue (res, r, 2) : "?", doc);
            dcp_buf_append (out, line, (size_t) n < sizeof line ? (size_t) n : sizeof line - 1);
        }
    }
    PQclear (res);
    return out->err ? DCP_ENOMEM : 0;
}

int
catalog_dictionary_relation (PGconn *db, const char *name, dcp_buf_t *out)
{
    const char *params[] = {name};
    PGresult *rel =
        PQexecParams (db,
                      "SELECT c.relkind = 'v', coalesce(obj_description(c.oid, 'pg_class'), '')"
                      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                      " WHERE n.nspname = 'dcp' AND c.relname = $1",
                      1, NULL, params, NULL, NULL, 0);
    PGresult *cols = PQexecParams (
        db,
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
        " CASE WHEN a.attnotnull THEN 'no' ELSE 'yes' END,"
        " coalesce(col_description(c.oid, a.attnum), '')"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'dcp' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        1, NULL, params, NULL, NULL, 0);
    int rc = DCP_EDB_RETRY;
    if (PQresultStatus (rel) != PGRES_TUPLES_OK || PQresultStatus (cols) != PGRES_TUPLES_OK)
        goto cleanup;
    rc = DCP_EINVAL;
    if (PQntuples (rel) != 1)
        goto cleanup;
    bool view = strcmp (PQgetvalue (rel, 0, 0), "t") == 0;
    dcp_buf_append (out, "### dcp.", 8);
    dcp_buf_append (out, name, strlen (name));
    dcp_buf_append (out, "\n\n", 2);
    dcp_buf_append (out, PQgetvalue (rel, 0, 1), strlen (PQgetvalue (rel, 0, 1)));
    const char *head = view ? "\n\n| column | type | meaning |\n|---|---|---|\n"
                            : "\n\n| column | type | null | meaning |\n|---|---|---|---|\n";
    dcp_buf_append (out, head, strlen (head));
    for (int r = 0; r < PQntuples (cols); r++) {
        /* one cell per field; a | in a comment would end its cell */
        const int fields[] = {0, 1, 2, 3};
        for (int i = 0; i < 4; i++) {
            if (view && fields[i] == 2)
                continue;
            dcp_buf_append (out, "| ", 2);
            for (const char *p = PQgetvalue (cols, r, fields[i]); *p; p++) {
                if (*p == '|')
                    dcp_buf_appendc (out, '\\');
                dcp_buf_appendc (out, *p);
            }
            dcp_buf_appendc (out, ' ');
        }
        dcp_buf_append (out, "|\n", 2);
    }
    rc = out->err ? DCP_ENOMEM : 0;
cleanup:
    PQclear (rel);
    PQclear (cols);
    return rc;
}

/* The (table, column, doc) triples of the description as three array
 * literals under construction; column '' stands for the table itself. */
typedef struct {
    dcp_buf_t tables, columns, docs;
    size_t n;
} s_triples_t;

/* Appends V as one element of an array literal (quoted, " and \\
 * escaped, as copy_text_array_literal). */
static void
s_element (dcp_buf_t *b, bool first, const char *v)
{
    dcp_buf_appendc (b, first ? '{' : ',');
    dcp_buf_appendc (b, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\')
            dcp_buf_appendc (b, '\\');
        dcp_buf_appendc (b, *p);
    }
    dcp_buf_appendc (b, '"');
}

static void
s_push (s_triples_t *x, const char *table, const char *column, const char *doc)
{
    s_element (&x->tables, x->n == 0, table);
    s_element (&x->columns, x->n == 0, column);
    s_element (&x->docs, x->n == 0, doc);
    x->n++;
}

/* The one-value result of SQL with PARAMS as a number, or DCP_EDB_FATAL
 * (logged with WHAT). */
static int
s_exec_count (PGconn *db, const char *sql, int n_params, const char *const *params,
              const char *what)
{
    PGresult *res = PQexecParams (db, sql, n_params, NULL, params, NULL, NULL, 0);
    int rc;
    if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
        rc = atoi (PQgetvalue (res, 0, 0));
    else {
        char quoted[600];
        dcp_warn ("could not set comments", "step=%s reason=%s", what,
                  dcp_log_quote (quoted, sizeof quoted, PQresultErrorMessage (res)));
        rc = DCP_EDB_FATAL;
    }
    PQclear (res);
    return rc;
}

int
catalog_comment (PGconn *db)
{
    s_triples_t x = {0};
    int rc = DCP_ENOMEM;
    for (int t = 0; t < SECTIONS_N_TABLES; t++) {
        const sections_table_t *tab = sections_table ((sections_table_id_t) t);
        s_push (&x, tab->name, "", tab->doc);
        for (size_t i = 0; i < tab->n_columns; i++) {
            const sections_column_t *c = &tab->columns[i];
            for (size_t k = 0; k < sections_width (c); k++) {
                char name[128], doc[1600];
                sections_column_name (c, k, name, sizeof name, doc, sizeof doc);
                s_push (&x, tab->name, name, doc);
            }
        }
    }
    dcp_buf_appendc (&x.tables, '}');
    dcp_buf_appendc (&x.columns, '}');
    dcp_buf_appendc (&x.docs, '}');
    if (x.tables.err || x.columns.err || x.docs.err)
        goto cleanup;
    const char *params[] = {x.tables.data, x.columns.data, x.docs.data};
    rc = s_exec_count (db, "SELECT dcp.sync_comments($1::text[], $2::text[], $3::text[])", 3,
                       params, "tables");
    if (rc < 0)
        goto cleanup;
    int inherited = s_exec_count (db, "SELECT dcp.inherit_view_comments()", 0, NULL, "views");
    rc = inherited < 0 ? inherited : rc + inherited;
cleanup:
    dcp_buf_free (&x.tables);
    dcp_buf_free (&x.columns);
    dcp_buf_free (&x.docs);
    return rc;
}
