/* store_sql.c: the statements of the store and its talk with PostgreSQL:
 * prepared once per connection, every failure classified once (db.h) into
 * retry, the partner's refused data, or a fault of this stage; COPY of
 * the encoded rows (see store_int.h). */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "sections.h"
#include "store_int.h"

#define STORE_LOCK_CLASS "1145262163" /* "DCPS": per-series advisory locks */

/* ---------------------------------------------------------------------------
 * Talking to PostgreSQL */

/* Classifies a failed result once (db_classify_sqlstate): DCP_EDB_RETRY
 * for what may pass later, DCP_EDB_FATAL when the partner's data was refused
 * (remembered for DB-REFUSED).  A fault of this stage (the encoder or the
 * schema does not match the database) is logged as an error, counted, and
 * returned as DCP_ESTAGE: the batch is kept and retried with backoff, and
 * no partner is rejected for it. */
static int
s_classify (PGconn *db, store_batch_t *b, PGresult *res, const char *step)
{
    const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char quoted[600];
    if (PQstatus (db) != CONNECTION_OK || !state) {
        dcp_warn ("lost the database connection", "step=%s error=%s", step,
                  dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (db)));
        return DCP_EDB_RETRY;
    }
    dcp_log_quote (quoted, sizeof quoted, primary ? primary : "");
    switch (db_classify_sqlstate (state)) {
    case DB_FAULT_DATA: {
        const char *constraint = PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME);
        snprintf (b->sqlstate, sizeof b->sqlstate, "%s", state);
        snprintf (b->sqlmessage, sizeof b->sqlmessage, "%s", primary ? primary : "");
        snprintf (b->constraint, sizeof b->constraint, "%s", constraint ? constraint : "");
        dcp_debug ("database refused data", "step=%s sqlstate=%s error=%s", step, state, quoted);
        return DCP_EDB_FATAL;
    }
    case DB_FAULT_STAGE:
        b->stage_faults++;
        dcp_error ("stage fault: the database does not take what this loader writes, batch kept"
                   " for retry",
                   "step=%s sqlstate=%s error=%s", step, state, quoted);
        return DCP_ESTAGE;
    case DB_FAULT_RETRY: break;
    }
    dcp_warn ("database asked to retry", "step=%s sqlstate=%s error=%s", step, state, quoted);
    return DCP_EDB_RETRY;
}

int
store_sql_check (PGconn *db, store_batch_t *b, PGresult *res, ExecStatusType want, const char *step)
{
    if (PQresultStatus (res) == want)
        return 0;
    return s_classify (db, b, res, step);
}

/* ---------------------------------------------------------------------------
 * Statements, prepared once per connection. */


static const struct {
    const char *name;
    int n_params;
    const char *sql;
} s_stmts[STORE_SQL__COUNT] = {
    [STORE_SQL_LOCK_SERIES] = {"dcp_store_lock_series", 1,
                               "SELECT count(pg_advisory_xact_lock(" STORE_LOCK_CLASS
                               ", hashtext(k)))"
                               " FROM unnest($1::text[]) AS k"},
    [STORE_SQL_FIND_SUBMISSIONS] =
        {"dcp_store_find_submissions", 1,
         "SELECT submission_id::text, encode(content_sha256, 'hex'), " STORE_SQL_UTC_TEXT (
             "stored_at") " FROM dcp.submission WHERE submission_id = ANY ($1::uuid[])"},
    [STORE_SQL_FIND_QUARANTINED] =
        {"dcp_store_find_quarantined", 1,
         "SELECT submission_id, encode(content_sha256, 'hex'), reason,"
         " problems::text, " STORE_SQL_UTC_TEXT (
             "stored_at") ","
                          " encode(content_sha256, 'hex') || '|' || coalesce(sender_key, '')"
                          " FROM dcp.quarantine WHERE submission_id = ANY ($1::text[])"},
    [STORE_SQL_FIND_CURRENT] = {"dcp_store_find_current", 3,
                                "SELECT s.reporting_country, s.questionnaire, s.reporting_year,"
                                " s.submission_id::text, s.revision_no"
                                " FROM dcp.submission s"
                                " JOIN unnest($1::text[], $2::text[], $3::int[]) AS k (c, q, y)"
                                "  ON s.reporting_country = k.c AND s.questionnaire = k.q"
                                "  AND s.reporting_year = k.y"
                                " WHERE s.is_current"},
    [STORE_SQL_SUPERSEDE] = {"dcp_store_supersede", 1,
                             "UPDATE dcp.submission SET is_current = false"
                             " WHERE submission_id = ANY ($1::uuid[]) AND is_current"},
    [STORE_SQL_FIND_FINDINGS] = {"dcp_store_find_findings", 1,
                                 "SELECT submission_id::text, rule, severity, path, message"
                                 " FROM dcp.finding WHERE submission_id = ANY ($1::uuid[])"
                                 " ORDER BY submission_id, ord"},
    [STORE_SQL_QUARANTINE] =
        {"dcp_store_quarantine", 13,
         "INSERT INTO dcp.quarantine (submission_id, content_sha256, raw, reason,"
         " problems, questionnaire, reporting_country, reporting_year, sender_key,"
         " sender_country, sender_name, validator_id, received_at)"
         " VALUES ($1, decode($2, 'hex'), $3, $4, $5::jsonb, $6, NULLIF($7, ''),"
         " $8::int, NULLIF($9, ''), NULLIF($10, ''), NULLIF($11, ''),"
         " NULLIF($12, ''), dcp.try_timestamptz($13))"
         " ON CONFLICT (submission_id, content_sha256, (coalesce(sender_key, '')))"
         " DO NOTHING RETURNING id"},
    [STORE_SQL_FIND_QUARANTINED_ONE] =
        {"dcp_store_find_quarantined_one", 3,
         "SELECT submission_id, encode(content_sha256, 'hex'), reason,"
         " problems::text, " STORE_SQL_UTC_TEXT (
             "stored_at") " FROM dcp.quarantine"
                          " WHERE submission_id = $1 AND content_sha256 = decode($2, 'hex')"
                          "   AND coalesce(sender_key, '') = $3"},
    [STORE_SQL_SECURITY_EVENT] =
        {"dcp_store_security_event", 5,
         "INSERT INTO dcp.security_event (kind, sender_key, sender_country,"
         " claimed_country, submission_id, detail)"
         " VALUES ('wrong_country', NULLIF($1, ''), NULLIF($2, ''),"
         " NULLIF($3, ''), $4, $5)"},
    [STORE_SQL_CLOCK] = {"dcp_store_clock", 0, "SELECT " STORE_SQL_UTC_TEXT ("now()")},
    /* V-X-03: the key figures of the stored revisions that new ones replace. */
    [STORE_SQL_KEY_FIGURES] =
        {"dcp_store_key_figures", 1,
         "SELECT submission_id::text, indicator, breakdown, coalesce(unit, ''),"
         " trim_scale(value)::text"
         " FROM dcp.v_key_figures_of_submission"
         " WHERE submission_id = ANY ($1::uuid[])"},
    /* Which of the ids (predecessors named by revisions) were ever stored,
     * accepted or in quarantine. */
    [STORE_SQL_FIND_KNOWN] = {"dcp_store_find_known", 1,
                              "SELECT submission_id::text FROM dcp.submission"
                              " WHERE submission_id = ANY ($1::uuid[])"
                              " UNION SELECT submission_id FROM dcp.quarantine"
                              " WHERE submission_id = ANY ($1::text[])"},
    /* The stored revisions that supersede one of the ids. */
    [STORE_SQL_FIND_SUPERSEDED_BY] = {"dcp_store_find_superseded_by", 1,
                                      "SELECT supersedes::text, submission_id::text, revision_no"
                                      " FROM dcp.submission WHERE supersedes = ANY ($1::uuid[])"},
};

/* True if RES (one column of names) holds NAME. */
static bool
s_listed (PGresult *res, const char *name)
{
    for (int r = 0; r < PQntuples (res); r++)
        if (strcmp (PQgetvalue (res, r, 0), name) == 0)
            return true;
    return false;
}

/* Prepares the statements on DB unless this batch did so on the same
 * connection (and server process).  Several batches share a connection:
 * what another one prepared already is left alone, so the server logs no
 * "already exists" error. */
int
store_sql_prepare (PGconn *db, store_batch_t *b)
{
    int pid = PQbackendPID (db);
    if (b->prepared_db == db && b->prepared_pid == pid)
        return 0;
    PGresult *have = PQexec (db, "SELECT name FROM pg_prepared_statements");
    int rc = store_sql_check (db, b, have, PGRES_TUPLES_OK, "find prepared statements");
    for (int q = 0; q < STORE_SQL__COUNT && rc == 0; q++) {
        if (s_listed (have, s_stmts[q].name))
            continue;
        PGresult *res = PQprepare (db, s_stmts[q].name, s_stmts[q].sql, s_stmts[q].n_params, NULL);
        rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, s_stmts[q].name);
        PQclear (res);
    }
    PQclear (have);
    if (rc == 0) {
        b->prepared_db = db;
        b->prepared_pid = pid;
    }
    return rc;
}

/* Runs prepared statement Q with text parameters. */
PGresult *
store_sql_run (PGconn *db, store_sql_t q, const char *const *params)
{
    return PQexecPrepared (db, s_stmts[q].name, s_stmts[q].n_params, params, NULL, NULL, 0);
}

/* COPY into TABLE the rows of items [lo, hi) whose action is
 * STORE_A_INSERT, taken from DATA with per-item offsets (contiguous runs of
 * new items go out as one span); or, with OFF NULL, all of DATA.  Sends
 * nothing when there is nothing to send. */
int
store_sql_copy (PGconn *db, store_batch_t *b, sections_table_id_t table, const dcp_buf_t *data,
                const size_t *off, size_t stride, size_t lo, size_t hi)
{
    db_span_t all = {data->data, data->len}, *spans = &all;
    size_t n = 0, total = data->len;
    if (off) {
        if (!(spans = malloc ((hi - lo + 1) * sizeof *spans)))
            return DCP_ENOMEM;
        total = 0;
        for (size_t i = lo, j; i < hi; i = j) {
            for (j = i; j < hi && b->plan[j].action == STORE_A_INSERT; j++)
                ;
            if (j == i) {
                j++;
                continue;
            }
            size_t start = off[i * stride], end = off[j * stride];
            if (end > start)
                spans[n++] = (db_span_t){data->data + start, end - start};
            total += end - start;
        }
    } else
        n = 1;
    int rc = 0;
    if (total) {
        PGresult *res = db_copy (db, b->copy_sql[table], spans, n);
        rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, sections_table (table)->name);
        PQclear (res);
    }
    if (spans != &all)
        free (spans);
    return rc;
}

const char *
store_sql_name (store_sql_t q)
{
    return s_stmts[q].name;
}
