/* dcp_signal.c: signal flags (see dcp_signal.h). */
#include <string.h>

#include "dcp_err.h"
#include "dcp_signal.h"

volatile sig_atomic_t dcp_signal_stop = 0;
volatile sig_atomic_t dcp_signal_reload = 0;

static void
s_on_stop (int sig)
{
    (void) sig;
    dcp_signal_stop = 1;
}

static void
s_on_hup (int sig)
{
    (void) sig;
    dcp_signal_reload = 1;
}

int
dcp_signal_install (void)
{
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sigemptyset (&sa.sa_mask);
    sa.sa_handler = s_on_stop;
    if (sigaction (SIGTERM, &sa, NULL) || sigaction (SIGINT, &sa, NULL))
        return DCP_EINVAL;
    sa.sa_handler = s_on_hup;
    if (sigaction (SIGHUP, &sa, NULL))
        return DCP_EINVAL;
    sa.sa_handler = SIG_IGN;
    return sigaction (SIGPIPE, &sa, NULL) == 0 ? 0 : DCP_EINVAL;
}
