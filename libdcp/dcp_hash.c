/* dcp_hash.c: SHA-256 in hex (see dcp_hash.h; FNV-1a is inline there). */
#include <sodium.h>

#include "dcp_hash.h"

void
dcp_hash_sha256_hex (const void *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, data, len);
    sodium_bin2hex (hex, 65, digest, sizeof digest);
}
