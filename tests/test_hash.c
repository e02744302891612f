/* test_hash.c: FNV-1a for tables, SHA-256 for stored content hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dcp_hash.h"

static void
test_fnv1a_known_values (void **state)
{
    (void) state;
    /* Published FNV-1a 64 test vectors. */
    assert_true (dcp_hash_str (DCP_HASH_SEED, "") == UINT64_C (0xcbf29ce484222325));
    assert_true (dcp_hash_str (DCP_HASH_SEED, "a") == UINT64_C (0xaf63dc4c8601ec8c));
    assert_true (dcp_hash_str (DCP_HASH_SEED, "foobar") == UINT64_C (0x85944171f73967e8));
    assert_true (dcp_hash_bytes (DCP_HASH_SEED, "foobar", 6)
                 == dcp_hash_str (DCP_HASH_SEED, "foobar"));
    /* Continuing a hash is the same as hashing the concatenation. */
    assert_true (dcp_hash_str (dcp_hash_str (DCP_HASH_SEED, "foo"), "bar")
                 == dcp_hash_str (DCP_HASH_SEED, "foobar"));
}

static void
test_pair_keeps_the_boundary (void **state)
{
    (void) state;
    assert_true (dcp_hash_pair ("ab", "c") != dcp_hash_pair ("a", "bc"));
    assert_true (dcp_hash_pair ("a", NULL) == dcp_hash_pair ("a", ""));
    assert_true (dcp_hash_pair ("x", "y") == dcp_hash_pair ("x", "y"));
}

static void
test_sha256_hex (void **state)
{
    (void) state;
    char hex[65];
    dcp_hash_sha256_hex ("abc", 3, hex);
    assert_string_equal (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    dcp_hash_sha256_hex ("", 0, hex);
    assert_string_equal (hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_fnv1a_known_values),
        cmocka_unit_test (test_pair_keeps_the_boundary),
        cmocka_unit_test (test_sha256_hex),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
