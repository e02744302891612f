/* cmd.h: the collector's commands that run once and exit.
 *
 * Each takes the context (collector.h) and the arguments after the command
 * name, and returns the exit status: 0 done (every file accepted, for the
 * commands that send), 1 failed or not everything accepted, 2 wrong usage.
 * main.c picks one from its table; `collector run` is agent.h, `status`
 * and `show` are show.h, `revise` is revise.h. */
#ifndef CMD_H
#define CMD_H

#include "collector.h"

/* check FILE...: offline check, nothing is sent. */
int cmd_check (collector_t *c, int argc, char **argv);

/* submit FILE...: take into the outbox, send, wait for the receipts. */
int cmd_submit (collector_t *c, int argc, char **argv);

/* take FILE...: take into the outbox only; `send` or `run` sends later. */
int cmd_take (collector_t *c, int argc, char **argv);

/* send: send what is pending in the outbox and wait for the receipts. */
int cmd_send (collector_t *c, int argc, char **argv);

/* keygen PATH: write a CURVE key pair. */
int cmd_keygen (collector_t *c, int argc, char **argv);

/* template KIND: print an empty starting file (template.h). */
int cmd_template (collector_t *c, int argc, char **argv);

#endif
