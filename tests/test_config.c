/* test_config.c: table-driven configuration: defaults, files, environment,
 * flags, and the errors a bad file gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_config.h"
#include "dcp_err.h"

typedef struct {
    char bind[64];
    long window;
    bool insecure;
} cfg_t;

static const dcp_cfg_option_t s_opts[] = {
    {"bind", DCP_CFG_STR, "tcp://127.0.0.1:1", offsetof (cfg_t, bind), 64, "endpoint"},
    {"window", DCP_CFG_INT, "64", offsetof (cfg_t, window), sizeof (long), "window"},
    {"insecure", DCP_CFG_BOOL, "false", offsetof (cfg_t, insecure), sizeof (bool), "dev"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static char *
s_file (const char *text)
{
    static char path[64];
    snprintf (path, sizeof path, "/tmp/dcp-test-config.XXXXXX");
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    assert_int_equal (write (fd, text, strlen (text)), (ssize_t) strlen (text));
    close (fd);
    return path;
}

static void
test_defaults_then_file_then_env_then_flags (void **state)
{
    (void) state;
    cfg_t c;
    char err[256];
    assert_int_equal (dcp_config_defaults (s_opts, &c, err, sizeof err), 0);
    assert_string_equal (c.bind, "tcp://127.0.0.1:1");
    assert_int_equal (c.window, 64);

    char *path = s_file ("# comment\n[validator]\nwindow = 8\ninsecure = yes\n");
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), 0);
    assert_int_equal (c.window, 8);
    assert_true (c.insecure);
    unlink (path);

    setenv ("DCP_TEST_WINDOW", "16", 1);
    assert_int_equal (dcp_config_env (s_opts, &c, "TEST", err, sizeof err), 0);
    assert_int_equal (c.window, 16);
    unsetenv ("DCP_TEST_WINDOW");

    assert_int_equal (dcp_config_set (s_opts, &c, "window", "32", err, sizeof err), 0);
    assert_int_equal (c.window, 32);
}

static void
test_unknown_key_names_file_and_line (void **state)
{
    (void) state;
    cfg_t c;
    char err[256], want[128];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    char *path = s_file ("window = 8\n\nwindwo = 9\n");
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), DCP_ECONFIG);
    snprintf (want, sizeof want, "%s:3: unknown key \"windwo\"", path);
    assert_string_equal (err, want);
    unlink (path);
}

static void
test_bad_value_names_key_and_value (void **state)
{
    (void) state;
    cfg_t c;
    char err[256], want[160];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    char *path = s_file ("window = many\n");
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), DCP_ECONFIG);
    snprintf (want, sizeof want,
              "%s:1: key \"window\": expected a non-negative integer (got \"many\")", path);
    assert_string_equal (err, want);
    unlink (path);
    assert_int_equal (dcp_config_set (s_opts, &c, "insecure", "maybe", err, sizeof err), DCP_ECONFIG);
    assert_int_equal (dcp_config_set (s_opts, &c, "window", "-1", err, sizeof err), DCP_ECONFIG);
    assert_int_equal (dcp_config_set (s_opts, &c, "nope", "1", err, sizeof err), DCP_EINVAL);
}

static void
test_missing_file_is_error_only_when_required (void **state)
{
    (void) state;
    cfg_t c;
    char err[256];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    assert_int_equal (dcp_config_file (s_opts, &c, "/nonexistent/x.conf", false, err, sizeof err), 0);
    assert_int_equal (dcp_config_file (s_opts, &c, "/nonexistent/x.conf", true, err, sizeof err),
                      DCP_ECONFIG);
    assert_non_null (strstr (err, "/nonexistent/x.conf"));
}

static void
test_parse_args_flags_override_and_stop_at_command (void **state)
{
    (void) state;
    cfg_t c;
    int first = -1;
    char *argv[] = {"prog", "--window=5", "--insecure", "--bind", "tcp://x:2", "submit", "f.json", NULL};
    dcp_config_next_t next = DCP_CONFIG_HELP;
    assert_int_equal (dcp_config_parse_args (s_opts, &c, "prog", NULL, 7, argv, &first, &next), 0);
    assert_int_equal (next, DCP_CONFIG_RUN);
    assert_int_equal (c.window, 5);
    assert_true (c.insecure);
    assert_string_equal (c.bind, "tcp://x:2");
    assert_int_equal (first, 5);
    char *bad[] = {"prog", "--window", NULL};
    assert_int_equal (dcp_config_parse_args (s_opts, &c, "prog", NULL, 2, bad, &first, &next),
                      DCP_ECONFIG);
}

static void
test_parse_args_help_is_not_an_error (void **state)
{
    (void) state;
    cfg_t c;
    int first = -1;
    dcp_config_next_t next = DCP_CONFIG_RUN;
    char *argv[] = {"prog", "--window=5", "-h", NULL};
    assert_int_equal (dcp_config_parse_args (s_opts, &c, "prog", NULL, 3, argv, &first, &next), 0);
    assert_int_equal (next, DCP_CONFIG_HELP);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_defaults_then_file_then_env_then_flags),
        cmocka_unit_test (test_unknown_key_names_file_and_line),
        cmocka_unit_test (test_bad_value_names_key_and_value),
        cmocka_unit_test (test_missing_file_is_error_only_when_required),
        cmocka_unit_test (test_parse_args_flags_override_and_stop_at_command),
        cmocka_unit_test (test_parse_args_help_is_not_an_error),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
