/* dcp_keys.h: CURVE key pairs on disk and the registry of known peers.
 *
 * A key file holds a Z85 public and secret key and is created readable by
 * its owner only; a public file holds the public key alone and is what a
 * partner sends to the coordinating office.  The registry maps a public key
 * to the country (ISO 3166-1 alpha-3) and display name of its owner; the
 * validator admits only registered collectors, and the loader only
 * registered validators. */
#ifndef DCP_KEYS_H
#define DCP_KEYS_H

#include <stddef.h>

#define DCP_KEY_Z85_LEN 40

typedef struct {
    char public_key[DCP_KEY_Z85_LEN + 1];
    char secret_key[DCP_KEY_Z85_LEN + 1];
} dcp_keypair_t;

/* Generates a key pair and writes PATH (both keys, mode 0600, refuses to
 * overwrite) and PATH.pub (public key only, mode 0644).  Returns 0,
 * DCP_EIO (errno set; EEXIST if PATH exists) or DCP_EINVAL. */
int dcp_keys_generate (const char *path, dcp_keypair_t *out);

/* Reads a key file written by dcp_keys_generate (or a .pub file: then the
 * secret key is empty).  Refuses a secret-key file readable by group or
 * others.  Returns 0, DCP_EIO or DCP_EINVAL (ERR says why). */
int dcp_keys_load (const char *path, dcp_keypair_t *out, char *err, size_t errlen);

typedef struct {
    char public_key[DCP_KEY_Z85_LEN + 1];
    char country[4];  /* ISO3; "-" for a stage (validator) key */
    char name[128];
} dcp_peer_t;

typedef struct dcp_registry_t dcp_registry_t;

/* Reads the registry file PATH: one peer per line,
 *     <Z85 public key> <ISO3 country or -> <display name...>
 * blank lines and lines starting with '#' ignored.  NULL on error (ERR names
 * the line).  Caller destroys. */
dcp_registry_t *dcp_registry_load (const char *path, char *err, size_t errlen);
void dcp_registry_destroy (dcp_registry_t **self_p);

/* Peer with this Z85 public key, or NULL (borrowed). */
const dcp_peer_t *dcp_registry_find (const dcp_registry_t *self, const char *public_key);
size_t dcp_registry_size (const dcp_registry_t *self);

#endif
