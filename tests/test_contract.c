/* test_contract.c: proto/ERRORS.md lists exactly the codes a receipt can
 * carry, so the contract a client is written from cannot drift from the
 * programs.
 *
 * The codes are not kept in one C list (each rule writes its own id where
 * it finds the problem, which keeps a rule and its id together), so this
 * test reads them where they are written: in the sources of the stages that
 * answer (libdcp/, validator/, loader/), every string literal shaped like a
 * code with a dash ("V-PRE-02", "WIRE-FRAMING") and every literal first code
 * argument of the functions that record a finding ("REQUIRED", "BUSY").
 * The receipt statuses and severities come from the generated protobuf
 * descriptors.  Then, both ways: each of them has a row in a table of
 * ERRORS.md, and each row names one of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_submission.pb-c.h"

#define MAX_CODES 512

typedef struct {
    char *code[MAX_CODES];
    char *where[MAX_CODES]; /* first file it was seen in */
    size_t n;
} codes_t;

static void
s_add (codes_t *set, const char *code, size_t len, const char *where)
{
    for (size_t i = 0; i < set->n; i++)
        if (strlen (set->code[i]) == len && memcmp (set->code[i], code, len) == 0)
            return;
    assert_true (set->n < MAX_CODES);
    set->code[set->n] = strndup (code, len);
    set->where[set->n] = strdup (where);
    set->n++;
}

static bool
s_has (const codes_t *set, const char *code)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp (set->code[i], code) == 0)
            return true;
    return false;
}

static void
s_free (codes_t *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free (set->code[i]);
        free (set->where[i]);
    }
    set->n = 0;
}

static char *
s_read (const char *path)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        fail_msg ("could not open %s", path);
    fseek (f, 0, SEEK_END);
    long size = ftell (f);
    fseek (f, 0, SEEK_SET);
    char *text = malloc ((size_t) size + 1);
    assert_non_null (text);
    assert_int_equal (fread (text, 1, (size_t) size, f), (size_t) size);
    text[size] = '\0';
    fclose (f);
    return text;
}

/* Adds to SET group GROUP of every match of PATTERN in TEXT. */
static void
s_scan (codes_t *set, const char *text, const char *pattern, int group, const char *where)
{
    regex_t re;
    regmatch_t m[4];
    assert_int_equal (regcomp (&re, pattern, REG_EXTENDED), 0);
    for (const char *p = text; regexec (&re, p, 4, m, p == text ? 0 : REG_NOTBOL) == 0;
         p += m[0].rm_eo)
        s_add (set, p + m[group].rm_so, (size_t) (m[group].rm_eo - m[group].rm_so), where);
    regfree (&re);
}

/* Literals that look like codes but are not. */
static const char *const s_not_codes[] = {"YYYY-MM-DD", NULL};

/* Every code the sources of the answering stages can put into a receipt. */
static void
s_emitted (codes_t *set)
{
    static const char *const dirs[] = {"libdcp", "validator", "loader", NULL};
    const char *src = getenv ("DCP_SOURCE_DIR");
    assert_non_null (src);
    codes_t raw = {0};
    for (int d = 0; dirs[d]; d++) {
        char dir[1024];
        snprintf (dir, sizeof dir, "%s/%s", src, dirs[d]);
        DIR *h = opendir (dir);
        assert_non_null (h);
        for (struct dirent *e; (e = readdir (h)) != NULL;) {
            size_t len = strlen (e->d_name);
            if (len < 3 || strcmp (e->d_name + len - 2, ".c") != 0)
                continue;
            char path[2048];
            snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
            char *text = s_read (path);
            s_scan (&raw, text, "\"([A-Z][A-Z0-9]*(-[A-Z0-9]+)+)\"", 1, path);
            s_scan (&raw, text,
                    "(dcp_findings_add|s_add|[a-z_]*add_finding|s_push) \\([^,;()]+, "
                    "*\"([A-Z][A-Z0-9_-]*)\"",
                    2, path);
            free (text);
        }
        closedir (h);
    }
    for (size_t i = 0; i < raw.n; i++) {
        bool skip = false;
        for (int k = 0; s_not_codes[k]; k++)
            skip = skip || strcmp (raw.code[i], s_not_codes[k]) == 0;
        if (!skip)
            s_add (set, raw.code[i], strlen (raw.code[i]), raw.where[i]);
    }
    s_free (&raw);
}

/* The first cell of every table row of ERRORS.md whose first cell is a
 * code in backquotes: "| `V-PRE-02` | ...". */
static void
s_documented (codes_t *set)
{
    char path[1024];
    snprintf (path, sizeof path, "%s/proto/ERRORS.md", getenv ("DCP_SOURCE_DIR"));
    char *text = s_read (path);
    regex_t re;
    regmatch_t m[2];
    assert_int_equal (regcomp (&re, "^\\| `([A-Z][A-Z0-9_-]*)` \\|", REG_EXTENDED | REG_NEWLINE),
                      0);
    for (const char *p = text; regexec (&re, p, 2, m, p == text ? 0 : REG_NOTBOL) == 0;
         p += m[0].rm_eo)
        s_add (set, p + m[1].rm_so, (size_t) (m[1].rm_eo - m[1].rm_so), path);
    regfree (&re);
    free (text);
}

static void
s_enum (codes_t *set, const ProtobufCEnumDescriptor *d)
{
    for (unsigned i = 0; i < d->n_values; i++)
        s_add (set, d->values[i].name, strlen (d->values[i].name), d->name);
}

static void
every_code_is_documented_and_every_documented_code_exists (void **state)
{
    codes_t code = {0}, doc = {0};
    s_emitted (&code);
    /* The scan itself must work: a few codes every version has. */
    assert_true (s_has (&code, "WIRE-FRAMING"));
    assert_true (s_has (&code, "V-PRE-02"));
    assert_true (s_has (&code, "REQUIRED"));
    assert_true (s_has (&code, "CONFLICT"));
    assert_true (s_has (&code, "BUSY"));
    s_enum (&code, &dcp__v1__receipt_status__descriptor);
    s_enum (&code, &dcp__v1__severity__descriptor);
    s_documented (&doc);

    int missing = 0, stale = 0;
    for (size_t i = 0; i < code.n; i++)
        if (!s_has (&doc, code.code[i])) {
            fprintf (stderr, "  %s (from %s) has no row in proto/ERRORS.md\n", code.code[i],
                     code.where[i]);
            missing++;
        }
    for (size_t i = 0; i < doc.n; i++)
        if (!s_has (&code, doc.code[i])) {
            fprintf (stderr, "  proto/ERRORS.md lists %s, which no stage emits\n", doc.code[i]);
            stale++;
        }
    fprintf (stderr, "  %zu codes and enum values in the sources, %zu rows in ERRORS.md\n", code.n,
             doc.n);
    s_free (&code);
    s_free (&doc);
    assert_int_equal (missing, 0);
    assert_int_equal (stale, 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (every_code_is_documented_and_every_documented_code_exists),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
