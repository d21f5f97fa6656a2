/* tags — categories, or the capitalised names an article repeats. */
#include <string.h>

#include "newsdigest/tags.h"
#include "newsdigest/text.h"

#define TAGS_CANDIDATES 64

struct tags_cand {
	const char *s;
	size_t len;
	unsigned count;
	size_t first;		/* position of the first occurrence */
	int words;
};

/* Words that are capitalised only because they start a sentence or are
 * too common to tag. */
static const char *const tags_stop[] = {
	"A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They",
	"We", "I", "You", "But", "And", "Or", "In", "On", "At", "For", "By", "With", "As",
	"From", "To", "Of", "If", "When", "While", "After", "Before", "Since", "Mr", "Mrs",
	"Ms", "Dr", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December", "Read", "More", "Photo", "Here",
	"There", "What", "Why", "How", "Who", "Our", "His", "Her", "Their", "One", "Two",
	"New", "Last", "Next", "Some", "Many", "Most", "All", "According", "Meanwhile",
	"However", "Also", "So", "Not", "No", "Yes", "Now", "Then", "OK",
};

/* Return 1 when c is an ASCII letter or a UTF-8 byte (letters of other scripts). */
static int
tags_wordchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c >= 0x80 || c == '-' || c == '\'';
}

/* Return 1 when the word is a stop word. */
static int
tags_is_stop(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof tags_stop / sizeof tags_stop[0]; i++)
		if (strlen(tags_stop[i]) == len && memcmp(tags_stop[i], w, len) == 0)
			return 1;
	return 0;
}

/* Return 1 when the word starts with a capital (ASCII, or Latin-1/Extended). */
static int
tags_capital(const char *w, size_t len)
{
	uint32_t cp;

	if (w[0] >= 'A' && w[0] <= 'Z')
		return 1;
	text_utf8_next(w, len, &cp);
	return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
	    (cp >= 0x100 && cp <= 0x17F && (cp & 1) == 0);
}

/* Return 1 when the word is an acronym: two to six capitals. */
static int
tags_acronym(const char *w, size_t len)
{
	size_t i;

	if (len < 2 || len > 6)
		return 0;
	for (i = 0; i < len; i++)
		if (w[i] < 'A' || w[i] > 'Z')
			return 0;
	return 1;
}

/* Return 1 when a and b are equal ignoring ASCII case. */
static int
tags_same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Add a tag unless t is full, it is empty or a repeat. */
static void
tags_add(struct tags *t, size_t max, const char *s, size_t len)
{
	size_t i, n = 0;
	uint32_t cp;

	if (t->n >= max || len == 0)
		return;
	/* Cut on a code point boundary. */
	while (n < len) {
		size_t step = text_utf8_next(s + n, len - n, &cp);
		if (n + step > TAGS_MAX_LEN)
			break;
		n += step;
	}
	for (i = 0; i < t->n; i++)
		if (tags_same(t->tag[i], strlen(t->tag[i]), s, n))
			return;
	memcpy(t->tag[t->n], s, n);
	t->tag[t->n][n] = '\0';
	t->n++;
}

/* Count a name candidate. */
static size_t
tags_count(struct tags_cand *c, size_t nc, const char *s, size_t len, size_t pos, int words)
{
	size_t i;

	for (i = 0; i < nc; i++) {
		if (tags_same(c[i].s, c[i].len, s, len)) {
			c[i].count++;
			return nc;
		}
	}
	if (nc == TAGS_CANDIDATES)
		return nc;
	c[nc].s = s;
	c[nc].len = len;
	c[nc].count = 1;
	c[nc].first = pos;
	c[nc].words = words;
	return nc + 1;
}

/* Find runs of capitalised words and acronyms in s; count them in c. */
static size_t
tags_scan(struct tags_cand *c, size_t nc, const char *s, size_t len, size_t base)
{
	size_t i = 0, run_start = 0, run_end = 0, wstart, wlen;
	int words = 0;

	while (i <= len) {
		while (i < len && !tags_wordchar((unsigned char)s[i]))
			i++;
		wstart = i;
		while (i < len && tags_wordchar((unsigned char)s[i]))
			i++;
		wlen = i - wstart;
		/* A run ends at punctuation other than a space, or at a plain word. */
		if (words > 0 && (wlen == 0 || wstart != run_end + 1 || s[run_end] != ' ' ||
		    !tags_capital(s + wstart, wlen) || tags_is_stop(s + wstart, wlen))) {
			if (words >= 2 || tags_acronym(s + run_start, run_end - run_start))
				nc = tags_count(c, nc, s + run_start, run_end - run_start,
				    base + run_start, words);
			words = 0;
		}
		if (wlen == 0) {
			if (i >= len)
				break;
			i++;
			continue;
		}
		if (tags_capital(s + wstart, wlen) && !tags_is_stop(s + wstart, wlen)) {
			if (words == 0)
				run_start = wstart;
			run_end = i;
			words++;
		}
	}
	return nc;
}

/* Fill t with the article's tags. */
void
tags_make(struct tags *t, size_t max, const char *const *cats, size_t ncat, const char *title,
    const char *text, size_t len)
{
	struct tags_cand c[TAGS_CANDIDATES];
	size_t nc = 0, i, j, best;

	t->n = 0;
	if (max > TAGS_MAX)
		max = TAGS_MAX;
	for (i = 0; i < ncat; i++)
		tags_add(t, max, cats[i], strlen(cats[i]));
	if (t->n > 0)
		return;
	nc = tags_scan(c, nc, title, strlen(title), 0);
	nc = tags_scan(c, nc, text, len, strlen(title) + 1);
	while (t->n < max) {
		best = nc;
		for (j = 0; j < nc; j++) {
			if (c[j].count == 0)
				continue;
			if (best == nc || c[j].count > c[best].count ||
			    (c[j].count == c[best].count && c[j].first < c[best].first))
				best = j;
		}
		if (best == nc)
			break;
		tags_add(t, max, c[best].s, c[best].len);
		c[best].count = 0;
	}
}
