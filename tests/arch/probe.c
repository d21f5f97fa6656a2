/*
 * probe — every byte a digest becomes, for comparing builds of two
 * machines (tests/arch.sh).
 *
 *   probe FILE...
 *
 * Each item of each FILE is read as the CLI's digest command reads it (the
 * language chosen item by item) and printed as its digest id, its shard
 * of 7, its digest JSON for two profiles (the default 96/280/5, and an
 * ASCII 40/120/3 one), the payload of each (zlib with a 2^15 window; zlib
 * with a 2^9 window and the built-in dictionary; plain) in hex, and the
 * outbox journal records (PUT, DONE) that would carry the first payload,
 * in hex. The time is fixed, so two runs, on any machine, print the same
 * bytes. Every payload is decoded again and every record read back: a
 * mismatch is printed and makes the exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"
#include "newsdigest/hash.h"
#include "newsdigest/journal.h"

#define PROBE_NOW 1800000000	/* the fetch time of items without a date */

struct probe {
	struct digest_profile prof[2];
	struct digest_reader reading;
	struct feed_parser *p;
	struct buf json, payload, rec, back;
	size_t items;
	int bad;
};

/* Print what is wrong with the item being probed, and remember it. */
static void
probe_bad(struct probe *pr, const char *what)
{
	printf("MISMATCH %s\n", what);
	pr->bad = 1;
}

/* Print label and len bytes of data in hex on one line. */
static void
probe_hex(const char *label, const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t i;

	printf("%s %zu ", label, len);
	for (i = 0; i < len; i++)
		printf("%02x", s[i]);
	putchar('\n');
}

/* Print the PUT and DONE records of payload, and read them back. */
static void
probe_journal(struct probe *pr, const char *id, const struct buf *payload)
{
	static const char feed[] = "feed";
	struct journal_rec r, d;
	char topic[128];

	digest_topic(topic, sizeof topic, "news", pr->prof[0].name, feed, "digest");
	memset(&r, 0, sizeof r);
	r.type = JOURNAL_PUT;
	r.seq = 0x0102030405060708ULL + pr->items;
	r.article = strtoull(id, NULL, 16);
	r.created = PROBE_NOW;
	r.expiry = 86400;
	r.retain = 1;
	r.encoding = JOURNAL_ENC_ZLIB;
	r.feed = feed;
	r.feedlen = sizeof feed - 1;
	r.topic = topic;
	r.topiclen = strlen(topic);
	r.payload = payload->data;
	r.len = payload->len;
	buf_reset(&pr->rec);
	if (journal_encode(&pr->rec, &r) == -1) {
		probe_bad(pr, "journal_encode PUT");
		return;
	}
	probe_hex("put", pr->rec.data, pr->rec.len);
	if (journal_decode(pr->rec.data, pr->rec.len, &d) != pr->rec.len || d.type != r.type ||
	    d.seq != r.seq || d.article != r.article || d.created != r.created ||
	    d.expiry != r.expiry || d.retain != r.retain || d.encoding != r.encoding ||
	    d.feedlen != r.feedlen || memcmp(d.feed, feed, d.feedlen) != 0 ||
	    d.topiclen != r.topiclen || memcmp(d.topic, topic, d.topiclen) != 0 ||
	    d.len != r.len || memcmp(d.payload, r.payload, r.len) != 0)
		probe_bad(pr, "journal PUT read back");
	memset(&r, 0, sizeof r);
	r.type = JOURNAL_DONE;
	r.seq = 0xfedcba9876543210ULL - pr->items;
	r.reason = JOURNAL_REPLACED;
	buf_reset(&pr->rec);
	if (journal_encode(&pr->rec, &r) == -1) {
		probe_bad(pr, "journal_encode DONE");
		return;
	}
	probe_hex("done", pr->rec.data, pr->rec.len);
	if (journal_decode(pr->rec.data, pr->rec.len, &d) != pr->rec.len ||
	    d.type != JOURNAL_DONE || d.seq != r.seq || d.reason != r.reason)
		probe_bad(pr, "journal DONE read back");
}

/* Parser: print everything one item becomes. */
static int
probe_item_cb(void *arg, const struct feed_item *it)
{
	static const char *const names[] = { "z15", "z9dict", "plain" };
	struct probe *pr = arg;
	struct digest_profile prof;
	char id[DIGEST_ID_LEN + 1];
	size_t i, k;

	if (digest_reader_for(&pr->reading, "auto", feed_parser_language(pr->p), it) == -1) {
		probe_bad(pr, "out of memory");
		return -1;
	}
	printf("item %zu language %s shard7 %lu\n", pr->items, pr->reading.language,
	    hash_shard(it->id, 7));
	for (i = 0; i < 2; i++) {
		buf_reset(&pr->json);
		if (digest_build(&pr->json, &pr->prof[i], "feed", it, PROBE_NOW,
		    pr->reading.art, id) == -1) {
			probe_bad(pr, "digest_build");
			return 0;
		}
		printf("id %s\njson %s\n", id, buf_str(&pr->json));
		for (k = 0; k < 3; k++) {
			prof = pr->prof[i];
			prof.compression = k < 2 ? DIGEST_ZLIB : DIGEST_NONE;
			prof.window_bits = k == 0 ? 15 : 9;
			if (k != 1) {
				prof.dict = NULL;
				prof.dict_len = 0;
			}
			buf_reset(&pr->payload);
			buf_reset(&pr->back);
			if (digest_encode(&pr->payload, &prof, pr->json.data, pr->json.len) == -1) {
				probe_bad(pr, "digest_encode");
				continue;
			}
			probe_hex(names[k], pr->payload.data, pr->payload.len);
			if (digest_decode_dict(&pr->back, pr->payload.data, pr->payload.len,
			    1 << 20, prof.dict, prof.dict_len) != 0 ||
			    pr->back.len != pr->json.len ||
			    memcmp(pr->back.data, pr->json.data, pr->json.len) != 0)
				probe_bad(pr, "payload decoded again");
			if (i == 0 && k == 0)
				probe_journal(pr, id, &pr->payload);
		}
	}
	pr->items++;
	return 0;
}

/* Probe the feed in path. Returns 0, or -1 when it cannot be read. */
static int
probe_file(struct probe *pr, const char *path)
{
	char chunk[65536];
	size_t n;
	FILE *f;

	printf("== %s\n", path);
	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if ((pr->p = feed_parser_new(NULL, NULL, probe_item_cb, pr)) == NULL) {
		fclose(f);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (feed_parser_write(pr->p, chunk, n) == -1)
			break;
	fclose(f);
	if (feed_parser_error(pr->p) != NULL || feed_parser_finish(pr->p) == -1)
		printf("error %s\n", feed_parser_error(pr->p));
	feed_parser_free(pr->p);
	pr->p = NULL;
	digest_reader_done(&pr->reading);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct probe pr;
	const unsigned char *dict;
	size_t dlen;
	int a, i;

	if (argc < 2) {
		fprintf(stderr, "usage: probe FILE...\n");
		return 2;
	}
	dict = digest_dict_builtin(&dlen);
	dlen = digest_dict_fit(&dict, dlen, 9);
	for (i = 0; i < 2; i++) {
		pr.prof[i].name = (char *)(uintptr_t)(i == 0 ? "default" : "ticker");
		pr.prof[i].headline_chars = i == 0 ? 96 : 40;
		pr.prof[i].summary_chars = i == 0 ? 280 : 120;
		pr.prof[i].tags = i == 0 ? 5 : 3;
		pr.prof[i].ascii = i;
		pr.prof[i].dict = (unsigned char *)(uintptr_t)dict;
		pr.prof[i].dict_len = dlen;
		pr.prof[i].dict_id = digest_dict_id(dict, dlen);
	}
	buf_init(&pr.json, 0);
	buf_init(&pr.payload, 0);
	buf_init(&pr.rec, 0);
	buf_init(&pr.back, 0);
	for (a = 1; a < argc; a++)
		if (probe_file(&pr, argv[a]) == -1)
			pr.bad = 1;
	printf("%zu items\n", pr.items);
	buf_free(&pr.json);
	buf_free(&pr.payload);
	buf_free(&pr.rec);
	buf_free(&pr.back);
	return pr.bad;
}
