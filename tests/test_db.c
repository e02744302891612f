/* test_db.c: the classification of database failures (loader/db.c), which
 * decides between a retry, a partner's rejection and a stage fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "db.h"

static void
test_sqlstate_classes (void **state)
{
    (void) state;
    static const struct {
        const char *state;
        db_fault_t want;
    } cases[] = {
        /* transient: the same work may pass later */
        {NULL, DB_FAULT_RETRY},    /* no answer: the connection failed */
        {"40001", DB_FAULT_RETRY}, /* serialization failure */
        {"40P01", DB_FAULT_RETRY}, /* deadlock */
        {"08006", DB_FAULT_RETRY}, /* connection failure */
        {"57P01", DB_FAULT_RETRY}, /* admin shutdown */
        {"53100", DB_FAULT_RETRY}, /* disk full */
        {"55P03", DB_FAULT_RETRY}, /* lock not available */
        {"57014", DB_FAULT_RETRY}, /* statement timeout */
        /* the partner's data */
        {"22P02", DB_FAULT_DATA}, /* invalid text representation ("12abc") */
        {"22003", DB_FAULT_DATA}, /* numeric value out of range */
        {"22021", DB_FAULT_DATA}, /* invalid UTF-8 */
        {"22007", DB_FAULT_DATA}, /* invalid date */
        {"23514", DB_FAULT_DATA}, /* check violation (value without status) */
        {"23505", DB_FAULT_DATA}, /* unique violation */
        {"54000", DB_FAULT_DATA}, /* program limit (a value too big) */
        /* our own encoder, schema or deployment */
        {"22P04", DB_FAULT_STAGE}, /* bad COPY format: row shape != column list */
        {"42703", DB_FAULT_STAGE}, /* undefined column */
        {"42P01", DB_FAULT_STAGE}, /* undefined table */
        {"42501", DB_FAULT_STAGE}, /* insufficient privilege */
        {"42601", DB_FAULT_STAGE}, /* syntax error */
        {"42804", DB_FAULT_STAGE}, /* datatype mismatch */
        {"0A000", DB_FAULT_STAGE}, /* feature not supported */
        {"25P02", DB_FAULT_STAGE}, /* in failed transaction */
        {"3F000", DB_FAULT_STAGE}, /* invalid schema name */
        {"XX000", DB_FAULT_STAGE}, /* internal error */
        {"P0001", DB_FAULT_STAGE}, /* raise exception in a function */
        {"", DB_FAULT_RETRY},      /* not a SQLSTATE: as no answer */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (db_classify_sqlstate (cases[i].state) != cases[i].want)
            fail_msg ("SQLSTATE %s: %s, want %s", cases[i].state ? cases[i].state : "(none)",
                      db_fault_name (db_classify_sqlstate (cases[i].state)),
                      db_fault_name (cases[i].want));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_sqlstate_classes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
