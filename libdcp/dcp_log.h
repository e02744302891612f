/* dcp_log.h: logfmt lines on stderr, one per event.
 *
 *   ts=2026-11-27T03:18:09.123Z level=info stage=validator msg="..." key=value
 *
 * journald captures stderr under systemd.  The level is checked before any
 * formatting (Redis serverLog).  Never pass a secret to these functions.
 * The loader's writer threads log too: each line is written by one stdio
 * call, which locks the stream, so lines never interleave; dcp_log_init()
 * runs before any thread starts. */
#ifndef DCP_LOG_H
#define DCP_LOG_H

typedef enum {
    DCP_LOG_DEBUG = 0,
    DCP_LOG_INFO = 1,
    DCP_LOG_WARN = 2,
    DCP_LOG_ERROR = 3,
} dcp_log_level_t;

extern dcp_log_level_t dcp_log_level;

/* Sets the stage name written as stage=... on every line (borrowed; keep it
 * alive, a string literal is best). */
void dcp_log_init (const char *stage, dcp_log_level_t level);

/* Parses "debug", "info", "warn", "error"; returns -1 if unknown. */
int dcp_log_parse_level (const char *text);

/* Logs MSG (quoted and escaped) followed by FIELDS_FMT, which is a printf
 * format for extra `key=value` pairs (may be NULL).  String values in FIELDS
 * that may contain spaces or quotes must go through dcp_log_quote(). */
void dcp__log (dcp_log_level_t level, const char *msg, const char *fields_fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

#define dcp_log(lvl, msg, ...)                                                                     \
    do {                                                                                           \
        if ((lvl) < dcp_log_level)                                                                 \
            break;                                                                                 \
        dcp__log ((lvl), (msg), __VA_ARGS__);                                                      \
    } while (0)

#define dcp_debug(msg, ...) dcp_log (DCP_LOG_DEBUG, msg, __VA_ARGS__)
#define dcp_info(msg, ...) dcp_log (DCP_LOG_INFO, msg, __VA_ARGS__)
#define dcp_warn(msg, ...) dcp_log (DCP_LOG_WARN, msg, __VA_ARGS__)
#define dcp_error(msg, ...) dcp_log (DCP_LOG_ERROR, msg, __VA_ARGS__)

/* Writes TEXT into BUF (size SIZE) as a logfmt value: bare if it is safe,
 * else in double quotes with \" \\ \n \t \r escaped (other control characters
 * become ?); cut at SIZE. Returns BUF. */
char *dcp_log_quote (char *buf, size_t size, const char *text);

#endif
