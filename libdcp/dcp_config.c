/* dcp_config.c: table-driven configuration (see dcp_config.h).
 *
 * Errors are collected, not returned at the first one: each source (file,
 * environment, flags) goes on after a bad line and appends its message to
 * an error list, so that one run shows the operator everything to fix. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_log.h"

extern char **environ;

/* Messages joined by '\n' into a caller's buffer; COUNT goes on when the
 * buffer is full, so the caller can say how many were not shown. */
typedef struct {
    char *buf;
    size_t size;
    size_t len;
    int count;
} s_errs_t;

static void s_errs_add (s_errs_t *e, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
s_errs_add (s_errs_t *e, const char *fmt, ...)
{
    e->count++;
    if (!e->buf || e->size == 0)
        return;
    if (e->len == 0)
        e->buf[0] = '\0';
    size_t room = e->size - e->len;
    if (e->len > 0) {
        if (room < 2)
            return;
        e->buf[e->len++] = '\n';
        e->buf[e->len] = '\0';
        room--;
    }
    va_list ap;
    va_start (ap, fmt);
    int n = vsnprintf (e->buf + e->len, room, fmt, ap);
    va_end (ap);
    if (n < 0)
        return;
    e->len += (size_t) n < room ? (size_t) n : room - 1;
}

static char
s_fold (char c)
{
    return c == '-' ? '_' : (char) tolower ((unsigned char) c);
}

static int
s_name_eq (const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (s_fold (*a) != s_fold (*b))
            return 0;
    return *a == *b;
}

static const dcp_cfg_option_t *
s_find (const dcp_cfg_option_t *opts, const char *name)
{
    for (; opts->name; opts++)
        if (s_name_eq (opts->name, name))
            return opts;
    return NULL;
}

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, so "log_levle" is one step from "log_level"), on folded
 * characters.  Names are short; longer input is cut at 63 characters. */
static int
s_distance (const char *a, const char *b)
{
    enum { N = 64 };
    int d[N][N];
    size_t la = strnlen (a, N - 1), lb = strnlen (b, N - 1);
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int) i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int) j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = s_fold (a[i - 1]) != s_fold (b[j - 1]);
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && s_fold (a[i - 1]) == s_fold (b[j - 2])
                && s_fold (a[i - 2]) == s_fold (b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *
dcp_config_suggest (const dcp_cfg_option_t *opts, const char *name)
{
    const char *best = NULL;
    int best_d = 0;
    /* A third of the name may be wrong, at least one character, at most
     * three: "windwo" finds "window", "x" finds nothing. */
    int len = (int) strnlen (name, 63);
    int limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    for (; opts->name; opts++) {
        int d = s_distance (name, opts->name);
        if (d <= limit && (!best || d < best_d)) {
            best = opts->name;
            best_d = d;
        }
    }
    return best;
}

/* " (did you mean \"NAME\"?)" or "", into BUF; PREFIX goes before the name
 * ("--", "DCP_LOADER_"), and the name is upper-cased for a variable. */
static const char *
s_hint (char *buf, size_t size, const dcp_cfg_option_t *opts, const char *name, const char *prefix,
        bool upper)
{
    const char *near = dcp_config_suggest (opts, name);
    if (!near) {
        buf[0] = '\0';
        return buf;
    }
    char shown[64];
    size_t k = 0;
    for (; near[k] && k < sizeof shown - 1; k++)
        shown[k] = upper ? (char) toupper ((unsigned char) near[k]) : near[k];
    shown[k] = '\0';
    snprintf (buf, size, " (did you mean \"%s%s\"?)", prefix, shown);
    return buf;
}

static int
s_store (const dcp_cfg_option_t *opt, void *target, const char *value, const char **why)
{
    char *field = (char *) target + opt->offset;
    switch (opt->type) {
    case DCP_CFG_STR:
        if (strlen (value) >= opt->size) {
            *why = "value too long";
            return DCP_ECONFIG;
        }
        memcpy (field, value, strlen (value) + 1);
        return 0;
    case DCP_CFG_INT: {
        char *end;
        errno = 0;
        long v = strtol (value, &end, 10);
        if (errno || end == value || *end || v < 0) {
            *why = "expected a non-negative integer";
            return DCP_ECONFIG;
        }
        memcpy (field, &v, sizeof v);
        return 0;
    }
    case DCP_CFG_BOOL: {
        bool b;
        if (!strcasecmp (value, "true") || !strcasecmp (value, "yes") || !strcasecmp (value, "on")
            || !strcmp (value, "1"))
            b = true;
        else if (!strcasecmp (value, "false") || !strcasecmp (value, "no")
                 || !strcasecmp (value, "off") || !strcmp (value, "0"))
            b = false;
        else {
            *why = "expected true or false";
            return DCP_ECONFIG;
        }
        memcpy (field, &b, sizeof b);
        return 0;
    }
    }
    *why = "unknown option type";
    return DCP_ECONFIG;
}

int
dcp_config_defaults (const dcp_cfg_option_t *opts, void *target, char *err, size_t errlen)
{
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        const char *why = NULL;
        if (s_store (o, target, o->def, &why)) {
            snprintf (err, errlen, "default of \"%s\": %s", o->name, why);
            return DCP_ECONFIG;
        }
    }
    return 0;
}

int
dcp_config_set (const dcp_cfg_option_t *opts, void *target, const char *name, const char *value,
                char *err, size_t errlen)
{
    const dcp_cfg_option_t *o = s_find (opts, name);
    const char *why = NULL;
    char hint[128];
    if (!o) {
        snprintf (err, errlen, "unknown option \"%s\"%s", name,
                  s_hint (hint, sizeof hint, opts, name, "", false));
        return DCP_EINVAL;
    }
    if (s_store (o, target, value, &why)) {
        snprintf (err, errlen, "option \"%s\": %s (got \"%.64s\")", name, why, value);
        return DCP_ECONFIG;
    }
    return 0;
}

typedef struct {
    const dcp_cfg_option_t *opts;
    void *target;
    const char *path;
    FILE *file;
    int lineno;      /* line inih is handling */
    int next_lineno; /* line the next read starts */
    bool had_key;    /* an indented line may continue the previous key */
    bool long_line;  /* the last piece read did not end its line */
    s_errs_t errs;
} s_ini_ctx_t;

/* inih says only where its FIRST error was, and gives the handler no line
 * number; reading the lines for it counts them, and checks each for the
 * syntax inih would refuse, so that every line gets its own message. */
static char *
s_ini_reader (char *str, int num, void *stream)
{
    s_ini_ctx_t *ctx = stream;
    char *line = fgets (str, num, ctx->file);
    if (!line)
        return NULL;
    ctx->lineno = ctx->next_lineno;
    size_t len = strlen (line);
    bool whole = (len > 0 && line[len - 1] == '\n') || feof (ctx->file);
    bool was_long = ctx->long_line;
    ctx->long_line = !whole;
    if (whole)
        ctx->next_lineno++;
    /* inih would cut a line longer than its buffer into pieces, keep the
     * first as a truncated value and read the rest as more keys: say so
     * once and give it blank lines instead. */
    if (!whole || was_long) {
        if (!was_long)
            s_errs_add (&ctx->errs, "%s:%d: line longer than %d characters", ctx->path, ctx->lineno,
                        num - 2);
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    const char *p = line + strspn (line, " \t\r\n");
    bool indented = p > line && *p;
    if (*p == '\0' || *p == '#' || *p == ';' || (indented && ctx->had_key))
        return line;
    if (*p == '[') {
        if (!strchr (p, ']'))
            s_errs_add (&ctx->errs, "%s:%d: syntax error (a section header needs \"]\")", ctx->path,
                        ctx->lineno);
        return line;
    }
    if (!strpbrk (p, "=:")) {
        s_errs_add (&ctx->errs, "%s:%d: syntax error (expected key = value)", ctx->path,
                    ctx->lineno);
        return line;
    }
    ctx->had_key = true;
    return line;
}

static int
s_ini_handler (void *user, const char *section, const char *name, const char *value)
{
    s_ini_ctx_t *ctx = user;
    const dcp_cfg_option_t *o = s_find (ctx->opts, name);
    const char *why = NULL;
    char hint[128];
    (void) section;
    if (!o) {
        s_errs_add (&ctx->errs, "%s:%d: unknown key \"%s\"%s", ctx->path, ctx->lineno, name,
                    s_hint (hint, sizeof hint, ctx->opts, name, "", false));
        return 1; /* go on: every mistake is reported in one run */
    }
    if (s_store (o, ctx->target, value, &why))
        s_errs_add (&ctx->errs, "%s:%d: key \"%s\": %s (got \"%.64s\")", ctx->path, ctx->lineno,
                    name, why, value);
    return 1;
}

int
dcp_config_file (const dcp_cfg_option_t *opts, void *target, const char *path, bool required,
                 char *err, size_t errlen)
{
    FILE *f = fopen (path, "r");
    if (!f) {
        if (!required && errno == ENOENT)
            return 0;
        snprintf (err, errlen, "could not open configuration file \"%s\": %s", path,
                  strerror (errno));
        return DCP_ECONFIG;
    }
    s_ini_ctx_t ctx = {opts, target, path, f, 0, 1, false, false, {err, errlen, 0, 0}};
    int rc = ini_parse_stream (s_ini_reader, &ctx, s_ini_handler, &ctx);
    bool read_error = ferror (f) != 0;
    fclose (f);
    if (rc > 0 && ctx.errs.count == 0) /* a syntax inih refuses that we did not foresee */
        s_errs_add (&ctx.errs, "%s:%d: syntax error (expected key = value)", path, rc);
    if (rc < 0 || read_error)
        s_errs_add (&ctx.errs, "could not read configuration file \"%s\"", path);
    return ctx.errs.count ? DCP_ECONFIG : 0;
}

/* "DCP_" PROGRAM "_" NAME, upper case, '-' as '_'. */
static void
s_env_name (char *var, size_t size, const char *program, const char *name)
{
    int n = snprintf (var, size, "DCP_%s_%s", program, name);
    for (int i = 0; i < n && i < (int) size; i++)
        var[i] = var[i] == '-' ? '_' : (char) toupper ((unsigned char) var[i]);
}

int
dcp_config_env (const dcp_cfg_option_t *opts, void *target, const char *program, char *err,
                size_t errlen)
{
    s_errs_t errs = {err, errlen, 0, 0};
    char prefix[64], hint[128];
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        char var[128];
        s_env_name (var, sizeof var, program, o->name);
        const char *value = getenv (var);
        if (!value)
            continue;
        const char *why = NULL;
        if (s_store (o, target, value, &why))
            s_errs_add (&errs, "environment variable %s: %s (got \"%.64s\")", var, why, value);
    }
    s_env_name (prefix, sizeof prefix, program, "");
    size_t plen = strlen (prefix);
    for (char **e = environ; e && *e; e++) {
        if (strncmp (*e, prefix, plen) != 0)
            continue;
        char name[64];
        size_t n = strcspn (*e + plen, "=");
        if (n >= sizeof name)
            n = sizeof name - 1;
        for (size_t i = 0; i < n; i++)
            name[i] = (char) tolower ((unsigned char) (*e)[plen + i]);
        name[n] = '\0';
        if (!s_find (opts, name))
            s_errs_add (&errs, "unknown environment variable %s%.*s%s", prefix, (int) n, *e + plen,
                        s_hint (hint, sizeof hint, opts, name, prefix, true));
    }
    return errs.count ? DCP_ECONFIG : 0;
}

/* Wraps TEXT into the column from INDENT to 79 on OUT; the first line
 * continues where the caller left the cursor (at INDENT). */
static void
s_wrap (FILE *out, const char *text, int indent)
{
    int col = indent;
    const char *p = text;
    while (*p) {
        size_t word = strcspn (p, " ");
        if (col > indent && col + 1 + (int) word > 79) {
            fprintf (out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc (' ', out);
            col++;
        }
        fprintf (out, "%.*s", (int) word, p);
        col += (int) word;
        p += word;
        p += strspn (p, " ");
    }
    fputc ('\n', out);
}

void
dcp_config_help (const dcp_cfg_option_t *opts, const char *program, FILE *out)
{
    char var[64];
    s_env_name (var, sizeof var, program, "NAME");
    fprintf (out,
             "options (each one a flag --NAME=VALUE, a key NAME in the configuration\n"
             "file, or an environment variable %s):\n",
             var);
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        const char *type = o->type == DCP_CFG_STR ? "TEXT" : o->type == DCP_CFG_INT ? "N" : "BOOL";
        char text[512], def[256];
        /* The default once, on the flag's line: a help text that says it
         * itself ("(default host:pid)") gives its words, moved there; an
         * empty text default is "none", or "empty" when the help says what
         * empty means ("(empty = off)"). */
        const char *own = strstr (o->help, "(default");
        const char *own_end = own ? strchr (own, ')') : NULL;
        if (own && own_end) {
            snprintf (def, sizeof def, "%.*s", (int) (own_end + 1 - own), own);
            int lead = (int) (own - o->help);
            while (lead > 0 && o->help[lead - 1] == ' ')
                lead--;
            snprintf (text, sizeof text, "%.*s%s", lead, o->help, own_end + 1);
        } else {
            snprintf (def, sizeof def, "(default: %s)",
                      o->def[0]                   ? o->def
                      : strstr (o->help, "empty") ? "empty"
                                                  : "none");
            snprintf (text, sizeof text, "%s", o->help);
        }
        fprintf (out, "  --%s=%s %s\n%6s", o->name, type, def, "");
        s_wrap (out, text, 6);
    }
    fprintf (out, "\ncommon flags:\n"
                  "  --config FILE               read FILE instead of the default file\n"
                  "  --check-config              check the file, environment and flags, print\n"
                  "                              the effective configuration (secrets masked)\n"
                  "                              and exit: 0 if valid, 2 if not\n"
                  "  --help, --version\n");
}

/* Options whose whole value is a secret, by name: none of ours today
 * (secrets live in key files and the libpq passfile), but a future
 * "smtp_password" must not be printed by --check-config. */
static bool
s_secret_name (const char *name)
{
    static const char *const words[] = {"password", "passwd", "secret", "token", "passphrase"};
    char folded[64];
    size_t k = 0;
    for (; name[k] && k < sizeof folded - 1; k++)
        folded[k] = s_fold (name[k]);
    folded[k] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr (folded, words[i]))
            return true;
    return false;
}

/* Appends LEN bytes of S to OUT at *AT, keeping room for the final NUL. */
static void
s_put (char *out, size_t size, size_t *at, const char *s, size_t len)
{
    while (len-- && *at + 1 < size)
        out[(*at)++] = *s++;
    out[*at] = '\0';
}

void
dcp_config_mask (const char *value, char *out, size_t size)
{
    static const char stars[] = "********";
    size_t at = 0;
    const char *p = value;
    if (size == 0)
        return;
    out[0] = '\0';
    while (*p) {
        /* postgresql://user:PASSWORD@host: the password is between the
         * first ':' and the '@' of the authority. */
        if (strncmp (p, "://", 3) == 0) {
            size_t auth = strcspn (p + 3, "/?#");
            const char *at_sign = memchr (p + 3, '@', auth);
            const char *colon = at_sign ? memchr (p + 3, ':', (size_t) (at_sign - p - 3)) : NULL;
            if (colon) {
                s_put (out, size, &at, p, (size_t) (colon + 1 - p));
                s_put (out, size, &at, stars, sizeof stars - 1);
                p = at_sign;
                continue;
            }
        }
        /* password=VALUE (conninfo: up to a blank, or a quoted '...' with
         * \' escapes; URI query: up to '&'). */
        if (strncasecmp (p, "password", 8) == 0) {
            const char *q = p + 8 + strspn (p + 8, " ");
            if (*q == '=') {
                q++;
                q += strspn (q, " ");
                s_put (out, size, &at, p, (size_t) (q - p));
                if (*q == '\'') {
                    for (q++; *q && *q != '\''; q++)
                        if (*q == '\\' && q[1])
                            q++;
                    if (*q)
                        q++;
                } else
                    for (; *q && !strchr (" \t&", *q); q++)
                        if (*q == '\\' && q[1])
                            q++;
                s_put (out, size, &at, stars, sizeof stars - 1);
                p = q;
                continue;
            }
        }
        s_put (out, size, &at, p, 1);
        p++;
    }
}

/* The text of option O's value in TARGET, secrets masked, into BUF. */
static const char *
s_value_text (const dcp_cfg_option_t *o, const void *target, char *buf, size_t size)
{
    const char *field = (const char *) target + o->offset;
    if (o->type == DCP_CFG_STR) {
        if (field[0] && s_secret_name (o->name))
            snprintf (buf, size, "********");
        else
            dcp_config_mask (field, buf, size);
    } else if (o->type == DCP_CFG_INT) {
        long v;
        memcpy (&v, field, sizeof v);
        snprintf (buf, size, "%ld", v);
    } else {
        bool b;
        memcpy (&b, field, sizeof b);
        snprintf (buf, size, "%s", b ? "true" : "false");
    }
    return buf;
}

void
dcp_config_print (const dcp_cfg_option_t *opts, const void *target, FILE *out)
{
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        char text[2048];
        fprintf (out, "%s = %s\n", o->name, s_value_text (o, target, text, sizeof text));
    }
}

void
dcp_config_log (const dcp_cfg_option_t *opts, const void *target)
{
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        char text[2048], quoted[2200];
        s_value_text (o, target, text, sizeof text);
        if (o->type == DCP_CFG_STR)
            dcp_debug ("config", "key=%s value=%s", o->name,
                       dcp_log_quote (quoted, sizeof quoted, text));
        else
            dcp_debug ("config", "key=%s value=%s", o->name, text);
    }
}

/* Where the configuration comes from, for --check-config and errors. */
typedef struct {
    const char *config_path; /* --config, or NULL */
    bool check;              /* --check-config */
    dcp_config_next_t next;
} s_cmdline_t;

/* First pass: --help, --version, --config and --check-config, which decide
 * what is read (anywhere on the line, as before the second pass existed). */
static void
s_first_pass (int argc, char **argv, const char *program, s_cmdline_t *cl)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            cl->next = DCP_CONFIG_HELP; /* caller prints its usage and dcp_config_help */
            return;
        }
        if (strcmp (argv[i], "--version") == 0) {
            printf ("%s %s\n", program, DCP_VERSION);
            cl->next = DCP_CONFIG_VERSION;
            return;
        }
        if (strcmp (argv[i], "--check-config") == 0)
            cl->check = true;
        else if (strcmp (argv[i], "--config") == 0 && i + 1 < argc)
            cl->config_path = argv[++i];
        else if (strncmp (argv[i], "--config=", 9) == 0)
            cl->config_path = argv[i] + 9;
    }
}

/* Second pass: every --NAME=VALUE / --NAME VALUE, in order; errors are
 * collected and the scan goes on.  Returns the index of the first argument
 * that is not an option. */
static int
s_flags (const dcp_cfg_option_t *opts, void *target, int argc, char **argv, s_errs_t *errs)
{
    int i;
    char hint[128];
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp (arg, "--", 2) != 0)
            break;
        if (strcmp (arg, "--") == 0)
            return i + 1;
        if (strcmp (arg, "--config") == 0) {
            i++;
            continue;
        }
        if (strncmp (arg, "--config=", 9) == 0 || strcmp (arg, "--check-config") == 0)
            continue;
        const char *name = arg + 2;
        const char *eq = strchr (name, '=');
        char namebuf[64];
        const char *value = NULL;
        if (eq) {
            size_t n = (size_t) (eq - name);
            if (n >= sizeof namebuf)
                n = sizeof namebuf - 1;
            memcpy (namebuf, name, n);
            namebuf[n] = '\0';
            name = namebuf;
            value = eq + 1;
        }
        const dcp_cfg_option_t *o = s_find (opts, name);
        if (!o) {
            /* Whether it wanted a value is unknown: the next argument is
             * taken as the next flag or the command. */
            s_errs_add (errs, "unknown option --%s%s", name,
                        s_hint (hint, sizeof hint, opts, name, "--", false));
            continue;
        }
        if (!value) {
            if (o->type == DCP_CFG_BOOL)
                value = "true"; /* --insecure alone means true */
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                s_errs_add (errs, "option --%s needs a value", name);
                continue;
            }
        }
        const char *why = NULL;
        if (s_store (o, target, value, &why))
            s_errs_add (errs, "option --%s: %s (got \"%.64s\")", name, why, value);
    }
    return i;
}

/* Runs one source's reader into its own buffer and moves its messages to
 * ERRS (each source fills a buffer of its own: dcp_config_file() and
 * dcp_config_env() keep their one-buffer interface). */
static void
s_collect (s_errs_t *errs, int rc, const char *msgs)
{
    if (rc == 0)
        return;
    const char *p = msgs;
    do {
        size_t n = strcspn (p, "\n");
        s_errs_add (errs, "%.*s", (int) n, p);
        p += n;
    } while (*p++ == '\n' && *p);
}

int
dcp_config_parse_args (const dcp_cfg_option_t *opts, void *target, const char *program,
                       const char *default_path, int argc, char **argv, int *first_arg,
                       dcp_config_next_t *next)
{
    enum { ERR_SIZE = 16384 };
    char upper[32];
    size_t k = 0;
    for (; program[k] && k < sizeof upper - 1; k++)
        upper[k] = (char) toupper ((unsigned char) program[k]);
    upper[k] = '\0';

    s_cmdline_t cl = {NULL, false, DCP_CONFIG_RUN};
    s_first_pass (argc, argv, program, &cl);
    *next = cl.next;
    if (cl.next != DCP_CONFIG_RUN)
        return 0;
    char *all = malloc (ERR_SIZE), *one = malloc (ERR_SIZE);
    if (!all || !one) {
        free (all);
        free (one);
        fprintf (stderr, "%s: out of memory\n", program);
        return DCP_ECONFIG;
    }
    all[0] = '\0';
    s_errs_t errs = {all, ERR_SIZE, 0, 0};
    int rc = dcp_config_defaults (opts, target, one, ERR_SIZE);
    s_collect (&errs, rc, one);
    if (rc == 0) {
        if (cl.config_path)
            rc = dcp_config_file (opts, target, cl.config_path, true, one, ERR_SIZE);
        else if (default_path)
            rc = dcp_config_file (opts, target, default_path, false, one, ERR_SIZE);
        s_collect (&errs, rc, one);
        s_collect (&errs, dcp_config_env (opts, target, upper, one, ERR_SIZE), one);
        *first_arg = s_flags (opts, target, argc, argv, &errs);
    }
    if (errs.count) {
        /* One line each, prefixed like every other message of the program. */
        const char *p = all;
        while (*p) {
            size_t n = strcspn (p, "\n");
            fprintf (stderr, "%s: %.*s\n", program, (int) n, p);
            p += n + (p[n] == '\n');
        }
        if (errs.count > 1)
            fprintf (stderr, "%s: %d configuration errors\n", program, errs.count);
    } else if (cl.check)
        *next = DCP_CONFIG_CHECK;
    free (all);
    free (one);
    return errs.count ? DCP_ECONFIG : 0;
}

int
dcp_config_main (const dcp_cfg_option_t *opts, void *target, const char *program,
                 const char *default_path, int argc, char **argv, int *first_arg,
                 void (*usage) (void))
{
    return dcp_config_main_checked (opts, target, program, default_path, argc, argv, first_arg,
                                    usage, NULL);
}

int
dcp_config_main_checked (const dcp_cfg_option_t *opts, void *target, const char *program,
                         const char *default_path, int argc, char **argv, int *first_arg,
                         void (*usage) (void), dcp_config_check_fn *check)
{
    dcp_config_next_t next;
    int rc =
        dcp_config_parse_args (opts, target, program, default_path, argc, argv, first_arg, &next);
    if (rc < 0)
        return 2;
    if (next == DCP_CONFIG_HELP)
        usage ();
    if (next == DCP_CONFIG_HELP || next == DCP_CONFIG_VERSION)
        return 0;
    const dcp_cfg_option_t *o = s_find (opts, "log_level");
    const char *name = o ? (const char *) target + o->offset : "info";
    int level = dcp_log_parse_level (name);
    if (level < 0) {
        fprintf (stderr, "%s: log_level must be debug, info, warn or error (got \"%.32s\")\n",
                 program, name);
        return 2;
    }
    char why[512];
    if (check && check (target, why, sizeof why) != 0) {
        fprintf (stderr, "%s: %s\n", program, why);
        return 2;
    }
    if (next == DCP_CONFIG_CHECK) {
        printf ("# %s: configuration is valid; effective values (secrets masked):\n", program);
        dcp_config_print (opts, target, stdout);
        return 0;
    }
    dcp_log_init (program, (dcp_log_level_t) level);
    return -1;
}
