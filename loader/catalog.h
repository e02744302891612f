/* catalog.h: the database catalog against the loader's one description of
 * its tables (sections.h).
 *
 * The loader calls catalog_check() after connecting, so that a loader
 * whose encoder does not match the tables refuses to store instead of
 * failing on every batch; test_schema calls it after all migrations.  The
 * column lists of loader/DATA_DICTIONARY.md are generated from the same
 * description (the docs) and the catalog (types, NULL). */
#ifndef CATALOG_H
#define CATALOG_H

#include <libpq-fe.h>
#include <stddef.h>

#include "copy_text.h"
#include "sections.h"

/* Compares the catalog of DB (schema dcp) with the description: every
 * described table must have exactly the described columns, and every
 * *_status column of a COUNT/MONEY/QTY group the type dcp.obs_status and
 * its CHECK (dcp.obs_ok(value, status)).  Returns 0 when they agree;
 * DCP_ECONFIG when they do not, with the differences written to WHY, one
 * per line ("dcp.ff_str.x_value: only in the database", "...: only in the
 * loader's description", "...: no CHECK ..."), cut to WHY_LEN; DCP_EDB_RETRY
 * when the catalog could not be read (WHY says why; try again later);
 * DCP_ENOMEM.  Read-only (two catalog queries), inside or outside a
 * transaction.
 *
 * For the loader: call it right after connecting (and migrating); on
 * DCP_ECONFIG log WHY at error level, do not become ready on that
 * connection (close it and retry with the reconnect backoff, so a fixed
 * deployment is picked up), and store nothing: no partner is answered. */
int catalog_check (PGconn *db, char *why, size_t why_len);

/* Appends to OUT the Markdown section of table T for the data dictionary:
 * "### dcp.T", its doc, and a "| column | type | null | meaning |" row per
 * column (type and NULL from the catalog of DB, meaning from the
 * description).  Returns 0, DCP_EDB_RETRY if the catalog could not be
 * read, or DCP_ENOMEM. */
int catalog_dictionary (PGconn *db, sections_table_id_t t, dcp_buf_t *out);

#endif
