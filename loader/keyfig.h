/* keyfig.h: the key figures of a submission (rule V-X-03), computed in C
 * from its message, so that the loader can compare a revision with the one
 * it replaces before storing it.  Split from sections.h: the description of
 * the stored rows does not need them. */
#ifndef KEYFIG_H
#define KEYFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_codec.h"
#include "dcp_decimal.h"

/* Key figures of a response (rule V-X-03): the figures of view
 * dcp.v_key_figures_by_revision (migration 0031), computed from the message
 * before it is stored, so that a revision can be compared with the stored
 * revision it replaces without writing it twice.  The two definitions are
 * kept equal by test_store (keyfig_of_submission against the view).  A
 * figure is (indicator, breakdown) with its unit; known is false when a
 * row it adds has no value or its amounts are in several currencies (the
 * view's NULL). */
typedef struct {
    char indicator[48];  /* P1_SEIZED_KG, C_STR_RECEIVED ... */
    char breakdown[160]; /* substance; ALL; scope/unit/rule; category/scope */
    char unit[16];       /* kg, reports, lower(count unit), the currency;
                                "" when none or several */
    dcp_decimal_t value; /* the figure when known */
    bool known;
    bool mixed_units; /* amounts in several currencies */
    size_t n_rows, n_missing;
} keyfig_t;

typedef struct {
    keyfig_t *v; /* owned array */
    size_t n, cap;
    bool err; /* out of memory: the list is incomplete */
} keyfig_set_t;

/* Appends the key figures of SUB to FIGS (zeroed by the caller, freed with
 * keyfig_set_free), or one figure given as text (VALUE NULL: not
 * known), as read back from the database. */
void keyfig_of_submission (const Dcp__V1__Submission *sub, keyfig_set_t *figs);
void keyfig_put (keyfig_set_t *figs, const char *indicator, const char *breakdown, const char *unit,
                 const char *value);
void keyfig_set_free (keyfig_set_t *figs);

#endif
