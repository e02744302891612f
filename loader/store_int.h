/* store_int.h: what store.c (the batch and its encoding), store_txn.c
 * (the transactions that write it), store_order.c (the decision per item)
 * and store_change.c (V-X-03) share; not for other modules.
 *
 * A batch holds its items, a plan per item (what is known before any
 * database work: id, digest, series, and per attempt the decided action)
 * and the COPY rows of the section tables, encoded once when the item is
 * added and sent as they are however often the batch is retried or
 * bisected. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "copy_text.h"
#include "dcp_utf8.h"
#include "keyfig.h"
#include "sections.h"
#include "store.h"
#include "strmap.h"

#define STORE_QUARANTINE_ID_MAX 128 /* garbage ids are cut to this */

/* ---------------------------------------------------------------------------
 * The batch: what is known about each item before any database work. */

typedef enum {
    STORE_A_NONE,
    STORE_A_INSERT,      /* new accepted submission */
    STORE_A_QUARANTINE,  /* rejected (or conflict): store in quarantine */
    STORE_A_REPLAY_SUB,  /* stored before as accepted */
    STORE_A_REPLAY_QUAR, /* stored before in quarantine */
    STORE_A_DUP,         /* same bytes as an earlier item of this batch */
    STORE_A_WAIT,        /* a revision before its predecessor: RETRY_LATER */
} store_action_t;

typedef struct {
    char id[STORE_QUARANTINE_ID_MAX + 1]; /* lowercase UUID, or the cleaned id */
    bool id_is_uuid;
    char sha_hex[65];
    /* "sha|sender key": a rejection is replayed only to the same sender, so
     * bytes rejected for one key (say, the wrong country) can never block
     * the rightful sender's identical submission. */
    char quar_key[65 + 1 + 64];
    char series[96];              /* "AFG/precursors/2025"; "" if not decodable */
    bool candidate;               /* decodable and not rejected by the validator */
    sections_counts_t counts;     /* completeness of the encoded numbers */
    size_t raw_off, raw_text_len; /* the raw column in the batch's raw_text */
    /* per attempt */
    store_action_t action;
    const char *reason; /* quarantine reason */
    size_t dup_of;
    long series_slot; /* index into the attempt's series table, -1 */
    bool is_current;
    long existing_row; /* row of the replay lookup result */
} store_plan_t;

/* The key figures of submissions this batch object stored, by id, so that
 * rule V-X-03 finds those of the revision a new one replaces without asking
 * the database (a series' revisions come to the same writer, so the one
 * replaced was usually stored here moments before).  Direct-mapped: a slot
 * holds the last id that hashed to it; a miss asks the database. */
#define STORE_KF_CACHE 1024
typedef struct {
    char id[37]; /* "" when empty */
    keyfig_set_t figs;
} store_kf_entry_t;

struct store_batch_t {
    store_item_t *items; /* owned array; what they point to is borrowed */
    store_plan_t *plan;
    size_t n, cap;
    dcp_buf_t tab[SECTIONS_N_SECTION];
    dcp_buf_t raw_text; /* the raw bytes of the items as COPY bytea */
    size_t *off;        /* off[i * SECTIONS_N_SECTION + t]: start of item i in table t;
                                 off[n * SECTIONS_N_SECTION + t]: end of table t */
    char sqlstate[6];   /* last data error, for DB-REFUSED */
    char sqlmessage[512];
    char constraint[64]; /* and the constraint it broke, if any */
    /* "COPY dcp.t (columns) FROM STDIN" of every table written by COPY,
     * made once from the description (sections.c). */
    char *copy_sql[SECTIONS_FINDING + 1];
    uint64_t stage_faults;      /* since store_batch_new(); clear keeps it */
    int revision_change_pct;    /* V-X-03 threshold, store_batch_set_revision_change_pct() */
    revwait_t *revwait;         /* borrowed, or NULL: no revision waits */
    store_kf_entry_t *kf_cache; /* STORE_KF_CACHE slots, made on first use; owned */
    /* The connection (and its server process) on which this batch's
     * statements are prepared; NULL: prepare before the next use. */
    PGconn *prepared_db;
    int prepared_pid;
};

/* S cleaned for the quarantine, which must accept anything: invalid UTF-8
 * becomes U+FFFD, control characters other than tab/CR/LF a '?'; at most
 * MAX bytes.  Caller frees; NULL if out of memory. */
static inline char *
store_clean (const char *s, size_t max)
{
    return dcp_utf8_clean (s, strlen (s), max, DCP_UTF8_TEXT);
}

/* Writes items [0, n) of B: one transaction per attempt, bisecting on
 * refused data until the poison item is alone (it is quarantined with a
 * DB-REFUSED finding).  Returns 0 when every item has its outcome and all
 * is committed; DCP_EDB_RETRY (nothing of the failed attempt committed);
 * DCP_ENOMEM. */
int store_txn_write (PGconn *db, store_batch_t *b);

/* ---------------------------------------------------------------------------
 * One attempt at storing items [lo, hi) in one transaction: what
 * store_txn.c (lookup, insert, quarantine), store_order.c (the decision,
 * order of revisions) and store_change.c (V-X-03) share. */

typedef struct {
    const char *key;  /* borrowed from a plan */
    char current[40]; /* current submission id ("" = none) */
    unsigned revision_no;
    long batch_item;   /* item of this batch that is current, or -1 */
    size_t first_item; /* first item of the series, for its parts */
    bool has;
} store_series_t;

typedef struct {
    PGconn *db;
    store_batch_t *b;
    size_t lo, hi;
    char stored_at[40];
    store_series_t *series;
    size_t n_series;
    strmap_t series_map;
    PGresult *existing_sub;  /* id, sha, stored_at */
    PGresult *existing_quar; /* id, sha, reason, problems, stored_at */
    PGresult *replay_findings;
    strmap_t sub_map, quar_map, batch_ids;
    dcp_buf_t unset_ids;  /* array literal of ids to make non-current */
    char (*replaces)[40]; /* per item of the range: the submission a
                                   revision replaces ("" = none), for V-X-03 */
    /* Order of revisions (store_order.c) */
    int64_t now_ms;
    char (*sup)[40];   /* [i - lo]: supersedes_submission_id, normalised, or "" */
    strmap_t item_ids; /* id -> first item of the attempt with it */
    strmap_t later_by; /* id -> item inserted in this attempt that supersedes it */
    PGresult *known;   /* predecessors named that were ever stored */
    strmap_t known_map;
    PGresult *superseded_by; /* (supersedes, id, revision_no) of stored revisions */
    strmap_t superseded_map;
} store_try_t;

/* Adds a finding to ITEM, creating its list if needed (out of memory: the
 * finding is lost, as dcp_findings_add does). */
void store_add_finding (store_item_t *item, const char *rule, dcp_severity_t sev, const char *path,
                        const char *message);

/* Parameter text of the array literal of VALUES[0..N) in LIT (which the
 * caller frees); NULL if out of memory. */
const char *store_literal (dcp_buf_t *lit, const char *const *values, size_t n);

/* --- store_order.c: the decision per item, with the order of revisions -- */

/* Decides, in batch order, what happens to each item of T's range: replay,
 * conflict, quarantine, wait (RETRY_LATER) or insert, checking V-ENV-06
 * against the series state read by the lookup.  0 or DCP_ENOMEM. */
int store_order_decide (store_try_t *t);

/* --- store_change.c: rule V-X-03 ----------------------------------------- */

/* Warns on every revision inserted by T that moves a key figure of the
 * revision it replaces beyond the batch's revision_change_pct (negative:
 * off).  0, DCP_ENOMEM or a classified database failure. */
int store_change_check (store_try_t *t);

/* After the attempt T committed: remembers the key figures of the
 * submissions it inserted (store_kf_entry_t).  Best effort: out of memory
 * leaves them out. */
void store_change_remember (store_try_t *t);

/* Frees the cache of B. */
void store_change_forget (store_batch_t *b);

/* --- store_sql.c: the store's statements and its talk with PostgreSQL --- */

/* RFC 3339 UTC text of the timestamp expression X, in SQL. */
#define STORE_SQL_UTC_TEXT(x)                                                                      \
    "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* The statements of a write, prepared once per connection. */
typedef enum {
    STORE_SQL_LOCK_SERIES,
    STORE_SQL_FIND_SUBMISSIONS,
    STORE_SQL_FIND_QUARANTINED,
    STORE_SQL_FIND_CURRENT,
    STORE_SQL_SUPERSEDE,
    STORE_SQL_FIND_FINDINGS,
    STORE_SQL_QUARANTINE,
    STORE_SQL_FIND_QUARANTINED_ONE,
    STORE_SQL_SECURITY_EVENT,
    STORE_SQL_CLOCK,
    STORE_SQL_KEY_FIGURES,
    STORE_SQL_FIND_KNOWN,
    STORE_SQL_FIND_SUPERSEDED_BY,
    STORE_SQL__COUNT
} store_sql_t;

/* Prepares the statements on DB unless B did so on this connection.
 * Returns 0 or the classified error (as store_sql_check). */
int store_sql_prepare (PGconn *db, store_batch_t *b);

/* Runs prepared statement Q with text PARAMS (as many as Q takes); the
 * caller checks and clears the result. */
PGresult *store_sql_run (PGconn *db, store_sql_t q, const char *const *params);

/* The prepared name of Q, for PQexecPrepared with binary parameters. */
const char *store_sql_name (store_sql_t q);

/* 0 if RES has status WANT; else the failure classified once
 * (db_classify_sqlstate): DCP_EDB_RETRY (try later), DCP_EDB_FATAL (the
 * partner's data was refused: SQLSTATE and message kept in B for
 * DB-REFUSED), DCP_ESTAGE (our own fault: logged, counted in B).  STEP
 * names the statement in logs.  RES may be NULL (connection gone). */
int store_sql_check (PGconn *db, store_batch_t *b, PGresult *res, ExecStatusType want,
                     const char *step);

/* COPY into TABLE the rows of items [LO, HI) whose action is
 * STORE_A_INSERT, taken from DATA with per-item offsets OFF (stride
 * STRIDE); or, with OFF NULL, all of DATA.  Sends nothing when there is
 * nothing to send.  Returns 0 or as store_sql_check(); DCP_ENOMEM. */
int store_sql_copy (PGconn *db, store_batch_t *b, sections_table_id_t table, const dcp_buf_t *data,
                    const size_t *off, size_t stride, size_t lo, size_t hi);

#endif
