/* template.h: the empty starting files `collector template KIND` prints.
 *
 * The templates are data, not code: collector/templates/KIND.json, embedded
 * into the collector at build time (libdcp/embed.cmake), with "_comment"
 * keys (ignored by the reader, like every key starting with "_") explaining
 * each part.  They are kept in step with collector/FORMAT.md; test_json
 * checks that they read without findings and pass the offline check apart
 * from what a focal point must fill in.  The one value that changes with
 * time, the reporting year, is a placeholder (@REPORTING_YEAR@) filled in
 * when the template is printed. */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <time.h>

/* The starting file for KIND ("financial_flows" or "precursors") with
 * reporting_year set to YEAR.  Caller frees; NULL for an unknown kind (or a
 * NULL one) or if out of memory. */
char *template_text (const char *kind, int year);

/* The year a new response is most likely about: the questionnaires are
 * annual and filled in for the year just ended, so the calendar year
 * before NOW (UTC). */
int template_reporting_year (time_t now);

#endif
