/* collector: the focal point's tool.  Checks response files offline with the
 * validator's own rules, keeps them in a durable outbox, sends them, retries
 * until a final receipt arrives, and shows that receipt in plain words.
 *
 *   collector check FILE...      offline check, nothing is sent
 *   collector submit FILE...     take into the outbox, send, wait for receipts
 *   collector take FILE...       take into the outbox only (send later)
 *   collector send               send what is pending, wait for receipts
 *   collector run                agent: watch the inbox folder, send forever
 *   collector status [--all]     what is pending, accepted, rejected (and why)
 *   collector show ID [--json]   one submission: its receipt and what was stored
 *   collector revise ID FILE     send FILE as the next revision of submission ID
 *   collector keygen PATH        make a CURVE key pair
 *   collector template KIND      print an empty starting file
 *   collector doctor             check configuration, keys, connection
 *
 * This file is the command table; the commands are in cmd.c, agent.c,
 * show.c and revise.c, what they share (context, configuration, outbox and
 * sender) in collector.c, reading and taking a response in intake.c. */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "cmd.h"
#include "collector.h"
#include "dcp_config.h"
#include "dcp_i18n.h"
#include "dcp_signal.h"
#include "doctor.h"
#include "revise.h"
#include "show.h"

static void
s_usage (void)
{
    printf (
        _ ("usage: collector [--config FILE] [--NAME=VALUE ...] COMMAND [ARGS]\n\n"
           "commands:\n"
           "  check FILE...      check response files offline; nothing is sent\n"
           "  submit FILE...     check, keep in the outbox, send, and show the receipts;\n"
           "                     exits 0 only when every file was accepted\n"
           "  take FILE...       check and keep in the outbox without sending\n"
           "  send               send what is pending in the outbox and show the receipts;\n"
           "                     exits 0 only when every one was accepted\n"
           "  run                agent: take files dropped into the inbox and send them,\n"
           "                     retrying until each has a receipt (SIGTERM stops it)\n"
           "  status [--all]     list pending, accepted and rejected submissions (--all: also\n"
           "                     rejections that a later accepted one replaced)\n"
           "  show ID [--json]   one submission: its receipt and what was stored\n"
           "  revise ID FILE [--reason CODE]\n"
           "                     send FILE as the next revision of submission ID (a\n"
           "                     correction; CODE: CORRECTION (default), LATE_DATA,\n"
           "                     DEFINITION_CHANGE, OTHER)\n"
           "  keygen PATH        write a CURVE key pair to PATH (secret, 0600) and PATH.pub\n"
           "  template KIND [FILE.xlsx]  print an empty response file (financial_flows,\n"
           "                     precursors), or write it as a workbook to FILE.xlsx\n"
           "  doctor             check configuration, key file, endpoint, handshake and a round\n"
           "                     trip; one line per step, exit status 0 when all work (3 config,\n"
           "                     4 key file mode, 5 unreachable, 6 key not registered, 7 wrong\n"
           "                     validator key, 8 no answer)\n\n"
           "Response files are JSON or .xlsx workbooks (see collector/FORMAT.md); long tables\n"
           "may be CSV.\n\n"));
    dcp_config_help (collector_options, "COLLECTOR", stdout);
}

/* One row per command: its name and what runs it. */
typedef struct {
    const char *name;
    int (*run) (collector_t *c, int argc, char **argv);
} s_command_t;

static const s_command_t s_commands[] = {
    {"check", cmd_check},   {"submit", cmd_submit},     {"take", cmd_take},
    {"send", cmd_send},     {"run", agent_run},         {"status", cmd_status},
    {"keygen", cmd_keygen}, {"template", cmd_template}, {"show", cmd_show},
    {"revise", cmd_revise}, {"doctor", doctor_run},
};

/* `--lang ru` (or --lang=ru) is also taken after the command, where a
 * person adds it ("collector check FILE --lang ru"): removed from ARGV
 * from index FIRST on, into CFG.  Returns the new ARGC. */
static int
s_take_lang (collector_cfg_t *cfg, int argc, char **argv, int first)
{
    int w = first;
    for (int i = first; i < argc; i++) {
        if (strcmp (argv[i], "--lang") == 0 && i + 1 < argc)
            snprintf (cfg->lang, sizeof cfg->lang, "%s", argv[++i]);
        else if (strncmp (argv[i], "--lang=", 7) == 0)
            snprintf (cfg->lang, sizeof cfg->lang, "%s", argv[i] + 7);
        else
            argv[w++] = argv[i];
    }
    argv[w] = NULL;
    return w;
}

int
main (int argc, char **argv)
{
    collector_t c;
    int first = 0;
    memset (&c, 0, sizeof c);
    /* the language of --help and of configuration errors: the command line
     * or the environment, before the configuration is read */
    for (int i = 1; i < argc; i++)
        if (strcmp (argv[i], "--lang") == 0 && i + 1 < argc)
            dcp_i18n_init (argv[i + 1]);
        else if (strncmp (argv[i], "--lang=", 7) == 0)
            dcp_i18n_init (argv[i] + 7);
    if (strcmp (dcp_i18n_lang (), "en") == 0)
        dcp_i18n_init (NULL);
    int prc = dcp_config_main (collector_options, &c.cfg, "collector", "/etc/dcp/collector.conf",
                               argc, argv, &first, s_usage);
    if (prc >= 0)
        return prc;
    dcp_rules_defaults (&c.rules);
    c.rules.offline = true; /* the collector checks before sending */
    if (first >= argc) {
        s_usage ();
        return 2;
    }
    argc = s_take_lang (&c.cfg, argc, argv, first);
    if (c.cfg.lang[0])
        dcp_i18n_init (c.cfg.lang);
    dcp_signal_install ();

    const char *cmd = argv[first];
    for (size_t i = 0; i < sizeof s_commands / sizeof *s_commands; i++)
        if (strcmp (cmd, s_commands[i].name) == 0)
            return s_commands[i].run (&c, argc - first - 1, argv + first + 1);
    fprintf (stderr, _ ("collector: unknown command \"%s\" (see collector --help)\n"), cmd);
    return 2;
}
