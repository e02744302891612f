/* dcp_i18n.c: gettext set-up for the collector (see dcp_i18n.h).
 *
 * Caveat: gettext keeps its state (the bound catalog, the message locale)
 * in the process, not in a context we pass down; that is the one place the
 * "no globals" rule gives way, and s_lang / s_translating below only
 * record what was chosen (set once, at start, before anything is printed).
 * Only LC_MESSAGES is set, never LC_ALL: LC_NUMERIC must stay "C"
 * so that printf and strtod keep the decimal point the file formats use. */
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_i18n.h"

#ifndef DCP_LOCALEDIR
#define DCP_LOCALEDIR "/usr/local/share/locale"
#endif

static char s_lang[16] = "en";
static bool s_translating; /* a language other than English was chosen */

/* The language code of a locale name: "ru" of "ru_RU.UTF-8"; "" for C. */
static void
s_code (const char *name, char *code, size_t size)
{
    size_t n = strcspn (name, "_.@:");
    if (n >= size)
        n = size - 1;
    memcpy (code, name, n);
    code[n] = '\0';
    if (strcmp (code, "C") == 0 || strcmp (code, "POSIX") == 0)
        code[0] = '\0';
}

/* True if DIR holds the catalog for CODE. */
static int
s_has_catalog (const char *dir, const char *code)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir, code, DCP_I18N_DOMAIN);
    return access (path, R_OK) == 0;
}

/* The catalog folder for CODE: beside the executable (build tree), then
 * the installed share/locale relative to it, then the install prefix. */
static void
s_catalog_dir (const char *code, char *dir, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr (exe, '/');
        if (slash)
            *slash = '\0';
        snprintf (dir, size, "%s/locale", exe);
        if (s_has_catalog (dir, code))
            return;
        snprintf (dir, size, "%s/../share/locale", exe);
        if (s_has_catalog (dir, code))
            return;
    }
    snprintf (dir, size, "%s", DCP_LOCALEDIR);
}

const char *
dcp_i18n_init (const char *lang_option)
{
    const char *name = lang_option && *lang_option ? lang_option : NULL;
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; !name && i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv (vars[i]);
        if (v && *v)
            name = v;
    }
    char code[16];
    s_code (name ? name : "", code, sizeof code);
    if (!code[0] || strcmp (code, "en") == 0) {
        snprintf (s_lang, sizeof s_lang, "en");
        s_translating = false;
        return s_lang;
    }
    /* gettext ignores LANGUAGE under the plain "C" locale but not under
     * C.UTF-8, which glibc always has: no ru_RU locale need be installed. */
    if (!setlocale (LC_MESSAGES, "C.UTF-8"))
        setlocale (LC_MESSAGES, "C.utf8");
    setenv ("LANGUAGE", code, 1);
    char dir[PATH_MAX];
    s_catalog_dir (code, dir, sizeof dir);
    bindtextdomain (DCP_I18N_DOMAIN, dir);
    bind_textdomain_codeset (DCP_I18N_DOMAIN, "utf-8"); /* iconv: any case */
    snprintf (s_lang, sizeof s_lang, "%s", code);
    s_translating = true;
    return s_lang;
}

const char *
dcp_i18n_text (const char *msgid)
{
    if (!s_translating || !msgid || !*msgid)
        return msgid;
    return dgettext (DCP_I18N_DOMAIN, msgid);
}

const char *
dcp_i18n_ntext (const char *one, const char *many, unsigned long n)
{
    if (!s_translating)
        return n == 1 ? one : many;
    return dngettext (DCP_I18N_DOMAIN, one, many, n);
}

const char *
dcp_i18n_lang (void)
{
    return s_lang;
}
