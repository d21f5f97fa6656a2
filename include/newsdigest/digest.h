/*
 * digest — an article as a device receives it: compact JSON, compressed.
 *
 * Pure core. digest_build() makes the JSON of DESIGN §2 for one profile;
 * digest_encode() compresses it (zlib stream with the profile's window,
 * or plain); digest_decode() undoes that for tools and tests.
 */
#ifndef NEWSDIGEST_DIGEST_H
#define NEWSDIGEST_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/article.h"
#include "newsdigest/buf.h"
#include "newsdigest/feed.h"

#define DIGEST_VERSION 1
#define DIGEST_ID_LEN 16

enum digest_compression { DIGEST_ZLIB, DIGEST_NONE };

/* What a display can show and decode. Plain data, owned by the config. */
struct digest_profile {
	char *name;
	size_t headline_chars;
	size_t summary_chars;
	size_t tags;
	int ascii;
	enum digest_compression compression;
	int window_bits;	/* 9..15 */
	size_t latest;		/* digests in the retained bundle; 0 = off */
	int64_t expiry;		/* seconds; 0 = none */
};

/*
 * Append the digest JSON of item, read from the feed named feed, for
 * profile to out. now is the fetch time, used when the item has no date.
 * art is the reader the summary and tags use, made for the feed's
 * language and reused from item to item (borrowed; NULL: an English one
 * made for this call). Stores the 16-hex-digit id in id (17 bytes).
 * Returns 0, or -1 when out failed.
 */
int digest_build(struct buf *out, const struct digest_profile *profile, const char *feed,
    const struct feed_item *item, int64_t now, struct article *art,
    char id[DIGEST_ID_LEN + 1]);

/*
 * Append json (len bytes) to out as the profile's payload: a zlib stream
 * (RFC 1950) with 2^window_bits bytes of window and a small memLevel, or
 * the JSON itself with compression = none. Returns 0, or -1 on a zlib or
 * buffer failure.
 */
int digest_encode(struct buf *out, const struct digest_profile *profile, const void *json,
    size_t len);

/*
 * Append the JSON carried by a payload to out: inflated when it starts
 * with a zlib header, copied otherwise. At most max bytes of output.
 * Returns 0, or -1 when the stream is corrupt or too large.
 */
int digest_decode(struct buf *out, const void *payload, size_t len, size_t max);

#endif
