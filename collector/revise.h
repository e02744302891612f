/* revise.h: corrections that cannot get lost.
 *
 * A submission id names one content only (the loader stores an id once and
 * answers a second content under it with CONFLICT).  So when a focal point
 * edits a figure in a file that was already sent and keeps its
 * submission_id, as the template advises for resending, the collector must
 * neither send it under the old id nor answer it with the old receipt: it
 * refuses the file and says how to send it as a correction:
 *
 *   collector revise ID FILE [--reason CODE]
 *
 * makes FILE the next revision of submission ID's series (questionnaire,
 * reporting country, reporting year):
 *
 *   - revision_no is the current revision + 1 and supersedes_submission_id
 *     the current revision, where "current" is the accepted entry of the
 *     series with the highest revision number in this collector's outbox.
 *     That is what the loader checks (V-ENV-06: a series with a current
 *     submission takes only the next revision, pointing at it), and it works
 *     whichever revision of the series ID names.  A revision sent from
 *     another machine is unknown here: the receipt then says which one is
 *     current; set the three fields in the file by hand, empty its
 *     submission_id (one is then derived from the content) and submit it.
 *   - When nothing of the series was accepted (ID was rejected), FILE is
 *     sent as a new first submission (revision 0, nothing superseded).
 *   - revision_reason is CODE (CORRECTION, LATE_DATA, DEFINITION_CHANGE,
 *     OTHER; any case, spaces for underscores), CORRECTION without
 *     --reason (the command says so); whatever the file says is replaced.
 *   - the submission id is derived from the content, revision fields
 *     included, so running the same revise twice sends one submission.
 *
 * It refuses while an entry of the series is still pending (its receipt
 * decides what is current), when FILE is of another series than ID, and
 * when FILE holds the same answers as the current revision (nothing to
 * correct). */
#ifndef REVISE_H
#define REVISE_H

#include <stdio.h>

#include "collector.h"
#include "dcp_codec.h"

/* Called when PATH, read as SUB, has the submission id of an outbox entry
 * with other content.  If the same answers were sent before as another
 * entry of the series (e.g. by an earlier `revise` of this very file),
 * says so on OUT, puts that entry's id in ID (40 bytes) and its state in
 * *STATE, queues it in C's sender if it is pending, and returns 0.  Else
 * tells OUT that the file was refused, when and from which file the id was
 * sent, and the command that sends it as a correction, and returns 1. */
int revise_refuse (collector_t *c, const char *path, const Dcp__V1__Submission *sub, char *id,
                   outbox_state_t *state, FILE *out);

/* revise ID FILE [--reason CODE]: sends FILE as the next revision of
 * submission ID and waits for the receipt.  Exits 0 when it was accepted
 * (or already was), 1 if refused or not accepted, 2 on wrong usage. */
int cmd_revise (collector_t *c, int argc, char **argv);

#endif
