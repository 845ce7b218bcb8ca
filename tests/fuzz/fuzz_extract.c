/* fuzz_extract.c - libFuzzer target for the contact extractor: charset
 * conversion, contacts and link selection on arbitrary page bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/extract.h"

static struct extractor *x;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!x) {
		x = extractor_new(NULL);
		if (!x)
			abort();
	}
	/* The first byte picks how the page was declared, so the fuzzer
	 * also walks the conversion paths. */
	static const char *const types[] = {
		NULL, "text/html; charset=iso-8859-1", "text/html; charset=utf-8",
		"text/html; charset=shift_jis", "text/html; charset=utf-16le",
	};
	const char *type = size ? types[data[0] % 5] : NULL;
	char *html;
	size_t len;
	if (extract_to_utf8(type, (const char *)data, size, &html, &len, NULL) < 0)
		return 0;
	struct extract_result r = {0};
	extract_contacts(x, html, len, "https://acme.example.net/kontakt/",
			 size && data[0] & 0x80, &r, NULL);
	extract_result_free(&r);
	struct extract_links l = {0};
	extract_links(x, html, len, "https://acme.example.net/shop/index.html",
		      "http://acme.example.net/shop/", &l, NULL);
	extract_links_free(&l);
	free(html);
	return 0;
}
