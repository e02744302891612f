/* show.h: what the outbox holds, for people: `collector status` (one line
 * per submission) and `collector show ID` (one submission, its receipt and
 * what was stored, in words or as JSON).
 *
 * `collector show ID --json` is the readable form of a receipt on disk (the
 * outbox keeps it as protobuf, receipt.pb and receipts.log): one JSON
 * object, written on demand so that it can never disagree with the binary
 * one:
 *
 *   {"submission_id": "...", "state": "accepted|rejected|pending",
 *    "questionnaire": "precursors", "reporting_country": "AFG",
 *    "reporting_year": 2023, "revision_no": 1,
 *    "supersedes_submission_id": "...", "revision_reason": "CORRECTION",
 *    "taken_at": "2026-11-30T07:12:09Z", "source": "file.json",
 *    "receipt": null | {"status": "accepted", "stored_at": "...",
 *      "replayed": false, "current_submission_id": "...",
 *      "problems": [{"code": "V-PRE-07", "severity": "warning",
 *                    "path": "/precursors/...", "message": "..."}]}} */
#ifndef SHOW_H
#define SHOW_H

#include <stdio.h>

#include "collector.h"

/* show ID [--json]: the receipt of submission ID and a summary of what was
 * stored.  Exits 0, 1 if ID is not in the outbox, 2 on wrong usage. */
int cmd_show (collector_t *c, int argc, char **argv);

/* status [--all]: every submission of the outbox with its questionnaire,
 * country, year, revision and the date it was taken; pending first, then
 * accepted, then rejected with their problems.  Rejections that a later
 * accepted submission of the same series replaced are left out, and
 * counted, unless --all is given. */
int cmd_status (collector_t *c, int argc, char **argv);

/* For a file PATH whose content was sent before as entry ID: tells OUT when
 * and from which file, then shows the receipt it got (or that it still
 * waits for one).  Returns the entry's state. */
outbox_state_t show_receipt_again (collector_t *c, const char *path, const char *id, FILE *out);

#endif
