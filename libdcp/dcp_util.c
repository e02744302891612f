/* dcp_util.c: clocks and the systemd notification (see dcp_util.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

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
        sa.sun_path[0] = '\0'; /* abstract socket */
    int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    /* Best effort: systemd not listening is not an error of ours. */
    (void) sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &sa,
                   (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len));
    close (fd);
}
