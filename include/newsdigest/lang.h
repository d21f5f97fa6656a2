/*
 * lang — the words of one language: lower case, stop words and stems.
 *
 * Pure core: no I/O and no globals. Stemming is Snowball's (libstemmer),
 * stop words are our short lists (daemon/stopwords.h) for en, de, fr, es,
 * it, nl, pt and ru; common words (a prior for the tagger) for en. A language libstemmer knows but we have no list for
 * is stemmed without stop words; an unknown one is only lower-cased.
 */
#ifndef NEWSDIGEST_LANG_H
#define NEWSDIGEST_LANG_H

#include <stddef.h>
#include <stdint.h>

#define LANG_WORD_MAX 64	/* bytes of a word we lower-case and stem */

struct lang;

/*
 * Make the word tools for a language code ("en", "de", ... or a region
 * form "en-GB"; NULL or "" is English). Returns NULL when out of memory.
 * Caller frees with lang_free().
 */
struct lang *lang_new(const char *code);
/* Every list's stop words, the table lang_guess() reads. */
struct lang_guesser;
/*
 * Make the table for lang_guess(): some 36 KiB, built from every list.
 * Returns NULL when out of memory. Caller frees with lang_guesser_free().
 */
struct lang_guesser *lang_guesser_new(void);
/* Free g; lang_guesser_free(NULL) does nothing. */
void lang_guesser_free(struct lang_guesser *g);
/*
 * Guess with g the language text (len bytes of UTF-8) is written in,
 * among those we have stop words for (en, de, fr, es, it, nl, pt, ru):
 * the one whose stop words make up its first 200 words, when they say so clearly (8
 * stop words or more, a tenth of the words, half again as many as any
 * other language's). When 40 words or more have under a tenth on any
 * list, the language is one we have none for (Polish, Urdu): returns
 * LANG_UNKNOWN. Else its code, or NULL when unclear.
 */
const char *lang_guess(const struct lang_guesser *g, const char *text, size_t len);

/* ISO 639-2 "undetermined": no stop words of ours, no stemmer. */
#define LANG_UNKNOWN "und"
/*
 * The language to read a feed in: configured, unless that is "auto" (or
 * NULL); then the one its text is written in (guessed, from
 * lang_guess(), or NULL), keeping the region the feed declares (declared:
 * "pt-BR"; NULL or "" for none) when they agree or the text's is
 * LANG_UNKNOWN; else the text's; else English. Returns one of its
 * arguments or a code it owns.
 */
const char *lang_choose(const char *configured, const char *declared, const char *guessed);
/* Free l; lang_free(NULL) does nothing. */
void lang_free(struct lang *l);
/* Return the two-letter code l was made for (borrowed). */
const char *lang_code(const struct lang *l);

/* Return the lower-case form of a code point (Latin, Greek, Cyrillic), else cp. */
uint32_t lang_lower_cp(uint32_t cp);

/*
 * Write word (len bytes of valid UTF-8) lower-cased into out (cap bytes,
 * NUL-terminated) for the scripts whose case we know (Latin, Greek,
 * Cyrillic), with ’ as '. Returns the bytes written, or 0 when it does
 * not fit.
 */
size_t lang_lower(char *out, size_t cap, const char *word, size_t len);

/* Return 1 when the lower-case word (len bytes) is a stop word of l. */
int lang_stop(const struct lang *l, const char *lower, size_t len);

/* Return 1 when l has a list of stop words (en, de, fr, es, it, nl, pt, ru). */
int lang_has_stops(const struct lang *l);

/*
 * Return 1 when a stem (len bytes, from lang_stem()) is a word so common
 * in general text that it names no topic alone (daemon/commonwords.h:
 * English only for now).
 */
int lang_common(const struct lang *l, const char *stem, size_t len);

/* What a word is most often (lang_pos()); a name or an unknown word is a noun. */
#define LANG_NOUN 0
#define LANG_ADJ 1	/* an adjective: it may precede a noun */
#define LANG_OTHER 2	/* never a noun: a verb form (said, announced), an adverb */
#define LANG_VERB 3	/* a verb more often, but a noun too (talks, deal, spill) */

/*
 * Return what the lower-case word (len bytes) is most often in English:
 * LANG_NOUN, LANG_ADJ, LANG_OTHER or LANG_VERB, from a lexicon made from
 * WordNet at build time (daemon/poslex.py) and, for the forms it does not
 * list, suffix rules (-ed and -ly: LANG_OTHER). French, Spanish,
 * Portuguese, Italian and Russian: LANG_OTHER on endings only verb forms
 * and adverbs have (-aient, -mente, -aron, -ся, -ально), else LANG_NOUN.
 * Other languages: LANG_NOUN.
 */
int lang_pos(const struct lang *l, const char *lower, size_t len);

/* Return 1 when l has a part-of-speech lexicon (English, when the build had WordNet). */
int lang_has_lexicon(const struct lang *l);

/*
 * Return 1 when the lower-case word (len bytes) is a common noun in l, as
 * the lexicon lists them (English, when the build had WordNet: dealer,
 * shares, bush; not Washington): a capital at a sentence's start then
 * makes it no name. 0 for any other word, and in other languages.
 */
int lang_common_noun(const struct lang *l, const char *lower, size_t len);

/*
 * Return 1 when l writes every noun with a capital (German): there a word
 * written in lower case is no noun, whatever lang_pos() says.
 */
int lang_capital_nouns(const struct lang *l);

/*
 * Return 1 when l elides an article or a pronoun before a vowel (French,
 * Italian: l'ennui, dell'anno), which is then a word of its own.
 */
int lang_elides(const struct lang *l);

/*
 * Tell whether a word's part of speech is known in l: from the lexicon
 * (lang_pos()) or from the writing (lang_capital_nouns()).
 */
int lang_knows_pos(const struct lang *l);

/*
 * Return the stem of a lower-case word and store its length in *stemlen.
 * The result is borrowed: valid until the next call on l. Words without
 * a stemmer come back as they are.
 */
const char *lang_stem(struct lang *l, const char *lower, size_t len, size_t *stemlen);

#endif
