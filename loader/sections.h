/* sections.h: the one description of every table the loader writes.
 *
 * Each table the loader fills (the submission, its findings, the section
 * tables of both questionnaires, the quarantine) is described once, here,
 * as an array of columns: name, kind, where the value sits in the
 * protobuf-c struct (offsetof) and a one-line doc string.  From that one
 * description come the COPY column list, the COPY row encoding (with the
 * derived kilograms, Convention table and completeness counts), the check
 * of the database catalog at start-up and in the tests (catalog.h), the
 * column lists of loader/DATA_DICTIONARY.md and the COMMENT ON of every
 * column (catalog_comment()).  Adding a numeric question to a
 * section is: the .proto field, one migration, one line in sections.c.
 *
 * Column kinds that stand for a group of columns expand by the naming rule
 * of migration 0002: COUNT x -> x_value, x_status, x_qref; MONEY x ->
 * x_amount, x_currency, x_status, x_qref; QTY x -> x_value, x_unit,
 * x_status, x_qref, x_kg, x_kg_factor, x_kg_method. */
#ifndef SECTIONS_H
#define SECTIONS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "copy_text.h"
#include "dcp_codec.h"
#include "dcp_decimal.h"
#include "dcp_findings.h"

/* The tables, in the order of the description.  Section tables come first
 * (encoded per item when it is added to a batch); the others are written
 * per attempt or by INSERT. */
typedef enum {
    SECTIONS_SUBMISSION_AGENCY,
    SECTIONS_FF_LEGAL,
    SECTIONS_FF_STR,
    SECTIONS_FF_STR_SECTOR,
    SECTIONS_FF_ENFORCEMENT,
    SECTIONS_FF_ASSET,
    SECTIONS_FF_METHOD,
    SECTIONS_FF_METHOD_JURISDICTION,
    SECTIONS_FF_COOPERATION,
    SECTIONS_FF_CHALLENGE,
    SECTIONS_PC_SEIZURE,
    SECTIONS_PC_NONSCHEDULED,
    SECTIONS_PC_DIVERSION,
    SECTIONS_PC_STOPPED_SHIPMENT,
    SECTIONS_PC_LAB,
    SECTIONS_PC_LAB_CHEMICAL,
    SECTIONS_PC_INCIDENT,
    SECTIONS_PC_INCIDENT_SUBSTANCE,
    SECTIONS_PC_INCIDENT_ROUTE,
    SECTIONS_PC_LICIT_TRADE,
    SECTIONS_PC_ROUTE,
    SECTIONS_N_SECTION, /* the section tables end here */
    SECTIONS_SUBMISSION = SECTIONS_N_SECTION,
    SECTIONS_FINDING,
    SECTIONS_QUARANTINE,     /* written by INSERT: described, not encoded */
    SECTIONS_SECURITY_EVENT, /* likewise */
    SECTIONS_N_TABLES
} sections_table_id_t;

typedef enum {
    SECTIONS_ID,               /* the submission id of the row */
    SECTIONS_ORD,              /* 0-based position; off 1 = of the parent row */
    SECTIONS_TEXT,             /* char *; "" is NULL */
    SECTIONS_TEXT_OR_DASH,     /* char *; "" is "-" (NOT NULL columns) */
    SECTIONS_TEXT_OR_EMPTY,    /* char *; NULL is '' (NOT NULL DEFAULT '') */
    SECTIONS_TRI,              /* Dcp__V1__Tri: YES/NO/UNKNOWN, else NULL */
    SECTIONS_INT32,            /* int32_t */
    SECTIONS_UINT32,           /* uint32_t */
    SECTIONS_OPT_INT32,        /* int32_t, 0 = not given (NULL) */
    SECTIONS_OPT_UINT32,       /* uint32_t, 0 = not given (NULL) */
    SECTIONS_BOOL,             /* protobuf_c_boolean */
    SECTIONS_ARRAY,            /* text[]: count at off, char ** at off2 */
    SECTIONS_COUNT,            /* Dcp__V1__Count *: 3 columns */
    SECTIONS_MONEY,            /* Dcp__V1__Money *: 4 columns */
    SECTIONS_QTY,              /* Dcp__V1__Quantity *: 7 columns; substance
                               code at off2, concentration at off3 */
    SECTIONS_CONVENTION_TABLE, /* derived from the substance code at off */
    SECTIONS_DERIVED,          /* computed by the encoder (see sections_derived_t) */
    SECTIONS_PARAM,            /* written by an INSERT parameter, not by COPY */
    SECTIONS_DB,               /* filled by the database (a default) */
} sections_kind_t;

/* Derived columns of the submission and finding rows. */
typedef enum {
    SECTIONS_D_SHA256 = 1,
    SECTIONS_D_RAW,
    SECTIONS_D_QUESTIONNAIRE,
    SECTIONS_D_IS_CURRENT,
    SECTIONS_D_REVIEW_STATE,
    SECTIONS_D_N_NUMBERS,
    SECTIONS_D_N_REPORTED,
    SECTIONS_D_N_NOT_AVAILABLE,
    SECTIONS_D_N_UNANSWERED,
    SECTIONS_D_COMPLETENESS,
    SECTIONS_D_N_WARNINGS,
    SECTIONS_D_N_INFOS,
    SECTIONS_D_SEVERITY,
} sections_derived_t;

/* Where a column's struct is found. */
typedef enum {
    SECTIONS_BASE_ROW = 0, /* the row's own message */
    SECTIONS_BASE_FORWARD, /* the validator's Forward (submission only) */
} sections_base_t;

typedef struct {
    const char *name; /* column, or prefix of a COUNT/MONEY/QTY group */
    sections_kind_t kind;
    sections_base_t base;
    size_t via;             /* != 0: the field sits in the message pointed
                               to by this offset (NULL: the field is absent) */
    size_t off, off2, off3; /* see the kinds; 0 = none */
    const char *doc;        /* one line for the data dictionary (and the
                               column's COMMENT ON, catalog_comment()) */
    size_t zero_off;        /* COUNT/QTY: != 0, a protobuf_c_boolean in the
                               row at this offset that confirms a zero
                               (no_seizures): an absent figure is then
                               stored as 0 REPORTED (issue 12 item 7) */
} sections_column_t;

typedef struct {
    const char *name; /* table in schema dcp */
    const char *doc;
    const sections_column_t *columns;
    size_t n_columns;
} sections_table_t;

/* The description of table T (borrowed, static). */
const sections_table_t *sections_table (sections_table_id_t t);

/* Number of database columns a column stands for (COUNT 3, MONEY 4, QTY 7,
 * others 1), and the name and doc of its K-th one written into NAME/DOC
 * (DOC may be NULL).  Returns 0, or DCP_EINVAL if K is out of range. */
size_t sections_width (const sections_column_t *c);
int sections_column_name (const sections_column_t *c, size_t k, char *name, size_t name_len,
                          char *doc, size_t doc_len);

/* Appends "a, b, c" (the columns COPY writes, in row order) of table T to
 * OUT.  Returns 0 or DCP_ENOMEM. */
int sections_copy_columns (sections_table_id_t t, dcp_buf_t *out);

/* Completeness counts of one submission: every COUNT/MONEY/QTY group is a
 * number asked; its status says how it was answered. */
typedef struct {
    int n_numbers, n_reported, n_not_available, n_unanswered;
} sections_counts_t;

/* Appends the section rows of SUB, stored under ID (lowercase UUID), to
 * OUT[t] for every section table t < SECTIONS_N_SECTION and adds its
 * numbers to COUNTS.  An allocation failure leaves its error in the buffer (err). */
void sections_encode (const Dcp__V1__Submission *sub, const char *id, dcp_buf_t *out,
                      sections_counts_t *counts);

/* What the submission row holds beyond SUB and FWD. */
typedef struct {
    const Dcp__V1__Submission *sub;
    const Dcp__V1__Forward *fwd;
    const char *id;      /* lowercase UUID */
    const char *sha_hex; /* 64 hex digits */
    const uint8_t *raw;
    size_t raw_len;
    const char *raw_field; /* or raw already as a COPY field (with
                                     its tab): sent as it is; NULL: encode */
    size_t raw_field_len;
    bool is_current;
    sections_counts_t counts;
    size_t n_warnings, n_infos;
} sections_submission_t;

/* Appends the dcp.submission row of S to OUT. */
void sections_encode_submission (dcp_buf_t *out, const sections_submission_t *s);

/* Appends the dcp.finding row of F, number ORD of submission ID, to OUT. */
void sections_encode_finding (dcp_buf_t *out, const char *id, long ord, const dcp_finding_t *f);

/* True when STATUS says an observation carries a value (reported,
 * estimated or provisional). */
bool sections_status_has_value (Dcp__V1__ObsStatus status);

#endif
