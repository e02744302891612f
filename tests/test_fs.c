/* test_fs.c: write-all, bounded read, atomic replace, folder syncs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_fs.h"

static char s_dir[64];

static int
setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/dcp-test-fs.XXXXXX");
    return mkdtemp (s_dir) ? 0 : -1;
}

static int
teardown (void **state)
{
    (void) state;
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    return system (cmd) == 0 ? 0 : -1;
}

static void
test_write_all_through_a_pipe (void **state)
{
    (void) state;
    int fds[2];
    assert_int_equal (pipe (fds), 0);
    assert_int_equal (dcp_fs_write_all (fds[1], "hello", 5, -1), 0);
    char got[8] = "";
    assert_int_equal (read (fds[0], got, sizeof got), 5);
    assert_memory_equal (got, "hello", 5);
    close (fds[0]);
    close (fds[1]);
}

static void
test_write_all_gives_up_on_a_stalled_reader (void **state)
{
    (void) state;
    int fds[2];
    assert_int_equal (pipe (fds), 0);
    fcntl (fds[1], F_SETFL, O_NONBLOCK);
    /* Nobody reads: more than a pipe holds must time out, not hang. */
    size_t len = 1u << 20;
    char *big = calloc (1, len);
    assert_non_null (big);
    assert_int_equal (dcp_fs_write_all (fds[1], big, len, 50), DCP_ETIMEDOUT);
    free (big);
    close (fds[0]);
    close (fds[1]);
}

static void
test_write_all_reports_a_bad_fd (void **state)
{
    (void) state;
    assert_int_equal (dcp_fs_write_all (-1, "x", 1, -1), DCP_EIO);
    assert_int_equal (errno, EBADF);
}

static void
test_atomic_write_then_bounded_read (void **state)
{
    (void) state;
    char path[128];
    snprintf (path, sizeof path, "%s/answer.txt", s_dir);
    assert_int_equal (dcp_fs_write_atomic (path, "first", 5), 0);
    assert_int_equal (dcp_fs_write_atomic (path, "second", 6), 0);
    size_t len = 0;
    char *text = dcp_fs_read_file (path, 100, &len);
    assert_non_null (text);
    assert_int_equal (len, 6);
    assert_string_equal (text, "second");
    free (text);
    /* Over the cap: refused with EFBIG. */
    assert_null (dcp_fs_read_file (path, 5, NULL));
    assert_int_equal (errno, EFBIG);
    /* Missing file: NULL with errno from open. */
    snprintf (path, sizeof path, "%s/missing", s_dir);
    assert_null (dcp_fs_read_file (path, 100, NULL));
    assert_int_equal (errno, ENOENT);
}

static void
test_atomic_write_failure_leaves_nothing (void **state)
{
    (void) state;
    char path[128];
    snprintf (path, sizeof path, "%s/no/such/folder/file", s_dir);
    assert_int_equal (dcp_fs_write_atomic (path, "x", 1), DCP_EIO);
    assert_int_equal (errno, ENOENT);
}

static void
test_write_new_never_overwrites (void **state)
{
    (void) state;
    char path[128];
    struct stat st;
    snprintf (path, sizeof path, "%s/key", s_dir);
    assert_int_equal (dcp_fs_write_new (path, 0600, "secret", 6), 0);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    assert_int_equal (dcp_fs_write_new (path, 0600, "other", 5), DCP_EIO);
    assert_int_equal (errno, EEXIST);
    char *text = dcp_fs_read_file (path, 100, NULL);
    assert_string_equal (text, "secret");
    free (text);
}

static void
test_mkdirs_and_folder_syncs (void **state)
{
    (void) state;
    char path[128];
    snprintf (path, sizeof path, "%s/a/b/c", s_dir);
    assert_int_equal (dcp_fs_mkdirs (path), 0);
    assert_int_equal (dcp_fs_mkdirs (path), 0); /* already there: fine */
    assert_int_equal (dcp_fs_sync_dir (path), 0);
    assert_int_equal (dcp_fs_sync_parent (path), 0);
    snprintf (path, sizeof path, "%s/none", s_dir);
    assert_int_equal (dcp_fs_sync_dir (path), DCP_EIO);
    assert_int_equal (errno, ENOENT);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_write_all_through_a_pipe),
        cmocka_unit_test (test_write_all_gives_up_on_a_stalled_reader),
        cmocka_unit_test (test_write_all_reports_a_bad_fd),
        cmocka_unit_test (test_atomic_write_then_bounded_read),
        cmocka_unit_test (test_atomic_write_failure_leaves_nothing),
        cmocka_unit_test (test_write_new_never_overwrites),
        cmocka_unit_test (test_mkdirs_and_folder_syncs),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
