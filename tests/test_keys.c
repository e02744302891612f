/* test_keys.c: key files and the partner registry. */
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

#include "dcp_err.h"
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

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_keygen_writes_private_secret_and_public_file, setup, teardown),
        cmocka_unit_test_setup_teardown (test_secret_key_readable_by_others_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_maps_key_to_country, setup, teardown),
        cmocka_unit_test_setup_teardown (test_registry_errors_name_the_line, setup, teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
