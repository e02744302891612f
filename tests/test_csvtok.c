/* test_csvtok.c: the one CSV tokenizer (dcp_csvtok.h): cells, where they
 * start, how they end, and what was odd about them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_csvtok.h"

/* Reads the next cell of TOK and checks its text, position and end. */
static void
s_expect (dcp_csvtok_t *tok, const char *text, int line, int col, dcp_csvtok_end_t end)
{
    dcp_csvtok_cell_t cell;
    assert_int_equal (dcp_csvtok_next (tok, &cell), 1);
    assert_string_equal (cell.text, text);
    assert_int_equal (cell.line, line);
    assert_int_equal (cell.col, col);
    assert_int_equal (cell.end, end);
}

static void
test_cells_lines_and_columns (void **state)
{
    (void) state;
    /* a byte order mark, a quoted cell over two lines with "" inside, CRLF,
     * a lone CR, characters (not bytes) counted in columns */
    const char text[] = "\xef\xbb\xbf"
                        "a,\"b\"\"\nc\"\r\n\xc3\xa9t\xc3\xa9,x\ry,";
    dcp_csvtok_t tok;
    dcp_csvtok_init (&tok, text, sizeof text - 1);
    s_expect (&tok, "a", 1, 1, DCP_CSVTOK_COMMA);
    s_expect (&tok, "b\"\nc", 1, 3, DCP_CSVTOK_CRLF);
    s_expect (&tok, "\xc3\xa9t\xc3\xa9", 3, 1, DCP_CSVTOK_COMMA);
    s_expect (&tok, "x", 3, 5, DCP_CSVTOK_CR);
    s_expect (&tok, "y", 4, 1, DCP_CSVTOK_COMMA);
    s_expect (&tok, "", 4, 3, DCP_CSVTOK_EOF); /* owed after the last comma */
    dcp_csvtok_cell_t cell;
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 0);
    assert_true (dcp_csvtok_done (&tok));
    dcp_csvtok_fini (&tok);
}

/* The separator is guessed from the header (quoted parts do not count)
 * or named by a "sep=" line; with it set, ',' is data. */
static void
test_separator_sniffed_and_set (void **state)
{
    (void) state;
    bool sep_line;
    assert_int_equal (dcp_csvtok_sniff ("a,b,c\n1;2", 10, &sep_line), ',');
    assert_false (sep_line);
    assert_int_equal (dcp_csvtok_sniff ("\"x,y\";b;c\n", 10, &sep_line), ';');
    assert_int_equal (dcp_csvtok_sniff ("a\tb\tc,d\n", 9, &sep_line), '\t');
    assert_int_equal (dcp_csvtok_sniff ("single\n", 7, &sep_line), ',');
    assert_int_equal (dcp_csvtok_sniff ("\xef\xbb\xbfsep=;\r\na,b", 12, &sep_line), ';');
    assert_true (sep_line);
    const char text[] = "a;1,5\n";
    dcp_csvtok_t tok;
    dcp_csvtok_init (&tok, text, sizeof text - 1);
    dcp_csvtok_set_separator (&tok, ';');
    s_expect (&tok, "a", 1, 1, DCP_CSVTOK_COMMA);
    s_expect (&tok, "1,5", 1, 3, DCP_CSVTOK_LF);
    dcp_csvtok_fini (&tok);
}

static void
test_problems_are_told_not_fatal (void **state)
{
    (void) state;
    const char text[] = "\"ab\"cd,e\"f\n\"open";
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t cell;
    dcp_csvtok_init (&tok, text, sizeof text - 1);
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 1);
    assert_string_equal (cell.text, "ab");
    assert_int_equal (cell.problem, DCP_CSVTOK_AFTER_QUOTE);
    assert_int_equal (cell.problem_col, 5);
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 1);
    assert_string_equal (cell.text, "e\"f");
    assert_int_equal (cell.problem, DCP_CSVTOK_QUOTE_INSIDE);
    assert_int_equal (cell.problem_col, 9);
    assert_int_equal (cell.end, DCP_CSVTOK_LF);
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 1);
    assert_string_equal (cell.text, "open");
    assert_int_equal (cell.problem, DCP_CSVTOK_UNCLOSED);
    assert_int_equal (cell.problem_line, 2);
    assert_int_equal (cell.end, DCP_CSVTOK_EOF);
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 0);
    dcp_csvtok_fini (&tok);
}

static void
test_nul_byte_is_data (void **state)
{
    (void) state;
    const char text[] = "a\0b,c";
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t cell;
    dcp_csvtok_init (&tok, text, sizeof text - 1);
    assert_int_equal (dcp_csvtok_next (&tok, &cell), 1);
    assert_int_equal (cell.len, 3);
    assert_memory_equal (cell.text, "a\0b", 3);
    s_expect (&tok, "c", 1, 5, DCP_CSVTOK_EOF);
    dcp_csvtok_fini (&tok);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_cells_lines_and_columns),
        cmocka_unit_test (test_separator_sniffed_and_set),
        cmocka_unit_test (test_problems_are_told_not_fatal),
        cmocka_unit_test (test_nul_byte_is_data),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
