/* test_textedit.c - the editor's text: whole UTF-8 characters, undo and
 * redo by words, wrapping and cursor rows counted in terminal columns. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/textedit.h"
#include "check_run.h"

static void type(struct textedit *e, const char *s)
{
	ck_assert(textedit_insert(e, s, strlen(s)));
}

/* Types s a character at a time, as keys arrive. */
static void type_keys(struct textedit *e, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t len = textedit_char_len(s + i, n - i);
		ck_assert(textedit_insert(e, s + i, len));
		i += len;
	}
}

START_TEST(test_backspace_removes_a_whole_character)
{
	struct textedit e;
	textedit_init(&e, false);
	type_keys(&e, "Zürich 東京");
	ck_assert(textedit_backspace(&e));
	ck_assert_str_eq(textedit_text(&e), "Zürich 東");
	textedit_left(&e);
	ck_assert_uint_eq(e.cursor, strlen("Zürich "));
	textedit_left(&e);
	textedit_left(&e);
	textedit_left(&e);
	textedit_left(&e);
	textedit_left(&e);
	ck_assert_uint_eq(e.cursor, 3);	/* after "Zü": before "rich" */
	textedit_left(&e);
	ck_assert_uint_eq(e.cursor, 1);	/* "ü" is two bytes, one step */
	ck_assert(textedit_delete(&e));
	ck_assert_str_eq(textedit_text(&e), "Zrich 東");
	textedit_free(&e);
}
END_TEST

START_TEST(test_invalid_bytes_are_characters_of_their_own)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "a\xff\xfe");
	textedit_text_end(&e);
	ck_assert(textedit_backspace(&e));
	ck_assert_str_eq(textedit_text(&e), "a\xff");
	textedit_free(&e);
}
END_TEST

START_TEST(test_undo_takes_back_a_word_at_a_time)
{
	struct textedit e;
	textedit_init(&e, false);
	type_keys(&e, "Hello dear world");
	ck_assert(textedit_undo(&e));
	ck_assert_str_eq(textedit_text(&e), "Hello dear");
	ck_assert(textedit_undo(&e));
	ck_assert_str_eq(textedit_text(&e), "Hello");
	ck_assert(textedit_redo(&e));
	ck_assert_str_eq(textedit_text(&e), "Hello dear");
	ck_assert_uint_eq(e.cursor, strlen("Hello dear"));
	ck_assert(textedit_undo(&e));
	ck_assert(textedit_undo(&e));
	ck_assert_str_eq(textedit_text(&e), "");
	ck_assert(!textedit_undo(&e));
	textedit_free(&e);
}
END_TEST

START_TEST(test_backspaces_undo_as_one_step)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "abcdef");
	textedit_text_end(&e);
	textedit_backspace(&e);
	textedit_backspace(&e);
	textedit_backspace(&e);
	ck_assert_str_eq(textedit_text(&e), "abc");
	ck_assert(textedit_modified(&e));
	ck_assert(textedit_undo(&e));
	ck_assert_str_eq(textedit_text(&e), "abcdef");
	ck_assert_uint_eq(e.cursor, 6);
	textedit_free(&e);
}
END_TEST

START_TEST(test_a_new_edit_drops_redo)
{
	struct textedit e;
	textedit_init(&e, false);
	type(&e, "one");
	textedit_undo(&e);
	type(&e, "two");
	ck_assert(!textedit_redo(&e));
	ck_assert_str_eq(textedit_text(&e), "two");
	textedit_free(&e);
}
END_TEST

START_TEST(test_moving_ends_the_undo_step)
{
	struct textedit e;
	textedit_init(&e, false);
	type_keys(&e, "ab");
	textedit_left(&e);
	type_keys(&e, "X");
	ck_assert_str_eq(textedit_text(&e), "aXb");
	textedit_undo(&e);
	ck_assert_str_eq(textedit_text(&e), "ab");
	ck_assert_uint_eq(e.cursor, 1);
	textedit_free(&e);
}
END_TEST

START_TEST(test_replace_is_one_step)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "Hi {{bus");
	ck_assert(textedit_replace(&e, 5, 8, "business.name}}", 15));
	ck_assert_str_eq(textedit_text(&e), "Hi {{business.name}}");
	ck_assert_uint_eq(e.cursor, 20);
	textedit_undo(&e);
	ck_assert_str_eq(textedit_text(&e), "Hi {{bus");
	textedit_free(&e);
}
END_TEST

START_TEST(test_single_line_refuses_line_breaks)
{
	struct textedit e;
	textedit_init(&e, true);
	ck_assert(!textedit_insert(&e, "\n", 1));
	ck_assert(textedit_insert(&e, "x", 1));
	ck_assert_str_eq(textedit_text(&e), "x");
	textedit_free(&e);
}
END_TEST

START_TEST(test_wrap_breaks_after_spaces)
{
	struct textedit_row *rows = NULL;
	size_t cap = 0;
	const char *t = "hello big world\n\nend";
	size_t n = textedit_wrap(t, strlen(t), 10, &rows, &cap);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(rows[0].start, 0);
	ck_assert_uint_eq(rows[0].end, 10);	/* "hello big " */
	ck_assert_uint_eq(rows[1].start, 10);
	ck_assert_uint_eq(rows[1].end, 15);	/* "world" */
	ck_assert_uint_eq(rows[2].start, 16);	/* the empty line */
	ck_assert_uint_eq(rows[2].end, 16);
	ck_assert_uint_eq(rows[3].start, 17);
	free(rows);
}
END_TEST

START_TEST(test_wrap_counts_wide_characters_as_two)
{
	struct textedit_row *rows = NULL;
	size_t cap = 0;
	const char *t = "東京大阪";	/* 8 columns, 12 bytes */
	size_t n = textedit_wrap(t, strlen(t), 5, &rows, &cap);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(rows[0].end, 6);	/* two characters, 4 columns */
	size_t row;
	int col;
	textedit_locate(t, rows, n, 6, &row, &col);
	ck_assert_uint_eq(row, 1);	/* a wrapped row's end is the next row */
	ck_assert_int_eq(col, 0);
	textedit_locate(t, rows, n, 9, &row, &col);
	ck_assert_int_eq(col, 2);
	ck_assert_int_eq(textedit_char_width("\x1b", 1), 2);	/* shown ^[ */
	free(rows);
}
END_TEST

START_TEST(test_a_word_longer_than_the_width_is_cut)
{
	struct textedit_row *rows = NULL;
	size_t cap = 0;
	const char *t = "abcdefghij";
	size_t n = textedit_wrap(t, strlen(t), 4, &rows, &cap);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(rows[2].start, 8);
	free(rows);
}
END_TEST

START_TEST(test_up_and_down_keep_the_column)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "first line\nab\nthird line");
	textedit_right(&e);
	textedit_right(&e);
	textedit_right(&e);
	textedit_right(&e);	/* column 4 */
	textedit_vertical(&e, 40, 1);
	ck_assert_uint_eq(e.cursor, 13);	/* end of "ab" */
	textedit_vertical(&e, 40, 1);
	ck_assert_uint_eq(e.cursor, 14 + 4);	/* column 4 again */
	textedit_vertical(&e, 40, -5);
	ck_assert_uint_eq(e.cursor, 4);
	textedit_row_end(&e, 40);
	ck_assert_uint_eq(e.cursor, 10);
	textedit_row_start(&e, 40);
	ck_assert_uint_eq(e.cursor, 0);
	textedit_free(&e);
}
END_TEST

START_TEST(test_down_moves_by_screen_rows_of_a_wrapped_line)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "aaaa bbbb cccc");
	textedit_vertical(&e, 5, 1);
	ck_assert_uint_eq(e.cursor, 5);
	textedit_row_end(&e, 5);
	ck_assert_uint_eq(e.cursor, 9);	/* before the space that wraps */
	textedit_free(&e);
}
END_TEST

START_TEST(test_set_and_save_reset_modified)
{
	struct textedit e;
	textedit_init(&e, false);
	textedit_set(&e, "x");
	ck_assert(!textedit_modified(&e));
	type(&e, "y");
	ck_assert(textedit_modified(&e));
	textedit_mark_saved(&e);
	ck_assert(!textedit_modified(&e));
	ck_assert(!textedit_redo(&e));
	textedit_free(&e);
}
END_TEST

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	Suite *s = suite_create("textedit");
	TCase *tc = tcase_create("textedit");
	tcase_add_test(tc, test_backspace_removes_a_whole_character);
	tcase_add_test(tc, test_invalid_bytes_are_characters_of_their_own);
	tcase_add_test(tc, test_undo_takes_back_a_word_at_a_time);
	tcase_add_test(tc, test_backspaces_undo_as_one_step);
	tcase_add_test(tc, test_a_new_edit_drops_redo);
	tcase_add_test(tc, test_moving_ends_the_undo_step);
	tcase_add_test(tc, test_replace_is_one_step);
	tcase_add_test(tc, test_single_line_refuses_line_breaks);
	tcase_add_test(tc, test_wrap_breaks_after_spaces);
	tcase_add_test(tc, test_wrap_counts_wide_characters_as_two);
	tcase_add_test(tc, test_a_word_longer_than_the_width_is_cut);
	tcase_add_test(tc, test_up_and_down_keep_the_column);
	tcase_add_test(tc, test_down_moves_by_screen_rows_of_a_wrapped_line);
	tcase_add_test(tc, test_set_and_save_reset_modified);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
