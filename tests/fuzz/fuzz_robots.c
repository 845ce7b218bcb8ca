/* fuzz_robots.c - libFuzzer target for the robots.txt parser: any bytes
 * parse, and matching the paths they contain stays fast and in bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct robots *r = robots_parse((const char *)data, size);

	/* Use the last line of the input as a path too, so rules and paths
	 * made of the same odd bytes meet. */
	size_t start = size;
	while (start > 0 && data[start - 1] != '\n')
		start--;
	char *path = malloc(size - start + 1);
	memcpy(path, data + start, size - start);
	path[size - start] = '\0';
	robots_allowed(r, "outreach", path);
	robots_allowed(r, "*", "/");
	robots_allowed(r, path, "/private/x.html");
	free(path);
	robots_free(r);
	return 0;
}
