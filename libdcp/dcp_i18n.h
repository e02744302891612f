/* dcp_i18n.h: the collector's messages in the focal point's language.
 *
 * Messages are written in English in the code and looked up with gettext
 * in the "dcp" catalog (collector/po/ru.po, compiled by the build into
 * BUILD/locale/ru/LC_MESSAGES/dcp.mo and installed under share/locale):
 * the English text is the msgid, so a message without a translation, or
 * a program that never calls dcp_i18n_init(), shows the English text.  The
 * validator, loader and receipts stay English; only the collector calls
 * dcp_i18n_init(), and the shared modules (dcp_rules.c, the readers)
 * translate their message formats through dcp_i18n_text() before
 * formatting, so numbers and names are put into the translated sentence. */
#ifndef DCP_I18N_H
#define DCP_I18N_H

#define DCP_I18N_DOMAIN "dcp"

/* Chooses the language: LANG_OPTION ("ru", "ru_RU.UTF-8") if not NULL or
 * empty, else the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set.
 * English ("", "C", "POSIX", "en...") changes nothing.  For any other
 * language it binds the catalog found beside the executable (EXE/locale in
 * the build tree, EXE/../share/locale installed, else the install prefix)
 * and selects the language through LANGUAGE with the message locale
 * C.UTF-8, so no system locale needs to be installed and numbers keep the
 * C format (only LC_MESSAGES changes).  Returns the language code in use
 * ("en", "ru"); a language without a catalog shows English. */
const char *dcp_i18n_init (const char *lang_option);

/* The translation of MSGID in the chosen language, or MSGID itself
 * (borrowed either way).  A format string keeps its conversions in the
 * translation (msgfmt --check-format), so it may be passed to printf. */
const char *dcp_i18n_text (const char *msgid) __attribute__ ((format_arg (1)));

/* The translation of ONE or MANY, whichever the language uses for count N
 * (Russian has three forms); ONE if N is 1 in English. */
const char *dcp_i18n_ntext (const char *one, const char *many, unsigned long n)
    __attribute__ ((format_arg (1))) __attribute__ ((format_arg (2)));

/* The language dcp_i18n_init() chose: "en" before it is called. */
const char *dcp_i18n_lang (void);

/* Marks a message for translation: _() translates now, N_() only marks a
 * string that is translated later (a table, a message format that a
 * helper translates before formatting). */
#define _(s) dcp_i18n_text (s)
#define N_(s) s

#endif
