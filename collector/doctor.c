/* doctor.c: configuration, key file, endpoint, handshake, round trip (see
 * doctor.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dcp_i18n.h"
#include "dcp_util.h"
#include "doctor.h"

#define S_HANDSHAKE_WAIT_MS 5000 /* for the TCP connection and the handshake */
#define S_ANSWER_WAIT_MS 5000    /* for the answer to the probe */

/* Prints one outcome line and returns STATUS; STEP is English (N_) and
 * translated here, TEXT is already in the user's language. */
static int
s_outcome (int status, const char *step, const char *text)
{
    printf ("%-13s %s %s\n", _ (step), status == DOCTOR_OK ? _ ("ok    ") : _ ("FAILED"), text);
    return status;
}

/* The key file exists, is readable by its owner only, and holds a pair;
 * the validator's public key reads. */
static int
s_check_keys (collector_t *c)
{
    char err[512], text[1024];
    struct stat st;
    if (stat (c->cfg.key_file, &st) != 0) {
        snprintf (text, sizeof text, _ ("key_file \"%s\": %s (make one with `collector keygen`)"),
                  c->cfg.key_file, strerror (errno));
        return s_outcome (DOCTOR_CONFIG, N_ ("configuration"), text);
    }
    if (st.st_mode & 077) {
        snprintf (text, sizeof text,
                  _ ("key file \"%s\" can be read by others (mode %04o): "
                     "chmod 600 \"%s\""),
                  c->cfg.key_file, (unsigned) (st.st_mode & 07777), c->cfg.key_file);
        return s_outcome (DOCTOR_KEY_MODE, N_ ("key file"), text);
    }
    if (dcp_keys_load (c->cfg.key_file, &c->keys, err, sizeof err)
        || dcp_keys_load (c->cfg.validator_public_key, &c->validator, err, sizeof err))
        return s_outcome (DOCTOR_CONFIG, N_ ("configuration"), err);
    if (!c->keys.secret_key[0]) {
        snprintf (text, sizeof text,
                  _ ("key_file \"%s\" holds no secret key (is it the .pub file?)"),
                  c->cfg.key_file);
        return s_outcome (DOCTOR_CONFIG, N_ ("configuration"), text);
    }
    snprintf (text, sizeof text, _ ("endpoint %s, validator key from %s"), c->cfg.endpoint,
              c->cfg.validator_public_key);
    s_outcome (DOCTOR_OK, N_ ("configuration"), text);
    snprintf (text, sizeof text, _ ("%s, readable by its owner only"), c->cfg.key_file);
    s_outcome (DOCTOR_OK, N_ ("key file"), text);
    return DOCTOR_OK;
}

/* Polls SENDER until its link is up or has failed, at most WAIT_MS. */
static sender_link_t
s_wait_link (sender_t *sender, long wait_ms)
{
    int64_t until = dcp_now_ms () + wait_ms;
    while (dcp_now_ms () < until) {
        if (sender_poll (sender, 100, NULL, NULL))
            break;
        sender_link_t l = sender_link (sender);
        if (l == SENDER_LINK_UP || l == SENDER_LINK_KEY_REFUSED || l == SENDER_LINK_SERVER_KEY)
            return l;
    }
    return sender_link (sender);
}

/* Endpoint, handshake and the probe, over a sender of its own (no outbox:
 * the probe's answer is never recorded). */
static int
s_check_link (collector_t *c)
{
    char why[512], text[1024];
    sender_opts_t so = {
        .endpoint = c->cfg.endpoint,
        .keys = c->cfg.insecure ? NULL : &c->keys,
        .server_key = c->cfg.insecure ? NULL : c->validator.public_key,
        .window = 1,
        .timeout_ms = S_ANSWER_WAIT_MS * 2,
        .backoff_min_ms = c->cfg.backoff_min_ms,
        .backoff_max_ms = c->cfg.backoff_max_ms,
        .wire = {(int) c->cfg.hwm, c->cfg.max_file + 4096, 0},
    };
    c->ctx = zmq_ctx_new ();
    c->sender = c->ctx ? sender_new (c->ctx, NULL, &so) : NULL;
    if (!c->sender) {
        snprintf (text, sizeof text, _ ("cannot use endpoint \"%s\" (is it tcp://HOST:PORT?)"),
                  c->cfg.endpoint);
        return s_outcome (DOCTOR_CONFIG, N_ ("configuration"), text);
    }
    sender_link_t l = s_wait_link (c->sender, S_HANDSHAKE_WAIT_MS);
    sender_link_reason (l, c->cfg.endpoint, why, sizeof why);
    if (l == SENDER_LINK_REFUSED || l == SENDER_LINK_UNKNOWN || l == SENDER_LINK_LOST) {
        if (l != SENDER_LINK_REFUSED)
            snprintf (why, sizeof why,
                      _ ("no connection to %s within %d s (unreachable? is "
                         "endpoint right?)"),
                      c->cfg.endpoint, S_HANDSHAKE_WAIT_MS / 1000);
        return s_outcome (DOCTOR_UNREACHABLE, N_ ("endpoint"), why);
    }
    snprintf (text, sizeof text, _ ("%s answers"), c->cfg.endpoint);
    s_outcome (DOCTOR_OK, N_ ("endpoint"), text);
    if (l == SENDER_LINK_KEY_REFUSED)
        return s_outcome (DOCTOR_KEY_REFUSED, N_ ("handshake"), why);
    if (l == SENDER_LINK_SERVER_KEY)
        return s_outcome (DOCTOR_SERVER_KEY, N_ ("handshake"), why);
    s_outcome (DOCTOR_OK, N_ ("handshake"),
               c->cfg.insecure ? _ ("plain TCP (insecure = true)")
                               : _ ("CURVE, the validator accepted this key"));
    int64_t start = dcp_now_ms (), until = start + S_ANSWER_WAIT_MS;
    bool sent = false;
    while (!sender_pong (c->sender) && dcp_now_ms () < until) {
        if (!sent)
            sent = sender_ping (c->sender) == 0;
        if (sender_poll (c->sender, 100, NULL, NULL))
            break;
    }
    if (!sender_pong (c->sender)) {
        snprintf (text, sizeof text,
                  _ ("connected to %s but the probe got no answer in %d s (the "
                     "pipeline behind the validator may be down; responses wait safely in the "
                     "outbox)"),
                  c->cfg.endpoint, S_ANSWER_WAIT_MS / 1000);
        return s_outcome (DOCTOR_NO_ANSWER, N_ ("round trip"), text);
    }
    snprintf (text, sizeof text, _ ("the validator answered in %lld ms; a loader is connected"),
              (long long) (dcp_now_ms () - start));
    return s_outcome (DOCTOR_OK, N_ ("round trip"), text);
}

int
doctor_run (collector_t *c, int argc, char **argv)
{
    (void) argv;
    if (argc) {
        fprintf (stderr, _ ("collector doctor: takes no arguments\n"));
        return DOCTOR_USAGE;
    }
    int rc = DOCTOR_OK;
    if (!c->cfg.endpoint[0])
        rc = s_outcome (DOCTOR_CONFIG, N_ ("configuration"), _ ("no endpoint is set"));
    else if (!c->cfg.insecure)
        rc = s_check_keys (c);
    else
        s_outcome (DOCTOR_OK, N_ ("configuration"),
                   _ ("insecure = true: plain TCP, no keys checked"));
    if (rc == DOCTOR_OK)
        rc = s_check_link (c);
    sender_destroy (&c->sender);
    if (c->ctx)
        zmq_ctx_term (c->ctx);
    c->ctx = NULL;
    memset (&c->keys, 0, sizeof c->keys);
    return rc;
}
