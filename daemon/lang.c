/* lang — lower case, stop words and stems of one language. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "newsdigest/hash.h"
#include "newsdigest/lang.h"
#include "newsdigest/text.h"

#include "commonwords.h"
#include "poslex.h"
#include "stopwords.h"

#define LANG_STOP_SLOTS 2048	/* power of two, over twice the longest list */
#define LANG_COMMON_SLOTS 1024	/* power of two, over twice the common words */

struct lang {
	char code[4];
	struct sb_stemmer *stemmer;	/* NULL: no stemming */
	uint64_t stop[LANG_STOP_SLOTS];	/* hashes of the stop words; 0 = empty */
	int nstop;
	uint64_t common[LANG_COMMON_SLOTS];	/* hashes of the common words' stems */
	int ncommon;
	int en;				/* English: the part-of-speech lexicon applies */
	int capital_nouns;		/* German: a capital marks a noun */
	int elides;			/* French, Italian: l'ennui is two words */
};

struct lang_list {
	const char *code;
	const char *words;	/* each ended by a NUL; an empty one ends the list */
};

#define LANG_LIST(c, a) { c, a }

static const struct lang_list lang_lists[] = {
	LANG_LIST("en", stopwords_en), LANG_LIST("de", stopwords_de),
	LANG_LIST("fr", stopwords_fr), LANG_LIST("es", stopwords_es),
	LANG_LIST("it", stopwords_it), LANG_LIST("nl", stopwords_nl),
	LANG_LIST("pt", stopwords_pt), LANG_LIST("ru", stopwords_ru),
};
#define LANG_NLISTS (sizeof lang_lists / sizeof lang_lists[0])

/* Return the first word of a list of words each ended by a NUL; its length in *len. */
static const char *
lang_first(const char *list, size_t *len)
{
	*len = strlen(list);
	return list;
}

/* Return the word after w (*len bytes) in its list; *len is 0 at the end. */
static const char *
lang_next(const char *w, size_t *len)
{
	w += *len + 1;
	*len = strlen(w);
	return w;
}

/* Hash a word for the stop table; never 0, which marks an empty slot. */
static uint64_t
lang_hash(const char *w, size_t len)
{
	uint64_t h = hash_fnv1a(HASH_FNV_OFFSET, w, len);

	return h != 0 ? h : 1;
}

/* Add a word (len bytes) to a table of slots (a power of two); count it in *n. */
static void
lang_add(uint64_t *table, size_t slots, int *n, const char *w, size_t len)
{
	uint64_t h = lang_hash(w, len);
	size_t i = (size_t)h & (slots - 1);

	while (table[i] != 0) {
		if (table[i] == h)
			return;
		i = (i + 1) & (slots - 1);
	}
	table[i] = h;
	(*n)++;
}

/* Return 1 when a word (len bytes) is in a table of slots. */
static int
lang_find(const uint64_t *table, size_t slots, int n, const char *w, size_t len)
{
	uint64_t h;
	size_t i;

	if (n == 0)
		return 0;
	h = lang_hash(w, len);
	for (i = (size_t)h & (slots - 1); table[i] != 0; i = (i + 1) & (slots - 1))
		if (table[i] == h)
			return 1;
	return 0;
}

/* Make the word tools for a language. */
struct lang *
lang_new(const char *code)
{
	struct lang *l;
	const char *w, *st;
	size_t i, n, sl;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return NULL;
	if (code == NULL || *code == '\0')
		code = "en";
	/* "en-GB", "pt_BR": the language is the first two letters. */
	for (i = 0; i < 3 && code[i] != '\0' && code[i] != '-' && code[i] != '_'; i++)
		l->code[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	l->code[i] = '\0';
	l->stemmer = sb_stemmer_new(l->code, "UTF_8");
	for (i = 0; i < LANG_NLISTS; i++) {
		if (strcmp(lang_lists[i].code, l->code) != 0)
			continue;
		for (w = lang_first(lang_lists[i].words, &n); n > 0; w = lang_next(w, &n))
			lang_add(l->stop, LANG_STOP_SLOTS, &l->nstop, w, n);
	}
	/* Asked of every word: said once here, not compared each time. */
	l->en = strcmp(l->code, "en") == 0;
	l->capital_nouns = strcmp(l->code, "de") == 0;
	l->elides = strcmp(l->code, "fr") == 0 || strcmp(l->code, "it") == 0;
	/* The common words, by stem: English only for now. */
	if (l->en)
		for (w = lang_first(commonwords_en, &n); n > 0; w = lang_next(w, &n)) {
			st = lang_stem(l, w, n, &sl);
			lang_add(l->common, LANG_COMMON_SLOTS, &l->ncommon, st, sl);
		}
	return l;
}

/* Free the word tools. */
void
lang_free(struct lang *l)
{
	if (l == NULL)
		return;
	if (l->stemmer != NULL)
		sb_stemmer_delete(l->stemmer);
	free(l);
}

/* Return the language code. */
const char *
lang_code(const struct lang *l)
{
	return l->code;
}

/* Return the lower-case form of a code point of Latin, Greek or Cyrillic. */
uint32_t
lang_lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp < 0xC0)
		return cp;
	if (cp <= 0xDE)
		return cp == 0xD7 ? cp : cp + 32;
	if (cp >= 0x100 && cp <= 0x17F) {
		/* Pairs upper/lower, shifted by one in two runs. */
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
			return (cp & 1) ? cp + 1 : cp;
		if (cp == 0x130 || cp == 0x138 || cp == 0x149 || cp == 0x178 || cp == 0x17F)
			return cp == 0x178 ? 0xFF : cp == 0x130 ? 'i' : cp;
		return (cp & 1) ? cp : cp + 1;
	}
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

/* Lower-case a word into out. */
size_t
lang_lower(char *out, size_t cap, const char *word, size_t len)
{
	size_t i = 0, o = 0, step;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)word[i] < 0x80) {
			if (o + 2 > cap)
				return 0;
			cp = (unsigned char)word[i++];
			out[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			continue;
		}
		step = text_utf8_next(word + i, len - i, &cp);
		i += step;
		/* The typographic apostrophe is the apostrophe: aujourd’hui, don’t. */
		if (cp == 0x2019) {
			if (o + 2 > cap)
				return 0;
			out[o++] = '\'';
			continue;
		}
		cp = lang_lower_cp(cp);
		step = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (o + step + 1 > cap)
			return 0;
		if (step == 2) {
			out[o++] = (char)(0xC0 | (cp >> 6));
		} else if (step == 3) {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (cp >> 18));
			out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		}
		out[o++] = (char)(0x80 | (cp & 0x3F));
	}
	out[o] = '\0';
	return o;
}

/* Tell whether a lower-case word is a stop word. */
int
lang_stop(const struct lang *l, const char *lower, size_t len)
{
	return lang_find(l->stop, LANG_STOP_SLOTS, l->nstop, lower, len);
}

/* Tell whether l has a list of stop words. */
int
lang_has_stops(const struct lang *l)
{
	return l->nstop > 0;
}

/* Tell whether a stem is a common word's. */
int
lang_common(const struct lang *l, const char *stem, size_t len)
{
	return lang_find(l->common, LANG_COMMON_SLOTS, l->ncommon, stem, len);
}

#define LANG_GUESS_SLOTS 4096	/* power of two, over twice all the lists */
#define LANG_GUESS_WORDS 200	/* words of a text read to guess its language */
#define LANG_GUESS_OTHER 40	/* words that tell a language we have no list for */

/* Every list's stop words, for a guess: which lists a word is on. */
struct lang_guesser {
	uint64_t key[LANG_GUESS_SLOTS];	/* lang_hash(); 0 = empty */
	uint8_t lists[LANG_GUESS_SLOTS];	/* bit i: on lang_lists[i] */
};

/* Return the slot of word hash h in t: its own, or the empty one it would take. */
static size_t
lang_guess_slot(const struct lang_guesser *t, uint64_t h)
{
	size_t i = (size_t)h & (LANG_GUESS_SLOTS - 1);

	while (t->key[i] != 0 && t->key[i] != h)
		i = (i + 1) & (LANG_GUESS_SLOTS - 1);
	return i;
}

/* Return 1 when byte c is part of a word: an ASCII letter or a byte of a non-ASCII letter. */
static int
lang_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Make the table of every list's stop words that lang_guess() reads. */
struct lang_guesser *
lang_guesser_new(void)
{
	struct lang_guesser *t;
	const char *w;
	size_t i, k, n;
	uint64_t h;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	for (i = 0; i < LANG_NLISTS; i++)
		for (w = lang_first(lang_lists[i].words, &n); n > 0; w = lang_next(w, &n)) {
			h = lang_hash(w, n);
			k = lang_guess_slot(t, h);
			t->key[k] = h;
			t->lists[k] |= (uint8_t)(1u << i);
		}
	return t;
}

/* Free g; lang_guesser_free(NULL) does nothing. */
void
lang_guesser_free(struct lang_guesser *g)
{
	free(g);
}

/* Guess the language of a text from its stop words. */
const char *
lang_guess(const struct lang_guesser *t, const char *text, size_t len)
{
	char lower[LANG_WORD_MAX];
	size_t i, j, k, n, words = 0, hits[LANG_NLISTS] = { 0 }, best = 0, second = 0;
	unsigned lists;

	for (i = 0; i < len && words < LANG_GUESS_WORDS; i = j) {
		while (i < len && !lang_word_byte((unsigned char)text[i]))
			i++;
		for (j = i; j < len && lang_word_byte((unsigned char)text[j]); j++)
			;
		if (j == i || (n = lang_lower(lower, sizeof lower, text + i, j - i)) == 0)
			continue;
		words++;
		k = lang_guess_slot(t, lang_hash(lower, n));
		lists = t->key[k] != 0 ? t->lists[k] : 0;
		for (n = 0; lists != 0; lists >>= 1, n++)
			hits[n] += lists & 1;
	}
	for (i = 1; i < LANG_NLISTS; i++)
		if (hits[i] > hits[best])
			best = i;
	for (i = 0; i < LANG_NLISTS; i++)
		if (i != best && hits[i] > second)
			second = hits[i];
	/* Words enough, and not a tenth on any list: a language we have no list for. */
	if (words >= LANG_GUESS_OTHER && hits[best] * 10 < words)
		return LANG_UNKNOWN;
	if (hits[best] < 8 || hits[best] * 10 < words || hits[best] * 2 < second * 3)
		return NULL;
	return lang_lists[best].code;
}

/* Choose a feed's language: the config's, or its text's, or the feed's own, or English. */
const char *
lang_choose(const char *configured, const char *declared, const char *guessed)
{
	if (configured != NULL && strcmp(configured, "auto") != 0)
		return configured;
	if (declared == NULL || *declared == '\0')
		return guessed != NULL ? guessed : "en";
	/*
	 * The declared code, region and all, when the text agrees or says
	 * nothing, or is in none of our languages: "pl" names it better.
	 */
	if (guessed == NULL || strcmp(guessed, LANG_UNKNOWN) == 0 ||
	    (strncmp(declared, guessed, 2) == 0 &&
	    (declared[2] == '\0' || declared[2] == '-' || declared[2] == '_')))
		return declared;
	return guessed;
}

/* Tell whether l writes an article or a pronoun elided before a vowel: l'ennui. */
int
lang_elides(const struct lang *l)
{
	return l->elides;
}

/* Tell whether l capitalises its nouns. */
int
lang_capital_nouns(const struct lang *l)
{
	return l->capital_nouns;
}

/* Tell whether lang_pos() or the writing (lang_capital_nouns()) says what a word is. */
int
lang_knows_pos(const struct lang *l)
{
	return l->en || lang_capital_nouns(l);
}

/*
 * Endings no noun has, in languages we have no lexicon for: a verb form or
 * an adverb, at min characters or more. Only the safe ones: French
 * -amment is an adverb, -ement also a noun (gouvernement); Spanish -ando
 * a gerund from eight letters, comando a noun.
 */
static const struct lang_suffix {
	const char *code, *end;
	size_t min;
} lang_suffixes[] = {
	/* Imperfect, conditional and past plurals; adverbs of -ant, -ent. */
	{ "fr", "aient", 6 }, { "fr", "èrent", 6 }, { "fr", "amment", 7 },
	{ "fr", "emment", 7 },
	/* Adverbs in -mente; preterite and imperfect plurals; gerunds. */
	{ "es", "mente", 8 }, { "es", "aron", 6 }, { "es", "ieron", 6 }, { "es", "aban", 6 },
	{ "es", "ando", 8 }, { "es", "iendo", 7 },
	{ "pt", "mente", 8 }, { "pt", "aram", 6 }, { "pt", "eram", 6 }, { "pt", "iram", 6 },
	{ "pt", "avam", 6 }, { "pt", "ando", 8 },
	{ "it", "mente", 8 }, { "it", "arono", 7 }, { "it", "erono", 7 }, { "it", "irono", 7 },
	{ "it", "avano", 7 }, { "it", "evano", 7 }, { "it", "ando", 8 },
	/*
	 * Reflexive verbs and their participles (-ся); present tense of -ать,
	 * -ять, -овать verbs; adverbs of adjectives (изначально, постепенно,
	 * практически).
	 */
	{ "ru", "ся", 4 }, { "ru", "лась", 5 }, { "ru", "лись", 5 }, { "ru", "ает", 5 },
	{ "ru", "яет", 5 }, { "ru", "ует", 5 }, { "ru", "ают", 5 }, { "ru", "яют", 5 },
	{ "ru", "уют", 5 }, { "ru", "ально", 7 }, { "ru", "ельно", 7 }, { "ru", "енно", 7 },
	{ "ru", "ически", 8 },
};

/* Tell whether a lower-case word has an ending of lang_suffixes[] for l. */
static int
lang_suffix_other(const struct lang *l, const char *lower, size_t len)
{
	size_t i, n;

	for (i = 0; i < sizeof lang_suffixes / sizeof lang_suffixes[0]; i++) {
		const struct lang_suffix *x = &lang_suffixes[i];

		if (strcmp(x->code, l->code) != 0)
			continue;
		n = strlen(x->end);
		if (len > n && memcmp(lower + len - n, x->end, n) == 0 &&
		    text_utf8_chars(lower, len) >= x->min)
			return 1;
	}
	return 0;
}

/*
 * Look a lower-case English word up in the lexicon made from WordNet at
 * build time (daemon/poslex.py): its class, or -1 when it is not listed.
 */
static int
lang_lexicon(const char *lower, size_t len)
{
	uint64_t h64 = hash_fnv1a(HASH_FNV_OFFSET, lower, len);
	uint32_t h, b, key;
	size_t i;

	/* MurmurHash3's finaliser: FNV's last byte barely reaches the top bits. */
	h64 ^= h64 >> 33;
	h64 *= 0xff51afd7ed558ccdULL;
	h64 ^= h64 >> 33;
	h64 *= 0xc4ceb9fe1a85ec53ULL;
	h64 ^= h64 >> 33;
	h = (uint32_t)(h64 >> 32);

	/*
	 * The bucket of the hash's top bits holds the next KEY_BITS of each
	 * form's hash, sorted, over its class: a form not listed matches one
	 * that is about once in 2^KEY_BITS / (forms a bucket) lookups.
	 */
	b = h >> (32 - POSLEX_BUCKET_BITS);
	key = (h >> (32 - POSLEX_BUCKET_BITS - POSLEX_KEY_BITS)) & ((1u << POSLEX_KEY_BITS) - 1);
	for (i = poslex_en_at[b]; i < poslex_en_at[b + 1] && (unsigned)(poslex_en[i] >> 2) <= key;
	    i++)
		if ((unsigned)(poslex_en[i] >> 2) == key)
			return poslex_en[i] & 3;
	return -1;
}

/*
 * Tell what a lower-case word is most often: the lexicon lists the forms
 * that are seldom nouns, and the forms its suffix rule (-ed, -ly: not a
 * noun) would get wrong.
 */
int
lang_pos(const struct lang *l, const char *lower, size_t len)
{
	int pos;

	if (!l->en)
		return lang_suffix_other(l, lower, len) ? LANG_OTHER : LANG_NOUN;
	if ((pos = lang_lexicon(lower, len)) >= 0)
		return pos;
	if (len > 4 && ((lower[len - 2] == 'e' && lower[len - 1] == 'd') ||
	    (lower[len - 2] == 'l' && lower[len - 1] == 'y')))
		return LANG_OTHER;
	return LANG_NOUN;
}

/* Tell whether l has the lexicon: English, in a build that had WordNet. */
int
lang_has_lexicon(const struct lang *l)
{
	return l->en && POSLEX_N > 0;
}

/*
 * Tell whether the lexicon lists a lower-case word as a common noun. It
 * lists them in the singular: a plural is looked up without its -s, -es
 * or -ies (dealers, boxes, companies), unless the lexicon has the form
 * itself as something else.
 */
int
lang_common_noun(const struct lang *l, const char *lower, size_t len)
{
	char base[LANG_WORD_MAX];
	int pos;

	if (!l->en)
		return 0;
	if ((pos = lang_lexicon(lower, len)) >= 0)
		return pos == LANG_NOUN;
	if (len < 3 || len > sizeof base || lower[len - 1] != 's' || lower[len - 2] == 's')
		return 0;
	if (lang_lexicon(lower, len - 1) == LANG_NOUN)
		return 1;
	if (len > 3 && lower[len - 2] == 'e' && lang_lexicon(lower, len - 2) == LANG_NOUN)
		return 1;
	if (len > 4 && memcmp(lower + len - 3, "ies", 3) == 0) {
		memcpy(base, lower, len - 3);
		base[len - 3] = 'y';
		return lang_lexicon(base, len - 2) == LANG_NOUN;
	}
	return 0;
}

/* Stem a lower-case word. */
const char *
lang_stem(struct lang *l, const char *lower, size_t len, size_t *stemlen)
{
	const sb_symbol *s;

	if (l->stemmer == NULL ||
	    (s = sb_stemmer_stem(l->stemmer, (const sb_symbol *)lower, (int)len)) == NULL) {
		*stemlen = len;
		return lower;
	}
	*stemlen = (size_t)sb_stemmer_length(l->stemmer);
	return (const char *)s;
}
