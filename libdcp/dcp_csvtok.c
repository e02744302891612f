/* dcp_csvtok.c: RFC 4180 cells with their positions (see dcp_csvtok.h). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_csvtok.h"
#include "dcp_err.h"

void
dcp_csvtok_init (dcp_csvtok_t *tok, const char *text, size_t len)
{
    memset (tok, 0, sizeof *tok);
    tok->text = text;
    tok->len = len;
    tok->line = tok->col = 1;
    tok->sep = ',';
    if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
        tok->pos = 3;
}

void
dcp_csvtok_set_separator (dcp_csvtok_t *tok, char sep)
{
    assert (sep != '"' && sep != '\r' && sep != '\n' && sep != '\0');
    tok->sep = sep;
}

/* Counts SEP in the first record of TEXT (quoted parts skipped). */
static size_t
s_count_in_header (const char *text, size_t len, char sep)
{
    size_t n = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted && (text[i] == '\n' || text[i] == '\r'))
            break;
        else if (!quoted && text[i] == sep)
            n++;
    }
    return n;
}

char
dcp_csvtok_sniff (const char *text, size_t len, bool *sep_line_p)
{
    *sep_line_p = false;
    if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* Excel's "sep=;" line names the separator outright. */
    if (len >= 5 && memcmp (text, "sep=", 4) == 0 && text[4] != '"' && text[4] != '\n'
        && text[4] != '\r' && (len == 5 || text[5] == '\n' || text[5] == '\r')) {
        *sep_line_p = true;
        return text[4];
    }
    const char candidates[] = {',', ';', '\t'};
    char best = ',';
    size_t best_n = 0;
    for (size_t i = 0; i < sizeof candidates; i++) {
        size_t n = s_count_in_header (text, len, candidates[i]);
        if (n > best_n) {
            best = candidates[i];
            best_n = n;
        }
    }
    return best;
}

void
dcp_csvtok_fini (dcp_csvtok_t *tok)
{
    dcp_buf_free (&tok->cell);
}

bool
dcp_csvtok_done (const dcp_csvtok_t *tok)
{
    return tok->pos >= tok->len;
}

/* True at the end of a cell.  Not strchr(): it would match a NUL byte in
 * the data, and the tokenizer would stop without moving. */
static bool
s_cell_end (const dcp_csvtok_t *tok, char ch)
{
    return ch == tok->sep || ch == '\r' || ch == '\n';
}

/* Moves past one byte, keeping line and column. */
static void
s_advance (dcp_csvtok_t *tok)
{
    char ch = tok->text[tok->pos++];
    if (ch == '\n')
        tok->line++, tok->col = 1;
    else if (ch == '\r') {
        if (tok->pos >= tok->len || tok->text[tok->pos] != '\n')
            tok->line++, tok->col = 1; /* a lone CR ends a line too */
    } else if (((unsigned char) ch & 0xC0) != 0x80)
        tok->col++; /* count characters, not UTF-8 continuation bytes */
}

static void
s_problem (dcp_csvtok_cell_t *cell, dcp_csvtok_problem_t problem, int line, int col)
{
    if (cell->problem != DCP_CSVTOK_OK)
        return; /* the first one is the one to tell */
    cell->problem = problem;
    cell->problem_line = line;
    cell->problem_col = col;
}

/* The inside of a quoted cell, past its closing quote, and whatever stands
 * between that quote and the end of the cell. */
static int
s_quoted (dcp_csvtok_t *tok, dcp_csvtok_cell_t *cell)
{
    s_advance (tok);
    for (;;) {
        if (tok->pos >= tok->len) {
            s_problem (cell, DCP_CSVTOK_UNCLOSED, cell->line, cell->col);
            return 0;
        }
        char ch = tok->text[tok->pos];
        if (ch == '"') {
            if (tok->pos + 1 < tok->len && tok->text[tok->pos + 1] == '"') {
                s_advance (tok);
                s_advance (tok);
                if (dcp_buf_appendc (&tok->cell, '"'))
                    return DCP_ENOMEM;
                continue;
            }
            s_advance (tok);
            break;
        }
        if (dcp_buf_appendc (&tok->cell, ch))
            return DCP_ENOMEM;
        s_advance (tok);
    }
    while (tok->pos < tok->len && !s_cell_end (tok, tok->text[tok->pos])) {
        s_problem (cell, DCP_CSVTOK_AFTER_QUOTE, tok->line, tok->col);
        s_advance (tok);
    }
    return 0;
}

int
dcp_csvtok_next (dcp_csvtok_t *tok, dcp_csvtok_cell_t *cell)
{
    if (tok->pos >= tok->len && !tok->after_comma)
        return 0;
    memset (cell, 0, sizeof *cell);
    tok->after_comma = false;
    dcp_buf_reset (&tok->cell);
    if (dcp_buf_reserve (&tok->cell, 64)) /* TEXT is never NULL */
        return DCP_ENOMEM;
    tok->cell.data[0] = '\0';
    cell->line = tok->line;
    cell->col = tok->col;
    cell->quoted = tok->pos < tok->len && tok->text[tok->pos] == '"';
    if (cell->quoted) {
        if (s_quoted (tok, cell))
            return DCP_ENOMEM;
    } else {
        while (tok->pos < tok->len && !s_cell_end (tok, tok->text[tok->pos])) {
            if (tok->text[tok->pos] == '"')
                s_problem (cell, DCP_CSVTOK_QUOTE_INSIDE, tok->line, tok->col);
            if (dcp_buf_appendc (&tok->cell, tok->text[tok->pos]))
                return DCP_ENOMEM;
            s_advance (tok);
        }
    }
    cell->text = tok->cell.data;
    cell->len = tok->cell.len;
    if (tok->pos >= tok->len)
        cell->end = DCP_CSVTOK_EOF;
    else if (tok->text[tok->pos] == tok->sep) {
        s_advance (tok);
        cell->end = DCP_CSVTOK_COMMA;
        tok->after_comma = true;
    } else {
        bool cr = tok->text[tok->pos] == '\r';
        if (cr)
            s_advance (tok);
        if (tok->pos < tok->len && tok->text[tok->pos] == '\n') {
            s_advance (tok);
            cell->end = cr ? DCP_CSVTOK_CRLF : DCP_CSVTOK_LF;
        } else
            cell->end = DCP_CSVTOK_CR;
    }
    return 1;
}
