/* dcp_kg.c: the one derivation of kilograms (see dcp_kg.h). */
#include <stdbool.h>
#include <stdio.h>

#include "dcp_err.h"
#include "dcp_kg.h"
#include "dcp_refdata.h"

int
dcp_kg_derive (const char *value, const char *unit, const char *substance,
               const char *concentration_pct, dcp_kg_t *out)
{
    dcp_decimal_t v, unit_factor, density;
    bool is_volume = false;
    *out = (dcp_kg_t){0};
    if (!value || dcp_decimal_parse (value, &v) != 0)
        out->method = DCP_KG_NOT_A_NUMBER;
    else if (!unit || dcp_refdata_unit (unit, &unit_factor, &is_volume) != 0)
        out->method = DCP_KG_UNKNOWN_UNIT;
    else if (!is_volume) {
        out->method = DCP_KG_MASS_UNIT;
        out->factor = unit_factor;
    } else if (!substance || !*substance
               || dcp_refdata_density (
                      substance, concentration_pct && *concentration_pct ? concentration_pct : NULL,
                      &density, &out->density_id)
                      != 0
               || dcp_decimal_mul (&unit_factor, &density, DCP_KG_FACTOR_SCALE, &out->factor) != 0)
        out->method = DCP_KG_NO_DENSITY;
    else
        out->method = DCP_KG_DENSITY;
    if (out->method != DCP_KG_MASS_UNIT && out->method != DCP_KG_DENSITY)
        return DCP_EINVAL;
    if (dcp_decimal_mul (&v, &out->factor, DCP_KG_SCALE, &out->kg) != 0) {
        out->method = DCP_KG_OVERFLOW;
        return DCP_EINVAL;
    }
    return 0;
}

const char *
dcp_kg_method_text (const dcp_kg_t *kg, char *buf, size_t size)
{
    switch (kg->method) {
    case DCP_KG_MASS_UNIT: snprintf (buf, size, "mass_unit"); break;
    case DCP_KG_DENSITY:
        snprintf (buf, size, "density:%s", kg->density_id ? kg->density_id : "?");
        break;
    case DCP_KG_NOT_A_NUMBER: snprintf (buf, size, "not_a_number"); break;
    case DCP_KG_UNKNOWN_UNIT: snprintf (buf, size, "unknown_unit"); break;
    case DCP_KG_NO_DENSITY: snprintf (buf, size, "no_density"); break;
    case DCP_KG_OVERFLOW: snprintf (buf, size, "overflow"); break;
    default: snprintf (buf, size, "?"); break;
    }
    return buf;
}
