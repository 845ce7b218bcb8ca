/* theme.c - colour as named roles, with a monochrome fallback that keeps
 * every role distinguishable by attributes alone (NO_COLOR, vt100). */
#include "ui/ui.h"

#include <stdlib.h>

static int attrs[ROLE_COUNT];

static void monochrome(void)
{
	attrs[ROLE_NORMAL] = A_NORMAL;
	attrs[ROLE_HEADER] = A_REVERSE | A_BOLD;
	attrs[ROLE_SELECTED] = A_REVERSE;
	attrs[ROLE_STATUS_BAR] = A_REVERSE;
	attrs[ROLE_HINT_KEY] = A_BOLD;
	attrs[ROLE_HINT] = A_NORMAL;
	attrs[ROLE_ERROR] = A_BOLD | A_UNDERLINE;
	attrs[ROLE_DIM] = A_DIM;
	attrs[ROLE_TITLE] = A_BOLD;
	attrs[ROLE_OK] = A_BOLD;
}

void theme_init(void)
{
	monochrome();
	const char *no_color = getenv("NO_COLOR");
	if ((no_color && *no_color) || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);	/* bars */
	init_pair(2, COLOR_RED, -1);		/* errors */
	init_pair(3, COLOR_CYAN, -1);		/* hint keys, titles */
	init_pair(4, COLOR_GREEN, -1);		/* ok */
	init_pair(5, COLOR_BLACK, COLOR_YELLOW);	/* selection */
	attrs[ROLE_HEADER] = COLOR_PAIR(1) | A_BOLD;
	attrs[ROLE_STATUS_BAR] = COLOR_PAIR(1);
	attrs[ROLE_SELECTED] = COLOR_PAIR(5);
	attrs[ROLE_ERROR] = COLOR_PAIR(2) | A_BOLD;
	attrs[ROLE_HINT_KEY] = COLOR_PAIR(3) | A_BOLD;
	attrs[ROLE_TITLE] = COLOR_PAIR(3) | A_BOLD;
	attrs[ROLE_OK] = COLOR_PAIR(4);
}

int theme_attr(enum ui_role role)
{
	return attrs[role];
}
