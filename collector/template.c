/* template.c: embedded starting files with the reporting year filled in
 * (see template.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dcp_blob.h"
#include "dcp_buf.h"
#include "dcp_i18n.h"
#include "template.h"

/* collector/templates/ *.json, made by embed.cmake (top-level CMakeLists.txt). */
extern const dcp_blob_t collector_templates[];

#define S_YEAR_MARK "@REPORTING_YEAR@"

/* The JSON string literal starting at P (at its '"'): where it ends (after
 * the closing quote), or NULL if it does not. */
static const char *
s_literal_end (const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p == '"' ? p + 1 : NULL;
}

/* TEXT with the value of every comment key ("_comment": "...") in the
 * chosen language (dcp_i18n.h; the English text is the msgid), and the
 * language of the answers set to it.  The layout of the file stays as
 * written: only those string literals are replaced.  Caller frees; NULL
 * if out of memory. */
static char *
s_translate (const char *text)
{
    dcp_buf_t out;
    dcp_buf_init (&out);
    int rc = 0;
    const char *r = text;
    for (const char *q = r; (q = strstr (q, "\"_")) != NULL;) {
        const char *key_end = s_literal_end (q), *v = key_end;
        while (v && (*v == ' ' || *v == ':'))
            v++;
        const char *v_end = v && *v == '"' ? s_literal_end (v) : NULL;
        if (!v_end) {
            q = key_end ? key_end : q + 2;
            continue;
        }
        json_t *decoded = json_loadb (v, (size_t) (v_end - v), JSON_DECODE_ANY, NULL);
        const char *english = json_is_string (decoded) ? json_string_value (decoded) : NULL;
        const char *local = english ? _ (english) : NULL;
        json_t *translated = local && local != english ? json_string (local) : NULL;
        char *encoded = translated ? json_dumps (translated, JSON_ENCODE_ANY) : NULL;
        json_decref (translated);
        if (encoded) {
            rc |= dcp_buf_append (&out, r, (size_t) (v - r));
            rc |= dcp_buf_appends (&out, encoded);
            r = v_end;
        }
        free (encoded);
        json_decref (decoded);
        q = v_end;
    }
    rc |= dcp_buf_appends (&out, r);
    if (rc) {
        dcp_buf_free (&out);
        return NULL;
    }
    char language[40];
    snprintf (language, sizeof language, "\"language\": \"%s\"", dcp_i18n_lang ());
    char *t = dcp_buf_take (&out, NULL), *l = t ? strstr (t, "\"language\": \"en\"") : NULL;
    if (l && strlen (language) == strlen ("\"language\": \"en\""))
        memcpy (l, language, strlen (language));
    return t;
}

char *
template_text (const char *kind, int year)
{
    char name[64];
    if (!kind || strchr (kind, '/')
        || snprintf (name, sizeof name, "%s.json", kind) >= (int) sizeof name)
        return NULL;
    const dcp_blob_t *blob = dcp_blob_find (collector_templates, name);
    if (!blob)
        return NULL;
    char year_text[16];
    int year_len = snprintf (year_text, sizeof year_text, "%d", year);
    size_t mark_len = strlen (S_YEAR_MARK);
    /* every mark becomes the year, which is never longer than the mark */
    char *out = malloc (blob->len + 1), *w = out;
    if (!out)
        return NULL;
    const char *r = blob->data, *end = blob->data + blob->len;
    for (const char *m; (m = strstr (r, S_YEAR_MARK)) != NULL; r = m + mark_len) {
        memcpy (w, r, (size_t) (m - r));
        w += m - r;
        memcpy (w, year_text, (size_t) year_len);
        w += year_len;
    }
    memcpy (w, r, (size_t) (end - r));
    w[end - r] = '\0';
    if (strcmp (dcp_i18n_lang (), "en") == 0)
        return out;
    char *local = s_translate (out);
    free (out);
    return local;
}

int
template_reporting_year (time_t now)
{
    struct tm tm;
    if (!gmtime_r (&now, &tm))
        return 1970;
    return tm.tm_year + 1900 - 1;
}
