/*
 * summary — sentences and the extractive summary of an article.
 *
 * Pure core: plain functions over text, no I/O, no globals. Input text is
 * what feed gives: valid UTF-8 plain text, paragraphs separated by '\n'.
 */
#ifndef NEWSDIGEST_SUMMARY_H
#define NEWSDIGEST_SUMMARY_H

#include <stddef.h>

#include "newsdigest/article.h"
#include "newsdigest/buf.h"

/* A sentence: a span of the text, without surrounding white space. */
struct summary_sentence {
	size_t off;
	size_t len;
	size_t chars;	/* code points */
	unsigned para;	/* index of the paragraph it is in */
};

/*
 * Split text into sentences, storing at most max spans in out; returns
 * the number stored. A sentence ends at '.', '!' or '?' (with closing
 * quotes and brackets after it) followed by white space and an upper-case
 * letter, digit or opening quote, or at a paragraph break — but not after
 * a known abbreviation (Mr., U.S., Jan., a.m., No.), an initial, or inside
 * a decimal number or an ellipsis followed by lower case.
 */
size_t summary_split(const char *text, size_t len, struct summary_sentence *out, size_t max);

/*
 * Tell whether the capitalised word (s, n bytes), which a dot follows, is
 * the title of a name (Sen., Dr., Jr.) or a state (Tenn.): no name itself.
 */
int summary_name_abbrev(const char *s, size_t n);

/*
 * Append to out the lead summary of text: its first whole sentences, in
 * order, at most three, as many as fit in max_chars code points (joined
 * by one space).
 * When not even the first sentence fits, it is cut on a word with "…".
 * Returns 0, or -1 when out failed.
 */
int summary_lead(struct buf *out, const char *text, size_t len, size_t max_chars);

/*
 * Append the summary of the article a has read: one to three whole
 * sentences, in article order, joined by one space, within max_chars code
 * points and max_bytes bytes (0: no byte limit). Sentences are scored on
 * position, centrality (similarity to the rest of the article), overlap
 * with the headline and coverage of the article's key terms; the set that
 * carries most within the budget, without saying a thing twice, wins.
 * Boilerplate (credits, "Read more", bylines) and datelines are left out.
 * When no whole sentence fits, the best one is cut on a word with "…".
 * Returns 0, or -1 when out failed.
 */
int summary_make(struct buf *out, const struct article *a, size_t max_chars, size_t max_bytes);

#endif
