/* dcp_config.h: table-driven configuration for the three programs.
 *
 * Each program describes its settings once, as a table of
 * {name, type, default, offset, size, help} (nginx ngx_command_t, Fluent Bit
 * config maps).  Values come, later ones winning, from the defaults, the INI
 * file (read with inih; "[section]" headers are allowed and ignored, keys are
 * the option names), environment variables DCP_<PROGRAM>_<NAME> and command
 * line flags --name=value.
 *
 * Unknown keys and bad values are errors that name where they came from
 * (file and line, variable, flag).  An operator fixing a file should not
 * have to run the program once per mistake, so every source is read to its
 * end and ALL its errors are reported together, one per line, each unknown
 * name with the nearest known one ("did you mean"). */
#ifndef DCP_CONFIG_H
#define DCP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    DCP_CFG_STR,  /* char[size] */
    DCP_CFG_INT,  /* long, decimal, >= 0 */
    DCP_CFG_BOOL, /* bool: true/false/yes/no/on/off/1/0 */
} dcp_cfg_type_t;

typedef struct {
    const char *name; /* "bind", "batch_max_rows"; NULL ends the table */
    dcp_cfg_type_t type;
    const char *def;  /* default as text */
    size_t offset;    /* offsetof (program config struct, field) */
    size_t size;      /* for DCP_CFG_STR: sizeof the char array */
    const char *help; /* may name its own default: "(default host:pid)" */
} dcp_cfg_option_t;

/* One row of an option table for the configuration struct T: the option
 * NAME of TYPE with default DEF (text) is stored in T's member FIELD.
 * Each program writes  #define OPT(...) DCP_CFG_OPT (my_cfg_t, __VA_ARGS__). */
/* clang-format off */
#define DCP_CFG_OPT(T, name, type, def, field, help) \
    {name, type, def, offsetof (T, field), sizeof (((T *) 0)->field), help}
/* clang-format on */

/* Applies every default to TARGET.  Returns 0 or DCP_ECONFIG (a default that
 * does not parse: a programming error, reported in ERR). */
int dcp_config_defaults (const dcp_cfg_option_t *opts, void *target, char *err, size_t errlen);

/* Reads the INI file PATH into TARGET.  A missing file is an error only if
 * REQUIRED.  Reads the whole file even after an error: returns 0, or
 * DCP_ECONFIG with every problem in ERR, one per line (joined by '\n', no
 * final newline), each "FILE:LINE: unknown key \"k\" (did you mean
 * \"key\"?)" or "FILE:LINE: key \"k\": why (got \"v\")".  Keys without an
 * error are applied. */
int dcp_config_file (const dcp_cfg_option_t *opts, void *target, const char *path, bool required,
                     char *err, size_t errlen);

/* Applies DCP_<PROGRAM>_<NAME> environment variables (PROGRAM and NAME in
 * upper case), and reports any other DCP_<PROGRAM>_* variable as unknown
 * (a misspelt variable would otherwise be ignored without a word).
 * Returns 0 or DCP_ECONFIG with every problem in ERR, one per line. */
int dcp_config_env (const dcp_cfg_option_t *opts, void *target, const char *program, char *err,
                    size_t errlen);

/* Sets one option by NAME ('-' and '_' are the same).  Returns 0,
 * DCP_EINVAL for an unknown name (ERR suggests the nearest), or DCP_ECONFIG
 * for a bad value. */
int dcp_config_set (const dcp_cfg_option_t *opts, void *target, const char *name, const char *value,
                    char *err, size_t errlen);

/* The option name nearest to NAME (edit distance, '-' = '_', case ignored),
 * if near enough to be a likely typing mistake; else NULL.  Borrowed. */
const char *dcp_config_suggest (const dcp_cfg_option_t *opts, const char *name);

/* Prints every option with its type, help and default (once), then the
 * flags every program has, for --help. */
void dcp_config_help (const dcp_cfg_option_t *opts, const char *program, FILE *out);

/* Prints the effective configuration of TARGET to OUT as an INI file that
 * could be read back, with secrets masked: options named like a password,
 * secret or token, and passwords inside connection strings
 * ("password=...", "postgresql://user:...@host"). */
void dcp_config_print (const dcp_cfg_option_t *opts, const void *target, FILE *out);

/* Copies VALUE to OUT (SIZE bytes, always terminated) with passwords in
 * connection strings replaced by "********". */
void dcp_config_mask (const char *value, char *out, size_t size);

/* Logs the effective configuration at debug level (one line per option),
 * secrets masked as dcp_config_print() does. */
void dcp_config_log (const dcp_cfg_option_t *opts, const void *target);

/* What the command line asks for besides options. */
typedef enum {
    DCP_CONFIG_RUN,     /* go on with the program */
    DCP_CONFIG_HELP,    /* --help or -h: print the usage, exit 0 */
    DCP_CONFIG_VERSION, /* --version: already printed, exit 0 */
    DCP_CONFIG_CHECK,   /* --check-config: configuration valid; print it, exit 0 */
} dcp_config_next_t;

/* Parses the common command line of a program: --config FILE, --help,
 * --version, --check-config and --NAME=VALUE / --NAME VALUE for every
 * option; stops at the first argument that is not an option and returns its
 * index in *FIRST_ARG.  Order of precedence: defaults < file < environment <
 * flags.  DEFAULT_PATH is read if it exists and no --config was given.
 * Sets *NEXT (--help and --version are handled before anything is read).
 * Every source is read to its end: returns 0, or DCP_ECONFIG after printing
 * every error found, one per line, to stderr. */
int dcp_config_parse_args (const dcp_cfg_option_t *opts, void *target, const char *program,
                           const char *default_path, int argc, char **argv, int *first_arg,
                           dcp_config_next_t *next);

/* The common start of every program: parses the command line like
 * dcp_config_parse_args(), calls USAGE for --help, checks the option
 * "log_level" and starts logging for STAGE at that level.  For
 * --check-config it prints the effective configuration (dcp_config_print)
 * and returns 0 without starting anything.  Returns an exit status, not a
 * DCP_E* code: -1 when the program should go on, else the status to exit
 * with at once (0 after --help, --version or a valid --check-config, 2 on a
 * configuration error, already reported). */
int dcp_config_main (const dcp_cfg_option_t *opts, void *target, const char *program,
                     const char *default_path, int argc, char **argv, int *first_arg,
                     void (*usage) (void));

/* A program's own rule across values the table cannot say ("writers must be
 * 1 to 8").  Returns 0, or DCP_ECONFIG with ERR saying what is wrong in the
 * operator's words ("writers must be 1 to 8 (got 12)"). */
typedef int (dcp_config_check_fn) (const void *target, char *err, size_t errlen);

/* dcp_config_main() that also runs CHECK (may be NULL) once every source is
 * read, at start and for --check-config alike, so --check-config accepts
 * only what a start would accept. */
int dcp_config_main_checked (const dcp_cfg_option_t *opts, void *target, const char *program,
                             const char *default_path, int argc, char **argv, int *first_arg,
                             void (*usage) (void), dcp_config_check_fn *check);

#endif
