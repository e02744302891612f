/* show.c: `collector status` and `collector show` (see show.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_findings.h"
#include "dcp_i18n.h"
#include "history.h"
#include "report.h"
#include "show.h"

/* English, as the status table and --json show them; `show` translates. */
static const char *s_state_name[] = {N_ ("unknown"), N_ ("pending"), N_ ("accepted"),
                                     N_ ("rejected")};

/* The receipt of entry ID as received (caller frees with
 * dcp__v1__receipt__free_unpacked); NULL if it has none yet. */
static Dcp__V1__Receipt *
s_receipt (collector_t *c, const char *id)
{
    size_t len = 0;
    uint8_t *bytes = outbox_receipt (c->outbox, id, &len);
    Dcp__V1__Receipt *r = bytes ? dcp__v1__receipt__unpack (NULL, len, bytes) : NULL;
    free (bytes);
    return r;
}

outbox_state_t
show_receipt_again (collector_t *c, const char *path, const char *id, FILE *out)
{
    char when[40];
    outbox_state_t state = outbox_state (c->outbox, id);
    char *source = outbox_read (c->outbox, id, "source");
    struct timespec taken;
    outbox_taken_at (c->outbox, id, &taken);
    history_time (taken.tv_sec, when, sizeof when);
    if (state == OUTBOX_PENDING) {
        fprintf (out,
                 _ ("%s: the same content was taken on %s from %s, as submission %s; it still "
                    "waits for its receipt\n"),
                 path, when, source ? source : "?", id);
        free (source);
        return state;
    }
    fprintf (out, _ ("%s: the same content was sent on %s from %s; the receipt it got:\n"), path,
             when, source ? source : "?");
    char *text = collector_receipt_text (c, id);
    fputs (text ? text : _ ("  (receipt missing)\n"), out);
    free (text);
    free (source);
    return state;
}

/* TEXT padded with spaces to WIDTH characters (UTF-8 characters, not
 * bytes: printf's %-9s would misalign a translated word), on the right, or
 * on the left if RIGHT; into BUF. */
static const char *
s_pad (const char *text, int width, bool right, char *buf, size_t size)
{
    int chars = 0;
    for (const char *p = text; *p; p++)
        chars += ((unsigned char) *p & 0xC0) != 0x80;
    int fill = width > chars ? width - chars : 0;
    snprintf (buf, size, "%*s%s%*s", right ? fill : 0, "", text, right ? 0 : fill, "");
    return buf;
}

/* One line of `collector status`. */
static void
s_status_line (const history_entry_t *e, FILE *out)
{
    char when[40], state[64];
    history_time (e->taken_at, when, sizeof when);
    s_pad (_ (s_state_name[e->state]), 9, false, state, sizeof state);
    if (e->known)
        fprintf (out, "%s %-36s %-15s %-3s %4d %3u  %-20s %s\n", state, e->id,
                 dcp_codec_kind_name (e->questionnaire), e->country, e->year, e->revision_no, when,
                 e->source);
    else
        fprintf (out, "%s %-36s %-15s %-3s %4s %3s  %-20s %s\n", state, e->id, "?", "?", "?", "?",
                 when, e->source);
}

/* The heading of `collector status`, in the columns of s_status_line. */
static void
s_status_heading (FILE *out)
{
    static const struct {
        const char *word;
        int width;
        bool right;
    } cols[] = {
        {N_ ("state"), 9, false},
        {N_ ("submission"), 36, false},
        {N_ ("questionnaire"), 15, false},
        {N_ ("cty"), 3, false},
        {N_ ("year"), 4, true},
        {N_ ("rev"), 3, true},
        {N_ ("taken"), 20, false},
        {N_ ("file"), 0, false},
    };
    char cell[128];
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        fprintf (out, "%s%s",
                 i == 0   ? ""
                 : i == 6 ? "  "
                          : " ",
                 s_pad (_ (cols[i].word), cols[i].width, cols[i].right, cell, sizeof cell));
    fputc ('\n', out);
}

/* The problems of rejected entry E, indented under its line. */
static void
s_status_problems (collector_t *c, const history_entry_t *e, FILE *out)
{
    char *text = collector_receipt_text (c, e->id);
    if (!text)
        return;
    for (char *line = strchr (text, '\n'); line && line[1]; line = strchr (line + 1, '\n')) {
        char *end = strchr (line + 1, '\n');
        fprintf (out, "          %.*s\n", (int) (end ? end - line - 1 : (long) strlen (line + 1)),
                 line + 1);
    }
    free (text);
}

int
cmd_status (collector_t *c, int argc, char **argv)
{
    bool all = argc == 1 && strcmp (argv[0], "--all") == 0;
    if (argc > 1 || (argc == 1 && !all)) {
        fprintf (stderr, _ ("collector status: usage: collector status [--all]\n"));
        return 2;
    }
    if (collector_open (c, false))
        return 1;
    history_t *h = history_new (c->outbox);
    if (!h) {
        fprintf (stderr, _ ("collector: could not read the outbox %s\n"), c->cfg.outbox);
        collector_close (c);
        return 1;
    }
    printf (_ ("outbox %s\n"), c->cfg.outbox);
    if (history_size (h))
        s_status_heading (stdout);
    size_t hidden = 0;
    outbox_state_t order[] = {OUTBOX_PENDING, OUTBOX_ACCEPTED, OUTBOX_REJECTED};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < history_size (h); i++) {
            const history_entry_t *e = history_get (h, i);
            if (e->state != order[k])
                continue;
            if (!all && history_replaced (h, e)) {
                hidden++;
                continue;
            }
            s_status_line (e, stdout);
            if (e->state == OUTBOX_REJECTED)
                s_status_problems (c, e, stdout);
        }
    if (hidden)
        printf (dcp_i18n_ntext ("(%zu rejected submission replaced by a later accepted one of "
                                "the same questionnaire, country and year not shown; collector "
                                "status --all shows them)\n",
                                "(%zu rejected submissions replaced by a later accepted one of "
                                "the same questionnaire, country and year not shown; collector "
                                "status --all shows them)\n",
                                hidden),
                hidden);
    history_destroy (&h);
    collector_close (c);
    return 0;
}

/* Counts the problems of R by severity: errors, warnings, the rest. */
static void
s_count (const Dcp__V1__Receipt *r, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; r && i < r->n_problems; i++)
        switch (r->problems[i]->severity) {
        case DCP__V1__SEVERITY__SEVERITY_ERROR: n[0]++; break;
        case DCP__V1__SEVERITY__SEVERITY_WARNING: n[1]++; break;
        default: n[2]++; break;
        }
}

/* `collector show ID` in words. */
static void
s_show_text (const history_t *h, const history_entry_t *e, const Dcp__V1__Submission *sub,
             const Dcp__V1__Receipt *r)
{
    char when[40];
    size_t n[3];
    printf (_ ("submission     %s\n"), e->id);
    if (sub) {
        printf (_ ("questionnaire  %s\n"), dcp_codec_kind_name (sub->questionnaire));
        printf (_ ("country, year  %s %d\n"), sub->reporting_country, (int) sub->reporting_year);
        if (sub->revision_no)
            printf (_ ("revision       %u (supersedes %s, reason %s)\n"), sub->revision_no,
                    sub->supersedes_submission_id,
                    sub->revision_reason[0] ? sub->revision_reason : _ ("not given"));
        else
            printf (_ ("revision       0 (first submission)\n"));
    }
    printf (_ ("state          %s"), _ (s_state_name[e->state]));
    if (r && r->stored_at && r->stored_at[0])
        printf (_ (", stored %s"), r->stored_at);
    else if (e->state == OUTBOX_PENDING)
        printf (_ (", no receipt yet"));
    printf ("\n");
    printf (_ ("taken          %s from %s\n"), history_time (e->taken_at, when, sizeof when),
            e->source);
    /* What happened to it since: a later revision, or a fixed resend. */
    for (size_t i = 0; i < history_size (h); i++) {
        const history_entry_t *x = history_get (h, i);
        if (strcasecmp (x->supersedes, e->id) == 0)
            printf (_ ("revised by     %s (revision %u, %s)\n"), x->id, x->revision_no,
                    _ (s_state_name[x->state]));
    }
    if (history_replaced (h, e))
        printf (_ ("replaced       a later submission of the same questionnaire, country and year "
                   "was accepted (collector status)\n"));
    s_count (r, n);
    if (r) {
        printf ("%s", _ ("findings       "));
        printf (dcp_i18n_ntext ("%zu error", "%zu errors", n[0]), n[0]);
        printf (dcp_i18n_ntext (", %zu warning", ", %zu warnings", n[1]), n[1]);
        printf (dcp_i18n_ntext (", %zu note", ", %zu notes", n[2]), n[2]);
        printf ("\n");
    }
    char *text = r ? report_receipt (e->source, r) : NULL;
    if (text)
        printf (_ ("receipt:\n%s"), text);
    free (text);
}

/* Sets KEY of OBJ to the string S (NULL as ""); jansson takes care of the
 * escaping, and refuses bytes that are not UTF-8 (the validator checks
 * them, but a receipt is partner-controlled text): such a value is
 * replaced by null. */
static void
s_json_str (json_t *obj, const char *key, const char *s)
{
    json_t *v = json_string (s ? s : "");
    json_object_set_new (obj, key, v ? v : json_null ());
}

/* `collector show ID --json`: see show.h for the shape. */
static int
s_show_json (const history_entry_t *e, const Dcp__V1__Submission *sub, const Dcp__V1__Receipt *r)
{
    char when[40] = "";
    json_t *o = json_object ();
    if (!o)
        return 1;
    s_json_str (o, "submission_id", e->id);
    s_json_str (o, "state", s_state_name[e->state]);
    if (sub) {
        s_json_str (o, "questionnaire", dcp_codec_kind_name (sub->questionnaire));
        s_json_str (o, "reporting_country", sub->reporting_country);
        json_object_set_new (o, "reporting_year", json_integer (sub->reporting_year));
        json_object_set_new (o, "revision_no", json_integer (sub->revision_no));
        s_json_str (o, "supersedes_submission_id", sub->supersedes_submission_id);
        s_json_str (o, "revision_reason", sub->revision_reason);
    }
    struct tm tm;
    if (e->taken_at && gmtime_r (&e->taken_at, &tm))
        strftime (when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    s_json_str (o, "taken_at", when);
    s_json_str (o, "source", e->source);
    json_t *jr = json_null ();
    if (r) {
        jr = json_object ();
        json_t *problems = json_array ();
        s_json_str (jr, "status", dcp_codec_status_name (r->status));
        s_json_str (jr, "stored_at", r->stored_at);
        json_object_set_new (jr, "replayed", json_boolean (r->replayed));
        s_json_str (jr, "current_submission_id", r->current_submission_id);
        for (size_t i = 0; i < r->n_problems; i++) {
            const Dcp__V1__Problem *p = r->problems[i];
            json_t *jp = json_object ();
            s_json_str (jp, "code", p->code);
            s_json_str (jp, "severity", dcp_severity_name ((dcp_severity_t) p->severity));
            s_json_str (jp, "path", p->path);
            s_json_str (jp, "message", p->message);
            json_array_append_new (problems, jp);
        }
        json_object_set_new (jr, "problems", problems);
    }
    json_object_set_new (o, "receipt", jr);
    int rc = json_dumpf (o, stdout, JSON_INDENT (2) | JSON_PRESERVE_ORDER) == 0 ? 0 : 1;
    printf ("\n");
    json_decref (o);
    return rc;
}

int
cmd_show (collector_t *c, int argc, char **argv)
{
    const char *id = NULL;
    bool json = false, usage = argc < 1 || argc > 2;
    for (int i = 0; i < argc; i++) {
        if (strcmp (argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-' || id)
            usage = true;
        else
            id = argv[i];
    }
    if (usage || !id) {
        fprintf (stderr, _ ("collector show: usage: collector show ID [--json]\n"));
        return 2;
    }
    if (collector_open (c, false))
        return 1;
    int rc = 1;
    history_t *h = history_new (c->outbox);
    const history_entry_t *e = h ? history_find (h, id) : NULL;
    if (!e) {
        fprintf (stderr,
                 _ ("collector show: submission %s is not in the outbox %s (collector status "
                    "lists what is)\n"),
                 id, c->cfg.outbox);
        goto cleanup;
    }
    Dcp__V1__Submission *sub = history_submission (h, e->id);
    Dcp__V1__Receipt *r = e->state == OUTBOX_PENDING ? NULL : s_receipt (c, e->id);
    if (json)
        rc = s_show_json (e, sub, r);
    else {
        s_show_text (h, e, sub, r);
        rc = 0;
    }
    dcp_codec_free (&sub);
    if (r)
        dcp__v1__receipt__free_unpacked (r, NULL);
cleanup:
    history_destroy (&h);
    collector_close (c);
    return rc;
}
