/* summary — sentence splitting and the lead summary. */
#include <math.h>
#include <string.h>

#include "newsdigest/summary.h"
#include "newsdigest/text.h"

#define SUMMARY_MAX_SENTENCES 256
#define SUMMARY_LEAD_MAX 3	/* a summary is 1-3 sentences */

/*
 * Words after which a full stop does not end a sentence. Lower case,
 * without the final dot; inner dots kept ("u.s"). First the titles of a
 * name (Sen. John Smith, John Smith Jr.).
 */
static const char *const summary_titles[] = {
	"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "gen", "col", "lt", "sgt", "capt", "cmdr",
	"gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "maj", "adm",
};

static const char *const summary_abbrevs[] = {
	"st", "mt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
	"dec", "no", "nos", "vs", "v", "approx", "fig", "vol", "ch", "pp", "dept", "univ", "assn",
	"ave", "blvd", "e.g", "i.e", "ph.d", "al", "cf", "ft",
};

/*
 * The states of the United States as a dateline or an address abbreviates
 * them (MEMPHIS, Tenn.), when capitalised: they may end a sentence too.
 */
static const char *const summary_states[] = {
	"ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
	"ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
	"ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
};

/*
 * Abbreviations that often end a sentence too ("... in the U.S. The
 * talks"): the full stop ends one when a usual sentence opener follows.
 */
static const char *const summary_abbrevs_final[] = {
	"u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "etc", "inc", "ltd", "co", "corp", "d.c",
};

static const char *const summary_openers[] = {
	"The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On", "At",
	"This", "That", "These", "Those", "His", "Her", "Its", "Their", "There", "Meanwhile",
	"However", "Officials", "Police",
};

/* Return 1 for ASCII white space or the '\n' paragraph mark. */
static int
summary_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Return 1 when c is an ASCII upper-case letter. */
static int
summary_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Return 1 when word (n bytes, lower case) is in list. */
static int
summary_in(const char *const *list, size_t count, const char *word)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(word, list[i]) == 0)
			return 1;
	return 0;
}

#define SUMMARY_IN(list, word) summary_in((list), sizeof (list) / sizeof (list)[0], (word))

/* Lower-case the n bytes at s into word (cap bytes); return 0, or -1 when too long. */
static int
summary_lower(char *word, size_t cap, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= cap)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		word[i] = summary_upper(c) ? (char)(c + 32) : (char)c;
	}
	word[n] = '\0';
	return 0;
}

/*
 * Tell what the word ending just before the dot at text[dot] is: 0 a
 * plain word, 1 an abbreviation or initial, 2 an abbreviation that may
 * also end a sentence.
 */
static int
summary_abbrev(const char *text, size_t dot)
{
	char word[16];
	size_t start = dot, n;

	while (start > 0 && !summary_space(text[start - 1]) && text[start - 1] != '(' &&
	    text[start - 1] != '"')
		start--;
	n = dot - start;
	/* A single capital letter is an initial: "John F. Kennedy". */
	if (n == 1 && summary_upper((unsigned char)text[start]))
		return 1;
	if (summary_lower(word, sizeof word, text + start, n) == -1)
		return 0;
	if (SUMMARY_IN(summary_titles, word) || SUMMARY_IN(summary_abbrevs, word))
		return 1;
	if (SUMMARY_IN(summary_abbrevs_final, word) ||
	    (summary_upper((unsigned char)text[start]) && SUMMARY_IN(summary_states, word)))
		return 2;
	return 0;
}

/* Tell whether the capitalised word (s, n), before a dot, is a name's title or a state. */
int
summary_name_abbrev(const char *s, size_t n)
{
	char word[16];

	if (n == 0 || !summary_upper((unsigned char)s[0]) ||
	    summary_lower(word, sizeof word, s, n) == -1)
		return 0;
	return SUMMARY_IN(summary_titles, word) || SUMMARY_IN(summary_states, word);
}

/* Return 1 when the word at s is a usual sentence opener. */
static int
summary_opener(const char *s, size_t len)
{
	size_t i, n;

	/* A quotation that opens with a capital: 'at 1 a.m. "Nobody ...'. */
	if (len > 1 && s[0] == '"' && summary_upper((unsigned char)s[1]))
		return 1;
	if (len > 3 && memcmp(s, "\xe2\x80\x9c", 3) == 0 && summary_upper((unsigned char)s[3]))
		return 1;
	for (i = 0; i < sizeof summary_openers / sizeof summary_openers[0]; i++) {
		n = strlen(summary_openers[i]);
		if (n < len && memcmp(s, summary_openers[i], n) == 0 && s[n] == ' ')
			return 1;
	}
	return 0;
}

/*
 * Return 1 when cp is a lower-case letter of the scripts whose case we
 * know (Latin-1, Latin Extended-A, Greek, Cyrillic). Other scripts have no
 * case, so any of their letters may start a sentence.
 */
static int
summary_lower_cp(uint32_t cp)
{
	if (cp >= 0xDF && cp <= 0xFF)
		return cp != 0xF7;
	if (cp >= 0x100 && cp <= 0x17F) {
		/* Pairs upper/lower, shifted by one in two runs. */
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
			return (cp & 1) == 0;
		if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
			return 1;
		return cp != 0x178 && (cp & 1) == 1;
	}
	if (cp >= 0x3AC && cp <= 0x3CE)
		return 1;
	return cp >= 0x430 && cp <= 0x45F;
}

/* Return 1 when a sentence may start with the byte at s. */
static int
summary_starter(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];

	if (summary_upper(c) || (c >= '0' && c <= '9') || c == '"' || c == '\'' || c == '(' ||
	    c == '[')
		return 1;
	if (c >= 0x80) {
		uint32_t cp;

		text_utf8_next(s, len, &cp);
		/* Opening quotes; then letters, which must not be lower case. */
		if (cp == 0x201C || cp == 0x2018 || cp == 0xAB || cp == 0x2039 || cp == 0x201E)
			return 1;
		return cp >= 0xC0 && !summary_lower_cp(cp);
	}
	return 0;
}

/* Append a sentence span after trimming it; count its characters. */
static size_t
summary_push(const char *text, size_t start, size_t end, unsigned para,
    struct summary_sentence *out, size_t n, size_t max)
{
	while (start < end && summary_space(text[start]))
		start++;
	while (end > start && summary_space(text[end - 1]))
		end--;
	if (start == end || n == max)
		return n;
	out[n].off = start;
	out[n].len = end - start;
	out[n].chars = text_utf8_chars(text + start, end - start);
	out[n].para = para;
	return n + 1;
}

/*
 * Return the length of another script's full stop at text[i], or 0:
 * Urdu's and Arabic's (۔ ؟), Devanagari's (। ॥), which a space follows;
 * Chinese's and Japanese's (。 ！ ？), which *wide is set for: no space
 * follows them.
 */
static size_t
summary_script_stop(const char *text, size_t len, size_t i, int *wide)
{
	static const struct {
		const char *s;
		int wide;
	} stops[] = {
		{ "\xdb\x94", 0 }, { "\xd8\x9f", 0 }, { "\xe0\xa5\xa4", 0 },
		{ "\xe0\xa5\xa5", 0 }, { "\xe3\x80\x82", 1 }, { "\xef\xbc\x81", 1 },
		{ "\xef\xbc\x9f", 1 },
	};
	size_t k, n;

	switch ((unsigned char)text[i]) {
	case 0xD8: case 0xDB: case 0xE0: case 0xE3: case 0xEF:
		break;
	default:
		return 0;
	}
	for (k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		n = strlen(stops[k].s);
		if (i + n <= len && memcmp(text + i, stops[k].s, n) == 0) {
			*wide = stops[k].wide;
			return n;
		}
	}
	return 0;
}

/* Split text into sentences. */
size_t
summary_split(const char *text, size_t len, struct summary_sentence *out, size_t max)
{
	size_t i, j, start = 0, n = 0, mark;
	unsigned para = 0;
	unsigned char c;
	int wide;

	for (i = 0; i < len && n < max; i++) {
		c = (unsigned char)text[i];
		if (c == '\n') {
			n = summary_push(text, start, i, para, out, n, max);
			start = i + 1;
			para++;
			continue;
		}
		if ((mark = summary_script_stop(text, len, i, &wide)) > 0) {
			j = i + mark;
			/* 」』）: a closing quote or bracket is the sentence's. */
			while (j + 3 <= len && (memcmp(text + j, "\xe3\x80\x8d", 3) == 0 ||
			    memcmp(text + j, "\xe3\x80\x8f", 3) == 0 ||
			    memcmp(text + j, "\xef\xbc\x89", 3) == 0))
				j += 3;
			if (!wide && (j >= len || text[j] != ' '))
				continue;
			n = summary_push(text, start, j, para, out, n, max);
			start = j;
			i = j - 1;
			continue;
		}
		if (c != '.' && c != '!' && c != '?')
			continue;
		j = i + 1;
		/* Runs of terminators and an ellipsis: "?!", "..." */
		while (j < len && (text[j] == '.' || text[j] == '!' || text[j] == '?'))
			j++;
		/* Closing quotes and brackets belong to this sentence. */
		for (;;) {
			if (j < len && (text[j] == '"' || text[j] == '\'' || text[j] == ')' ||
			    text[j] == ']')) {
				j++;
			} else if (j + 1 < len && (unsigned char)text[j] == 0xC2 &&
			    (unsigned char)text[j + 1] == 0xBB) {
				j += 2;	/* » */
			} else if (j + 2 < len && (unsigned char)text[j] == 0xE2 &&
			    (unsigned char)text[j + 1] == 0x80 &&
			    ((unsigned char)text[j + 2] == 0x9D || (unsigned char)text[j + 2] == 0x99 ||
				(unsigned char)text[j + 2] == 0xBA)) {
				j += 3;	/* ” ’ › */
			} else {
				break;
			}
		}
		if (j >= len || text[j] != ' ')
			continue;
		if (c == '.' && j == i + 1) {
			int kind = summary_abbrev(text, i);

			if (kind == 1 ||
			    (kind == 2 && !summary_opener(text + j + 1, len - j - 1)))
				continue;
		}
		/* "3.5 percent" never reaches here: no space follows the dot. */
		if (j + 1 >= len || !summary_starter(text + j + 1, len - j - 1))
			continue;
		n = summary_push(text, start, j, para, out, n, max);
		start = j + 1;
		i = j;
	}
	return summary_push(text, start, len, para, out, n, max);
}

/*
 * Return 1 when a sentence that ends s (len bytes) wants a space before
 * the next: not after Chinese or Japanese (。, a kana, an ideograph, a
 * full-width mark), which sets sentences side by side.
 */
static int
summary_space_after(const char *s, size_t len)
{
	size_t i;
	uint32_t cp;

	if (len == 0 || (unsigned char)s[len - 1] < 0x80)
		return 1;
	for (i = len - 1; i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80; i--)
		;
	text_utf8_next(s + i, len - i, &cp);
	return !text_cp_cjk(cp);
}

/* Append the lead summary. */
int
summary_lead(struct buf *out, const char *text, size_t len, size_t max_chars)
{
	struct summary_sentence s[SUMMARY_MAX_SENTENCES];
	size_t n, i, used = 0;

	n = summary_split(text, len, s, SUMMARY_MAX_SENTENCES);
	if (n == 0 || max_chars == 0)
		return buf_failed(out) ? -1 : 0;
	if (s[0].chars > max_chars)
		return text_cut(out, text + s[0].off, s[0].len, max_chars) == -1 ? -1 : 0;
	for (i = 0; i < n && i < SUMMARY_LEAD_MAX; i++) {
		size_t need = s[i].chars + (i > 0 ? 1 : 0);

		if (used + need > max_chars)
			break;
		if (i > 0 && summary_space_after(text + s[i - 1].off, s[i - 1].len))
			buf_addc(out, ' ');
		buf_add(out, text + s[i].off, s[i].len);
		used += need;
	}
	return buf_failed(out) ? -1 : 0;
}

/*
 * The weights of the sentence score. A sentence's value per word is
 *   POS * position prior + CENT * centrality + KEY * key-term density +
 *   TITLE * headline overlap,
 * each feature scaled to 0..1 over the article, and the set chosen
 * maximises the sum of value per word times words, less REDUNDANCY times
 * the overlap of each pair.
 */
#ifndef SUMMARY_W_POS
#define SUMMARY_W_POS 1.0
#endif
#ifndef SUMMARY_W_CENT
#define SUMMARY_W_CENT 1.5
#endif
#ifndef SUMMARY_W_KEY
#define SUMMARY_W_KEY 0.5
#endif
#ifndef SUMMARY_W_TITLE
#define SUMMARY_W_TITLE 0.5
#endif
#ifndef SUMMARY_W_RED
#define SUMMARY_W_RED 1.0
#endif
#ifndef SUMMARY_POS_DECAY
#define SUMMARY_POS_DECAY 0.5	/* prior = 1 / (1 + rank)^DECAY */
#endif
#define SUMMARY_MIN_WORDS 5	/* a shorter "sentence" is a heading or a caption */
#define SUMMARY_TOP 12		/* the best sentences whose sets we try */
/*
 * Two sentences sharing this much (3/5 of the terms of the shorter) say the
 * same. A ratio of counts, compared exactly: as a double 0.6 it would be
 * compared in the 80-bit precision of an x87 FPU (i386) and 3/5 would fall
 * below it there, above it elsewhere: summaries would differ by machine.
 */
#define SUMMARY_SAME_NUM 3
#define SUMMARY_SAME_DEN 5
#define SUMMARY_DANGLING 1e-9	/* a set ending on a colon loses to the same without it */

struct summary_cand {
	size_t sent;		/* index into a->sent */
	size_t u0, u1;		/* its distinct content terms: uterm[u0..u1) */
	size_t words;
	double score;		/* value per word */
};

/* What summary_make() works with; on its stack, nothing allocated. */
struct summary_work {
	const struct article *a;
	struct summary_cand c[ARTICLE_MAX_SENTENCES];
	size_t nc;
	uint32_t uterm[ARTICLE_MAX_WORDS];
	uint32_t mark[ARTICLE_MAX_WORDS];
	uint32_t stamp;
	double tw[ARTICLE_MAX_WORDS];
	size_t top[SUMMARY_TOP];
	size_t ntop;
	double ov[SUMMARY_TOP][SUMMARY_TOP];	/* share of terms of top[i] and top[j] */
	unsigned char same[SUMMARY_TOP][SUMMARY_TOP];	/* they say the same */
	size_t max_chars, max_bytes;
	size_t best[3], nbest;
	double bestval;
};

/* Return 1 when a's sentence i may be shown at the given strictness. */
static int
summary_usable(const struct article *a, size_t i, int level)
{
	const struct article_sentence *s = &a->sent[i];

	if (s->len == 0)
		return 0;
	/* The headline said again: the display shows it already. */
	if (s->repeat)
		return 0;
	if (level == 0)
		return !s->boiler && s->lower && s->w1 - s->w0 >= SUMMARY_MIN_WORDS;
	if (level == 1)
		return !s->boiler && s->w1 - s->w0 >= 3;
	return s->boiler != ARTICLE_FURNITURE;
}

/* Cut s to max_chars and max_bytes (0: none) on a word, with "…". */
static int
summary_cut(struct buf *out, const char *s, size_t len, size_t max_chars, size_t max_bytes)
{
	size_t start = out->len;

	for (;;) {
		if (text_cut(out, s, len, max_chars) == -1)
			return -1;
		if (max_bytes == 0 || out->len - start <= max_bytes || max_chars == 0)
			return 0;
		buf_truncate(out, start);
		max_chars--;
	}
}

/* Count the content terms candidates i and j share. */
static size_t
summary_common(struct summary_work *wk, size_t i, size_t j)
{
	const struct summary_cand *p = &wk->c[i], *q = &wk->c[j];
	size_t k, n = 0;

	wk->stamp++;
	for (k = p->u0; k < p->u1; k++)
		wk->mark[wk->uterm[k]] = wk->stamp;
	for (k = q->u0; k < q->u1; k++)
		if (wk->mark[wk->uterm[k]] == wk->stamp)
			n++;
	return n;
}

/*
 * Find the candidates and their distinct content terms: the sentences
 * usable at the strictest level that has one fitting the budget (else
 * at the strictest level that has any, for a cut).
 */
static void
summary_candidates(struct summary_work *wk)
{
	const struct article *a = wk->a;
	size_t i, w, nu = 0;
	int level, fits, first = -1;

	/* Boilerplate (level 2) only for an article that is nothing else. */
	for (level = 0; level < 2; level++) {
		fits = 0;
		for (i = 0; i < a->nsent; i++)
			if (summary_usable(a, i, level)) {
				if (first == -1)
					first = level;
				if (a->sent[i].chars <= wk->max_chars &&
				    (wk->max_bytes == 0 || a->sent[i].len <= wk->max_bytes))
					fits = 1;
			}
		if (fits)
			break;
	}
	if (level == 2)
		level = first != -1 ? first : 2;
	for (i = 0; i < a->nsent && level >= 0; i++)
		if (summary_usable(a, i, level))
			wk->c[wk->nc++].sent = i;
	for (i = 0; i < wk->nc; i++) {
		const struct article_sentence *s = &a->sent[wk->c[i].sent];

		wk->stamp++;
		wk->c[i].u0 = nu;
		wk->c[i].words = s->w1 - s->w0 > 0 ? s->w1 - s->w0 : 1;
		for (w = s->w0; w < s->w1; w++) {
			uint32_t t = a->word[w].term;

			if (wk->tw[t] == 0 || wk->mark[t] == wk->stamp)
				continue;
			wk->mark[t] = wk->stamp;
			wk->uterm[nu++] = t;
		}
		wk->c[i].u1 = nu;
	}
}

/* Score every candidate: value per word. */
static void
summary_score(struct summary_work *wk, size_t ntitle)
{
	double cent[ARTICLE_MAX_SENTENCES], key[ARTICLE_MAX_SENTENCES], title;
	double maxcent = 0, maxkey = 0;
	size_t i, j, k, common;

	for (i = 0; i < wk->nc; i++) {
		struct summary_cand *p = &wk->c[i];

		/* Centrality: TextRank's similarity, summed over the others. */
		cent[i] = 0;
		for (j = 0; j < wk->nc; j++) {
			if (j == i || (common = summary_common(wk, i, j)) == 0)
				continue;
			cent[i] += (double)common / (log(2.0 + (double)(p->u1 - p->u0)) +
			    log(2.0 + (double)(wk->c[j].u1 - wk->c[j].u0)));
		}
		key[i] = 0;
		for (k = p->u0; k < p->u1; k++)
			key[i] += wk->tw[wk->uterm[k]];
		key[i] /= (double)p->words;
		if (cent[i] > maxcent)
			maxcent = cent[i];
		if (key[i] > maxkey)
			maxkey = key[i];
	}
	for (i = 0; i < wk->nc; i++) {
		struct summary_cand *p = &wk->c[i];

		title = 0;
		for (k = p->u0; k < p->u1; k++)
			if (wk->a->term[wk->uterm[k]].title)
				title++;
		p->score = SUMMARY_W_POS * pow(1.0 + (double)i, -SUMMARY_POS_DECAY) +
		    SUMMARY_W_CENT * (maxcent > 0 ? cent[i] / maxcent : 0) +
		    SUMMARY_W_KEY * (maxkey > 0 ? key[i] / maxkey : 0) +
		    SUMMARY_W_TITLE * (ntitle > 0 ? title / (double)ntitle : 0);
	}
}

/* Keep the best SUMMARY_TOP candidates that fit alone, in article order. */
static void
summary_top(struct summary_work *wk)
{
	const struct article *a = wk->a;
	size_t i, j, k;

	for (i = 0; i < wk->nc; i++) {
		const struct article_sentence *s = &a->sent[wk->c[i].sent];

		if (s->chars > wk->max_chars || (wk->max_bytes > 0 && s->len > wk->max_bytes))
			continue;
		if (wk->ntop < SUMMARY_TOP) {
			wk->top[wk->ntop++] = i;
			continue;
		}
		for (j = 0, k = 0; j < wk->ntop; j++)
			if (wk->c[wk->top[j]].score < wk->c[wk->top[k]].score)
				k = j;
		if (wk->c[i].score > wk->c[wk->top[k]].score) {
			memmove(wk->top + k, wk->top + k + 1, (wk->ntop - k - 1) * sizeof wk->top[0]);
			wk->top[wk->ntop - 1] = i;
		}
	}
	for (i = 0; i < wk->ntop; i++)
		for (j = 0; j < wk->ntop; j++) {
			const struct summary_cand *p = &wk->c[wk->top[i]], *q = &wk->c[wk->top[j]];
			size_t least = p->u1 - p->u0 < q->u1 - q->u0 ? p->u1 - p->u0 : q->u1 - q->u0;
			size_t common = least == 0 || i == j ? 0 :
			    summary_common(wk, wk->top[i], wk->top[j]);

			wk->ov[i][j] = common == 0 ? 0 : (double)common / (double)least;
			wk->same[i][j] = common > 0 &&
			    common * SUMMARY_SAME_DEN >= least * SUMMARY_SAME_NUM;
		}
}

/*
 * What closes a sentence a summary shows, by its ARTICLE_END_*: nothing,
 * a full stop after a heading or a standfirst (so that the next sentence
 * does not run on from it), an ellipsis where the feed cut it.
 */
static const char *const summary_close[] = { "", ".", "\xe2\x80\xa6" };
static const size_t summary_close_bytes[] = { 0, 1, 3 };

/* Weigh the set of n top candidates in pick; keep it when it is the best. */
static void
summary_try(struct summary_work *wk, const size_t *pick, size_t n)
{
	size_t m, k, chars = 0, bytes = 0;
	double val = 0, v[3];

	for (m = 0; m < n; m++) {
		const struct summary_cand *p = &wk->c[wk->top[pick[m]]];
		const struct article_sentence *st = &wk->a->sent[p->sent];

		chars += st->chars + (m > 0) + (st->end != ARTICLE_END_CLOSED);
		bytes += st->len + (m > 0) + summary_close_bytes[st->end];
		v[m] = p->score * (double)p->words;
		/*
		 * A sentence that ends on a colon announces the next one (He
		 * said:, the following:): without it, it says nothing, and a
		 * set with it comes after the same set without it.
		 */
		if (st->len > 0 && wk->a->text[st->off + st->len - 1] == ':' &&
		    (m + 1 == n || wk->c[wk->top[pick[m + 1]]].sent != p->sent + 1)) {
			v[m] = 0;
			val -= SUMMARY_DANGLING;
		}
		val += v[m];
	}
	if (chars > wk->max_chars || (wk->max_bytes > 0 && bytes > wk->max_bytes))
		return;
	for (m = 0; m + 1 < n; m++)
		for (k = m + 1; k < n; k++) {
			double o = wk->ov[pick[m]][pick[k]];

			if (wk->same[pick[m]][pick[k]])
				return;
			val -= SUMMARY_W_RED * o * (v[m] < v[k] ? v[m] : v[k]);
		}
	if (val > wk->bestval) {
		wk->bestval = val;
		wk->nbest = n;
		memcpy(wk->best, pick, n * sizeof pick[0]);
	}
}

/* Append the best summary of a. */
int
summary_make(struct buf *out, const struct article *a, size_t max_chars, size_t max_bytes)
{
	struct summary_work *wk, space;
	size_t ntitle = 0, i, k, pick[3];

	if (max_chars == 0 || a->nsent == 0)
		return buf_failed(out) ? -1 : 0;
	wk = &space;
	wk->a = a;
	wk->nc = wk->ntop = wk->nbest = 0;
	wk->stamp = 0;
	wk->bestval = -1;
	wk->max_chars = max_chars;
	wk->max_bytes = max_bytes;
	/* Term weights: frequency, doubled for the headline's terms. */
	for (i = 0; i < a->nterm; i++) {
		const struct article_term *t = &a->term[i];

		wk->mark[i] = 0;
		wk->tw[i] = t->stop ? 0 : log(1.0 + t->count) * (t->title ? 2.0 : 1.0);
		if (!t->stop && t->title)
			ntitle++;
	}
	summary_candidates(wk);
	/* Nothing to show: every sentence says the headline again, or is empty. */
	if (wk->nc == 0)
		return buf_failed(out) ? -1 : 0;
	summary_score(wk, ntitle);
	summary_top(wk);
	if (wk->ntop == 0) {
		/* No whole sentence fits: the best one, cut. */
		for (i = 1, k = 0; i < wk->nc; i++)
			if (wk->c[i].score > wk->c[k].score)
				k = i;
		return summary_cut(out, a->text + a->sent[wk->c[k].sent].off,
		    a->sent[wk->c[k].sent].len, max_chars, max_bytes) == -1 ? -1 : 0;
	}
	/* Every set of one to three that fits; top[] is in article order. */
	for (pick[0] = 0; pick[0] < wk->ntop; pick[0]++) {
		summary_try(wk, pick, 1);
		for (pick[1] = pick[0] + 1; pick[1] < wk->ntop; pick[1]++) {
			summary_try(wk, pick, 2);
			for (pick[2] = pick[1] + 1; pick[2] < wk->ntop; pick[2]++)
				summary_try(wk, pick, 3);
		}
	}
	for (i = 0; i < wk->nbest; i++) {
		const struct article_sentence *s = &a->sent[wk->c[wk->top[wk->best[i]]].sent];

		if (i > 0 && summary_space_after(out->data, out->len))
			buf_addc(out, ' ');
		buf_add(out, a->text + s->off, s->len);
		buf_adds(out, summary_close[s->end]);
	}
	return buf_failed(out) ? -1 : 0;
}
