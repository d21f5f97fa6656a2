/*
 * digest — an article as a device receives it: compact JSON, compressed.
 *
 * Pure core. digest_build() makes the JSON of DESIGN §2 for one profile;
 * digest_encode() compresses it (zlib stream with the profile's window and
 * preset dictionary, or plain); digest_decode() undoes that for tools and
 * tests.
 *
 * A preset dictionary is at most digest_dict_room(window_bits) bytes: deflate
 * reaches back at most 2^window_bits - 262 bytes, so anything before that
 * would never be used. A longer one is cut to its last bytes, the ones
 * nearest the data, and its id is the Adler-32 of what is kept.
 */
#ifndef NEWSDIGEST_DIGEST_H
#define NEWSDIGEST_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/article.h"
#include "newsdigest/buf.h"
#include "newsdigest/feed.h"

struct lang_guesser;

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
	unsigned char *dict;	/* preset dictionary, owned; NULL = none */
	size_t dict_len;	/* at most digest_dict_room(window_bits) */
	uint32_t dict_id;	/* Adler-32 of dict, as the zlib header carries it */
	unsigned line;		/* where its section starts in the config */
};

/* The window a zlib stream needs never exceeds 2^15 bytes. */
#define DIGEST_DICT_MAX ((size_t)1 << 15)
/* Bytes before the end of the window that deflate cannot reach back to. */
#define DIGEST_DICT_LOOKAHEAD 262

/*
 * Append the digest JSON of item, read from the feed named feed, for
 * profile to out. now is the fetch time, used when the item has no date.
 * art is the reader the summary and tags use, made for the feed's
 * language and reused from item to item (borrowed; NULL: an English one
 * made for this call). Stores the 16-hex-digit id in id (17 bytes).
 * Returns 0, or -1 when out failed.
 */
/*
 * The Unix time an item was published, as its digest says: its published
 * date, else its updated date, else now (the fetch time). A date before
 * 1970 or more than DIGEST_AHEAD seconds after now is a feed's mistake
 * and counts as none: it would overflow a device's 32-bit clock, or come
 * first in the backlog's newest first for years.
 */
#define DIGEST_AHEAD 86400
int64_t digest_published(const struct feed_item *item, int64_t now);
/*
 * Write a profile's topic (DESIGN §3) into out (len bytes):
 * "PREFIX/PROFILE/FEED/LEAF" (digest, latest), or with feed NULL
 * "PREFIX/PROFILE/LEAF" (dict).
 */
void digest_topic(char *out, size_t len, const char *prefix, const char *profile,
    const char *feed, const char *leaf);
/*
 * The language to read a feed's item in (lang_choose()): configured,
 * unless "auto"; then what the item's headline and text are written in
 * (lang_guess() with g; with g NULL no guess is made), or when they say
 * nothing clearly what the feed's text was in before (known: a code this
 * returned with *clear set, or NULL); the declared language (a feed's
 * <language>, "" for none) when they agree or nothing is known; else
 * English. *clear is set when the item's text said its language clearly.
 */
const char *digest_language(const struct lang_guesser *g, const char *configured,
    const char *declared, const struct feed_item *item, const char *known, int *clear);

#define DIGEST_LANG_TRIES 8	/* items of a body that may tell its language */

/*
 * A feed's summary and tags reader, made for the language its items are
 * written in. Zero it to start; digest_reader_done() after each body.
 */
struct digest_reader {
	struct article *art;	/* NULL between bodies */
	struct lang_guesser *guesser;	/* while the language is guessed; NULL between bodies */
	char language[16];	/* what art was last made for ("" before the first) */
	char known[16];		/* what the feed's text last said clearly ("" for none) */
	int settled;		/* art's language is the config's or a clear text's */
	unsigned tries;		/* items of this body read to choose */
};

/*
 * Make r->art for an item of a body (digest_language()), or keep it: the
 * first item decides; while none has said its language clearly, each of
 * the next DIGEST_LANG_TRIES may, and the reader is made again when one
 * says another. What the feed's text said clearly in earlier bodies
 * stands for text that says nothing (a headline alone). Returns 0 when
 * kept, 1 when made for the language as before, 2 when made for another
 * (or the first time), -1 when out of memory (r->art is then NULL).
 */
int digest_reader_for(struct digest_reader *r, const char *configured, const char *declared,
    const struct feed_item *item);
/* Free r's reader at the end of a body; r keeps what the text said. */
void digest_reader_done(struct digest_reader *r);

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

/*
 * As digest_decode(), with the preset dictionary dict (dictlen bytes, or
 * NULL) for a stream whose header asks for one. Returns 0; -2 when the
 * stream needs a dictionary and dict is NULL or has another id; -1 when it
 * is corrupt or too large.
 */
int digest_decode_dict(struct buf *out, const void *payload, size_t len, size_t max,
    const void *dict, size_t dictlen);

/*
 * Return 1 and store the dictionary id in *id when payload is a zlib
 * stream made with a preset dictionary (FDICT); 0 otherwise.
 */
int digest_payload_dict(const void *payload, size_t len, uint32_t *id);

/* Return how many dictionary bytes a window of 2^window_bits can use. */
size_t digest_dict_room(int window_bits);

/*
 * Point *dict at the last digest_dict_room(window_bits) bytes of the
 * len bytes at dict (all of them when they fit) and return that length.
 */
size_t digest_dict_fit(const unsigned char **dict, size_t len, int window_bits);

/* Return the Adler-32 of len bytes: the id of a dictionary. */
uint32_t digest_dict_id(const void *dict, size_t len);

/*
 * Return the built-in dictionary (static; its length in *len):
 * the keys and frame of a digest and frequent English words, the most
 * useful last so that a small window keeps them.
 */
const unsigned char *digest_dict_builtin(size_t *len);

#endif
