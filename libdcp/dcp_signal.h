/* dcp_signal.h: the programs' only globals, flags set by signal handlers.
 *
 * Handlers only set a volatile sig_atomic_t (PostgreSQL's rule); each
 * program's event loop looks at the flags between two polls.  SIGTERM and
 * SIGINT ask to stop, SIGHUP to reload what can be reloaded (registries);
 * SIGPIPE is ignored so a closed metrics client is an error return, not a
 * death. */
#ifndef DCP_SIGNAL_H
#define DCP_SIGNAL_H

#include <signal.h>

extern volatile sig_atomic_t dcp_signal_stop;   /* SIGTERM or SIGINT seen */
extern volatile sig_atomic_t dcp_signal_reload; /* SIGHUP seen; clear it when handled */

/* Installs the handlers.  Returns 0, or DCP_EINVAL with errno set (sigaction
 * refused: cannot happen for these signals). */
int dcp_signal_install (void);

#endif
