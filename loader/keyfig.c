/* keyfig.c: the key figures of a submission (see keyfig.h), computed from
 * its message.  Apart from sections.c, which describes and encodes the
 * stored rows, because these figures are a derived view used by one rule.
 *
 * Key figures (rule V-X-03; the same figures as dcp.v_key_figures_by_revision
 * of migration 0031, which test_store holds them to). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_decimal.h"
#include "dcp_kg.h"
#include "keyfig.h"
#include "sections.h"

/* The figure (INDICATOR, BREAKDOWN) of FIGS, appended if new; NULL if out
 * of memory. */
static keyfig_t *
s_kf_get (keyfig_set_t *figs, const char *indicator, const char *breakdown)
{
    for (size_t i = 0; i < figs->n; i++)
        if (strcmp (figs->v[i].indicator, indicator) == 0
            && strcmp (figs->v[i].breakdown, breakdown) == 0)
            return &figs->v[i];
    if (figs->n == figs->cap) {
        size_t cap = figs->cap ? 2 * figs->cap : 16;
        keyfig_t *v = realloc (figs->v, cap * sizeof *v);
        if (!v) {
            figs->err = true;
            return NULL;
        }
        figs->v = v;
        figs->cap = cap;
    }
    keyfig_t *k = &figs->v[figs->n++];
    memset (k, 0, sizeof *k);
    snprintf (k->indicator, sizeof k->indicator, "%s", indicator);
    snprintf (k->breakdown, sizeof k->breakdown, "%s", breakdown);
    return k;
}

/* Adds one row to a figure: VALUE NULL when the row has no value; UNIT ""
 * when it names none (a second, different unit makes the figure unknown,
 * as amounts in several currencies are never added). */
static void
s_kf_add (keyfig_set_t *figs, const char *indicator, const char *breakdown, const char *unit,
          const dcp_decimal_t *value)
{
    keyfig_t *k = s_kf_get (figs, indicator, breakdown);
    if (!k)
        return;
    k->n_rows++;
    if (unit && *unit && !k->mixed_units) {
        if (!k->unit[0])
            snprintf (k->unit, sizeof k->unit, "%s", unit);
        else if (strcmp (k->unit, unit) != 0) {
            k->mixed_units = true;
            k->unit[0] = '\0'; /* as the view: no unit for a mixed figure */
        }
    }
    dcp_decimal_t sum;
    if (!value)
        k->n_missing++;
    else if (dcp_decimal_add (&k->value, value, &sum) == 0)
        k->value = sum;
    else
        k->n_missing++; /* too big to add: not known rather than wrong */
    k->known = k->n_missing == 0 && !k->mixed_units;
}

/* "a/b/c" of the non-empty PARTS (SQL concat_ws skips NULLs, and "" is
 * stored as NULL). */
static const char *
s_kf_join (char *buf, size_t size, const char *const *parts, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (parts[i] && *parts[i])
            len += (size_t) snprintf (buf + len, len < size ? size - len : 0, "%s%s",
                                      len ? "/" : "", parts[i]);
    return buf;
}

static const dcp_decimal_t *
s_kf_count (const Dcp__V1__Count *c, dcp_decimal_t *d)
{
    if (!c || c->presence_case != DCP__V1__COUNT__PRESENCE_VALUE)
        return NULL;
    dcp_decimal_from_int (c->value, d);
    return d;
}

static void
s_kf_precursors (const Dcp__V1__Precursors *pc, keyfig_set_t *figs)
{
    for (size_t i = 0; i < pc->n_seizures; i++) {
        const Dcp__V1__AnnualSeizure *z = pc->seizures[i];
        const Dcp__V1__Quantity *q = z->quantity;
        const char *code = z->substance_code && *z->substance_code ? z->substance_code : "?";
        dcp_decimal_t zero, *v = NULL;
        dcp_kg_t kg;
        dcp_decimal_from_int (0, &zero);
        if (z->no_seizures && (!q || !sections_status_has_value (q->status)))
            v = &zero; /* the confirmed zero, stored as 0 kg */
        else if (q && q->value && *q->value
                 && dcp_kg_derive (q->value, q->unit, z->substance_code, z->concentration_pct, &kg)
                        == 0)
            v = &kg.kg;
        s_kf_add (figs, "P1_SEIZED_KG", code, "kg", v);
    }
}

static void
s_kf_financial_flows (const Dcp__V1__FinancialFlows *ff, keyfig_set_t *figs)
{
    dcp_decimal_t d;
    char breakdown[160], unit[16], indicator[48];
    if (ff->str) {
        s_kf_add (figs, "C_STR_RECEIVED", "ALL", "reports",
                  s_kf_count (ff->str->received_total, &d));
        s_kf_add (figs, "C_STR_DISSEMINATED", "ALL", "reports",
                  s_kf_count (ff->str->disseminated_total, &d));
    }
    for (size_t i = 0; i < ff->n_enforcement; i++) {
        const Dcp__V1__EnforcementRow *e = ff->enforcement[i];
        if (!e->stage || strcmp (e->stage, "CONVICTION") != 0)
            continue;
        const char *parts[] = {e->scope, e->count_unit, e->counting_rule};
        size_t k = 0;
        for (; e->count_unit && e->count_unit[k] && k + 1 < sizeof unit; k++)
            unit[k] = (char) (e->count_unit[k] >= 'A' && e->count_unit[k] <= 'Z'
                                  ? e->count_unit[k] - 'A' + 'a'
                                  : e->count_unit[k]);
        unit[k] = '\0';
        s_kf_add (figs, "D_CONVICTIONS", s_kf_join (breakdown, sizeof breakdown, parts, 3), unit,
                  s_kf_count (e->value, &d));
    }
    for (size_t i = 0; i < ff->n_assets; i++) {
        const Dcp__V1__AssetRow *a = ff->assets[i];
        const Dcp__V1__Money *m = a->amount;
        const char *parts[] = {a->asset_category, a->predicate_scope};
        snprintf (indicator, sizeof indicator, "E_ASSET_%s", a->measure ? a->measure : "");
        bool has = m && m->amount && *m->amount && dcp_decimal_parse (m->amount, &d) == 0;
        s_kf_add (figs, indicator, s_kf_join (breakdown, sizeof breakdown, parts, 2),
                  m ? m->currency : NULL, has ? &d : NULL);
    }
}

void
keyfig_of_submission (const Dcp__V1__Submission *sub, keyfig_set_t *figs)
{
    if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS && sub->precursors)
        s_kf_precursors (sub->precursors, figs);
    else if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS
             && sub->financial_flows)
        s_kf_financial_flows (sub->financial_flows, figs);
}

void
keyfig_put (keyfig_set_t *figs, const char *indicator, const char *breakdown, const char *unit,
            const char *value)
{
    dcp_decimal_t d;
    bool has = value && dcp_decimal_parse (value, &d) == 0;
    s_kf_add (figs, indicator, breakdown, unit, has ? &d : NULL);
}

void
keyfig_set_free (keyfig_set_t *figs)
{
    free (figs->v);
    memset (figs, 0, sizeof *figs);
}
