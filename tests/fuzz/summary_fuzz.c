/*
 * summary_fuzz — libFuzzer target for the summariser and the tagger
 * (daemon/article.c, summary.c, tags.c, lang.c).
 *
 * The input's first byte picks a language and a budget, its first line is
 * the headline, lines starting "#" are feed categories, the rest is the
 * story. It checks the promises of summary.h and tags.h: the summary is
 * valid UTF-8 within its budget in characters and bytes, the same on a
 * second run of a reused reader; the tags are valid UTF-8, non-empty,
 * within TAGS_MAX_LEN, no more than asked for and never twice
 * (case-insensitively for ASCII), those of tags_make() and of the
 * baseline tags_frequent() alike.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "newsdigest/article.h"
#include "newsdigest/buf.h"
#include "newsdigest/lang.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"
#include "newsdigest/text.h"

#define SUMMARY_FUZZ_CATS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const summary_fuzz_langs[] = {
	"en", "de", "fr", "ru", "xx", "it", "es", "pt",
};
static struct lang_guesser *summary_fuzz_guesser;	/* made once, like the readers */
static struct article *summary_fuzz_readers[sizeof summary_fuzz_langs /
    sizeof summary_fuzz_langs[0]];

/* Return 1 when a and b are equal ignoring ASCII case. */
static int
summary_fuzz_same(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Check the tags against tags.h. */
static void
summary_fuzz_check_tags(const struct tags *t, size_t max)
{
	size_t i, j, n;

	assert(t->n <= max);
	for (i = 0; i < t->n; i++) {
		n = strlen(t->tag[i]);
		assert(n > 0 && n <= TAGS_MAX_LEN);
		assert(text_utf8_valid(t->tag[i], n));
		for (j = 0; j < i; j++)
			assert(!summary_fuzz_same(t->tag[i], t->tag[j]));
	}
}

/* Read one article, summarise and tag it twice, check both. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *cats[SUMMARY_FUZZ_CATS], *in, *title, *p, *end;
	size_t chars, bytes, ntags, ncat = 0, tlen, pick, len;
	struct article *a;
	struct buf b, again;
	struct tags t, t2;
	char text[65536];

	if (size < 2)
		return 0;
	pick = data[0] % (sizeof summary_fuzz_langs / sizeof summary_fuzz_langs[0]);
	chars = (size_t)(data[1] % 64) * 5;
	bytes = data[1] & 0x40 ? chars : 0;
	ntags = data[0] >> 4;
	in = (const char *)data + 2;
	size -= 2;
	/* The reader takes valid UTF-8 plain text, as the feed parser gives it. */
	if (size >= sizeof text || !text_utf8_valid(in, size))
		return 0;
	/* A guess is one of the languages we have stop words for, LANG_UNKNOWN or none. */
	if (summary_fuzz_guesser == NULL) {
		summary_fuzz_guesser = lang_guesser_new();
		assert(summary_fuzz_guesser != NULL);
	}
	if ((p = lang_guess(summary_fuzz_guesser, in, size)) != NULL)
		assert((strlen(p) == 2 || strcmp(p, LANG_UNKNOWN) == 0) &&
		    lang_choose("auto", "", p) == p);
	if ((a = summary_fuzz_readers[pick]) == NULL) {
		a = summary_fuzz_readers[pick] = article_new(summary_fuzz_langs[pick]);
		assert(a != NULL);
	}
	end = in + size;
	title = in;
	p = memchr(in, '\n', size);
	tlen = p != NULL ? (size_t)(p - in) : size;
	p = p != NULL ? p + 1 : end;
	/* Category lines, NUL-terminated in a copy; the rest is the story. */
	len = 0;
	while (p < end && *p == '#' && ncat < SUMMARY_FUZZ_CATS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (nl != NULL ? (size_t)(nl - p) : (size_t)(end - p)) - 1;

		memcpy(text + len, p + 1, n);
		text[len + n] = '\0';
		if (text_utf8_valid(text + len, n))
			cats[ncat++] = text + len;
		len += n + 1;
		p = nl != NULL ? nl + 1 : end;
	}
	buf_init(&b, 0);
	buf_init(&again, 0);
	article_read(a, title, tlen, p, (size_t)(end - p));
	assert(summary_make(&b, a, chars, bytes) == 0);
	assert(text_utf8_valid(b.data != NULL ? b.data : "", b.len));
	assert(text_utf8_chars(buf_str(&b), b.len) <= chars);
	assert(bytes == 0 || b.len <= bytes);
	tags_make(&t, ntags, cats, ncat, a);
	summary_fuzz_check_tags(&t, ntags);
	tags_frequent(&t2, ntags, a);
	summary_fuzz_check_tags(&t2, ntags);
	/* Same input, same output: the reader keeps nothing between calls. */
	article_read(a, title, tlen, p, (size_t)(end - p));
	assert(summary_make(&again, a, chars, bytes) == 0);
	assert(b.len == again.len && (b.len == 0 || memcmp(b.data, again.data, b.len) == 0));
	tags_make(&t2, ntags, cats, ncat, a);
	assert(t.n == t2.n);
	for (pick = 0; pick < t.n; pick++)
		assert(strcmp(t.tag[pick], t2.tag[pick]) == 0);
	buf_free(&b);
	buf_free(&again);
	return 0;
}
