/* partners.c: the operator's commands on the partner registry (see
 * partners.h).  The file format and its atomic rewrite are dcp_keys'; this
 * file reads the command line, checks what only the validator knows (a
 * partner's country must be a country of the reference data) and tells the
 * running validator to reload. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_keys.h"
#include "dcp_refdata.h"
#include "partners.h"

extern char **environ;

typedef struct {
    const char *registry;
    const char *pid_file;     /* --pid-file: SIGHUP the pid in it */
    const char *systemd_unit; /* --systemd-unit: systemctl reload it */
    const char *args[8];      /* the command and its words */
    int n_args;
} partners_cmd_t;

void
partners_usage (FILE *out)
{
    fprintf (out,
             "usage: validator [--config FILE] partner COMMAND [OPTIONS]\n\n"
             "commands:\n"
             "  add KEY ISO3 [NAME...]  admit a collector key for a country; NAME defaults\n"
             "                          to \"focal point of <country>\"\n"
             "  rotate OLD NEW          replace key OLD by NEW, keeping country and name\n"
             "  revoke KEY              refuse KEY from now on\n"
             "  list                    print the registered keys by country\n\n"
             "KEY and NEW are a 40-character public key or a public key file (the .pub\n"
             "file \"collector keygen\" writes); OLD and KEY of rotate and revoke may be the\n"
             "first 8 or more characters of a registered key (as in log lines: peer=...).\n\n"
             "options:\n"
             "  --registry FILE         the registry to edit (default: the validator's\n"
             "                          \"partners\" setting)\n"
             "  --pid-file FILE         then send SIGHUP to the validator whose pid is in FILE\n"
             "  --systemd-unit UNIT     then run \"systemctl reload UNIT\" (dcp-validator)\n\n"
             "Without --pid-file or --systemd-unit the file is changed and the validator\n"
             "keeps the old registry until it gets SIGHUP.  Exit status: 0 done, 1 refused\n"
             "(file unchanged), 2 usage, 3 file changed but the validator not told.\n");
}

/* Splits ARGV into options and words.  Returns 0 or 2 (usage printed). */
static int
s_parse (partners_cmd_t *cmd, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        size_t n = 0;
        if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0) {
            partners_usage (stdout);
            return -1;
        }
        if (strncmp (a, "--registry", n = 10) == 0)
            slot = &cmd->registry;
        else if (strncmp (a, "--pid-file", n = 10) == 0)
            slot = &cmd->pid_file;
        else if (strncmp (a, "--systemd-unit", n = 14) == 0)
            slot = &cmd->systemd_unit;
        if (slot && a[n] == '=')
            *slot = a + n + 1;
        else if (slot && a[n] == '\0' && i + 1 < argc)
            *slot = argv[++i];
        else if (strncmp (a, "--", 2) == 0) {
            fprintf (stderr, "validator partner: unknown or incomplete option %s\n", a);
            return 2;
        } else if (cmd->n_args < (int) (sizeof cmd->args / sizeof *cmd->args))
            cmd->args[cmd->n_args++] = a;
        else {
            fprintf (stderr, "validator partner: too many arguments\n");
            return 2;
        }
    }
    if (cmd->n_args == 0) {
        partners_usage (stderr);
        return 2;
    }
    if (!cmd->registry || !cmd->registry[0]) {
        fprintf (stderr, "validator partner: no registry (set \"partners\" or give --registry)\n");
        return 2;
    }
    return 0;
}

/* A public key given as itself or as a key file, into KEY. */
static int
s_public_key (const char *arg, char key[DCP_KEY_Z85_LEN + 1])
{
    dcp_keypair_t kp;
    char err[512];
    /* A file first: a path can also be 40 Z85 characters that decode to 32
     * bytes ("/dev/shm/dcp-e2e.XXXXXX/keys/kaz.key.pub" is one), and must
     * not be registered as if it were the key. */
    if (access (arg, F_OK) != 0 && dcp_keys_valid_public (arg)) {
        memcpy (key, arg, DCP_KEY_Z85_LEN + 1);
        return 0;
    }
    if (access (arg, F_OK) != 0) {
        fprintf (stderr,
                 "validator partner: \"%.60s\" is neither a public key (40 Z85 "
                 "characters that decode to 32 bytes) nor a key file\n",
                 arg);
        return DCP_EINVAL;
    }
    if (dcp_keys_load (arg, &kp, err, sizeof err) != 0) {
        fprintf (stderr, "validator partner: %s\n", err);
        return DCP_EINVAL;
    }
    memcpy (key, kp.public_key, DCP_KEY_Z85_LEN + 1);
    memset (&kp, 0, sizeof kp);
    return 0;
}

/* A registered key named by OLD/KEY: a key file's public key, or the text
 * itself (whole key or prefix, matched by dcp_keys). */
static const char *
s_entry_key (const char *arg, char key[DCP_KEY_Z85_LEN + 1])
{
    if (access (arg, F_OK) == 0 && s_public_key (arg, key) == 0)
        return key;
    return arg;
}

/* A partner's country: a code of the reference data, valid this year. */
static const dcp_country_t *
s_country (const char *iso3)
{
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    const dcp_country_t *c = dcp_refdata_country (iso3, tm.tm_year + 1900);
    if (!c) {
        fprintf (stderr,
                 "validator partner: \"%.16s\" is not a current ISO 3166-1 alpha-3 "
                 "country code of the reference data\n",
                 iso3);
        return NULL;
    }
    if (!c->paris_pact_partner)
        fprintf (stderr,
                 "validator partner: note: %s (%s) is not listed as a Paris Pact "
                 "partner\n",
                 c->iso3, c->name);
    return c;
}

static int
s_signal_pid_file (const char *pid_file)
{
    FILE *f = fopen (pid_file, "r");
    long pid = 0;
    if (!f || fscanf (f, "%ld", &pid) != 1 || pid <= 1) {
        fprintf (stderr, "validator partner: could not read a pid from \"%s\"%s%s\n", pid_file,
                 f ? "" : ": ", f ? "" : strerror (errno));
        if (f)
            fclose (f);
        return 3;
    }
    fclose (f);
    if (kill ((pid_t) pid, SIGHUP) != 0) {
        fprintf (stderr, "validator partner: could not signal validator pid %ld: %s\n", pid,
                 strerror (errno));
        return 3;
    }
    printf ("validator (pid %ld) told to reload the registry (SIGHUP)\n", pid);
    return 0;
}

static int
s_systemctl_reload (const char *unit)
{
    char *argv[] = {"systemctl", "reload", (char *) unit, NULL};
    pid_t pid;
    int status = 0;
    if (posix_spawnp (&pid, "systemctl", NULL, NULL, argv, environ) != 0
        || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        fprintf (stderr, "validator partner: \"systemctl reload %s\" failed\n", unit);
        return 3;
    }
    printf ("%s reloaded (systemctl reload)\n", unit);
    return 0;
}

/* After a change: tell the validator, as asked.  Returns 0 or 3. */
static int
s_reload (const partners_cmd_t *cmd)
{
    int rc = 0;
    if (cmd->pid_file)
        rc = s_signal_pid_file (cmd->pid_file);
    if (cmd->systemd_unit && rc == 0)
        rc = s_systemctl_reload (cmd->systemd_unit);
    if (!cmd->pid_file && !cmd->systemd_unit)
        printf ("the running validator reads it on reload: systemctl reload dcp-validator, "
                "or kill -HUP <its pid>\n");
    return rc;
}

static int
s_cmp_peer (const void *a, const void *b)
{
    const dcp_peer_t *p = *(const dcp_peer_t *const *) a, *q = *(const dcp_peer_t *const *) b;
    int c = strcmp (p->country, q->country);
    return c ? c : strcmp (p->name, q->name);
}

static int
s_list (const partners_cmd_t *cmd)
{
    char err[512];
    dcp_registry_t *reg = dcp_registry_load (cmd->registry, err, sizeof err);
    if (!reg) {
        fprintf (stderr, "validator partner: %s\n", err);
        return 1;
    }
    size_t n = dcp_registry_size (reg);
    const dcp_peer_t **sorted = calloc (n ? n : 1, sizeof *sorted);
    if (!sorted) {
        dcp_registry_destroy (&reg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = dcp_registry_at (reg, i);
    qsort (sorted, n, sizeof *sorted, s_cmp_peer);
    for (size_t i = 0; i < n; i++)
        printf ("%s  %s  %s\n", sorted[i]->public_key, sorted[i]->country, sorted[i]->name);
    printf ("# %zu key%s in %s\n", n, n == 1 ? "" : "s", cmd->registry);
    free (sorted);
    dcp_registry_destroy (&reg);
    return 0;
}

static int
s_add (const partners_cmd_t *cmd)
{
    char key[DCP_KEY_Z85_LEN + 1], name[128] = "", err[1024];
    dcp_peer_t done;
    if (cmd->n_args < 3) {
        fprintf (stderr, "usage: validator partner add KEY ISO3 [NAME...]\n");
        return 2;
    }
    if (s_public_key (cmd->args[1], key) != 0)
        return 1;
    const dcp_country_t *c = s_country (cmd->args[2]);
    if (!c)
        return 1;
    for (int i = 3; i < cmd->n_args; i++) {
        size_t used = strlen (name);
        snprintf (name + used, sizeof name - used, "%s%s", i > 3 ? " " : "", cmd->args[i]);
    }
    if (!name[0])
        snprintf (name, sizeof name, "focal point of %s", c->name);
    if (dcp_registry_add (cmd->registry, key, c->iso3, name, &done, err, sizeof err) != 0) {
        fprintf (stderr, "validator partner: %s\n", err);
        return 1;
    }
    printf ("added %.8s... %s \"%s\" to %s\n", done.public_key, done.country, done.name,
            cmd->registry);
    return s_reload (cmd);
}

static int
s_rotate_or_revoke (const partners_cmd_t *cmd, bool rotate)
{
    char old[DCP_KEY_Z85_LEN + 1], key[DCP_KEY_Z85_LEN + 1], err[1024];
    dcp_peer_t done;
    int rc;
    if (cmd->n_args != (rotate ? 3 : 2)) {
        fprintf (stderr, rotate ? "usage: validator partner rotate OLD NEW\n"
                                : "usage: validator partner revoke KEY\n");
        return 2;
    }
    const char *target = s_entry_key (cmd->args[1], old);
    if (rotate) {
        if (s_public_key (cmd->args[2], key) != 0)
            return 1;
        rc = dcp_registry_rotate (cmd->registry, target, key, &done, err, sizeof err);
    } else
        rc = dcp_registry_revoke (cmd->registry, target, &done, err, sizeof err);
    if (rc != 0) {
        fprintf (stderr, "validator partner: %s\n", err);
        return 1;
    }
    if (rotate)
        printf ("rotated %s \"%s\": %.8s... replaced by %.8s... in %s\n", done.country, done.name,
                done.public_key, key, cmd->registry);
    else
        printf ("revoked %.8s... %s \"%s\" in %s\n", done.public_key, done.country, done.name,
                cmd->registry);
    return s_reload (cmd);
}

int
partners_main (const char *registry, int argc, char **argv)
{
    partners_cmd_t cmd;
    memset (&cmd, 0, sizeof cmd);
    cmd.registry = registry;
    int rc = s_parse (&cmd, argc, argv);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    const char *what = cmd.args[0];
    if (strcmp (what, "list") == 0)
        return cmd.n_args == 1 ? s_list (&cmd) : 2;
    if (strcmp (what, "add") == 0)
        return s_add (&cmd);
    if (strcmp (what, "rotate") == 0)
        return s_rotate_or_revoke (&cmd, true);
    if (strcmp (what, "revoke") == 0)
        return s_rotate_or_revoke (&cmd, false);
    fprintf (stderr, "validator partner: unknown command \"%s\" (add, rotate, revoke, list)\n",
             what);
    return 2;
}
