/* migrate.c: bringing a database to the schema this loader expects.
 *
 * The SQL files of loader/migrations are compiled in (dcp_migrations[],
 * sorted by name) and applied in order of their leading number, each in its
 * own transaction together with its row in dcp.schema_migrations, so a
 * crash leaves every file either fully applied or not at all.  A session
 * advisory lock serialises loaders that start together.  A file already
 * applied whose SHA-256 changed is refused: migrations are append-only, and
 * silently running an edited file (or ignoring the edit) would leave
 * databases that claim the same version but differ.
 *
 * Then every embedded reference CSV (dcp_refdata[]) whose SHA-256 differs
 * from the one recorded in dcp.ref_load is copied into dcp.ref_<name> with
 * COPY ... (FORMAT csv, HEADER), in one transaction per file, so analysts
 * join against exactly the data the validator checked with. */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dcp_blob.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_hash.h"
#include "db.h"
#include "migrate.h"

/* Advisory lock key (two int4): "DCPM" and 1; store.c uses another class. */
#define MIGRATE_LOCK_CLASS "1145262157"
#define MIGRATE_LOCK_ID "1"

/* Bootstrap: the bookkeeping table must exist before any file is read. */
static const char *s_sql_bootstrap = "CREATE SCHEMA IF NOT EXISTS dcp;"
                                     "CREATE TABLE IF NOT EXISTS dcp.schema_migrations ("
                                     "  version integer PRIMARY KEY,"
                                     "  name text NOT NULL,"
                                     "  checksum text NOT NULL,"
                                     "  applied_at timestamptz NOT NULL DEFAULT now())";

/* Logs a failed statement in PostgreSQL's words and classifies it: a lost
 * connection can be retried, anything else is a defect to fix. */
static int
s_fail (PGconn *db, PGresult *res, const char *what, const char *file)
{
    char quoted_what[256], quoted_file[256], quoted_err[1024];
    const char *err = res ? PQresultErrorMessage (res) : PQerrorMessage (db);
    const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
    dcp_error ("migration failed", "step=%s file=%s sqlstate=%s error=%s",
               dcp_log_quote (quoted_what, sizeof quoted_what, what),
               dcp_log_quote (quoted_file, sizeof quoted_file, file ? file : "-"),
               state ? state : "-", dcp_log_quote (quoted_err, sizeof quoted_err, err));
    bool retry = PQstatus (db) != CONNECTION_OK || db_classify_sqlstate (state) == DB_FAULT_RETRY;
    return retry ? DCP_EDB_RETRY : DCP_EDB_FATAL;
}

/* Runs SQL (no parameters, may hold several statements) expecting STATUS. */
static int
s_exec (PGconn *db, const char *sql, ExecStatusType status, const char *what, const char *file)
{
    PGresult *res = PQexec (db, sql);
    int rc = 0;
    if (PQresultStatus (res) != status)
        rc = s_fail (db, res, what, file);
    PQclear (res);
    return rc;
}

/* Version of a migration file from its leading digits ("0003_x.sql" -> 3);
 * -1 if the name does not start with a number. */
static int
s_version (const char *name)
{
    if (!isdigit ((unsigned char) name[0]))
        return -1;
    long v = strtol (name, NULL, 10);
    return v > 0 && v < 1000000 ? (int) v : -1;
}

/* True if FILE says it replaces, with comment changes only, the text whose
 * SHA-256 was CHECKSUM: a line "-- previous-sha256: <hex>".  Migrations are
 * append-only, but a comment is not schema: this lets a comment be mended
 * (say, a reference to a document that moved) without leaving databases
 * that refuse the loader.  The line is a promise the reviewer checks; a
 * changed statement still needs a new file. */
static bool
s_declares_previous (const dcp_blob_t *file, const char *checksum)
{
    static const char tag[] = "-- previous-sha256: ";
    const char *end = file->data + file->len;
    for (const char *p = file->data; p < end;) {
        const char *eol = memchr (p, '\n', (size_t) (end - p));
        size_t n = (size_t) ((eol ? eol : end) - p);
        if (n == sizeof tag - 1 + 64 && memcmp (p, tag, sizeof tag - 1) == 0
            && memcmp (p + sizeof tag - 1, checksum, 64) == 0)
            return true;
        p = eol ? eol + 1 : end;
    }
    return false;
}

/* Records the new checksum of a file whose comments were mended. */
static int
s_record_edit (PGconn *db, int version, const char *was, const char *checksum, const char *name)
{
    char version_text[16];
    snprintf (version_text, sizeof version_text, "%d", version);
    const char *params[] = {version_text, checksum};
    PGresult *res = PQexecParams (db,
                                  "UPDATE dcp.schema_migrations SET checksum = $2"
                                  " WHERE version = $1::int",
                                  2, NULL, params, NULL, NULL, 0);
    int rc = PQresultStatus (res) == PGRES_COMMAND_OK ? 0 : s_fail (db, res, "record", name);
    PQclear (res);
    if (rc == 0)
        dcp_info ("migration comments were mended; new checksum recorded",
                  "file=%s version=%d was=%s checksum=%s", name, version, was, checksum);
    return rc;
}

/* Applies one migration file unless it was applied before with the same
 * checksum.  APPLIED is the result of reading dcp.schema_migrations. */
static int
s_apply (PGconn *db, const dcp_blob_t *file, PGresult *applied)
{
    int version = s_version (file->name);
    if (version < 0) {
        dcp_error ("migration file name does not start with a version number", "file=%s",
                   file->name);
        return DCP_EDB_FATAL;
    }
    char checksum[65];
    dcp_hash_sha256_hex (file->data, file->len, checksum);
    for (int r = 0; r < PQntuples (applied); r++) {
        if (atoi (PQgetvalue (applied, r, 0)) != version)
            continue;
        const char *was = PQgetvalue (applied, r, 2);
        if (strcmp (PQgetvalue (applied, r, 1), file->name) == 0 && strcmp (was, checksum) != 0
            && s_declares_previous (file, was))
            return s_record_edit (db, version, was, checksum, file->name);
        if (strcmp (PQgetvalue (applied, r, 1), file->name) != 0 || strcmp (was, checksum) != 0) {
            dcp_error ("applied migration was changed: migrations are append-only, add a new file",
                       "file=%s version=%d applied_as=%s applied_checksum=%s checksum=%s",
                       file->name, version, PQgetvalue (applied, r, 1), PQgetvalue (applied, r, 2),
                       checksum);
            return DCP_EDB_FATAL;
        }
        return 0;
    }

    /* NOTICEs of IF NOT EXISTS are noise here; files RAISE WARNING when
     * something needs a person's attention. */
    int rc = s_exec (db, "BEGIN; SET LOCAL client_min_messages = warning", PGRES_COMMAND_OK,
                     "begin", file->name);
    if (rc)
        goto cleanup;
    rc = s_exec (db, file->data, PGRES_COMMAND_OK, "apply", file->name);
    if (rc)
        goto cleanup;
    char version_text[16];
    snprintf (version_text, sizeof version_text, "%d", version);
    const char *params[] = {version_text, file->name, checksum};
    PGresult *res = PQexecParams (db,
                                  "INSERT INTO dcp.schema_migrations (version, name, checksum)"
                                  " VALUES ($1, $2, $3)",
                                  3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (res) != PGRES_COMMAND_OK)
        rc = s_fail (db, res, "record", file->name);
    PQclear (res);
    if (rc)
        goto cleanup;
    rc = s_exec (db, "COMMIT", PGRES_COMMAND_OK, "commit", file->name);
    if (rc == 0)
        dcp_info ("applied migration", "file=%s version=%d", file->name, version);
cleanup:
    db_rollback (db);
    return rc;
}

/* Column list for COPY from the CSV header line ("a,b,c" -> "\"a\",\"b\",\"c\"")
 * so a reordered file still lands in the right columns.  Caller frees; NULL
 * on a header that is empty or has quoted names (we do not guess). */
static char *
s_header_columns (PGconn *db, const char *data)
{
    const char *end = strpbrk (data, "\r\n");
    size_t len = end ? (size_t) (end - data) : strlen (data);
    char *header = strndup (data, len);
    char *out = NULL;
    size_t out_len = 0, out_cap = 0;
    if (!header || len == 0 || strchr (header, '"'))
        goto cleanup;
    char *save = NULL;
    for (char *name = strtok_r (header, ",", &save); name; name = strtok_r (NULL, ",", &save)) {
        while (*name == ' ')
            name++;
        char *ident = PQescapeIdentifier (db, name, strlen (name));
        if (!ident)
            goto fail;
        size_t need = out_len + strlen (ident) + 2;
        if (need > out_cap) {
            out_cap = need * 2;
            char *grown = realloc (out, out_cap);
            if (!grown) {
                PQfreemem (ident);
                goto fail;
            }
            out = grown;
        }
        out_len += (size_t) sprintf (out + out_len, "%s%s", out_len ? "," : "", ident);
        PQfreemem (ident);
    }
    goto cleanup;
fail:
    free (out);
    out = NULL;
cleanup:
    free (header);
    return out;
}

/* Copies one CSV file into its table in one transaction, unless the
 * recorded checksum says it is loaded already. */
static int
s_refresh (PGconn *db, const dcp_blob_t *file)
{
    char table[128], checksum[65], rows_text[24];
    const char *dot = strrchr (file->name, '.');
    size_t stem = dot ? (size_t) (dot - file->name) : strlen (file->name);
    if (stem == 0 || stem > 100)
        return 0;
    snprintf (table, sizeof table, "dcp.ref_%.*s", (int) stem, file->name);
    dcp_hash_sha256_hex (file->data, file->len, checksum);

    char *columns = NULL, copy_sql[4096];
    int rc = 0;
    const char *params[] = {file->name, table, checksum, rows_text};
    PGresult *res = PQexecParams (db,
                                  "SELECT to_regclass($2) IS NOT NULL,"
                                  " coalesce((SELECT sha256 = $3 FROM dcp.ref_load"
                                  "           WHERE file = $1), false)",
                                  3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (res) != PGRES_TUPLES_OK) {
        rc = s_fail (db, res, "check reference data", file->name);
        goto cleanup;
    }
    if (strcmp (PQgetvalue (res, 0, 0), "t") != 0) {
        /* A CSV the validator uses but analysts do not need in SQL. */
        dcp_debug ("no reference table for file, skipped", "file=%s table=%s", file->name, table);
        goto cleanup;
    }
    if (strcmp (PQgetvalue (res, 0, 1), "t") == 0)
        goto cleanup; /* unchanged */
    PQclear (res);
    res = NULL;

    columns = s_header_columns (db, file->data);
    if (!columns) {
        dcp_error ("reference file has no usable header line", "file=%s", file->name);
        rc = DCP_EDB_FATAL;
        goto cleanup;
    }
    /* TABLE is "dcp.ref_" + a file name we built in: quote the name part. */
    char *ident = PQescapeIdentifier (db, table + 4, strlen (table + 4));
    char delete_sql[256];
    int len =
        ident ? snprintf (copy_sql, sizeof copy_sql,
                          "COPY dcp.%s (%s) FROM STDIN (FORMAT csv, HEADER true)", ident, columns)
              : -1;
    if (ident)
        snprintf (delete_sql, sizeof delete_sql, "BEGIN; DELETE FROM dcp.%s", ident);
    PQfreemem (ident);
    if (len < 0 || (size_t) len >= sizeof copy_sql) {
        dcp_error ("reference file header is too long", "file=%s", file->name);
        rc = DCP_EDB_FATAL;
        goto cleanup;
    }
    rc = s_exec (db, delete_sql, PGRES_COMMAND_OK, "clear reference table", file->name);
    if (rc)
        goto cleanup;

    res = db_copy (db, copy_sql, &(db_span_t){(const char *) file->data, file->len}, 1);
    if (PQresultStatus (res) != PGRES_COMMAND_OK) {
        rc = s_fail (db, res, "copy reference data", file->name);
        goto cleanup;
    }
    snprintf (rows_text, sizeof rows_text, "%s", PQcmdTuples (res));
    PQclear (res);
    res = PQexecParams (db,
                        "INSERT INTO dcp.ref_load (file, table_name, sha256, rows)"
                        " VALUES ($1, $2, $3, $4)"
                        " ON CONFLICT (file) DO UPDATE SET table_name = excluded.table_name,"
                        "  sha256 = excluded.sha256, rows = excluded.rows, loaded_at = now()",
                        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (res) != PGRES_COMMAND_OK) {
        rc = s_fail (db, res, "record reference data", file->name);
        goto cleanup;
    }
    rc = s_exec (db, "COMMIT", PGRES_COMMAND_OK, "commit reference data", file->name);
    if (rc == 0)
        dcp_info ("loaded reference data", "file=%s table=%s rows=%s", file->name, table,
                  rows_text);
cleanup:
    PQclear (res);
    free (columns);
    db_rollback (db);
    return rc;
}

int
migrate_run (PGconn *db)
{
    if (PQstatus (db) != CONNECTION_OK)
        return DCP_EDB_RETRY;
    PGresult *applied = NULL;
    int rc = s_exec (db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_CLASS ", " MIGRATE_LOCK_ID ")",
                     PGRES_TUPLES_OK, "lock", NULL);
    if (rc)
        return rc;
    /* CREATE SCHEMA needs the CREATE privilege even when the schema exists,
     * so look before creating (a loader running as dcp_loader may migrate
     * an up-to-date database without any DDL right). */
    PGresult *res = PQexec (db, "SELECT to_regclass('dcp.schema_migrations') IS NULL");
    if (PQresultStatus (res) != PGRES_TUPLES_OK) {
        rc = s_fail (db, res, "bootstrap", NULL);
        PQclear (res);
        goto cleanup;
    }
    bool missing = strcmp (PQgetvalue (res, 0, 0), "t") == 0;
    PQclear (res);
    if (missing && (rc = s_exec (db, s_sql_bootstrap, PGRES_COMMAND_OK, "bootstrap", NULL)))
        goto cleanup;

    int last_version = 0;
    for (const dcp_blob_t *file = dcp_migrations; file->name; file++) {
        int version = s_version (file->name);
        if (version >= 0 && version <= last_version) {
            dcp_error ("two migration files have the same version", "file=%s version=%d",
                       file->name, version);
            rc = DCP_EDB_FATAL;
            goto cleanup;
        }
        last_version = version;
        /* Re-read after each file: cheap, and exact if another tool ran. */
        applied = PQexec (db, "SELECT version, name, checksum FROM dcp.schema_migrations");
        if (PQresultStatus (applied) != PGRES_TUPLES_OK) {
            rc = s_fail (db, applied, "read applied migrations", NULL);
            goto cleanup;
        }
        rc = s_apply (db, file, applied);
        PQclear (applied);
        applied = NULL;
        if (rc)
            goto cleanup;
    }
    for (const dcp_blob_t *file = dcp_refdata; file->name; file++)
        if ((rc = s_refresh (db, file)))
            goto cleanup;
    /* Column comments from the loader's description (catalog.h); a role
     * that may not COMMENT is warned about, not stopped. */
    if (catalog_comment (db) < 0)
        dcp_warn ("column comments not brought up to date", NULL);
    dcp_info ("database schema is up to date", "version=%d", last_version);
cleanup:
    PQclear (applied);
    db_rollback (db);
    if (PQstatus (db) == CONNECTION_OK)
        PQclear (
            PQexec (db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_CLASS ", " MIGRATE_LOCK_ID ")"));
    return rc;
}

int
migrate_current (PGconn *db)
{
    PGresult *res = PQexec (db, "SELECT coalesce(max(version), 0) FROM dcp.schema_migrations");
    int rc;
    if (PQresultStatus (res) == PGRES_TUPLES_OK)
        rc = atoi (PQgetvalue (res, 0, 0));
    else {
        const char *state = PQresultErrorField (res, PG_DIAG_SQLSTATE);
        if (state && strcmp (state, "42P01") == 0)
            rc = 0; /* never migrated */
        else
            rc = s_fail (db, res, "read applied migrations", NULL);
    }
    PQclear (res);
    return rc;
}
