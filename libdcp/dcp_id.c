/* dcp_id.c: UUID check, normalisation and generation; the safe-name rule
 * (see dcp_id.h for the policy and why). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_id.h"

bool
dcp_id_uuid_ok (const char *text)
{
    if (!text)
        return false;
    for (int i = 0; i < DCP_ID_UUID_LEN; i++) {
        char ch = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (ch != '-')
                return false;
        } else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')
                     || (ch >= 'A' && ch <= 'F')))
            return false; /* also stops at the NUL of a short string */
    }
    return text[DCP_ID_UUID_LEN] == '\0';
}

int
dcp_id_uuid_normalise (const char *text, char out[DCP_ID_UUID_LEN + 1])
{
    if (!dcp_id_uuid_ok (text))
        return DCP_EINVAL;
    for (int i = 0; i < DCP_ID_UUID_LEN; i++) {
        char ch = text[i];
        out[i] = (ch >= 'A' && ch <= 'F') ? (char) (ch - 'A' + 'a') : ch;
    }
    out[DCP_ID_UUID_LEN] = '\0';
    return 0;
}

/* Writes 16 bytes B as a lowercase UUID with VERSION and the RFC variant. */
static char *
s_format (unsigned char b[16], int version, char *buf)
{
    b[6] = (unsigned char) ((b[6] & 0x0f) | (version << 4));
    b[8] = (unsigned char) ((b[8] & 0x3f) | 0x80);
    snprintf (buf, DCP_ID_UUID_LEN + 1,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
              b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
              b[15]);
    return buf;
}

char *
dcp_id_uuid_v4 (char *buf)
{
    unsigned char b[16];
    if (sodium_init () < 0)
        abort (); /* no entropy source: nothing sensible can continue */
    randombytes_buf (b, sizeof b);
    return s_format (b, 4, buf);
}

char *
dcp_id_uuid_from_content (const void *content, size_t len, char out[DCP_ID_UUID_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (h, content, len);
    return s_format (h, 8, out);
}

bool
dcp_id_name_ok (const char *text, size_t len)
{
    if (!text || len == 0 || len > DCP_ID_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
              || ch == '-' || ch == '_'))
            return false;
    }
    return true;
}
