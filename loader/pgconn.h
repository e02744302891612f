/* pgconn.h: opening the loader's PostgreSQL connections, and telling why
 * one could not be opened.
 *
 * An operator must see the server's own words ("role \"nosuch\" does not
 * exist") and whether waiting can help: a server that is not up yet, or a
 * standby that is not yet promoted, will be there later; a role, password,
 * database or pg_hba.conf line that is wrong will not, until someone fixes
 * it.  libpq does not expose the SQLSTATE of a failed connection, so the
 * connection is opened with verbose error messages, which carry it, and the
 * message is then put back into the form psql shows.
 *
 * Every connection gets a notice receiver that writes the server's notices
 * and warnings (an immediate shutdown, a cancelled synchronous replication
 * wait) as logfmt lines, instead of libpq's default print to stderr.
 *
 * The connection string may name several hosts ("host=a,b port=5432,5433
 * target_session_attrs=read-write", or a postgresql:// URI with several
 * hosts): libpq tries them in turn, which is how the loader follows a
 * failover (deploy/README.md). */
#ifndef PGCONN_H
#define PGCONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* Why a connection could not be opened. */
typedef struct {
    char message[1024]; /* libpq's and the server's message, trailing
                                     newline removed, inner lines kept, as
                                     psql would print it */
    char sqlstate[6];   /* the first SQLSTATE the server sent, ""
                                     when none (no server answered) */
    bool refused;       /* permanent: a server answered and refused
                                     this role, password or database; only
                                     an operator can fix that */
} pgconn_error_t;

/* Opens a connection to CONNINFO (a libpq connection string or URI, or a
 * bare database name; borrowed) with application_name "dcp-loader" and a
 * connect_timeout of 5 s unless CONNINFO sets them.  WRITER (or -1) is
 * written on the notice lines.  Returns the connection, the caller's to
 * PQfinish(); NULL with ERR filled when it could not be opened.  Blocks
 * until then: libpq's connect_timeout bounds each host, and a host that
 * answers nothing at all costs up to 2 s more (the verbose attempt gives
 * up on it and libpq's own loop, which can skip it, starts over). */
PGconn *pgconn_open (const char *conninfo, int writer, pgconn_error_t *err);

/* Sets the notice receiver that logs notices of DB as logfmt lines, with
 * WRITER (or -1).  pgconn_open() does it; for other connections. */
void pgconn_log_notices (PGconn *db, int writer);

/* Fills ERR from MESSAGE, a libpq error message written with
 * PQERRORS_VERBOSE: the SQLSTATE is taken out of each "SEVERITY:  STATE: "
 * and LOCATION lines are dropped, so the message reads as psql prints it.
 * Pure function. */
void pgconn_parse_error (const char *message, pgconn_error_t *err);

/* True when SQLSTATE, sent by a server refusing a connection, means that
 * trying again cannot help until an operator acts: class 28 (invalid
 * authorization: no such role, bad password, pg_hba.conf), 3D000 (no such
 * database), 42501 (no CONNECT privilege).  Pure function. */
bool pgconn_sqlstate_refused (const char *sqlstate);

/* Checks that CONNINFO is a connection string libpq can parse (a bare
 * database name always is).  Returns 0, or DCP_ECONFIG with libpq's reason
 * in WHY (size WHY_SIZE), newline removed. */
int pgconn_check (const char *conninfo, char *why, size_t why_size);

/* Writes TEXT into BUF (size SIZE) as one line: each run of newlines and
 * tabs becomes "; ", trailing ones are dropped; cut at SIZE.  For /readyz,
 * which answers one line.  Returns BUF. */
char *pgconn_one_line (char *buf, size_t size, const char *text);

#endif
