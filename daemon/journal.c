/* journal — records of the durable outbox, encoded and checked. */
#include <string.h>

#include <zlib.h>

#include "newsdigest/journal.h"

static const char journal_magic[4] = { 'N', 'D', 'j', '1' };

/* Append v as n little-endian bytes. */
static void
journal_put_le(struct buf *out, uint64_t v, size_t n)
{
	unsigned char b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	buf_add(out, b, n);
}

/* Read n little-endian bytes at p. */
static uint64_t
journal_get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* CRC-32 of the type and length bytes and the body. */
static uint32_t
journal_crc(const unsigned char *typelen, const unsigned char *body, size_t len)
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, typelen, 5);
	/* Bodies are at most JOURNAL_MAX_BODY: they fit a uInt. */
	c = crc32(c, body, (uInt)len);
	return (uint32_t)c;
}

/* Encode a record. */
int
journal_encode(struct buf *out, const struct journal_rec *r)
{
	size_t start = out->len, body, blen;
	unsigned char *h;

	if (r->type == JOURNAL_PUT &&
	    (r->feedlen > 0xFFFF || r->topiclen > 0xFFFF || r->len > JOURNAL_MAX_BODY))
		return -1;
	buf_add(out, journal_magic, sizeof journal_magic);
	buf_addc(out, (char)r->type);
	journal_put_le(out, 0, 4);	/* length, then CRC: filled in below */
	journal_put_le(out, 0, 4);
	body = out->len;
	journal_put_le(out, r->seq, 8);
	if (r->type == JOURNAL_PUT) {
		journal_put_le(out, r->article, 8);
		journal_put_le(out, (uint64_t)r->created, 8);
		journal_put_le(out, r->expiry, 4);
		buf_addc(out, r->retain ? 1 : 0);
		buf_addc(out, (char)r->encoding);
		journal_put_le(out, r->feedlen, 2);
		buf_add(out, r->feed, r->feedlen);
		journal_put_le(out, r->topiclen, 2);
		buf_add(out, r->topic, r->topiclen);
		journal_put_le(out, r->len, 4);
		buf_add(out, r->payload, r->len);
	} else {
		buf_addc(out, (char)r->reason);
	}
	if (buf_failed(out))
		return -1;
	blen = out->len - body;
	if (blen > JOURNAL_MAX_BODY) {
		buf_truncate(out, start);
		return -1;
	}
	h = (unsigned char *)out->data + start;
	h[5] = (unsigned char)blen;
	h[6] = (unsigned char)(blen >> 8);
	h[7] = (unsigned char)(blen >> 16);
	h[8] = (unsigned char)(blen >> 24);
	{
		uint32_t c = journal_crc(h + 4, h + JOURNAL_HEADER, blen);

		h[9] = (unsigned char)c;
		h[10] = (unsigned char)(c >> 8);
		h[11] = (unsigned char)(c >> 16);
		h[12] = (unsigned char)(c >> 24);
	}
	return 0;
}

/*
 * Take a length-prefixed field (prefix of n bytes) at *p, not past end.
 * Returns 0, or -1 when it does not fit.
 */
static int
journal_field(const unsigned char **p, const unsigned char *end, size_t n, const char **s,
    size_t *len)
{
	if ((size_t)(end - *p) < n)
		return -1;
	*len = (size_t)journal_get_le(*p, n);
	*p += n;
	if ((size_t)(end - *p) < *len)
		return -1;
	*s = (const char *)*p;
	*p += *len;
	return 0;
}

/* Decode one record. */
size_t
journal_decode(const char *data, size_t len, struct journal_rec *r)
{
	const unsigned char *u = (const unsigned char *)data, *p, *end;
	const char *payload;
	size_t blen;

	if (len < JOURNAL_HEADER || memcmp(data, journal_magic, sizeof journal_magic) != 0)
		return 0;
	blen = (size_t)journal_get_le(u + 5, 4);
	if (blen > JOURNAL_MAX_BODY || blen > len - JOURNAL_HEADER || blen < 8)
		return 0;
	if (journal_crc(u + 4, u + JOURNAL_HEADER, blen) != (uint32_t)journal_get_le(u + 9, 4))
		return 0;
	memset(r, 0, sizeof *r);
	p = u + JOURNAL_HEADER;
	end = p + blen;
	r->seq = journal_get_le(p, 8);
	p += 8;
	switch (u[4]) {
	case JOURNAL_PUT:
		r->type = JOURNAL_PUT;
		if (end - p < 22)
			return 0;
		r->article = journal_get_le(p, 8);
		r->created = (int64_t)journal_get_le(p + 8, 8);
		r->expiry = (uint32_t)journal_get_le(p + 16, 4);
		r->retain = p[20] != 0;
		if (p[21] > JOURNAL_ENC_IDENTITY)
			return 0;
		r->encoding = (enum journal_encoding)p[21];
		p += 22;
		if (journal_field(&p, end, 2, &r->feed, &r->feedlen) == -1 ||
		    journal_field(&p, end, 2, &r->topic, &r->topiclen) == -1 ||
		    journal_field(&p, end, 4, &payload, &r->len) == -1 || r->topiclen == 0)
			return 0;
		r->payload = payload;
		break;
	case JOURNAL_DONE:
		r->type = JOURNAL_DONE;
		if (end - p < 1 || p[0] > JOURNAL_REPLACED)
			return 0;
		r->reason = (enum journal_reason)p[0];
		p++;
		break;
	default:
		return 0;
	}
	/* The body is exactly what its fields say. */
	return p == end ? JOURNAL_HEADER + blen : 0;
}

/* Find the next magic. */
size_t
journal_resync(const char *data, size_t len)
{
	const char *m;
	size_t off;

	for (off = 1; off + sizeof journal_magic <= len; off++) {
		if ((m = memchr(data + off, journal_magic[0], len - off)) == NULL)
			break;
		off = (size_t)(m - data);
		if (off + sizeof journal_magic > len)
			break;
		if (memcmp(m, journal_magic, sizeof journal_magic) == 0)
			return off;
	}
	return len;
}

/* Read the records of a piece of a journal. */
size_t
journal_scan(const char *data, size_t len, int more, journal_rec_cb cb, void *arg,
    struct journal_scan *st)
{
	struct journal_rec r;
	size_t off = 0, n, next;

	while (off < len) {
		if ((n = journal_decode(data + off, len - off, &r)) > 0) {
			if (cb(arg, &r, off, n) == -1)
				return (size_t)-1;
			off += n;
			st->skipping = 0;
			continue;
		}
		/* Maybe a record the end of the piece cut: read on with more. */
		if (more && len - off < JOURNAL_HEADER + JOURNAL_MAX_BODY)
			break;
		next = off + journal_resync(data + off, len - off);
		/* No magic in the rest: its last bytes may begin one. */
		if (more && next == len)
			next = len - (sizeof journal_magic - 1);
		st->skipped += next - off;
		/* Bytes skipped back to back are one damaged stretch. */
		if (!st->skipping)
			st->stretches++;
		st->skipping = 1;
		off = next;
	}
	return off;
}

/* Name an encoding. */
const char *
journal_encoding_name(enum journal_encoding e)
{
	switch (e) {
	case JOURNAL_ENC_ZLIB:
		return "zlib";
	case JOURNAL_ENC_IDENTITY:
		return "identity";
	default:
		return NULL;
	}
}
