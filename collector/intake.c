/* intake.c: read once, pack once, check, take (see intake.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_id.h"
#include "intake.h"
#include "report.h"
#include "revise.h"

/* Appends VALUE as a protobuf varint at OUT; returns the bytes written. */
static size_t
s_varint (uint8_t *out, uint64_t value)
{
    size_t n = 0;
    do {
        uint8_t b = value & 0x7F;
        value >>= 7;
        out[n++] = b | (value ? 0x80 : 0);
    } while (value);
    return n;
}

uint8_t *
intake_pack_with_id (const uint8_t *packed, size_t len, const char *id, uint32_t schema_version,
                     size_t *len_p)
{
    size_t id_len = strlen (id);
    uint8_t *out = malloc (len + id_len + 32);
    if (!out)
        return NULL;
    size_t n = 0;
    out[n++] = (1 << 3) | 2; /* field 1, submission_id: length-delimited */
    n += s_varint (out + n, id_len);
    memcpy (out + n, id, id_len);
    n += id_len;
    if (schema_version) {
        out[n++] = (2 << 3) | 0; /* field 2, schema_version: varint */
        n += s_varint (out + n, schema_version);
    }
    memcpy (out + n, packed, len);
    *len_p = n + len;
    return out;
}

/* Gives IN->sub its id and schema version and packs it, once.  A response
 * without id gets one derived from its content (packed without id and, as
 * before this module existed, before the schema version is filled in); the
 * bytes to send are then that packing with the two fields put in front. */
static int
s_pack (intake_t *in)
{
    Dcp__V1__Submission *sub = in->sub;
    if (sub->submission_id[0]) {
        if (sub->schema_version == 0)
            sub->schema_version = DCP_SCHEMA_VERSION;
        in->packed = dcp_codec_pack (sub, &in->packed_len);
        return in->packed ? 0 : DCP_ENOMEM;
    }
    size_t len = 0;
    uint8_t *bare = dcp_codec_pack (sub, &len);
    if (!bare)
        return DCP_ENOMEM;
    char id[40];
    dcp_id_uuid_from_content (bare, len, id);
    char *copy = strdup (id);
    uint32_t added = sub->schema_version == 0 ? DCP_SCHEMA_VERSION : 0;
    in->packed = copy ? intake_pack_with_id (bare, len, id, added, &in->packed_len) : NULL;
    free (bare);
    if (!in->packed) {
        free (copy);
        return DCP_ENOMEM;
    }
    if (sub->submission_id != protobuf_c_empty_string)
        free (sub->submission_id);
    sub->submission_id = copy;
    if (added)
        sub->schema_version = added;
    return 0;
}

/* Makes SUB the revision REV says, with no id yet (s_pack derives one from
 * the content, revision fields included, so revising the same file twice
 * gives the same id). */
static int
s_revise (Dcp__V1__Submission *sub, const intake_revision_t *rev)
{
    char *id = strdup (""), *supersedes = strdup (rev->supersedes), *reason = strdup (rev->reason);
    if (!id || !supersedes || !reason) {
        free (id);
        free (supersedes);
        free (reason);
        return DCP_ENOMEM;
    }
    char **fields[] = {&sub->submission_id, &sub->supersedes_submission_id, &sub->revision_reason};
    char *values[] = {id, supersedes, reason};
    for (int i = 0; i < 3; i++) {
        if (*fields[i] != protobuf_c_empty_string)
            free (*fields[i]);
        *fields[i] = values[i];
    }
    sub->revision_no = rev->revision_no;
    return 0;
}

int
intake_read (collector_t *c, const char *path, dcp_findings_t *findings, intake_t *in)
{
    return intake_read_revision (c, path, NULL, findings, in);
}

int
intake_read_revision (collector_t *c, const char *path, const intake_revision_t *rev,
                      dcp_findings_t *findings, intake_t *in)
{
    memset (in, 0, sizeof *in);
    if (xlsxread_is_workbook (path))
        in->sub = xlsxread_file (path, findings, &in->files, &in->where);
    else
        in->sub = jsonread_file (path, findings, &in->files);
    if (!in->sub)
        return DCP_EINVAL;
    int rc = rev ? s_revise (in->sub, rev) : 0;
    if (!rc)
        rc = s_pack (in);
    if (rc)
        return rc;
    if (in->where) {
        /* a workbook: the rules' JSON pointers become the cells they mean */
        dcp_findings_t *rules = dcp_findings_new ();
        rc = rules ? dcp_rules_check (in->sub, &c->rules, rules) : DCP_ENOMEM;
        if (!rc)
            rc = xlsxread_locate (in->where, rules, findings);
        dcp_findings_destroy (&rules);
        return rc ? DCP_ENOMEM : 0;
    }
    size_t first_rule = dcp_findings_count (findings);
    if (dcp_rules_check (in->sub, &c->rules, findings))
        return DCP_ENOMEM;
    /* echoes out, CSV rows by line and column, everything in file order */
    return srcmap_locate_findings (in->files.map, findings, first_rule);
}

void
intake_free (intake_t *in)
{
    dcp_codec_free (&in->sub);
    free (in->packed);
    in->packed = NULL;
    jsonread_files_free (&in->files);
    xlsxread_map_destroy (&in->where);
}

int
intake_take (collector_t *c, const char *path, char *id, outbox_state_t *state, FILE *out)
{
    dcp_findings_t *findings = dcp_findings_new ();
    intake_t in;
    int rc = 1;
    if (!findings)
        return 1;
    int read_rc = intake_read (c, path, findings, &in);
    if (read_rc || (dcp_findings_errors (findings) && !c->cfg.send_invalid)) {
        if (read_rc && dcp_findings_count (findings) == 0)
            fprintf (out, _ ("%s: could not read: %s\n"), path, strerror (errno));
        report_findings (out, path, findings);
        fprintf (out, _ ("%s: not sent: fix the errors above and submit again\n"), path);
        goto cleanup;
    }
    rc = intake_store (c, path, &in, id, state, out);
cleanup:
    intake_free (&in);
    dcp_findings_destroy (&findings);
    return rc;
}

int
intake_store (collector_t *c, const char *path, intake_t *in, char *id, outbox_state_t *state,
              FILE *out)
{
    int rc = 1;
    outbox_file_t *files = calloc (in->files.n ? in->files.n : 1, sizeof *files);
    if (!files)
        return 1;
    for (size_t i = 0; i < in->files.n; i++)
        files[i] = (outbox_file_t){in->files.parts[i].name, in->files.parts[i].bytes,
                                   in->files.parts[i].len};
    int take_rc = outbox_take (c->outbox, in->sub->submission_id, in->packed, in->packed_len, path,
                               files, in->files.n, state);
    if (take_rc == DCP_ECONFLICT) {
        /* An edited file that kept its id: never answered with the old
         * receipt (revise.h says what happens instead). */
        rc = revise_refuse (c, path, in->sub, id, state, out);
        goto cleanup;
    }
    if (take_rc) {
        fprintf (out, _ ("%s: could not store in the outbox %s: %s\n"), path, c->cfg.outbox,
                 strerror (errno));
        goto cleanup;
    }
    snprintf (id, 40, "%s", in->sub->submission_id);
    /* The first attempt goes from memory: the bytes are the ones just
     * stored, so nothing is read back from disk. */
    if (*state == OUTBOX_PENDING && c->sender)
        sender_add_bytes (c->sender, id, &in->packed, in->packed_len);
    rc = 0;
cleanup:
    free (files);
    return rc;
}
