/* dcp_fs.c: write-all, bounded read, atomic replace, folder syncs (see
 * dcp_fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_fs.h"

#define S_PATH_MAX 4096

int
dcp_fs_write_all (int fd, const void *data, size_t len, int stall_ms)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write (fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pf = {fd, POLLOUT, 0};
            int ready = poll (&pf, 1, stall_ms);
            if (ready < 0 && errno != EINTR)
                return DCP_EIO;
            if (ready == 0) {
                errno = ETIMEDOUT;
                return DCP_ETIMEDOUT;
            }
            continue;
        }
        if (n <= 0) {
            if (n == 0)
                errno = EIO; /* write() of a positive length returned 0 */
            return DCP_EIO;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

char *
dcp_fs_read_file (const char *path, size_t max, size_t *len_p)
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
fail:;
    int saved = errno;
    free (buf);
    fclose (f);
    errno = saved;
    return NULL;
}

int
dcp_fs_sync_dir (const char *dir)
{
    int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return DCP_EIO;
    int rc = fsync (fd) == 0 ? 0 : DCP_EIO;
    int saved = errno;
    close (fd);
    errno = saved;
    return rc;
}

int
dcp_fs_sync_parent (const char *path)
{
    char copy[S_PATH_MAX];
    if ((size_t) snprintf (copy, sizeof copy, "%s", path) >= sizeof copy) {
        errno = ENAMETOOLONG;
        return DCP_EIO;
    }
    return dcp_fs_sync_dir (dirname (copy));
}

/* Writes and fsyncs DATA into the new file FD and closes it; 0 or DCP_EIO
 * (errno set).  The caller removes the file on failure. */
static int
s_fill (int fd, const void *data, size_t len)
{
    int rc = dcp_fs_write_all (fd, data, len, -1);
    if (rc == 0 && fsync (fd) != 0)
        rc = DCP_EIO;
    int saved = errno;
    if (close (fd) != 0 && rc == 0)
        rc = DCP_EIO, saved = errno;
    errno = saved;
    return rc;
}

/* Removes PATH, keeping errno for the caller's report. */
static void
s_unlink_quietly (const char *path)
{
    int saved = errno;
    unlink (path);
    errno = saved;
}

int
dcp_fs_write_atomic (const char *path, const void *data, size_t len)
{
    char tmp[S_PATH_MAX];
    if ((size_t) snprintf (tmp, sizeof tmp, "%s.tmp.%ld", path, (long) getpid ()) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return DCP_EIO;
    }
    int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return DCP_EIO;
    int rc = s_fill (fd, data, len);
    if (rc == 0 && rename (tmp, path) != 0)
        rc = DCP_EIO;
    if (rc) {
        s_unlink_quietly (tmp);
        return rc;
    }
    return dcp_fs_sync_parent (path);
}

int
dcp_fs_write_new (const char *path, int mode, const void *data, size_t len)
{
    int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t) mode);
    if (fd < 0)
        return DCP_EIO; /* EEXIST among others: nothing of ours to remove */
    int rc = s_fill (fd, data, len);
    if (rc)
        s_unlink_quietly (path);
    return rc;
}

int
dcp_fs_mkdirs (const char *path)
{
    char buf[S_PATH_MAX];
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
