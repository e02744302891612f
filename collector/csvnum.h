/* csvnum.h: numbers written with a decimal comma, into plain decimals.
 *
 * A spreadsheet saved as CSV in a locale that writes "15520,5" separates
 * its cells with ';' (or a tab), and may group thousands with spaces,
 * no-break spaces or dots.  The readers take plain decimals only
 * ("15520.5"); the CSV table reader passes the cells it reads as numbers
 * through this module first when the file's separator says the locale is
 * one of those.  Pure functions: no allocation, no findings. */
#ifndef CSVNUM_H
#define CSVNUM_H

#include <stdbool.h>
#include <stddef.h>

/* Writes TEXT into OUT (SIZE bytes, > 0) as the readers want it:
 * "15520,5" -> "15520.5"; thousands grouped by spaces ("15 520,5", also
 * no-break spaces) or, before a decimal comma, by dots ("15.520,5").  Text
 * that is no number is copied as it is (the readers say what is wrong with
 * it); so is whatever follows the number ("15,5 KG" -> "15.5 KG").
 * Returns false for an ambiguous number ("1.500" alone: 1500 or 1.5?);
 * OUT then holds TEXT unchanged. */
bool csvnum_decimal_comma (const char *text, char *out, size_t size);

#endif
