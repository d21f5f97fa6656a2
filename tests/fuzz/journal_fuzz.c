/*
 * journal_fuzz — libFuzzer target for the outbox journal's loader:
 * journal_scan() over the input as a whole journal, as the outbox reads it
 * back after a crash. Each record it accepts must lie within the input,
 * decode the same at its offset, and survive an encode/decode round trip
 * field for field; the damaged bytes counted and the sound records must
 * cover the input exactly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct journal_fuzz {
	const char *data;
	size_t len;
	size_t next;		/* the offset the next record may start at */
	size_t sound;		/* bytes of sound records */
	struct buf enc;
};

/* Abort unless a and b (two decodings) say the same. */
static void
journal_fuzz_same(const struct journal_rec *a, const struct journal_rec *b)
{
	if (a->type != b->type || a->seq != b->seq)
		abort();
	if (a->type == JOURNAL_DONE) {
		if (a->reason != b->reason)
			abort();
		return;
	}
	if (a->article != b->article || a->created != b->created || a->expiry != b->expiry ||
	    a->retain != b->retain || a->encoding != b->encoding ||
	    a->feedlen != b->feedlen || a->topiclen != b->topiclen || a->len != b->len ||
	    memcmp(a->feed, b->feed, a->feedlen) != 0 ||
	    memcmp(a->topic, b->topic, a->topiclen) != 0 ||
	    (a->len > 0 && memcmp(a->payload, b->payload, a->len) != 0))
		abort();
}

/* journal: one sound record; check it every way it can be checked. */
static int
journal_fuzz_rec(void *arg, const struct journal_rec *r, size_t off, size_t size)
{
	struct journal_fuzz *f = arg;
	struct journal_rec again;

	/* In order, within the input, never overlapping. */
	if (off < f->next || size < JOURNAL_HEADER || size > f->len - off)
		abort();
	f->next = off + size;
	f->sound += size;
	if (journal_decode(f->data + off, f->len - off, &again) != size)
		abort();
	journal_fuzz_same(r, &again);
	if (r->type == JOURNAL_PUT && journal_encoding_name(r->encoding) == NULL &&
	    r->encoding != JOURNAL_ENC_NONE)
		abort();
	/* What is read back encodes to a record that reads back the same. */
	buf_reset(&f->enc);
	if (journal_encode(&f->enc, r) == -1)
		abort();
	if (journal_decode(f->enc.data, f->enc.len, &again) != f->enc.len)
		abort();
	journal_fuzz_same(r, &again);
	return 0;
}

/* Scan one input from an exactly sized copy, so that ASan sees any over-read. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_fuzz f;
	struct journal_scan st;
	size_t skipped, stretches;
	char *copy;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	memset(&f, 0, sizeof f);
	f.data = copy;
	f.len = size;
	buf_init(&f.enc, 0);
	memset(&st, 0, sizeof st);
	if (journal_scan(copy, size, 0, journal_fuzz_rec, &f, &st) != size)
		abort();
	skipped = st.skipped;
	stretches = st.stretches;
	if (f.sound + skipped != size || (skipped > 0) != (stretches > 0) ||
	    stretches > skipped)
		abort();
	/* Resync never goes backwards nor past the end. */
	if (size > 0 && (journal_resync(copy, size) == 0 || journal_resync(copy, size) > size))
		abort();
	buf_free(&f.enc);
	free(copy);
	return 0;
}
