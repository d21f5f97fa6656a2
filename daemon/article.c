/* article — sentences, words, stems and term counts of one article. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "newsdigest/article.h"
#include "newsdigest/hash.h"
#include "newsdigest/summary.h"
#include "newsdigest/text.h"

#define ARTICLE_DATELINE_MAX 80	/* bytes of "CITY, Country (Agency) — " we look at */

/*
 * Sentences that are a page's furniture, not the story, compared lower
 * case with the start of a sentence. These say nothing even when the item
 * has nothing else: never shown.
 */
static const char *const article_furniture[] = {
	"read more", "read also", "see also", "related:", "related articles",
	"related stories", "click here", "click to", "tap here", "share this", "share on",
	"share:", "follow us", "follow @", "sign up", "subscribe", "advertisement",
	"story continues", "continue reading", "comments", "join the conversation",
	"for more information", "more:", "more on this", "submitted by", "[link]",
	"view full coverage",
};

/*
 * Labels, credits and notes: not the story, but what an item that has
 * nothing else shows (a video's "Watch: …", a photo's caption).
 */
static const char *const article_boiler[] = {
	"read:", "photo:", "photos:", "photo credit", "photograph:", "picture:", "pictures:",
	"image:", "images:", "image credit", "image source", "credit:", "caption:", "(photo",
	"(photos", "(ap photo", "(reuters", "(getty", "copyright", "\xc2\xa9", "all rights reserved",
	"published:", "updated:", "last updated", "last modified", "posted:", "posted by",
	"watch:", "video:", "listen:", "email:", "e-mail:", "getty images", "file photo",
	"pictured:", "this story", "this article", "source:", "sources:",
};

/*
 * The footers feed software adds after a story's text, anywhere in the
 * sentence (its title comes first): WordPress's "The post TITLE appeared
 * first on SITE.", Medium's "TITLE was originally published in ...".
 */
static const char *const article_footer[] = {
	"appeared first on", "was originally published in", "originally published at",
};

/* Return 1 when the code point is a letter or digit of some script. */
static int
article_alnum_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return 0;
	/*
	 * General punctuation, CJK punctuation, full-width punctuation, U+FFFD;
	 * Arabic's comma, semicolon, question mark, signs and full stop,
	 * Devanagari's danda.
	 */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    cp == 0xFFFD || cp == 0x060C || cp == 0x061B || cp == 0x061F ||
	    (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4 || cp == 0x0964 || cp == 0x0965)
		return 0;
	return 1;
}

/* Decode the code point at s[i] (i < len) into *cp; return its length. */
static size_t
article_cp(const char *s, size_t len, size_t i, uint32_t *cp)
{
	if ((unsigned char)s[i] < 0x80) {
		*cp = (unsigned char)s[i];
		return 1;
	}
	return text_utf8_next(s + i, len - i, cp);
}

/* Return 1 when s[i] is a digit. */
static int
article_digit(const char *s, size_t len, size_t i)
{
	return i < len && s[i] >= '0' && s[i] <= '9';
}

/*
 * Return the end of the word that starts at s[i]: letters and digits,
 * with inner apostrophes, hyphens and dots (U.S, e-mail, 3.5) and commas
 * and colons between digits (38,000, 14:11).
 */
static size_t
article_word_end(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t n;

	while (i < len) {
		n = article_cp(s, len, i, &cp);
		if (article_alnum_cp(cp)) {
			i += n;
			continue;
		}
		if (i + n < len && (cp == '\'' || cp == 0x2019 || cp == '-' || cp == '.' ||
		    ((cp == ',' || cp == ':') && i > 0 && article_digit(s, len, i - 1) &&
		    article_digit(s, len, i + n)))) {
			uint32_t next;

			article_cp(s, len, i + n, &next);
			if (article_alnum_cp(next)) {
				i += n;
				continue;
			}
		}
		break;
	}
	return i;
}

/*
 * Return the length of the word s (len bytes) as written in a language
 * that elides (French, Italian): an article, a pronoun or a conjunction
 * before an apostrophe is a word of its own, the stop word it is
 * (l'ennui, qu'il, jusqu'à, dell'anno); any other word is whole
 * (aujourd'hui).
 */
static size_t
article_elision(const char *s, size_t len)
{
	static const char *const elided[] = {
		"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
		"quoiqu", "un", "dell", "dall", "nell", "sull", "all", "coll", "quell", "quest",
		"nessun",
	};
	size_t i, k;

	for (i = 0; i < len && i < 7 && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z')); i++)
		;
	if (i == 0 || i == len || (s[i] != '\'' && (len - i < 4 ||
	    memcmp(s + i, "\xe2\x80\x99", 3) != 0)))
		return len;
	for (k = 0; k < sizeof elided / sizeof elided[0]; k++)
		if (strlen(elided[k]) == i && strncasecmp(s, elided[k], i) == 0)
			return i;
	return len;
}

/*
 * Return the slot of key in a table of a: the one holding it, else the
 * empty one where it goes (its gen is not a's).
 */
static struct article_slot *
article_probe(const struct article *a, struct article_slot *table, uint64_t key)
{
	size_t i = (size_t)key & (ARTICLE_TERM_SLOTS - 1);

	while (table[i].gen == a->gen && table[i].key != key)
		i = (i + 1) & (ARTICLE_TERM_SLOTS - 1);
	return &table[i];
}

/* Find or add the term of a stem. */
static uint32_t
article_term_of(struct article *a, const char *stem, size_t len, int stop)
{
	uint64_t key = hash_fnv1a(HASH_FNV_OFFSET, stem, len);
	struct article_slot *s = article_probe(a, a->stems, key);

	if (s->gen == a->gen) {
		/* A stop term when any spelling of it is a stop word: nach, nächste. */
		a->term[s->term].stop |= (uint8_t)stop;
		return s->term;
	}
	s->gen = a->gen;
	s->key = key;
	s->term = (uint32_t)a->nterm;
	memset(&a->term[a->nterm], 0, sizeof a->term[0]);
	a->term[a->nterm].stop = (uint8_t)stop;
	a->term[a->nterm].common = (uint8_t)lang_common(a->lang, stem, len);
	a->term[a->nterm].first = ARTICLE_TITLE;
	a->term[a->nterm].last = ARTICLE_TITLE;
	return (uint32_t)a->nterm++;
}

/*
 * What the word s (len bytes, lower: its lower case) is most often:
 * lang_pos(), and where the language capitalises its nouns, what the
 * writing says. Written with a capital it is a noun; in lower case it
 * names nothing: with an adjective's ending (-e, -en, -er, -es, -em) it
 * may describe the noun after it (verfügbare Version), else it is a verb
 * or an adverb (gibt, veröffentlicht, frei).
 */
static int
article_pos(const struct article *a, const char *s, size_t len, const char *lower, size_t n)
{
	uint32_t cp;

	if (!lang_capital_nouns(a->lang))
		return lang_pos(a->lang, lower, n);
	article_cp(s, len, 0, &cp);
	if (lang_lower_cp(cp) != cp || !article_alnum_cp(cp) || (cp >= '0' && cp <= '9'))
		return LANG_NOUN;
	if (lower[n - 1] == 'e' || (n > 2 && lower[n - 2] == 'e' &&
	    (lower[n - 1] == 'n' || lower[n - 1] == 'r' || lower[n - 1] == 's' ||
	    lower[n - 1] == 'm')))
		return LANG_ADJ;
	return LANG_OTHER;
}

/*
 * Return the term of a word as written (s, len bytes) and, in *form, the
 * flags its spelling gives it (ARTICLE_POS bits, ARTICLE_STOP): remembered
 * per spelling, so each spelling is lower-cased and stemmed once. Stop
 * words go by spelling, not by stem: German's stemmer makes nächste
 * "nach", a stop word.
 */
static uint32_t
article_term_word(struct article *a, const char *s, size_t len, uint8_t flags, uint8_t *form)
{
	char lower[LANG_WORD_MAX];
	const char *stem;
	uint64_t key = hash_fnv1a(HASH_FNV_OFFSET, s, len);
	struct article_slot *slot = article_probe(a, a->forms, key);
	size_t n, stemlen, chars;
	int stop;

	if (slot->gen == a->gen) {
		*form = a->formflags[slot - a->forms];
		return slot->term;
	}
	*form = 0;
	if ((n = lang_lower(lower, sizeof lower, s, len)) == 0) {
		/* Too long to be a word: a term of its own, never a key one. */
		stop = 1;
		stem = s;
		stemlen = len;
	} else {
		chars = text_utf8_chars(lower, n);
		/*
		 * A language with no list of ours (Polish, Urdu): its short
		 * words are most of its stop words (się, nie, اور, کے), an
		 * acronym in capitals (EU, USA) apart.
		 */
		stop = lang_stop(a->lang, lower, n) || (flags & ARTICLE_NUM) || chars < 2 ||
		    (!lang_has_stops(a->lang) && chars <= 3 && !(flags & ARTICLE_UPPER));
		stem = lang_stem(a->lang, lower, n, &stemlen);
		*form = (uint8_t)(article_pos(a, s, len, lower, n) * ARTICLE_ADJ);
	}
	if (stop)
		*form |= ARTICLE_STOP;
	a->formflags[slot - a->forms] = *form;
	slot->gen = a->gen;
	slot->key = key;
	slot->term = article_term_of(a, stem, stemlen, stop);
	return slot->term;
}

/* Append the words of s[start..end) (text or title) as sentence sent, until a has max. */
static void
article_words(struct article *a, const char *s, size_t len, size_t start, size_t end,
    uint16_t sent, size_t max)
{
	size_t i = start, wend, wlen, prev_end = (size_t)-1, j;
	struct article_word *w;
	struct article_term *t;
	uint32_t cp;
	uint8_t form;
	int letters, uppers;

	while (i < end && a->nword < max) {
		size_t n = article_cp(s, end, i, &cp);

		if (!article_alnum_cp(cp)) {
			i += n;
			continue;
		}
		wend = article_word_end(s, end, i);
		if (lang_elides(a->lang))
			wend = i + article_elision(s + i, wend - i);
		wlen = wend - i;
		/* A possessive is the word itself: Alaska's. */
		if (wlen > 2 && s[wend - 1] == 's' && s[wend - 2] == '\'')
			wlen -= 2;
		else if (wlen > 4 && s[wend - 1] == 's' && memcmp(s + wend - 4, "\xe2\x80\x99", 3) == 0)
			wlen -= 4;
		if (wlen > 0xFFFF)
			wlen = 0xFFFF;
		w = &a->word[a->nword];
		w->off = (uint32_t)i;
		w->len = (uint16_t)wlen;
		w->sent = sent;
		w->flags = 0;
		letters = uppers = 0;
		for (j = i; j < i + wlen;) {
			uint32_t c;
			size_t at = j;

			j += article_cp(s, len, j, &c);
			if (c >= '0' && c <= '9') {
				w->flags |= ARTICLE_NUM;
			} else if (article_alnum_cp(c)) {
				letters++;
				if (lang_lower_cp(c) != c) {
					uppers++;
					if (at == i)
						w->flags |= ARTICLE_CAP;
				}
			}
		}
		if (letters >= 2 && uppers == letters)
			w->flags |= ARTICLE_UPPER;
		/* After a headline's label (Update: Floods) a sentence starts. */
		if (prev_end == (size_t)-1 || (sent == ARTICLE_TITLE &&
		    memchr(s + prev_end, ':', i - prev_end) != NULL))
			w->flags |= ARTICLE_FIRST;
		else if ((i == prev_end + 1 && s[prev_end] == ' ') ||
		    (i == prev_end + 2 && s[prev_end] == '.' && s[prev_end + 1] == ' '))
			/* In a sentence, a dot before the space is an abbreviation's: St. Louis */
			w->flags |= ARTICLE_JOINED;
		w->term = article_term_word(a, s + i, wlen, w->flags, &form);
		w->flags |= form;
		t = &a->term[w->term];
		if (sent == ARTICLE_TITLE) {
			t->title = 1;
			/* A headline in lower case but for its names tells which they are. */
			if (!(w->flags & (ARTICLE_CAP | ARTICLE_FIRST)))
				t->lower = 1;
		} else {
			t->count++;
			if (t->last != sent) {
				t->sents++;
				t->last = sent;
			}
			if (t->first == ARTICLE_TITLE)
				t->first = sent;
			/* Capitals count once article_read() knows the sentence. */
			if (!(w->flags & (ARTICLE_CAP | ARTICLE_FIRST)))
				t->lower = 1;
		}
		a->nword++;
		/* After a possessive a new phrase starts: Alaska's | chief officer. */
		prev_end = wend - i > wlen ? wend + 1 : wend;
		i = wend;
	}
}

/* Return 1 when s (len bytes) holds needle. */
static int
article_has(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle);
	const char *p = s, *end = s + len;

	while ((size_t)(end - p) >= nl &&
	    (p = memchr(p, needle[0], (size_t)(end - p) - nl + 1)) != NULL) {
		if (memcmp(p, needle, nl) == 0)
			return 1;
		p++;
	}
	return 0;
}

/*
 * Return the length of a show notes' timestamp that s starts with, "(0:27) "
 * or "(1:02:05) ", or 0.
 */
static size_t
article_timestamp(const char *s, size_t len)
{
	size_t i = 1, colons = 0;

	if (len < 6 || s[0] != '(' || !article_digit(s, len, 1))
		return 0;
	while (i < len && (article_digit(s, len, i) || s[i] == ':')) {
		if (s[i] == ':' && (colons++ == 2 || !article_digit(s, len, i + 1) ||
		    !article_digit(s, len, i + 2)))
			return 0;
		i++;
	}
	if (colons == 0 || i + 1 >= len || s[i] != ')' || s[i + 1] != ' ')
		return 0;
	return i + 2;
}

/* Return 1 when byte c is part of a word: a letter, a digit, a byte of UTF-8. */
static int
article_word_byte(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
	    u >= 0x80;
}

/* Return 1 when head (n bytes) starts with one of the k strings of list, as words. */
static int
article_starts(const char *head, size_t n, const char *const *list, size_t k)
{
	size_t i, bl;

	for (i = 0; i < k; i++) {
		bl = strlen(list[i]);
		if (bl > n || memcmp(head, list[i], bl) != 0)
			continue;
		/* Whole words: "subscribe", not "Subscribers to the service rose". */
		if (bl < n && (unsigned char)list[i][bl - 1] < 0x80 &&
		    article_word_byte(list[i][bl - 1]) && article_word_byte(head[bl]))
			continue;
		return 1;
	}
	return 0;
}

/*
 * Tell whether the sentence at s (len bytes) is boilerplate: furniture
 * (ARTICLE_FURNITURE: it starts like a page's furniture or holds a feed
 * software's footer) or other boilerplate (ARTICLE_BOILER: it starts,
 * after a show notes' timestamp, like a label or a credit, cites a
 * source, or shows a web address: a link to follow is nothing a display
 * can use); else 0.
 */
static int
article_is_boiler(const char *s, size_t len)
{
	char head[32];
	size_t i, n, skip = article_timestamp(s, len);

	n = lang_lower(head, sizeof head, s, len < sizeof head - 8 ? len : sizeof head - 8);
	if (article_starts(head, n, article_furniture,
	    sizeof article_furniture / sizeof article_furniture[0]))
		return ARTICLE_FURNITURE;
	/* Footers are written in lower case: the text as it is. */
	for (i = 0; i < sizeof article_footer / sizeof article_footer[0]; i++)
		if (article_has(s, len, article_footer[i]))
			return ARTICLE_FURNITURE;
	if (skip > 0) {
		s += skip;
		len -= skip;
		/* (0:16) “Walmart Reports Q2,” Walmart, August 2017: a citation. */
		if (len > 0 && (s[0] == '"' || (len >= 3 && memcmp(s, "\xe2\x80\x9c", 3) == 0)))
			return ARTICLE_BOILER;
		n = lang_lower(head, sizeof head, s, len < sizeof head - 8 ? len : sizeof head - 8);
	}
	if (article_starts(head, n, article_boiler, sizeof article_boiler / sizeof article_boiler[0]) ||
	    article_has(s, len, "://") || article_has(s, len, "www."))
		return ARTICLE_BOILER;
	return 0;
}

/*
 * How the sentence at s (*len bytes) ends, for a summary that shows it:
 * closed by its own mark (. ! ? a quote...), open (on a letter or digit:
 * a heading, a standfirst), or cut by the feed ("[...]", "[…]" at its
 * end; *len then leaves the marker out).
 */
static uint8_t
article_ending(const char *s, uint32_t *len)
{
	static const char *const cut[] = { "[...]", "[\xe2\x80\xa6]", "(...)", "(\xe2\x80\xa6)" };
	size_t i, n = *len, ml;
	uint32_t cp = 0;

	for (i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		ml = strlen(cut[i]);
		if (n >= ml && memcmp(s + n - ml, cut[i], ml) == 0) {
			n -= ml;
			while (n > 0 && s[n - 1] == ' ')
				n--;
			break;
		}
	}
	if (n == 0) {
		*len = 0;
		return ARTICLE_END_CLOSED;
	}
	/* The last code point: back over UTF-8 continuation bytes. */
	for (i = n - 1; i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80; i--)
		;
	article_cp(s, n, i, &cp);
	if (n == *len)
		return article_alnum_cp(cp) ? ARTICLE_END_OPEN : ARTICLE_END_CLOSED;
	*len = (uint32_t)n;
	return article_alnum_cp(cp) ? ARTICLE_END_CUT : ARTICLE_END_CLOSED;
}

/*
 * Return how many bytes of a dateline start the paragraph at s: "LONDON
 * (Reuters) — ", "BUENOS AIRES, Argentina (AP) - ", "WASHINGTON -- ",
 * "MEMPHIS, Tenn. (AP) - ".
 * The first word is in capitals, no word before the dash is lower case.
 */
static size_t
article_dateline(const char *s, size_t len)
{
	size_t i = 0, max = len < ARTICLE_DATELINE_MAX ? len : ARTICLE_DATELINE_MAX;
	int caps = 0, paren = 0;

	while (i < max && s[i] >= 'A' && s[i] <= 'Z')
		i++, caps++;
	if (caps < 2 || i == max || (s[i] != ' ' && s[i] != ','))
		return 0;
	while (i < max) {
		unsigned char c = (unsigned char)s[i];

		if (c == '(')
			paren = 1;
		else if (c == ')')
			paren = 0;
		else if (c == ' ' && !paren && i + 1 < max) {
			const char *d = s + i + 1;
			size_t dl = max - i - 1, skip = 0;

			if (dl >= 2 && d[0] == '-' && d[1] == '-')
				skip = 2;
			else if (dl >= 1 && d[0] == '-')
				skip = 1;
			else if (dl >= 3 && memcmp(d, "\xe2\x80\x94", 3) == 0)
				skip = 3;	/* — */
			else if (dl >= 3 && memcmp(d, "\xe2\x80\x93", 3) == 0)
				skip = 3;	/* – */
			if (skip > 0) {
				if (skip >= dl || d[skip] != ' ')
					return 0;
				return i + 1 + skip + 1;
			}
			if (!paren && d[0] >= 'a' && d[0] <= 'z')
				return 0;
		} else if (c == '.') {
			/* Only an abbreviation's: D.C., or Tenn. before (AP) or the dash. */
			if (i + 2 >= max || (s[i + 1] == ' ' && s[i + 2] != '(' &&
			    s[i + 2] != '-' && s[i + 2] != '\xe2'))
				return 0;
		} else if (c == '!' || c == '?' || c == '"' || c == '\n') {
			return 0;
		}
		i++;
	}
	return 0;
}

/* Make an article reader. */
struct article *
article_new(const char *language)
{
	struct article *a;

	if ((a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	if ((a->lang = lang_new(language)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

/* Free an article reader. */
void
article_free(struct article *a)
{
	if (a == NULL)
		return;
	lang_free(a->lang);
	free(a);
}

/* Return the text a word is in. */
const char *
article_word_text(const struct article *a, const struct article_word *w)
{
	return w->sent == ARTICLE_TITLE ? a->title : a->text;
}

/* Start a new generation of the hash tables: every slot is empty again. */
static void
article_clear(struct article *a)
{
	if (++a->gen == 0) {
		memset(a->stems, 0, sizeof a->stems);
		memset(a->forms, 0, sizeof a->forms);
		a->gen = 1;
	}
	a->nsent = a->nword = a->ntitle = a->nterm = 0;
}

/*
 * Return 1 when sentence s says the headline again and little more, as
 * aggregators' descriptions do ("NASA Will Send More Helicopters to Mars
 * The New York Times"): it starts with the headline's first two words and
 * half its content words or more are the headline's.
 */
static int
article_repeats_title(const struct article *a, const struct article_sentence *s)
{
	size_t i, content = 0, shared = 0;

	if (a->ntitle < 2 || s->w1 - s->w0 < 2 || a->word[s->w0].term != a->word[0].term ||
	    a->word[s->w0 + 1].term != a->word[1].term)
		return 0;
	for (i = s->w0; i < s->w1; i++) {
		if (a->word[i].flags & ARTICLE_STOP)
			continue;
		content++;
		shared += a->term[a->word[i].term].title;
	}
	return shared * 2 >= content;
}

/* Read an article. */
void
article_read(struct article *a, const char *title, size_t tlen, const char *text, size_t len)
{
	struct summary_sentence sp[ARTICLE_MAX_SENTENCES];
	struct article_sentence *s;
	size_t n, i, w, skip;
	unsigned lastpara = (unsigned)-1;

	article_clear(a);
	a->title = title;
	a->tlen = tlen;
	a->text = text;
	a->len = len;
	/* Each of a headline's sentences starts with a capital of its own. */
	n = summary_split(title, tlen, sp, ARTICLE_MAX_SENTENCES);
	for (i = 0; i < n; i++)
		article_words(a, title, tlen, sp[i].off, sp[i].off + sp[i].len, ARTICLE_TITLE,
		    ARTICLE_TITLE_WORDS);
	a->ntitle = a->nword;
	n = summary_split(text, len, sp, ARTICLE_MAX_SENTENCES);
	for (i = 0; i < n && a->nword < ARTICLE_MAX_WORDS; i++) {
		s = &a->sent[a->nsent];
		s->off = (uint32_t)sp[i].off;
		s->len = (uint32_t)sp[i].len;
		s->para = (uint16_t)sp[i].para;
		s->boiler = (uint8_t)article_is_boiler(text + s->off, s->len);
		/* A dateline opens a paragraph, near the top. */
		if (sp[i].para != lastpara && i < 4 &&
		    (skip = article_dateline(text + s->off, s->len)) > 0) {
			s->off += (uint32_t)skip;
			s->len -= (uint32_t)skip;
		}
		lastpara = sp[i].para;
		s->end = article_ending(text + s->off, &s->len);
		s->chars = (uint32_t)text_utf8_chars(text + s->off, s->len);
		s->w0 = (uint32_t)a->nword;
		article_words(a, text, len, s->off, s->off + s->len, (uint16_t)a->nsent,
		    ARTICLE_MAX_WORDS);
		s->w1 = (uint32_t)a->nword;
		s->lower = 0;
		for (w = s->w0; w < s->w1; w++)
			if (!(a->word[w].flags & (ARTICLE_CAP | ARTICLE_NUM)))
				s->lower = 1;
		/* A byline: "By Jane Smith", "By . Associated Press ." */
		if (s->len > 3 && memcmp(text + s->off, "By ", 3) == 0 && s->w1 - s->w0 <= 6 &&
		    !s->lower)
			s->boiler = ARTICLE_BOILER;
		s->repeat = (uint8_t)article_repeats_title(a, s);
		/*
		 * A capital inside a sentence says name, but not in the
		 * headline said again: its capitals are the headline's.
		 */
		for (w = s->w0; w < s->w1 && !s->repeat; w++)
			if ((a->word[w].flags & (ARTICLE_CAP | ARTICLE_FIRST)) == ARTICLE_CAP)
				a->term[a->word[w].term].cap = 1;
		a->nsent++;
	}
}

/* Store the term of a word in *term; return 0, or -1 when the article has none. */
static int
article_lookup(struct article *a, const char *s, size_t len, uint32_t *term)
{
	char lower[LANG_WORD_MAX];
	const struct article_slot *slot;
	const char *stem;
	size_t ll, sl;

	if ((ll = lang_lower(lower, sizeof lower, s, len)) == 0)
		return -1;
	stem = lang_stem(a->lang, lower, ll, &sl);
	slot = article_probe(a, a->stems, hash_fnv1a(HASH_FNV_OFFSET, stem, sl));
	if (slot->gen != a->gen)
		return -1;
	*term = slot->term;
	return 0;
}

/* Read a phrase as the article's terms. */
size_t
article_phrase(struct article *a, const char *s, size_t len, uint32_t *keys, size_t max)
{
	size_t i = 0, n = 0, end;
	const char *hyphen;
	uint32_t cp;

	while (i < len) {
		size_t step = article_cp(s, len, i, &cp);

		if (!article_alnum_cp(cp)) {
			i += step;
			continue;
		}
		end = article_word_end(s, len, i);
		if (n == max)
			return 0;
		/* A slug's word the text has not (tranzycja-medyczna): its parts. */
		if (article_lookup(a, s + i, end - i, &keys[n]) == -1) {
			if ((hyphen = memchr(s + i, '-', end - i)) == NULL)
				return 0;
			end = (size_t)(hyphen - s);
			if (article_lookup(a, s + i, end - i, &keys[n]) == -1)
				return 0;
		}
		n++;
		i = end;
	}
	return n;
}
