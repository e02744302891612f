/* store_txn.c: the transactions that write a batch (see store.h for the
 * contract, store_int.h for the batch).
 *
 * One attempt stores a range of items in one transaction: it takes the
 * per-series advisory locks in sorted order (so two loaders cannot
 * deadlock), looks up which ids exist already and the current revision of
 * each series, decides per item (replay, conflict, quarantine, insert with
 * V-ENV-06 and the order of revisions: store_order.c), warns on revisions
 * that move a key figure (V-X-03: store_change.c), then COPYs the new
 * submissions, their findings and the section rows encoded beforehand, quarantines the rest and commits.  Statements
 * are prepared once per connection.  A data error rolls the attempt back
 * and the range is bisected until the one refused item is alone; it is
 * quarantined with a DB-REFUSED finding.  A duplicate key on
 * dcp.submission means another loader stored one of the ids meanwhile: the
 * attempt is redone and its lookup finds it. */
#include <assert.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_text.h"
#include "db.h"
#include "dcp_err.h"
#include "dcp_id.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "revwait.h"
#include "sections.h"
#include "store.h"
#include "store_int.h"
#include "strmap.h"

#define RACE_ATTEMPTS 3 /* redo after a concurrent insert */

/* ---------------------------------------------------------------------------
 * One attempt at storing items [lo, hi) in one transaction (store_try_t, store_int.h). */


static int
s_cmp_str (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

void
store_add_finding (store_item_t *item, const char *rule, dcp_severity_t sev, const char *path,
                   const char *message)
{
    if (!item->findings)
        item->findings = dcp_findings_new ();
    if (item->findings)
        dcp_findings_add (item->findings, rule, sev, path, "%s", message);
}

/* Parameter text of the array literal of VALUES[0..N) in LIT (which the
 * caller frees); NULL if out of memory. */
const char *
store_literal (dcp_buf_t *lit, const char *const *values, size_t n)
{
    copy_text_array_literal (lit, values, n);
    return lit->err ? NULL : lit->data;
}

/* Gives each item of the attempt its series slot and gathers the ids
 * (IDS), the UUIDs among them and the sorted keys of the series to lock. */
static int
s_lookup_index (store_try_t *t, const char **keys, size_t *n_keys, const char **uuids,
                size_t *n_uuids, const char **ids)
{
    store_batch_t *b = t->b;
    size_t n = t->hi - t->lo;
    if (strmap_init (&t->series_map, n) || strmap_init (&t->sub_map, n)
        || strmap_init (&t->quar_map, 2 * n) || strmap_init (&t->batch_ids, n)
        || strmap_init (&t->item_ids, n) || strmap_init (&t->later_by, n)
        || !(t->sup = calloc (n + 1, sizeof *t->sup))
        || !(t->series = calloc (n + 1, sizeof *t->series))
        || !(t->replaces = calloc (n + 1, sizeof *t->replaces)))
        return DCP_ENOMEM;
    *n_keys = *n_uuids = 0;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_plan_t *p = &b->plan[i];
        const Dcp__V1__Submission *sub = b->items[i].sub;
        ids[i - t->lo] = p->id;
        strmap_put (&t->item_ids, p->id, NULL, i);
        if (sub && sub->supersedes_submission_id
            && dcp_id_uuid_normalise (sub->supersedes_submission_id, t->sup[i - t->lo]) != 0)
            t->sup[i - t->lo][0] = '\0';
        if (p->id_is_uuid)
            uuids[(*n_uuids)++] = p->id;
        p->series_slot = -1;
        if (!p->series[0])
            continue;
        long slot = strmap_get (&t->series_map, p->series, NULL);
        if (slot < 0) {
            slot = (long) t->n_series++;
            t->series[slot].key = p->series;
            t->series[slot].batch_item = -1;
            t->series[slot].first_item = i;
            strmap_put (&t->series_map, p->series, NULL, (size_t) slot);
            if (p->candidate)
                keys[(*n_keys)++] = p->series;
        }
        p->series_slot = slot;
    }
    /* Sorted, so two loaders with overlapping batches lock in one order. */
    qsort (keys, *n_keys, sizeof *keys, s_cmp_str);
    return 0;
}

/* Starts the transaction, notes its time and takes the series locks. */
static int
s_lookup_begin (store_try_t *t, const char *const *keys, size_t n_keys)
{
    PGresult *res = PQexec (t->db, "BEGIN;"
                                   "SET LOCAL client_min_messages = warning;"
                                   /* a receipt is an external action: never async */
                                   "SET LOCAL synchronous_commit = on;"
                                   "SELECT " STORE_SQL_UTC_TEXT ("now()"));
    int rc = store_sql_check (t->db, t->b, res, PGRES_TUPLES_OK, "begin");
    if (rc == 0)
        snprintf (t->stored_at, sizeof t->stored_at, "%s", PQgetvalue (res, 0, 0));
    PQclear (res);
    if (rc)
        return rc;
    dcp_buf_t lit = {0};
    const char *params[] = {store_literal (&lit, keys, n_keys)};
    res = params[0] ? store_sql_run (t->db, STORE_SQL_LOCK_SERIES, params) : NULL;
    rc = res ? store_sql_check (t->db, t->b, res, PGRES_TUPLES_OK, "lock series") : DCP_ENOMEM;
    PQclear (res);
    dcp_buf_free (&lit);
    return rc;
}

/* Reads which of the ids are stored already, accepted or in quarantine. */
static int
s_lookup_existing (store_try_t *t, const char *const *uuids, size_t n_uuids, const char *const *ids)
{
    dcp_buf_t lit_uuids = {0}, lit_ids = {0};
    const char *p_uuids[] = {store_literal (&lit_uuids, uuids, n_uuids)};
    const char *p_ids[] = {store_literal (&lit_ids, ids, t->hi - t->lo)};
    int rc = DCP_ENOMEM;
    if (!p_uuids[0] || !p_ids[0])
        goto cleanup;
    t->existing_sub = store_sql_run (t->db, STORE_SQL_FIND_SUBMISSIONS, p_uuids);
    if ((rc = store_sql_check (t->db, t->b, t->existing_sub, PGRES_TUPLES_OK, "find submissions")))
        goto cleanup;
    t->existing_quar = store_sql_run (t->db, STORE_SQL_FIND_QUARANTINED, p_ids);
    if ((rc = store_sql_check (t->db, t->b, t->existing_quar, PGRES_TUPLES_OK, "find quarantined")))
        goto cleanup;
    for (int r = 0; r < PQntuples (t->existing_sub); r++)
        strmap_put (&t->sub_map, PQgetvalue (t->existing_sub, r, 0), NULL, (size_t) r);
    for (int r = 0; r < PQntuples (t->existing_quar); r++)
        strmap_put (&t->quar_map, PQgetvalue (t->existing_quar, r, 0),
                    PQgetvalue (t->existing_quar, r, 5), (size_t) r);
cleanup:
    dcp_buf_free (&lit_uuids);
    dcp_buf_free (&lit_ids);
    return rc;
}

/* Reads the current revision of every series the attempt touches. */
static int
s_lookup_current (store_try_t *t)
{
    size_t m = t->n_series;
    const char **cols = calloc (3 * (m + 1), sizeof *cols);
    char (*year_text)[12] = calloc (m + 1, sizeof *year_text);
    dcp_buf_t lit[3] = {{0}};
    PGresult *res = NULL;
    int rc = DCP_ENOMEM;
    if (!cols || !year_text)
        goto cleanup;
    const char **countries = cols, **kinds = cols + m + 1, **years = cols + 2 * (m + 1);
    for (size_t s = 0; s < m; s++) {
        const Dcp__V1__Submission *sub = t->b->items[t->series[s].first_item].sub;
        countries[s] = sub->reporting_country ? sub->reporting_country : "";
        kinds[s] = dcp_codec_kind_name (sub->questionnaire);
        snprintf (year_text[s], sizeof year_text[s], "%d", (int) sub->reporting_year);
        years[s] = year_text[s];
    }
    const char *params[] = {store_literal (&lit[0], countries, m),
                            store_literal (&lit[1], kinds, m), store_literal (&lit[2], years, m)};
    if (!params[0] || !params[1] || !params[2])
        goto cleanup;
    res = store_sql_run (t->db, STORE_SQL_FIND_CURRENT, params);
    if ((rc = store_sql_check (t->db, t->b, res, PGRES_TUPLES_OK, "find current revisions")))
        goto cleanup;
    for (int r = 0; r < PQntuples (res); r++) {
        char key[96];
        snprintf (key, sizeof key, "%.64s/%s/%s", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                  PQgetvalue (res, r, 2));
        long slot = strmap_get (&t->series_map, key, NULL);
        if (slot < 0)
            continue;
        store_series_t *s = &t->series[slot];
        s->has = true;
        snprintf (s->current, sizeof s->current, "%s", PQgetvalue (res, r, 3));
        s->revision_no = (unsigned) strtoul (PQgetvalue (res, r, 4), NULL, 10);
    }
cleanup:
    PQclear (res);
    for (int k = 0; k < 3; k++)
        dcp_buf_free (&lit[k]);
    free (cols);
    free (year_text);
    return rc;
}

/* Runs Q with the array literal of IDS[0..N) into *RES and maps column 0
 * of each row to the row in MAP (keys borrowed from *RES). */
static int
s_lookup_ids (store_try_t *t, store_sql_t q, const char **ids, size_t n, PGresult **res,
              strmap_t *map, const char *step)
{
    dcp_buf_t lit = {0};
    const char *params[] = {store_literal (&lit, ids, n)};
    int rc = DCP_ENOMEM;
    if (params[0] && (*res = store_sql_run (t->db, q, params))
        && (rc = store_sql_check (t->db, t->b, *res, PGRES_TUPLES_OK, step)) == 0
        && (rc = strmap_init (map, (size_t) PQntuples (*res) + 1)) == 0)
        for (int r = 0; r < PQntuples (*res); r++)
            strmap_put (map, PQgetvalue (*res, r, 0), NULL, (size_t) r);
    dcp_buf_free (&lit);
    return rc;
}

/* What the order of revisions needs (s_decide_late, s_decide_wait), asked
 * only about items that do not fit on top of their series as stored, so a
 * revision that follows the current one costs nothing: whether the
 * predecessors named were ever stored, and which stored revisions
 * supersede an item that arrives late. */
static int
s_lookup_order (store_try_t *t)
{
    size_t n = t->hi - t->lo, n_pred = 0, n_late = 0;
    const char **pred = calloc (n + 1, sizeof *pred), **late = calloc (n + 1, sizeof *late);
    int rc = DCP_ENOMEM;
    if (!pred || !late)
        goto cleanup;
    for (size_t i = t->lo; i < t->hi; i++) {
        const store_plan_t *p = &t->b->plan[i];
        const Dcp__V1__Submission *sub = t->b->items[i].sub;
        if (!p->candidate || p->series_slot < 0)
            continue;
        const store_series_t *s = &t->series[p->series_slot];
        const char *sup = t->sup[i - t->lo];
        if (sub->revision_no > 0 && sup[0] && !(s->has && strcasecmp (sup, s->current) == 0)
            && strmap_get (&t->item_ids, sup, NULL) < 0)
            pred[n_pred++] = sup;
        if (p->id_is_uuid && s->has && strcasecmp (p->id, s->current) != 0
            && sub->revision_no <= s->revision_no)
            late[n_late++] = p->id;
    }
    rc = 0;
    if (n_pred)
        rc = s_lookup_ids (t, STORE_SQL_FIND_KNOWN, pred, n_pred, &t->known, &t->known_map,
                           "find predecessors");
    if (rc == 0 && n_late)
        rc = s_lookup_ids (t, STORE_SQL_FIND_SUPERSEDED_BY, late, n_late, &t->superseded_by,
                           &t->superseded_map, "find later revisions");
cleanup:
    free (pred);
    free (late);
    return rc;
}

/* Starts the transaction, takes the series locks in sorted order and reads
 * what the database already knows about the items. */
static int
s_try_lookup (store_try_t *t)
{
    size_t n = t->hi - t->lo, n_keys = 0, n_uuids = 0;
    const char **keys = calloc (n + 1, sizeof *keys);
    const char **uuids = calloc (n + 1, sizeof *uuids);
    const char **ids = calloc (n + 1, sizeof *ids);
    int rc = DCP_ENOMEM;
    if (keys && uuids && ids && (rc = s_lookup_index (t, keys, &n_keys, uuids, &n_uuids, ids)) == 0
        && (rc = s_lookup_begin (t, keys, n_keys)) == 0
        && (rc = s_lookup_existing (t, uuids, n_uuids, ids)) == 0
        && (rc = s_lookup_current (t)) == 0)
        rc = s_lookup_order (t);
    free (keys);
    free (uuids);
    free (ids);
    return rc;
}

/* Submission rows of the new items, for the COPY into dcp.submission. */
static int
s_build_submissions (store_try_t *t, dcp_buf_t *out, dcp_buf_t *findings, size_t *n_insert)
{
    store_batch_t *b = t->b;
    *n_insert = 0;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_plan_t *p = &b->plan[i];
        if (p->action != STORE_A_INSERT)
            continue;
        store_item_t *item = &b->items[i];
        sections_submission_t row = {.sub = item->sub,
                                     .fwd = item->fwd,
                                     .id = p->id,
                                     .sha_hex = p->sha_hex,
                                     .raw = item->raw,
                                     .raw_len = item->raw_len,
                                     .is_current = p->is_current,
                                     .counts = p->counts,
                                     .raw_field = b->raw_text.data + p->raw_off,
                                     .raw_field_len = p->raw_text_len};
        size_t nf = dcp_findings_count (item->findings);
        for (size_t k = 0; k < nf; k++) {
            const dcp_finding_t *f = dcp_findings_get (item->findings, k);
            row.n_warnings += f->severity == DCP_SEV_WARNING;
            row.n_infos += f->severity == DCP_SEV_INFO;
            sections_encode_finding (findings, p->id, (long) k, f);
        }
        sections_encode_submission (out, &row);
        (*n_insert)++;
    }
    return out->err || findings->err ? DCP_ENOMEM : 0;
}

/* Findings as the JSON array stored in quarantine.problems. Caller frees. */
static char *
s_problems_json (const dcp_findings_t *findings)
{
    json_t *arr = json_array ();
    char *text = NULL;
    if (!arr)
        return NULL;
    for (size_t k = 0; k < dcp_findings_count (findings); k++) {
        const dcp_finding_t *f = dcp_findings_get (findings, k);
        char *rule = store_clean (f->rule, 200);
        char *path = store_clean (f->path ? f->path : "", 2000);
        char *msg = store_clean (f->message ? f->message : "", 4000);
        json_t *o = rule && path && msg
                        ? json_pack ("{s:s, s:s, s:s, s:s}", "code", rule, "severity",
                                     dcp_severity_name (f->severity), "path", path, "message", msg)
                        : NULL;
        free (rule);
        free (path);
        free (msg);
        if (!o || json_array_append_new (arr, o))
            goto cleanup;
    }
    text = json_dumps (arr, JSON_COMPACT);
cleanup:
    json_decref (arr);
    return text;
}

/* Records that item I was sent for a country its sender key is not
 * registered for (SENDER_KEY, SENDER_COUNTRY, CLAIMED: cleaned text). */
static int
s_security_event (PGconn *db, store_batch_t *b, size_t i, const char *sender_key,
                  const char *sender_country, const char *claimed)
{
    const dcp_findings_t *findings = b->items[i].findings;
    const char *detail = "";
    for (size_t k = 0; k < dcp_findings_count (findings); k++)
        if (dcp_findings_get (findings, k)->severity == DCP_SEV_ERROR) {
            detail = dcp_findings_get (findings, k)->message;
            break;
        }
    char *clean_detail = store_clean (detail, 2000);
    if (!clean_detail)
        return DCP_ENOMEM;
    const char *ev[] = {sender_key, sender_country, claimed, b->plan[i].id, clean_detail};
    PGresult *res = store_sql_run (db, STORE_SQL_SECURITY_EVENT, ev);
    int rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, "security event");
    PQclear (res);
    free (clean_detail);
    return rc;
}

/* Inserts item I into the quarantine (once per id and content).  Sets
 * *NEW_ROW; when the row existed, the item becomes a replay of it. */
static int
s_quarantine (PGconn *db, store_batch_t *b, size_t i, const char *reason, bool *new_row,
              PGresult **existing)
{
    store_item_t *item = &b->items[i];
    store_plan_t *p = &b->plan[i];
    const Dcp__V1__Forward *fwd = item->fwd;
    const Dcp__V1__Submission *sub = item->sub;
    char *problems = s_problems_json (item->findings);
    char *clean[6] = {0};
    const char *src[6] = {
        fwd->sender_key,  fwd->sender_country,
        fwd->sender_name, fwd->validator_id,
        fwd->received_at, sub && sub->reporting_country ? sub->reporting_country : ""};
    char year[16] = "";
    PGresult *res = NULL;
    int rc = DCP_ENOMEM;
    *new_row = false;
    *existing = NULL;
    if (!problems)
        goto cleanup;
    for (int k = 0; k < 6; k++)
        if (!(clean[k] = store_clean (src[k] ? src[k] : "", 1000)))
            goto cleanup;
    if (sub)
        snprintf (year, sizeof year, "%d", (int) sub->reporting_year);
    const char *values[13] = {p->id,
                              p->sha_hex,
                              item->raw ? (const char *) item->raw : "",
                              reason,
                              problems,
                              sub ? dcp_codec_kind_name (sub->questionnaire) : NULL,
                              sub ? clean[5] : NULL,
                              sub ? year : NULL,
                              clean[0],
                              clean[1],
                              clean[2],
                              clean[3],
                              clean[4]};
    int lengths[13] = {0, 0, (int) item->raw_len};
    int formats[13] = {0, 0, 1};
    res =
        PQexecPrepared (db, store_sql_name (STORE_SQL_QUARANTINE), 13, values, lengths, formats, 0);
    if ((rc = store_sql_check (db, b, res, PGRES_TUPLES_OK, "quarantine")))
        goto cleanup;
    *new_row = PQntuples (res) == 1;
    PQclear (res);
    res = NULL;
    if (!*new_row) {
        /* Another loader stored the same bytes a moment ago. */
        const char *key[] = {p->id, p->sha_hex, clean[0]};
        *existing = store_sql_run (db, STORE_SQL_FIND_QUARANTINED_ONE, key);
        if ((rc = store_sql_check (db, b, *existing, PGRES_TUPLES_OK, "find quarantined"))) {
            PQclear (*existing);
            *existing = NULL;
        }
        goto cleanup;
    }
    if (fwd->security_event)
        rc = s_security_event (db, b, i, clean[0], clean[1], sub ? clean[5] : "");
cleanup:
    PQclear (res);
    free (problems);
    for (int k = 0; k < 6; k++)
        free (clean[k]);
    return rc;
}

/* Turns a quarantine row (id, sha, reason, problems, stored_at) into the
 * item's outcome. */
static void
s_replay_quarantine (store_item_t *item, PGresult *res, int row)
{
    const char *reason = PQgetvalue (res, row, 2);
    item->status = strcmp (reason, "conflict") == 0 ? DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT
                                                    : DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;
    item->replayed = true;
    snprintf (item->stored_at, sizeof item->stored_at, "%s", PQgetvalue (res, row, 4));
    dcp_findings_destroy (&item->findings);
    item->findings = dcp_findings_new ();
    json_t *arr = json_loads (PQgetvalue (res, row, 3), 0, NULL);
    size_t k;
    json_t *o;
    json_array_foreach (arr, k, o)
    {
        const char *sev = json_string_value (json_object_get (o, "severity"));
        const char *code = json_string_value (json_object_get (o, "code"));
        const char *path = json_string_value (json_object_get (o, "path"));
        const char *msg = json_string_value (json_object_get (o, "message"));
        dcp_severity_t s = sev && strcmp (sev, "warning") == 0 ? DCP_SEV_WARNING
                           : sev && strcmp (sev, "info") == 0  ? DCP_SEV_INFO
                                                               : DCP_SEV_ERROR;
        if (item->findings)
            dcp_findings_add (item->findings, code ? code : "", s, path ? path : "", "%s",
                              msg ? msg : "");
    }
    json_decref (arr);
}

static void
s_log_outcome (const store_item_t *item, const store_plan_t *p)
{
    if (item->status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED && !item->replayed)
        return; /* main.c logs every stored submission at debug level */
    char id[200], country[40];
    const char *c = item->sub && item->sub->reporting_country ? item->sub->reporting_country
                                                              : item->fwd->sender_country;
    dcp_log (item->replayed ? DCP_LOG_DEBUG : DCP_LOG_INFO,
             item->replayed              ? "replayed submission"
             : p->action == STORE_A_WAIT ? "revision waits for its predecessor"
                                         : "quarantined submission",
             "submission=%s country=%s status=%s reason=%s", dcp_log_quote (id, sizeof id, p->id),
             dcp_log_quote (country, sizeof country, c ? c : ""),
             dcp_codec_status_name (item->status), p->reason ? p->reason : "-");
}

static void
s_reset_range (store_batch_t *b, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        store_item_reset (&b->items[i]);
}

/* Old current revisions step down before the new ones arrive, for the
 * one-current-per-series index. */
static int
s_try_supersede (store_try_t *t)
{
    if (!t->unset_ids.len)
        return 0;
    dcp_buf_t lit = {0};
    dcp_buf_appendc (&lit, '{');
    dcp_buf_append (&lit, t->unset_ids.data, t->unset_ids.len);
    dcp_buf_appendc (&lit, '}');
    const char *params[] = {lit.data};
    PGresult *res = lit.err ? NULL : store_sql_run (t->db, STORE_SQL_SUPERSEDE, params);
    int rc = res ? store_sql_check (t->db, t->b, res, PGRES_COMMAND_OK, "supersede") : DCP_ENOMEM;
    PQclear (res);
    dcp_buf_free (&lit);
    return rc;
}

/* COPYs the new submissions, their findings and their section rows.
 * Straight into the tables, not through a staging table and an INSERT ...
 * ON CONFLICT (which wrote every raw submission twice).  The lookup found
 * none of these ids, so a duplicate primary key here means another loader
 * stored one of them since (a resend that reached it): DCP_ERACE, redo
 * the attempt, whose lookup then finds it, rather than bisect as for
 * refused data. */
static int
s_try_insert (store_try_t *t)
{
    store_batch_t *b = t->b;
    dcp_buf_t subs = {0}, findings = {0};
    size_t n_insert = 0;
    int rc = s_build_submissions (t, &subs, &findings, &n_insert);
    if (rc || n_insert == 0)
        goto cleanup;
    rc = store_sql_copy (t->db, b, SECTIONS_SUBMISSION, &subs, NULL, 0, t->lo, t->hi);
    if (rc == DCP_EDB_FATAL && strcmp (b->sqlstate, "23505") == 0
        && strcmp (b->constraint, "submission_pkey") == 0)
        rc = DCP_ERACE;
    for (int tb = 0; tb < SECTIONS_N_SECTION && rc == 0; tb++)
        rc = store_sql_copy (t->db, b, (sections_table_id_t) tb, &b->tab[tb], b->off + tb,
                             SECTIONS_N_SECTION, t->lo, t->hi);
    if (rc == 0)
        rc = store_sql_copy (t->db, b, SECTIONS_FINDING, &findings, NULL, 0, t->lo, t->hi);
cleanup:
    dcp_buf_free (&subs);
    dcp_buf_free (&findings);
    return rc;
}

/* Reads the findings of replayed accepted submissions, to answer them as
 * the first time. */
static int
s_try_replay_findings (store_try_t *t)
{
    store_batch_t *b = t->b;
    const char **ids = calloc (t->hi - t->lo + 1, sizeof *ids);
    size_t n = 0;
    if (!ids)
        return DCP_ENOMEM;
    for (size_t i = t->lo; i < t->hi; i++)
        if (b->plan[i].action == STORE_A_REPLAY_SUB)
            ids[n++] = b->plan[i].id;
    int rc = 0;
    if (n) {
        dcp_buf_t lit = {0};
        const char *params[] = {store_literal (&lit, ids, n)};
        t->replay_findings =
            params[0] ? store_sql_run (t->db, STORE_SQL_FIND_FINDINGS, params) : NULL;
        rc = t->replay_findings
                 ? store_sql_check (t->db, b, t->replay_findings, PGRES_TUPLES_OK, "find findings")
                 : DCP_ENOMEM;
        dcp_buf_free (&lit);
    }
    free (ids);
    return rc;
}

/* Stores the items to quarantine; one stored meanwhile by another loader
 * becomes a replay of that row. */
static int
s_try_quarantine (store_try_t *t)
{
    store_batch_t *b = t->b;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_plan_t *p = &b->plan[i];
        if (p->action != STORE_A_QUARANTINE)
            continue;
        bool new_row;
        PGresult *existing = NULL;
        int rc = s_quarantine (t->db, b, i, p->reason, &new_row, &existing);
        if (rc)
            return rc;
        if (existing && PQntuples (existing) == 1) {
            p->action = STORE_A_REPLAY_QUAR;
            s_replay_quarantine (&b->items[i], existing, 0);
        }
        PQclear (existing);
    }
    return 0;
}

/* The findings stored with a replayed accepted submission, into ITEM. */
static void
s_replay_findings (const store_try_t *t, store_item_t *item, const char *id)
{
    PGresult *f = t->replay_findings;
    for (int r = 0; r < PQntuples (f); r++) {
        if (strcmp (PQgetvalue (f, r, 0), id) != 0)
            continue;
        const char *sev = PQgetvalue (f, r, 2);
        dcp_findings_add (item->findings, PQgetvalue (f, r, 1),
                          strcmp (sev, "warning") == 0 ? DCP_SEV_WARNING
                          : strcmp (sev, "info") == 0  ? DCP_SEV_INFO
                                                       : DCP_SEV_ERROR,
                          PQgetvalue (f, r, 3), "%s", PQgetvalue (f, r, 4));
    }
}

/* Committed: fills in the outcome of every item. */
static void
s_try_outcomes (const store_try_t *t)
{
    store_batch_t *b = t->b;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_item_t *item = &b->items[i];
        store_plan_t *p = &b->plan[i];
        const store_series_t *s = p->series_slot >= 0 ? &t->series[p->series_slot] : NULL;
        if (s && s->has)
            snprintf (item->current_id, sizeof item->current_id, "%s", s->current);
        switch (p->action) {
        case STORE_A_INSERT:
            item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
            snprintf (item->stored_at, sizeof item->stored_at, "%s", t->stored_at);
            break;
        case STORE_A_QUARANTINE:
            item->status = strcmp (p->reason, "conflict") == 0
                               ? DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT
                               : DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;
            snprintf (item->stored_at, sizeof item->stored_at, "%s", t->stored_at);
            break;
        case STORE_A_REPLAY_SUB:
            item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
            item->replayed = true;
            snprintf (item->stored_at, sizeof item->stored_at, "%s",
                      PQgetvalue (t->existing_sub, (int) p->existing_row, 2));
            s_replay_findings (t, item, p->id);
            break;
        case STORE_A_REPLAY_QUAR:
            if (p->existing_row >= 0)
                s_replay_quarantine (item, t->existing_quar, (int) p->existing_row);
            break;
        case STORE_A_WAIT:
            item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER;
            item->stored_at[0] = '\0';
            break;
        default: break;
        }
        /* An answer for good ends a wait (a rare one: look only then). */
        if (b->revwait && p->action != STORE_A_WAIT && item->sub && item->sub->revision_no > 0)
            revwait_forget (b->revwait, p->id);
        s_log_outcome (item, p);
    }
}

/* Exact resends inside the batch answer like their first copy. */
static void
s_try_duplicates (const store_try_t *t)
{
    store_batch_t *b = t->b;
    for (size_t i = t->lo; i < t->hi; i++) {
        if (b->plan[i].action != STORE_A_DUP)
            continue;
        store_item_t *item = &b->items[i], *first = &b->items[b->plan[i].dup_of];
        item->status = first->status;
        item->replayed = true;
        memcpy (item->stored_at, first->stored_at, sizeof item->stored_at);
        memcpy (item->current_id, first->current_id, sizeof item->current_id);
        dcp_findings_destroy (&item->findings);
        item->findings = dcp_findings_new ();
        if (item->findings && first->findings)
            for (size_t k = 0; k < dcp_findings_count (first->findings); k++) {
                const dcp_finding_t *f = dcp_findings_get (first->findings, k);
                dcp_findings_add (item->findings, f->rule, f->severity, f->path, "%s", f->message);
            }
    }
}

/* Stores items [lo, hi) in one transaction.  Returns 0, DCP_EDB_RETRY,
 * DCP_ENOMEM, DCP_EDB_FATAL (the database refused an item's data; rolled
 * back: bisect) or DCP_ERACE (rolled back; another loader inserted one of
 * our ids meanwhile: try again). */
static int
s_try (PGconn *db, store_batch_t *b, size_t lo, size_t hi)
{
    store_try_t t = {.db = db, .b = b, .lo = lo, .hi = hi, .now_ms = dcp_now_ms ()};
    s_reset_range (b, lo, hi);
    int rc = store_sql_prepare (db, b);
    if (rc == 0 && (rc = s_try_lookup (&t)) == 0 && (rc = store_order_decide (&t)) == 0
        && (rc = s_try_supersede (&t)) == 0 && (rc = store_change_check (&t)) == 0
        && (rc = s_try_insert (&t)) == 0 && (rc = s_try_replay_findings (&t)) == 0
        && (rc = s_try_quarantine (&t)) == 0) {
        PGresult *res = PQexec (db, "COMMIT");
        rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, "commit");
        PQclear (res);
    }
    if (rc == 0) {
        store_change_remember (&t);
        s_try_outcomes (&t);
        s_try_duplicates (&t);
    } else {
        db_rollback (db);
        s_reset_range (b, lo, hi);
        if (rc == DCP_EDB_RETRY || rc == DCP_ESTAGE)
            b->prepared_db = NULL; /* new connection or schema: prepare again */
    }
    PQclear (t.existing_sub);
    PQclear (t.existing_quar);
    PQclear (t.replay_findings);
    strmap_free (&t.series_map);
    strmap_free (&t.sub_map);
    strmap_free (&t.quar_map);
    strmap_free (&t.batch_ids);
    strmap_free (&t.item_ids);
    strmap_free (&t.later_by);
    strmap_free (&t.known_map);
    strmap_free (&t.superseded_map);
    PQclear (t.known);
    PQclear (t.superseded_by);
    free (t.sup);
    free (t.series);
    free (t.replaces);
    dcp_buf_free (&t.unset_ids);
    return rc;
}

/* Item I alone made the database refuse its transaction: reject it with a
 * DB-REFUSED finding and keep its bytes in quarantine. */
static int
s_refuse (PGconn *db, store_batch_t *b, size_t i)
{
    store_item_t *item = &b->items[i];
    store_plan_t *p = &b->plan[i];
    char message[800], id[200];
    snprintf (message, sizeof message,
              "the database refused this submission (SQLSTATE %s: %s); it was not loaded:"
              " correct the value and send the response again",
              b->sqlstate, b->sqlmessage);
    dcp_warn ("database refused submission, quarantined", "submission=%s sqlstate=%s",
              dcp_log_quote (id, sizeof id, p->id), b->sqlstate);
    store_item_reset (item);
    item->findings = dcp_findings_new ();
    if (!item->findings)
        return DCP_ENOMEM;
    if (item->fwd->n_problems
        && dcp_findings_from_problems (item->findings, item->fwd->problems, item->fwd->n_problems))
        return DCP_ENOMEM;
    store_add_finding (item, "DB-REFUSED", DCP_SEV_ERROR, "", message);
    item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;

    int rc = store_sql_prepare (db, b);
    PGresult *res = rc ? NULL : PQexec (db, "BEGIN");
    if (res)
        rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, "begin");
    PQclear (res);
    bool new_row = false;
    PGresult *existing = NULL;
    if (rc == 0)
        rc = s_quarantine (db, b, i, "db_refused", &new_row, &existing);
    if (rc == 0) {
        res = store_sql_run (db, STORE_SQL_CLOCK, NULL);
        rc = store_sql_check (db, b, res, PGRES_TUPLES_OK, "clock");
        if (rc == 0)
            snprintf (item->stored_at, sizeof item->stored_at, "%s", PQgetvalue (res, 0, 0));
        PQclear (res);
    }
    if (rc == 0) {
        res = PQexec (db, "COMMIT");
        rc = store_sql_check (db, b, res, PGRES_COMMAND_OK, "commit");
        PQclear (res);
    }
    if (rc == 0 && existing && PQntuples (existing) == 1)
        s_replay_quarantine (item, existing, 0);
    PQclear (existing);
    if (rc == DCP_EDB_FATAL) {
        /* Even the quarantine refused it: answer, but nothing is stored. */
        db_rollback (db);
        item->stored_at[0] = '\0';
        dcp_error ("could not quarantine refused submission", "submission=%s sqlstate=%s",
                   dcp_log_quote (id, sizeof id, p->id), b->sqlstate);
        return 0;
    }
    if (rc) {
        db_rollback (db);
        store_item_reset (item);
    }
    return rc;
}

/* Stores items [lo, hi), bisecting on data errors until the poison item is
 * alone. */
static int
s_store_range (PGconn *db, store_batch_t *b, size_t lo, size_t hi)
{
    int rc = DCP_ERACE;
    for (int attempt = 0; attempt < RACE_ATTEMPTS && rc == DCP_ERACE; attempt++)
        rc = s_try (db, b, lo, hi);
    if (rc == DCP_ERACE)
        return DCP_EDB_RETRY;
    if (rc != DCP_EDB_FATAL)
        return rc;
    if (hi - lo == 1)
        return s_refuse (db, b, lo);
    size_t mid = lo + (hi - lo) / 2;
    rc = s_store_range (db, b, lo, mid);
    return rc ? rc : s_store_range (db, b, mid, hi);
}

int
store_txn_write (PGconn *db, store_batch_t *b)
{
    return s_store_range (db, b, 0, b->n);
}
