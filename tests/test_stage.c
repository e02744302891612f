/* test_stage.c: a server stage's start-up (dcp_stage): keys and registry,
 * reload on SIGHUP keeping the old registry when the new file is broken, and
 * the HTTP endpoint served from the stage's loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_signal.h"
#include "dcp_stage.h"

typedef struct {
    char dir[64];
    char key_file[128];
    char registry[128];
    char peer_key[41];
} fixture_t;

static void
s_write (const char *path, const char *text)
{
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
}

static int
setup (void **state)
{
    static fixture_t f;
    memset (&f, 0, sizeof f);
    snprintf (f.dir, sizeof f.dir, "/tmp/dcp-test-stage.XXXXXX");
    assert_non_null (mkdtemp (f.dir));
    snprintf (f.key_file, sizeof f.key_file, "%s/stage.key", f.dir);
    snprintf (f.registry, sizeof f.registry, "%s/peers.txt", f.dir);
    dcp_keypair_t kp;
    assert_int_equal (dcp_keys_generate (f.key_file, &kp), 0);
    char secret[41], line[128];
    assert_int_equal (zmq_curve_keypair (f.peer_key, secret), 0);
    snprintf (line, sizeof line, "%s PAK one partner\n", f.peer_key);
    s_write (f.registry, line);
    dcp_signal_stop = dcp_signal_reload = 0;
    *state = &f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    dcp_signal_stop = dcp_signal_reload = 0;
    return system (cmd);
}

static dcp_stage_t *
s_stage (fixture_t *f, bool insecure, const char *metrics)
{
    dcp_stage_opts_t opts = {insecure, f->key_file, f->registry, "partner", "partners",
                             metrics,  NULL,        NULL,        NULL};
    return dcp_stage_new (&opts);
}

static void
keys_and_registry_are_loaded (void **state)
{
    fixture_t *f = *state;
    dcp_stage_t *stage = s_stage (f, false, NULL);
    assert_non_null (stage);
    assert_non_null (dcp_stage_keys (stage));
    assert_non_null (dcp_stage_zap (stage));
    assert_int_equal (dcp_registry_size (dcp_stage_registry (stage)), 1);
    assert_non_null (dcp_registry_find (dcp_stage_registry (stage), f->peer_key));
    /* A socket of the stage is closed with it. */
    assert_non_null (dcp_stage_socket (stage, ZMQ_DEALER));
    dcp_stage_destroy (&stage);
    assert_null (stage);
    dcp_stage_destroy (&stage);
}

static void
missing_files_stop_the_start (void **state)
{
    fixture_t *f = *state;
    unlink (f->registry);
    assert_null (s_stage (f, false, NULL));
    /* insecure: neither keys nor registry are read */
    unlink (f->key_file);
    dcp_stage_t *stage = s_stage (f, true, NULL);
    assert_non_null (stage);
    assert_null (dcp_stage_keys (stage));
    assert_null (dcp_stage_registry (stage));
    assert_int_equal (dcp_stage_reload (stage), 0);
    dcp_stage_destroy (&stage);
}

static int
s_raise_hup (dcp_loop_t *loop, int timer_id, void *arg)
{
    raise (SIGHUP);
    return 0;
}

static int
s_end (dcp_loop_t *loop, int timer_id, void *arg)
{
    return DCP_LOOP_END;
}

static void
broken_registry_keeps_the_old_one_and_sighup_reloads (void **state)
{
    fixture_t *f = *state;
    dcp_stage_t *stage = s_stage (f, false, NULL);
    assert_non_null (stage);
    s_write (f->registry, "not a key line\n");
    assert_int_equal (dcp_stage_reload (stage), DCP_ECONFIG);
    assert_non_null (dcp_registry_find (dcp_stage_registry (stage), f->peer_key));

    /* Two partners now; SIGHUP through the loop picks them up. */
    char other[41], secret[41], text[256];
    assert_int_equal (zmq_curve_keypair (other, secret), 0);
    snprintf (text, sizeof text, "%s PAK one\n%s KAZ two\n", f->peer_key, other);
    s_write (f->registry, text);
    assert_int_equal (dcp_signal_install (), 0);
    dcp_loop_t *loop = dcp_loop_new ();
    assert_int_equal (dcp_stage_attach (stage, loop), 0);
    dcp_loop_timer (loop, 5, 1, s_raise_hup, NULL);
    dcp_loop_timer (loop, 50, 1, s_end, NULL);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (dcp_registry_size (dcp_stage_registry (stage)), 2);
    dcp_loop_destroy (&loop);
    dcp_stage_destroy (&stage);
    signal (SIGHUP, SIG_DFL);
    signal (SIGTERM, SIG_DFL);
}

static const char *
s_not_ready (void *arg)
{
    return "no loader connected";
}

static void
s_count (dcp_metrics_t *m, void *arg)
{
    double *c = dcp_metrics_counter (m, "dcp_test_things_total", "things", NULL);
    if (c)
        *c = 7;
}

/* A free loopback port (tiny race with other processes; fine for a test). */
static int
s_free_port (void)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    assert_int_equal (bind (fd, (struct sockaddr *) &sa, sizeof sa), 0);
    assert_int_equal (getsockname (fd, (struct sockaddr *) &sa, &len), 0);
    close (fd);
    return ntohs (sa.sin_port);
}

/* Sends REQUEST, lets the loop serve it, returns the answer (static). */
static const char *
s_get (dcp_loop_t *loop, int port, const char *path)
{
    static char answer[4096];
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons ((uint16_t) port)};
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    assert_int_equal (connect (fd, (struct sockaddr *) &sa, sizeof sa), 0);
    char request[128];
    int n = snprintf (request, sizeof request, "GET %s HTTP/1.0\r\n\r\n", path);
    assert_int_equal (write (fd, request, (size_t) n), n);
    dcp_loop_timer (loop, 50, 1, s_end, NULL);
    assert_int_equal (dcp_loop_run (loop), 0);
    size_t got = 0;
    ssize_t r;
    while (got < sizeof answer - 1 && (r = read (fd, answer + got, sizeof answer - 1 - got)) > 0)
        got += (size_t) r;
    answer[got] = '\0';
    close (fd);
    return answer;
}

static void
http_endpoint_serves_metrics_health_and_readiness (void **state)
{
    fixture_t *f = *state;
    char address[32];
    int port = s_free_port ();
    snprintf (address, sizeof address, "127.0.0.1:%d", port);
    dcp_stage_opts_t opts = {true,    NULL,    NULL,        "partner", "partners",
                             address, s_count, s_not_ready, f};
    dcp_stage_t *stage = dcp_stage_new (&opts);
    assert_non_null (stage);
    dcp_loop_t *loop = dcp_loop_new ();
    assert_int_equal (dcp_stage_attach (stage, loop), 0);
    const char *a = s_get (loop, port, "/healthz");
    assert_non_null (strstr (a, " 200 "));
    a = s_get (loop, port, "/readyz");
    assert_non_null (strstr (a, " 503 "));
    assert_non_null (strstr (a, "no loader connected\n"));
    a = s_get (loop, port, "/metrics");
    assert_non_null (strstr (a, "dcp_test_things_total 7"));
    a = s_get (loop, port, "/nothing");
    assert_non_null (strstr (a, " 404 "));
    dcp_loop_destroy (&loop);
    dcp_stage_destroy (&stage);
}

int
main (void)
{
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T (keys_and_registry_are_loaded),
        T (missing_files_stop_the_start),
        T (broken_registry_keeps_the_old_one_and_sighup_reloads),
        T (http_endpoint_serves_metrics_health_and_readiness),
    };
#undef T
    return cmocka_run_group_tests (tests, NULL, NULL);
}
