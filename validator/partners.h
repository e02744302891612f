/* partners.h: "validator partner ...", the operator's commands on the
 * partner registry: add, rotate and revoke a collector's key, and list
 * them, without editing the file by hand.
 *
 * The file is rewritten atomically (dcp_registry_add/rotate/revoke), then
 * the running validator is told to read it again: SIGHUP to the process
 * named by a pid file, or "systemctl reload" of its unit.  A validator that
 * has read the new file refuses a revoked key at once, on connections
 * already open too (every submission is checked against the registry). */
#ifndef PARTNERS_H
#define PARTNERS_H

#include <stdio.h>

/* Runs "partner ARGV..." (ARGV[0] is the first word after "partner") on
 * the registry REGISTRY (the validator's configured "partners" file, which
 * --registry FILE replaces).  Prints what it did to stdout, errors to
 * stderr.  Returns the exit status: 0 done (and reloaded, when asked),
 * 1 refused or failed (the file unchanged), 2 usage error, 3 the file was
 * changed but the validator could not be told. */
int partners_main (const char *registry, int argc, char **argv);

/* Prints the usage of "validator partner" to OUT (for validator --help). */
void partners_usage (FILE *out);

#endif
