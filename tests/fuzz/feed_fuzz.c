/*
 * libFuzzer target: the streaming feed reader and the digest built from
 * each item. Input is split in two chunks at a point taken from its first
 * byte, as a network would; every string that comes out must be valid
 * UTF-8 and every digest must inflate back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"
#include "newsdigest/text.h"

/* Abort unless s is valid UTF-8. */
static void
feed_fuzz_check(const char *s)
{
	if (!text_utf8_valid(s, strlen(s)))
		abort();
}

/* Check an item, then build, encode and decode its digest. */
static int
feed_fuzz_item_cb(void *arg, const struct feed_item *it)
{
	struct digest_profile prof = { "p", 40, 120, 3, 0, DIGEST_ZLIB, 9, 5, 0 };
	struct buf json, payload, back;
	char id[DIGEST_ID_LEN + 1];
	size_t i;

	(void)arg;
	feed_fuzz_check(it->id);
	feed_fuzz_check(it->title);
	feed_fuzz_check(it->link);
	feed_fuzz_check(it->author);
	feed_fuzz_check(it->summary);
	feed_fuzz_check(it->content);
	for (i = 0; i < it->ncategories; i++)
		feed_fuzz_check(it->categories[i]);
	buf_init(&json, 0);
	buf_init(&payload, 0);
	buf_init(&back, 0);
	if (digest_build(&json, &prof, "fuzz", it, 0, id) == 0) {
		if (!text_utf8_valid(json.data, json.len))
			abort();
		if (digest_encode(&payload, &prof, json.data, json.len) != 0 ||
		    digest_decode(&back, payload.data, payload.len, json.len) != 0 ||
		    back.len != json.len || memcmp(back.data, json.data, json.len) != 0)
			abort();
	}
	buf_free(&json);
	buf_free(&payload);
	buf_free(&back);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_limits lim = { 50, 64 << 10, 32 };
	struct feed_parser *p;
	size_t cut;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	if ((p = feed_parser_new(&lim, NULL, feed_fuzz_item_cb, NULL)) == NULL)
		return 0;
	if (feed_parser_write(p, (const char *)data + 1, cut) == 0 &&
	    feed_parser_write(p, (const char *)data + 1 + cut, size - 1 - cut) == 0)
		feed_parser_finish(p);
	feed_parser_free(p);
	return 0;
}
