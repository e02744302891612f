/* dcp_refdata.h: reference data (countries, currencies, substances,
 * densities, code lists) with validity dates.
 *
 * The data lives in libdcp/refdata/ *.csv, is embedded at build time
 * (dcp_blob.h) and parsed once on first use; the loader also copies the
 * same files into PostgreSQL reference tables, so the validator, the
 * collector's offline check and the analysts' joins all see one source.
 * Codes are resolved "as at" a year or a date (DOMAIN.md 4.6).
 * Every pointer returned is borrowed and lives until dcp_refdata_free(). */
#ifndef DCP_REFDATA_H
#define DCP_REFDATA_H

#include <stdbool.h>

#include "dcp_decimal.h"

typedef struct {
    const char *iso3;       /* "AFG", or "XKX" */
    const char *name;
    int valid_from;         /* year, 0 = always */
    int valid_to;           /* year, 0 = still valid */
    bool paris_pact_partner;
} dcp_country_t;

typedef struct {
    const char *code;       /* "AA" */
    const char *name;
    const char *cas;        /* "108-24-7" */
    const char *hs;         /* "2915.24" */
    bool liquid;            /* liquid at 20 C: volume units allowed */
} dcp_substance_t;

/* Parses the embedded tables if not done yet.  Returns 0, or DCP_EINVAL if
 * an embedded file is broken (a build defect: the message says which line),
 * or DCP_ENOMEM.  Every lookup below calls it. */
int dcp_refdata_load (void);
void dcp_refdata_free (void);

/* Country by ISO 3166-1 alpha-3 code, valid in YEAR (0 = any year); NULL if
 * unknown or not valid then. */
const dcp_country_t *dcp_refdata_country (const char *iso3, int year);

/* Maps a country name or alias ("Türkiye", "Czech Republic") to its code;
 * NULL if unknown. */
const char *dcp_refdata_country_alias (const char *name);

/* True if CODE is an ISO 4217 currency valid in YEAR. */
bool dcp_refdata_currency_valid (const char *code, int year);
/* True if CODE is an ISO 4217 currency in any year (to tell "unknown" from
 * "not valid in that year"). */
bool dcp_refdata_currency_known (const char *code);

/* Scheduled substance by code, NULL if unknown. */
const dcp_substance_t *dcp_refdata_substance (const char *code);

/* Table of the 1988 Convention the substance was in at DATE ("YYYY-MM-DD";
 * "YYYY" means 31 December of that year): 1 or 2, or 0 if not scheduled then. */
int dcp_refdata_substance_table (const char *code, const char *date);

/* Looks up a substance code by one of its other names ("Ac2O",
 * "acetyl oxide"); NULL if none. */
const char *dcp_refdata_substance_alias (const char *name);

/* Density in kg per litre of SUBSTANCE at CONCENTRATION_PCT (NULL if not
 * given) for litre-to-kilogram conversion.  Writes the factor and the id of
 * the density row used (for storing beside the derived value).  Returns 0,
 * or DCP_EINVAL if no density is known (never guesses 1 kg/L). */
int dcp_refdata_density (const char *substance, const char *concentration_pct,
                         dcp_decimal_t *kg_per_litre, const char **row_id);

/* Unit: factor to the canonical unit (KG for mass, L for volume). Returns 0
 * and sets *is_volume, or DCP_EINVAL for an unknown unit. */
int dcp_refdata_unit (const char *unit, dcp_decimal_t *factor, bool *is_volume);

/* True if CODE is in the code list LIST (e.g. "enforcement_stage",
 * "incident_type"; see refdata/codelists.csv). */
bool dcp_refdata_code_valid (const char *list, const char *code);

/* Comma-separated codes of LIST for messages ("CASES, PERSONS_NATURAL, ..."),
 * borrowed; "" if the list is unknown. */
const char *dcp_refdata_code_list (const char *list);

#endif
