/* fieldword.c: the words an answer may be written in (see fieldword.h).
 *
 * Split out of field.c, which turns answer text into protobuf fields: the
 * word tables (not-available tokens, enum names with or without their
 * prefix, the Russian words focal points type) are one job that the field
 * setters, the JSON writer and the workbook reader all look things up in,
 * and they change for other reasons (a new language, a new token) than the
 * setters do. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fieldword.h"

/* Copies TEXT without leading and trailing ASCII white space into BUF.
 * Returns false if it did not fit (BUF then holds a cut copy, which callers
 * must not interpret: "000...0001" cut short would read as 0). */
bool
fieldword_trim (const char *text, char *buf, size_t size)
{
    while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
        text++;
    size_t n = strlen (text);
    while (n && strchr (" \t\r\n", text[n - 1]))
        n--;
    bool fits = n < size;
    if (!fits)
        n = size - 1;
    memcpy (buf, text, n);
    buf[n] = '\0';
    return fits;
}

/* True if TEXT is a plain decimal: optional '-', digits, optionally '.' and
 * digits.  No '+', exponent, spaces or thousands separators: these are the
 * forms PostgreSQL numeric and dcp_decimal agree on. */
bool
fieldword_is_decimal (const char *text)
{
    const char *p = text;
    if (*p == '-')
        p++;
    if (!isdigit ((unsigned char) *p))
        return false;
    while (isdigit ((unsigned char) *p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit ((unsigned char) *p))
            return false;
        while (isdigit ((unsigned char) *p))
            p++;
    }
    return *p == '\0';
}

/* Words that mean "not available" on the forms (proto/QUESTIONNAIRE.md V-GEN-03). */
static const char *const s_na_tokens[] = {
    "--",      "\xe2\x80\x93",  "\xe2\x80\x94", "-",  "n/a", "na", "..", "x", "not known",
    "unknown", "not available", "notavailable", NULL,
};

bool
fieldword_is_na_token (const char *text)
{
    for (int i = 0; s_na_tokens[i]; i++)
        if (strcasecmp (text, s_na_tokens[i]) == 0)
            return true;
    return false;
}

/* Upper-cases TEXT into BUF, turning spaces and '-' into '_'. */
void
fieldword_normalise (const char *text, char *buf, size_t size)
{
    size_t i = 0;
    for (; text[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char) text[i];
        buf[i] = c == ' ' || c == '-' ? '_' : (char) toupper (c);
    }
    buf[i] = '\0';
}

/* Length of the prefix shared by every name of enum DESC, cut after an
 * underscore ("OBS_" for ObsStatus, "TRI_" for Tri). */
static size_t
s_enum_prefix_len (const ProtobufCEnumDescriptor *desc)
{
    if (desc->n_values < 2)
        return 0;
    size_t n = strlen (desc->values[0].name);
    for (unsigned i = 1; i < desc->n_values; i++) {
        size_t k = 0;
        while (k < n && desc->values[i].name[k] == desc->values[0].name[k])
            k++;
        n = k;
    }
    while (n > 0 && desc->values[0].name[n - 1] != '_')
        n--;
    return n;
}

/* The same words in Russian, as focal points type them and as a Russian
 * workbook offers them in its drop-down lists (the msgstr of the English
 * words in collector/po/ru.po, and the usual abbreviations): enum short
 * name ("Bool" for a true/false field), word in lower case, the English
 * name it stands for.  A table here rather than a reference file: the
 * reference files of libdcp/refdata are also tables of the database. */
static const struct {
    const char *type, *word, *name;
} s_word_aliases[] = {
    {"ObsStatus", "представлено", "REPORTED"},
    {"ObsStatus", "сообщено", "REPORTED"},
    {"ObsStatus", "оценка", "ESTIMATED"},
    {"ObsStatus", "оценочно", "ESTIMATED"},
    {"ObsStatus", "предварительно", "PROVISIONAL"},
    {"ObsStatus", "нет данных", "NOT_AVAILABLE"},
    {"ObsStatus", "н/д", "NOT_AVAILABLE"},
    {"ObsStatus", "нд", "NOT_AVAILABLE"},
    {"ObsStatus", "неизвестно", "NOT_AVAILABLE"},
    {"ObsStatus", "данные отсутствуют", "NOT_AVAILABLE"},
    {"ObsStatus", "не применимо", "NOT_APPLICABLE"},
    {"ObsStatus", "неприменимо", "NOT_APPLICABLE"},
    {"ObsStatus", "н/п", "NOT_APPLICABLE"},
    {"ObsStatus", "конфиденциально", "CONFIDENTIAL"},
    {"ObsStatus", "учтено в другом месте", "INCLUDED_ELSEWHERE"},
    {"ObsStatus", "без ответа", "UNANSWERED"},
    {"ObsStatus", "нет ответа", "UNANSWERED"},
    {"Tri", "да", "YES"},
    {"Tri", "нет", "NO"},
    {"Tri", "неизвестно", "UNKNOWN"},
    {"Bool", "да", "true"},
    {"Bool", "нет", "false"},
};

/* TEXT in lower case into BUF, Cyrillic included (strcasecmp folds ASCII
 * only): А-Я and Ё to а-я and ё, bytes of other letters as they are. */
static void
s_fold (const char *text, char *buf, size_t size)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *) text;
    while (*p && n + 2 < size) {
        unsigned char c = p[0], d = p[1];
        if (c == 0xD0 && d >= 0x90 && d <= 0x9F) { /* А-П */
            buf[n++] = (char) 0xD0, buf[n++] = (char) (d + 0x20), p += 2;
        } else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) { /* Р-Я */
            buf[n++] = (char) 0xD1, buf[n++] = (char) (d - 0x20), p += 2;
        } else if (c == 0xD0 && d == 0x81) { /* Ё */
            buf[n++] = (char) 0xD1, buf[n++] = (char) 0x91, p += 2;
        } else
            buf[n++] = (char) tolower (*p++);
    }
    buf[n] = '\0';
}

/* The English name TYPE's word TEXT stands for (s_word_aliases), or NULL. */
const char *
fieldword_alias (const char *type, const char *text)
{
    char word[128];
    s_fold (text, word, sizeof word);
    for (size_t i = 0; i < sizeof s_word_aliases / sizeof *s_word_aliases; i++)
        if (strcmp (s_word_aliases[i].type, type) == 0
            && strcmp (s_word_aliases[i].word, word) == 0)
            return s_word_aliases[i].name;
    return NULL;
}

/* Finds enum DESC's value named TEXT (case-insensitive, with or without
 * the prefix, spaces for underscores, or a word of s_word_aliases).
 * Returns false if none. */
bool
fieldword_enum_lookup (const ProtobufCEnumDescriptor *desc, const char *text, int *value)
{
    const char *alias = fieldword_alias (desc->short_name, text);
    if (alias)
        text = alias;
    char word[128];
    fieldword_normalise (text, word, sizeof word);
    size_t plen = s_enum_prefix_len (desc);
    for (unsigned i = 0; i < desc->n_values; i++) {
        const char *name = desc->values[i].name;
        if (strcmp (word, name) == 0 || strcmp (word, name + plen) == 0) {
            *value = desc->values[i].value;
            return true;
        }
    }
    return false;
}

/* Short lowercase name of VALUE in DESC ("reported"), into BUF; NULL if the
 * value has no name. */
const char *
fieldword_enum_short_name (const ProtobufCEnumDescriptor *desc, int value, char *buf, size_t size)
{
    size_t plen = s_enum_prefix_len (desc);
    for (unsigned i = 0; i < desc->n_values; i++)
        if (desc->values[i].value == value) {
            size_t k = 0;
            for (const char *p = desc->values[i].name + plen; *p && k + 1 < size; p++)
                buf[k++] = (char) tolower ((unsigned char) *p);
            buf[k] = '\0';
            return buf;
        }
    return NULL;
}

/* "a, b, c" of the short names of DESC, skipping value 0 (unspecified). */
void
fieldword_enum_list (const ProtobufCEnumDescriptor *desc, char *buf, size_t size)
{
    buf[0] = '\0';
    char name[128];
    for (unsigned i = 0; i < desc->n_values; i++) {
        if (desc->values[i].value == 0)
            continue;
        fieldword_enum_short_name (desc, desc->values[i].value, name, sizeof name);
        size_t used = strlen (buf);
        snprintf (buf + used, size - used, "%s%s", used ? ", " : "", name);
    }
}
