/* dcp_keys.c: key files and the peer registry (see dcp_keys.h): reading
 * both, and the operator's edits of the registry file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "dcp_buf.h"
#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_keys.h"
#include "dcp_utf8.h"

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
        return DCP_EINVAL; /* libzmq built without CURVE */
    if ((size_t) snprintf (pubpath, sizeof pubpath, "%s.pub", path) >= sizeof pubpath)
        return DCP_EINVAL;
    snprintf (text, sizeof text,
              "# DCP CURVE key pair. Keep this file secret: never send it to anyone.\n"
              "public-key = %s\nsecret-key = %s\n",
              kp.public_key, kp.secret_key);
    int rc = s_write_file (path, 0600, text);
    if (rc)
        return rc;
    snprintf (text, sizeof text,
              "# DCP CURVE public key: give this file to the coordinating office.\n"
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

bool
dcp_keys_valid_public (const char *key)
{
    return key && s_valid_z85 (key);
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
            snprintf (
                err, errlen,
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
    if (self->count > 1) /* an empty registry has no array: qsort (NULL, 0) is undefined */
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
    if (!self || !self->count || !public_key || strlen (public_key) != DCP_KEY_Z85_LEN)
        return NULL;
    memcpy (key.public_key, public_key, DCP_KEY_Z85_LEN + 1);
    return bsearch (&key, self->peers, self->count, sizeof key, s_peer_cmp);
}

size_t
dcp_registry_size (const dcp_registry_t *self)
{
    return self ? self->count : 0;
}

const dcp_peer_t *
dcp_registry_at (const dcp_registry_t *self, size_t i)
{
    return self && i < self->count ? &self->peers[i] : NULL;
}

/* --- editing the registry file ------------------------------------------ */

typedef enum { S_ADD, S_ROTATE, S_REVOKE } s_op_t;

typedef struct {
    s_op_t op;
    const char *key;     /* add: the new key; else the entry's key or prefix */
    const char *new_key; /* rotate */
    const char *country; /* add */
    const char *name;    /* add */
} s_edit_t;

/* The first token of LINE (LEN bytes, no newline) into KEY (64 bytes) if
 * the line is an entry, not a comment or blank.  Returns whether it is. */
static bool
s_line_key (const char *line, size_t len, char key[64])
{
    size_t i = 0, n = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] == '#' || line[i] == '\r')
        return false;
    while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && n < 63)
        key[n++] = line[i++];
    key[n] = '\0';
    return true;
}

/* The peer an entry line describes (as dcp_registry_load reads it). */
static void
s_line_peer (const char *line, size_t len, dcp_peer_t *peer)
{
    char copy[1024], key[64], country[8];
    int used = 0;
    snprintf (copy, sizeof copy, "%.*s", (int) len, line);
    copy[strcspn (copy, "\r")] = '\0';
    memset (peer, 0, sizeof *peer);
    if (sscanf (copy, " %63s %7s %n", key, country, &used) >= 2) {
        snprintf (peer->public_key, sizeof peer->public_key, "%s", key);
        snprintf (peer->country, sizeof peer->country, "%s", country);
        snprintf (peer->name, sizeof peer->name, "%s", copy + used);
    }
}

static void
s_utc_now (char *buf, size_t size)
{
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
s_check_args (const s_edit_t *ed, char *err, size_t errlen)
{
    if (ed->op == S_ADD || ed->op == S_ROTATE) {
        const char *k = ed->op == S_ADD ? ed->key : ed->new_key;
        if (!dcp_keys_valid_public (k)) {
            snprintf (err, errlen,
                      "\"%.60s\" is not a public key (40 Z85 characters that decode "
                      "to 32 bytes)",
                      k);
            return DCP_EINVAL;
        }
    }
    if (ed->op != S_ADD && (strlen (ed->key) < 8 || strlen (ed->key) > DCP_KEY_Z85_LEN)) {
        snprintf (err, errlen,
                  "give the whole key or at least its first 8 characters (got "
                  "\"%.60s\")",
                  ed->key);
        return DCP_EINVAL;
    }
    if (ed->op != S_ADD)
        return 0;
    const char *c = ed->country;
    if (!(strcmp (c, "-") == 0
          || (strlen (c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
              && c[2] >= 'A' && c[2] <= 'Z'))) {
        snprintf (err, errlen,
                  "country must be an ISO 3166-1 alpha-3 code in capitals, or - "
                  "(got \"%.16s\")",
                  c);
        return DCP_EINVAL;
    }
    size_t n = strlen (ed->name);
    if (n == 0 || n > 127 || strpbrk (ed->name, "\r\n")
        || !dcp_utf8_valid (ed->name, n, DCP_UTF8_TEXT) || ed->name[0] == ' ') {
        snprintf (err, errlen,
                  "the name must be one line of UTF-8 text, 1 to 127 bytes, not "
                  "starting with a blank");
        return DCP_EINVAL;
    }
    return 0;
}

/* Writes the edited TEXT (LEN bytes) into OUT and the peer added, rotated
 * out or revoked into DONE.  Returns 0 or DCP_EINVAL (duplicate, no match,
 * several matches: ERR says which). */
static int
s_rewrite (const char *text, size_t len, const s_edit_t *ed, dcp_buf_t *out, dcp_peer_t *done,
           char *err, size_t errlen)
{
    const char *hit = NULL;
    size_t hit_len = 0, klen = strlen (ed->key);
    int hits = 0, lineno = 0;
    const char *dup_of = ed->op == S_ADD ? ed->key : ed->op == S_ROTATE ? ed->new_key : NULL;
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr (p, '\n', (size_t) (text + len - p));
        size_t n = nl ? (size_t) (nl - p) : (size_t) (text + len - p);
        char key[64];
        lineno++;
        if (s_line_key (p, n, key)) {
            if (dup_of && strcmp (key, dup_of) == 0) {
                snprintf (err, errlen, "key %.8s... is already registered (line %d)", dup_of,
                          lineno);
                return DCP_EINVAL;
            }
            if (ed->op != S_ADD && strncmp (key, ed->key, klen) == 0) {
                hits++;
                hit = p;
                hit_len = n;
            }
        }
        p += n + (nl != NULL);
    }
    if (ed->op != S_ADD && hits == 0) {
        snprintf (err, errlen, "no registered key starts with \"%s\"", ed->key);
        return DCP_EINVAL;
    }
    if (ed->op != S_ADD && hits > 1) {
        snprintf (err, errlen, "%d registered keys start with \"%s\": give more characters", hits,
                  ed->key);
        return DCP_EINVAL;
    }
    char now[32];
    s_utc_now (now, sizeof now);
    if (ed->op == S_ADD) {
        dcp_buf_append (out, text, len);
        if (len > 0 && text[len - 1] != '\n')
            dcp_buf_appendc (out, '\n');
        dcp_buf_printf (out, "%s  %s  %s\n", ed->key, ed->country, ed->name);
        memset (done, 0, sizeof *done);
        snprintf (done->public_key, sizeof done->public_key, "%s", ed->key);
        snprintf (done->country, sizeof done->country, "%s", ed->country);
        snprintf (done->name, sizeof done->name, "%s", ed->name);
        return out->err;
    }
    s_line_peer (hit, hit_len, done);
    /* Everything before the entry, the entry turned into a comment (and its
     * successor for a rotation), everything after. */
    dcp_buf_append (out, text, (size_t) (hit - text));
    dcp_buf_printf (out, "# %s %s: %.*s\n", ed->op == S_REVOKE ? "revoked" : "rotated out", now,
                    (int) hit_len, hit);
    if (ed->op == S_ROTATE) {
        const char *rest = hit + strspn (hit, " \t");
        rest += strcspn (rest, " \t"); /* after the old key: the same country and name */
        dcp_buf_printf (out, "%s%.*s\n", ed->new_key, (int) (hit + hit_len - rest), rest);
    }
    const char *after = hit + hit_len;
    if (after < text + len)
        after++; /* its newline, written above */
    dcp_buf_append (out, after, (size_t) (text + len - after));
    return out->err;
}

/* Makes the new file look like the old one to whoever reads it: the
 * service reads the registry as its own user, often through the group of
 * /etc/dcp, and an edit made as root must not lock it out. */
static int
s_keep_owner (int fd, const struct stat *st, bool existed, const char *path, char *err,
              size_t errlen)
{
    mode_t mode = existed ? (st->st_mode & 07777) : 0644;
    if (fchmod (fd, mode) != 0) {
        snprintf (err, errlen, "could not set the mode of \"%s.new\": %s", path, strerror (errno));
        return DCP_EIO;
    }
    if (existed && (st->st_uid != geteuid () || st->st_gid != getegid ())
        && fchown (fd, st->st_uid, st->st_gid) != 0) {
        snprintf (err, errlen, "could not keep the owner and group of \"%s\": %s", path,
                  strerror (errno));
        return DCP_EIO;
    }
    return 0;
}

/* Writes OUT to FD, applies the mode and owner, syncs, and checks that the
 * result loads as a registry that holds PRESENT and not ABSENT (either may
 * be NULL). */
static int
s_write_checked (int fd, const char *tmp, const dcp_buf_t *out, const struct stat *st, bool existed,
                 const char *path, const char *present, const char *absent, char *err,
                 size_t errlen)
{
    if (dcp_fs_write_all (fd, out->data ? out->data : "", out->len, -1) != 0 || fsync (fd) != 0) {
        snprintf (err, errlen, "could not write \"%s\": %s", tmp, strerror (errno));
        return DCP_EIO;
    }
    int rc = s_keep_owner (fd, st, existed, path, err, errlen);
    if (rc)
        return rc;
    char why[512];
    dcp_registry_t *check = dcp_registry_load (tmp, why, sizeof why);
    if (!check) {
        snprintf (err, errlen, "the edited registry would not load (%s); \"%s\" is unchanged", why,
                  path);
        return DCP_ECONFIG;
    }
    /* Read back as the validator will, so that what was asked is what it
     * will see (a key the reader would skip, say as a comment line, is
     * refused here, not found missing later; a 32-byte key's Z85 text
     * cannot begin with '#' today, the check keeps it so). */
    bool has = dcp_registry_find (check, present) != NULL;
    bool still = absent && dcp_registry_find (check, absent) != NULL;
    dcp_registry_destroy (&check);
    if (present && !has) {
        snprintf (err, errlen,
                  "key %.8s... would not be read back from the registry; \"%s\" is "
                  "unchanged",
                  present, path);
        return DCP_EINVAL;
    }
    if (still) {
        snprintf (err, errlen, "key %.8s... is still listed after the edit; \"%s\" is unchanged",
                  absent, path);
        return DCP_ECONFIG;
    }
    return 0;
}

static int
s_edit (const char *path, const s_edit_t *ed, dcp_peer_t *done, char *err, size_t errlen)
{
    char tmp[4096], why[512];
    struct stat st;
    dcp_peer_t peer;
    dcp_buf_t out = DCP_BUF_INIT;
    char *text = NULL;
    size_t len = 0;
    bool renamed = false;
    int rc = s_check_args (ed, err, errlen);
    if (rc)
        return rc;
    if ((size_t) snprintf (tmp, sizeof tmp, "%s.new", path) >= sizeof tmp) {
        snprintf (err, errlen, "registry path too long");
        return DCP_EINVAL;
    }
    /* The lock comes first: read, change and replace are one step for any
     * other edit that might run at the same time. */
    int fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        snprintf (err, errlen,
                  "\"%s\" exists: another edit is running, or one was interrupted "
                  "(then remove it)",
                  tmp);
        return DCP_EAGAIN;
    }
    if (fd < 0) {
        snprintf (err, errlen, "could not create \"%s\": %s", tmp, strerror (errno));
        return DCP_EIO;
    }
    bool existed = stat (path, &st) == 0;
    if (existed) {
        dcp_registry_t *now = dcp_registry_load (path, why, sizeof why);
        if (!now) {
            snprintf (err, errlen, "%s (fix the file first)", why);
            rc = DCP_ECONFIG;
            goto cleanup;
        }
        dcp_registry_destroy (&now);
        text = dcp_fs_read_file (path, 16u << 20, &len);
    } else if (errno == ENOENT && ed->op == S_ADD)
        text = strdup ("# <public key>  <ISO3 country>  <name>: collectors allowed to submit\n");
    if (!text) {
        snprintf (err, errlen, "could not read registry \"%s\": %s", path, strerror (errno));
        rc = DCP_EIO;
        goto cleanup;
    }
    if (!existed)
        len = strlen (text);
    rc = s_rewrite (text, len, ed, &out, &peer, err, errlen);
    if (rc == 0)
        rc = s_write_checked (fd, tmp, &out, &st, existed, path,
                              ed->op == S_ADD ? ed->key : ed->new_key,
                              ed->op == S_ADD ? NULL : peer.public_key, err, errlen);
    if (rc == 0 && done)
        *done = peer;
    if (rc == 0 && rename (tmp, path) != 0) {
        snprintf (err, errlen, "could not replace \"%s\": %s", path, strerror (errno));
        rc = DCP_EIO;
    }
    renamed = rc == 0;
    if (rc == 0 && dcp_fs_sync_parent (path) != 0) {
        snprintf (err, errlen, "could not sync the folder of \"%s\": %s", path, strerror (errno));
        rc = DCP_EIO;
    }
cleanup:
    close (fd);
    if (!renamed)
        unlink (tmp);
    free (text);
    dcp_buf_free (&out);
    return rc;
}

int
dcp_registry_add (const char *path, const char *public_key, const char *country, const char *name,
                  dcp_peer_t *done, char *err, size_t errlen)
{
    s_edit_t ed = {S_ADD, public_key, NULL, country, name};
    return s_edit (path, &ed, done, err, errlen);
}

int
dcp_registry_rotate (const char *path, const char *old_key, const char *new_key, dcp_peer_t *done,
                     char *err, size_t errlen)
{
    s_edit_t ed = {S_ROTATE, old_key, new_key, NULL, NULL};
    return s_edit (path, &ed, done, err, errlen);
}

int
dcp_registry_revoke (const char *path, const char *key, dcp_peer_t *done, char *err, size_t errlen)
{
    s_edit_t ed = {S_REVOKE, key, NULL, NULL, NULL};
    return s_edit (path, &ed, done, err, errlen);
}
