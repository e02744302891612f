/* report_sql.c: named statements from the embedded queries.sql (see report_sql.h). */
#include "report_sql.h"

#include <stdlib.h>
#include <string.h>

#define S_MARK "-- name: "

/* The start of the line after the marker line of NAME, or NULL. */
static const char *
s_find (const char *text, const char *name)
{
    size_t name_len = strlen (name);
    for (const char *p = strstr (text, S_MARK); p; p = strstr (p + 1, S_MARK)) {
        if (p != text && p[-1] != '\n')
            continue;
        const char *n = p + strlen (S_MARK);
        if (strncmp (n, name, name_len) == 0 && (n[name_len] == '\n' || n[name_len] == '\r'))
            return n[name_len] == '\r' ? n + name_len + 2 : n + name_len + 1;
    }
    return NULL;
}

char *
report_sql_extract (const char *text, const char *name)
{
    const char *start = s_find (text, name);
    if (!start)
        return NULL;
    const char *end = strstr (start, "\n" S_MARK);
    end = end ? end + 1 : start + strlen (start); /* keep the statement's last newline */
    size_t len = (size_t) (end - start);
    char *copy = malloc (len + 1);
    if (!copy)
        return NULL;
    memcpy (copy, start, len);
    copy[len] = '\0';
    return copy;
}

char *
report_sql_get (const char *name)
{
    const dcp_blob_t *file = dcp_blob_find (report_queries, "queries.sql");
    return file ? report_sql_extract (file->data, name) : NULL;
}
