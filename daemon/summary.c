/* summary — sentence splitting and the lead summary. */
#include <string.h>

#include "newsdigest/summary.h"
#include "newsdigest/text.h"

#define SUMMARY_MAX_SENTENCES 256
#define SUMMARY_LEAD_MAX 3	/* a summary is 1-3 sentences */

/*
 * Words after which a full stop does not end a sentence. Lower case,
 * without the final dot; inner dots kept ("u.s").
 */
static const char *const summary_abbrevs[] = {
	"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt",
	"capt", "cmdr", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"no", "nos", "vs", "v", "approx", "fig", "vol", "ch", "pp", "dept", "univ", "assn",
	"ave", "blvd", "e.g", "i.e", "ph.d", "al", "cf", "ft",
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

/*
 * Tell what the word ending just before the dot at text[dot] is: 0 a
 * plain word, 1 an abbreviation or initial, 2 an abbreviation that may
 * also end a sentence.
 */
static int
summary_abbrev(const char *text, size_t dot)
{
	char word[16];
	size_t start = dot, n, i;

	while (start > 0 && !summary_space(text[start - 1]) && text[start - 1] != '(' &&
	    text[start - 1] != '"')
		start--;
	n = dot - start;
	if (n == 0 || n >= sizeof word)
		return 0;
	/* A single capital letter is an initial: "John F. Kennedy". */
	if (n == 1 && summary_upper((unsigned char)text[start]))
		return 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[start + i];
		word[i] = summary_upper(c) ? (char)(c + 32) : (char)c;
	}
	word[n] = '\0';
	if (summary_in(summary_abbrevs, sizeof summary_abbrevs / sizeof summary_abbrevs[0], word))
		return 1;
	if (summary_in(summary_abbrevs_final,
	    sizeof summary_abbrevs_final / sizeof summary_abbrevs_final[0], word))
		return 2;
	return 0;
}

/* Return 1 when the word at s is a usual sentence opener. */
static int
summary_opener(const char *s, size_t len)
{
	size_t i, n;

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

/* Split text into sentences. */
size_t
summary_split(const char *text, size_t len, struct summary_sentence *out, size_t max)
{
	size_t i, j, start = 0, n = 0;
	unsigned para = 0;
	unsigned char c;

	for (i = 0; i < len && n < max; i++) {
		c = (unsigned char)text[i];
		if (c == '\n') {
			n = summary_push(text, start, i, para, out, n, max);
			start = i + 1;
			para++;
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
		if (i > 0)
			buf_addc(out, ' ');
		buf_add(out, text + s[i].off, s[i].len);
		used += need;
	}
	return buf_failed(out) ? -1 : 0;
}
