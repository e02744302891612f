/* main.c: the analysts' report program.
 *
 *   report html --year YEAR [--group GROUP] --out FILE.html [--pdf]
 *   report html --year YEAR --out FILE.pdf
 *   report sdmx --year YEAR --out FILE.csv
 *
 * Reads PostgreSQL as a member of dcp_analyst (views and ref_* tables
 * only), in one read-only snapshot, with the statements of queries.sql.
 * "html" writes one self-contained page (libraries, map and data inlined; a
 * Content-Security-Policy that forbids every network load) and can print it
 * to PDF through headless Chromium; "sdmx" writes SDMX-CSV 2.0 (SDMX.md). */
#include <errno.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_blob.h"
#include "dcp_buf.h"
#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_log.h"
#include "report_chromium.h"
#include "report_page.h"
#include "report_sdmx.h"
#include "report_sql.h"

extern const dcp_blob_t report_assets[];    /* JS libraries and map data (npm) */
extern const dcp_blob_t report_templates[]; /* loader/report/page.html */

typedef struct {
    char database[1024];
    long year;
    char group[64];
    char out[1024];
    bool pdf;
    char chromium[256];
    long pdf_timeout_s;
    char log_level[16];
} report_cfg_t;

#define OPT(...) DCP_CFG_OPT (report_cfg_t, __VA_ARGS__)
static const dcp_cfg_option_t s_options[] = {
    OPT ("database", DCP_CFG_STR, "dbname=dcp", database,
         "libpq connection string of a dcp_analyst member; passwords in a passfile, never here"),
    OPT ("year", DCP_CFG_INT, "0", year, "reporting year (required)"),
    OPT ("group", DCP_CFG_STR, "", group, "country group to report on (empty = all countries)"),
    OPT ("out", DCP_CFG_STR, "", out, "file to write (.html, .pdf or .csv; '-' = stdout for sdmx)"),
    OPT ("pdf", DCP_CFG_BOOL, "false", pdf, "html: also print FILE.pdf beside FILE.html"),
    OPT ("chromium", DCP_CFG_STR, "chromium", chromium, "headless browser that prints the PDF"),
    OPT ("pdf_timeout_s", DCP_CFG_INT, "90", pdf_timeout_s, "longest wait for the PDF"),
    OPT ("log_level", DCP_CFG_STR, "warn", log_level, "debug, info, warn or error"),
    {NULL, 0, NULL, 0, 0, NULL},
};

/* Sections of the page's JSON, each the statement of the same name. */
static const char *const s_sections[] = {"meta",   "tracking", "baseline", "seizures",
                                         "routes", "funnel",   "assets",   "notes"};

static void
s_usage (void)
{
    printf ("usage: report [--config FILE] html|sdmx --year YEAR --out FILE [--NAME=VALUE ...]\n\n"
            "html: one self-contained HTML report (opens offline); --out FILE.pdf or --pdf\n"
            "      prints it through headless Chromium.\n"
            "sdmx: SDMX-CSV 2.0 of both questionnaires (loader/report/SDMX.md).\n\n");
    dcp_config_help (s_options, "REPORT", stdout);
}

/* Runs the statement NAME with the year and group; returns the result
 * (PGRES_TUPLES_OK) or NULL after logging why. */
static PGresult *
s_run (PGconn *db, const report_cfg_t *cfg, const char *name)
{
    char *sql = report_sql_get (name), year[16];
    if (!sql) {
        dcp_error ("no statement in queries.sql", "name=%s", name);
        return NULL;
    }
    snprintf (year, sizeof year, "%ld", cfg->year);
    const char *params[] = {year, cfg->group[0] ? cfg->group : NULL};
    /* PostgreSQL refuses a parameter the statement does not use. */
    int nparams = strstr (sql, "$2") ? 2 : 1;
    PGresult *res = PQexecParams (db, sql, nparams, NULL, params, NULL, NULL, 0);
    free (sql);
    if (PQresultStatus (res) != PGRES_TUPLES_OK) {
        char quoted[512];
        dcp_error ("report query failed", "name=%s reason=%s", name,
                   dcp_log_quote (quoted, sizeof quoted, PQresultErrorMessage (res)));
        PQclear (res);
        return NULL;
    }
    return res;
}

/* Builds {"meta": ..., "tracking": ..., ...} into OUT. */
static int
s_page_data (PGconn *db, const report_cfg_t *cfg, dcp_buf_t *out)
{
    dcp_buf_appendc (out, '{');
    for (size_t i = 0; i < sizeof s_sections / sizeof s_sections[0]; i++) {
        PGresult *res = s_run (db, cfg, s_sections[i]);
        if (!res)
            return DCP_EDB_FATAL;
        dcp_buf_printf (out, "%s\"%s\":%s", i ? "," : "", s_sections[i],
                        PQntuples (res) == 1 ? PQgetvalue (res, 0, 0) : "null");
        PQclear (res);
    }
    dcp_buf_appendc (out, '}');
    return out->err;
}

static bool
s_ends_with (const char *s, const char *suffix)
{
    size_t n = strlen (s), m = strlen (suffix);
    return n >= m && strcmp (s + n - m, suffix) == 0;
}

static int
s_html (PGconn *db, const report_cfg_t *cfg)
{
    dcp_buf_t data = DCP_BUF_INIT, page = DCP_BUF_INIT;
    char err[256] = "", html_path[1100], pdf_path[1100];
    bool pdf_only = s_ends_with (cfg->out, ".pdf");
    int rc = s_page_data (db, cfg, &data);
    if (rc)
        goto cleanup;
    const dcp_blob_t *tpl = dcp_blob_find (report_templates, "page.html");
    rc = tpl ? report_page_build (&page, tpl->data, report_assets, data.data, data.len, err,
                                  sizeof err)
             : DCP_EINVAL;
    if (rc) {
        dcp_error ("could not build the page", "reason=%s", err[0] ? err : "no template");
        goto cleanup;
    }
    if (pdf_only)
        snprintf (html_path, sizeof html_path, "%.*s.html", (int) (strlen (cfg->out) - 4),
                  cfg->out);
    else
        snprintf (html_path, sizeof html_path, "%s", cfg->out);
    if ((rc = dcp_fs_write_atomic (html_path, page.data, page.len))) {
        dcp_error ("could not write the report", "file=%s reason=%s", html_path, strerror (errno));
        goto cleanup;
    }
    if (pdf_only || cfg->pdf) {
        if (pdf_only)
            snprintf (pdf_path, sizeof pdf_path, "%s", cfg->out);
        else
            snprintf (pdf_path, sizeof pdf_path, "%.*s.pdf",
                      (int) (strlen (html_path) - (s_ends_with (html_path, ".html") ? 5 : 0)),
                      html_path);
        rc = report_chromium_pdf (cfg->chromium, html_path, pdf_path, (int) cfg->pdf_timeout_s);
        if (pdf_only)
            unlink (html_path);
        if (!rc)
            printf ("%s\n", pdf_path);
    }
    if (!rc && !pdf_only)
        printf ("%s\n", html_path);
cleanup:
    dcp_buf_free (&data);
    dcp_buf_free (&page);
    return rc;
}

static int
s_sdmx (PGconn *db, const report_cfg_t *cfg)
{
    dcp_buf_t out = DCP_BUF_INIT;
    int rc = 0;
    PGresult *res = s_run (db, cfg, "sdmx");
    if (!res)
        return DCP_EDB_FATAL;
    report_sdmx_header (&out);
    for (int r = 0; r < PQntuples (res) && !rc; r++) {
        const char *cols[REPORT_SDMX_NCOLS];
        for (int c = 0; c < REPORT_SDMX_NCOLS; c++)
            cols[c] = PQgetisnull (res, r, c) ? NULL : PQgetvalue (res, r, c);
        if ((rc = report_sdmx_row (&out, cols)) == DCP_EINVAL)
            dcp_error ("observation refused", "country=%s indicator=%s status=%s",
                       cols[REPORT_SDMX_REF_AREA], cols[REPORT_SDMX_INDICATOR],
                       cols[REPORT_SDMX_STATUS] ? cols[REPORT_SDMX_STATUS] : "NULL");
    }
    PQclear (res);
    if (!rc && strcmp (cfg->out, "-") == 0)
        rc = fwrite (out.data, 1, out.len, stdout) == out.len ? 0 : DCP_EIO;
    else if (!rc && (rc = dcp_fs_write_atomic (cfg->out, out.data, out.len)) == 0)
        printf ("%s\n", cfg->out);
    else if (rc == DCP_EIO)
        dcp_error ("could not write the file", "file=%s reason=%s", cfg->out, strerror (errno));
    dcp_buf_free (&out);
    return rc;
}

/* Connects and opens one read-only snapshot for every statement. */
static PGconn *
s_connect (const report_cfg_t *cfg)
{
    PGconn *db = PQconnectdb (cfg->database);
    char quoted[512];
    if (PQstatus (db) != CONNECTION_OK) {
        dcp_error ("could not connect to database", "reason=%s",
                   dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (db)));
        PQfinish (db);
        return NULL;
    }
    PGresult *res = PQexec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    bool ok = PQresultStatus (res) == PGRES_COMMAND_OK;
    PQclear (res);
    if (!ok) {
        dcp_error ("could not start a read-only transaction", "reason=%s",
                   dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (db)));
        PQfinish (db);
        return NULL;
    }
    return db;
}

int
main (int argc, char **argv)
{
    report_cfg_t cfg;
    const char *command = NULL;
    char **args = calloc ((size_t) argc + 1, sizeof *args);
    int nargs = 0, first = 0, rc = 2;
    if (!args)
        return 1;
    /* The command word may stand anywhere among the options. */
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !command && (strcmp (argv[i], "html") == 0 || strcmp (argv[i], "sdmx") == 0))
            command = argv[i];
        else
            args[nargs++] = argv[i];
    }
    int prc = dcp_config_main (s_options, &cfg, "report", "/etc/dcp/report.conf", nargs, args,
                               &first, s_usage);
    if (prc >= 0) {
        rc = prc;
        goto cleanup;
    }
    if (first < nargs || !command) {
        fprintf (stderr, "report: %s (html or sdmx; see --help)\n",
                 first < nargs ? "unexpected argument" : "no command");
        goto cleanup;
    }
    if (cfg.year < 1900 || cfg.year > 9999 || !cfg.out[0]) {
        fprintf (stderr, "report: --year YEAR and --out FILE are required\n");
        goto cleanup;
    }
    PGconn *db = s_connect (&cfg);
    rc = 1;
    if (!db)
        goto cleanup;
    PGresult *res = s_run (db, &cfg, "group_check");
    /* An unknown group is refused with the list of known ones, never
     * reported as an empty page. */
    if (res && strcmp (PQgetvalue (res, 0, 0), "t") != 0)
        fprintf (stderr, "report: country group \"%s\" %s; known groups:\n  %s\n", cfg.group,
                 strcmp (PQgetvalue (res, 0, 2), "t") == 0 ? "has no member country in that year"
                                                           : "is unknown",
                 PQgetisnull (res, 0, 1) ? "(none)" : PQgetvalue (res, 0, 1));
    else if (res)
        rc = (strcmp (command, "html") == 0 ? s_html (db, &cfg) : s_sdmx (db, &cfg)) ? 1 : 0;
    PQclear (res);
    PQfinish (db);
cleanup:
    free (args);
    return rc;
}
