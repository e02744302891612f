/* store.c: writing a batch of forwarded submissions into PostgreSQL.
 *
 * One batch is one transaction with synchronous commit, so a receipt never
 * leaves before its data is durable.  The work is shaped for throughput
 * (the loader must come close to `psql \copy`):
 *
 *   - before the transaction, every decodable submission is turned into
 *     COPY text rows for the section tables, with derived kilograms and the
 *     completeness counts (pure C, no round trips, done once per batch even
 *     when the batch is retried or bisected);
 *   - in the transaction: one statement takes the per-series advisory locks
 *     in sorted order (so two loaders cannot deadlock), two look up which ids
 *     exist already, one reads the current revision of each series; then
 *     the new submissions and their line items go straight into their tables
 *     with one COPY per table, sent from the encoded rows without another
 *     copy (a duplicate key on dcp.submission then means another loader
 *     stored one of the ids meanwhile: the batch is redone and its lookup
 *     finds it).  The transactions are in store_txn.c.
 *
 * Every value travels as COPY data or a parameter, never spliced into SQL.
 * Idempotency rests on the primary key of dcp.submission and the UNIQUE
 * (submission_id, content_sha256) of dcp.quarantine: a resend of the same
 * bytes finds its earlier outcome and gets it back with replayed = true.
 *
 * Errors are classified once, by db_classify_sqlstate(): lost connections,
 * serialization failures, deadlocks and shutdowns roll back and return
 * DCP_EDB_RETRY; data errors (SQLSTATE classes 22, 23, 54) roll back and
 * the batch is bisected until the single submission that the database
 * refuses is found; it is quarantined with a DB-REFUSED finding and its
 * neighbours commit.  A stage fault (22P04 bad COPY format, 42xxx and the
 * like: our encoder and the tables disagree) rolls back, is logged and
 * counted, and returns DCP_ESTAGE: never a partner's rejection. */
#include <assert.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_hash.h"
#include "dcp_id.h"
#include "copy_text.h"
#include "sections.h"
#include "store.h"
#include "store_int.h"

/* Fills the plan of item I and encodes its section rows. */
static void
s_prepare_item (store_batch_t *b, size_t i)
{
    store_item_t *item = &b->items[i];
    store_plan_t *p = &b->plan[i];
    const Dcp__V1__Submission *sub = item->sub;
    /* The id the client sent (the id frame, which the validator put in the
     * envelope), never the one inside the bytes: a rejection is kept and
     * replayed under the id it was answered for, so a never-used id is
     * never "replayed" (the two differ only in rejected submissions). */
    const char *id = item->fwd->submission_id ? item->fwd->submission_id : "";
    p->id_is_uuid = dcp_id_uuid_normalise (id, p->id) == 0;
    if (!p->id_is_uuid) {
        char *clean = store_clean (id, STORE_QUARANTINE_ID_MAX);
        snprintf (p->id, sizeof p->id, "%s", clean ? clean : "");
        free (clean);
    }
    dcp_hash_sha256_hex (item->raw ? (const void *) item->raw : "", item->raw_len, p->sha_hex);
    snprintf (p->quar_key, sizeof p->quar_key, "%s|%.64s", p->sha_hex,
              item->fwd->sender_key ? item->fwd->sender_key : "");
    p->candidate = sub && !item->fwd->rejected;
    if (sub)
        snprintf (p->series, sizeof p->series, "%.64s/%s/%d",
                  sub->reporting_country ? sub->reporting_country : "",
                  dcp_codec_kind_name (sub->questionnaire), (int) sub->reporting_year);

    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        b->off[i * SECTIONS_N_SECTION + (size_t) t] = b->tab[t].len;
    if (!p->candidate || !p->id_is_uuid)
        return;
    sections_encode (sub, p->id, b->tab, &p->counts);
    /* The raw bytes as a COPY bytea field, escaped once however often the
     * batch is retried or bisected. */
    p->raw_off = b->raw_text.len;
    copy_text_bytea (&b->raw_text, item->raw, item->raw_len);
    p->raw_text_len = b->raw_text.len - p->raw_off;
}

store_batch_t *
store_batch_new (void)
{
    store_batch_t *b = calloc (1, sizeof (store_batch_t));
    if (!b)
        return NULL;
    for (int t = 0; t <= SECTIONS_FINDING; t++) {
        dcp_buf_t sql = {0};
        char head[80];
        snprintf (head, sizeof head, "COPY dcp.%s (",
                  sections_table ((sections_table_id_t) t)->name);
        dcp_buf_append (&sql, head, strlen (head));
        sections_copy_columns ((sections_table_id_t) t, &sql);
        dcp_buf_append (&sql, ") FROM STDIN", 12);
        if (sql.err) {
            dcp_buf_free (&sql);
            store_batch_destroy (&b);
            return NULL;
        }
        b->copy_sql[t] = sql.data;
    }
    b->revision_change_pct = STORE_REVISION_CHANGE_PCT;
    return b;
}

void
store_batch_set_revision_change_pct (store_batch_t *b, int pct)
{
    b->revision_change_pct = pct;
}

void
store_batch_set_revwait (store_batch_t *b, revwait_t *waits)
{
    b->revwait = waits;
}

void
store_batch_clear (store_batch_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        store_item_reset (&b->items[i]);
    b->n = 0;
    /* The buffers keep their capacity: the next batch is about as big. */
    for (int t = 0; t < SECTIONS_N_SECTION; t++) {
        b->tab[t].len = 0;
        b->tab[t].err = 0;
    }
    b->raw_text.len = 0;
    b->raw_text.err = 0;
    b->sqlstate[0] = b->sqlmessage[0] = b->constraint[0] = '\0';
}

void
store_batch_destroy (store_batch_t **self_p)
{
    if (!*self_p)
        return;
    store_batch_t *b = *self_p;
    store_batch_clear (b);
    store_change_forget (b);
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        dcp_buf_free (&b->tab[t]);
    dcp_buf_free (&b->raw_text);
    for (int t = 0; t <= SECTIONS_FINDING; t++)
        free (b->copy_sql[t]);
    free (b->items);
    free (b->off);
    free (b->plan);
    free (b);
    *self_p = NULL;
}

static int
s_batch_grow (store_batch_t *b)
{
    size_t cap = b->cap ? b->cap * 2 : 64;
    store_item_t *items = realloc (b->items, cap * sizeof *items);
    if (!items)
        return DCP_ENOMEM;
    b->items = items;
    store_plan_t *plan = realloc (b->plan, cap * sizeof *plan);
    if (!plan)
        return DCP_ENOMEM;
    b->plan = plan;
    size_t *off = realloc (b->off, (cap + 1) * SECTIONS_N_SECTION * sizeof *off);
    if (!off)
        return DCP_ENOMEM;
    b->off = off;
    b->cap = cap;
    return 0;
}

int
store_batch_add (store_batch_t *b, const store_item_t *in)
{
    assert (b && in && in->fwd);
    if (b->n == b->cap && s_batch_grow (b))
        return DCP_ENOMEM;
    size_t i = b->n;
    b->items[i] =
        (store_item_t){.fwd = in->fwd, .raw = in->raw, .raw_len = in->raw_len, .sub = in->sub};
    memset (&b->plan[i], 0, sizeof b->plan[i]);
    size_t raw_text_len = b->raw_text.len;
    s_prepare_item (b, i);
    bool oom = b->raw_text.err != 0;
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        oom |= b->tab[t].err != 0;
    if (oom) {
        /* Forget the half-encoded item; what came before stays intact
         * (a failed realloc keeps the old block). */
        for (int t = 0; t < SECTIONS_N_SECTION; t++) {
            b->tab[t].len = b->off[i * SECTIONS_N_SECTION + (size_t) t];
            b->tab[t].err = 0;
        }
        b->raw_text.len = raw_text_len;
        b->raw_text.err = 0;
        return DCP_ENOMEM;
    }
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        b->off[(i + 1) * SECTIONS_N_SECTION + (size_t) t] = b->tab[t].len;
    b->n++;
    return 0;
}

uint64_t
store_batch_stage_faults (const store_batch_t *b)
{
    return b->stage_faults;
}

size_t
store_batch_size (const store_batch_t *b)
{
    return b->n;
}

store_item_t *
store_batch_item (store_batch_t *b, size_t i)
{
    assert (i < b->n);
    return &b->items[i];
}

void
store_item_reset (store_item_t *item)
{
    dcp_findings_destroy (&item->findings);
    item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_STATUS_UNSPECIFIED;
    item->replayed = false;
    item->stored_at[0] = '\0';
    item->current_id[0] = '\0';
}

int
store_batch_write (PGconn *db, store_batch_t *b)
{
    assert (db && b);
    for (size_t i = 0; i < b->n; i++)
        store_item_reset (&b->items[i]);
    if (b->n == 0)
        return 0;
    if (PQstatus (db) != CONNECTION_OK)
        return DCP_EDB_RETRY;
    int rc = store_txn_write (db, b);
    if (rc)
        for (size_t i = 0; i < b->n; i++)
            store_item_reset (&b->items[i]);
    return rc;
}

int
store_batch (PGconn *db, store_item_t *items, size_t n)
{
    assert (db && (items || n == 0));
    for (size_t i = 0; i < n; i++) {
        assert (items[i].fwd);
        store_item_reset (&items[i]);
    }
    if (n == 0)
        return 0;
    if (PQstatus (db) != CONNECTION_OK)
        return DCP_EDB_RETRY;
    store_batch_t *b = store_batch_new ();
    int rc = b ? 0 : DCP_ENOMEM;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = store_batch_add (b, &items[i]);
    if (rc == 0)
        rc = store_batch_write (db, b);
    if (rc == 0)
        for (size_t i = 0; i < n; i++) {
            /* Hand the outcome, findings included, back to the caller. */
            items[i] = b->items[i];
            b->items[i].findings = NULL;
        }
    store_batch_destroy (&b);
    return rc;
}
