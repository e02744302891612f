/* dcp_fs.h: the file primitives every stage needs, written once: a write
 * that finishes, a bounded read, a durable replace, folder syncs.
 *
 * Durability rule of the pipeline: a file is only "written" once its data is
 * fsynced, and only "there" once the folder holding its name is fsynced
 * too; a crash must leave either the old file or the new one, never a torn
 * one.  Every function returns 0 or a negative DCP_E* code with errno set. */
#ifndef DCP_FS_H
#define DCP_FS_H

#include <stddef.h>
#include <sys/types.h>

/* Writes all LEN bytes of DATA to FD, going on after EINTR and short
 * writes.  For a non-blocking FD (a socket) waits at most STALL_MS for it to
 * take more bytes each time it is full (-1: no limit).  On a socket SIGPIPE
 * must be ignored (dcp_signal_install() does).  Returns 0, DCP_ETIMEDOUT
 * when the peer stalled, or DCP_EIO (errno set). */
int dcp_fs_write_all (int fd, const void *data, size_t len, int stall_ms);

/* Reads the whole file PATH into a new NUL-terminated buffer (caller frees)
 * and sets *LEN_P (may be NULL).  Refuses files over MAX bytes.  Returns
 * NULL with errno set (EFBIG when over MAX). */
char *dcp_fs_read_file (const char *path, size_t max, size_t *len_p);

/* Replaces PATH with LEN bytes of DATA atomically and durably: writes a
 * temporary name in the same folder (mode 0600), fsyncs it, renames it over
 * PATH and fsyncs the folder.  On failure PATH is unchanged and the
 * temporary file removed.  Returns 0 or DCP_EIO (errno set). */
int dcp_fs_write_atomic (const char *path, const void *data, size_t len);

/* Creates PATH (which must not exist) with MODE, writes DATA and fsyncs it;
 * for files that must never be overwritten (key pairs).  The folder is not
 * synced.  Returns 0 or DCP_EIO (errno set; EEXIST when PATH exists). */
int dcp_fs_write_new (const char *path, int mode, const void *data, size_t len);

/* Fsyncs the folder DIR, so that names created, renamed or removed in it
 * survive a crash.  Returns 0 or DCP_EIO (errno set). */
int dcp_fs_sync_dir (const char *dir);

/* Fsyncs the folder that holds PATH.  Returns 0 or DCP_EIO (errno set). */
int dcp_fs_sync_parent (const char *path);

/* Creates PATH and its parents (mode 0700 for new folders).  Returns 0 or
 * DCP_EIO (errno set). */
int dcp_fs_mkdirs (const char *path);

#endif
