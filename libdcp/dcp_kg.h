/* dcp_kg.h: the one derivation of kilograms from a reported quantity.
 *
 * The validator's rules (V-PRE-07 thresholds, V-PRE-11 totals, in the
 * collector and the validator alike) and the loader's stored X_kg columns
 * must agree to the digit, so both call this: mass units by their factor,
 * volume units by factor x the substance's density at the concentration
 * (never 1 kg per litre).  One rounding: the factor at DCP_KG_FACTOR_SCALE
 * fraction digits, then kg = value x factor at DCP_KG_SCALE digits. */
#ifndef DCP_KG_H
#define DCP_KG_H

#include <stddef.h>

#include "dcp_decimal.h"

#define DCP_KG_SCALE 6        /* fraction digits of a derived kg (mg) */
#define DCP_KG_FACTOR_SCALE 9 /* fraction digits of a kg factor */

typedef enum {
    DCP_KG_MASS_UNIT = 1, /* derived: factor is the unit's */
    DCP_KG_DENSITY,       /* derived: factor is the unit's x a density */
    DCP_KG_NOT_A_NUMBER,  /* the value is not a decimal */
    DCP_KG_UNKNOWN_UNIT,
    DCP_KG_NO_DENSITY, /* a volume without a known density */
    DCP_KG_OVERFLOW,
} dcp_kg_method_t;

typedef struct {
    dcp_kg_method_t method;
    dcp_decimal_t kg;       /* DCP_KG_MASS_UNIT and DCP_KG_DENSITY only */
    dcp_decimal_t factor;   /* likewise: kg per unit */
    const char *density_id; /* DCP_KG_DENSITY: the density row (static) */
} dcp_kg_t;

/* Derives the kilograms of VALUE (decimal text) in UNIT of SUBSTANCE (a
 * code; NULL or "" for none) at CONCENTRATION_PCT (NULL or "" if not
 * given) into OUT.  Returns 0 when kg and factor are set, or DCP_EINVAL
 * with OUT->method saying why not. */
int dcp_kg_derive (const char *value, const char *unit, const char *substance,
                   const char *concentration_pct, dcp_kg_t *out);

/* The method as stored in X_kg_method: "mass_unit", "density:<row id>",
 * "not_a_number", "unknown_unit", "no_density" or "overflow", written
 * into BUF (SIZE bytes); returns BUF. */
const char *dcp_kg_method_text (const dcp_kg_t *kg, char *buf, size_t size);

#endif
