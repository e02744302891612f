/* dcp_blob.h: files embedded into the binaries at build time.
 *
 * The CSV reference data (libdcp/refdata) and the SQL migrations
 * (loader/migrations) are kept as ordinary files in the repository and
 * compiled in by libdcp/embed.cmake, so that the collector can check a
 * response offline and the loader can migrate a database without any file
 * beside it.  Each table ends with an entry whose name is NULL. */
#ifndef DCP_BLOB_H
#define DCP_BLOB_H

#include <stddef.h>

typedef struct {
    const char *name; /* file name, e.g. "countries.csv" */
    const char *data; /* contents, NUL-terminated */
    size_t len;       /* length without the NUL */
} dcp_blob_t;

extern const dcp_blob_t dcp_refdata[];    /* libdcp/refdata/ *.csv, sorted */
extern const dcp_blob_t dcp_migrations[]; /* loader/migrations/ *.sql, sorted; loader only */

/* Returns the refdata file called NAME, or NULL. Borrowed. */
const dcp_blob_t *dcp_blob_find (const dcp_blob_t *table, const char *name);

#endif
