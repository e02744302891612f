/* test_config.c: table-driven configuration: defaults, files, environment,
 * flags, the errors a bad file gets (all of them at once, with "did you
 * mean"), --check-config, masking of secrets and the --help text. */
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
    char log_level[16];
    char id[32];
    char database[128];
    char smtp_password[32];
} cfg_t;

static const dcp_cfg_option_t s_opts[] = {
    {"bind", DCP_CFG_STR, "tcp://127.0.0.1:1", offsetof (cfg_t, bind), 64, "endpoint"},
    {"window", DCP_CFG_INT, "64", offsetof (cfg_t, window), sizeof (long), "window"},
    {"insecure", DCP_CFG_BOOL, "false", offsetof (cfg_t, insecure), sizeof (bool), "dev"},
    {"log_level", DCP_CFG_STR, "info", offsetof (cfg_t, log_level), 16,
     "debug, info, warn or error"},
    {"id", DCP_CFG_STR, "", offsetof (cfg_t, id), 32, "name in logs (default host:pid)"},
    {"database", DCP_CFG_STR, "dbname=dcp", offsetof (cfg_t, database), 128, "libpq conninfo"},
    {"smtp_password", DCP_CFG_STR, "", offsetof (cfg_t, smtp_password), 32, "mail relay"},
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

    setenv ("DCP_CFGTEST_WINDOW", "16", 1);
    assert_int_equal (dcp_config_env (s_opts, &c, "CFGTEST", err, sizeof err), 0);
    assert_int_equal (c.window, 16);
    unsetenv ("DCP_CFGTEST_WINDOW");

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
    snprintf (want, sizeof want, "%s:3: unknown key \"windwo\" (did you mean \"window\"?)", path);
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
    assert_int_equal (dcp_config_set (s_opts, &c, "insecure", "maybe", err, sizeof err),
                      DCP_ECONFIG);
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
    assert_int_equal (dcp_config_file (s_opts, &c, "/nonexistent/x.conf", false, err, sizeof err),
                      0);
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
    char *argv[] = {"prog",      "--window=5", "--insecure", "--bind",
                    "tcp://x:2", "submit",     "f.json",     NULL};
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

static void
test_every_error_of_a_file_at_once (void **state)
{
    (void) state;
    cfg_t c;
    char err[1024], want[1024];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    char *path = s_file ("log_levle = debug\n"
                         "window = many\n"
                         "# fine\n"
                         "bind = tcp://h:9\n"
                         "just words\n"
                         "insecure = maybe\n"
                         "zzzzzz = 1\n");
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), DCP_ECONFIG);
    snprintf (want, sizeof want,
              "%s:1: unknown key \"log_levle\" (did you mean \"log_level\"?)\n"
              "%s:2: key \"window\": expected a non-negative integer (got \"many\")\n"
              "%s:5: syntax error (expected key = value)\n"
              "%s:6: key \"insecure\": expected true or false (got \"maybe\")\n"
              "%s:7: unknown key \"zzzzzz\"",
              path, path, path, path, path);
    assert_string_equal (err, want);
    /* The good lines are applied all the same. */
    assert_string_equal (c.bind, "tcp://h:9");
    unlink (path);
}

static void
test_a_line_too_long_is_one_clear_error (void **state)
{
    (void) state;
    cfg_t c;
    char err[512], text[400], want[256];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    /* Longer than inih's line buffer: once cut into pieces, the rest was
     * read as another key and the value kept truncated. */
    snprintf (text, sizeof text, "bind = tcp://%0250d:1\nwindow = 9\n", 0);
    char *path = s_file (text);
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), DCP_ECONFIG);
    snprintf (want, sizeof want, "%s:1: line longer than 198 characters", path);
    assert_string_equal (err, want);
    assert_int_equal (c.window, 9); /* the next line is read as usual */
    assert_string_equal (c.bind, "tcp://127.0.0.1:1");
    unlink (path);
}

static void
test_errors_that_do_not_fit_are_cut_not_overflowed (void **state)
{
    (void) state;
    cfg_t c;
    char err[64];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    char *path = s_file ("aaaa = 1\nbbbb = 2\ncccc = 3\n");
    assert_int_equal (dcp_config_file (s_opts, &c, path, true, err, sizeof err), DCP_ECONFIG);
    assert_true (strlen (err) < sizeof err);
    assert_non_null (strstr (err, ":1: unknown key \"aaaa\""));
    unlink (path);
}

static void
test_suggestions_by_edit_distance (void **state)
{
    (void) state;
    assert_string_equal (dcp_config_suggest (s_opts, "log_levle"), "log_level");
    assert_string_equal (dcp_config_suggest (s_opts, "loglevel"), "log_level");
    assert_string_equal (dcp_config_suggest (s_opts, "LOG-LEVEL"), "log_level");
    assert_string_equal (dcp_config_suggest (s_opts, "windows"), "window");
    assert_string_equal (dcp_config_suggest (s_opts, "insecur"), "insecure");
    assert_null (dcp_config_suggest (s_opts, "x"));
    assert_null (dcp_config_suggest (s_opts, "completely_else"));
    cfg_t c;
    char err[256];
    assert_int_equal (dcp_config_set (s_opts, &c, "windwo", "1", err, sizeof err), DCP_EINVAL);
    assert_string_equal (err, "unknown option \"windwo\" (did you mean \"window\"?)");
}

static void
test_environment_unknown_variables_are_errors (void **state)
{
    (void) state;
    cfg_t c;
    char err[512];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    setenv ("DCP_CFGTEST_LOG_LEVLE", "debug", 1);
    setenv ("DCP_CFGTEST_WINDOW", "lots", 1);
    setenv ("DCP_CFGTESTX_WHATEVER", "1", 1); /* another program's prefix: not ours */
    assert_int_equal (dcp_config_env (s_opts, &c, "CFGTEST", err, sizeof err), DCP_ECONFIG);
    assert_non_null (strstr (err,
                             "environment variable DCP_CFGTEST_WINDOW: expected a non-negative "
                             "integer (got \"lots\")"));
    assert_non_null (strstr (err,
                             "unknown environment variable DCP_CFGTEST_LOG_LEVLE (did you mean "
                             "\"DCP_CFGTEST_LOG_LEVEL\"?)"));
    assert_null (strstr (err, "CFGTESTX"));
    unsetenv ("DCP_CFGTEST_LOG_LEVLE");
    unsetenv ("DCP_CFGTEST_WINDOW");
    unsetenv ("DCP_CFGTESTX_WHATEVER");
    assert_int_equal (dcp_config_env (s_opts, &c, "CFGTEST", err, sizeof err), 0);
}

static void
test_parse_args_reports_every_bad_flag (void **state)
{
    (void) state;
    cfg_t c;
    int first = -1;
    dcp_config_next_t next;
    char *argv[] = {"prog", "--windwo=5", "--insecre", "--window=x", "--bind=tcp://y:3", NULL};
    assert_int_equal (dcp_config_parse_args (s_opts, &c, "prog", NULL, 5, argv, &first, &next),
                      DCP_ECONFIG);
    assert_string_equal (c.bind, "tcp://y:3"); /* scanned to the end */
}

static void
test_check_config (void **state)
{
    (void) state;
    cfg_t c;
    int first = -1;
    dcp_config_next_t next = DCP_CONFIG_RUN;
    char *path = s_file ("window = 8\n");
    char cfgarg[128];
    snprintf (cfgarg, sizeof cfgarg, "--config=%s", path);
    char *good[] = {"prog", cfgarg, "--check-config", "--insecure", NULL};
    assert_int_equal (dcp_config_parse_args (s_opts, &c, "prog", NULL, 4, good, &first, &next), 0);
    assert_int_equal (next, DCP_CONFIG_CHECK);
    assert_int_equal (c.window, 8);
    assert_true (c.insecure);
    /* The whole entry point: prints and says "exit 0", starts nothing. */
    assert_int_equal (dcp_config_main (s_opts, &c, "prog", NULL, 4, good, &first, NULL), 0);
    char *bad[] = {"prog", "--check-config", "--window=x", NULL};
    assert_int_equal (dcp_config_main (s_opts, &c, "prog", NULL, 3, bad, &first, NULL), 2);
    char *badlevel[] = {"prog", "--check-config", "--log_level=loud", NULL};
    assert_int_equal (dcp_config_main (s_opts, &c, "prog", NULL, 3, badlevel, &first, NULL), 2);
    unlink (path);
}

static int
s_window_rule (const void *target, char *err, size_t errlen)
{
    const cfg_t *c = target;
    if (c->window >= 1 && c->window <= 128)
        return 0;
    snprintf (err, errlen, "window must be 1 to 128 (got %ld)", c->window);
    return DCP_ECONFIG;
}

static void
test_program_rule_applies_to_check_config_too (void **state)
{
    (void) state;
    cfg_t c;
    int first = -1;
    char *good[] = {"prog", "--check-config", "--window=128", NULL};
    assert_int_equal (
        dcp_config_main_checked (s_opts, &c, "prog", NULL, 3, good, &first, NULL, s_window_rule),
        0);
    char *bad[] = {"prog", "--check-config", "--window=0", NULL};
    assert_int_equal (
        dcp_config_main_checked (s_opts, &c, "prog", NULL, 3, bad, &first, NULL, s_window_rule), 2);
}

static void
test_secrets_are_masked (void **state)
{
    (void) state;
    char out[256];
    dcp_config_mask ("host=db password=s3cr3t user=loader_svc", out, sizeof out);
    assert_string_equal (out, "host=db password=******** user=loader_svc");
    dcp_config_mask ("password = 'a b\\' c' host=x", out, sizeof out);
    assert_string_equal (out, "password = ******** host=x");
    dcp_config_mask ("postgresql://loader:pw@db1,db2/dcp?target_session_attrs=read-write", out,
                     sizeof out);
    assert_string_equal (
        out, "postgresql://loader:********@db1,db2/dcp?target_session_attrs=read-write");
    dcp_config_mask ("postgresql://db/dcp?user=x&password=pw&sslmode=require", out, sizeof out);
    assert_string_equal (out, "postgresql://db/dcp?user=x&password=********&sslmode=require");
    dcp_config_mask ("tcp://127.0.0.1:7601", out, sizeof out);
    assert_string_equal (out, "tcp://127.0.0.1:7601");

    cfg_t c;
    char err[256], text[2048];
    dcp_config_defaults (s_opts, &c, err, sizeof err);
    dcp_config_set (s_opts, &c, "database", "host=db password=hunter2", err, sizeof err);
    dcp_config_set (s_opts, &c, "smtp_password", "hunter3", err, sizeof err);
    FILE *f = tmpfile ();
    assert_non_null (f);
    dcp_config_print (s_opts, &c, f);
    rewind (f);
    size_t n = fread (text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose (f);
    assert_non_null (strstr (text, "database = host=db password=********\n"));
    assert_non_null (strstr (text, "smtp_password = ********\n"));
    assert_non_null (strstr (text, "window = 64\n"));
    assert_null (strstr (text, "hunter"));
}

static void
test_help_shows_each_default_once (void **state)
{
    (void) state;
    char text[4096];
    FILE *f = tmpfile ();
    assert_non_null (f);
    dcp_config_help (s_opts, "test", f);
    rewind (f);
    size_t n = fread (text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose (f);
    assert_non_null (strstr (text, "environment variable DCP_TEST_NAME"));
    /* The flag and its default on one line, the help below it. */
    assert_non_null (strstr (text, "  --window=N (default: 64)\n      window\n"));
    assert_non_null (strstr (text, "  --insecure=BOOL (default: false)\n"));
    /* A help text that names its default keeps its words, once. */
    assert_non_null (strstr (text, "  --id=TEXT (default host:pid)\n      name in logs\n"));
    assert_null (strstr (text, "(default: none)\n      name in logs"));
    assert_non_null (strstr (text, "  --smtp_password=TEXT (default: none)\n      mail relay\n"));
    assert_non_null (strstr (text, "--check-config"));
    for (const char *p = text; *p; p += strcspn (p, "\n") + (p[strcspn (p, "\n")] != 0))
        assert_true (strcspn (p, "\n") <= 80);
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
        cmocka_unit_test (test_every_error_of_a_file_at_once),
        cmocka_unit_test (test_a_line_too_long_is_one_clear_error),
        cmocka_unit_test (test_errors_that_do_not_fit_are_cut_not_overflowed),
        cmocka_unit_test (test_suggestions_by_edit_distance),
        cmocka_unit_test (test_environment_unknown_variables_are_errors),
        cmocka_unit_test (test_parse_args_reports_every_bad_flag),
        cmocka_unit_test (test_check_config),
        cmocka_unit_test (test_program_rule_applies_to_check_config_too),
        cmocka_unit_test (test_secrets_are_masked),
        cmocka_unit_test (test_help_shows_each_default_once),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
