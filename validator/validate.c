/* validate.c: the validator's decision for one submission (see validate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "validate.h"

/* Framing, decoding and the id check: the findings that come before the
 * rules.  *SUB_P gets the decoded Submission or NULL.  Returns 0 or
 * DCP_ENOMEM (a finding that could not be kept must not pass as valid). */
static int
s_decode (const validate_opts_t *opts, const validate_input_t *in, dcp_findings_t *findings,
          Dcp__V1__Submission **sub_p)
{
    *sub_p = NULL;
    if (in->framing == DCP_EPROTO && in->framing_fault && in->framing_fault[0])
        return dcp_findings_add (findings, "WIRE-FRAMING", DCP_SEV_ERROR, "",
                                 "the message is not a DCP1 submission: %s; nothing in it was "
                                 "read: send it again, framed as proto/README.md says, under a "
                                 "new submission id",
                                 in->framing_fault);
    if (in->framing == DCP_EPROTO)
        return dcp_findings_add (findings, "WIRE-FRAMING", DCP_SEV_ERROR, "",
                                 "the message is not a DCP1 submission (%zu frames): expected 3 "
                                 "frames (\"DCP1\", submission id, protobuf Submission)",
                                 in->parts);
    if (in->framing != 0)
        return dcp_findings_add (findings, "WIRE-ID", DCP_SEV_ERROR, "/submission_id",
                                 "the submission id frame is empty, too long or not printable");
    Dcp__V1__Submission *sub =
        dcp_codec_unpack (in->payload, in->payload ? in->payload_len : 0, opts->max_message);
    *sub_p = sub;
    if (!sub)
        return dcp_findings_add (findings, "WIRE-DECODE", DCP_SEV_ERROR, "",
                                 "the submission could not be decoded: it is not a valid protobuf "
                                 "Submission (truncated or corrupted); %zu bytes received",
                                 in->payload_len);
    if (strcmp (sub->submission_id, in->id) != 0)
        return dcp_findings_add (findings, "WIRE-ID-MISMATCH", DCP_SEV_ERROR, "/submission_id",
                                 "the submission id in the message does not match the id frame");
    return 0;
}

/* Authorisation: the key must be registered, and its country must be the
 * reporting country.  Sets OUT->peer and OUT->security_event.  Returns 0
 * or DCP_ENOMEM. */
static int
s_authorise (const validate_opts_t *opts, const validate_input_t *in,
             const Dcp__V1__Submission *sub, validate_decision_t *out)
{
    char quoted[128], claimed[128];
    int rc = 0;
    if (opts->insecure)
        return 0;
    out->peer = dcp_registry_find (opts->registry, in->sender_key);
    if (!out->peer) {
        rc = dcp_findings_add (out->findings, "AUTH-KEY", DCP_SEV_ERROR, "",
                               "the key this submission was sent with is no longer registered; "
                               "contact the coordinating office");
        out->security_event = true;
    } else if (sub && sub->reporting_country[0]
               && strcmp (sub->reporting_country, out->peer->country) != 0) {
        rc = dcp_findings_add (out->findings, "AUTH-COUNTRY", DCP_SEV_ERROR, "/reporting_country",
                               "this collector is registered for %s and may not submit for "
                               "\"%.8s\"",
                               out->peer->country, sub->reporting_country);
        out->security_event = true;
    }
    /* Each quoted value has its own buffer: one log call, several quotes. */
    if (out->security_event)
        dcp_warn (out->peer ? "refused submission for another country"
                            : "refused submission from an unregistered key",
                  "submission=%s peer=%.8s country=%s claimed=%s",
                  dcp_log_quote (quoted, sizeof quoted, in->id[0] ? in->id : "none"),
                  in->sender_key ? in->sender_key : "none", out->peer ? out->peer->country : "none",
                  sub && sub->reporting_country[0]
                      ? dcp_log_quote (claimed, sizeof claimed, sub->reporting_country)
                      : "none");
    return rc;
}

/* Packs the Forward envelope: the decision and every finding. */
static int
s_envelope (const validate_opts_t *opts, const validate_input_t *in, validate_decision_t *out)
{
    char received_at[40];
    Dcp__V1__Forward fwd = DCP__V1__FORWARD__INIT;
    const dcp_peer_t *peer = out->peer;
    dcp_rfc3339_now (received_at, sizeof received_at);
    fwd.route.data = (uint8_t *) in->route;
    fwd.route.len = in->route_len;
    fwd.submission_id = (char *) in->id;
    fwd.rejected = out->rejected;
    fwd.security_event = out->security_event;
    fwd.sender_key = peer ? (char *) peer->public_key : "";
    fwd.sender_country = peer ? (char *) peer->country : "";
    fwd.sender_name = peer ? (char *) peer->name : "";
    fwd.received_at = received_at;
    fwd.validator_id = (char *) (opts->validator_id ? opts->validator_id : "");
    if (dcp_findings_to_problems (out->findings, &fwd.problems, &fwd.n_problems))
        return DCP_ENOMEM;
    out->forward = dcp_codec_pack_msg (&fwd.base, &out->forward_len);
    dcp_findings_free_problems (fwd.problems, fwd.n_problems);
    return out->forward ? 0 : DCP_ENOMEM;
}

int
validate_submission (const validate_opts_t *opts, const validate_input_t *in,
                     validate_decision_t *out)
{
    Dcp__V1__Submission *sub = NULL;
    memset (out, 0, sizeof *out);
    out->findings = dcp_findings_new ();
    if (!out->findings)
        return DCP_ENOMEM;
    int rc = s_decode (opts, in, out->findings, &sub);
    if (rc != 0)
        goto cleanup;
    int64_t t0 = dcp_now_ms ();
    if (sub && (rc = dcp_rules_check (sub, &opts->rules, out->findings)) != 0)
        goto cleanup;
    if (opts->validate_seconds)
        dcp_histogram_observe (opts->validate_seconds, (double) (dcp_now_ms () - t0) / 1000.0);
    if ((rc = s_authorise (opts, in, sub, out)) != 0)
        goto cleanup;
    out->rejected = dcp_findings_errors (out->findings) > 0;
    rc = s_envelope (opts, in, out);
cleanup:
    dcp_codec_free (&sub);
    return rc;
}

void
validate_decision_clear (validate_decision_t *out)
{
    dcp_findings_destroy (&out->findings);
    free (out->forward);
    memset (out, 0, sizeof *out);
}

void
validate_count_reasons (const validate_decision_t *decision, dcp_metrics_t *metrics)
{
    const dcp_findings_t *findings = decision->findings;
    if (!decision->rejected || !findings)
        return;
    for (size_t i = 0; i < dcp_findings_count (findings); i++) {
        const dcp_finding_t *f = dcp_findings_get (findings, i);
        bool seen = f->severity != DCP_SEV_ERROR;
        for (size_t j = 0; j < i && !seen; j++)
            seen = dcp_findings_get (findings, j)->severity == DCP_SEV_ERROR
                   && strcmp (dcp_findings_get (findings, j)->rule, f->rule) == 0;
        if (!seen) {
            char labels[96];
            snprintf (labels, sizeof labels, "reason=\"%.64s\"", f->rule);
            dcp_metrics_inc (metrics, "dcp_validator_rejected_by_reason_total",
                             "submissions rejected, by error code", labels);
        }
    }
}
