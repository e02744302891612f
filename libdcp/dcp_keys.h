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

#include <stdbool.h>
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
    char country[4]; /* ISO3; "-" for a stage (validator) key */
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

/* The I-th peer in key order, or NULL past the end (borrowed). */
const dcp_peer_t *dcp_registry_at (const dcp_registry_t *self, size_t i);

/* True if KEY is a public key a registry can hold: 40 Z85 characters that
 * decode to 32 bytes. */
bool dcp_keys_valid_public (const char *key);

/* Editing the registry file in place, for the operator's commands (see
 * "validator partner").  Every edit:
 *   - takes PATH.new as a lock (created exclusively: a second edit at the
 *     same time fails with DCP_EAGAIN, and so does one after a crash until
 *     the operator removes the stale PATH.new);
 *   - keeps every other line as it was, comments and order included;
 *   - checks that the result loads as a registry before it is used;
 *   - replaces PATH atomically (write PATH.new, fsync, rename, fsync the
 *     folder), keeping PATH's mode, owner and group, so a process reading
 *     it sees the old file or the new one, never a mix.
 * A key that names an entry (OLD_KEY, KEY) is the whole key or a prefix of
 * at least 8 characters (log lines show peer=<8 characters>) that matches
 * one entry only.  On success *DONE (may be NULL) is the peer added,
 * rotated out or revoked.  Return 0, DCP_EINVAL (bad argument, duplicate,
 * no or several matches: ERR says which), DCP_ECONFIG (the file as it is
 * does not load, or the result would not), DCP_EAGAIN (locked) or DCP_EIO
 * (ERR names the file and errno's text). */

/* Appends "<KEY>  <COUNTRY>  <NAME>".  COUNTRY is ISO3 in capitals or "-"
 * (a stage key); NAME is one line of UTF-8 text, at most 127 bytes.  A
 * missing PATH is created (mode 0644).  Refuses a key already listed. */
int dcp_registry_add (const char *path, const char *public_key, const char *country,
                      const char *name, dcp_peer_t *done, char *err, size_t errlen);

/* Replaces OLD_KEY's entry by NEW_KEY with the same country and name, in
 * the same place; the old line stays above as a comment ("# rotated out
 * <UTC time>: ..."). */
int dcp_registry_rotate (const char *path, const char *old_key, const char *new_key,
                         dcp_peer_t *done, char *err, size_t errlen);

/* Removes KEY's entry: its line becomes a comment ("# revoked <UTC time>:
 * ..."), so the file keeps a trace of what was admitted once. */
int dcp_registry_revoke (const char *path, const char *key, dcp_peer_t *done, char *err,
                         size_t errlen);

#endif
