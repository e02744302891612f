/* dcp_keys.c: key files and the peer registry (see dcp_keys.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_keys.h"

/* Key files are created, never overwritten: an existing key pair is an
 * identity already given to the coordinating office. */
static int
s_write_file (const char *path, mode_t mode, const char *text)
{
    return dcp_fs_write_new (path, (int) mode, text, strlen (text));
}

int
dcp_keys_generate (const char *path, dcp_keypair_t *out)
{
    dcp_keypair_t kp;
    char text[256], pubpath[4096];
    if (zmq_curve_keypair (kp.public_key, kp.secret_key) != 0)
        return DCP_EINVAL;  /* libzmq built without CURVE */
    if ((size_t) snprintf (pubpath, sizeof pubpath, "%s.pub", path) >= sizeof pubpath)
        return DCP_EINVAL;
    snprintf (text, sizeof text,
              "# DCP CURVE key pair. Keep this file secret: never send it to anyone.\n"
              "public-key = %s\nsecret-key = %s\n",
              kp.public_key, kp.secret_key);
    int rc = s_write_file (path, 0600, text);
    if (rc)
        return rc;
    snprintf (text, sizeof text, "# DCP CURVE public key: give this file to the coordinating office.\n"
                                 "public-key = %s\n",
              kp.public_key);
    rc = s_write_file (pubpath, 0644, text);
    if (rc) {
        int saved = errno;
        unlink (path);
        errno = saved;
        return rc;
    }
    if (out)
        *out = kp;
    return 0;
}

static int
s_valid_z85 (const char *key)
{
    uint8_t bin[32];
    return strlen (key) == DCP_KEY_Z85_LEN && zmq_z85_decode (bin, key) != NULL;
}

int
dcp_keys_load (const char *path, dcp_keypair_t *out, char *err, size_t errlen)
{
    struct stat st;
    char line[512];
    int lineno = 0;
    memset (out, 0, sizeof *out);
    FILE *f = fopen (path, "r");
    if (!f) {
        snprintf (err, errlen, "could not open key file \"%s\": %s", path, strerror (errno));
        return DCP_EIO;
    }
    while (fgets (line, sizeof line, f)) {
        lineno++;
        char name[32], value[128];
        if (line[0] == '#' || line[strspn (line, " \t\r\n")] == '\0')
            continue;
        if (sscanf (line, " %31[a-z-] = %127s", name, value) != 2)
            goto bad;
        if (!s_valid_z85 (value))
            goto bad;
        if (strcmp (name, "public-key") == 0)
            memcpy (out->public_key, value, DCP_KEY_Z85_LEN + 1);
        else if (strcmp (name, "secret-key") == 0)
            memcpy (out->secret_key, value, DCP_KEY_Z85_LEN + 1);
        else
            goto bad;
    }
    if (out->secret_key[0] && fstat (fileno (f), &st) == 0 && (st.st_mode & 077)) {
        snprintf (err, errlen,
                  "key file \"%s\" holds a secret key but is readable by others: chmod 600 it",
                  path);
        fclose (f);
        return DCP_EINVAL;
    }
    fclose (f);
    if (!out->public_key[0]) {
        snprintf (err, errlen, "key file \"%s\" has no public-key line", path);
        return DCP_EINVAL;
    }
    return 0;
bad:
    snprintf (err, errlen, "key file \"%s\" line %d: expected public-key = <40 Z85 characters>",
              path, lineno);
    fclose (f);
    memset (out, 0, sizeof *out);
    return DCP_EINVAL;
}

struct dcp_registry_t {
    dcp_peer_t *peers;
    size_t count;
};

static int
s_peer_cmp (const void *a, const void *b)
{
    return strcmp (((const dcp_peer_t *) a)->public_key, ((const dcp_peer_t *) b)->public_key);
}

dcp_registry_t *
dcp_registry_load (const char *path, char *err, size_t errlen)
{
    char line[1024];
    int lineno = 0;
    size_t cap = 0;
    dcp_registry_t *self = calloc (1, sizeof *self);
    FILE *f = fopen (path, "r");
    if (!self || !f) {
        snprintf (err, errlen, "could not open registry \"%s\": %s", path, strerror (errno));
        goto fail;
    }
    while (fgets (line, sizeof line, f)) {
        lineno++;
        char *p = line + strspn (line, " \t");
        p[strcspn (p, "\r\n")] = '\0';
        if (*p == '#' || *p == '\0')
            continue;
        dcp_peer_t peer;
        memset (&peer, 0, sizeof peer);
        int used = 0;
        char key[64], country[8];
        if (sscanf (p, "%63s %7s %n", key, country, &used) < 2 || !s_valid_z85 (key)
            || !(strcmp (country, "-") == 0
                 || (strlen (country) == 3 && country[0] >= 'A' && country[0] <= 'Z'
                     && country[1] >= 'A' && country[1] <= 'Z' && country[2] >= 'A'
                     && country[2] <= 'Z'))) {
            snprintf (err, errlen,
                      "%s:%d: expected \"<40-character Z85 public key> <ISO3 country or -> <name>\"",
                      path, lineno);
            goto fail;
        }
        memcpy (peer.public_key, key, DCP_KEY_Z85_LEN + 1);
        memcpy (peer.country, country, strlen (country) + 1);
        snprintf (peer.name, sizeof peer.name, "%s", p + used);
        if (self->count == cap) {
            cap = cap ? cap * 2 : 16;
            dcp_peer_t *peers = realloc (self->peers, cap * sizeof *peers);
            if (!peers) {
                snprintf (err, errlen, "out of memory");
                goto fail;
            }
            self->peers = peers;
        }
        self->peers[self->count++] = peer;
    }
    fclose (f);
    qsort (self->peers, self->count, sizeof *self->peers, s_peer_cmp);
    for (size_t i = 1; i < self->count; i++)
        if (strcmp (self->peers[i - 1].public_key, self->peers[i].public_key) == 0) {
            snprintf (err, errlen, "%s: key %.8s... is registered twice", path,
                      self->peers[i].public_key);
            f = NULL;
            goto fail;
        }
    return self;
fail:
    if (f)
        fclose (f);
    dcp_registry_destroy (&self);
    return NULL;
}

void
dcp_registry_destroy (dcp_registry_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->peers);
    free (*self_p);
    *self_p = NULL;
}

const dcp_peer_t *
dcp_registry_find (const dcp_registry_t *self, const char *public_key)
{
    dcp_peer_t key;
    if (!self || !public_key || strlen (public_key) != DCP_KEY_Z85_LEN)
        return NULL;
    memcpy (key.public_key, public_key, DCP_KEY_Z85_LEN + 1);
    return bsearch (&key, self->peers, self->count, sizeof key, s_peer_cmp);
}

size_t
dcp_registry_size (const dcp_registry_t *self)
{
    return self ? self->count : 0;
}
