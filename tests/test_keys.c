/* test_keys.c: key files, the partner registry, and the operator's edits
 * of the registry file (add, rotate, revoke: atomic, other lines kept). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_keys.h"

static char s_dir[64];

static int
setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/dcp-test-keys.XXXXXX");
    return mkdtemp (s_dir) ? 0 : -1;
}

static int
teardown (void **state)
{
    (void) state;
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    return system (cmd);
}

static void
test_keygen_writes_private_secret_and_public_file (void **state)
{
    (void) state;
    char path[128], pub[140], err[256];
    struct stat st;
    dcp_keypair_t kp, back, pubonly;
    snprintf (path, sizeof path, "%s/c.key", s_dir);
    snprintf (pub, sizeof pub, "%s.pub", path);
    assert_int_equal (dcp_keys_generate (path, &kp), 0);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    assert_int_equal (dcp_keys_load (path, &back, err, sizeof err), 0);
    assert_string_equal (back.public_key, kp.public_key);
    assert_string_equal (back.secret_key, kp.secret_key);
    assert_int_equal (dcp_keys_load (pub, &pubonly, err, sizeof err), 0);
    assert_string_equal (pubonly.public_key, kp.public_key);
    assert_string_equal (pubonly.secret_key, "");
    /* Never overwrite an existing key. */
    assert_int_equal (dcp_keys_generate (path, NULL), DCP_EIO);
    assert_int_equal (errno, EEXIST);
}

static void
test_secret_key_readable_by_others_is_refused (void **state)
{
    (void) state;
    char path[128], err[256];
    dcp_keypair_t kp;
    snprintf (path, sizeof path, "%s/open.key", s_dir);
    assert_int_equal (dcp_keys_generate (path, NULL), 0);
    chmod (path, 0644);
    assert_int_equal (dcp_keys_load (path, &kp, err, sizeof err), DCP_EINVAL);
    assert_non_null (strstr (err, "chmod 600"));
}

static void
test_registry_maps_key_to_country (void **state)
{
    (void) state;
    char keypath[128], regpath[128], err[256];
    dcp_keypair_t a, b;
    snprintf (keypath, sizeof keypath, "%s/a.key", s_dir);
    assert_int_equal (dcp_keys_generate (keypath, &a), 0);
    snprintf (keypath, sizeof keypath, "%s/b.key", s_dir);
    assert_int_equal (dcp_keys_generate (keypath, &b), 0);
    snprintf (regpath, sizeof regpath, "%s/partners.txt", s_dir);
    FILE *f = fopen (regpath, "w");
    fprintf (f, "# partners\n\n%s AFG Ministry of Counter Narcotics\n  %s KAZ FIU of Kazakhstan\n",
             a.public_key, b.public_key);
    fclose (f);
    dcp_registry_t *reg = dcp_registry_load (regpath, err, sizeof err);
    assert_non_null (reg);
    assert_int_equal (dcp_registry_size (reg), 2);
    const dcp_peer_t *p = dcp_registry_find (reg, b.public_key);
    assert_non_null (p);
    assert_string_equal (p->country, "KAZ");
    assert_string_equal (p->name, "FIU of Kazakhstan");
    assert_null (dcp_registry_find (reg, "not-a-key"));
    assert_null (dcp_registry_find (reg, NULL));
    dcp_registry_destroy (&reg);
    assert_null (reg);
}

static void
test_registry_errors_name_the_line (void **state)
{
    (void) state;
    char regpath[128], err[256];
    snprintf (regpath, sizeof regpath, "%s/bad.txt", s_dir);
    FILE *f = fopen (regpath, "w");
    fprintf (f, "# ok\nshortkey afg somebody\n");
    fclose (f);
    assert_null (dcp_registry_load (regpath, err, sizeof err));
    assert_non_null (strstr (err, ":2:"));
}

/* A valid public key made from BYTE0 and FILL: keys with the same BYTE0
 * share their first 5 Z85 characters, with the same first 8 bytes their
 * first 10. */
static void
s_key (char out[DCP_KEY_Z85_LEN + 1], uint8_t fill, uint8_t last)
{
    uint8_t bin[32];
    memset (bin, fill, sizeof bin);
    bin[31] = last;
    assert_non_null (zmq_z85_encode (out, bin, sizeof bin));
}

static char *
s_read (const char *path)
{
    char *text = dcp_fs_read_file (path, 1 << 20, NULL);
    assert_non_null (text);
    return text;
}

static void
s_write (const char *path, const char *text)
{
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
}

static void
test_registry_add_keeps_other_lines_and_mode (void **state)
{
    (void) state;
    char reg[128], err[256], a[41], b[41], want[1024];
    dcp_peer_t done;
    struct stat st;
    s_key (a, 1, 1);
    s_key (b, 2, 2);
    snprintf (reg, sizeof reg, "%s/partners", s_dir);
    snprintf (want, sizeof want, "# partners\n\n%s AFG first\n# trailing comment", a);
    s_write (reg, want); /* no final newline: one is added before the entry */
    chmod (reg, 0640);
    assert_int_equal (dcp_registry_add (reg, b, "KAZ", "FIU of Kazakhstan", &done, err, sizeof err),
                      0);
    assert_string_equal (done.public_key, b);
    assert_string_equal (done.country, "KAZ");
    char *text = s_read (reg);
    snprintf (want, sizeof want,
              "# partners\n\n%s AFG first\n# trailing comment\n%s  KAZ  FIU of Kazakhstan\n", a, b);
    assert_string_equal (text, want);
    free (text);
    assert_int_equal (stat (reg, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0640);
    char lock[160];
    snprintf (lock, sizeof lock, "%s.new", reg);
    assert_int_equal (access (lock, F_OK), -1); /* no temporary left behind */
    dcp_registry_t *r = dcp_registry_load (reg, err, sizeof err);
    assert_non_null (r);
    assert_string_equal (dcp_registry_find (r, b)->name, "FIU of Kazakhstan");
    dcp_registry_destroy (&r);
}

static void
test_registry_add_refuses_bad_input_and_duplicates (void **state)
{
    (void) state;
    char reg[128], err[256], a[41], bad[41];
    s_key (a, 1, 1);
    snprintf (reg, sizeof reg, "%s/partners", s_dir);
    s_write (reg, "# partners\n");
    assert_int_equal (dcp_registry_add (reg, a, "AFG", "one", NULL, err, sizeof err), 0);
    char *before = s_read (reg);
    assert_int_equal (dcp_registry_add (reg, a, "TJK", "again", NULL, err, sizeof err), DCP_EINVAL);
    assert_non_null (strstr (err, "already registered (line 2)"));
    /* 40 characters, but not Z85 of 32 bytes; too short; bad country; bad names. */
    memset (bad, 'x', 40);
    bad[39] = '"';
    bad[40] = '\0';
    assert_int_equal (dcp_registry_add (reg, bad, "AFG", "n", NULL, err, sizeof err), DCP_EINVAL);
    assert_int_equal (dcp_registry_add (reg, "abc", "AFG", "n", NULL, err, sizeof err), DCP_EINVAL);
    char b[41];
    s_key (b, 2, 2);
    assert_int_equal (dcp_registry_add (reg, b, "afg", "n", NULL, err, sizeof err), DCP_EINVAL);
    assert_int_equal (dcp_registry_add (reg, b, "AFGH", "n", NULL, err, sizeof err), DCP_EINVAL);
    assert_int_equal (dcp_registry_add (reg, b, "AFG", "", NULL, err, sizeof err), DCP_EINVAL);
    assert_int_equal (dcp_registry_add (reg, b, "AFG", "two\nlines", NULL, err, sizeof err),
                      DCP_EINVAL);
    assert_int_equal (dcp_registry_add (reg, b, "AFG", "bad \xff utf-8", NULL, err, sizeof err),
                      DCP_EINVAL);
    char *after = s_read (reg);
    assert_string_equal (after, before); /* every refusal leaves the file as it was */
    free (before);
    free (after);
}

static void
test_registry_add_creates_a_missing_file (void **state)
{
    (void) state;
    char reg[128], err[256], a[41];
    s_key (a, 1, 1);
    snprintf (reg, sizeof reg, "%s/new-partners", s_dir);
    assert_int_equal (dcp_registry_add (reg, a, "AFG", "one", NULL, err, sizeof err), 0);
    dcp_registry_t *r = dcp_registry_load (reg, err, sizeof err);
    assert_non_null (r);
    assert_int_equal (dcp_registry_size (r), 1);
    dcp_registry_destroy (&r);
}

static void
test_registry_rotate_in_place_by_prefix (void **state)
{
    (void) state;
    char reg[128], err[256], a[41], b[41], c[41], want[1024];
    dcp_peer_t done;
    s_key (a, 1, 1);
    s_key (b, 2, 2);
    s_key (c, 3, 3);
    snprintf (reg, sizeof reg, "%s/partners", s_dir);
    snprintf (want, sizeof want, "# head\n%s  AFG  Kabul office\n%s KAZ Astana\n", a, b);
    s_write (reg, want);
    char prefix[9];
    snprintf (prefix, sizeof prefix, "%.8s", a);
    assert_int_equal (dcp_registry_rotate (reg, prefix, c, &done, err, sizeof err), 0);
    assert_string_equal (done.public_key, a);
    assert_string_equal (done.country, "AFG");
    assert_string_equal (done.name, "Kabul office");
    char *text = s_read (reg);
    /* "# head", the old line as a comment, the new key with the same
     * country and name in its place, then the rest as it was. */
    assert_true (strncmp (text, "# head\n# rotated out 20", 23) == 0);
    snprintf (want, sizeof want, "Z: %s  AFG  Kabul office\n%s  AFG  Kabul office\n%s KAZ Astana\n",
              a, c, b);
    assert_non_null (strstr (text, want));
    free (text);
    dcp_registry_t *r = dcp_registry_load (reg, err, sizeof err);
    assert_null (dcp_registry_find (r, a));
    assert_string_equal (dcp_registry_find (r, c)->country, "AFG");
    dcp_registry_destroy (&r);
    /* The new key must not be registered already. */
    assert_int_equal (dcp_registry_rotate (reg, c, b, NULL, err, sizeof err), DCP_EINVAL);
    assert_non_null (strstr (err, "already registered"));
}

static void
test_registry_revoke_matches_one_entry_only (void **state)
{
    (void) state;
    char reg[128], err[256], a[41], a2[41], b[41], text_in[512];
    s_key (a, 1, 1);
    s_key (a2, 1, 2); /* shares its first 35 characters with A */
    s_key (b, 2, 2);
    snprintf (reg, sizeof reg, "%s/partners", s_dir);
    snprintf (text_in, sizeof text_in, "%s AFG one\n%s AFG two\n%s KAZ three\n", a, a2, b);
    s_write (reg, text_in);
    char prefix[11];
    snprintf (prefix, sizeof prefix, "%.10s", a);
    assert_int_equal (dcp_registry_revoke (reg, prefix, NULL, err, sizeof err), DCP_EINVAL);
    assert_non_null (strstr (err, "2 registered keys start with"));
    assert_int_equal (dcp_registry_revoke (reg, "1234567", NULL, err, sizeof err), DCP_EINVAL);
    assert_int_equal (dcp_registry_revoke (reg, "zzzzzzzzzz", NULL, err, sizeof err), DCP_EINVAL);
    assert_non_null (strstr (err, "no registered key starts with"));
    char *same = s_read (reg);
    assert_string_equal (same, text_in);
    free (same);

    dcp_peer_t done;
    assert_int_equal (dcp_registry_revoke (reg, a2, &done, err, sizeof err), 0);
    assert_string_equal (done.name, "two");
    dcp_registry_t *r = dcp_registry_load (reg, err, sizeof err);
    assert_int_equal (dcp_registry_size (r), 2);
    assert_null (dcp_registry_find (r, a2));
    assert_non_null (dcp_registry_find (r, a));
    dcp_registry_destroy (&r);
    char *text = s_read (reg);
    assert_non_null (strstr (text, "\n# revoked 20"));
    assert_true (strncmp (text, a, 40) == 0); /* order kept */
    free (text);
    /* Revoked once; a second time there is nothing to revoke. */
    assert_int_equal (dcp_registry_revoke (reg, a2, NULL, err, sizeof err), DCP_EINVAL);
}

static void
test_registry_edit_is_locked_and_refuses_a_broken_file (void **state)
{
    (void) state;
    char reg[128], lock[160], err[256], a[41];
    s_key (a, 1, 1);
    snprintf (reg, sizeof reg, "%s/partners", s_dir);
    snprintf (lock, sizeof lock, "%s.new", reg);
    s_write (reg, "# partners\n");
    s_write (lock, "another edit in progress");
    assert_int_equal (dcp_registry_add (reg, a, "AFG", "one", NULL, err, sizeof err), DCP_EAGAIN);
    assert_non_null (strstr (err, "another edit is running"));
    assert_int_equal (access (lock, F_OK), 0); /* not ours to remove */
    unlink (lock);
    s_write (reg, "# partners\nnot a key line\n");
    assert_int_equal (dcp_registry_add (reg, a, "AFG", "one", NULL, err, sizeof err), DCP_ECONFIG);
    assert_non_null (strstr (err, ":2:"));
    char *text = s_read (reg);
    assert_string_equal (text, "# partners\nnot a key line\n");
    free (text);
    assert_int_equal (access (lock, F_OK), -1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_keygen_writes_private_secret_and_public_file, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_secret_key_readable_by_others_is_refused, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_registry_maps_key_to_country, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_errors_name_the_line, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_add_keeps_other_lines_and_mode, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_registry_add_refuses_bad_input_and_duplicates, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_registry_add_creates_a_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_rotate_in_place_by_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_revoke_matches_one_entry_only, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_registry_edit_is_locked_and_refuses_a_broken_file,
                                         setup, teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
