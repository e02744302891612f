/* test_validate.c: the validator's decision for one submission (validate.c).
 *
 * Each test feeds the bytes a collector would send and the key it was
 * authenticated with, then reads the decision and the Forward envelope the
 * loader would receive: accepted, or rejected with every reason in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_refdata.h"
#include "validate.h"

#define ID "0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b"

typedef struct {
    char path[64];
    char pak_key[41];      /* registered for PAK */
    char kaz_key[41];      /* registered for KAZ */
    char stranger_key[41]; /* not registered */
    dcp_registry_t *registry;
    validate_opts_t opts;
    validate_decision_t d;
    Dcp__V1__Forward *fwd; /* the envelope, decoded */
    /* a small valid precursor response from Pakistan */
    Dcp__V1__Submission sub;
    Dcp__V1__FocalPoint fp;
    Dcp__V1__Agency agency, *agencies[1];
    Dcp__V1__Precursors pre;
    Dcp__V1__AnnualSeizure seizure, *seizures[1];
} fixture_t;

static void
s_key (char *out)
{
    char secret[41];
    assert_int_equal (zmq_curve_keypair (out, secret), 0);
}

static int
setup (void **state)
{
    static fixture_t f;
    memset (&f, 0, sizeof f);
    s_key (f.pak_key);
    s_key (f.kaz_key);
    s_key (f.stranger_key);
    snprintf (f.path, sizeof f.path, "/tmp/dcp-test-validate.XXXXXX");
    int fd = mkstemp (f.path);
    assert_true (fd >= 0);
    FILE *file = fdopen (fd, "w");
    fprintf (file, "# test registry\n%s PAK Pakistan test collector\n%s KAZ Kazakhstan\n",
             f.pak_key, f.kaz_key);
    fclose (file);
    char err[256];
    f.registry = dcp_registry_load (f.path, err, sizeof err);
    assert_non_null (f.registry);

    dcp_rules_defaults (&f.opts.rules);
    f.opts.max_message = 1 << 20;
    f.opts.registry = f.registry;
    f.opts.validator_id = "validator-test";

    Dcp__V1__Submission *s = &f.sub;
    dcp__v1__submission__init (s);
    s->submission_id = ID;
    s->schema_version = DCP_SCHEMA_VERSION;
    s->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    s->form_version = "PP-2024.1";
    s->reporting_country = "PAK";
    s->reporting_year = 2024;
    s->finalised_at = "2025-03-30T10:00:00Z";
    s->completed_on = "2025-03-30";
    s->geographic_coverage = "NATIONAL";
    s->language = "en";
    dcp__v1__focal_point__init (&f.fp);
    f.fp.name = "A. Focal";
    f.fp.email = "focal.point@example.org";
    s->focal_point = &f.fp;
    dcp__v1__agency__init (&f.agency);
    f.agency.name = "Anti-Narcotics Force";
    f.agency.type = "POLICE";
    f.agencies[0] = &f.agency;
    s->n_contributing_agencies = 1;
    s->contributing_agencies = f.agencies;
    dcp__v1__precursors__init (&f.pre);
    dcp__v1__annual_seizure__init (&f.seizure);
    f.seizure.substance_code = "ACET";
    f.seizure.physical_form = "BULK_LIQUID";
    f.seizure.no_seizures = true;
    f.seizures[0] = &f.seizure;
    f.pre.n_seizures = 1;
    f.pre.seizures = f.seizures;
    s->payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    s->precursors = &f.pre;
    *state = &f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    if (f->fwd)
        dcp__v1__forward__free_unpacked (f->fwd, NULL);
    validate_decision_clear (&f->d);
    dcp_registry_destroy (&f->registry);
    unlink (f->path);
    return 0;
}

/* Decides on PAYLOAD sent by KEY (framing fine, id frame ID) and decodes
 * the envelope into f->fwd. */
static void
s_decide_bytes (fixture_t *f, const void *payload, size_t len, const char *key)
{
    validate_input_t in = {.parts = 3,
                           .id = ID,
                           .payload = payload,
                           .payload_len = len,
                           .sender_key = key,
                           .route = "\0route",
                           .route_len = 6};
    assert_int_equal (validate_submission (&f->opts, &in, &f->d), 0);
    assert_non_null (f->d.forward);
    f->fwd = dcp__v1__forward__unpack (NULL, f->d.forward_len, f->d.forward);
    assert_non_null (f->fwd);
    /* The envelope always says what the decision says. */
    assert_int_equal (f->fwd->rejected, f->d.rejected);
    assert_int_equal (f->fwd->security_event, f->d.security_event);
    assert_int_equal (f->fwd->route.len, 6);
    assert_memory_equal (f->fwd->route.data, "\0route", 6);
    assert_string_equal (f->fwd->validator_id, "validator-test");
    assert_true (f->fwd->received_at[0] != '\0');
}

static void
s_decide (fixture_t *f, const char *key)
{
    size_t len;
    uint8_t *bytes = dcp_codec_pack (&f->sub, &len);
    assert_non_null (bytes);
    s_decide_bytes (f, bytes, len, key);
    free (bytes);
}

/* True if the envelope carries a problem with CODE. */
static bool
s_has (const fixture_t *f, const char *code)
{
    for (size_t i = 0; i < f->fwd->n_problems; i++)
        if (strcmp (f->fwd->problems[i]->code, code) == 0)
            return true;
    return false;
}

static void
s_print (const fixture_t *f)
{
    for (size_t i = 0; i < f->fwd->n_problems; i++)
        fprintf (stderr, "  problem %s %s %s\n", f->fwd->problems[i]->code,
                 f->fwd->problems[i]->path, f->fwd->problems[i]->message);
}

static void
valid_submission_from_its_country_is_forwarded_as_accepted (void **state)
{
    fixture_t *f = *state;
    s_decide (f, f->pak_key);
    if (f->d.rejected)
        s_print (f);
    assert_false (f->d.rejected);
    assert_false (f->d.security_event);
    assert_non_null (f->d.peer);
    assert_string_equal (f->fwd->submission_id, ID);
    assert_string_equal (f->fwd->sender_key, f->pak_key);
    assert_string_equal (f->fwd->sender_country, "PAK");
    assert_string_equal (f->fwd->sender_name, "Pakistan test collector");
    /* warnings and infos travel too: one problem per finding */
    assert_int_equal (f->fwd->n_problems, dcp_findings_count (f->d.findings));
}

static void
wrong_country_is_rejected_as_auth_country (void **state)
{
    fixture_t *f = *state;
    s_decide (f, f->kaz_key);
    assert_true (f->d.rejected);
    assert_true (f->d.security_event);
    assert_true (s_has (f, "AUTH-COUNTRY"));
    assert_string_equal (f->fwd->sender_country, "KAZ");
}

static void
unregistered_key_is_rejected_as_auth_key (void **state)
{
    fixture_t *f = *state;
    s_decide (f, f->stranger_key);
    assert_true (f->d.rejected);
    assert_true (f->d.security_event);
    assert_true (s_has (f, "AUTH-KEY"));
    assert_null (f->d.peer);
    assert_string_equal (f->fwd->sender_key, "");
}

static void
insecure_mode_skips_the_sender_check (void **state)
{
    fixture_t *f = *state;
    f->opts.insecure = true;
    f->opts.registry = NULL;
    s_decide (f, NULL);
    assert_false (f->d.rejected);
    assert_false (s_has (f, "AUTH-KEY"));
}

static void
malformed_protobuf_is_rejected_as_wire_decode (void **state)
{
    fixture_t *f = *state;
    static const uint8_t garbage[] = {0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02};
    s_decide_bytes (f, garbage, sizeof garbage, f->pak_key);
    assert_true (f->d.rejected);
    assert_false (f->d.security_event);
    assert_true (s_has (f, "WIRE-DECODE"));
    assert_string_equal (f->fwd->sender_country, "PAK"); /* the sender is still known */
}

static void
oversized_submission_is_refused_undecoded (void **state)
{
    fixture_t *f = *state;
    f->opts.max_message = 64;
    s_decide (f, f->pak_key);
    assert_true (f->d.rejected);
    assert_true (s_has (f, "WIRE-DECODE"));
    assert_int_equal (f->fwd->n_problems, 1);
    assert_non_null (strstr (f->fwd->problems[0]->message, "bytes received"));
}

static void
invalid_utf8_is_rejected_as_text_utf8 (void **state)
{
    fixture_t *f = *state;
    f->fp.name = "Fran\xe7ois"; /* Latin-1, not UTF-8 */
    s_decide (f, f->pak_key);
    assert_true (f->d.rejected);
    assert_true (s_has (f, "TEXT-UTF8"));
}

static void
rule_failures_are_all_in_the_envelope (void **state)
{
    fixture_t *f = *state;
    f->sub.completed_on = "2025-02-30";   /* no such day */
    f->sub.schema_version = 99;           /* unknown schema */
    f->seizure.substance_code = "NOSUCH"; /* not in the code list */
    s_decide (f, f->kaz_key);             /* and the wrong country */
    if (!s_has (f, "V-PRE-01"))
        s_print (f);
    assert_true (f->d.rejected);
    assert_true (s_has (f, "DATE-FORMAT"));
    assert_true (s_has (f, "ENV-SCHEMA"));
    assert_true (s_has (f, "V-PRE-01"));
    assert_true (s_has (f, "AUTH-COUNTRY"));
    /* every finding is a problem of the envelope, in order, none lost */
    assert_int_equal (f->fwd->n_problems, dcp_findings_count (f->d.findings));
    for (size_t i = 0; i < f->fwd->n_problems; i++)
        assert_string_equal (f->fwd->problems[i]->code, dcp_findings_get (f->d.findings, i)->rule);
}

static void
framing_faults_are_rejected_without_decoding (void **state)
{
    fixture_t *f = *state;
    validate_input_t in = {.framing = DCP_EPROTO,
                           .parts = 5,
                           .id = "",
                           .payload = "xx",
                           .payload_len = 2,
                           .sender_key = f->pak_key,
                           .route = "r",
                           .route_len = 1};
    assert_int_equal (validate_submission (&f->opts, &in, &f->d), 0);
    assert_true (f->d.rejected);
    assert_int_equal (dcp_findings_count (f->d.findings), 1);
    assert_string_equal (dcp_findings_get (f->d.findings, 0)->rule, "WIRE-FRAMING");
    assert_non_null (strstr (dcp_findings_get (f->d.findings, 0)->message, "(5 frames)"));
    validate_decision_clear (&f->d);

    in.framing = DCP_EINVAL;
    assert_int_equal (validate_submission (&f->opts, &in, &f->d), 0);
    assert_true (f->d.rejected);
    assert_string_equal (dcp_findings_get (f->d.findings, 0)->rule, "WIRE-ID");
}

/* A misframed message whose id frame is readable (here: a wrong
 * signature) is answered under that id, and the finding says what was
 * wrong with the framing, in dcp_frame's words. */
static void
misframed_message_keeps_its_readable_id (void **state)
{
    fixture_t *f = *state;
    size_t len;
    uint8_t *bytes = dcp_codec_pack (&f->sub, &len);
    const char *fault = "the first frame is not the protocol signature \"DCP1\" (got 4 bytes "
                        "\"DCP2\"; this server speaks DCP1 only)";
    validate_input_t in = {.framing = DCP_EPROTO,
                           .parts = 3,
                           .id = ID,
                           .payload = bytes,
                           .payload_len = len,
                           .sender_key = f->pak_key,
                           .route = "\0route",
                           .route_len = 6,
                           .framing_fault = fault};
    assert_int_equal (validate_submission (&f->opts, &in, &f->d), 0);
    free (bytes);
    f->fwd = dcp__v1__forward__unpack (NULL, f->d.forward_len, f->d.forward);
    assert_non_null (f->fwd);
    assert_true (f->fwd->rejected);
    assert_string_equal (f->fwd->submission_id, ID); /* the receipt's id */
    assert_int_equal (f->fwd->n_problems, 1);
    assert_string_equal (f->fwd->problems[0]->code, "WIRE-FRAMING");
    assert_non_null (strstr (f->fwd->problems[0]->message, fault));
    assert_null (strstr (f->fwd->problems[0]->message, "got 3"));
}

/* Runs a decision for SUB sent with KEY while stderr goes to a file, and
 * returns what was logged (the caller frees it). */
static char *
s_decide_logged (fixture_t *f, const char *key)
{
    char path[] = "/tmp/dcp-test-validate-log.XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    fflush (stderr);
    int saved = dup (2);
    assert_true (saved >= 0);
    assert_true (dup2 (fd, 2) >= 0);
    s_decide (f, key);
    fflush (stderr);
    dup2 (saved, 2);
    close (saved);
    char *text = calloc (1, 8192);
    assert_non_null (text);
    assert_true (pread (fd, text, 8191, 0) >= 0);
    close (fd);
    unlink (path);
    return text;
}

/* The security log line names the submission AND the claimed country,
 * each in its own quoting buffer (the two once shared one, and the line
 * said claimed=<the submission id>). */
static void
security_log_names_the_claimed_country (void **state)
{
    fixture_t *f = *state;
    dcp_log_init ("validator", DCP_LOG_INFO);
    char *text = s_decide_logged (f, f->kaz_key); /* KAZ's key, a PAK response */
    assert_true (f->d.security_event);
    assert_non_null (strstr (text, "refused submission for another country"));
    assert_non_null (strstr (text, "submission=" ID " "));
    assert_non_null (strstr (text, "country=KAZ claimed=PAK"));
    free (text);
    validate_decision_clear (&f->d);
    dcp__v1__forward__free_unpacked (f->fwd, NULL);
    f->fwd = NULL;

    f->sub.reporting_country = "P A\"K"; /* quoted, and still its own value */
    text = s_decide_logged (f, f->kaz_key);
    assert_non_null (strstr (text, "submission=" ID " "));
    assert_non_null (strstr (text, "claimed=\"P A\\\"K\""));
    free (text);
}

static void
id_frame_must_match_the_submission (void **state)
{
    fixture_t *f = *state;
    f->sub.submission_id = "11111111-2222-4333-8444-555555555555";
    s_decide (f, f->pak_key);
    assert_true (f->d.rejected);
    assert_true (s_has (f, "WIRE-ID-MISMATCH"));
}

static void
rejections_are_counted_once_per_reason (void **state)
{
    fixture_t *f = *state;
    f->fp.name = "\xff";
    f->agency.name = "\xfe";  /* TEXT-UTF8 twice */
    s_decide (f, f->kaz_key); /* AUTH-COUNTRY once */
    dcp_metrics_t *m = dcp_metrics_new ();
    validate_count_reasons (&f->d, m);
    size_t len;
    char *text = dcp_metrics_render (m, &len);
    assert_non_null (text);
    assert_non_null (
        strstr (text, "dcp_validator_rejected_by_reason_total{reason=\"TEXT-UTF8\"} 1\n"));
    assert_non_null (
        strstr (text, "dcp_validator_rejected_by_reason_total{reason=\"AUTH-COUNTRY\"} 1\n"));
    free (text);
    dcp_metrics_destroy (&m);
}

static int
s_group_teardown (void **state)
{
    dcp_refdata_free ();
    return 0;
}

int
main (void)
{
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T (valid_submission_from_its_country_is_forwarded_as_accepted),
        T (wrong_country_is_rejected_as_auth_country),
        T (unregistered_key_is_rejected_as_auth_key),
        T (insecure_mode_skips_the_sender_check),
        T (malformed_protobuf_is_rejected_as_wire_decode),
        T (oversized_submission_is_refused_undecoded),
        T (invalid_utf8_is_rejected_as_text_utf8),
        T (rule_failures_are_all_in_the_envelope),
        T (framing_faults_are_rejected_without_decoding),
        T (misframed_message_keeps_its_readable_id),
        T (security_log_names_the_claimed_country),
        T (id_frame_must_match_the_submission),
        T (rejections_are_counted_once_per_reason),
    };
#undef T
    return cmocka_run_group_tests (tests, NULL, s_group_teardown);
}
