/* dcp_http.c: minimal HTTP endpoint (see dcp_http.h). */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dcp_fs.h"
#include "dcp_http.h"

struct dcp_http_t {
    int fd;
    dcp_http_handler_fn *handler;
    void *arg;
};

dcp_http_t *
dcp_http_new (const char *address, dcp_http_handler_fn *handler, void *arg)
{
    char host[64];
    int port;
    struct sockaddr_in sa;
    if (sscanf (address, "%63[^:]:%d", host, &port) != 2 || port <= 0 || port > 65535) {
        errno = EINVAL;
        return NULL;
    }
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons ((uint16_t) port);
    if (inet_pton (AF_INET, host, &sa.sin_addr) != 1) {
        errno = EINVAL;
        return NULL;
    }
    dcp_http_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->handler = handler;
    self->arg = arg;
    self->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (self->fd < 0 || setsockopt (self->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || bind (self->fd, (struct sockaddr *) &sa, sizeof sa) != 0 || listen (self->fd, 16) != 0) {
        int saved = errno;
        dcp_http_destroy (&self);
        errno = saved;
        return NULL;
    }
    return self;
}

void
dcp_http_destroy (dcp_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->fd >= 0)
        close ((*self_p)->fd);
    free (*self_p);
    *self_p = NULL;
}

int
dcp_http_fd (const dcp_http_t *self)
{
    return self->fd;
}

static void
s_answer (dcp_http_t *self, int fd)
{
    char req[4096];
    size_t got = 0;
    /* Read until the end of the request line, 100 ms at most. */
    while (got < sizeof req - 1 && !memchr (req, '\n', got)) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll (&pf, 1, 100) <= 0)
            return;
        ssize_t n = recv (fd, req + got, sizeof req - 1 - got, 0);
        if (n <= 0)
            return;
        got += (size_t) n;
    }
    req[got] = '\0';
    char method[8], path[256];
    int status = 400;
    char *body = NULL;
    size_t len = 0;
    const char *type = "text/plain; charset=utf-8";
    if (sscanf (req, "%7s %255s", method, path) == 2 && strcmp (method, "GET") == 0) {
        char *q = strchr (path, '?');
        if (q)
            *q = '\0';
        status = self->handler (path, &body, &len, &type, self->arg);
    }
    if (!body) {
        body = strdup (status == 400 ? "bad request\n" : "");
        len = body ? strlen (body) : 0;
    }
    const char *reason = status == 200   ? "OK"
                         : status == 404 ? "Not Found"
                         : status == 503 ? "Service Unavailable"
                                         : "Bad Request";
    char head[256];
    int hl = snprintf (head, sizeof head,
                       "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n",
                       status, reason, type, len);
    /* A client that stops reading for 100 ms loses its answer, not the stage
     * its time; what went wrong is of no use to anyone, so it is dropped. */
    if (dcp_fs_write_all (fd, head, (size_t) hl, 100) == 0)
        (void) dcp_fs_write_all (fd, body, len, 100);
    free (body);
}

void
dcp_http_serve (dcp_http_t *self)
{
    for (int i = 0; i < 16; i++) {
        int fd = accept4 (self->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        s_answer (self, fd);
        close (fd);
    }
}
