/* xlsxwrite.h: the empty workbook `collector template KIND FILE.xlsx` writes.
 *
 * National focal points keep these questionnaires in spreadsheets; a
 * workbook they can fill, pass around and send back as it is saves retyping
 * into JSON.  The sheets, columns, labels and drop-down lists come from the
 * layout table (wblayout.h), which the reader (xlsxread.h) follows too.  The
 * lists of codes (substances, countries, units, currencies, code lists) are
 * the reference data the rules check against (libdcp/refdata), kept on a
 * hidden sheet "Lists".  Written with libxlsxwriter. */
#ifndef XLSXWRITE_H
#define XLSXWRITE_H

/* Writes a workbook for questionnaire KIND ("precursors" or
 * "financial_flows") to PATH, with the envelope prefilled: COUNTRY (ISO3, or
 * NULL/"" if not known) and reporting year YEAR.  Returns 0, DCP_EINVAL for
 * an unknown kind, DCP_EIO if the file could not be written, DCP_ENOMEM. */
int xlsxwrite_template (const char *path, const char *kind, const char *country, int year);

#endif
