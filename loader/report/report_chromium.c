/* report_chromium.c: headless Chromium for the PDF (see report_chromium.h). */
/* nftw() is an XSI function: the build defines only _POSIX_C_SOURCE. */
#define _XOPEN_SOURCE 700

#include "report_chromium.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_log.h"

static int
s_remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove (path);
    return 0;
}

/* Waits for PID at most TIMEOUT_S seconds; kills it after that.  Returns
 * 0 when it exited with status 0, DCP_EIO otherwise, DCP_ETIMEDOUT. */
static int
s_wait (pid_t pid, int timeout_s)
{
    struct timespec step = {0, 100 * 1000 * 1000};
    for (long waited_ms = 0;; waited_ms += 100) {
        int status = 0;
        pid_t got = waitpid (pid, &status, WNOHANG);
        if (got == pid)
            return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : DCP_EIO;
        if (got < 0 && errno != EINTR)
            return DCP_EIO;
        if (waited_ms >= (long) timeout_s * 1000) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            return DCP_ETIMEDOUT;
        }
        nanosleep (&step, NULL);
    }
}

int
report_chromium_pdf (const char *chromium, const char *html_path, const char *pdf_path,
                     int timeout_s)
{
    char profile[] = "/tmp/dcp-report-chromium.XXXXXX";
    char log_path[PATH_MAX], url[PATH_MAX + 16], print_arg[PATH_MAX + 32], dir_arg[64];
    char abs_html[PATH_MAX];
    int rc = DCP_EIO;
    if (!mkdtemp (profile))
        return DCP_EIO;
    if (!realpath (html_path, abs_html))
        goto cleanup;
    snprintf (log_path, sizeof log_path, "%s/chromium.log", profile);
    snprintf (url, sizeof url, "file://%s", abs_html);
    snprintf (print_arg, sizeof print_arg, "--print-to-pdf=%s", pdf_path);
    snprintf (dir_arg, sizeof dir_arg, "--user-data-dir=%s", profile);
    unlink (pdf_path);

    pid_t pid = fork ();
    if (pid < 0)
        goto cleanup;
    if (pid == 0) {
        int fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2 (fd, STDOUT_FILENO);
            dup2 (fd, STDERR_FILENO);
            close (fd);
        }
        execlp (chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000", dir_arg,
                print_arg, url, (char *) NULL);
        _exit (127);
    }
    rc = s_wait (pid, timeout_s);
    struct stat st;
    if (rc == 0 && (stat (pdf_path, &st) != 0 || st.st_size == 0))
        rc = DCP_EIO;
    if (rc) {
        dcp_error ("chromium could not print the report", "chromium=%s reason=%s", chromium,
                   dcp_strerror (rc));
        FILE *log = fopen (log_path, "r");
        char line[512];
        while (log && fgets (line, sizeof line, log))
            fputs (line, stderr);
        if (log)
            fclose (log);
    }
cleanup:
    nftw (profile, s_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
