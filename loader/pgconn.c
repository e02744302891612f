/* pgconn.c: the loader's PostgreSQL connections, their refusals and their
 * notices (see pgconn.h). */
#include "pgconn.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_log.h"

/* Defaults placed before the operator's string, which libpq lets override
 * them (keywords after an expanded dbname would win instead). */
static const char *const s_keys[] = {"connect_timeout", "application_name", "dbname", NULL};

static void
s_on_notice (void *arg, const PGresult *res)
{
    int writer = (int) (intptr_t) arg;
    const char *sev = PQresultErrorField (res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (!sev) /* notices libpq makes itself carry only the localized one */
        sev = PQresultErrorField (res, PG_DIAG_SEVERITY);
    const char *state = PQresultErrorField (res, PG_DIAG_SQLSTATE);
    const char *text = PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField (res, PG_DIAG_MESSAGE_DETAIL);
    dcp_log_level_t level = DCP_LOG_DEBUG; /* DEBUG, LOG */
    if (sev && strcmp (sev, "WARNING") == 0)
        level = DCP_LOG_WARN;
    else if (sev && (strcmp (sev, "NOTICE") == 0 || strcmp (sev, "INFO") == 0))
        level = DCP_LOG_INFO;
    char w[16] = "";
    if (writer >= 0)
        snprintf (w, sizeof w, " writer=%d", writer);
    dcp_log (level, "database notice", "severity=%s sqlstate=%s notice=%s detail=%s%s",
             dcp_log_quote ((char[16]){0}, 16, sev ? sev : ""),
             dcp_log_quote ((char[8]){0}, 8, state ? state : ""),
             dcp_log_quote ((char[512]){0}, 512, text ? text : PQresultErrorMessage (res)),
             dcp_log_quote ((char[512]){0}, 512, detail ? detail : ""), w);
}

void
pgconn_log_notices (PGconn *db, int writer)
{
    PQsetNoticeReceiver (db, s_on_notice, (void *) (intptr_t) writer);
}

/* How long the verbose attempt may see no progress before libpq's own
 * loop takes over: the connect_timeout in force for DB, but at most
 * STALL_MAX_MS.  A live server answers each step within milliseconds; a
 * stall is a host that is gone, and every second spent on it here delays
 * the fallback that skips it. */
#define STALL_MAX_MS 2000
static int
s_stall_ms (PGconn *db)
{
    int seconds = 0;
    PQconninfoOption *opts = PQconninfo (db);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp (o->keyword, "connect_timeout") == 0 && o->val)
            seconds = atoi (o->val);
    PQconninfoFree (opts);
    if (seconds <= 0 || seconds * 1000 > STALL_MAX_MS)
        return STALL_MAX_MS;
    return seconds * 1000;
}

/* Drives DB, started with PQconnectStartParams(), to its end.  Returns 0
 * when connected, DCP_EDB_RETRY when it failed (the reason is in
 * PQerrorMessage), DCP_ETIMEDOUT when nothing moved for TIMEOUT_MS. */
static int
s_finish_connect (PGconn *db, int timeout_ms)
{
    if (PQstatus (db) == CONNECTION_BAD)
        return DCP_EDB_RETRY;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING; /* libpq's rule for the start */
    for (;;) {
        if (st == PGRES_POLLING_OK)
            return 0;
        if (st == PGRES_POLLING_FAILED)
            return DCP_EDB_RETRY;
        struct pollfd p = {PQsocket (db), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
        if (p.fd < 0)
            return DCP_EDB_RETRY;
        int n = poll (&p, 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return DCP_ETIMEDOUT;
        st = PQconnectPoll (db);
    }
}

PGconn *
pgconn_open (const char *conninfo, int writer, pgconn_error_t *err)
{
    const char *vals[] = {"5", "dcp-loader", conninfo, NULL};
    memset (err, 0, sizeof *err);
    PGconn *db = PQconnectStartParams (s_keys, vals, 1);
    if (!db) {
        snprintf (err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    /* Verbose until connected: only then does the message carry the
     * SQLSTATE that tells a refusal from an absence. */
    PQsetErrorVerbosity (db, PQERRORS_VERBOSE);
    pgconn_log_notices (db, writer);
    int rc = s_finish_connect (db, s_stall_ms (db));
    if (rc == DCP_ETIMEDOUT) {
        /* A host that accepts nothing and refuses nothing (a machine that
         * is gone): only libpq's own loop gives up on one host after
         * connect_timeout and goes on to the next, so a failover is not
         * held up by it.  Its message has no SQLSTATE: not a refusal; and
         * a notice sent while it connects is printed by libpq, not logged
         * (servers rarely send one then). */
        PQfinish (db);
        db = PQconnectdbParams (s_keys, vals, 1);
        if (!db) {
            snprintf (err->message, sizeof err->message, "out of memory");
            return NULL;
        }
        pgconn_log_notices (db, writer);
        rc = PQstatus (db) == CONNECTION_OK ? 0 : DCP_EDB_RETRY;
    }
    if (rc) {
        /* PQerrorMessage never contains the password. */
        pgconn_parse_error (PQerrorMessage (db), err);
        PQfinish (db);
        return NULL;
    }
    PQsetErrorVerbosity (db, PQERRORS_DEFAULT);
    return db;
}

/* Length of a SQLSTATE at P ("28P01: "), or 0. */
static size_t
s_state_at (const char *p)
{
    for (int i = 0; i < 5; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z')))
            return 0;
    return p[5] == ':' && p[6] == ' ' ? 7 : 0;
}

/* Appends LINE[0..LEN) to ERR's message, taking the SQLSTATE out of
 * "SEVERITY:  STATE: text". */
static void
s_add_line (pgconn_error_t *err, size_t *n, const char *line, size_t len)
{
    const char *sep = NULL;
    for (const char *p = line; p + 3 <= line + len; p++)
        if (p[0] == ':' && p[1] == ' ' && p[2] == ' ' && p + 10 <= line + len
            && s_state_at (p + 3)) {
            sep = p + 3;
            break;
        }
    size_t cap = sizeof err->message;
    size_t head = sep ? (size_t) (sep - line) : len;
    if (sep) {
        if (!err->sqlstate[0])
            memcpy (err->sqlstate, sep, 5);
        if (pgconn_sqlstate_refused ((char[6]){sep[0], sep[1], sep[2], sep[3], sep[4], 0}))
            err->refused = true;
    }
    if (*n > 0 && *n + 1 < cap)
        err->message[(*n)++] = '\n';
    int m = snprintf (err->message + *n, cap - *n, "%.*s%.*s", (int) head, line,
                      sep ? (int) (len - head - 7) : 0, sep ? sep + 7 : "");
    if (m > 0)
        *n = *n + (size_t) m < cap ? *n + (size_t) m : cap - 1;
}

void
pgconn_parse_error (const char *message, pgconn_error_t *err)
{
    memset (err, 0, sizeof *err);
    size_t n = 0;
    const char *p = message ? message : "";
    while (*p) {
        const char *end = strchr (p, '\n');
        size_t len = end ? (size_t) (end - p) : strlen (p);
        /* Where in the server's source: noise for an operator. */
        if (len > 0 && strncmp (p, "LOCATION:  ", 11) != 0)
            s_add_line (err, &n, p, len);
        p += len + (end ? 1 : 0);
    }
    /* The server needs a password and none was found: no SQLSTATE, the
     * message is libpq's own, and it will not change by itself. */
    if (message && strstr (message, "fe_sendauth:"))
        err->refused = true;
    if (n == 0)
        snprintf (err->message, sizeof err->message, "unknown error");
}

bool
pgconn_sqlstate_refused (const char *sqlstate)
{
    if (!sqlstate || strlen (sqlstate) != 5)
        return false;
    return strncmp (sqlstate, "28", 2) == 0 || strcmp (sqlstate, "3D000") == 0
           || strcmp (sqlstate, "42501") == 0;
}

int
pgconn_check (const char *conninfo, char *why, size_t why_size)
{
    why[0] = '\0';
    /* libpq's own rule: a URI or a string with '=' is parsed, anything
     * else is a database name. */
    if (strncmp (conninfo, "postgresql://", 13) != 0 && strncmp (conninfo, "postgres://", 11) != 0
        && !strchr (conninfo, '='))
        return 0;
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse (conninfo, &msg);
    if (opts) {
        PQconninfoFree (opts);
        return 0;
    }
    pgconn_one_line (why, why_size, msg ? msg : "out of memory");
    PQfreemem (msg);
    return DCP_ECONFIG;
}

char *
pgconn_one_line (char *buf, size_t size, const char *text)
{
    size_t n = 0;
    if (size == 0)
        return buf;
    for (const char *p = text; *p && n + 1 < size;) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            while (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ')
                p++;
            if (*p && n + 3 < size) {
                buf[n++] = ';';
                buf[n++] = ' ';
            }
            continue;
        }
        buf[n++] = *p++;
    }
    buf[n] = '\0';
    return buf;
}
