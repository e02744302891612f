/* test_outbox.c: the collector's durable outbox. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dcp_err.h"
#include "outbox.h"

static char s_dir[256];

static int
setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/dcp-test-outbox.XXXXXX");
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
s_make (Dcp__V1__Submission *sub, char *id)
{
    dcp__v1__submission__init (sub);
    sub->submission_id = id;
    sub->reporting_country = "AFG";
    sub->reporting_year = 2023;
}

/* Packs SUB and takes it with ORIGINAL (LEN bytes) as its one file, as the
 * collector does for a response without CSV files. */
static int
s_take (outbox_t *ob, const Dcp__V1__Submission *sub, const char *source, const char *original,
        size_t len, outbox_state_t *st)
{
    size_t plen = 0;
    uint8_t *payload = dcp_codec_pack (sub, &plen);
    assert_non_null (payload);
    outbox_file_t file = {source, original, len};
    int rc = outbox_take (ob, sub->submission_id, payload, plen, source, &file, 1, st);
    free (payload);
    return rc;
}

static int
s_collect (const char *id, void *arg)
{
    char *out = arg;
    strcat (out, id);
    strcat (out, ";");
    return 0;
}

static void
test_take_then_finish_moves_entry_with_receipt (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    assert_non_null (ob);
    char id[] = "5f0c7a52-8d5e-4a8e-9c1b-0d7a3e2f1b6c";
    Dcp__V1__Submission sub;
    s_make (&sub, id);
    outbox_state_t st;
    assert_int_equal (s_take (ob, &sub, "a.json", "{}", 2, &st), 0);
    assert_int_equal (st, OUTBOX_PENDING);
    assert_int_equal (outbox_sync (ob), 0);
    assert_int_equal (outbox_pending_count (ob), 1);

    /* The bytes to send decode to what was taken. */
    size_t len;
    uint8_t *payload = outbox_payload (ob, id, &len);
    assert_non_null (payload);
    Dcp__V1__Submission *back = dcp_codec_unpack (payload, len, 1 << 20);
    assert_non_null (back);
    assert_string_equal (back->reporting_country, "AFG");
    dcp_codec_free (&back);
    free (payload);

    assert_int_equal (outbox_finish (ob, id, true, (const uint8_t *) "R\0x", 3), 0);
    assert_int_equal (outbox_sync (ob), 0);
    assert_int_equal (outbox_state (ob, id), OUTBOX_ACCEPTED);
    assert_int_equal (outbox_pending_count (ob), 0);
    /* "R\0x" is no receipt of this entry, so it is read back from
     * receipts.log, as after a crash that lost the unflushed receipt.pb. */
    size_t rlen = 0;
    uint8_t *receipt = outbox_receipt (ob, id, &rlen);
    assert_non_null (receipt);
    assert_int_equal (rlen, 3);
    assert_memory_equal (receipt, "R\0x", 3);
    free (receipt);
    char *orig = outbox_read (ob, id, "original");
    assert_string_equal (orig, "{}");
    free (orig);
    /* Finishing twice is harmless (a late duplicate receipt). */
    assert_int_equal (outbox_finish (ob, id, true, (const uint8_t *) "R", 1), 0);
    outbox_destroy (&ob);
    assert_null (ob);
}

/* A real receipt comes back from the entry's receipt.pb; after a crash
 * that left receipt.pb empty and tore the log's last record, an intact
 * earlier record still answers, and the torn one is ignored. */
/* A response whose JSON names CSV files keeps every file it was read from,
 * byte for byte, with an index naming the CSV files. */
static void
test_take_keeps_every_file_read (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char id[] = "5f0c7a52-8d5e-4a8e-9c1b-0d7a3e2f1b6d";
    Dcp__V1__Submission sub;
    s_make (&sub, id);
    size_t plen = 0;
    uint8_t *payload = dcp_codec_pack (&sub, &plen);
    outbox_file_t files[] = {{"r.json", "{\"seizures\": \"s.csv\"}", 21},
                             {"s.csv", "a,b\n1,\0\n", 8}};
    outbox_state_t st;
    assert_int_equal (outbox_take (ob, id, payload, plen, "r.json", files, 2, &st), 0);
    assert_int_equal (st, OUTBOX_PENDING);
    size_t len = 0;
    char *bytes = outbox_read_n (ob, id, "original.1", &len);
    assert_int_equal (len, 8);
    assert_memory_equal (bytes, "a,b\n1,\0\n", 8);
    free (bytes);
    char *index = outbox_read (ob, id, "originals");
    assert_string_equal (index, "original.1\ts.csv\n");
    free (index);
    uint8_t *sent = outbox_payload (ob, id, &len);
    assert_int_equal (len, plen);
    assert_memory_equal (sent, payload, plen);
    free (sent);
    free (payload);
    outbox_destroy (&ob);
}

static void
test_receipt_survives_lost_file_and_torn_log (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char a[] = "11111111-2222-4333-8444-555555555555", b[] = "11111111-2222-4333-8444-666666666666";
    Dcp__V1__Submission sub;
    outbox_state_t st;
    s_make (&sub, a);
    assert_int_equal (s_take (ob, &sub, "a.json", "{}", 2, &st), 0);
    s_make (&sub, b);
    assert_int_equal (s_take (ob, &sub, "b.json", "{}", 2, &st), 0);

    Dcp__V1__Receipt r = DCP__V1__RECEIPT__INIT;
    r.submission_id = a;
    r.status = DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
    uint8_t bytes[256];
    size_t n = dcp__v1__receipt__pack (&r, bytes);
    assert_int_equal (outbox_finish (ob, a, true, bytes, n), 0);
    r.submission_id = b;
    r.status = DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;
    uint8_t bytes_b[256];
    size_t nb = dcp__v1__receipt__pack (&r, bytes_b);
    assert_int_equal (outbox_finish (ob, b, false, bytes_b, nb), 0);
    assert_int_equal (outbox_sync (ob), 0);

    size_t len = 0;
    uint8_t *got = outbox_receipt (ob, a, &len);
    assert_non_null (got);
    assert_int_equal (len, n);
    assert_memory_equal (got, bytes, n);
    free (got);

    /* The crash: both receipt.pb files lost, the log's last record torn. */
    char path[4096];
    snprintf (path, sizeof path, "%s/accepted/%s/receipt.pb", s_dir, a);
    assert_int_equal (truncate (path, 0), 0);
    snprintf (path, sizeof path, "%s/rejected/%s/receipt.pb", s_dir, b);
    assert_int_equal (truncate (path, 0), 0);
    snprintf (path, sizeof path, "%s/receipts.log", s_dir);
    struct stat sb;
    assert_int_equal (stat (path, &sb), 0);
    assert_int_equal (truncate (path, sb.st_size - 3), 0);

    got = outbox_receipt (ob, a, &len);
    assert_non_null (got);
    assert_int_equal (len, n);
    assert_memory_equal (got, bytes, n);
    free (got);
    assert_null (outbox_receipt (ob, b, &len));
    outbox_destroy (&ob);
}

static void
test_taking_same_id_twice_keeps_one_entry (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char id[] = "0b7e0c4e-1111-4222-8333-444455556666";
    Dcp__V1__Submission sub;
    s_make (&sub, id);
    outbox_state_t st;
    assert_int_equal (s_take (ob, &sub, "a.json", "x", 1, &st), 0);
    assert_int_equal (s_take (ob, &sub, "a.json", "x", 1, &st), 0);
    assert_int_equal (st, OUTBOX_PENDING);
    assert_int_equal (outbox_pending_count (ob), 1);
    outbox_destroy (&ob);
}

/* An id names one content: an edited file that kept its submission_id is
 * refused (pending or answered) and the entry keeps what was taken first;
 * the same content again is still answered from the entry. */
static void
test_same_id_with_other_content_is_refused (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char id[] = "c2a7e4d1-5f38-4b9a-8e61-0d9c3b7a2f44";
    Dcp__V1__Submission sub, edited;
    s_make (&sub, id);
    s_make (&edited, id);
    edited.reporting_year = 2024; /* a figure changed, the id kept */
    outbox_state_t st;
    time_t before = time (NULL);
    assert_int_equal (s_take (ob, &sub, "a.json", "x", 1, &st), 0);
    assert_int_equal (st, OUTBOX_PENDING);
    struct timespec taken;
    assert_int_equal (outbox_taken_at (ob, id, &taken), 0);
    assert_true (taken.tv_sec >= before - 1 && taken.tv_sec <= time (NULL) + 1);
    assert_int_equal (outbox_taken_at (ob, "aaaaaaaa-0000-4000-8000-00000000dead", &taken),
                      DCP_EINVAL);
    assert_int_equal (taken.tv_sec, 0);

    st = OUTBOX_NONE;
    assert_int_equal (s_take (ob, &edited, "b.json", "y", 1, &st), DCP_ECONFLICT);
    assert_int_equal (st, OUTBOX_PENDING);
    char *source = outbox_read (ob, id, "source");
    assert_string_equal (source, "a.json");
    free (source);

    assert_int_equal (outbox_finish (ob, id, true, (const uint8_t *) "R", 1), 0);
    assert_int_equal (s_take (ob, &edited, "b.json", "y", 1, &st), DCP_ECONFLICT);
    assert_int_equal (st, OUTBOX_ACCEPTED);
    assert_int_equal (s_take (ob, &sub, "c.json", "x", 1, &st), 0);
    assert_int_equal (st, OUTBOX_ACCEPTED);
    size_t len = 0;
    char *kept = outbox_read_n (ob, id, "submission.pb", &len);
    Dcp__V1__Submission *back = dcp_codec_unpack ((uint8_t *) kept, len, 1 << 20);
    assert_non_null (back);
    assert_int_equal (back->reporting_year, 2023);
    dcp_codec_free (&back);
    free (kept);
    outbox_destroy (&ob);
}

static void
test_hostile_id_is_refused (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char id[] = "../../etc/passwd";
    Dcp__V1__Submission sub;
    s_make (&sub, id);
    outbox_state_t st;
    assert_int_equal (s_take (ob, &sub, "a.json", "x", 1, &st), DCP_EINVAL);
    assert_int_equal (outbox_state (ob, id), OUTBOX_NONE);
    assert_null (outbox_payload (ob, id, NULL));
    outbox_destroy (&ob);
}

static void
test_each_lists_oldest_first (void **state)
{
    (void) state;
    outbox_t *ob = outbox_new (s_dir);
    char id1[] = "aaaaaaaa-0000-4000-8000-000000000001";
    char id2[] = "aaaaaaaa-0000-4000-8000-000000000002";
    Dcp__V1__Submission sub;
    outbox_state_t st;
    s_make (&sub, id2);
    assert_int_equal (s_take (ob, &sub, "2", "2", 1, &st), 0);
    usleep (20000);
    s_make (&sub, id1);
    assert_int_equal (s_take (ob, &sub, "1", "1", 1, &st), 0);
    char seen[200] = "";
    assert_int_equal (outbox_each (ob, OUTBOX_PENDING, s_collect, seen), 0);
    char want[200];
    snprintf (want, sizeof want, "%s;%s;", id2, id1);
    assert_string_equal (seen, want);
    outbox_destroy (&ob);
}

/* Entries taken within one tick of the file system's clock (a few
 * milliseconds: many takes a millisecond are normal) still list in the
 * order they were taken, also after the outbox is opened again (a
 * restarted collector), even when their ids sort the other way.  (The
 * outbox used to list by the folder's time, ties by id: a correction could
 * be sent before the response it corrects.) */
static void
test_each_lists_in_take_order_within_a_tick (void **state)
{
    (void) state;
    enum { N = 40 };
    char ids[N][40];
    /* In memory if possible: takes without a disk flush are many per tick. */
    char dir[300];
    snprintf (dir, sizeof dir, "/dev/shm/dcp-test-outbox.XXXXXX");
    if (!mkdtemp (dir))
        snprintf (dir, sizeof dir, "%s/fast", s_dir);
    outbox_t *ob = outbox_new (dir);
    assert_non_null (ob);
    Dcp__V1__Submission sub;
    outbox_state_t st;
    char want[N * 40 + 1] = "";
    for (int k = 0; k < N; k++) {
        snprintf (ids[k], sizeof ids[k], "bbbbbbbb-0000-4000-8000-%012d", N - k);
        s_make (&sub, ids[k]);
        assert_int_equal (s_take (ob, &sub, "x", "x", 1, &st), 0);
        strcat (want, ids[k]);
        strcat (want, ";");
    }
    outbox_destroy (&ob);
    ob = outbox_new (dir);
    char seen[N * 40 + 1] = "";
    assert_int_equal (outbox_each (ob, OUTBOX_PENDING, s_collect, seen), 0);
    outbox_destroy (&ob);
    char cmd[400];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal (system (cmd), 0);
    assert_string_equal (seen, want);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_take_then_finish_moves_entry_with_receipt, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_take_keeps_every_file_read, setup, teardown),
        cmocka_unit_test_setup_teardown (test_receipt_survives_lost_file_and_torn_log, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_taking_same_id_twice_keeps_one_entry, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_same_id_with_other_content_is_refused, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_hostile_id_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown (test_each_lists_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown (test_each_lists_in_take_order_within_a_tick, setup,
                                         teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
