/*
 * store_fuzz — libFuzzer target for the seen-store loader: the input is a
 * feed's state file, read by store_feed_parse() as the daemon reads it at
 * start. What it keeps must write back (store_feed_format) to a text that
 * reads back to the very same text: damage is dropped, never carried on.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/log.h"
#include "newsdigest/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const store_fuzz_profiles[] = { "default", "lcd" };

/* Load text into a fresh state (small bounds, so that they are hit). */
static struct store_feed *
store_fuzz_load(const char *text, size_t len)
{
	struct store_feed *sf;

	if ((sf = store_feed_new("fuzz", "wire", 64, store_fuzz_profiles, 2, 4)) == NULL)
		abort();
	store_feed_parse(sf, text, len);
	return sf;
}

/* Parse one input from an exactly sized copy, so that ASan sees any over-read. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_feed *sf, *again;
	struct buf out, out2;
	char *copy;
	size_t i;

	/* Damaged records are logged as warnings: not a finding. */
	log_level = LOG_LEVEL_ERROR;
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	sf = store_fuzz_load(copy, size);
	if (store_seen_count(sf) > 64 || store_latest_count(sf, 0) > 4 ||
	    store_latest_count(sf, 1) > 4)
		abort();
	for (i = 0; i < store_latest_count(sf, 1); i++)
		if (store_latest_get(sf, 1, i)[0] != '{')
			abort();
	buf_init(&out, 0);
	buf_init(&out2, 0);
	if (store_feed_format(sf, &out) == -1)
		abort();
	again = store_fuzz_load(out.data, out.len);
	if (store_feed_format(again, &out2) == -1 || out.len != out2.len ||
	    memcmp(out.data, out2.data, out.len) != 0 ||
	    store_feed_is_new(sf) != store_feed_is_new(again) ||
	    store_seen_count(sf) != store_seen_count(again))
		abort();
	buf_free(&out);
	buf_free(&out2);
	store_feed_free(again);
	store_feed_free(sf);
	free(copy);
	return 0;
}
