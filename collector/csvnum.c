/* csvnum.c: numbers as spreadsheets of decimal-comma locales write them
 * (see csvnum.h).
 *
 * Split out of csvread.c, which binds CSV columns to protobuf fields: how
 * "15 520,5" or "15.520,5" becomes "15520.5" is a question of locales and
 * digit grouping, with its own ambiguities ("1.500"), and is tested on its
 * own; the table reader only decides which cells are numbers. */
#include <stdio.h>
#include <string.h>

#include "csvnum.h"

/* Length of a digit-group separator at P: a space, a no-break space
 * (U+00A0) or a narrow no-break space (U+202F, French); 0 if none. */
static size_t
s_group_space (const char *p)
{
    if (*p == ' ')
        return 1;
    if ((unsigned char) p[0] == 0xC2 && (unsigned char) p[1] == 0xA0)
        return 2;
    if ((unsigned char) p[0] == 0xE2 && (unsigned char) p[1] == 0x80
        && (unsigned char) p[2] == 0xAF)
        return 3;
    return 0;
}

/* Reads the integer part at *P_P written with thousands separators SEP
 * ('.' or a space kind, see s_group_space; 0 = whichever comes first) in
 * groups of three, appending the digits to OUT.  False if the grouping is
 * not that (then nothing is taken as grouped). */
static bool
s_grouped_digits (const char **p_p, char *out, size_t *n, size_t size, bool dots, size_t *groups_p)
{
    const char *p = *p_p;
    size_t group = 0, groups = 0;
    for (;;) {
        if (*p >= '0' && *p <= '9') {
            if (*n + 1 >= size)
                return false;
            out[(*n)++] = *p++;
            group++;
            continue;
        }
        size_t skip = dots ? (*p == '.') : s_group_space (p);
        if (!skip || !(p[skip] >= '0' && p[skip] <= '9'))
            break;
        if (group == 0 || (groups == 0 ? group > 3 : group != 3))
            return false;
        groups++;
        group = 0;
        p += skip;
    }
    if (groups && group != 3)
        return false;
    *p_p = p;
    *groups_p = groups;
    return true;
}

/* A number as a ';'-separated spreadsheet writes it, as the readers want
 * it: "15520,5" -> "15520.5"; thousands grouped by spaces ("15 520,5",
 * also no-break spaces) or, before a decimal comma, by dots ("15.520,5").
 * "1.500" alone is ambiguous (1500 or 1.5?) and refused: returns false
 * with OUT unchanged.  Text that is no number is copied as it is (the
 * readers say what is wrong with it); so is whatever follows the number
 * ("15,5 KG" -> "15.5 KG"). */
bool
csvnum_decimal_comma (const char *text, char *out, size_t size)
{
    const char *p = text;
    char digits[128];
    size_t n = 0, groups = 0;
    snprintf (out, size, "%s", text);
    while (*p == '\t' || s_group_space (p))
        p += *p == '\t' ? 1 : s_group_space (p);
    if (*p == '-')
        digits[n++] = *p++;
    if (!(*p >= '0' && *p <= '9'))
        return true;
    const char *start = p;
    size_t sign = n;
    bool dots = false;
    bool spaced = s_grouped_digits (&p, digits, &n, sizeof digits, false, &groups);
    if (!spaced || (groups == 0 && *p == '.')) {
        /* grouped by dots?  "15.520,5", or the ambiguous "1.500" */
        const char *q = start;
        size_t m = sign, dot_groups = 0;
        if (s_grouped_digits (&q, digits, &m, sizeof digits, true, &dot_groups) && dot_groups) {
            p = q;
            n = m;
            dots = true;
        } else if (!spaced)
            return true; /* not a number we can read: the readers say so */
        else
            n = sign + (size_t) (p - start); /* "15.52": digits as read first */
    }
    if (*p == ',' && p[1] >= '0' && p[1] <= '9') {
        digits[n++] = '.';
        for (p++; *p >= '0' && *p <= '9' && n + 1 < sizeof digits; p++)
            digits[n++] = *p;
    } else if (*p == '.') {
        if (dots)
            return false; /* "1.500": thousands or decimals? */
        /* "15.5": a decimal point typed by hand, unambiguous */
        digits[n++] = *p++;
        for (; *p >= '0' && *p <= '9' && n + 1 < sizeof digits; p++)
            digits[n++] = *p;
    } else if (dots) {
        return false; /* "1.500" */
    }
    digits[n] = '\0';
    snprintf (out, size, "%s%s", digits, p);
    return true;
}
