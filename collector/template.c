/* template.c: embedded starting files with the reporting year filled in
 * (see template.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_blob.h"
#include "template.h"

/* collector/templates/ *.json, made by embed.cmake (top-level CMakeLists.txt). */
extern const dcp_blob_t collector_templates[];

#define S_YEAR_MARK "@REPORTING_YEAR@"

char *
template_text (const char *kind, int year)
{
    char name[64];
    if (!kind || strchr (kind, '/') || snprintf (name, sizeof name, "%s.json", kind) >= (int) sizeof name)
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
    return out;
}

int
template_reporting_year (time_t now)
{
    struct tm tm;
    if (!gmtime_r (&now, &tm))
        return 1970;
    return tm.tm_year + 1900 - 1;
}
