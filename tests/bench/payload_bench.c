/*
 * payload_bench — digest payload sizes per window and dictionary, and the
 * RAM an inflater needs, on sample feeds.
 *
 *   payload_bench FILE...
 *
 * Every item of every FILE becomes a digest of the default profile (96
 * headline characters, 280 summary characters, 5 tags). For window_bits
 * 9..15, without and with the built-in dictionary (cut to the window as
 * the daemon cuts it), it prints the JSON bytes, the payload bytes and
 * the memory zlib's inflate allocates to decode them with that window,
 * counted through its zalloc hook: its state plus the window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "newsdigest/buf.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"

#define BENCH_MAX_DIGESTS 4096

struct bench {
	struct digest_profile prof;
	char *json[BENCH_MAX_DIGESTS];
	size_t len[BENCH_MAX_DIGESTS];
	size_t n;
};

/* What zlib has allocated now and at most, through the hooks below. */
struct bench_mem {
	size_t now;
	size_t peak;
};

/* zlib: allocate, counting the bytes (kept in a header before the block). */
static voidpf
bench_zalloc(voidpf arg, uInt items, uInt size)
{
	struct bench_mem *m = arg;
	size_t n = (size_t)items * size;
	size_t *p = malloc(n + sizeof(size_t));

	if (p == NULL)
		return Z_NULL;
	*p = n;
	m->now += n;
	if (m->now > m->peak)
		m->peak = m->now;
	return p + 1;
}

/* zlib: free a block of bench_zalloc. */
static void
bench_zfree(voidpf arg, voidpf ptr)
{
	struct bench_mem *m = arg;
	size_t *p = (size_t *)ptr - 1;

	m->now -= *p;
	free(p);
}

/* Parser: keep the digest JSON of one item. */
static int
bench_item_cb(void *arg, const struct feed_item *it)
{
	struct bench *b = arg;
	char id[DIGEST_ID_LEN + 1];
	struct buf j;

	if (b->n == BENCH_MAX_DIGESTS)
		return -1;
	buf_init(&j, 0);
	if (digest_build(&j, &b->prof, "bench", it, 1800000000, NULL, id) == -1 ||
	    (b->json[b->n] = buf_steal(&j, &b->len[b->n])) == NULL) {
		buf_free(&j);
		return -1;
	}
	b->n++;
	return 0;
}

/* Parse one feed file into b. Returns 0 or -1. */
static int
bench_read(struct bench *b, const char *path)
{
	struct feed_parser *p;
	char chunk[65536];
	size_t n;
	FILE *f;
	int rc;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if ((p = feed_parser_new(NULL, NULL, bench_item_cb, b)) == NULL) {
		fclose(f);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (feed_parser_write(p, chunk, n) == -1)
			break;
	fclose(f);
	rc = feed_parser_finish(p);
	if (rc == -1)
		fprintf(stderr, "%s: %s\n", path, feed_parser_error(p));
	feed_parser_free(p);
	return rc;
}

/*
 * Inflate payload with a window of 2^wbits (and dict on Z_NEED_DICT),
 * counting zlib's allocations into m. Returns the bytes out, or 0 on error.
 */
static size_t
bench_inflate(const struct buf *payload, int wbits, const unsigned char *dict, size_t dictlen,
    struct bench_mem *m)
{
	static unsigned char out[1 << 16];
	z_stream z;
	int rc;

	memset(&z, 0, sizeof z);
	z.zalloc = bench_zalloc;
	z.zfree = bench_zfree;
	z.opaque = m;
	if (inflateInit2(&z, wbits) != Z_OK)
		return 0;
	z.next_in = (Bytef *)payload->data;
	z.avail_in = (uInt)payload->len;
	z.next_out = out;
	z.avail_out = sizeof out;
	rc = inflate(&z, Z_FINISH);
	if (rc == Z_NEED_DICT && inflateSetDictionary(&z, dict, (uInt)dictlen) == Z_OK)
		rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	return rc == Z_STREAM_END ? z.total_out : 0;
}

int
main(int argc, char **argv)
{
	static struct bench b;
	const unsigned char *builtin, *dict;
	struct bench_mem mem;
	struct buf payload;
	size_t blen, dlen, json = 0, total[2], i;
	int wb, d, a;

	if (argc < 2) {
		fprintf(stderr, "usage: payload_bench FILE...\n");
		return 2;
	}
	b.prof.headline_chars = 96;
	b.prof.summary_chars = 280;
	b.prof.tags = 5;
	b.prof.compression = DIGEST_ZLIB;
	for (a = 1; a < argc; a++)
		if (bench_read(&b, argv[a]) == -1)
			return 1;
	for (i = 0; i < b.n; i++)
		json += b.len[i];
	builtin = digest_dict_builtin(&blen);
	printf("%zu digests from %d feeds (default profile: 96/280/5), %zu bytes of JSON, "
	    "%zu per digest; built-in dictionary %zu bytes\n", b.n, argc - 1, json,
	    b.n ? json / b.n : 0, blen);
	printf("%-6s %8s %15s %15s %6s %10s %10s\n", "window", "JSON", "payload", "with dict",
	    "dict", "window", "zlib RAM");
	printf("%-6s %8s %15s %15s %6s %10s %10s\n", "bits", "bytes", "bytes (%)",
	    "bytes (%)", "bytes", "bytes", "bytes");
	buf_init(&payload, 0);
	for (wb = 9; wb <= 15; wb++) {
		memset(&mem, 0, sizeof mem);
		dict = builtin;
		dlen = digest_dict_fit(&dict, blen, wb);
		for (d = 0; d < 2; d++) {
			b.prof.window_bits = wb;
			b.prof.dict = d ? (unsigned char *)(uintptr_t)dict : NULL;
			b.prof.dict_len = d ? dlen : 0;
			total[d] = 0;
			for (i = 0; i < b.n; i++) {
				buf_reset(&payload);
				if (digest_encode(&payload, &b.prof, b.json[i], b.len[i]) == -1 ||
				    bench_inflate(&payload, wb, dict, dlen, &mem) != b.len[i]) {
					fprintf(stderr, "payload_bench: digest %zu does not round-trip "
					    "at window_bits %d\n", i, wb);
					return 1;
				}
				total[d] += payload.len;
			}
		}
		printf("%-6d %8zu %8zu (%3.0f%%) %8zu (%3.0f%%) %6zu %10zu %10zu\n", wb, json,
		    total[0], 100.0 * (double)total[0] / (double)json, total[1],
		    100.0 * (double)total[1] / (double)json, dlen, (size_t)1 << wb, mem.peak);
	}
	printf("zlib RAM: the most zlib's inflate allocated at once (its state and the window), "
	    "counted through zalloc\n");
	buf_free(&payload);
	for (i = 0; i < b.n; i++)
		free(b.json[i]);
	return 0;
}
