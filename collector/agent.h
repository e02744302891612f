/* agent.h: `collector run`, the unattended collector.
 *
 * Watches the inbox folder: every file dropped there is checked and taken
 * into the outbox (a file failing the check is set aside as .invalid-NAME
 * with its problems beside it), oldest modification time first, then by
 * name, so a response and its correction dropped together go out in that
 * order; then sent (a series in take order, sender.h), retried until a final receipt
 * arrives, for as long as the agent runs.  Optionally answers /metrics,
 * /healthz and /readyz over HTTP.  SIGTERM or SIGINT stops it; the outbox
 * keeps whatever has no receipt yet. */
#ifndef AGENT_H
#define AGENT_H

#include "collector.h"

/* Runs the agent until a signal; ARGC and ARGV (none expected) are the
 * command's arguments.  Returns the exit status (0, or 1 if it could not
 * start). */
int agent_run (collector_t *c, int argc, char **argv);

#endif
