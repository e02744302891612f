/* validate.h: the validator's decision for one submission.
 *
 * Given what arrived (the framing verdict, the id, the Submission bytes and
 * the authenticated sender key), decide: decode it, run the rules, check
 * that the sender's registered country is the reporting country, and build
 * the Forward envelope the loader stores (valid or rejected, with every
 * finding as a problem).  No sockets here, so a test can feed bytes and a
 * key and look at the decision; validator/main.c only moves frames. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcp_findings.h"
#include "dcp_keys.h"
#include "dcp_metrics.h"
#include "dcp_rules.h"

/* What the validator knows about the collectors and itself; all borrowed. */
typedef struct {
    dcp_rules_opts_t rules;
    size_t max_message;                /* larger Submissions are refused undecoded */
    bool insecure;                     /* development: no sender check */
    const dcp_registry_t *registry;    /* partner keys and countries */
    const char *validator_id;          /* written into the envelope */
    dcp_histogram_t *validate_seconds; /* time of the rules; may be NULL */
} validate_opts_t;

/* One submission as received (all borrowed). */
typedef struct {
    int framing;         /* 0, DCP_EPROTO (not a DCP1 submission), DCP_EINVAL (bad id frame) */
    size_t parts;        /* parts after the route (for the framing finding) */
    const char *id;      /* the id frame; "" if none was readable.  Also
                                  set for a misframed message whose id frame
                                  is readable: its receipt carries that id */
    const void *payload; /* Submission bytes, or NULL */
    size_t payload_len;
    const char *sender_key; /* authenticated User-Id (Z85), NULL if none */
    const void *route;      /* collector's routing id, echoed in the envelope */
    size_t route_len;
    const char *framing_fault; /* on DCP_EPROTO: what is wrong (dcp_frame's
                                  text), NULL or "" for a generic text */
} validate_input_t;

/* The decision.  Owns FINDINGS and FORWARD; validate_decision_clear()
 * frees them. */
typedef struct {
    dcp_findings_t *findings; /* every finding, errors first as found */
    bool rejected;            /* any error: the loader quarantines it */
    bool security_event;      /* unregistered key or another country */
    const dcp_peer_t *peer;   /* the sender's registry entry, or NULL (borrowed) */
    uint8_t *forward;         /* packed Forward envelope to send */
    size_t forward_len;
} validate_decision_t;

/* Decides on IN and fills OUT (which the caller clears afterwards, also on
 * error).  Partner faults are findings in OUT, never an error return.
 * Returns 0, DCP_ENOMEM (also when a finding could not be kept: a lost
 * finding must not let a submission pass), or the error of
 * dcp_rules_check() (reference data that could not be loaded).  On error
 * there is nothing to send: the collector resends. */
int validate_submission (const validate_opts_t *opts, const validate_input_t *in,
                         validate_decision_t *out);

/* Frees what OUT owns and zeroes it; harmless on a zeroed decision. */
void validate_decision_clear (validate_decision_t *out);

/* Adds 1 per distinct error code of a rejected decision to
 * dcp_validator_rejected_by_reason_total{reason="..."} in METRICS. */
void validate_count_reasons (const validate_decision_t *decision, dcp_metrics_t *metrics);

#endif
