/* dcp_util.c: clocks, UUIDs and durable files (see dcp_util.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_util.h"

int64_t
dcp_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
dcp_rfc3339_now (char *buf, size_t size)
{
    struct timespec now;
    struct tm tm;
    char base[32];
    clock_gettime (CLOCK_REALTIME, &now);
    gmtime_r (&now.tv_sec, &tm);
    strftime (base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf (buf, size, "%s.%03ldZ", base, now.tv_nsec / 1000000);
    return buf;
}

char *
dcp_uuid_v4 (char *buf)
{
    unsigned char b[16];
    if (sodium_init () < 0)
        abort ();  /* no entropy source: nothing sensible can continue */
    randombytes_buf (b, sizeof b);
    b[6] = (unsigned char) ((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char) ((b[8] & 0x3f) | 0x80);
    snprintf (buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
              b[13], b[14], b[15]);
    return buf;
}

char *
dcp_read_file (const char *path, size_t max, size_t *len_p)
{
    struct stat st;
    char *buf = NULL;
    FILE *f = fopen (path, "rb");
    if (!f)
        return NULL;
    if (fstat (fileno (f), &st) != 0)
        goto fail;
    if ((size_t) st.st_size > max) {
        errno = EFBIG;
        goto fail;
    }
    buf = malloc ((size_t) st.st_size + 1);
    if (!buf)
        goto fail;
    size_t n = fread (buf, 1, (size_t) st.st_size, f);
    if (n != (size_t) st.st_size) {
        errno = EIO;
        goto fail;
    }
    buf[n] = '\0';
    fclose (f);
    if (len_p)
        *len_p = n;
    return buf;
fail:
    free (buf);
    fclose (f);
    return NULL;
}

static int
s_fsync_dir (const char *path)
{
    char copy[4096];
    snprintf (copy, sizeof copy, "%s", path);
    int fd = open (dirname (copy), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return DCP_EIO;
    int rc = fsync (fd) == 0 ? 0 : DCP_EIO;
    close (fd);
    return rc;
}

int
dcp_write_file_durable (const char *path, const void *data, size_t len)
{
    char tmp[4096];
    if ((size_t) snprintf (tmp, sizeof tmp, "%s.tmp.%ld", path, (long) getpid ()) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return DCP_EIO;
    }
    int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return DCP_EIO;
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write (fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += n;
        left -= (size_t) n;
    }
    if (fsync (fd) != 0)
        goto fail;
    if (close (fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename (tmp, path) != 0)
        goto fail;
    return s_fsync_dir (path);
fail:;
    int saved = errno;
    if (fd >= 0)
        close (fd);
    unlink (tmp);
    errno = saved;
    return DCP_EIO;
}

int
dcp_mkdirs (const char *path)
{
    char buf[4096];
    size_t len = strlen (path);
    if (len == 0 || len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return DCP_EIO;
    }
    memcpy (buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir (buf, 0700) != 0 && errno != EEXIST)
            return DCP_EIO;
        *p = '/';
    }
    if (mkdir (buf, 0700) != 0 && errno != EEXIST)
        return DCP_EIO;
    return 0;
}

void
dcp_sha256_hex (const void *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, data, len);
    sodium_bin2hex (hex, 65, digest, sizeof digest);
}

void
dcp_sd_notify (const char *state)
{
    const char *path = getenv ("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    size_t len = path ? strlen (path) : 0;
    if (len == 0 || len >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@'))
        return;
    memset (&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy (sa.sun_path, path, len);
    if (sa.sun_path[0] == '@')
        sa.sun_path[0] = '\0';  /* abstract socket */
    int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    /* Best effort: systemd not listening is not an error of ours. */
    (void) sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &sa,
                   (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len));
    close (fd);
}
