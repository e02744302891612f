/* store_order.c: the decision per item of a write attempt (store_int.h),
 * with the order of revisions.  Kept apart from store_txn.c, which runs the
 * attempt (lookup, insert, quarantine), because the rules of issue 14 are
 * a job of their own: what a store answers to a revision depending on what
 * arrived before it.
 *
 * Order of revisions (issue 14).  A revision is taken on top of the
 * current submission of its series, pointing at it (V-ENV-06).  Faults can
 * make the two arrive the other way round, so:
 *
 *   - a revision whose predecessor was never stored here (neither accepted
 *     nor in quarantine, nor earlier in this batch) is answered RETRY_LATER,
 *     nothing stored, while revwait.h allows (the bound counts from the
 *     first time this loader asked); its collector sends it again, and
 *     the predecessor, most likely on its way, is stored meanwhile.  Past
 *     the bound, or in a batch without a revwait_t, it is decided as it was
 *     before this rule: a series without a current submission takes it as
 *     current with a V-ENV-06 warning; a series with one refuses it
 *     (V-ENV-06 error, quarantined);
 *   - a submission that arrives after the revision that supersedes it was
 *     stored (the revision waited its bound out, or came through another
 *     path) is accepted as what it is: an earlier revision, stored not
 *     current, with a V-ENV-06 info.  "As first reported" is the lowest
 *     revision (dcp.v_submissions_first_reported), so a first submission
 *     stored this way is still the first reported one.  A valid first
 *     submission is therefore never refused for arriving after its
 *     revision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "revwait.h"
#include "store_int.h"
#include "strmap.h"

static long
s_map_get (const strmap_t *m, const char *key)
{
    return m->slots ? strmap_get (m, key, NULL) : -1;
}

/* Item I arrived after the revision that supersedes it was stored (or
 * inserted earlier in this batch)?  Then it is stored, not current, and
 * true is returned. */
static bool
s_decide_late (store_try_t *t, size_t i)
{
    store_batch_t *b = t->b;
    store_plan_t *p = &b->plan[i];
    const Dcp__V1__Submission *sub = b->items[i].sub;
    const store_series_t *s = &t->series[p->series_slot];
    const char *later_id;
    unsigned later_rev;
    long j = s_map_get (&t->later_by, p->id), r;
    if (j >= 0) {
        later_id = b->plan[j].id;
        later_rev = b->items[j].sub->revision_no;
    } else if ((r = s_map_get (&t->superseded_map, p->id)) >= 0) {
        later_id = PQgetvalue (t->superseded_by, (int) r, 1);
        later_rev = (unsigned) strtoul (PQgetvalue (t->superseded_by, (int) r, 2), NULL, 10);
    } else
        return false;
    if (later_rev != sub->revision_no + 1)
        return false;
    char message[600];
    snprintf (message, sizeof message,
              "arrived after revision %u (%s), which supersedes it: stored as revision %u,"
              " not current; the current submission for %s %s %d is %s",
              later_rev, later_id, sub->revision_no, sub->reporting_country,
              dcp_codec_kind_name (sub->questionnaire), (int) sub->reporting_year, s->current);
    store_add_finding (&b->items[i], "V-ENV-06", DCP_SEV_INFO, "/revision_no", message);
    p->action = STORE_A_INSERT;
    p->is_current = false;
    return true;
}

/* Item I, a revision, names a predecessor never stored here: answer
 * RETRY_LATER (and return true) while its wait lasts. */
static bool
s_decide_wait (store_try_t *t, size_t i)
{
    store_batch_t *b = t->b;
    store_plan_t *p = &b->plan[i];
    const Dcp__V1__Submission *sub = b->items[i].sub;
    const store_series_t *s = &t->series[p->series_slot];
    const char *sup = t->sup[i - t->lo];
    if (!b->revwait || sub->revision_no == 0 || !sup[0]
        || (s->has && strcasecmp (sup, s->current) == 0) || s_map_get (&t->known_map, sup) >= 0)
        return false;
    long j = s_map_get (&t->item_ids, sup);
    if (j >= 0 && (size_t) j < i && b->plan[j].action != STORE_A_NONE
        && b->plan[j].action != STORE_A_WAIT)
        return false; /* decided earlier in this batch */
    if (!revwait_should_wait (b->revwait, p->id, t->now_ms))
        return false; /* waited long enough */
    char message[600];
    snprintf (message, sizeof message,
              "revision %u supersedes %s, which is not stored yet (it is probably still on its"
              " way): not stored now, send it again later; after %ld s of this the revision is"
              " taken without it",
              sub->revision_no, sup, revwait_bound_ms (b->revwait) / 1000);
    store_add_finding (&b->items[i], "V-ENV-06", DCP_SEV_INFO, "/supersedes_submission_id",
                       message);
    p->action = STORE_A_WAIT;
    return true;
}

/* V-ENV-06 for the candidate item I: a series with a current submission
 * only takes its next revision, pointing at it.  Decides insert (the item
 * becomes current, its predecessor steps down), insert not current (it
 * arrived late), wait, or quarantine. */
static void
s_decide_series (store_try_t *t, size_t i)
{
    store_batch_t *b = t->b;
    store_item_t *item = &b->items[i];
    store_plan_t *p = &b->plan[i];
    const Dcp__V1__Submission *sub = item->sub;
    store_series_t *s = &t->series[p->series_slot];
    const char *supersedes = sub->supersedes_submission_id ? sub->supersedes_submission_id : "";
    char message[600];
    if (s->has) {
        bool points = strcasecmp (supersedes, s->current) == 0;
        if (!points || sub->revision_no != s->revision_no + 1) {
            if (s_decide_late (t, i) || s_decide_wait (t, i))
                goto decided;
            snprintf (message, sizeof message,
                      "%s %s %d already has submission %s (revision %u) as current; to"
                      " replace it send a revision with revision_no %u and"
                      " supersedes_submission_id %s%s",
                      sub->reporting_country, dcp_codec_kind_name (sub->questionnaire),
                      (int) sub->reporting_year, s->current, s->revision_no, s->revision_no + 1,
                      s->current, points ? "" : " (a second first submission is a duplicate)");
            store_add_finding (item, "V-ENV-06", DCP_SEV_ERROR,
                               points ? "/revision_no" : "/supersedes_submission_id", message);
            p->action = STORE_A_QUARANTINE;
            p->reason = "revision";
            return;
        }
        snprintf (t->replaces[i - t->lo], sizeof t->replaces[0], "%s", s->current);
        if (s->batch_item >= 0)
            b->plan[s->batch_item].is_current = false;
        else {
            if (t->unset_ids.len)
                dcp_buf_appendc (&t->unset_ids, ',');
            dcp_buf_append (&t->unset_ids, s->current, strlen (s->current));
        }
    } else if (sub->revision_no > 0) {
        if (s_decide_wait (t, i))
            return;
        snprintf (message, sizeof message,
                  "revision %u supersedes %s, which is not stored here; stored as the"
                  " current submission for %s %s %d",
                  sub->revision_no, *supersedes ? supersedes : "(nothing)", sub->reporting_country,
                  dcp_codec_kind_name (sub->questionnaire), (int) sub->reporting_year);
        store_add_finding (item, "V-ENV-06", DCP_SEV_WARNING, "/supersedes_submission_id", message);
    }
    s->has = true;
    snprintf (s->current, sizeof s->current, "%s", p->id);
    s->revision_no = sub->revision_no;
    s->batch_item = (long) i;
    p->action = STORE_A_INSERT;
    p->is_current = true;
decided:
    if (p->action == STORE_A_INSERT && t->sup[i - t->lo][0])
        strmap_put (&t->later_by, t->sup[i - t->lo], NULL, i);
}

/* Replay of an earlier outcome (stored accepted, stored in quarantine for
 * this sender, or a copy earlier in this batch)?  Sets the action and
 * returns true; *FIRST is the earlier item of the batch with the same id,
 * or -1. */
static bool
s_decide_replay (store_try_t *t, size_t i, long *row, long *first)
{
    store_batch_t *b = t->b;
    store_plan_t *p = &b->plan[i];
    *row = p->id_is_uuid ? strmap_get (&t->sub_map, p->id, NULL) : -1;
    *first = strmap_get (&t->batch_ids, p->id, NULL);
    long qrow = strmap_get (&t->quar_map, p->id, p->quar_key);
    if (*row >= 0 && strcmp (PQgetvalue (t->existing_sub, (int) *row, 1), p->sha_hex) == 0) {
        p->action = STORE_A_REPLAY_SUB;
        p->existing_row = *row;
    } else if (qrow >= 0) {
        p->action = STORE_A_REPLAY_QUAR;
        p->existing_row = qrow;
    } else if (*first >= 0 && strcmp (b->plan[*first].sha_hex, p->sha_hex) == 0) {
        p->action = STORE_A_DUP;
        p->dup_of = (size_t) *first;
    }
    return p->action != STORE_A_NONE;
}

/* Decides, in batch order, what happens to each item: replay, conflict,
 * quarantine, or insert (checking V-ENV-06 against the series state). */
int
store_order_decide (store_try_t *t)
{
    store_batch_t *b = t->b;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_item_t *item = &b->items[i];
        store_plan_t *p = &b->plan[i];
        const Dcp__V1__Forward *fwd = item->fwd;
        p->action = STORE_A_NONE;
        p->reason = NULL;
        p->is_current = false;
        p->existing_row = -1;
        if (!(item->findings = dcp_findings_new ()))
            return DCP_ENOMEM;
        long row, first;
        if (s_decide_replay (t, i, &row, &first))
            continue;
        if (fwd->n_problems
            && dcp_findings_from_problems (item->findings, fwd->problems, fwd->n_problems))
            return DCP_ENOMEM;
        strmap_put (&t->batch_ids, p->id, NULL, i);
        if (row >= 0 || (first >= 0 && b->plan[first].action == STORE_A_INSERT)) {
            char message[400];
            snprintf (message, sizeof message,
                      "submission id %s is already stored with other content%s%s; a submission"
                      " id belongs to one content only: send corrections as a revision with a"
                      " new submission id (revision_no + 1, supersedes_submission_id = %s)",
                      p->id, row >= 0 ? " since " : "",
                      row >= 0 ? PQgetvalue (t->existing_sub, (int) row, 2) : "", p->id);
            store_add_finding (item, "CONFLICT", DCP_SEV_ERROR, "/submission_id", message);
            p->action = STORE_A_QUARANTINE;
            p->reason = "conflict";
        } else if (!p->candidate) {
            p->action = STORE_A_QUARANTINE;
            p->reason = !item->sub            ? "undecodable"
                        : fwd->security_event ? "wrong_country"
                                              : "invalid";
        } else
            s_decide_series (t, i);
    }
    return t->unset_ids.err ? DCP_ENOMEM : 0;
}
