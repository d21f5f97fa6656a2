/*
 * What every feed fuzz target checks of an item: every string valid UTF-8,
 * and its digest built, compressed and inflated back to itself. Included
 * by the fuzz targets only.
 */
#ifndef NEWSDIGEST_FUZZ_ITEM_H
#define NEWSDIGEST_FUZZ_ITEM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"
#include "newsdigest/text.h"

/* Abort unless s is valid UTF-8. */
static void
fuzz_item_check(const char *s)
{
	if (!text_utf8_valid(s, strlen(s)))
		abort();
}

/*
 * Abort unless the language p reports is a bounded code of ASCII letters,
 * digits, '-' and '_' (or ""), and, once finish succeeded (finished), the
 * one in its feed_info.
 */
static void
fuzz_language_check(const struct feed_parser *p, int finished)
{
	const char *l = feed_parser_language(p);
	size_t i, n = strlen(l);

	if (n > FEED_MAX_LANGUAGE)
		abort();
	for (i = 0; i < n; i++)
		if (!((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= 'A' && l[i] <= 'Z') ||
		    (l[i] >= '0' && l[i] <= '9') || l[i] == '-' || l[i] == '_'))
			abort();
	if (finished && strcmp(feed_parser_info(p)->language, l) != 0)
		abort();
}

/* Check an item, then build, encode and decode its digest. */
static int
fuzz_item_cb(void *arg, const struct feed_item *it)
{
	struct digest_profile prof = { "p", 40, 120, 3, 0, DIGEST_ZLIB, 9, 5, 0 };
	struct buf json, payload, back;
	char id[DIGEST_ID_LEN + 1];
	size_t i;

	(void)arg;
	fuzz_item_check(it->id);
	fuzz_item_check(it->title);
	fuzz_item_check(it->link);
	fuzz_item_check(it->author);
	fuzz_item_check(it->summary);
	fuzz_item_check(it->content);
	for (i = 0; i < it->ncategories; i++)
		fuzz_item_check(it->categories[i]);
	buf_init(&json, 0);
	buf_init(&payload, 0);
	buf_init(&back, 0);
	if (digest_build(&json, &prof, "fuzz", it, 0, NULL, id) == 0) {
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

#endif
