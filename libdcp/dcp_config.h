/* dcp_config.h: table-driven configuration for the three programs.
 *
 * Each program describes its settings once, as a table of
 * {name, type, default, offset, size, help} (nginx ngx_command_t, Fluent Bit
 * config maps).  Values come, later ones winning, from the defaults, the INI
 * file (read with inih; "[section]" headers are allowed and ignored, keys are
 * the option names), environment variables DCP_<PROGRAM>_<NAME> and command
 * line flags --name=value.  Unknown keys and bad values are errors that name
 * the file, line and key. */
#ifndef DCP_CONFIG_H
#define DCP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    DCP_CFG_STR,   /* char[size] */
    DCP_CFG_INT,   /* long, decimal, >= 0 */
    DCP_CFG_BOOL,  /* bool: true/false/yes/no/on/off/1/0 */
} dcp_cfg_type_t;

typedef struct {
    const char *name;      /* "bind", "batch_max_rows"; NULL ends the table */
    dcp_cfg_type_t type;
    const char *def;       /* default as text */
    size_t offset;         /* offsetof (program config struct, field) */
    size_t size;           /* for DCP_CFG_STR: sizeof the char array */
    const char *help;
} dcp_cfg_option_t;

/* Applies every default to TARGET.  Returns 0 or DCP_ECONFIG (a default that
 * does not parse: a programming error, reported in ERR). */
int dcp_config_defaults (const dcp_cfg_option_t *opts, void *target, char *err, size_t errlen);

/* Reads the INI file PATH into TARGET.  A missing file is an error only if
 * REQUIRED.  Returns 0, or DCP_ECONFIG with "FILE:LINE: key \"k\": why" in
 * ERR. */
int dcp_config_file (const dcp_cfg_option_t *opts, void *target, const char *path,
                     bool required, char *err, size_t errlen);

/* Applies DCP_<PROGRAM>_<NAME> environment variables (PROGRAM and NAME in
 * upper case).  Returns 0 or DCP_ECONFIG. */
int dcp_config_env (const dcp_cfg_option_t *opts, void *target, const char *program,
                    char *err, size_t errlen);

/* Sets one option by NAME ('-' and '_' are the same).  Returns 0,
 * DCP_EINVAL for an unknown name, or DCP_ECONFIG for a bad value. */
int dcp_config_set (const dcp_cfg_option_t *opts, void *target, const char *name,
                    const char *value, char *err, size_t errlen);

/* Prints every option with type, default and help, for --help. */
void dcp_config_help (const dcp_cfg_option_t *opts, const char *program, FILE *out);

/* Logs the effective configuration at info level (one line per option). */
void dcp_config_log (const dcp_cfg_option_t *opts, const void *target);

/* What the command line asks for besides options. */
typedef enum {
    DCP_CONFIG_RUN,      /* go on with the program */
    DCP_CONFIG_HELP,     /* --help or -h: print the usage, exit 0 */
    DCP_CONFIG_VERSION,  /* --version: already printed, exit 0 */
} dcp_config_next_t;

/* Parses the common command line of a program: --config FILE, --help,
 * --version and --NAME=VALUE / --NAME VALUE for every option; stops at the
 * first argument that is not an option and returns its index in *FIRST_ARG.
 * Order of precedence: defaults < file < environment < flags.  DEFAULT_PATH
 * is read if it exists and no --config was given.  Sets *NEXT (--help and
 * --version are handled before anything is read).  Returns 0, or
 * DCP_ECONFIG (message printed). */
int dcp_config_parse_args (const dcp_cfg_option_t *opts, void *target, const char *program,
                           const char *default_path, int argc, char **argv,
                           int *first_arg, dcp_config_next_t *next);

/* The common start of every program: parses the command line like
 * dcp_config_parse_args(), calls USAGE for --help, and starts logging for
 * STAGE at the level named by the option "log_level".  Returns an exit
 * status, not a DCP_E* code: -1 when the program should go on, else the
 * status to exit with at once (0 after --help or --version, 2 on a
 * configuration error, already reported). */
int dcp_config_main (const dcp_cfg_option_t *opts, void *target, const char *program,
                     const char *default_path, int argc, char **argv, int *first_arg,
                     void (*usage) (void));

#endif
