/* dcp_hash.h: the hashes of the pipeline, one per purpose.
 *
 *  - dcp_hash_*: 64-bit FNV-1a, not cryptographic.  For in-memory hash
 *    tables and for spreading work (choosing a loader writer by series):
 *    fast on short keys, and the same value in every process and on every
 *    machine, which a choice made twice must be.  Tables keyed by partner
 *    input are sized for the keys of one bounded batch, so a crafted
 *    collision costs a partner only their own batch's time.
 *  - dcp_hash_sha256_hex: SHA-256 (libsodium) where the value is stored or
 *    compared across systems and must not be forgeable: the content hash of
 *    a submission in the database, the checksum of a migration.
 *  - Content-addressed ids (the collector's UUID of a response) and the
 *    outbox log's record check use libsodium directly (SHA-256, BLAKE2b):
 *    their formats are fixed on disk and are not hash tables. */
#ifndef DCP_HASH_H
#define DCP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define DCP_HASH_SEED UINT64_C (14695981039346656037) /* FNV-1a offset basis */

/* Continues hash H over LEN bytes of DATA; start with DCP_HASH_SEED. */
static inline uint64_t
dcp_hash_bytes (uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * UINT64_C (1099511628211);
    return h;
}

/* Continues hash H over the C string S (NULL hashes as ""). */
static inline uint64_t
dcp_hash_str (uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++)
        h = (h ^ *p) * UINT64_C (1099511628211);
    return h;
}

/* Hash of the pair (A, B): a separator byte that UTF-8 text never holds
 * keeps ("ab", "c") and ("a", "bc") apart.  NULL counts as "". */
static inline uint64_t
dcp_hash_pair (const char *a, const char *b)
{
    uint64_t h = dcp_hash_str (DCP_HASH_SEED, a);
    h = (h ^ 0xff) * UINT64_C (1099511628211);
    return dcp_hash_str (h, b);
}

/* Lowercase hex SHA-256 of LEN bytes of DATA into HEX (65 bytes). */
void dcp_hash_sha256_hex (const void *data, size_t len, char hex[65]);

#endif
