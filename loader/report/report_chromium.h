/* report_chromium.h: prints the report's HTML to PDF with headless Chromium.
 *
 * Chromium runs with a new empty profile in a temporary folder (removed
 * afterwards), without sandbox (the report may run as root), and with every
 * background network feature off: the page itself loads nothing (its
 * Content-Security-Policy forbids it), and the browser must not phone home
 * either. */
#ifndef REPORT_CHROMIUM_H
#define REPORT_CHROMIUM_H

/* Runs CHROMIUM (a path or a name looked up in PATH) to print HTML_PATH into
 * PDF_PATH, waiting at most TIMEOUT_S seconds.  Returns 0, DCP_EIO (could
 * not start it, it failed, or it wrote no PDF) or DCP_ETIMEDOUT (it was
 * killed).  Chromium's own output goes to stderr only on failure. */
int report_chromium_pdf (const char *chromium, const char *html_path, const char *pdf_path,
                         int timeout_s);

#endif
