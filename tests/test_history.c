/* test_history.c: the outbox's entries as series and revisions, as
 * `collector status`, `show` and `revise` see them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"

static char s_dir[256];

static int
setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/dcp-test-history.XXXXXX");
    assert_non_null (mkdtemp (s_dir));
    return 0;
}

static int
teardown (void **state)
{
    (void) state;
    char cmd[300];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    return system (cmd);
}

static void
s_make (Dcp__V1__Submission *sub, char *id, int year, unsigned revision_no, char *supersedes)
{
    dcp__v1__submission__init (sub);
    sub->submission_id = id;
    sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    sub->reporting_country = "AFG";
    sub->reporting_year = year;
    sub->revision_no = revision_no;
    sub->supersedes_submission_id = supersedes;
}

/* Takes SUB from file SOURCE and, if STATE is not pending, answers it;
 * a few milliseconds apart so that the order of takes is the order here. */
static void
s_take (outbox_t *ob, const Dcp__V1__Submission *sub, const char *source, outbox_state_t state)
{
    size_t len = 0;
    uint8_t *payload = dcp_codec_pack (sub, &len);
    outbox_file_t file = {source, "{}", 2};
    outbox_state_t st;
    assert_int_equal (outbox_take (ob, sub->submission_id, payload, len, source, &file, 1, &st), 0);
    free (payload);
    if (state != OUTBOX_PENDING)
        assert_int_equal (outbox_finish (ob, sub->submission_id, state == OUTBOX_ACCEPTED,
                                         (const uint8_t *) "", 0),
                          0);
    usleep (20000);
}

static char s_first[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f44";
static char s_rev1[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f45";
static char s_bad[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f46";
static char s_2022[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f47";
static char s_2022b[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f48";

/* AFG precursors 2023: revision 0 accepted, revision 1 accepted, a wrong
 * revision rejected after them; 2022: rejected, then a fixed resend
 * accepted. */
static outbox_t *
s_fill (void)
{
    outbox_t *ob = outbox_new (s_dir);
    assert_non_null (ob);
    Dcp__V1__Submission sub;
    s_make (&sub, s_first, 2023, 0, "");
    s_take (ob, &sub, "afg.json", OUTBOX_ACCEPTED);
    s_make (&sub, s_rev1, 2023, 1, s_first);
    sub.revision_reason = "CORRECTION";
    s_take (ob, &sub, "afg-fixed.json", OUTBOX_ACCEPTED);
    s_make (&sub, s_bad, 2023, 1, s_first);
    sub.form_version = "other answers";
    s_take (ob, &sub, "afg-again.json", OUTBOX_REJECTED);
    s_make (&sub, s_2022, 2022, 0, "");
    s_take (ob, &sub, "2022.json", OUTBOX_REJECTED);
    s_make (&sub, s_2022b, 2022, 0, "");
    sub.form_version = "fixed";
    s_take (ob, &sub, "2022-fixed.json", OUTBOX_ACCEPTED);
    return ob;
}

static void
test_entries_read_back_oldest_first (void **state)
{
    (void) state;
    outbox_t *ob = s_fill ();
    history_t *h = history_new (ob);
    assert_non_null (h);
    assert_int_equal (history_size (h), 5);
    const char *order[] = {s_first, s_rev1, s_bad, s_2022, s_2022b};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal (history_get (h, i)->id, order[i]);
    const history_entry_t *e = history_find (h, s_rev1);
    assert_non_null (e);
    assert_true (e->known);
    assert_int_equal (e->state, OUTBOX_ACCEPTED);
    assert_string_equal (e->country, "AFG");
    assert_int_equal (e->year, 2023);
    assert_int_equal (e->revision_no, 1);
    assert_string_equal (e->supersedes, s_first);
    assert_string_equal (e->source, "afg-fixed.json");
    assert_true (e->taken_at > 0);
    assert_null (history_find (h, "aaaaaaaa-0000-4000-8000-000000000000"));
    history_destroy (&h);
    assert_null (h);
    outbox_destroy (&ob);
}

/* What `revise` builds on: the accepted revision with the highest number,
 * whichever revision of the series is named. */
static void
test_current_is_highest_accepted_revision (void **state)
{
    (void) state;
    outbox_t *ob = s_fill ();
    history_t *h = history_new (ob);
    assert_ptr_equal (history_current (h, history_find (h, s_first)), history_find (h, s_rev1));
    assert_ptr_equal (history_current (h, history_find (h, s_bad)), history_find (h, s_rev1));
    assert_ptr_equal (history_current (h, history_find (h, s_2022)), history_find (h, s_2022b));
    assert_null (history_pending_in_series (h, history_find (h, s_first)));
    history_destroy (&h);

    Dcp__V1__Submission sub;
    s_make (&sub, "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f49", 2023, 2, s_rev1);
    s_take (ob, &sub, "afg-3.json", OUTBOX_PENDING);
    h = history_new (ob);
    assert_string_equal (history_pending_in_series (h, history_find (h, s_first))->id,
                         "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f49");
    assert_null (history_pending_in_series (h, history_find (h, s_2022)));
    history_destroy (&h);
    outbox_destroy (&ob);
}

/* `status` hides a rejection only once a later submission of its series
 * was accepted. */
static void
test_rejection_replaced_only_by_a_later_acceptance (void **state)
{
    (void) state;
    outbox_t *ob = s_fill ();
    history_t *h = history_new (ob);
    assert_true (history_replaced (h, history_find (h, s_2022)));
    assert_false (history_replaced (h, history_find (h, s_bad))); /* nothing accepted since */
    assert_false (history_replaced (h, history_find (h, s_first)));
    history_destroy (&h);
    outbox_destroy (&ob);
}

/* The same answers under another id and other revision fields are found
 * (a file sent before as a revision); other answers or another year not. */
static void
test_same_answers_ignore_id_and_revision_fields (void **state)
{
    (void) state;
    outbox_t *ob = s_fill ();
    history_t *h = history_new (ob);
    Dcp__V1__Submission sub;
    s_make (&sub, "0b7e0c4e-1111-4222-8333-444455556666", 2023, 0, "");
    const history_entry_t *same = history_same_answers (h, &sub);
    assert_non_null (same);
    assert_string_equal (same->id, s_rev1); /* the latest of the two with these answers */
    assert_string_equal (sub.submission_id, "0b7e0c4e-1111-4222-8333-444455556666");
    sub.form_version = "fixed";
    assert_null (history_same_answers (h, &sub));
    sub.reporting_year = 2022;
    assert_string_equal (history_same_answers (h, &sub)->id, s_2022b);
    history_destroy (&h);
    outbox_destroy (&ob);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_entries_read_back_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown (test_current_is_highest_accepted_revision, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_rejection_replaced_only_by_a_later_acceptance, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_same_answers_ignore_id_and_revision_fields, setup,
                                         teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
