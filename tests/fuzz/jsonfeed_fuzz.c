/*
 * libFuzzer target: the JSON Feed reader. The input is a JSON Feed body
 * (the feed reader takes a body starting with '{' for one); it is fed
 * whole, then each item and the language are checked as in feed_fuzz.
 */
#include "fuzz_item.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_limits lim = { 50, 64 << 10, 32 };
	struct feed_parser *p;
	int finished = 0;

	if ((p = feed_parser_new(&lim, NULL, fuzz_item_cb, NULL)) == NULL)
		return 0;
	if (feed_parser_write(p, "{", 1) == 0 &&
	    feed_parser_write(p, (const char *)data, size) == 0)
		finished = feed_parser_finish(p) == 0;
	fuzz_language_check(p, finished);
	feed_parser_free(p);
	return 0;
}
