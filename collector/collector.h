/* collector.h: the collector's context and what its commands share.
 *
 * One collector_t per run, made by main.c from the configuration and passed
 * down to the command that runs (cmd.h, agent.h): no globals.  It opens the
 * outbox, and for the commands that talk to a validator the keys and the
 * sender; it also shows receipts as they arrive and waits for them. */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_config.h"
#include "dcp_keys.h"
#include "dcp_rules.h"
#include "outbox.h"
#include "sender.h"

typedef struct {
    char endpoint[1024];
    char key_file[512];
    char validator_public_key[512];
    bool insecure;
    char outbox[512];
    char inbox[512];
    long window;
    long timeout_ms;
    long backoff_min_ms;
    long backoff_max_ms;
    long wait_s;
    long max_file;
    long hwm;
    long scan_ms;
    bool send_invalid;
    char log_level[16];
    char metrics[64];
    char country[8];
    char lang[32];
} collector_cfg_t;

/* The configuration options (name, type, default, help), for dcp_config. */
extern const dcp_cfg_option_t collector_options[];

typedef struct {
    collector_cfg_t cfg;
    dcp_rules_opts_t rules;
    dcp_keypair_t keys, validator;
    void *ctx;
    outbox_t *outbox;
    sender_t *sender;
    size_t accepted, rejected;
} collector_t;

/* Opens C's outbox and, if NEED_SENDER, loads the keys and connects the
 * sender.  Returns 0, or 1 after telling the user why on stderr (call
 * collector_close() either way). */
int collector_open (collector_t *c, bool need_sender);

/* Closes what collector_open() opened; safe to call twice. */
void collector_close (collector_t *c);

/* The stored receipt of finished entry ID in words (caller frees); NULL if
 * it has none or it does not decode. */
char *collector_receipt_text (collector_t *c, const char *id);

/* sender_receipt_fn that counts a final receipt in C (ARG) and prints it. */
void collector_print_receipt (const char *id, const Dcp__V1__Receipt *r, const char *text,
                              void *arg);

/* Sends until every queued submission has a final receipt, the wait_s
 * limit passes or a signal arrives, printing receipts as they come. */
void collector_wait_receipts (collector_t *c);

/* outbox_each() callback: queues pending entry ID in the sender ARG. */
int collector_queue_pending (const char *id, void *arg);

#endif
