/* intake.h: a response file read, checked and taken into the outbox.
 *
 * Each file is read once (jsonread_file keeps the bytes it parsed, the JSON
 * and the CSV files it names) and the Submission packed once: the outbox
 * stores those very bytes, and the first attempt is sent from memory
 * (sender_add_bytes), so nothing is read back or packed again on the way to
 * the validator. */
#ifndef INTAKE_H
#define INTAKE_H

#include <stdint.h>
#include <stdio.h>

#include "collector.h"
#include "dcp_findings.h"
#include "jsonread.h"
#include "xlsxread.h"

/* A response read and checked. */
typedef struct {
    Dcp__V1__Submission *sub; /* with its submission_id and schema_version set */
    uint8_t *packed;          /* SUB packed: the bytes to store and send */
    size_t packed_len;
    jsonread_files_t
        files;             /* the bytes read: the JSON file, then its CSV files (or the workbook) */
    xlsxread_map_t *where; /* a workbook: which cell each answer came from; else NULL */
} intake_t;

/* Reads the response at PATH (JSON, or a workbook if it ends in .xlsx:
 * xlsxread.h), gives it an id derived from its content if it
 * has none (dcp_id_uuid_from_content of the packed response without id, so
 * taking the same response twice is one submission), packs it, and checks
 * it with C's rules.  Findings go into FINDINGS.  Returns 0 with IN filled
 * (free with intake_free(), also on failure), DCP_EINVAL if the file could
 * not be read as a response at all (FINDINGS says why) or DCP_ENOMEM. */
int intake_read (collector_t *c, const char *path, dcp_findings_t *findings, intake_t *in);

/* What makes a file a revision (revise.h): the envelope's revision_no,
 * supersedes_submission_id and revision_reason are set to these, and its
 * submission_id cleared, so that the id is derived from the content. */
typedef struct {
    unsigned revision_no;
    const char *supersedes; /* "" for a first submission */
    const char *reason;     /* a revision_reason code, or "" */
} intake_revision_t;

/* As intake_read(), with the file made revision REV (if not NULL) before
 * it is packed and checked, so the checks see the revision as it is sent. */
int intake_read_revision (collector_t *c, const char *path, const intake_revision_t *rev,
                          dcp_findings_t *findings, intake_t *in);

/* Frees what IN holds; safe on a zeroed or freed one. */
void intake_free (intake_t *in);

/* Reads, checks and takes PATH into C's outbox, telling OUT about problems.
 * A file with errors is taken only if send_invalid is set.  On success
 * returns 0 with the id in ID (40 bytes) and where it is in *STATE; a new
 * pending entry is also queued in C's sender, if there is one, with its
 * bytes for the first attempt.  Returns 1 if the file was not taken. */
int intake_take (collector_t *c, const char *path, char *id, outbox_state_t *state, FILE *out);

/* The second half of intake_take(): takes IN, read from PATH and checked,
 * into C's outbox and queues it as intake_take() does.  An id already in the
 * outbox with other content is refused (revise_refuse() tells OUT why and
 * what to do), unless the same answers were sent before under another id:
 * then ID and *STATE name that entry.  Returns 0 or 1 as intake_take(). */
int intake_store (collector_t *c, const char *path, intake_t *in, char *id, outbox_state_t *state,
                  FILE *out);

/* The packed response with submission_id ID and schema_version
 * SCHEMA_VERSION put in front of PACKED (the response packed without
 * either), which is exactly what packing the whole response gives, as both
 * are the first fields of a Submission and proto3 leaves zero values out.
 * Caller frees; NULL if out of memory. */
uint8_t *intake_pack_with_id (const uint8_t *packed, size_t len, const char *id,
                              uint32_t schema_version, size_t *len_p);

#endif
