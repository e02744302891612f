/* dcp_log.c: logfmt writer (see dcp_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dcp_log.h"

dcp_log_level_t dcp_log_level = DCP_LOG_INFO;
static const char *s_stage = "dcp";

void
dcp_log_init (const char *stage, dcp_log_level_t level)
{
    s_stage = stage;
    dcp_log_level = level;
}

int
dcp_log_parse_level (const char *text)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp (text, names[i]) == 0)
            return i;
    return -1;
}

char *
dcp_log_quote (char *buf, size_t size, const char *text)
{
    size_t n = 0;
    int bare = text[0] != '\0';
    for (const char *p = text; *p; p++)
        if (*p == ' ' || *p == '"' || *p == '=' || *p == '\\' || (unsigned char) *p < 0x20)
            bare = 0;
    if (size == 0)
        return buf;
    if (bare) {
        snprintf (buf, size, "%s", text);
        return buf;
    }
    if (n + 1 < size)
        buf[n++] = '"';
    for (const char *p = text; *p && n + 3 < size; p++) {
        unsigned char c = (unsigned char) *p;
        if (c == '"' || c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char) c;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            /* libpq's messages continue on a new line after a tab */
            buf[n++] = '\\';
            buf[n++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20)
            buf[n++] = '?';
        else
            buf[n++] = (char) c;
    }
    if (n + 1 < size)
        buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

void
dcp__log (dcp_log_level_t level, const char *msg, const char *fields_fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[2048], quoted[1024], ts[40];
    struct timespec now;
    struct tm tm;

    clock_gettime (CLOCK_REALTIME, &now);
    gmtime_r (&now.tv_sec, &tm);
    strftime (ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    int n = snprintf (line, sizeof line, "ts=%s.%03ldZ level=%s stage=%s msg=%s", ts,
                      now.tv_nsec / 1000000, names[level], s_stage,
                      dcp_log_quote (quoted, sizeof quoted, msg));
    if (fields_fmt && n > 0 && (size_t) n < sizeof line - 2) {
        line[n++] = ' ';
        va_list ap;
        va_start (ap, fields_fmt);
        int m = vsnprintf (line + n, sizeof line - (size_t) n, fields_fmt, ap);
        va_end (ap);
        if (m > 0)
            n += m;
        if ((size_t) n >= sizeof line)
            n = (int) sizeof line - 1;
    }
    /* One write per line so lines from several processes never interleave. */
    fprintf (stderr, "%.*s\n", n, line);
}
