/* dcp_http.h: a minimal HTTP/1.0 endpoint for /metrics, /healthz, /readyz.
 *
 * Served from the stage's own event loop: the listening socket is polled
 * with zmq_poll beside the ZeroMQ sockets, and each request is answered and
 * the connection closed.  A request must arrive within 100 ms and fit in
 * 4 KiB, so a slow or hostile client cannot stall the stage for long.  Bind
 * it to loopback: it has no authentication.  The process must ignore
 * SIGPIPE (dcp_signal_install() does): a client that hangs up early must not
 * end the stage. */
#ifndef DCP_HTTP_H
#define DCP_HTTP_H

#include <stddef.h>

typedef struct dcp_http_t dcp_http_t;

/* Fills *BODY (malloc'ed, the server frees it) and *CONTENT_TYPE (static)
 * for PATH and returns the HTTP status (200, 404, 503). */
typedef int (dcp_http_handler_fn) (const char *path, char **body, size_t *len,
                                   const char **content_type, void *arg);

/* Listens on ADDRESS ("127.0.0.1:9101"); NULL on failure (errno). */
dcp_http_t *dcp_http_new (const char *address, dcp_http_handler_fn *handler, void *arg);
void dcp_http_destroy (dcp_http_t **self_p);

/* File descriptor to poll for input. */
int dcp_http_fd (const dcp_http_t *self);

/* Accepts and answers the connections waiting (non-blocking accept). */
void dcp_http_serve (dcp_http_t *self);

#endif
