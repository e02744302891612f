/* catalog.h: the database catalog against the loader's one description of
 * its tables (sections.h).
 *
 * The loader calls catalog_check() after connecting, so that a loader
 * whose encoder does not match the tables refuses to store instead of
 * failing on every batch; test_schema calls it after all migrations.  The
 * column lists of loader/DATA_DICTIONARY.md are generated from the same
 * description (the docs) and the catalog (types, NULL), those of the views
 * and reference tables from the catalog and its comments; and
 * catalog_comment(), run by migrate_run(), makes the description's docs
 * the COMMENT ON of the tables and columns. */
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

/* Appends to OUT the Markdown section of NAME, a table or view of schema
 * dcp that the loader does not describe (views, reference tables,
 * bookkeeping), generated from the catalog alone: "### dcp.NAME", its
 * COMMENT, and a row per column with its type (and NULL for tables) and
 * COMMENT.  Returns 0, DCP_EDB_RETRY if the catalog could not be read,
 * DCP_EINVAL if there is no such relation, or DCP_ENOMEM. */
int catalog_dictionary_relation (PGconn *db, const char *name, dcp_buf_t *out);

/* Sets the COMMENT ON of every described table and column from the
 * description's docs (the same text as the data dictionary), through the
 * function dcp.sync_comments() of migration 0012, then lets every view
 * column that shows a table or view column under its own name and has no
 * comment of its own take that column's comment (dcp.inherit_view_comments).
 * Only comments that differ are written, so on an up-to-date database it
 * issues no DDL (a loader running as dcp_loader, which may not COMMENT,
 * passes).  Returns the number of comments written (>= 0), DCP_EDB_FATAL if
 * the database refused (e.g. not the owner; the message is logged), or
 * DCP_ENOMEM.
 *
 * Why the loader and not a migration file: the docs live once, in
 * sections.c, for the encoder, the catalog check and the dictionary; a
 * generated migration would copy them into SQL and every edited doc would
 * need one more migration file.  The SQL itself (the COMMENT statements)
 * stays in migration 0012; only the values travel, as parameters. */
int catalog_comment (PGconn *db);

#endif
