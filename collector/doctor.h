/* doctor.h: `collector doctor`, the checks a focal point runs when nothing
 * comes back.
 *
 * One step after the other, each with one line on stdout and, when it
 * fails, its own exit status, so a script (or a person on the telephone
 * with the coordinating office) knows at once what to fix:
 *
 *   0  everything works: the validator answered the probe
 *   2  wrong usage
 *   3  configuration: a key file is missing or unreadable, no endpoint
 *   4  the key file can be read by others (chmod 600)
 *   5  the endpoint cannot be reached (nothing listening, wrong address)
 *   6  the validator refused this collector's key (not registered)
 *   7  the validator's key does not match validator_public_key
 *   8  connected, but the probe got no answer (the pipeline is down)
 *
 * The round trip is the probe of the wire contract (proto/README.md,
 * "Probe"): nothing is stored, nothing is taken from the outbox. */
#ifndef DOCTOR_H
#define DOCTOR_H

#include "collector.h"

enum {
    DOCTOR_OK = 0,
    DOCTOR_USAGE = 2,
    DOCTOR_CONFIG = 3,
    DOCTOR_KEY_MODE = 4,
    DOCTOR_UNREACHABLE = 5,
    DOCTOR_KEY_REFUSED = 6,
    DOCTOR_SERVER_KEY = 7,
    DOCTOR_NO_ANSWER = 8,
};

/* doctor: runs the checks with C's configuration; returns one of the
 * DOCTOR_* statuses above. */
int doctor_run (collector_t *c, int argc, char **argv);

#endif
