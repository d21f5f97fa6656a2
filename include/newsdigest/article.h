/*
 * article — an article read once for the summariser and the tagger: its
 * sentences, its words with their stems, and counts of every term.
 *
 * Pure core: no I/O, no globals. An article object is made once (per feed,
 * per tool) and reused: article_read() allocates nothing, so memory per
 * article is bounded by ARTICLE_MAX_WORDS and ARTICLE_MAX_SENTENCES and
 * what lies beyond them in a long text is not read. The structure is
 * plain data that summary.c and tags.c read; only article.c writes it.
 */
#ifndef NEWSDIGEST_ARTICLE_H
#define NEWSDIGEST_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/lang.h"

#define ARTICLE_MAX_SENTENCES 128	/* sentences read; the rest is ignored */
#define ARTICLE_MAX_WORDS 2048		/* words read, title included */
#define ARTICLE_TITLE_WORDS 64		/* of them the title's at most: a huge one leaves room */
#define ARTICLE_TERM_SLOTS 4096		/* hash slots, a power of two */
#define ARTICLE_TITLE 0xFFFF		/* the sentence number of title words */

/* Word flags. */
#define ARTICLE_STOP	0x01	/* a stop word */
#define ARTICLE_CAP	0x02	/* starts with a capital */
#define ARTICLE_UPPER	0x04	/* all capitals, two letters or more: ECOWAS, U.S */
#define ARTICLE_NUM	0x08	/* has a digit */
#define ARTICLE_FIRST	0x10	/* the first word of its sentence */
#define ARTICLE_JOINED	0x20	/* only one space from the word before: a phrase may go on */
#define ARTICLE_POS	0xC0	/* what it is most often (lang_pos()); 0: a noun or unknown */
#define ARTICLE_ADJ	0x40	/* LANG_ADJ: an adjective */
#define ARTICLE_OTHER	0x80	/* LANG_OTHER: a verb form or an adverb, never a noun */
#define ARTICLE_VERB	0xC0	/* LANG_VERB: a verb more often, a noun too */

/* What a sentence that is not the story is (article_sentence.boiler). */
#define ARTICLE_BOILER 1	/* a label, credit, byline, address: shown if nothing else is */
#define ARTICLE_FURNITURE 2	/* "Read more", "Share this", a footer: never shown */

struct article_word {
	uint32_t off;		/* bytes into the text, or into the title */
	uint16_t len;		/* bytes, without a possessive 's */
	uint16_t sent;		/* its sentence, or ARTICLE_TITLE */
	uint32_t term;		/* index into term[] */
	uint8_t flags;
};

struct article_sentence {
	uint32_t off;		/* the span a summary may show: a dateline is left out */
	uint32_t len;
	uint32_t chars;		/* code points of that span */
	uint32_t w0, w1;	/* its words: word[w0..w1) */
	uint16_t para;		/* its paragraph */
	uint8_t boiler;		/* 0, ARTICLE_BOILER or ARTICLE_FURNITURE */
	uint8_t lower;		/* it has a lower-case word: prose, not a heading or a time stamp */
	uint8_t end;		/* ARTICLE_END_*: how a summary closes it */
	uint8_t repeat;		/* it says the headline again, little more: never shown */
};

#define ARTICLE_END_CLOSED 0	/* by its own mark: . ! ? a quote... */
#define ARTICLE_END_OPEN 1	/* on a letter or digit (a heading, a standfirst): add "." */
#define ARTICLE_END_CUT 2	/* cut by the feed ("[...]", left out of the span): add "…" */

struct article_term {
	uint32_t count;		/* occurrences in the text (not the title) */
	uint16_t sents;		/* sentences it occurs in */
	uint16_t first;		/* the first sentence it occurs in */
	uint16_t last;		/* the last sentence counted in sents */
	uint8_t title;		/* it occurs in the title */
	uint8_t stop;		/* a spelling of it is a stop word, a number or a single letter */
	uint8_t lower;		/* seen lower-case other than at a sentence start */
	uint8_t cap;		/* seen capitalised other than at a sentence start */
	uint8_t common;		/* a common word of the language (lang_common()) */
};

struct article_slot {
	uint64_t key;
	uint32_t gen;		/* the article it belongs to; older ones are empty */
	uint32_t term;
};

struct article {
	struct lang *lang;		/* owned */
	const char *title;		/* borrowed from the caller of article_read() */
	size_t tlen;
	const char *text;		/* borrowed */
	size_t len;
	struct article_sentence sent[ARTICLE_MAX_SENTENCES];
	size_t nsent;
	struct article_word word[ARTICLE_MAX_WORDS];	/* title words first */
	size_t nword;
	size_t ntitle;			/* words of the title: word[0..ntitle) */
	struct article_term term[ARTICLE_MAX_WORDS];
	size_t nterm;
	uint32_t gen;
	struct article_slot stems[ARTICLE_TERM_SLOTS];	/* stem hash -> term */
	struct article_slot forms[ARTICLE_TERM_SLOTS];	/* word as written -> term */
	uint8_t formflags[ARTICLE_TERM_SLOTS];	/* per forms[] slot: ARTICLE_POS bits, ARTICLE_STOP */
};

/*
 * Make an article reader for a language code (see lang_new()). Returns
 * NULL when out of memory. Caller frees with article_free().
 */
struct article *article_new(const char *language);
/* Free a; article_free(NULL) does nothing. */
void article_free(struct article *a);

/*
 * Read an article: title (tlen bytes) and text (len bytes), both valid
 * UTF-8 plain text, paragraphs separated by '\n'. Both stay borrowed
 * until the next article_read(). Allocates nothing.
 */
void article_read(struct article *a, const char *title, size_t tlen, const char *text,
    size_t len);

/*
 * Store in keys (at most max) the terms of the words of a phrase written
 * by someone else (a feed category), read as a's words are; a hyphenated
 * word the article does not have is read as its parts (a slug:
 * tranzycja-medyczna). Returns the number of words, or 0 when a word is
 * not a term of the article.
 */
size_t article_phrase(struct article *a, const char *s, size_t len, uint32_t *keys,
    size_t max);

/* Return the text a word is in: the title or the article's text. */
const char *article_word_text(const struct article *a, const struct article_word *w);

#endif
