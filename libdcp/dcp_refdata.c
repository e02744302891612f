/* dcp_refdata.c: the embedded reference CSV files, parsed once (see
 * dcp_refdata.h).
 *
 * The CSV files are the single source of truth: the loader COPYs the same
 * bytes into PostgreSQL, so this parser follows the same dialect as COPY ...
 * CSV HEADER: comma separated, fields optionally in double quotes, a quote
 * inside a quoted field doubled, an empty unquoted field is NULL (here: "",
 * meaning "open" for validity columns).  A file that does not parse, has the
 * wrong header or a duplicate key is a build defect: loading fails with
 * DCP_EINVAL and logs the file and line, rather than validating against half
 * a table.
 *
 * The tables are process-wide and immutable once loaded, which is why this
 * module keeps one file-static state (the API has no context argument).
 * Threads: the loader's writer threads call the lookups concurrently.  That
 * is safe because the lookups only read (bsearch over immutable arrays, no
 * static scratch) and every program calls dcp_refdata_load() before it
 * starts a thread (pthread_create orders the loaded tables before the
 * thread's reads).  dcp_refdata_load() and dcp_refdata_free() themselves
 * are not thread-safe: the lazy load inside the lookups is for tests and
 * single-threaded tools only, and free runs after the threads are joined. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_blob.h"
#include "dcp_csvtok.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_refdata.h"

/* --- one parsed CSV file: rows x cols cells, each a malloc'd string ------ */

typedef struct {
    char **cells; /* row-major, header excluded */
    size_t rows, cols;
} s_table_t;

static const char *
s_cell (const s_table_t *t, size_t row, size_t col)
{
    return t->cells[row * t->cols + col];
}

static void
s_table_free (s_table_t *t)
{
    if (t->cells)
        for (size_t i = 0; i < t->rows * t->cols; i++)
            free (t->cells[i]);
    free (t->cells);
    memset (t, 0, sizeof *t);
}

static int
s_report (const char *file, size_t line, const char *reason)
{
    dcp_error ("broken embedded reference data", "file=%s line=%zu reason=\"%s\"", file, line,
               reason);
    return DCP_EINVAL;
}

/* Appends a copy of TEXT to *CELLS. */
static int
s_push_cell (char ***cells, size_t *n, size_t *cap, const char *text)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        char **grown = realloc (*cells, c * sizeof *grown);
        if (!grown)
            return DCP_ENOMEM;
        *cells = grown;
        *cap = c;
    }
    (*cells)[*n] = strdup (text);
    if (!(*cells)[*n])
        return DCP_ENOMEM;
    (*n)++;
    return 0;
}

/* Why cell TC breaks this module's strict dialect (the one COPY reads), or
 * NULL if it does not. */
static const char *
s_strict (const dcp_csvtok_t *tok, const dcp_csvtok_cell_t *tc)
{
    if (tc->problem == DCP_CSVTOK_UNCLOSED)
        return "unterminated quoted field";
    if (tc->problem == DCP_CSVTOK_AFTER_QUOTE)
        return "text after a closing quote";
    if (tc->problem == DCP_CSVTOK_QUOTE_INSIDE)
        return "quote inside an unquoted field";
    if (tc->end == DCP_CSVTOK_CR)
        return "carriage return without line feed";
    if (tc->end == DCP_CSVTOK_COMMA && dcp_csvtok_done (tok))
        return "file ends after a comma";
    return NULL;
}

/* Parses BLOB as CSV whose first record must be exactly HEADER (a
 * comma-separated list of column names), into T.  The cells come from the
 * shared tokenizer (dcp_csvtok.h).  Returns 0, DCP_EINVAL (with the reason
 * logged) or DCP_ENOMEM. */
static int
s_csv_parse (const dcp_blob_t *blob, const char *header, s_table_t *t)
{
    int rc = 0;
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t tc;
    char **cells = NULL;
    size_t n_cells = 0, cap_cells = 0;
    size_t cols = 1, record_cols = 0;
    int record_line = 1;
    bool in_header = true;

    memset (t, 0, sizeof *t);
    for (const char *h = header; *h; h++)
        cols += *h == ',';
    dcp_csvtok_init (&tok, blob->data, blob->len);
    while ((rc = dcp_csvtok_next (&tok, &tc)) == 1) {
        rc = 0;
        if (record_cols == 0)
            record_line = tc.line;
        const char *why = s_strict (&tok, &tc);
        if (why) {
            rc = s_report (blob->name, (size_t) record_line, why);
            goto cleanup;
        }
        record_cols++;
        if (record_cols > cols) {
            rc = s_report (blob->name, (size_t) record_line, "too many fields");
            goto cleanup;
        }
        if (in_header) {
            /* Compare this header cell with the expected column name. */
            const char *want = header;
            for (size_t i = 1; i < record_cols; i++)
                want = strchr (want, ',') + 1;
            size_t want_len = strcspn (want, ",");
            if (tc.len != want_len || memcmp (tc.text, want, want_len) != 0) {
                rc = s_report (blob->name, (size_t) record_line,
                               "header differs from the expected columns");
                goto cleanup;
            }
        } else if (s_push_cell (&cells, &n_cells, &cap_cells, tc.text)) {
            rc = DCP_ENOMEM;
            goto cleanup;
        }
        if (tc.end == DCP_CSVTOK_COMMA)
            continue;
        if (record_cols != cols) {
            rc = s_report (blob->name, (size_t) record_line, "too few fields");
            goto cleanup;
        }
        record_cols = 0;
        in_header = false;
    }
    if (rc)
        goto cleanup;
    if (in_header) {
        rc = s_report (blob->name, 1, "file is empty");
        goto cleanup;
    }
    t->cells = cells;
    t->cols = cols;
    t->rows = n_cells / cols;
    cells = NULL;
    n_cells = 0;
cleanup:
    for (size_t i = 0; i < n_cells; i++)
        free (cells[i]);
    free (cells);
    dcp_csvtok_fini (&tok);
    return rc;
}

/* --- typed tables ---------------------------------------------------------- */

typedef struct {
    const char *code;
    int valid_from, valid_to;
} s_currency_t;

typedef struct {
    const char *name; /* alias or official name, compared without case */
    const char *code;
} s_name_t;

typedef struct {
    const char *code;
    int table;
    const char *valid_from, *valid_to; /* "YYYY-MM-DD" or "" */
} s_schedule_t;

typedef struct {
    const char *id, *substance;
    bool banded;
    dcp_decimal_t min, max, kg_per_litre;
} s_density_t;

typedef struct {
    const char *code;
    dcp_decimal_t factor;
    bool is_volume;
} s_unit_t;

typedef struct {
    const char *list, *code;
} s_code_t;

typedef struct {
    const char *list;
    char *joined; /* "A, B, C" */
} s_list_t;

enum {
    S_COUNTRIES,
    S_COUNTRY_ALIASES,
    S_CURRENCIES,
    S_SUBSTANCES,
    S_SCHEDULE,
    S_SUBSTANCE_ALIASES,
    S_DENSITIES,
    S_UNITS,
    S_CODELISTS,
    S_N_FILES
};

/* File names and header lines: the loader's COPY relies on these columns. */
static const struct {
    const char *name, *header;
} s_files[S_N_FILES] = {
    {"countries.csv", "iso3,name,valid_from,valid_to,paris_pact_partner"},
    {"country_aliases.csv", "alias,iso3"},
    {"currencies.csv", "code,name,valid_from,valid_to"},
    {"substances.csv", "code,name,cas,hs,state"},
    {"substance_schedule.csv", "code,convention_table,valid_from,valid_to,source"},
    {"substance_aliases.csv", "alias,code"},
    {"densities.csv",
     "id,substance,concentration_min,concentration_max,kg_per_litre,temperature_c,source"},
    {"units.csv", "code,kind,factor_to_canonical"},
    {"codelists.csv", "list,code,label"},
};

static struct {
    bool loaded;
    s_table_t files[S_N_FILES];
    dcp_country_t *countries;
    size_t n_countries;
    s_name_t *country_names;
    size_t n_country_names;
    s_currency_t *currencies;
    size_t n_currencies;
    dcp_substance_t *substances;
    size_t n_substances;
    s_name_t *substance_names;
    size_t n_substance_names;
    s_schedule_t *schedule;
    size_t n_schedule;
    s_density_t *densities;
    size_t n_densities;
    s_unit_t *units;
    size_t n_units;
    s_code_t *codes;
    size_t n_codes;
    s_list_t *lists;
    size_t n_lists;
} s_ref;

/* Year column: "" is 0 (open), else 1..9999. */
static int
s_year (const char *text, int *out)
{
    if (text[0] == '\0') {
        *out = 0;
        return 0;
    }
    if (strlen (text) != 4 || strspn (text, "0123456789") != 4)
        return DCP_EINVAL;
    *out = atoi (text);
    return 0;
}

/* Date column: "" (open) or YYYY-MM-DD. */
static bool
s_date_ok (const char *text)
{
    if (text[0] == '\0')
        return true;
    return strlen (text) == 10 && strspn (text, "0123456789") == 4 && text[4] == '-'
           && strspn (text + 5, "0123456789") == 2 && text[7] == '-'
           && strspn (text + 8, "0123456789") == 2;
}

static int
s_cmp_country (const void *a, const void *b)
{
    return strcmp (((const dcp_country_t *) a)->iso3, ((const dcp_country_t *) b)->iso3);
}

static int
s_cmp_currency (const void *a, const void *b)
{
    return strcmp (((const s_currency_t *) a)->code, ((const s_currency_t *) b)->code);
}

static int
s_cmp_substance (const void *a, const void *b)
{
    return strcmp (((const dcp_substance_t *) a)->code, ((const dcp_substance_t *) b)->code);
}

static int
s_cmp_name (const void *a, const void *b)
{
    return strcasecmp (((const s_name_t *) a)->name, ((const s_name_t *) b)->name);
}

static int
s_cmp_unit (const void *a, const void *b)
{
    return strcmp (((const s_unit_t *) a)->code, ((const s_unit_t *) b)->code);
}

static int
s_cmp_code (const void *a, const void *b)
{
    const s_code_t *x = a, *y = b;
    int c = strcmp (x->list, y->list);
    return c ? c : strcmp (x->code, y->code);
}

/* Sorts ARR and rejects duplicate keys (a duplicate would make bsearch pick
 * one of two rows at random). */
static int
s_sort_unique (void *arr, size_t n, size_t size, int (*cmp) (const void *, const void *),
               const char *file)
{
    qsort (arr, n, size, cmp);
    for (size_t i = 1; i < n; i++)
        if (cmp ((char *) arr + (i - 1) * size, (char *) arr + i * size) == 0)
            return s_report (file, i + 1, "duplicate key");
    return 0;
}

static int
s_build_countries (void)
{
    const s_table_t *t = &s_ref.files[S_COUNTRIES];
    s_ref.countries = calloc (t->rows ? t->rows : 1, sizeof *s_ref.countries);
    if (!s_ref.countries)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        dcp_country_t *c = &s_ref.countries[r];
        c->iso3 = s_cell (t, r, 0);
        c->name = s_cell (t, r, 1);
        const char *partner = s_cell (t, r, 4);
        if (strlen (c->iso3) != 3 || s_year (s_cell (t, r, 2), &c->valid_from)
            || s_year (s_cell (t, r, 3), &c->valid_to)
            || (strcmp (partner, "t") != 0 && strcmp (partner, "f") != 0))
            return s_report (s_files[S_COUNTRIES].name, r + 2, "bad code, year or partner flag");
        c->paris_pact_partner = partner[0] == 't';
    }
    s_ref.n_countries = t->rows;
    int rc = s_sort_unique (s_ref.countries, t->rows, sizeof *s_ref.countries, s_cmp_country,
                            s_files[S_COUNTRIES].name);
    if (rc)
        return rc;

    /* Names for dcp_refdata_country_alias(): the aliases, then the official
     * names that no alias already covers. */
    const s_table_t *a = &s_ref.files[S_COUNTRY_ALIASES];
    s_ref.country_names = calloc (a->rows + t->rows + 1, sizeof *s_ref.country_names);
    if (!s_ref.country_names)
        return DCP_ENOMEM;
    size_t n = 0;
    for (size_t r = 0; r < a->rows; r++) {
        dcp_country_t key = {.iso3 = s_cell (a, r, 1)};
        const dcp_country_t *c =
            bsearch (&key, s_ref.countries, s_ref.n_countries, sizeof key, s_cmp_country);
        if (!c)
            return s_report (s_files[S_COUNTRY_ALIASES].name, r + 2, "alias of an unknown code");
        s_ref.country_names[n++] = (s_name_t){s_cell (a, r, 0), c->iso3};
    }
    rc = s_sort_unique (s_ref.country_names, n, sizeof (s_name_t), s_cmp_name,
                        s_files[S_COUNTRY_ALIASES].name);
    if (rc)
        return rc;
    size_t n_aliases = n;
    for (size_t i = 0; i < s_ref.n_countries; i++) {
        s_name_t key = {s_ref.countries[i].name, s_ref.countries[i].iso3};
        if (!bsearch (&key, s_ref.country_names, n_aliases, sizeof key, s_cmp_name))
            s_ref.country_names[n++] = key;
    }
    qsort (s_ref.country_names, n, sizeof (s_name_t), s_cmp_name);
    s_ref.n_country_names = n;
    return 0;
}

static int
s_build_currencies (void)
{
    const s_table_t *t = &s_ref.files[S_CURRENCIES];
    s_ref.currencies = calloc (t->rows ? t->rows : 1, sizeof *s_ref.currencies);
    if (!s_ref.currencies)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        s_currency_t *c = &s_ref.currencies[r];
        c->code = s_cell (t, r, 0);
        if (strlen (c->code) != 3 || s_year (s_cell (t, r, 2), &c->valid_from)
            || s_year (s_cell (t, r, 3), &c->valid_to))
            return s_report (s_files[S_CURRENCIES].name, r + 2, "bad code or year");
    }
    s_ref.n_currencies = t->rows;
    return s_sort_unique (s_ref.currencies, t->rows, sizeof *s_ref.currencies, s_cmp_currency,
                          s_files[S_CURRENCIES].name);
}

static int
s_build_substances (void)
{
    const s_table_t *t = &s_ref.files[S_SUBSTANCES];
    s_ref.substances = calloc (t->rows ? t->rows : 1, sizeof *s_ref.substances);
    if (!s_ref.substances)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        dcp_substance_t *s = &s_ref.substances[r];
        s->code = s_cell (t, r, 0);
        s->name = s_cell (t, r, 1);
        s->cas = s_cell (t, r, 2);
        s->hs = s_cell (t, r, 3);
        const char *state = s_cell (t, r, 4);
        if (strcmp (state, "liquid") != 0 && strcmp (state, "solid") != 0)
            return s_report (s_files[S_SUBSTANCES].name, r + 2, "state is not liquid or solid");
        s->liquid = state[0] == 'l';
    }
    s_ref.n_substances = t->rows;
    int rc = s_sort_unique (s_ref.substances, t->rows, sizeof *s_ref.substances, s_cmp_substance,
                            s_files[S_SUBSTANCES].name);
    if (rc)
        return rc;

    /* Other names, then the official names and the codes themselves, so that
     * "Acetic anhydride" and "AA" typed as a name are recognised too. */
    const s_table_t *a = &s_ref.files[S_SUBSTANCE_ALIASES];
    s_ref.substance_names = calloc (a->rows + 2 * t->rows + 1, sizeof (s_name_t));
    if (!s_ref.substance_names)
        return DCP_ENOMEM;
    size_t n = 0;
    for (size_t r = 0; r < a->rows; r++) {
        const dcp_substance_t *s = dcp_refdata_substance (s_cell (a, r, 1));
        if (!s)
            return s_report (s_files[S_SUBSTANCE_ALIASES].name, r + 2, "alias of an unknown code");
        s_ref.substance_names[n++] = (s_name_t){s_cell (a, r, 0), s->code};
    }
    rc = s_sort_unique (s_ref.substance_names, n, sizeof (s_name_t), s_cmp_name,
                        s_files[S_SUBSTANCE_ALIASES].name);
    if (rc)
        return rc;
    size_t n_aliases = n;
    for (size_t i = 0; i < s_ref.n_substances; i++) {
        const char *names[2] = {s_ref.substances[i].name, s_ref.substances[i].code};
        for (int k = 0; k < 2; k++) {
            s_name_t key = {names[k], s_ref.substances[i].code};
            if (!bsearch (&key, s_ref.substance_names, n_aliases, sizeof key, s_cmp_name))
                s_ref.substance_names[n++] = key;
        }
    }
    qsort (s_ref.substance_names, n, sizeof (s_name_t), s_cmp_name);
    s_ref.n_substance_names = n;
    return 0;
}

static int
s_build_schedule (void)
{
    const s_table_t *t = &s_ref.files[S_SCHEDULE];
    s_ref.schedule = calloc (t->rows ? t->rows : 1, sizeof *s_ref.schedule);
    if (!s_ref.schedule)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        s_schedule_t *s = &s_ref.schedule[r];
        const dcp_substance_t *sub = dcp_refdata_substance (s_cell (t, r, 0));
        const char *table = s_cell (t, r, 1);
        s->valid_from = s_cell (t, r, 2);
        s->valid_to = s_cell (t, r, 3);
        if (!sub || (strcmp (table, "1") != 0 && strcmp (table, "2") != 0)
            || !s_date_ok (s->valid_from) || !s_date_ok (s->valid_to))
            return s_report (s_files[S_SCHEDULE].name, r + 2,
                             "unknown substance, table or bad date");
        s->code = sub->code;
        s->table = table[0] - '0';
    }
    s_ref.n_schedule = t->rows;
    return 0;
}

static int
s_build_densities (void)
{
    const s_table_t *t = &s_ref.files[S_DENSITIES];
    s_ref.densities = calloc (t->rows ? t->rows : 1, sizeof *s_ref.densities);
    if (!s_ref.densities)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        s_density_t *d = &s_ref.densities[r];
        const dcp_substance_t *sub = dcp_refdata_substance (s_cell (t, r, 1));
        const char *min = s_cell (t, r, 2), *max = s_cell (t, r, 3);
        d->id = s_cell (t, r, 0);
        d->banded = min[0] || max[0];
        if (!sub || d->id[0] == '\0' || dcp_decimal_parse (s_cell (t, r, 4), &d->kg_per_litre)
            || dcp_decimal_is_zero (&d->kg_per_litre) || dcp_decimal_is_negative (&d->kg_per_litre)
            || (d->banded
                && (dcp_decimal_parse (min, &d->min) || dcp_decimal_parse (max, &d->max)
                    || dcp_decimal_cmp (&d->min, &d->max) >= 0)))
            return s_report (s_files[S_DENSITIES].name, r + 2, "unknown substance or bad number");
        d->substance = sub->code;
    }
    s_ref.n_densities = t->rows;
    return 0;
}

static int
s_build_units (void)
{
    const s_table_t *t = &s_ref.files[S_UNITS];
    s_ref.units = calloc (t->rows ? t->rows : 1, sizeof *s_ref.units);
    if (!s_ref.units)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        s_unit_t *u = &s_ref.units[r];
        const char *kind = s_cell (t, r, 1);
        u->code = s_cell (t, r, 0);
        if ((strcmp (kind, "mass") != 0 && strcmp (kind, "volume") != 0)
            || dcp_decimal_parse (s_cell (t, r, 2), &u->factor))
            return s_report (s_files[S_UNITS].name, r + 2, "bad kind or factor");
        u->is_volume = kind[0] == 'v';
    }
    s_ref.n_units = t->rows;
    return s_sort_unique (s_ref.units, t->rows, sizeof *s_ref.units, s_cmp_unit,
                          s_files[S_UNITS].name);
}

static int
s_build_codelists (void)
{
    const s_table_t *t = &s_ref.files[S_CODELISTS];
    s_ref.codes = calloc (t->rows ? t->rows : 1, sizeof *s_ref.codes);
    s_ref.lists = calloc (t->rows ? t->rows : 1, sizeof *s_ref.lists);
    if (!s_ref.codes || !s_ref.lists)
        return DCP_ENOMEM;
    for (size_t r = 0; r < t->rows; r++) {
        s_ref.codes[r] = (s_code_t){s_cell (t, r, 0), s_cell (t, r, 1)};
        if (!s_ref.codes[r].list[0] || !s_ref.codes[r].code[0])
            return s_report (s_files[S_CODELISTS].name, r + 2, "empty list or code");
    }
    s_ref.n_codes = t->rows;

    /* The joined text keeps the file's order, which is the order a person
     * reads the form in, so it is built before sorting. */
    for (size_t r = 0; r < t->rows; r++) {
        const char *list = s_cell (t, r, 0), *code = s_cell (t, r, 1);
        s_list_t *l = NULL;
        for (size_t i = 0; i < s_ref.n_lists && !l; i++)
            if (strcmp (s_ref.lists[i].list, list) == 0)
                l = &s_ref.lists[i];
        if (!l) {
            l = &s_ref.lists[s_ref.n_lists++];
            l->list = list;
        }
        size_t old = l->joined ? strlen (l->joined) : 0;
        char *joined = realloc (l->joined, old + strlen (code) + 3);
        if (!joined)
            return DCP_ENOMEM;
        snprintf (joined + old, strlen (code) + 3, "%s%s", old ? ", " : "", code);
        l->joined = joined;
    }
    return s_sort_unique (s_ref.codes, t->rows, sizeof *s_ref.codes, s_cmp_code,
                          s_files[S_CODELISTS].name);
}

int
dcp_refdata_load (void)
{
    if (s_ref.loaded)
        return 0;
    int rc = 0;
    for (int i = 0; i < S_N_FILES; i++) {
        const dcp_blob_t *blob = dcp_blob_find (dcp_refdata, s_files[i].name);
        if (!blob) {
            rc = s_report (s_files[i].name, 0, "file is not embedded");
            goto fail;
        }
        rc = s_csv_parse (blob, s_files[i].header, &s_ref.files[i]);
        if (rc)
            goto fail;
    }
    /* Substances first: the schedule, alias and density tables refer to them.
     * The lookups used while building go through the public functions, so
     * mark the state loaded now and undo it on failure. */
    s_ref.loaded = true;
    if ((rc = s_build_substances ()) || (rc = s_build_countries ()) || (rc = s_build_currencies ())
        || (rc = s_build_schedule ()) || (rc = s_build_densities ()) || (rc = s_build_units ())
        || (rc = s_build_codelists ()))
        goto fail;
    return 0;
fail:
    dcp_refdata_free ();
    return rc;
}

void
dcp_refdata_free (void)
{
    for (int i = 0; i < S_N_FILES; i++)
        s_table_free (&s_ref.files[i]);
    for (size_t i = 0; i < s_ref.n_lists; i++)
        free (s_ref.lists[i].joined);
    free (s_ref.lists);
    free (s_ref.countries);
    free (s_ref.country_names);
    free (s_ref.currencies);
    free (s_ref.substances);
    free (s_ref.substance_names);
    free (s_ref.schedule);
    free (s_ref.densities);
    free (s_ref.units);
    free (s_ref.codes);
    memset (&s_ref, 0, sizeof s_ref);
}

/* --- lookups --------------------------------------------------------------- */

static bool
s_ready (void)
{
    return s_ref.loaded || dcp_refdata_load () == 0;
}

static bool
s_year_in (int year, int from, int to)
{
    return year == 0 || ((from == 0 || year >= from) && (to == 0 || year <= to));
}

const dcp_country_t *
dcp_refdata_country (const char *iso3, int year)
{
    if (!iso3 || !s_ready ())
        return NULL;
    dcp_country_t key = {.iso3 = iso3};
    const dcp_country_t *c =
        bsearch (&key, s_ref.countries, s_ref.n_countries, sizeof key, s_cmp_country);
    return c && s_year_in (year, c->valid_from, c->valid_to) ? c : NULL;
}

/* Looks NAME up in a sorted name index, ignoring ASCII case and surrounding
 * white space. */
static const char *
s_find_name (const s_name_t *names, size_t n, const char *name)
{
    char trimmed[256];
    if (!name)
        return NULL;
    while (*name == ' ' || *name == '\t')
        name++;
    size_t len = strlen (name);
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof trimmed)
        return NULL;
    memcpy (trimmed, name, len);
    trimmed[len] = '\0';
    s_name_t key = {trimmed, NULL};
    const s_name_t *hit = bsearch (&key, names, n, sizeof key, s_cmp_name);
    return hit ? hit->code : NULL;
}

/* Edit distance between A and B, ASCII case ignored, at most LIMIT + 1
 * (longer strings are not worth the time: nobody misspells that much). */
static size_t
s_distance (const char *a, const char *b, size_t limit)
{
    size_t la = strlen (a), lb = strlen (b);
    if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower ((unsigned char) a[i - 1]) != tolower ((unsigned char) b[j - 1]);
            size_t best = diag + cost;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* How far a misspelling of a word of LEN characters may stray: one letter
 * in a code, two or three in a name. */
static size_t
s_tolerance (size_t len)
{
    return len <= 4 ? 1 : len <= 10 ? 2 : 3;
}

/* Keeps CANDIDATE (meaning CODE) in *BEST if it is nearer to TEXT than what
 * is there; a different code just as near makes the guess ambiguous. */
static void
s_consider (const char *text, const char *candidate, const char *code, size_t *best_d,
            const char **best, bool *tie)
{
    size_t len = strlen (candidate) < strlen (text) ? strlen (candidate) : strlen (text);
    size_t limit = s_tolerance (len);
    size_t d = s_distance (text, candidate, limit);
    if (d > limit || d > *best_d)
        return;
    if (d == *best_d && *best && strcmp (*best, code) != 0) {
        *tie = true;
        return;
    }
    if (d < *best_d)
        *tie = false;
    *best_d = d;
    *best = code;
}

const char *
dcp_refdata_substance_suggest (const char *text)
{
    size_t best_d = SIZE_MAX;
    const char *best = NULL;
    bool tie = false;
    if (!text || !text[0] || !s_ready ())
        return NULL;
    for (size_t i = 0; i < s_ref.n_substance_names; i++)
        s_consider (text, s_ref.substance_names[i].name, s_ref.substance_names[i].code, &best_d,
                    &best, &tie);
    return tie ? NULL : best;
}

const char *
dcp_refdata_country_suggest (const char *text)
{
    size_t best_d = SIZE_MAX;
    const char *best = NULL;
    bool tie = false;
    if (!text || !text[0] || !s_ready ())
        return NULL;
    for (size_t i = 0; i < s_ref.n_countries; i++)
        s_consider (text, s_ref.countries[i].iso3, s_ref.countries[i].iso3, &best_d, &best, &tie);
    for (size_t i = 0; i < s_ref.n_country_names; i++)
        s_consider (text, s_ref.country_names[i].name, s_ref.country_names[i].code, &best_d, &best,
                    &tie);
    return tie ? NULL : best;
}

const char *
dcp_refdata_country_alias (const char *name)
{
    if (!s_ready ())
        return NULL;
    return s_find_name (s_ref.country_names, s_ref.n_country_names, name);
}

static const s_currency_t *
s_currency (const char *code)
{
    if (!code || !s_ready ())
        return NULL;
    s_currency_t key = {.code = code};
    return bsearch (&key, s_ref.currencies, s_ref.n_currencies, sizeof key, s_cmp_currency);
}

bool
dcp_refdata_currency_valid (const char *code, int year)
{
    const s_currency_t *c = s_currency (code);
    return c && s_year_in (year, c->valid_from, c->valid_to);
}

bool
dcp_refdata_currency_known (const char *code)
{
    return s_currency (code) != NULL;
}

const dcp_substance_t *
dcp_refdata_substance (const char *code)
{
    if (!code || !s_ready ())
        return NULL;
    dcp_substance_t key = {.code = code};
    return bsearch (&key, s_ref.substances, s_ref.n_substances, sizeof key, s_cmp_substance);
}

const dcp_substance_t *
dcp_refdata_substance_by_cas (const char *cas)
{
    if (!cas || !cas[0] || !s_ready ())
        return NULL;
    for (size_t i = 0; i < s_ref.n_substances; i++)
        if (strcmp (s_ref.substances[i].cas, cas) == 0)
            return &s_ref.substances[i];
    return NULL;
}

int
dcp_refdata_substance_table (const char *code, const char *date)
{
    char day[11];
    if (!code || !date || !s_ready ())
        return 0;
    if (strlen (date) == 4 && strspn (date, "0123456789") == 4)
        snprintf (day, sizeof day, "%s-12-31", date);
    else if (strlen (date) == 10 && s_date_ok (date))
        memcpy (day, date, sizeof day);
    else
        return 0;
    /* ISO dates compare as strings. */
    for (size_t i = 0; i < s_ref.n_schedule; i++) {
        const s_schedule_t *s = &s_ref.schedule[i];
        if (strcmp (s->code, code) == 0 && (!s->valid_from[0] || strcmp (day, s->valid_from) >= 0)
            && (!s->valid_to[0] || strcmp (day, s->valid_to) <= 0))
            return s->table;
    }
    return 0;
}

const char *
dcp_refdata_substance_alias (const char *name)
{
    if (!s_ready ())
        return NULL;
    return s_find_name (s_ref.substance_names, s_ref.n_substance_names, name);
}

int
dcp_refdata_density (const char *substance, const char *concentration_pct,
                     dcp_decimal_t *kg_per_litre, const char **row_id)
{
    dcp_decimal_t pct, hundred;
    bool has_pct = concentration_pct && concentration_pct[0];
    if (!substance || !s_ready ())
        return DCP_EINVAL;
    if (has_pct && dcp_decimal_parse (concentration_pct, &pct))
        return DCP_EINVAL;
    dcp_decimal_from_int (100, &hundred);
    /* Rows are tried in file order.  A band is [min, max), except that a band
     * ending at 100 includes 100 itself. */
    for (size_t i = 0; i < s_ref.n_densities; i++) {
        const s_density_t *d = &s_ref.densities[i];
        if (strcmp (d->substance, substance) != 0)
            continue;
        if (d->banded) {
            if (!has_pct || dcp_decimal_cmp (&pct, &d->min) < 0)
                continue;
            int vs_max = dcp_decimal_cmp (&pct, &d->max);
            if (vs_max > 0 || (vs_max == 0 && dcp_decimal_cmp (&d->max, &hundred) != 0))
                continue;
        }
        if (kg_per_litre)
            *kg_per_litre = d->kg_per_litre;
        if (row_id)
            *row_id = d->id;
        return 0;
    }
    return DCP_EINVAL;
}

int
dcp_refdata_unit (const char *unit, dcp_decimal_t *factor, bool *is_volume)
{
    if (!unit || !s_ready ())
        return DCP_EINVAL;
    s_unit_t key = {.code = unit};
    const s_unit_t *u = bsearch (&key, s_ref.units, s_ref.n_units, sizeof key, s_cmp_unit);
    if (!u)
        return DCP_EINVAL;
    if (factor)
        *factor = u->factor;
    if (is_volume)
        *is_volume = u->is_volume;
    return 0;
}

bool
dcp_refdata_code_valid (const char *list, const char *code)
{
    if (!list || !code || !s_ready ())
        return false;
    s_code_t key = {list, code};
    return bsearch (&key, s_ref.codes, s_ref.n_codes, sizeof key, s_cmp_code) != NULL;
}

const char *
dcp_refdata_code_list (const char *list)
{
    if (!list || !s_ready ())
        return "";
    for (size_t i = 0; i < s_ref.n_lists; i++)
        if (strcmp (s_ref.lists[i].list, list) == 0)
            return s_ref.lists[i].joined;
    return "";
}
