/* dcp_blob.c: lookup in the tables that embed.cmake generates. */
#include <string.h>

#include "dcp_blob.h"

const dcp_blob_t *
dcp_blob_find (const dcp_blob_t *table, const char *name)
{
    for (; table && table->name; table++)
        if (strcmp (table->name, name) == 0)
            return table;
    return NULL;
}
