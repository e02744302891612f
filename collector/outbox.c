/* outbox.c: durable outbox of the collector (see outbox.h). */
#define _GNU_SOURCE /* sync_file_range(): start the writeback of many files at once */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_id.h"
#include "outbox.h"

struct outbox_t {
    char dir[3072];
    /* Folders whose entries changed since the last outbox_sync(). */
    bool dirty_pending, dirty_accepted, dirty_rejected;
    int log_fd;             /* receipts.log, opened on the first receipt */
    long long last_take_ns; /* take time given last: each take gets a later one */
};

/* receipts.log: every final receipt, appended before its entry moves, so a
 * round of receipts costs one flush of one file (tests/bench: a flush per
 * receipt file made the collectors the pipeline's largest CPU user after
 * PostgreSQL).  A record:
 *
 *   "DCPR" | u8 id length | id | u8 'A' or 'R' | u32 LE receipt length |
 *   receipt (protobuf) | 16-byte BLAKE2b of everything before it
 *
 * The entry's receipt.pb is the same bytes, written without a flush: after
 * a crash it may be empty or stale, and readers then take the log's. */
#define LOG_MAGIC "DCPR"
#define LOG_HASH 16

static const char *s_state_dir[] = {"", "pending", "accepted", "rejected"};

outbox_t *
outbox_new (const char *dir)
{
    outbox_t *self = calloc (1, sizeof *self);
    char path[4096];
    if (!self || strlen (dir) >= sizeof self->dir - 64)
        goto fail;
    snprintf (self->dir, sizeof self->dir, "%s", dir);
    self->log_fd = -1;
    const char *subs[] = {"pending", "accepted", "rejected", "tmp"};
    for (int i = 0; i < 4; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, subs[i]);
        if (dcp_fs_mkdirs (path))
            goto fail;
    }
    return self;
fail:
    free (self);
    return NULL;
}

void
outbox_destroy (outbox_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->log_fd >= 0)
        close ((*self_p)->log_fd);
    free (*self_p);
    *self_p = NULL;
}

/* Ids name folders: only a safe name (dcp_id.h) may, so a hostile id can
 * never climb out of the outbox. */
static bool
s_id_safe (const char *id)
{
    return dcp_id_name_ok (id, strlen (id));
}

outbox_state_t
outbox_state (outbox_t *self, const char *id)
{
    char path[4096];
    struct stat st;
    if (!s_id_safe (id))
        return OUTBOX_NONE;
    for (int s = OUTBOX_PENDING; s <= OUTBOX_REJECTED; s++) {
        snprintf (path, sizeof path, "%s/%s/%s", self->dir, s_state_dir[s], id);
        if (stat (path, &st) == 0)
            return (outbox_state_t) s;
    }
    return OUTBOX_NONE;
}

/* Writes DIR/NAME and fsyncs the file; the caller fsyncs DIR once for all
 * the files it wrote there (one folder sync per entry, not per file).
 * STAMP_NS > 0: the file's modification time is set to it first. */
static int
s_write_stamped (const char *dir, const char *name, const void *data, size_t len,
                 long long stamp_ns)
{
    char path[4096];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return DCP_EIO;
    if (dcp_fs_write_all (fd, data, len, -1)) {
        close (fd);
        return DCP_EIO;
    }
    struct timespec ts[2] = {{stamp_ns / 1000000000LL, stamp_ns % 1000000000LL},
                             {stamp_ns / 1000000000LL, stamp_ns % 1000000000LL}};
    if (stamp_ns > 0 && futimens (fd, ts) != 0) {
        close (fd);
        return DCP_EIO;
    }
    int rc = fsync (fd) == 0 ? 0 : DCP_EIO;
    if (close (fd) != 0)
        rc = DCP_EIO;
    return rc;
}

static int
s_write (const char *dir, const char *name, const void *data, size_t len)
{
    return s_write_stamped (dir, name, data, len, 0);
}

/* The take time of a new entry, in nanoseconds: the clock, but always
 * later than the take before in this process, so that entries taken
 * within one tick of the file system's own clock (a few milliseconds)
 * still list in the order they were taken. */
static long long
s_take_stamp (outbox_t *self)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    long long ns = (long long) now.tv_sec * 1000000000LL + now.tv_nsec;
    if (ns <= self->last_take_ns)
        ns = self->last_take_ns + 1;
    self->last_take_ns = ns;
    return ns;
}

/* Writes the files a response was read from into entry folder DIR: the
 * first as "original", the others (CSV files the JSON names) as
 * "original.1" ... with an index "originals" naming each. */
static int
s_write_originals (const char *dir, const outbox_file_t *files, size_t n)
{
    if (n == 0)
        return 0;
    if (s_write (dir, "original", files[0].bytes, files[0].len))
        return DCP_EIO;
    if (n == 1)
        return 0;
    char *index = NULL;
    size_t index_len = 0;
    FILE *out = open_memstream (&index, &index_len);
    if (!out)
        return DCP_ENOMEM;
    int rc = 0;
    for (size_t i = 1; i < n && !rc; i++) {
        char name[32];
        snprintf (name, sizeof name, "original.%zu", i);
        fprintf (out, "%s\t%s\n", name, files[i].name);
        rc = s_write (dir, name, files[i].bytes, files[i].len) ? DCP_EIO : 0;
    }
    if (fclose (out) != 0 && !rc)
        rc = DCP_ENOMEM;
    if (!rc && s_write (dir, "originals", index, index_len))
        rc = DCP_EIO;
    free (index);
    return rc;
}

/* An id already in the outbox names one content only: 0 if entry ID (in
 * STATE) holds exactly PAYLOAD, DCP_ECONFLICT if it holds other bytes (an
 * edited file that kept its submission_id: answering it with the old
 * receipt would lose the edit), DCP_EIO if it cannot be read. */
static int
s_same_payload (outbox_t *self, const char *id, outbox_state_t state, const uint8_t *payload,
                size_t payload_len)
{
    char path[4096];
    size_t len = 0;
    snprintf (path, sizeof path, "%s/%s/%s/submission.pb", self->dir, s_state_dir[state], id);
    char *stored = dcp_fs_read_file (path, 256u << 20, &len);
    if (!stored)
        return DCP_EIO;
    int rc = len == payload_len && memcmp (stored, payload, len) == 0 ? 0 : DCP_ECONFLICT;
    free (stored);
    return rc;
}

int
outbox_take (outbox_t *self, const char *id, const uint8_t *payload, size_t payload_len,
             const char *source, const outbox_file_t *files, size_t n_files,
             outbox_state_t *state_p)
{
    char tmp[4096], dst[4096];
    int rc = DCP_EIO;

    *state_p = outbox_state (self, id);
    if (*state_p != OUTBOX_NONE)
        return s_same_payload (self, id, *state_p, payload, payload_len);
    if (!s_id_safe (id))
        return DCP_EINVAL;
    snprintf (tmp, sizeof tmp, "%s/tmp/%s", self->dir, id);
    snprintf (dst, sizeof dst, "%s/pending/%s", self->dir, id);
    /* A leftover from a crash during an earlier take: start again. */
    if (mkdir (tmp, 0700) != 0 && errno != EEXIST)
        return DCP_EIO;
    /* receipt.pb is made now, empty, so that recording the receipt later
     * only fills it: making a file is the dearest step of a receipt (ext4
     * searches its inode tables), and receipts come while the pipeline is
     * under load, takes whenever a file arrives. */
    if (s_write_stamped (tmp, "submission.pb", payload, payload_len, s_take_stamp (self))
        || s_write (tmp, "source", source, strlen (source)))
        return DCP_EIO;
    rc = s_write_originals (tmp, files, n_files);
    if (rc)
        return rc;
    if (s_write (tmp, "receipt.pb", "", 0) || dcp_fs_sync_dir (tmp))
        return DCP_EIO;
    /* The entry is complete on disk; the rename publishes it at once. */
    if (rename (tmp, dst) != 0)
        return DCP_EIO;
    self->dirty_pending = true;
    *state_p = OUTBOX_PENDING;
    return 0;
}

char *
outbox_read_n (outbox_t *self, const char *id, const char *name, size_t *len_p)
{
    char path[4096];
    outbox_state_t st = outbox_state (self, id);
    if (st == OUTBOX_NONE)
        return NULL;
    snprintf (path, sizeof path, "%s/%s/%s/%s", self->dir, s_state_dir[st], id, name);
    return dcp_fs_read_file (path, 256u << 20, len_p);
}

char *
outbox_read (outbox_t *self, const char *id, const char *name)
{
    return outbox_read_n (self, id, name, NULL);
}

int
outbox_taken_at (outbox_t *self, const char *id, struct timespec *when)
{
    char path[4096];
    struct stat st;
    outbox_state_t state = outbox_state (self, id);
    when->tv_sec = when->tv_nsec = 0;
    if (state == OUTBOX_NONE)
        return DCP_EINVAL;
    /* submission.pb is written once, at take time, and only ever renamed
     * with its folder afterwards, so its mtime is the take's time. */
    snprintf (path, sizeof path, "%s/%s/%s/submission.pb", self->dir, s_state_dir[state], id);
    if (stat (path, &st) != 0)
        return DCP_EIO;
    *when = st.st_mtim;
    return 0;
}

uint8_t *
outbox_payload (outbox_t *self, const char *id, size_t *len_p)
{
    char path[4096];
    if (!s_id_safe (id))
        return NULL;
    snprintf (path, sizeof path, "%s/pending/%s/submission.pb", self->dir, id);
    return (uint8_t *) dcp_fs_read_file (path, 256u << 20, len_p);
}

int
outbox_finish (outbox_t *self, const char *id, bool accepted, const uint8_t *receipt,
               size_t receipt_len)
{
    outbox_receipt_t r = {id, accepted, receipt, receipt_len, 0};
    outbox_finish_many (self, &r, 1);
    return r.rc;
}

/* Writes DIR/NAME (made at take time) without flushing it.  Entries
 * taken by older versions have no receipt.pb: it is made then. */
static int
s_write_unsynced (const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return DCP_EIO;
    int rc = dcp_fs_write_all (fd, data, len, -1) ? DCP_EIO : 0;
    if (close (fd) != 0)
        rc = DCP_EIO;
    return rc;
}

/* Appends the records of R[i] with TODO[i] to receipts.log and flushes it
 * once.  Returns 0 or DCP_EIO / DCP_ENOMEM. */
static int
s_log_append (outbox_t *self, const outbox_receipt_t *r, const bool *todo, size_t n)
{
    if (self->log_fd < 0) {
        char path[4096];
        snprintf (path, sizeof path, "%s/receipts.log", self->dir);
        self->log_fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (self->log_fd < 0)
            return DCP_EIO;
        /* A new log's name must survive a crash too. */
        if (dcp_fs_sync_dir (self->dir))
            return DCP_EIO;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (todo[i])
            total += 4 + 1 + strlen (r[i].id) + 1 + 4 + r[i].receipt_len + LOG_HASH;
    uint8_t *buf = malloc (total ? total : 1), *p = buf;
    if (!buf)
        return DCP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!todo[i])
            continue;
        uint8_t *start = p;
        size_t id_len = strlen (r[i].id); /* <= 64: s_id_safe */
        uint32_t len = (uint32_t) r[i].receipt_len;
        memcpy (p, LOG_MAGIC, 4), p += 4;
        *p++ = (uint8_t) id_len;
        memcpy (p, r[i].id, id_len), p += id_len;
        *p++ = r[i].accepted ? 'A' : 'R';
        for (int k = 0; k < 4; k++)
            *p++ = (uint8_t) (len >> (8 * k));
        memcpy (p, r[i].receipt, r[i].receipt_len), p += r[i].receipt_len;
        crypto_generichash (p, LOG_HASH, start, (size_t) (p - start), NULL, 0);
        p += LOG_HASH;
    }
    int rc = dcp_fs_write_all (self->log_fd, buf, total, -1) ? DCP_EIO : 0;
    free (buf);
    if (rc == 0 && fdatasync (self->log_fd) != 0)
        rc = DCP_EIO;
    return rc;
}

uint8_t *
outbox_receipt (outbox_t *self, const char *id, size_t *len_p)
{
    /* The entry's copy, if whole: it names this entry. */
    size_t len = 0;
    char *bytes = outbox_read_n (self, id, "receipt.pb", &len);
    if (bytes && len > 0) {
        Dcp__V1__Receipt *rc = dcp__v1__receipt__unpack (NULL, len, (const uint8_t *) bytes);
        bool whole = rc && rc->submission_id && strcmp (rc->submission_id, id) == 0;
        dcp__v1__receipt__free_unpacked (rc, NULL);
        if (whole) {
            *len_p = len;
            return (uint8_t *) bytes;
        }
    }
    free (bytes);
    /* Else the last intact record of the log. */
    char path[4096];
    snprintf (path, sizeof path, "%s/receipts.log", self->dir);
    size_t log_len = 0;
    uint8_t *log = (uint8_t *) dcp_fs_read_file (path, 1u << 30, &log_len);
    if (!log)
        return NULL;
    uint8_t *found = NULL;
    size_t id_len = strlen (id);
    for (size_t off = 0; off + 10 <= log_len;) {
        const uint8_t *rec = log + off;
        size_t il = rec[4];
        if (memcmp (rec, LOG_MAGIC, 4) != 0 || off + 4 + 1 + il + 1 + 4 > log_len)
            break; /* a torn tail */
        const uint8_t *lp = rec + 4 + 1 + il + 1;
        size_t rl =
            (size_t) lp[0] | (size_t) lp[1] << 8 | (size_t) lp[2] << 16 | (size_t) lp[3] << 24;
        size_t body = 4 + 1 + il + 1 + 4 + rl;
        if (rl > log_len || off + body + LOG_HASH > log_len)
            break;
        uint8_t h[LOG_HASH];
        crypto_generichash (h, LOG_HASH, rec, body, NULL, 0);
        if (memcmp (h, rec + body, LOG_HASH) != 0)
            break;
        if (il == id_len && memcmp (rec + 5, id, il) == 0) {
            free (found);
            found = malloc (rl ? rl : 1);
            if (found) {
                memcpy (found, lp + 4, rl);
                *len_p = rl;
            }
        }
        off += body + LOG_HASH;
    }
    free (log);
    return found;
}

#define FINISH_CHUNK 128 /* entries per round */

/* One round of outbox_finish_many() over at most FINISH_CHUNK entries. */
static void
s_finish_chunk (outbox_t *self, outbox_receipt_t *r, size_t n)
{
    char src[4096], dst[4096];
    bool todo[FINISH_CHUNK];
    assert (n <= FINISH_CHUNK);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        todo[i] = false;
        r[i].rc = 0;
        if (!s_id_safe (r[i].id)) {
            r[i].rc = DCP_EINVAL;
            continue;
        }
        snprintf (src, sizeof src, "%s/pending/%s", self->dir, r[i].id);
        if (stat (src, &st) != 0) {
            r[i].rc = errno == ENOENT ? 0 : DCP_EIO; /* ENOENT: already finished */
            continue;
        }
        todo[i] = true;
    }
    /* 1. Every receipt into the log, one flush for all. */
    int rc = s_log_append (self, r, todo, n);
    for (size_t i = 0; i < n; i++)
        if (todo[i] && rc) {
            todo[i] = false;
            r[i].rc = rc;
        }
    /* 2. The entries' own copies, unflushed (readers check them against the
     * log), then 3. the moves: only after the log holds the receipt, so an
     * entry found in accepted/ or rejected/ after a crash always has it. */
    for (size_t i = 0; i < n; i++) {
        if (!todo[i])
            continue;
        snprintf (src, sizeof src, "%s/pending/%s", self->dir, r[i].id);
        (void) s_write_unsynced (src, "receipt.pb", r[i].receipt, r[i].receipt_len);
        snprintf (dst, sizeof dst, "%s/%s/%s", self->dir, r[i].accepted ? "accepted" : "rejected",
                  r[i].id);
        if (rename (src, dst) != 0) {
            r[i].rc = DCP_EIO;
            continue;
        }
        self->dirty_pending = true;
        if (r[i].accepted)
            self->dirty_accepted = true;
        else
            self->dirty_rejected = true;
    }
}

int
outbox_finish_many (outbox_t *self, outbox_receipt_t *r, size_t n)
{
    int rc = 0;
    for (size_t done = 0; done < n; done += FINISH_CHUNK) {
        size_t m = n - done < FINISH_CHUNK ? n - done : FINISH_CHUNK;
        s_finish_chunk (self, r + done, m);
    }
    for (size_t i = 0; i < n; i++)
        if (r[i].rc)
            rc = DCP_EIO;
    return rc;
}

int
outbox_sync (outbox_t *self)
{
    char path[4096];
    int rc = 0;
    bool *flags[] = {&self->dirty_pending, &self->dirty_accepted, &self->dirty_rejected};
    const char *names[] = {"pending", "accepted", "rejected"};
    for (int i = 0; i < 3; i++) {
        if (!*flags[i])
            continue;
        snprintf (path, sizeof path, "%s/%s", self->dir, names[i]);
        if (dcp_fs_sync_dir (path))
            rc = DCP_EIO;
        else
            *flags[i] = false;
    }
    return rc;
}

typedef struct {
    char id[72];
    long long mtime_ns;
} s_entry_t;

static int
s_entry_cmp (const void *a, const void *b)
{
    const s_entry_t *x = a, *y = b;
    if (x->mtime_ns != y->mtime_ns)
        return x->mtime_ns < y->mtime_ns ? -1 : 1;
    return strcmp (x->id, y->id);
}

int
outbox_each (outbox_t *self, outbox_state_t state, int (*fn) (const char *id, void *arg), void *arg)
{
    char path[4096];
    snprintf (path, sizeof path, "%s/%s", self->dir, s_state_dir[state]);
    DIR *d = opendir (path);
    if (!d)
        return DCP_EIO;
    s_entry_t *list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir (d))) {
        if (!s_id_safe (e->d_name))
            continue;
        char p[4096];
        struct stat st;
        /* The take time (outbox_taken_at); an entry without its
         * submission.pb is no entry. */
        snprintf (p, sizeof p, "%s/%s/submission.pb", path, e->d_name);
        if (stat (p, &st) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            s_entry_t *nl = realloc (list, cap * sizeof *nl);
            if (!nl) {
                rc = DCP_ENOMEM;
                goto done;
            }
            list = nl;
        }
        snprintf (list[n].id, sizeof list[n].id, "%s", e->d_name);
        list[n].mtime_ns = (long long) st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        n++;
    }
    if (n > 1)
        qsort (list, n, sizeof *list, s_entry_cmp);
    for (size_t i = 0; i < n; i++)
        if (fn (list[i].id, arg))
            break;
done:
    closedir (d);
    free (list);
    return rc;
}

static int
s_count (const char *id, void *arg)
{
    (void) id;
    (*(size_t *) arg)++;
    return 0;
}

size_t
outbox_pending_count (outbox_t *self)
{
    size_t n = 0;
    outbox_each (self, OUTBOX_PENDING, s_count, &n);
    return n;
}
