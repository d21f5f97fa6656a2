/*
 * text_fuzz — libFuzzer target for daemon/text.c.
 *
 * Runs every text function on the input and checks the promises of
 * text.h: valid UTF-8, no control characters, white space collapsed and
 * trimmed, cuts within their budget, ASCII folding printable.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "newsdigest/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check normalised text: valid UTF-8, trimmed, no controls, single separators. */
static void
text_fuzz_check_norm(const struct buf *b, int paragraphs)
{
	const unsigned char *s = (const unsigned char *)buf_str(b);
	size_t i, n = b->len;

	assert(!buf_failed(b));
	assert(text_utf8_valid((const char *)s, n));
	if (n == 0)
		return;
	assert(s[0] != ' ' && s[0] != '\n');
	assert(s[n - 1] != ' ' && s[n - 1] != '\n');
	for (i = 0; i < n; i++) {
		assert(s[i] >= 0x20 || s[i] == '\n');
		assert(s[i] != 0x7f);
		if (s[i] == '\n')
			assert(paragraphs);
		if (s[i] == ' ' || s[i] == '\n')
			assert(s[i + 1] != ' ' && s[i + 1] != '\n');
		/* No C1 controls, soft hyphens, Unicode spaces, zero-width spaces or BOMs. */
		if (s[i] == 0xc2)
			assert(s[i + 1] > 0xa0 && s[i + 1] != 0xad);
		if (s[i] == 0xe1 && s[i + 1] == 0x9a)
			assert(s[i + 2] != 0x80);
		if (s[i] == 0xe2 && s[i + 1] == 0x80)
			assert(s[i + 2] > 0x8b && s[i + 2] != 0xa8 && s[i + 2] != 0xa9 &&
			    s[i + 2] != 0xaf);
		if (s[i] == 0xe2 && s[i + 1] == 0x81)
			assert(s[i + 2] != 0x9f && s[i + 2] != 0xa0);
		if (s[i] == 0xe3 && s[i + 1] == 0x80)
			assert(s[i + 2] != 0x80);
		if (s[i] == 0xef && s[i + 1] == 0xbb)
			assert(s[i + 2] != 0xbf);
	}
}

/* Check that b holds printable ASCII and '\n' only. */
static void
text_fuzz_check_ascii(const struct buf *b)
{
	size_t i;

	assert(!buf_failed(b));
	for (i = 0; i < b->len; i++)
		assert((b->data[i] >= 0x20 && b->data[i] < 0x7f) || b->data[i] == '\n');
}

/* Run the text functions on one input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct buf b, c;
	size_t max;
	int r;

	if (size == 0)
		return 0;
	max = data[0];
	buf_init(&b, 0);
	buf_init(&c, 0);

	assert(text_from_html(&b, in, size, 0) == 0);
	text_fuzz_check_norm(&b, 0);
	buf_reset(&b);
	assert(text_from_html(&b, in, size, TEXT_PARAGRAPHS) == 0);
	text_fuzz_check_norm(&b, 1);

	buf_reset(&b);
	assert(text_clean(&b, in, size, 0) == 0);
	text_fuzz_check_norm(&b, 0);
	buf_reset(&b);
	assert(text_clean(&b, in, size, TEXT_PARAGRAPHS) == 0);
	text_fuzz_check_norm(&b, 1);

	/* text_cut wants valid UTF-8: give it the cleaned text. */
	r = text_cut(&c, b.data, b.len, max);
	assert(r == (text_utf8_chars(b.data, b.len) > max ? 1 : 0));
	assert(text_utf8_valid(c.data, c.len));
	assert(text_utf8_chars(c.data, c.len) <= max);
	if (r == 0)
		assert(c.len == b.len && (b.len == 0 || memcmp(c.data, b.data, b.len) == 0));

	buf_reset(&c);
	assert(text_ascii_fold(&c, b.data, b.len) == 0);
	text_fuzz_check_ascii(&c);

	/* Out of contract, but it must still be memory-safe. */
	buf_reset(&c);
	(void)text_cut(&c, in, size, max);
	buf_reset(&c);
	assert(text_ascii_fold(&c, in, size) == 0);
	text_fuzz_check_ascii(&c);

	buf_free(&b);
	buf_free(&c);
	return 0;
}
