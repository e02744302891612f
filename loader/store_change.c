/* store_change.c: rule V-X-03 in a write attempt (store_int.h).  Kept
 * apart from store_txn.c, which runs the attempt, because comparing key
 * figures is a check of its own, run after the decision and before the
 * COPY.
 *
 * Rule V-X-03: a revision that moves a key figure by more than the
 * configured share gets a warning naming the old and new value.  The
 * figures of the new revision come from its message (keyfig_of_submission,
 * nothing is written twice); those of the revision it replaces from the
 * database (dcp.v_key_figures_by_revision, the definition analysts read),
 * or from its message when it is in the same batch. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_decimal.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_hash.h"
#include "keyfig.h"
#include "store_int.h"

/* The path of a figure's section in the response, for the finding. */
static const char *
s_key_figure_path (const char *indicator)
{
    if (strncmp (indicator, "P1_", 3) == 0)
        return "/precursors/seizures";
    if (strncmp (indicator, "C_STR_RECEIVED", 14) == 0)
        return "/financial_flows/str/received_total";
    if (strncmp (indicator, "C_STR_DISSEMINATED", 18) == 0)
        return "/financial_flows/str/disseminated_total";
    if (strncmp (indicator, "D_", 2) == 0)
        return "/financial_flows/enforcement";
    return "/financial_flows/assets";
}

/* True when NEW differs from OLD by more than PCT % of OLD (from 0, any
 * change counts): |new - old| x 100 > pct x |old|, exactly. */
static bool
s_key_figure_moved (const dcp_decimal_t *old, const dcp_decimal_t *new, int pct)
{
    dcp_decimal_t neg = *old, diff, hundred, share, lhs, rhs;
    neg.negative = !neg.negative;
    if (dcp_decimal_add (new, &neg, &diff))
        return true; /* too far apart to subtract */
    diff.negative = false;
    neg.negative = false; /* |old| */
    dcp_decimal_from_int (100, &hundred);
    dcp_decimal_from_int (pct, &share);
    if (dcp_decimal_mul (&diff, &hundred, DCP_DECIMAL_MAX_SCALE, &lhs)
        || dcp_decimal_mul (&neg, &share, DCP_DECIMAL_MAX_SCALE, &rhs))
        return true;
    return dcp_decimal_cmp (&lhs, &rhs) > 0;
}

/* Adds to ITEM a warning for every figure of NEW that moved beyond PCT %
 * from the same figure of OLD; both must be known. */
static void
s_key_figures_compare (store_item_t *item, const keyfig_set_t *old, const keyfig_set_t *new,
                       int pct)
{
    for (size_t i = 0; i < new->n; i++) {
        const keyfig_t *n = &new->v[i];
        for (size_t j = 0; n->known && j < old->n; j++) {
            const keyfig_t *o = &old->v[j];
            if (!o->known || strcmp (o->indicator, n->indicator) != 0
                || strcmp (o->breakdown, n->breakdown) != 0 || strcmp (o->unit, n->unit) != 0
                || !s_key_figure_moved (&o->value, &n->value, pct))
                continue;
            char ot[64], nt[64], change[48] = "", message[700];
            dcp_decimal_format (&o->value, ot, sizeof ot);
            dcp_decimal_format (&n->value, nt, sizeof nt);
            if (!dcp_decimal_is_zero (&o->value))
                snprintf (change, sizeof change, " (%+.1f %%)",
                          100.0 * (strtod (nt, NULL) - strtod (ot, NULL))
                              / (o->value.negative ? -strtod (ot, NULL) : strtod (ot, NULL)));
            snprintf (message, sizeof message,
                      "this revision changes the key figure %s %s from %s%s%s to %s%s%s%s, more"
                      " than the %d %% this loader flags: check the figure; the revision is"
                      " stored and the first-reported value is kept (dcp.v_first_* views)",
                      n->indicator, n->breakdown, ot, *n->unit ? " " : "", n->unit, nt,
                      *n->unit ? " " : "", n->unit, change, pct);
            store_add_finding (item, "V-X-03", DCP_SEV_WARNING, s_key_figure_path (n->indicator),
                               message);
        }
    }
}

/* The item of the attempt with id ID that is inserted, or -1. */
static long
s_batch_insert (const store_try_t *t, const char *id)
{
    for (size_t k = t->lo; k < t->hi; k++)
        if (t->b->plan[k].action == STORE_A_INSERT && strcmp (t->b->plan[k].id, id) == 0)
            return (long) k;
    return -1;
}

/* The cache slot of ID, and whether it holds ID. */
static store_kf_entry_t *
s_cached (store_batch_t *b, const char *id)
{
    if (!b->kf_cache)
        return NULL;
    store_kf_entry_t *e = &b->kf_cache[dcp_hash_str (DCP_HASH_SEED, id) % STORE_KF_CACHE];
    return strcmp (e->id, id) == 0 ? e : NULL;
}

void
store_change_remember (store_try_t *t)
{
    store_batch_t *b = t->b;
    if (b->revision_change_pct < 0)
        return;
    if (!b->kf_cache && !(b->kf_cache = calloc (STORE_KF_CACHE, sizeof *b->kf_cache)))
        return;
    for (size_t i = t->lo; i < t->hi; i++) {
        if (b->plan[i].action != STORE_A_INSERT || !b->items[i].sub)
            continue;
        store_kf_entry_t *e =
            &b->kf_cache[dcp_hash_str (DCP_HASH_SEED, b->plan[i].id) % STORE_KF_CACHE];
        keyfig_set_free (&e->figs);
        e->id[0] = '\0';
        keyfig_of_submission (b->items[i].sub, &e->figs);
        if (!e->figs.err)
            snprintf (e->id, sizeof e->id, "%s", b->plan[i].id);
    }
}

void
store_change_forget (store_batch_t *b)
{
    for (size_t i = 0; b->kf_cache && i < STORE_KF_CACHE; i++)
        keyfig_set_free (&b->kf_cache[i].figs);
    free (b->kf_cache);
    b->kf_cache = NULL;
}

/* Reads the key figures of the stored revisions that revisions of the
 * attempt replace and this batch object does not remember (rows: id,
 * indicator, breakdown, unit, value). */
static int
s_key_figures_read (store_try_t *t, PGresult **res)
{
    size_t n = t->hi - t->lo, n_ids = 0;
    const char **ids = calloc (n + 1, sizeof *ids);
    if (!ids)
        return DCP_ENOMEM;
    for (size_t i = t->lo; i < t->hi; i++)
        if (t->b->plan[i].action == STORE_A_INSERT && t->replaces[i - t->lo][0]
            && s_batch_insert (t, t->replaces[i - t->lo]) < 0
            && !s_cached (t->b, t->replaces[i - t->lo]))
            ids[n_ids++] = t->replaces[i - t->lo];
    int rc = 0;
    if (n_ids) {
        dcp_buf_t lit = {0};
        const char *params[] = {store_literal (&lit, ids, n_ids)};
        *res = params[0] ? store_sql_run (t->db, STORE_SQL_KEY_FIGURES, params) : NULL;
        rc =
            *res ? store_sql_check (t->db, t->b, *res, PGRES_TUPLES_OK, "key figures") : DCP_ENOMEM;
        dcp_buf_free (&lit);
    }
    free (ids);
    return rc;
}

/* Compares every revision of the attempt with the revision it replaces. */
int
store_change_check (store_try_t *t)
{
    store_batch_t *b = t->b;
    if (b->revision_change_pct < 0)
        return 0;
    PGresult *res = NULL;
    int rc = s_key_figures_read (t, &res);
    for (size_t i = t->lo; i < t->hi && rc == 0; i++) {
        const char *replaces = t->replaces[i - t->lo];
        if (b->plan[i].action != STORE_A_INSERT || !replaces[0])
            continue;
        keyfig_set_t old = {0}, new = {0};
        long prev = s_batch_insert (t, replaces);
        const store_kf_entry_t *known = prev < 0 ? s_cached (b, replaces) : NULL;
        if (prev >= 0)
            keyfig_of_submission (b->items[prev].sub, &old);
        for (int r = 0; prev < 0 && !known && res && r < PQntuples (res); r++)
            if (strcmp (PQgetvalue (res, r, 0), replaces) == 0)
                keyfig_put (&old, PQgetvalue (res, r, 1), PQgetvalue (res, r, 2),
                            PQgetvalue (res, r, 3),
                            PQgetisnull (res, r, 4) ? NULL : PQgetvalue (res, r, 4));
        keyfig_of_submission (b->items[i].sub, &new);
        if (old.err || new.err)
            rc = DCP_ENOMEM;
        else
            s_key_figures_compare (&b->items[i], known ? &known->figs : &old, &new,
                                   b->revision_change_pct);
        keyfig_set_free (&old);
        keyfig_set_free (&new);
    }
    PQclear (res);
    return rc;
}
