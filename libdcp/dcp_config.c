/* dcp_config.c: table-driven configuration (see dcp_config.h). */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_log.h"

static int
s_name_eq (const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a == '-' ? '_' : *a;
        char cb = *b == '-' ? '_' : *b;
        if (ca != cb)
            return 0;
    }
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

/* Stores VALUE into the field of OPT; returns 0 or DCP_ECONFIG with WHY set. */
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
dcp_config_set (const dcp_cfg_option_t *opts, void *target, const char *name,
                const char *value, char *err, size_t errlen)
{
    const dcp_cfg_option_t *o = s_find (opts, name);
    const char *why = NULL;
    if (!o) {
        snprintf (err, errlen, "unknown option \"%s\"", name);
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
    char *err;
    size_t errlen;
    int failed;
} s_ini_ctx_t;

/* inih reports the line of the first handler failure as its return
 * value, so the handler writes the message and the caller adds the line. */
static int
s_ini_handler (void *user, const char *section, const char *name, const char *value)
{
    s_ini_ctx_t *ctx = user;
    const dcp_cfg_option_t *o = s_find (ctx->opts, name);
    const char *why = NULL;
    (void) section;
    if (ctx->failed)
        return 0;
    if (!o) {
        snprintf (ctx->err, ctx->errlen, "unknown key \"%s\"", name);
        ctx->failed = 1;
        return 0;
    }
    if (s_store (o, ctx->target, value, &why)) {
        snprintf (ctx->err, ctx->errlen, "key \"%s\": %s (got \"%.64s\")", name, why, value);
        ctx->failed = 1;
        return 0;
    }
    return 1;
}

int
dcp_config_file (const dcp_cfg_option_t *opts, void *target, const char *path,
                 bool required, char *err, size_t errlen)
{
    FILE *f = fopen (path, "r");
    if (!f) {
        if (!required && errno == ENOENT)
            return 0;
        snprintf (err, errlen, "could not open configuration file \"%s\": %s", path,
                  strerror (errno));
        return DCP_ECONFIG;
    }
    s_ini_ctx_t ctx = {opts, target, path, err, errlen, 0};
    int rc = ini_parse_file (f, s_ini_handler, &ctx);
    fclose (f);
    if (ctx.failed) {
        char why[512];
        snprintf (why, sizeof why, "%s", err);
        snprintf (err, errlen, "%s:%d: %s", path, rc, why);
        return DCP_ECONFIG;
    }
    if (rc > 0) {
        snprintf (err, errlen, "%s:%d: syntax error (expected key = value)", path, rc);
        return DCP_ECONFIG;
    }
    if (rc < 0) {
        snprintf (err, errlen, "could not read configuration file \"%s\"", path);
        return DCP_ECONFIG;
    }
    return 0;
}

int
dcp_config_env (const dcp_cfg_option_t *opts, void *target, const char *program, char *err,
                size_t errlen)
{
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        char var[128];
        int n = snprintf (var, sizeof var, "DCP_%s_%s", program, o->name);
        for (int i = 0; i < n && i < (int) sizeof var; i++)
            var[i] = var[i] == '-' ? '_' : (char) toupper ((unsigned char) var[i]);
        const char *value = getenv (var);
        if (!value)
            continue;
        const char *why = NULL;
        if (s_store (o, target, value, &why)) {
            snprintf (err, errlen, "environment variable %s: %s (got \"%.64s\")", var, why,
                      value);
            return DCP_ECONFIG;
        }
    }
    return 0;
}

void
dcp_config_help (const dcp_cfg_option_t *opts, const char *program, FILE *out)
{
    fprintf (out, "options (flag --NAME=VALUE, INI key NAME, environment DCP_%s_NAME):\n",
             program);
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        const char *type = o->type == DCP_CFG_STR ? "text" : o->type == DCP_CFG_INT ? "int" : "bool";
        fprintf (out, "  --%-22s %-5s %s (default: %s)\n", o->name, type, o->help,
                 o->def[0] ? o->def : "empty");
    }
}

void
dcp_config_log (const dcp_cfg_option_t *opts, const void *target)
{
    for (const dcp_cfg_option_t *o = opts; o->name; o++) {
        const char *field = (const char *) target + o->offset;
        char quoted[600];
        if (o->type == DCP_CFG_STR) {
            /* Paths and endpoints only: secrets are never configuration
             * values, they live in key files named here. */
            dcp_debug ("config", "key=%s value=%s", o->name,
                       dcp_log_quote (quoted, sizeof quoted, field));
        }
        else if (o->type == DCP_CFG_INT) {
            long v;
            memcpy (&v, field, sizeof v);
            dcp_debug ("config", "key=%s value=%ld", o->name, v);
        }
        else {
            bool b;
            memcpy (&b, field, sizeof b);
            dcp_debug ("config", "key=%s value=%s", o->name, b ? "true" : "false");
        }
    }
}

int
dcp_config_parse_args (const dcp_cfg_option_t *opts, void *target, const char *program,
                       const char *default_path, int argc, char **argv, int *first_arg,
                       dcp_config_next_t *next)
{
    char err[512];
    const char *config_path = NULL;
    int i;
    char upper[32];
    size_t k = 0;
    for (; program[k] && k < sizeof upper - 1; k++)
        upper[k] = (char) toupper ((unsigned char) program[k]);
    upper[k] = '\0';

    *next = DCP_CONFIG_RUN;
    /* First pass: find --config, --help, --version. */
    for (i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            *next = DCP_CONFIG_HELP;  /* caller prints its usage and dcp_config_help */
            return 0;
        }
        if (strcmp (argv[i], "--version") == 0) {
            printf ("%s %s\n", program, DCP_VERSION);
            *next = DCP_CONFIG_VERSION;
            return 0;
        }
        if (strcmp (argv[i], "--config") == 0 && i + 1 < argc)
            config_path = argv[++i];
        else if (strncmp (argv[i], "--config=", 9) == 0)
            config_path = argv[i] + 9;
    }
    if (dcp_config_defaults (opts, target, err, sizeof err))
        goto fail;
    if (config_path) {
        if (dcp_config_file (opts, target, config_path, true, err, sizeof err))
            goto fail;
    }
    else if (default_path && dcp_config_file (opts, target, default_path, false, err, sizeof err))
        goto fail;
    if (dcp_config_env (opts, target, upper, err, sizeof err))
        goto fail;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp (arg, "--", 2) != 0)
            break;
        if (strcmp (arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp (arg, "--config") == 0) {
            i++;
            continue;
        }
        if (strncmp (arg, "--config=", 9) == 0)
            continue;
        const char *name = arg + 2;
        const char *eq = strchr (name, '=');
        char namebuf[64];
        const char *value;
        if (eq) {
            size_t n = (size_t) (eq - name);
            if (n >= sizeof namebuf)
                n = sizeof namebuf - 1;
            memcpy (namebuf, name, n);
            namebuf[n] = '\0';
            name = namebuf;
            value = eq + 1;
        }
        else {
            const dcp_cfg_option_t *o = s_find (opts, name);
            if (o && o->type == DCP_CFG_BOOL)
                value = "true";  /* --insecure alone means true */
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                snprintf (err, sizeof err, "option --%s needs a value", name);
                goto fail;
            }
        }
        if (dcp_config_set (opts, target, name, value, err, sizeof err))
            goto fail;
    }
    *first_arg = i;
    return 0;
fail:
    fprintf (stderr, "%s: %s\n", program, err);
    return DCP_ECONFIG;
}

int
dcp_config_main (const dcp_cfg_option_t *opts, void *target, const char *program,
                 const char *default_path, int argc, char **argv, int *first_arg,
                 void (*usage) (void))
{
    dcp_config_next_t next;
    int rc = dcp_config_parse_args (opts, target, program, default_path, argc, argv, first_arg,
                                    &next);
    if (rc < 0)
        return 2;
    if (next == DCP_CONFIG_HELP)
        usage ();
    if (next != DCP_CONFIG_RUN)
        return 0;
    const dcp_cfg_option_t *o = s_find (opts, "log_level");
    const char *name = o ? (const char *) target + o->offset : "info";
    int level = dcp_log_parse_level (name);
    if (level < 0) {
        fprintf (stderr, "%s: log_level must be debug, info, warn or error (got \"%.32s\")\n",
                 program, name);
        return 2;
    }
    dcp_log_init (program, (dcp_log_level_t) level);
    return -1;
}
