/* dcp_refdata.h: reference data (countries, currencies, substances,
 * densities, code lists) with validity dates.
 *
 * The data lives in libdcp/refdata/ *.csv, is embedded at build time
 * (dcp_blob.h) and parsed once on first use; the loader also copies the
 * same files into PostgreSQL reference tables, so the validator, the
 * collector's offline check and the analysts' joins all see one source.
 * Codes are resolved "as at" a year or a date (proto/QUESTIONNAIRE.md 4.6).
 * Every pointer returned is borrowed and lives until dcp_refdata_free().
 *
 * Files (header lines are a contract with the loader's COPY into ref_<name>):
 *   countries.csv          iso3,name,valid_from,valid_to,paris_pact_partner
 *   country_aliases.csv    alias,iso3
 *   currencies.csv         code,name,valid_from,valid_to
 *   substances.csv         code,name,cas,hs,state
 *   substance_schedule.csv code,convention_table,valid_from,valid_to,source
 *   substance_aliases.csv  alias,code
 *   densities.csv          id,substance,concentration_min,concentration_max,
 *                          kg_per_litre,temperature_c,source
 *   units.csv              code,kind,factor_to_canonical
 *   codelists.csv          list,code,label
 * Years and dates are inclusive at both ends; an empty field is open.
 *
 * Code lists in codelists.csv (the LIST argument of dcp_refdata_code_valid),
 * with the proto field they check:
 *   enforcement_stage        EnforcementRow.stage
 *   enforcement_scope        EnforcementRow.scope, AssetRow.predicate_scope
 *   count_unit               EnforcementRow.count_unit
 *   counting_rule            EnforcementRow.counting_rule
 *   asset_measure            AssetRow.measure
 *   asset_category           AssetRow.asset_category
 *   valuation_basis          AssetRow.valuation_basis
 *   origin_of_request        AssetRow.origin_of_request
 *   fiu_model                LegalFramework.fiu_model
 *   fsrb                     LegalFramework.fsrb_memberships
 *   cash_declaration_system  LegalFramework.cash_declaration_system
 *   mvts_regime              LegalFramework.mvts_hawala_regime
 *   str_sector               SectorCount.sector
 *   laundering_method        LaunderingMethod.method (proto/QUESTIONNAIRE.md 5.9)
 *   trend                    LaunderingMethod.trend, DiversionMethod.trend
 *   flow_direction           LaunderingMethod.direction
 *   jurisdiction_role        Jurisdiction.role
 *   coop_instrument          CooperationRow.instrument
 *   coop_direction           CooperationRow.direction
 *   challenge_category       Challenges.categories
 *   assistance_need          Challenges.assistance_needs
 *   physical_form            AnnualSeizure.physical_form
 *   origin_basis             AnnualSeizure.origin_basis
 *   suspected_use            NonScheduledSeizure.suspected_use
 *   diversion_method         DiversionMethod.method (proto/QUESTIONNAIRE.md 5.10)
 *   shipment_event           StoppedShipment.event_type
 *   shipment_reason          StoppedShipment.reason
 *   lab_type                 IllicitLab.lab_type
 *   incident_type            Incident.incident_type
 *   package_type             IncidentSubstance.package_type
 *   concealment              Incident.concealment
 *   identification_basis     Incident.identification_basis
 *   transport_mode           Incident.transport_mode (Rec. 19 + proto/QUESTIONNAIRE.md 5.8)
 *   route_role               RouteLeg.role
 *   seizing_agency           Incident.seizing_agency
 *   follow_up                Incident.follow_up
 *   trade_flow               LicitTrade.flow
 *   trafficking_role         TraffickingRoute.role
 *   route_code               TraffickingRoute.route_code
 *   geographic_coverage      Submission.geographic_coverage
 *   revision_reason          Submission.revision_reason
 *   agency_type              Agency.type */
#ifndef DCP_REFDATA_H
#define DCP_REFDATA_H

#include <stdbool.h>

#include "dcp_decimal.h"

typedef struct {
    const char *iso3; /* "AFG", or "XKX" */
    const char *name;
    int valid_from; /* year, 0 = always */
    int valid_to;   /* year, 0 = still valid */
    bool paris_pact_partner;
} dcp_country_t;

typedef struct {
    const char *code; /* "AA" */
    const char *name;
    const char *cas; /* "108-24-7" */
    const char *hs;  /* "2915.24" */
    bool liquid;     /* liquid at 20 C: volume units allowed */
} dcp_substance_t;

/* Parses the embedded tables if not done yet.  Returns 0, or DCP_EINVAL if
 * an embedded file is broken (a build defect: the message says which line),
 * or DCP_ENOMEM.  Every lookup below calls it if needed.  Not thread-safe:
 * a program with threads calls it before starting them, and
 * dcp_refdata_free() after joining them; the lookups in between are safe
 * from any number of threads (they only read). */
int dcp_refdata_load (void);
void dcp_refdata_free (void);

/* Country by ISO 3166-1 alpha-3 code, valid in YEAR (0 = any year); NULL if
 * unknown or not valid then. */
const dcp_country_t *dcp_refdata_country (const char *iso3, int year);

/* Maps a country name or alias ("Türkiye", "Czech Republic") to its code,
 * ignoring ASCII case and surrounding blanks; NULL if unknown. */
const char *dcp_refdata_country_alias (const char *name);

/* True if CODE is an ISO 4217 currency valid in YEAR. */
bool dcp_refdata_currency_valid (const char *code, int year);
/* True if CODE is an ISO 4217 currency in any year (to tell "unknown" from
 * "not valid in that year"). */
bool dcp_refdata_currency_known (const char *code);

/* Scheduled substance by code, NULL if unknown. */
const dcp_substance_t *dcp_refdata_substance (const char *code);

/* Substance whose CAS registry number is CAS ("108-24-7"), NULL if none. */
const dcp_substance_t *dcp_refdata_substance_by_cas (const char *cas);

/* Table of the 1988 Convention the substance was in at DATE ("YYYY-MM-DD";
 * "YYYY" means 31 December of that year): 1 or 2, or 0 if not scheduled then. */
int dcp_refdata_substance_table (const char *code, const char *date);

/* Looks up a substance code by one of its other names ("Ac2O",
 * "acetyl oxide"), its official name or its code, ignoring ASCII case and
 * surrounding blanks; NULL if none. */
const char *dcp_refdata_substance_alias (const char *name);

/* "Did you mean": the code of the substance whose code, name or other name
 * is nearest to TEXT (ASCII case ignored), if it is near enough to be a
 * misspelling of it (one letter off for a code, two or three for a name:
 * "ACETT" -> ACET, "acetic anhidride" -> AA); NULL if nothing is that near
 * or two substances are equally near. */
const char *dcp_refdata_substance_suggest (const char *text);

/* As dcp_refdata_substance_suggest() for countries: codes ("afg" -> AFG),
 * names and other names ("Afganistan" -> AFG). */
const char *dcp_refdata_country_suggest (const char *text);

/* Density in kg per litre of SUBSTANCE at CONCENTRATION_PCT (NULL or "" if
 * not given) for litre-to-kilogram conversion.  Concentration bands are
 * [min, max), a band ending at 100 includes 100; acids (HCL, H2SO4) only
 * have banded rows, so they need a concentration.  Writes the factor and
 * the id of the density row used (for storing beside the derived value).
 * Returns 0, or DCP_EINVAL if no density is known (never guesses 1 kg/L). */
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
