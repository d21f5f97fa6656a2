/*
 * libFuzzer target: the streaming feed reader and the digest built from
 * each item. Input is split in two chunks at a point taken from its first
 * byte, as a network would; every string that comes out must be valid
 * UTF-8, every digest must inflate back to itself, and the language
 * declared must be a bounded code.
 */
#include "fuzz_item.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_limits lim = { 50, 64 << 10, 32 };
	struct feed_parser *p;
	size_t cut;
	int finished = 0;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	if ((p = feed_parser_new(&lim, NULL, fuzz_item_cb, NULL)) == NULL)
		return 0;
	if (feed_parser_write(p, (const char *)data + 1, cut) == 0 &&
	    feed_parser_write(p, (const char *)data + 1 + cut, size - 1 - cut) == 0)
		finished = feed_parser_finish(p) == 0;
	fuzz_language_check(p, finished);
	feed_parser_free(p);
	return 0;
}
