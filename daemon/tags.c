/* tags — key phrases ranked by PositionRank, categories as evidence. */
#include <math.h>
#include <string.h>

#include "newsdigest/hash.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"
#include "newsdigest/text.h"

#define TAGS_CANDIDATES 512
#define TAGS_CATEGORIES 32	/* an item's categories, lists in one split */
#define TAGS_PHRASE 4		/* words of a name at most */
#define TAGS_CREDIT_WORDS 6	/* of a source credited after a dash (– Yahoo Finance) at most */
#define TAGS_WINDOW 6		/* phrase words that count as near each other */
#define TAGS_EDGES (ARTICLE_MAX_WORDS * (TAGS_WINDOW - 1))
#define TAGS_ITERATIONS 20
#define TAGS_DAMPING 0.85
#ifndef TAGS_POS
#define TAGS_POS 1
#endif
#ifndef TAGS_LEN_NORM
#define TAGS_LEN_NORM 0.5	/* a phrase scores its words' sum / words^NORM */
#endif
#ifndef TAGS_W_COUNT
#define TAGS_W_COUNT 0.5	/* a phrase said n times weighs 1 + this * ln n more */
#endif
#ifndef TAGS_REPEAT
#define TAGS_REPEAT 0.7		/* a word already tagged weighs this much again */
#endif
#ifndef TAGS_PHRASE_MAX
#define TAGS_PHRASE_MAX 3
#endif
#ifndef TAGS_COMMON
#define TAGS_COMMON 0.3		/* a common word weighs this much in a phrase that is no name */
#endif
#ifndef TAGS_PHRASE_PRIOR
#define TAGS_PHRASE_PRIOR 1.3	/* a phrase that is no name weighs this more than a word */
#endif
#define TAGS_HEADLINE_ONLY 0.5	/* a phrase only the headline has (Senate backs plan) */
#define TAGS_CATEGORY_OUT 0.8	/* a category the text does not mention: this share of the top */

/* What a word may be in a phrase. */
#define TAGS_NOT 0		/* nothing */
#define TAGS_WORD 1		/* a word of a phrase that is no name */
#define TAGS_NAME 2		/* a word of a name */
#define TAGS_VERBAL 3		/* more often a verb, after a noun: oil spill, tornado hit */

struct tags_cand {
	uint64_t key;
	uint32_t term[TAGS_PHRASE];
	size_t n;		/* words */
	size_t w0;		/* its best occurrence: word[w0..w0+n) */
	int shown;		/* w0 is not the first word of a sentence */
	int cap;		/* a name, as first read */
	int named;		/* a name somewhere: shown with its capitals (Biden, first in the headline) */
	int verbal;		/* a TAGS_VERBAL word in it each time: a phrase if said again */
	int body;		/* said in the story, not only in the headline */
	const char *cat;	/* a category the text does not have, or NULL */
	size_t catlen;
	unsigned count;
	double score;
};

struct tags_work {
	struct article *a;
	int title_case;		/* the headline capitalises its words (tags_title_case()) */
	int pos;		/* the words' parts of speech are known (lang_knows_pos()) */
	struct tags_cand c[TAGS_CANDIDATES];
	size_t nc;
	uint8_t kind[ARTICLE_MAX_WORDS];	/* per word: TAGS_NOT, TAGS_WORD, TAGS_NAME */
	uint8_t named[ARTICLE_MAX_WORDS];	/* per term: read as a name somewhere */
	double score[ARTICLE_MAX_WORDS];	/* per term */
	double bias[ARTICLE_MAX_WORDS];
	double next[ARTICLE_MAX_WORDS];
	double out[ARTICLE_MAX_WORDS];		/* edge weight leaving each term */
	double share[ARTICLE_MAX_WORDS];	/* what it passes along each edge */
	uint16_t edge[TAGS_EDGES][2];
	size_t nedge;
};

/* Category names that say nothing about an article. */
static const char *const tags_generic[] = {
	"news", "uncategorized", "uncategorised", "general", "top stories", "top story",
	"latest", "latest news", "home", "featured", "main", "all", "blog", "articles",
	"article", "headlines", "breaking news", "misc", "other", "stories", "default",
};

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

/*
 * Lower-case a word of a phrase that is no name, where only a sentence
 * start, a headline or a heading in capitals wrote it so: Prices, CRUDE
 * oil, Euro Zone Inflation; not one with capitals inside (BMW-brand,
 * Trump-Russia). Return where the next word starts.
 */
static char *
tags_lower_word(char *s)
{
	size_t i, n, lower = 0, inside = 0;

	for (n = 0; s[n] != '\0' && s[n] != ' '; n++) {
		lower += s[n] >= 'a' && s[n] <= 'z';
		inside += n > 0 && s[n] >= 'A' && s[n] <= 'Z';
	}
	/* All capitals: every letter; capitals inside: none; else the first. */
	for (i = 0; i < (lower == 0 ? n : inside == 0); i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] + 32);
	return s[n] == ' ' ? s + n + 1 : s + n;
}

/*
 * Add a tag unless t is full, it is empty, a repeat or longer than
 * TAGS_MAX_LEN bytes (a cut word is no tag: "пользовател"); lower-case
 * the words whose bits lower has (bit 0: the first). Returns 1 when added.
 */
static int
tags_add(struct tags *t, size_t max, const char *s, size_t len, unsigned lower)
{
	size_t i;
	char *p;

	while (len > 0 && (s[0] == ' ' || s[0] == '\n'))
		s++, len--;
	if (t->n >= max || len == 0 || len > TAGS_MAX_LEN)
		return 0;
	for (i = 0; i < t->n; i++)
		if (tags_same(t->tag[i], strlen(t->tag[i]), s, len))
			return 0;
	memcpy(t->tag[t->n], s, len);
	t->tag[t->n][len] = '\0';
	for (p = t->tag[t->n]; lower != 0 && *p != '\0'; lower >>= 1) {
		if (lower & 1)
			p = tags_lower_word(p);
		else
			p += strcspn(p, " ") + (p[strcspn(p, " ")] == ' ');
	}
	t->n++;
	return 1;
}

/* Return 1 when w has a dot inside: U.S, a.m. */
static int
tags_dotted(const struct article *a, const struct article_word *w)
{
	return memchr(article_word_text(a, w) + w->off, '.', w->len) != NULL;
}

/* Return 1 when the character c follows w at once: Sen. or the U.S.; Winner: */
static int
tags_after(const struct article *a, const struct article_word *w, char c)
{
	size_t end = w->sent == ARTICLE_TITLE ? a->tlen : a->len;

	return w->off + w->len < end && article_word_text(a, w)[w->off + w->len] == c;
}

/*
 * Return 1 when w is a clause of a script written without spaces (Chinese,
 * Japanese, Thai, Lao, Khmer, Burmese): more than six characters between
 * two marks are no word. Without a dictionary to cut them, they make no
 * tag; the feed's categories still do.
 */
static int
tags_clause(const struct article *a, const struct article_word *w)
{
	const char *s = article_word_text(a, w) + w->off;
	uint32_t cp;

	if (w->len <= 6 || (unsigned char)s[0] < 0xE0)
		return 0;
	text_utf8_next(s, w->len, &cp);
	return text_cp_unspaced(cp) && text_utf8_chars(s, w->len) > 6;
}

/* Return 1 when a word may be part of a key phrase: not a.m. or e.g. */
static int
tags_content(const struct article *a, const struct article_word *w)
{
	return !(w->flags & (ARTICLE_STOP | ARTICLE_NUM)) &&
	    ((w->flags & ARTICLE_CAP) || !tags_dotted(a, w)) && !tags_clause(a, w);
}

/*
 * Return 1 when the headline capitalises its words, as English headlines
 * do (Former Lois Lane Kidder Praises Adams Casting): more than half of
 * its content words after the first, and all but one at most. A headline
 * in sentence case (Reações dos partidos ao veto de Marcelo) capitalises
 * only its first word and its names, however many those are (Bolsonaro
 * perde de Haddad, Ciro e Alckmin em simulações de 2º turno).
 */
static int
tags_title_case(const struct article *a)
{
	size_t i, words = 0, caps = 0;

	for (i = 0; i < a->ntitle; i++) {
		const struct article_word *w = &a->word[i];

		if (w->flags & (ARTICLE_STOP | ARTICLE_NUM | ARTICLE_FIRST))
			continue;
		words++;
		caps += (w->flags & ARTICLE_CAP) != 0;
	}
	/* German capitalises every noun: more than half is Title Case there. */
	return caps * 2 > words && (caps + 1 >= words || lang_capital_nouns(a->lang));
}

/* Return 1 when w is in the headline or in the headline said again (aggregators do). */
static int
tags_headline(const struct article *a, const struct article_word *w)
{
	return w->sent == ARTICLE_TITLE || a->sent[w->sent].repeat;
}

/* Return 1 when the lexicon knows w as a common noun: dealers, markets. */
static int
tags_lexicon_noun(const struct article *a, const struct article_word *w)
{
	char low[LANG_WORD_MAX];
	size_t n;

	if (w->len >= sizeof low || (w->flags & ARTICLE_UPPER))
		return 0;
	n = lang_lower(low, sizeof low, article_word_text(a, w) + w->off, w->len);
	return lang_common_noun(a->lang, low, n);
}

/*
 * Return 1 when w is a common noun the lexicon knows (Dealers were
 * pleased), not a name's first word: Bill Cosby, Angels Landing.
 */
static int
tags_common_noun(const struct article *a, const struct article_word *w)
{
	if (w + 1 < a->word + a->nword && (w[1].flags & ARTICLE_JOINED) &&
	    w[1].sent == w->sent && (w[1].flags & ARTICLE_CAP))
		return 0;
	return tags_lexicon_noun(a, w);
}

/*
 * Return 1 when the words from w whose bits lower has are words the
 * lexicon knows (a common noun, an adjective, a verb, a stop word), so
 * that a Title Case headline's capitals on them may go: Trade Rumors,
 * Price Hike. There a capital says nothing, and a word the lexicon does
 * not know is most often a name (Hugging Face Hub, Gwen Stefani): then
 * the phrase keeps its capitals. Without a lexicon (a build without
 * WordNet) the capitals go.
 */
static int
tags_known_words(const struct article *a, const struct article_word *w, unsigned lower)
{
	size_t k;

	if (!lang_has_lexicon(a->lang))
		return 1;
	for (k = 0; lower != 0; k++, lower >>= 1)
		if ((lower & 1) && (w[k].flags & (ARTICLE_POS | ARTICLE_STOP)) == 0 &&
		    !tags_lexicon_noun(a, &w[k]))
			return 0;
	return 1;
}

/*
 * Return 1 when a word reads as a name: capitalised where a sentence does
 * not make it so, or at a sentence start and never seen in lower case.
 */
static int
tags_name(const struct tags_work *wk, const struct article_word *w)
{
	const struct article *a = wk->a;

	if (!(w->flags & ARTICLE_CAP))
		return 0;
	/*
	 * A headline in Title Case capitalises every word: a name there is
	 * one the text capitalises. In sentence case a capital inside says
	 * name, as in a sentence. The headline said again in the text
	 * (aggregators do) is read as the headline.
	 */
	if (tags_headline(a, w))
		return (!wk->title_case && !(w->flags & ARTICLE_FIRST)) ||
		    a->term[w->term].cap || (w->flags & ARTICLE_UPPER);
	/*
	 * First in a sentence: never written lower case, and a noun that is
	 * no common one or seen capitalised; a label before a colon (Winner:,
	 * Update:) only when seen capitalised elsewhere (Kenya: ... Kenya).
	 */
	if (w->flags & ARTICLE_FIRST)
		return !a->term[w->term].lower &&
		    (((w->flags & ARTICLE_POS) == 0 && !tags_after(a, w, ':') &&
		    !tags_common_noun(a, w)) || a->term[w->term].cap);
	return 1;
}

/*
 * Return 1 when w is an abbreviation that is no tag nor part of one: a
 * title before a name (Sen., Lt., Dr., Jr.), a state after a city (Tenn.).
 */
static int
tags_abbrev(const struct article *a, const struct article_word *w)
{
	return tags_after(a, w, '.') &&
	    summary_name_abbrev(article_word_text(a, w) + w->off, w->len);
}

/*
 * Return 1 when w is an adjective's comparative or superlative (bigger,
 * largest, earlier): the adjective the lexicon knows, with -er or -est.
 */
static int
tags_degree(const struct article *a, const struct article_word *w)
{
	char low[LANG_WORD_MAX], base[LANG_WORD_MAX + 1];
	size_t n, k, cut;

	if ((w->flags & ARTICLE_POS) != ARTICLE_ADJ)
		return 0;
	n = lang_lower(low, sizeof low, article_word_text(a, w) + w->off, w->len);
	if (n > 5 && memcmp(low + n - 3, "est", 3) == 0)
		cut = 3;
	else if (n > 4 && memcmp(low + n - 2, "er", 2) == 0)
		cut = 2;
	else
		return 0;
	k = n - cut;
	memcpy(base, low, k);
	/* large-r, big-g-er, earli-er, small-er */
	if (lang_pos(a->lang, base, k) == LANG_ADJ)
		return 1;
	base[k] = 'e';
	if (lang_pos(a->lang, base, k + 1) == LANG_ADJ)
		return 1;
	if (k > 2 && base[k - 1] == base[k - 2] && lang_pos(a->lang, base, k - 1) == LANG_ADJ)
		return 1;
	if (base[k - 1] == 'i') {
		base[k - 1] = 'y';
		return lang_pos(a->lang, base, k) == LANG_ADJ;
	}
	return 0;
}

/* Return 1 when w looks plural, a subject more than a modifier: companies (plan). */
static int
tags_plural(const struct article *a, const struct article_word *w)
{
	const char *s = article_word_text(a, w) + w->off;

	return w->len > 3 && s[w->len - 1] == 's' && s[w->len - 2] != 's';
}

/* Return 1 when word[i] is a determiner: a noun follows (the deal, its talks). */
static int
tags_determiner(const struct article *a, size_t i)
{
	static const char *const det[] = {
		"the", "a", "an", "its", "his", "her", "their", "our", "this", "these", "those",
	};
	const struct article_word *w = &a->word[i];
	size_t j;

	for (j = 0; j < sizeof det / sizeof det[0]; j++)
		if (tags_same(article_word_text(a, w) + w->off, w->len, det[j], strlen(det[j])))
			return 1;
	return 0;
}

/* Return 1 when a dash between spaces ( – or — ) parts w from the word before it. */
static int
tags_dash_before(const struct article *a, const struct article_word *w)
{
	const char *s = article_word_text(a, w);
	size_t i;

	if (w == a->word || w[-1].sent != w->sent)
		return 0;
	for (i = w[-1].off + w[-1].len + 1; i + 3 < w->off; i++)
		if (s[i - 1] == ' ' && memcmp(s + i, "\xe2\x80", 2) == 0 &&
		    (s[i + 2] == '\x93' || s[i + 2] == '\x94') && s[i + 3] == ' ')
			return 1;
	return 0;
}

/*
 * Return the words from word[i] that credit a source, or 0: a name after
 * a dash at the end of a sentence of the text, as aggregators list their
 * stories (… matching June's historic move – Yahoo Finance.). The
 * publisher is no topic. Not in the headline, where a dash parts a Title
 * Case name as often (Taverncast 57 – High Strangeness).
 */
static size_t
tags_credit(const struct article *a, size_t i)
{
	size_t j;

	if (a->word[i].sent == ARTICLE_TITLE || !(a->word[i].flags & ARTICLE_CAP) ||
	    !tags_dash_before(a, &a->word[i]))
		return 0;
	for (j = i; j < a->nword && a->word[j].sent == a->word[i].sent; j++)
		if (j - i == TAGS_CREDIT_WORDS ||
		    !(a->word[j].flags & (ARTICLE_CAP | ARTICLE_STOP | ARTICLE_NUM)))
			return 0;
	return j - i;
}

/*
 * Mark the words that may be in a candidate phrase: content words of the
 * story (not of a byline or a credit); in a name any, elsewhere nouns and
 * adjectives (lang_pos(): not "said", "recently" or "spilled"), and a word
 * more often a verb (talks, spill) where a noun goes: after a determiner,
 * or after a singular noun, where it makes a phrase only if the text says
 * that twice (oil spill, and not tornado hit or companies plan). A
 * comparative or superlative is in none (the largest paper producer).
 */
static void
tags_words(struct tags_work *wk)
{
	struct article *a = wk->a;
	size_t i;

	for (i = 0; i < a->nword; i++) {
		const struct article_word *w = &a->word[i];
		int pos = w->flags & ARTICLE_POS, after;
		size_t credit;

		wk->kind[i] = TAGS_NOT;
		if ((credit = tags_credit(a, i)) > 0) {
			memset(wk->kind + i, TAGS_NOT, credit);
			i += credit - 1;
			continue;
		}
		if (!tags_content(a, w) || (w->sent != ARTICLE_TITLE && a->sent[w->sent].boiler))
			continue;
		if (tags_name(wk, w)) {
			if (!tags_abbrev(a, w))
				wk->kind[i] = TAGS_NAME;
			continue;
		}
		/* A label that is no name is in no tag: Winner: Square. */
		if ((w->flags & ARTICLE_FIRST) && tags_after(a, w, ':'))
			continue;
		after = i > 0 && (w->flags & ARTICLE_JOINED) && a->word[i - 1].sent == w->sent;
		/* A degree describes, it names nothing: the largest (paper producer). */
		if (tags_degree(a, w))
			continue;
		if (pos == 0 || pos == ARTICLE_ADJ || !TAGS_POS ||
		    (pos == ARTICLE_VERB && after && tags_determiner(a, i - 1)))
			wk->kind[i] = TAGS_WORD;
		else if (pos == ARTICLE_VERB && after && w->sent != ARTICLE_TITLE &&
		    wk->kind[i - 1] == TAGS_WORD && (a->word[i - 1].flags & ARTICLE_POS) == 0 &&
		    !tags_plural(a, &a->word[i - 1]))
			wk->kind[i] = TAGS_VERBAL;
	}
	for (i = 0; i + 1 < a->nword; i++) {
		const struct article_word *w = &a->word[i], *next = w + 1;

		if (!(next->flags & ARTICLE_JOINED) || next->sent != w->sent ||
		    !(w->flags & ARTICLE_FIRST))
			continue;
		/* A sentence's first word, capitalised nowhere else, before a noun: Consumer prices. */
		if (wk->kind[i] == TAGS_NAME && w->sent != ARTICLE_TITLE &&
		    !a->term[w->term].cap && !(w->flags & ARTICLE_UPPER) &&
		    wk->kind[i + 1] == TAGS_WORD)
			wk->kind[i] = TAGS_WORD;
		/*
		 * A headline's first word before a name starts it: Mavi Garcia
		 * hit by …; not where every noun has a capital (German).
		 */
		else if (wk->kind[i] == TAGS_WORD && (w->flags & ARTICLE_CAP) &&
		    tags_headline(a, w) &&
		    wk->kind[i + 1] == TAGS_NAME && (w->flags & ARTICLE_POS) != ARTICLE_OTHER &&
		    !lang_capital_nouns(a->lang))
			wk->kind[i] = TAGS_NAME;
	}
	memset(wk->named, 0, a->nterm);
	for (i = 0; i < a->nword; i++)
		wk->named[a->word[i].term] |= wk->kind[i] == TAGS_NAME;
}

/*
 * Rank the terms: PositionRank over the graph of the words that may be in
 * a phrase, each linked to those near it.
 */
static void
tags_rank(struct tags_work *wk)
{
	struct article *a = wk->a;
	size_t i, j, it, nseen = 0, recent[TAGS_WINDOW];
	size_t nrecent = 0;
	double total = 0, sum;

	for (i = 0; i < a->nterm; i++)
		wk->bias[i] = wk->out[i] = 0;
	wk->nedge = 0;
	for (i = 0; i < a->nword; i++) {
		const struct article_word *w = &a->word[i];

		if (wk->kind[i] == TAGS_NOT)
			continue;
		/* The bias: 1/position of each occurrence; title words lead. */
		wk->bias[w->term] += w->sent == ARTICLE_TITLE ? 1.0 : 1.0 / (double)(1 + nseen++);
		for (j = 0; j < nrecent; j++) {
			uint32_t t = a->word[recent[j]].term;

			if (t == w->term || wk->nedge == TAGS_EDGES)
				continue;
			wk->edge[wk->nedge][0] = (uint16_t)t;
			wk->edge[wk->nedge][1] = (uint16_t)w->term;
			wk->nedge++;
			wk->out[t] += 1;
			wk->out[w->term] += 1;
		}
		if (nrecent == TAGS_WINDOW - 1)
			memmove(recent, recent + 1, --nrecent * sizeof recent[0]);
		recent[nrecent++] = i;
	}
	for (i = 0; i < a->nterm; i++)
		total += wk->bias[i];
	if (total == 0)
		return;
	for (i = 0; i < a->nterm; i++)
		wk->score[i] = wk->bias[i] /= total;
	/* From here on out[] is what a term passes along each of its edges, per score. */
	for (i = 0; i < a->nterm; i++)
		wk->out[i] = wk->out[i] > 0 ? TAGS_DAMPING / wk->out[i] : 0;
	for (it = 0; it < TAGS_ITERATIONS; it++) {
		for (i = 0; i < a->nterm; i++) {
			wk->next[i] = (1 - TAGS_DAMPING) * wk->bias[i];
			wk->share[i] = wk->score[i] * wk->out[i];
		}
		for (i = 0; i < wk->nedge; i++) {
			uint16_t x = wk->edge[i][0], y = wk->edge[i][1];

			wk->next[y] += wk->share[x];
			wk->next[x] += wk->share[y];
		}
		/* Terms with no neighbour give their share back through the bias. */
		sum = 0;
		for (i = 0; i < a->nterm; i++)
			sum += wk->next[i];
		for (i = 0; i < a->nterm; i++)
			wk->score[i] = wk->next[i] + (1 - sum) * wk->bias[i];
	}
}

/* Count the phrase of n words from word[w0] as a candidate. */
static void
tags_candidate(struct tags_work *wk, size_t w0, size_t n, int cap)
{
	struct article *a = wk->a;
	struct tags_cand *c;
	uint64_t key = HASH_FNV_OFFSET;
	size_t i;
	int verbal = 0;

	for (i = 0; i < n; i++) {
		key = hash_fnv1a(key, &a->word[w0 + i].term, sizeof a->word[w0 + i].term);
		verbal |= wk->kind[w0 + i] == TAGS_VERBAL;
	}
	for (i = 0; i < wk->nc; i++) {
		c = &wk->c[i];
		if (c->key != key)
			continue;
		c->count++;
		c->named |= cap;
		c->verbal &= verbal;
		c->body |= a->word[w0].sent != ARTICLE_TITLE;
		if (!c->shown && !(a->word[w0].flags & ARTICLE_FIRST) &&
		    !tags_headline(a, &a->word[w0])) {
			c->w0 = w0;
			c->shown = 1;
		}
		return;
	}
	if (wk->nc == TAGS_CANDIDATES)
		return;
	c = &wk->c[wk->nc++];
	memset(c, 0, sizeof *c);
	c->key = key;
	c->n = n;
	c->w0 = w0;
	c->cap = c->named = cap;
	c->verbal = verbal;
	c->body = a->word[w0].sent != ARTICLE_TITLE;
	c->count = 1;
	c->shown = !(a->word[w0].flags & ARTICLE_FIRST) && !tags_headline(a, &a->word[w0]);
	for (i = 0; i < n; i++)
		c->term[i] = a->word[w0 + i].term;
}

/*
 * Return 1 when word[i] is a capitalised stop word inside a name, that
 * a name follows: New York, The Hague (not Mr, which is no part of one).
 * Where every noun has a capital (German), an article has one after a
 * colon (Der Computerkonzern), so there it is one that ends a name: Red
 * Hat, where a verb would have none.
 */
static int
tags_name_stop(const struct tags_work *wk, size_t i)
{
	const struct article *a = wk->a;
	const struct article_word *w = &a->word[i], *next = w + 1;

	if ((w->flags & (ARTICLE_STOP | ARTICLE_CAP | ARTICLE_FIRST | ARTICLE_NUM)) !=
	    (ARTICLE_STOP | ARTICLE_CAP) || w->len < 3 ||
	    (w->sent != ARTICLE_TITLE && a->sent[w->sent].boiler))
		return 0;
	/* A German headline is in sentence case: IBM übernimmt Red Hat. */
	if (lang_capital_nouns(a->lang))
		return i > 0 && (w->flags & ARTICLE_JOINED) && !(w->flags & ARTICLE_UPPER) &&
		    wk->kind[i - 1] == TAGS_NAME && w[-1].sent == w->sent;
	if (w->sent == ARTICLE_TITLE || i + 1 >= a->nword)
		return 0;
	if ((w->len == 3 && memcmp(article_word_text(a, w) + w->off, "Mrs", 3) == 0) ||
	    !(next->flags & ARTICLE_JOINED) || next->sent != w->sent)
		return 0;
	return wk->kind[i + 1] == TAGS_NAME;
}

/*
 * Return 1 when word[i] is a lower-case particle between two words of a
 * name: Agusan del Sur, Ludwig van Beethoven, Osama bin Laden.
 */
static int
tags_name_particle(const struct tags_work *wk, size_t i)
{
	static const char *const particle[] = {
		"de", "del", "della", "der", "den", "di", "da", "dos", "das", "du", "van", "von",
		"bin", "ibn", "al", "el", "la", "le",
	};
	const struct article *a = wk->a;
	const struct article_word *w = &a->word[i];
	size_t j;

	if (i == 0 || i + 1 >= a->nword || (w->flags & ARTICLE_CAP) ||
	    wk->kind[i - 1] != TAGS_NAME || wk->kind[i + 1] != TAGS_NAME ||
	    !(w->flags & ARTICLE_JOINED) || !(w[1].flags & ARTICLE_JOINED) ||
	    w[-1].sent != w->sent || w[1].sent != w->sent)
		return 0;
	for (j = 0; j < sizeof particle / sizeof particle[0]; j++)
		if (tags_same(article_word_text(a, w) + w->off, w->len, particle[j],
		    strlen(particle[j])))
			return 1;
	return 0;
}

/* Return 1 when the n words from word[w0] are the same half twice. */
static int
tags_doubled(const struct article *a, size_t w0, size_t n)
{
	size_t i;

	if (n < 2 || n % 2 != 0)
		return 0;
	for (i = 0; i < n / 2; i++)
		if (a->word[w0 + i].term != a->word[w0 + n / 2 + i].term)
			return 0;
	return 1;
}

/* Find the candidate phrases: runs of content words, names apart. */
static void
tags_candidates(struct tags_work *wk)
{
	struct article *a = wk->a;
	size_t i, start = 0, n = 0;
	int cap = 0, name, ok;

	for (i = 0; i <= a->nword; i++) {
		const struct article_word *w = i < a->nword ? &a->word[i] : NULL;

		name = w != NULL && wk->kind[i] == TAGS_NAME;
		ok = w != NULL && wk->kind[i] != TAGS_NOT;
		if (w != NULL && (tags_name_particle(wk, i) ||
		    (!ok && tags_name_stop(wk, i)))) {
			name = 1;
			ok = 1;
		}
		if (n > 0 && (!ok || !(w->flags & ARTICLE_JOINED) ||
		    w->sent != a->word[i - 1].sent || name != cap)) {
			/* A noun phrase ends on its noun: adjectives* nouns+. */
			while (TAGS_POS && n > 0 && !cap &&
			    (a->word[start + n - 1].flags & ARTICLE_POS) == ARTICLE_ADJ)
				n--;
			/* A name said twice in a row (Baywatch Berlin Baywatch Berlin): twice. */
			if (cap && tags_doubled(a, start, n)) {
				n /= 2;
				if (n <= TAGS_PHRASE)
					tags_candidate(wk, start, n, cap);
				start += n;
			}
			/* A long run: its last words, where English puts the head. */
			if (n > (cap ? TAGS_PHRASE : TAGS_PHRASE_MAX)) {
				start += n - (cap ? TAGS_PHRASE : TAGS_PHRASE_MAX);
				n = cap ? TAGS_PHRASE : TAGS_PHRASE_MAX;
			}
			if (n > 0)
				tags_candidate(wk, start, n, cap);
			n = 0;
		}
		if (!ok)
			continue;
		if (n == 0) {
			start = i;
			cap = name;
		}
		n++;
	}
}

/*
 * Count a name that a stop word leads, The English Riviera, as the name
 * without it where the text says that too: one tag, English Riviera.
 */
static void
tags_merge_article(struct tags_work *wk)
{
	size_t i, j;

	for (i = 0; i < wk->nc; i++) {
		struct tags_cand *c = &wk->c[i];

		if (!c->cap || c->n < 2 || !(wk->a->word[c->w0].flags & ARTICLE_STOP))
			continue;
		for (j = 0; j < wk->nc; j++) {
			struct tags_cand *d = &wk->c[j];

			if (d->cap && d->n == c->n - 1 && d->count > 0 &&
			    memcmp(d->term, c->term + 1, d->n * sizeof d->term[0]) == 0) {
				d->count += c->count;
				c->count = 0;
				break;
			}
		}
	}
}

/* Return 1 when the terms of b's phrase appear in a's, in a row. */
static int
tags_inside(const struct tags_cand *a, const struct tags_cand *b)
{
	size_t i, j;

	if (b->n > a->n || a->cat != NULL || b->cat != NULL)
		return 0;
	for (i = 0; i + b->n <= a->n; i++) {
		for (j = 0; j < b->n && a->term[i + j] == b->term[j]; j++)
			;
		if (j == b->n)
			return 1;
	}
	return 0;
}

/* Count the words of c that are in the chosen tags. */
static size_t
tags_shared(const struct tags_work *wk, const size_t *chosen, size_t nchosen,
    const struct tags_cand *c)
{
	size_t i, j, k, n = 0;

	for (k = 0; k < c->n; k++)
		for (i = 0; i < nchosen; i++) {
			const struct tags_cand *d = &wk->c[chosen[i]];

			for (j = 0; j < d->n && d->term[j] != c->term[k]; j++)
				;
			if (j < d->n) {
				n++;
				break;
			}
		}
	return n;
}

/* One category as shown: a span of the feed's text. */
struct tags_span {
	const char *s;
	size_t len;
};

/* Add s[0..len), trimmed, to out; return the new count. */
static size_t
tags_span_add(struct tags_span *out, size_t n, size_t max, const char *s, size_t len)
{
	while (len > 0 && s[0] == ' ')
		s++, len--;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len > 0 && n < max) {
		out[n].s = s;
		out[n++].len = len;
	}
	return n;
}

/*
 * The categories as a display shows them: a list in one category
 * ("DASDING,Interview,Kool Savas": three parts or more; "Washington, D.C."
 * stays whole) split into its parts; a path ("Business/Industries/Books/",
 * two slashes or a last one; "AC/DC" stays whole) cut to its last part.
 * Returns the number of spans in out.
 */
static size_t
tags_category_spans(const char *const *cats, size_t ncat, struct tags_span *out, size_t max)
{
	const char *c, *end, *comma, *slash;
	size_t i, n = 0, commas, slashes;

	for (i = 0; i < ncat; i++) {
		end = cats[i] + strlen(cats[i]);
		for (commas = slashes = 0, c = cats[i]; c < end; c++) {
			commas += *c == ',';
			slashes += *c == '/';
		}
		if (commas >= 2) {
			for (c = cats[i]; c <= end; c = comma + 1) {
				if ((comma = memchr(c, ',', (size_t)(end - c))) == NULL)
					comma = end;
				n = tags_span_add(out, n, max, c, (size_t)(comma - c));
			}
			continue;
		}
		if (slashes >= 2 || (slashes == 1 && end > cats[i] && end[-1] == '/')) {
			while (end > cats[i] && end[-1] == '/')
				end--;
			for (slash = end; slash > cats[i] && slash[-1] != '/'; slash--)
				;
			n = tags_span_add(out, n, max, slash, (size_t)(end - slash));
			continue;
		}
		n = tags_span_add(out, n, max, cats[i], (size_t)(end - cats[i]));
	}
	return n;
}

/* Return 1 when s (len bytes) is c's phrase as the text writes it, capitals and all. */
static int
tags_written(const struct tags_work *wk, const struct tags_cand *c, const char *s, size_t len)
{
	const struct article_word *f = &wk->a->word[c->w0], *l = f + c->n - 1;

	return l->off + l->len - f->off == len &&
	    memcmp(article_word_text(wk->a, f) + f->off, s, len) == 0;
}

/* Weigh the categories: those in the text gain, the others join below the top. */
static void
tags_categories(struct tags_work *wk, const char *const *cats, size_t ncat, double top)
{
	struct tags_span span[TAGS_CATEGORIES];
	struct tags_cand part;
	uint32_t keys[TAGS_PHRASE];
	size_t i, j, k, n, len, nspan;
	const char *cat;
	uint64_t key;

	nspan = tags_category_spans(cats, ncat, span, TAGS_CATEGORIES);
	for (i = 0; i < nspan; i++) {
		int generic = 0;

		cat = span[i].s;
		len = span[i].len;
		for (j = 0; j < sizeof tags_generic / sizeof tags_generic[0]; j++)
			if (tags_same(cat, len, tags_generic[j], strlen(tags_generic[j])))
				generic = 1;
		if (generic)
			continue;
		n = article_phrase(wk->a, cat, len, keys, TAGS_PHRASE);
		key = HASH_FNV_OFFSET;
		for (k = 0; k < n; k++)
			key = hash_fnv1a(key, &keys[k], sizeof keys[k]);
		for (j = 0; n > 0 && j < wk->nc; j++)
			if (wk->c[j].key == key && wk->c[j].cat == NULL)
				break;
		/* Else a name of the text it is part of: baywatch, Baywatch Berlin. */
		memset(&part, 0, sizeof part);
		part.n = n;
		memcpy(part.term, keys, n * sizeof keys[0]);
		for (k = 0; n > 0 && j == wk->nc && k < wk->nc; k++)
			if (wk->c[k].cap && wk->c[k].count > 0 && wk->c[k].score >= 0 &&
			    tags_inside(&wk->c[k], &part))
				j = k;
		if (n > 0 && j < wk->nc) {
			wk->c[j].score += top;
			/* The feed writes it as the text does: Premier League, shown so. */
			if (tags_written(wk, &wk->c[j], cat, len))
				wk->c[j].shown = 1;
			continue;
		}
		if (wk->nc == TAGS_CANDIDATES)
			continue;
		memset(&wk->c[wk->nc], 0, sizeof wk->c[0]);
		wk->c[wk->nc].cat = cat;
		wk->c[wk->nc].catlen = len;
		/* Earlier categories first among their kind. */
		wk->c[wk->nc].score = TAGS_CATEGORY_OUT * top * (1.0 - 0.01 * (double)i);
		wk->nc++;
	}
}

/* Fill t with the article's tags. */
void
tags_make(struct tags *t, size_t max, const char *const *cats, size_t ncat, struct article *a)
{
	struct tags_work space, *wk = &space;
	size_t chosen[TAGS_MAX], nchosen = 0, i, j, best;
	double top = 0;

	t->n = 0;
	if (max > TAGS_MAX)
		max = TAGS_MAX;
	if (max == 0)
		return;
	wk->a = a;
	wk->nc = 0;
	wk->title_case = tags_title_case(a);
	wk->pos = TAGS_POS && lang_knows_pos(a->lang);
	for (i = 0; i < a->nterm; i++)
		wk->score[i] = 0;
	tags_words(wk);
	tags_rank(wk);
	tags_candidates(wk);
	tags_merge_article(wk);
	for (i = 0; i < wk->nc; i++) {
		struct tags_cand *c = &wk->c[i];

		/*
		 * Gone: merged into another, or a verbal phrase said once; where
		 * no word's part of speech is known, a phrase of three words or
		 * more said once that is no name: often a verb is in it
		 * (perturbateurs endocriniens pourraient).
		 */
		if (c->count == 0 || (c->count < 2 && (c->verbal ||
		    (!wk->pos && !c->cap && c->n > 2)))) {
			c->score = -1;
			continue;
		}
		for (j = 0; j < c->n; j++)
			c->score += wk->score[c->term[j]] *
			    (!c->cap && a->term[c->term[j]].common ? TAGS_COMMON : 1.0);
		c->score /= pow((double)c->n, TAGS_LEN_NORM);
		c->score *= 1.0 + TAGS_W_COUNT * log((double)c->count);
	}
	/* A name said in full and short later is one tag: Sergey Lavrov, Lavrov. */
	for (i = 0; i < wk->nc; i++) {
		struct tags_cand *c = &wk->c[i];

		if (c->n != 1 || !c->cap)
			continue;
		for (j = 0; j < wk->nc; j++) {
			struct tags_cand *d = &wk->c[j];

			if (d->n > 1 && d->cap && (d->term[d->n - 1] == c->term[0] ||
			    d->term[0] == c->term[0]) && d->count > 0) {
				d->score += c->score * 0.5;
				c->score = -1;
				break;
			}
		}
	}
	for (i = 0; i < wk->nc; i++)
		if (wk->c[i].score > top)
			top = wk->c[i].score;
	tags_categories(wk, cats, ncat, top);
	/*
	 * What the form of a phrase says, once the categories have their
	 * place beside the text's evidence: crude oil says more than oil; a
	 * phrase only the headline has may be its telegraphic grammar, where
	 * verbs look like nouns.
	 */
	for (i = 0; i < wk->nc; i++) {
		struct tags_cand *c = &wk->c[i];

		if (c->score < 0 || c->cat != NULL || c->cap || c->n < 2)
			continue;
		c->score *= TAGS_PHRASE_PRIOR;
		if (!c->body)
			c->score *= TAGS_HEADLINE_ONLY;
	}
	while (t->n < max && nchosen < TAGS_MAX) {
		double bestscore = -1;

		best = wk->nc;
		for (i = 0; i < wk->nc; i++) {
			double sc = wk->c[i].score;

			if (sc < 0)
				continue;
			/* Variety: words already in a tag count less. */
			sc *= pow(TAGS_REPEAT, (double)tags_shared(wk, chosen, nchosen, &wk->c[i]));
			if (best == wk->nc || sc > bestscore) {
				best = i;
				bestscore = sc;
			}
		}
		if (best == wk->nc)
			break;
		for (j = 0; j < nchosen; j++)
			if (tags_inside(&wk->c[chosen[j]], &wk->c[best]))
				break;
		if (j == nchosen) {
			const struct tags_cand *c = &wk->c[best];
			int added;

			if (c->cat != NULL) {
				added = tags_add(t, max, c->cat, c->catlen, 0);
			} else {
				const struct article_word *f = &a->word[c->w0];
				const struct article_word *l = &a->word[c->w0 + c->n - 1];
				size_t len = l->off + l->len - f->off, k;
				unsigned lower = 0;

				/* U.S. keeps its last dot, which the sentence took. */
				if (tags_dotted(a, l) && tags_after(a, l, '.'))
					len++;
				/*
				 * No name: a headline's capitals go, a sentence
				 * start's; not where every noun has one (German),
				 * nor a word the text capitalises inside a
				 * sentence (Japanese industrial output) or
				 * reads as a name elsewhere (Ford Earnings
				 * Top Estimates … Ford beats expectations).
				 */
				if (!c->named && !c->shown && !lang_capital_nouns(a->lang))
					for (k = 0; k < (tags_headline(a, f) ? c->n : 1); k++)
						if (!a->term[c->term[k]].cap && !wk->named[c->term[k]])
							lower |= 1u << k;
				if (wk->title_case && tags_headline(a, f) &&
				    !tags_known_words(a, f, lower))
					lower = 0;
				added = tags_add(t, max, article_word_text(a, f) + f->off,
				    len, lower);
			}
			if (added)
				chosen[nchosen++] = best;
		}
		wk->c[best].score = -1;
	}
}

/* Fill t with the baseline tags: the words the article says most often. */
void
tags_frequent(struct tags *t, size_t max, const struct article *a)
{
	uint8_t taken[ARTICLE_MAX_WORDS];
	size_t i, best, score, bestscore;
	const struct article_word *w;

	t->n = 0;
	if (max > TAGS_MAX)
		max = TAGS_MAX;
	memset(taken, 0, a->nterm);
	while (t->n < max) {
		best = a->nterm;
		bestscore = 0;
		for (i = 0; i < a->nterm; i++) {
			const struct article_term *m = &a->term[i];

			if (taken[i] || m->stop)
				continue;
			score = m->count + m->title;
			if (score > bestscore ||
			    (score == bestscore && best < a->nterm && m->first < a->term[best].first)) {
				best = i;
				bestscore = score;
			}
		}
		if (best == a->nterm)
			break;
		taken[best] = 1;
		/* Shown as first written; lower case where the text writes it so. */
		for (i = 0; i < a->nword && a->word[i].term != best; i++)
			;
		if (i == a->nword)
			continue;
		w = &a->word[i];
		tags_add(t, max, article_word_text(a, w) + w->off, w->len, a->term[best].lower != 0);
	}
}
