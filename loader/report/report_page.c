/* report_page.c: assembles the self-contained HTML report (see report_page.h). */
#include "report_page.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int
report_page_json_escape (dcp_buf_t *out, const char *json, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char) json[i];
        const char *esc = NULL;
        size_t skip = 1;
        if (c == '<')
            esc = "\\u003c";
        else if (c == '>')
            esc = "\\u003e";
        else if (c == '&')
            esc = "\\u0026";
        else if (c == 0xE2 && i + 2 < len && (unsigned char) json[i + 1] == 0x80
                 && ((unsigned char) json[i + 2] == 0xA8 || (unsigned char) json[i + 2] == 0xA9)) {
            /* U+2028 / U+2029: line terminators to older JavaScript parsers */
            esc = (unsigned char) json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            skip = 3;
        }
        if (!esc)
            continue;
        dcp_buf_append (out, json + start, i - start);
        dcp_buf_appends (out, esc);
        i += skip - 1;
        start = i + 1;
    }
    dcp_buf_append (out, json + start, len - start);
    return out->err;
}

bool
report_page_script_safe (const char *text, size_t len)
{
    for (size_t i = 0; i + 4 <= len; i++) {
        if (text[i] != '<')
            continue;
        if (len - i >= 8 && strncasecmp (text + i, "</script", 8) == 0)
            return false;
        if (strncmp (text + i, "<!--", 4) == 0)
            return false;
    }
    return true;
}

/* Appends the replacement for placeholder NAME (NAME_LEN bytes). */
static int
s_fill (dcp_buf_t *out, const char *name, size_t name_len, const dcp_blob_t *assets,
        const char *data_json, size_t data_len, char *err, size_t errlen)
{
    if (name_len == 4 && memcmp (name, "DATA", 4) == 0)
        return report_page_json_escape (out, data_json, data_len);
    for (const dcp_blob_t *a = assets; a->name; a++) {
        if (strlen (a->name) != name_len || memcmp (a->name, name, name_len) != 0)
            continue;
        if (!report_page_script_safe (a->data, a->len)) {
            snprintf (err, errlen, "asset \"%s\" could end its <script> element", a->name);
            return DCP_EINVAL;
        }
        return dcp_buf_append (out, a->data, a->len);
    }
    snprintf (err, errlen, "template names asset \"%.*s\" that is not embedded", (int) name_len,
              name);
    return DCP_EINVAL;
}

int
report_page_build (dcp_buf_t *out, const char *template, const dcp_blob_t *assets,
                   const char *data_json, size_t data_len, char *err, size_t errlen)
{
    static const char open[] = "<!--@", close[] = "@-->";
    const char *p = template;
    int rc = 0;
    for (;;) {
        const char *at = strstr (p, open);
        if (!at) {
            dcp_buf_appends (out, p);
            break;
        }
        dcp_buf_append (out, p, (size_t) (at - p));
        const char *name = at + strlen (open);
        const char *end = strstr (name, close);
        if (!end || memchr (name, '\n', (size_t) (end - name))) {
            snprintf (err, errlen, "unterminated placeholder in the page template");
            return DCP_EINVAL;
        }
        rc = s_fill (out, name, (size_t) (end - name), assets, data_json, data_len, err, errlen);
        if (rc)
            return rc;
        p = end + strlen (close);
    }
    if (out->err)
        snprintf (err, errlen, "out of memory building the page");
    return out->err;
}
