/*
 * text — plain text out of feed markup; UTF-8 helpers.
 *
 * The HTML reader is a single forward scan: runs of ordinary bytes
 * (including valid multi-byte sequences) are appended to the output with
 * one buf_add() each, and only '<', '&', white space, control bytes and
 * the few code points that need care break a run. White space is never
 * written as it is met: it leaves a pending separator that is written
 * just before the next visible character, so the output needs no trimming
 * and never holds two separators in a row.
 *
 * Double-escaped markup ("&lt;p&gt;Hi&lt;/p&gt;" inside HTML) is handled
 * by a second pass over the output of the first, run only when that
 * output holds something that looks like a tag of a known HTML element
 * and the input had no code element (<code>&lt;br&gt;</code> is a sample).
 * The second pass decodes entities again (the content is HTML escaped
 * twice, so "&amp;amp;" in it means "&"), but what it decodes is text:
 * there is never a third pass. Without such markup, "&amp;lt;" gives the
 * text "&lt;" and "5 &lt; 6" gives "5 < 6".
 */
#include <stdint.h>
#include <string.h>

#include "newsdigest/text.h"

#include "entities.h"

/* Byte classes for the scanner. */
#define TEXT_B_TEXT	0	/* printable ASCII with no special meaning */
#define TEXT_B_SPACE	1	/* ' ', '\t', '\v', '\f' */
#define TEXT_B_LF	2
#define TEXT_B_CR	3
#define TEXT_B_CTRL	4	/* other C0 controls and DEL: dropped */
#define TEXT_B_LT	5	/* '<' */
#define TEXT_B_AMP	6	/* '&' */
#define TEXT_B_RSQB	7	/* ']' */
#define TEXT_B_HIGH	8	/* 0x80-0xff: part of a multi-byte sequence */

#define T	TEXT_B_TEXT
#define S	TEXT_B_SPACE
#define C	TEXT_B_CTRL
#define H	TEXT_B_HIGH
static const unsigned char text_bclass[256] = {
	C, C, C, C, C, C, C, C, C, S, TEXT_B_LF, S, S, TEXT_B_CR, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	S, T, T, T, T, T, TEXT_B_AMP, T, T, T, T, T, T, T, T, T,
	T, T, T, T, T, T, T, T, T, T, T, T, TEXT_B_LT, T, T, T,
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	T, T, T, T, T, T, T, T, T, T, T, T, T, TEXT_B_RSQB, T, T,
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, C,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef T
#undef S
#undef C
#undef H

/* What a code point is to the text normaliser. */
#define TEXT_K_TEXT	0
#define TEXT_K_SPACE	1
#define TEXT_K_LINE	2	/* a line break */
#define TEXT_K_PARA	3	/* U+2029 PARAGRAPH SEPARATOR */
#define TEXT_K_DROP	4	/* control, zero-width or soft hyphen */

/* The separator owed before the next visible character. */
#define TEXT_SEP_NONE	0
#define TEXT_SEP_SPACE	1
#define TEXT_SEP_GAP	2	/* non-breaking spaces set two parts apart: " – " */
#define TEXT_SEP_PARA	3

/* Scanner modes. */
#define TEXT_M_HTML	0	/* first pass over HTML */
#define TEXT_M_MARKUP	1	/* second pass, over decoded double-escaped markup */
#define TEXT_M_PLAIN	2	/* plain text: tags are text */
#define TEXT_M_CDATA	3	/* CDATA section: tags and entities are text */

/* Element flags. */
#define TEXT_E_BLOCK	0x1	/* start and end tags break the paragraph */
#define TEXT_E_CELL	0x2	/* start and end tags separate words */
#define TEXT_E_SKIP	0x4	/* the content is dropped too */
#define TEXT_E_CODE	0x8	/* escaped markup in it is a code sample: text */

#define TEXT_TAG_MAX	10	/* longest name in text_elements */

struct text_element {
	char		name[TEXT_TAG_MAX + 1];
	unsigned char	flags;
};

/* The HTML elements, sorted by name; only these count as tags in the markup pass. */
static const struct text_element text_elements[] = {
	{ "a", 0 }, { "abbr", 0 }, { "acronym", 0 }, { "address", TEXT_E_BLOCK },
	{ "applet", TEXT_E_SKIP }, { "area", 0 }, { "article", TEXT_E_BLOCK },
	{ "aside", TEXT_E_BLOCK }, { "audio", TEXT_E_SKIP }, { "b", 0 }, { "base", 0 },
	{ "basefont", 0 }, { "bdi", 0 }, { "bdo", 0 }, { "big", 0 }, { "blockquote", TEXT_E_BLOCK },
	{ "body", TEXT_E_BLOCK }, { "br", TEXT_E_BLOCK }, { "button", 0 },
	{ "canvas", TEXT_E_SKIP }, { "caption", TEXT_E_BLOCK }, { "center", TEXT_E_BLOCK },
	{ "cite", 0 }, { "code", TEXT_E_CODE }, { "col", 0 }, { "colgroup", 0 }, { "data", 0 },
	{ "datalist", 0 }, { "dd", TEXT_E_BLOCK }, { "del", 0 }, { "details", TEXT_E_BLOCK },
	{ "dfn", 0 }, { "dialog", TEXT_E_BLOCK }, { "dir", TEXT_E_BLOCK }, { "div", TEXT_E_BLOCK },
	{ "dl", TEXT_E_BLOCK }, { "dt", TEXT_E_BLOCK }, { "em", 0 }, { "embed", 0 },
	{ "fieldset", TEXT_E_BLOCK }, { "figcaption", TEXT_E_BLOCK }, { "figure", TEXT_E_BLOCK },
	{ "font", 0 }, { "footer", TEXT_E_BLOCK }, { "form", TEXT_E_BLOCK }, { "frame", 0 },
	{ "frameset", 0 }, { "h1", TEXT_E_BLOCK }, { "h2", TEXT_E_BLOCK }, { "h3", TEXT_E_BLOCK },
	{ "h4", TEXT_E_BLOCK }, { "h5", TEXT_E_BLOCK }, { "h6", TEXT_E_BLOCK },
	{ "head", TEXT_E_SKIP }, { "header", TEXT_E_BLOCK }, { "hgroup", TEXT_E_BLOCK },
	{ "hr", TEXT_E_BLOCK }, { "html", TEXT_E_BLOCK }, { "i", 0 }, { "iframe", TEXT_E_SKIP },
	{ "img", 0 }, { "input", 0 }, { "ins", 0 }, { "kbd", TEXT_E_CODE }, { "label", 0 },
	{ "legend", TEXT_E_BLOCK }, { "li", TEXT_E_BLOCK }, { "link", 0 }, { "main", TEXT_E_BLOCK },
	{ "map", 0 }, { "mark", 0 }, { "math", TEXT_E_SKIP }, { "menu", TEXT_E_BLOCK },
	{ "meta", 0 }, { "meter", 0 }, { "nav", TEXT_E_BLOCK }, { "nobr", 0 },
	{ "noframes", TEXT_E_SKIP }, { "noscript", TEXT_E_SKIP }, { "object", TEXT_E_SKIP },
	{ "ol", TEXT_E_BLOCK }, { "optgroup", 0 }, { "option", 0 }, { "output", 0 },
	{ "p", TEXT_E_BLOCK }, { "param", 0 }, { "picture", 0 }, { "pre", TEXT_E_BLOCK | TEXT_E_CODE },
	{ "progress", 0 }, { "q", 0 }, { "rp", 0 }, { "rt", 0 }, { "ruby", 0 }, { "s", 0 },
	{ "samp", TEXT_E_CODE }, { "script", TEXT_E_SKIP }, { "search", TEXT_E_BLOCK },
	{ "section", TEXT_E_BLOCK }, { "select", TEXT_E_SKIP }, { "slot", 0 }, { "small", 0 },
	{ "source", 0 }, { "span", 0 }, { "strike", 0 }, { "strong", 0 }, { "style", TEXT_E_SKIP },
	{ "sub", 0 }, { "summary", TEXT_E_BLOCK }, { "sup", 0 }, { "svg", TEXT_E_SKIP },
	{ "table", TEXT_E_BLOCK }, { "tbody", 0 }, { "td", TEXT_E_CELL },
	{ "template", TEXT_E_SKIP }, { "textarea", TEXT_E_SKIP }, { "tfoot", 0 },
	{ "th", TEXT_E_CELL }, { "thead", 0 }, { "time", 0 }, { "title", TEXT_E_SKIP },
	{ "tr", TEXT_E_BLOCK }, { "track", 0 }, { "tt", TEXT_E_CODE }, { "u", 0 }, { "ul", TEXT_E_BLOCK },
	{ "var", 0 }, { "video", TEXT_E_SKIP }, { "wbr", 0 },
};

#define TEXT_NELEM	(sizeof(text_elements) / sizeof(text_elements[0]))

/*
 * The scanner's state. The markup pass treats a '<' it cannot close as
 * text and goes on, so it remembers what it looked for in vain: the
 * searches only move forward, and must not be repeated for every '<'.
 */
struct text_ctx {
	struct buf	*out;
	unsigned	 flags;
	int		 mode;
	int		 any;		/* a visible character was written */
	int		 pending;	/* TEXT_SEP_* owed before the next one */
	int		 breaks;	/* line breaks in the current white space */
	int		 nbsp;		/* non-breaking spaces in it */
	int		 saw_lt;	/* a '<' was written as text */
	int		 saw_code;	/* a <code>, <pre>, <kbd>, <samp> or <tt> was read */
	int		 cdata;		/* open CDATA sections (markup pass) */
	int		 no_comment_end;	/* no "-->" ahead (markup pass) */
	int		 no_cdata_end;	/* no "]]>" ahead (markup pass) */
	const unsigned char *no_gt;	/* no '>' from here on (markup pass) */
	unsigned char	 no_end_tag[TEXT_NELEM];	/* no </name> ahead (markup pass) */
	struct {
		char		 name[TEXT_TAG_MAX];
		unsigned char	 n;		/* 0: empty */
		short		 el;
	}		 tags[4];	/* the last names looked up: feeds repeat a few */
	unsigned	 tag_next;
};

/* Windows-1252 for numeric references to 0x80-0x9f, as HTML5 reads them. */
static const uint16_t text_cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

/*
 * ASCII folding. Letters lose their diacritics (é e, ø o, ł l, đ d, ä a:
 * not the German ae), ligatures and a few letters are spelled out (ß ss,
 * æ ae, œ oe, Þ Th, ĳ ij); symbols get a short readable form (€ EUR,
 * £ GBP, © (c), ™ (tm), ° deg, ½ 1/2); "?" marks code points with no
 * ASCII form; "" drops one (soft hyphen, zero-width and format characters,
 * combining marks). Tables for U+00A0-U+024F and U+1E00-U+1EFF were
 * generated once from the Unicode NFKD decompositions (python3
 * unicodedata) and then corrected by hand for the letters that have none
 * (đ ħ ł ø ŧ ƀ ...); maintain them by hand.
 */
static const char text_fold_latin[][4] = {
	/* 00A0 */ " ", "!", "c", "GBP", "?", "JPY", "|", "S",
	/* 00A8 */ "\"", "(c)", "a", "<<", "-", "", "(r)", "-",
	/* 00B0 */ "deg", "+/-", "2", "3", "'", "u", "P", ".",
	/* 00B8 */ ",", "1", "o", ">>", "1/4", "1/2", "3/4", "?",
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "x",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "Th", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "/",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "q", "L", "l", "L", "l", "L", "l", "L",
	/* 0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "'n", "N", "n", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
	/* 0180 */ "b", "B", "B", "b", "?", "?", "O", "C",
	/* 0188 */ "c", "D", "D", "D", "d", "?", "E", "E",
	/* 0190 */ "E", "F", "f", "G", "G", "hv", "I", "I",
	/* 0198 */ "K", "k", "l", "l", "M", "N", "n", "O",
	/* 01A0 */ "O", "o", "OI", "oi", "P", "p", "R", "?",
	/* 01A8 */ "?", "S", "?", "t", "T", "t", "T", "U",
	/* 01B0 */ "u", "U", "V", "Y", "y", "Z", "z", "Z",
	/* 01B8 */ "?", "?", "z", "2", "5", "5", "?", "w",
	/* 01C0 */ "|", "||", "?", "!", "DZ", "Dz", "dz", "LJ",
	/* 01C8 */ "Lj", "lj", "NJ", "Nj", "nj", "A", "a", "I",
	/* 01D0 */ "i", "O", "o", "U", "u", "U", "u", "U",
	/* 01D8 */ "u", "U", "u", "U", "u", "e", "A", "a",
	/* 01E0 */ "A", "a", "AE", "ae", "G", "g", "G", "g",
	/* 01E8 */ "K", "k", "O", "o", "O", "o", "Z", "z",
	/* 01F0 */ "j", "DZ", "Dz", "dz", "G", "g", "Hv", "W",
	/* 01F8 */ "N", "n", "A", "a", "AE", "ae", "O", "o",
	/* 0200 */ "A", "a", "A", "a", "E", "e", "E", "e",
	/* 0208 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 0210 */ "R", "r", "R", "r", "U", "u", "U", "u",
	/* 0218 */ "S", "s", "T", "t", "Y", "y", "H", "h",
	/* 0220 */ "N", "d", "OU", "ou", "Z", "z", "A", "a",
	/* 0228 */ "E", "e", "O", "o", "O", "o", "O", "o",
	/* 0230 */ "O", "o", "Y", "y", "l", "n", "t", "j",
	/* 0238 */ "db", "qp", "A", "C", "c", "L", "T", "s",
	/* 0240 */ "z", "?", "?", "B", "U", "V", "E", "e",
	/* 0248 */ "J", "j", "Q", "q", "R", "r", "Y", "y",
};

static const char text_fold_latinx[][3] = {
	/* 1E00 */ "A", "a", "B", "b", "B", "b", "B", "b",
	/* 1E08 */ "C", "c", "D", "d", "D", "d", "D", "d",
	/* 1E10 */ "D", "d", "D", "d", "E", "e", "E", "e",
	/* 1E18 */ "E", "e", "E", "e", "E", "e", "F", "f",
	/* 1E20 */ "G", "g", "H", "h", "H", "h", "H", "h",
	/* 1E28 */ "H", "h", "H", "h", "I", "i", "I", "i",
	/* 1E30 */ "K", "k", "K", "k", "K", "k", "L", "l",
	/* 1E38 */ "L", "l", "L", "l", "L", "l", "M", "m",
	/* 1E40 */ "M", "m", "M", "m", "N", "n", "N", "n",
	/* 1E48 */ "N", "n", "N", "n", "O", "o", "O", "o",
	/* 1E50 */ "O", "o", "O", "o", "P", "p", "P", "p",
	/* 1E58 */ "R", "r", "R", "r", "R", "r", "R", "r",
	/* 1E60 */ "S", "s", "S", "s", "S", "s", "S", "s",
	/* 1E68 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 1E70 */ "T", "t", "U", "u", "U", "u", "U", "u",
	/* 1E78 */ "U", "u", "U", "u", "V", "v", "V", "v",
	/* 1E80 */ "W", "w", "W", "w", "W", "w", "W", "w",
	/* 1E88 */ "W", "w", "X", "x", "X", "x", "Y", "y",
	/* 1E90 */ "Z", "z", "Z", "z", "Z", "z", "h", "t",
	/* 1E98 */ "w", "y", "a", "s", "s", "s", "SS", "d",
	/* 1EA0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EA8 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB8 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC0 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC8 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 1ED0 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1ED8 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1EE0 */ "O", "o", "O", "o", "U", "u", "U", "u",
	/* 1EE8 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 1EF0 */ "U", "u", "Y", "y", "Y", "y", "Y", "y",
	/* 1EF8 */ "Y", "y", "LL", "ll", "V", "v", "Y", "y",
};

static const char text_fold_punct[][4] = {
	/* 2000 */ " ", " ", " ", " ", " ", " ", " ", " ",
	/* 2008 */ " ", " ", " ", "", "", "", "", "",
	/* 2010 */ "-", "-", "-", "-", "-", "-", "||", "_",
	/* 2018 */ "'", "'", "'", "'", "\"", "\"", "\"", "\"",
	/* 2020 */ "+", "++", "*", "*", ".", "..", "...", "-",
	/* 2028 */ " ", " ", "", "", "", "", "", " ",
	/* 2030 */ "%o", "%oo", "'", "\"", "'''", "`", "``", "```",
	/* 2038 */ "^", "<", ">", "*", "!!", "?!", "-", "_",
	/* 2040 */ "^", "^", "***", "-", "/", "[", "]", "??",
	/* 2048 */ "?!", "!?", "&", "P", "*", "*", "*", ";",
	/* 2050 */ "^", "**", "%", "~", "_", "*", "...", "\"\"",
	/* 2058 */ "::", "...", ":", "::", "+", ":", ":", " ",
	/* 2060 */ "", "", "", "", "", "", "", "",
	/* 2068 */ "", "", "", "", "", "", "", "",
};

struct text_fold {
	uint16_t	cp;
	char		ascii[6];
};

/* Other symbols, Greek and Cyrillic letters (transliterated), sorted by code point. */
static const struct text_fold text_fold_sym[] = {
	{ 0x02b9, "'" }, { 0x02ba, "\"" }, { 0x02bb, "'" }, { 0x02bc, "'" },
	{ 0x02bd, "'" }, { 0x02c6, "^" }, { 0x02c8, "'" }, { 0x02cb, "`" },
	{ 0x02cd, "_" }, { 0x02d0, ":" }, { 0x02dc, "~" }, { 0x0386, "A" },
	{ 0x0388, "E" }, { 0x0389, "I" }, { 0x038a, "I" }, { 0x038c, "O" },
	{ 0x038e, "Y" }, { 0x038f, "O" }, { 0x0390, "i" }, { 0x0391, "A" },
	{ 0x0392, "V" }, { 0x0393, "G" }, { 0x0394, "D" }, { 0x0395, "E" },
	{ 0x0396, "Z" }, { 0x0397, "I" }, { 0x0398, "Th" }, { 0x0399, "I" },
	{ 0x039a, "K" }, { 0x039b, "L" }, { 0x039c, "M" }, { 0x039d, "N" },
	{ 0x039e, "X" }, { 0x039f, "O" }, { 0x03a0, "P" }, { 0x03a1, "R" },
	{ 0x03a3, "S" }, { 0x03a4, "T" }, { 0x03a5, "Y" }, { 0x03a6, "F" },
	{ 0x03a7, "Ch" }, { 0x03a8, "Ps" }, { 0x03a9, "O" }, { 0x03aa, "I" },
	{ 0x03ab, "Y" }, { 0x03ac, "a" }, { 0x03ad, "e" }, { 0x03ae, "i" },
	{ 0x03af, "i" }, { 0x03b0, "y" }, { 0x03b1, "a" }, { 0x03b2, "v" },
	{ 0x03b3, "g" }, { 0x03b4, "d" }, { 0x03b5, "e" }, { 0x03b6, "z" },
	{ 0x03b7, "i" }, { 0x03b8, "th" }, { 0x03b9, "i" }, { 0x03ba, "k" },
	{ 0x03bb, "l" }, { 0x03bc, "u" }, { 0x03bd, "n" }, { 0x03be, "x" },
	{ 0x03bf, "o" }, { 0x03c0, "p" }, { 0x03c1, "r" }, { 0x03c2, "s" },
	{ 0x03c3, "s" }, { 0x03c4, "t" }, { 0x03c5, "y" }, { 0x03c6, "f" },
	{ 0x03c7, "ch" }, { 0x03c8, "ps" }, { 0x03c9, "o" }, { 0x03ca, "i" },
	{ 0x03cb, "y" }, { 0x03cc, "o" }, { 0x03cd, "y" }, { 0x03ce, "o" },
	{ 0x0400, "E" }, { 0x0401, "Yo" }, { 0x0402, "Dj" }, { 0x0403, "Gj" },
	{ 0x0404, "Ye" }, { 0x0405, "Dz" }, { 0x0406, "I" }, { 0x0407, "Yi" },
	{ 0x0408, "J" }, { 0x0409, "Lj" }, { 0x040a, "Nj" }, { 0x040b, "C" },
	{ 0x040c, "Kj" }, { 0x040d, "I" }, { 0x040e, "U" }, { 0x040f, "Dz" },
	{ 0x0410, "A" }, { 0x0411, "B" }, { 0x0412, "V" }, { 0x0413, "G" },
	{ 0x0414, "D" }, { 0x0415, "E" }, { 0x0416, "Zh" }, { 0x0417, "Z" },
	{ 0x0418, "I" }, { 0x0419, "Y" }, { 0x041a, "K" }, { 0x041b, "L" },
	{ 0x041c, "M" }, { 0x041d, "N" }, { 0x041e, "O" }, { 0x041f, "P" },
	{ 0x0420, "R" }, { 0x0421, "S" }, { 0x0422, "T" }, { 0x0423, "U" },
	{ 0x0424, "F" }, { 0x0425, "Kh" }, { 0x0426, "Ts" }, { 0x0427, "Ch" },
	{ 0x0428, "Sh" }, { 0x0429, "Shch" }, { 0x042a, "'" }, { 0x042b, "Y" },
	{ 0x042c, "'" }, { 0x042d, "E" }, { 0x042e, "Yu" }, { 0x042f, "Ya" },
	{ 0x0430, "a" }, { 0x0431, "b" }, { 0x0432, "v" }, { 0x0433, "g" },
	{ 0x0434, "d" }, { 0x0435, "e" }, { 0x0436, "zh" }, { 0x0437, "z" },
	{ 0x0438, "i" }, { 0x0439, "y" }, { 0x043a, "k" }, { 0x043b, "l" },
	{ 0x043c, "m" }, { 0x043d, "n" }, { 0x043e, "o" }, { 0x043f, "p" },
	{ 0x0440, "r" }, { 0x0441, "s" }, { 0x0442, "t" }, { 0x0443, "u" },
	{ 0x0444, "f" }, { 0x0445, "kh" }, { 0x0446, "ts" }, { 0x0447, "ch" },
	{ 0x0448, "sh" }, { 0x0449, "shch" }, { 0x044a, "'" }, { 0x044b, "y" },
	{ 0x044c, "'" }, { 0x044d, "e" }, { 0x044e, "yu" }, { 0x044f, "ya" },
	{ 0x0450, "e" }, { 0x0451, "yo" }, { 0x0452, "dj" }, { 0x0453, "gj" },
	{ 0x0454, "ye" }, { 0x0455, "dz" }, { 0x0456, "i" }, { 0x0457, "yi" },
	{ 0x0458, "j" }, { 0x0459, "lj" }, { 0x045a, "nj" }, { 0x045b, "c" },
	{ 0x045c, "kj" }, { 0x045d, "i" }, { 0x045e, "u" }, { 0x045f, "dz" },
	{ 0x0490, "G" }, { 0x0491, "g" }, { 0x2070, "0" }, { 0x2071, "i" },
	{ 0x2074, "4" }, { 0x2075, "5" }, { 0x2076, "6" }, { 0x2077, "7" },
	{ 0x2078, "8" }, { 0x2079, "9" }, { 0x207a, "+" }, { 0x207b, "-" },
	{ 0x207c, "=" }, { 0x207d, "(" }, { 0x207e, ")" }, { 0x207f, "n" },
	{ 0x2080, "0" }, { 0x2081, "1" }, { 0x2082, "2" }, { 0x2083, "3" },
	{ 0x2084, "4" }, { 0x2085, "5" }, { 0x2086, "6" }, { 0x2087, "7" },
	{ 0x2088, "8" }, { 0x2089, "9" }, { 0x208a, "+" }, { 0x208b, "-" },
	{ 0x208c, "=" }, { 0x208d, "(" }, { 0x208e, ")" }, { 0x20a3, "FRF" },
	{ 0x20a4, "L" }, { 0x20a6, "NGN" }, { 0x20a8, "Rs" }, { 0x20a9, "KRW" },
	{ 0x20aa, "ILS" }, { 0x20ab, "VND" }, { 0x20ac, "EUR" }, { 0x20ad, "LAK" },
	{ 0x20ae, "MNT" }, { 0x20b1, "PHP" }, { 0x20b2, "PYG" }, { 0x20b4, "UAH" },
	{ 0x20b5, "GHS" }, { 0x20b8, "KZT" }, { 0x20b9, "INR" }, { 0x20ba, "TRY" },
	{ 0x20bc, "AZN" }, { 0x20bd, "RUB" }, { 0x20be, "GEL" }, { 0x20bf, "BTC" },
	{ 0x2100, "a/c" }, { 0x2103, "degC" }, { 0x2105, "c/o" }, { 0x2109, "degF" },
	{ 0x2116, "No" }, { 0x2117, "(p)" }, { 0x2120, "SM" }, { 0x2122, "(tm)" },
	{ 0x2126, "Ohm" }, { 0x212a, "K" }, { 0x212b, "A" }, { 0x2150, "1/7" },
	{ 0x2151, "1/9" }, { 0x2152, "1/10" }, { 0x2153, "1/3" }, { 0x2154, "2/3" },
	{ 0x2155, "1/5" }, { 0x2156, "2/5" }, { 0x2157, "3/5" }, { 0x2158, "4/5" },
	{ 0x2159, "1/6" }, { 0x215a, "5/6" }, { 0x215b, "1/8" }, { 0x215c, "3/8" },
	{ 0x215d, "5/8" }, { 0x215e, "7/8" }, { 0x2190, "<-" }, { 0x2191, "^" },
	{ 0x2192, "->" }, { 0x2193, "v" }, { 0x2194, "<->" }, { 0x21d0, "<=" },
	{ 0x21d2, "=>" }, { 0x21d4, "<=>" }, { 0x2212, "-" }, { 0x2215, "/" },
	{ 0x2217, "*" }, { 0x2219, "." }, { 0x221e, "inf" }, { 0x2223, "|" },
	{ 0x2236, ":" }, { 0x223c, "~" }, { 0x2248, "~" }, { 0x2260, "!=" },
	{ 0x2261, "==" }, { 0x2264, "<=" }, { 0x2265, ">=" }, { 0x2460, "(1)" },
	{ 0x2461, "(2)" }, { 0x2462, "(3)" }, { 0x2463, "(4)" }, { 0x2464, "(5)" },
	{ 0x2465, "(6)" }, { 0x2466, "(7)" }, { 0x2467, "(8)" }, { 0x2468, "(9)" },
	{ 0x2469, "(10)" }, { 0x246a, "(11)" }, { 0x246b, "(12)" }, { 0x246c, "(13)" },
	{ 0x246d, "(14)" }, { 0x246e, "(15)" }, { 0x246f, "(16)" }, { 0x2470, "(17)" },
	{ 0x2471, "(18)" }, { 0x2472, "(19)" }, { 0x2473, "(20)" }, { 0x2500, "-" },
	{ 0x2502, "|" }, { 0x25aa, "*" }, { 0x25ab, "*" }, { 0x25b2, "^" },
	{ 0x25b6, ">" }, { 0x25ba, ">" }, { 0x25bc, "v" }, { 0x25c0, "<" },
	{ 0x25c4, "<" }, { 0x25cb, "o" }, { 0x25cf, "*" }, { 0x25e6, "o" },
	{ 0x2605, "*" }, { 0x2606, "*" }, { 0x2610, "[ ]" }, { 0x2611, "[x]" },
	{ 0x2612, "[x]" }, { 0x2713, "v" }, { 0x2714, "v" }, { 0x2717, "x" },
	{ 0x2718, "x" }, { 0x3000, " " }, { 0x3001, "," }, { 0x3002, "." },
	{ 0xfb00, "ff" }, { 0xfb01, "fi" }, { 0xfb02, "fl" }, { 0xfb03, "ffi" },
	{ 0xfb04, "ffl" }, { 0xfb05, "st" }, { 0xfb06, "st" }, { 0xfeff, "" },
	{ 0xfffc, "" },
};

static void	text_scan(struct text_ctx *, const unsigned char *, const unsigned char *);

/* Tell whether b is an ASCII letter. */
static int
text_alpha(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* Tell whether b is an ASCII letter or digit. */
static int
text_alnum(unsigned char b)
{
	return text_alpha(b) || (b >= '0' && b <= '9');
}

/* Lower-case an ASCII letter. */
static char
text_lower(unsigned char b)
{
	return (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
}

/* Tell whether b is HTML white space. */
static int
text_white(unsigned char b)
{
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r';
}

/* Tell whether b ends a tag name. */
static int
text_tagend(unsigned char b)
{
	return text_white(b) || b == '/' || b == '>';
}

/* Find the first occurrence of the n-byte pat in [p, end). */
static const unsigned char *
text_find(const unsigned char *p, const unsigned char *end, const char *pat, size_t n)
{
	const unsigned char *q;

	while ((size_t)(end - p) >= n) {
		if ((q = memchr(p, pat[0], (size_t)(end - p) - n + 1)) == NULL)
			return NULL;
		if (memcmp(q, pat, n) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

/* Classify a code point for the normaliser. */
static int
text_kind(uint32_t cp)
{
	if (cp < 0x80) {
		switch (text_bclass[cp]) {
		case TEXT_B_SPACE:
			return TEXT_K_SPACE;
		case TEXT_B_LF:
		case TEXT_B_CR:
			return TEXT_K_LINE;
		case TEXT_B_CTRL:
			return TEXT_K_DROP;
		default:
			return TEXT_K_TEXT;
		}
	}
	if (cp < 0xa0)
		return TEXT_K_DROP;
	if (cp == 0xa0)
		return TEXT_K_SPACE;
	/* A soft hyphen shows as a stray '-' on displays that do not hyphenate. */
	if (cp == 0xad)
		return TEXT_K_DROP;
	if (cp < 0x1680)
		return TEXT_K_TEXT;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000)
		return TEXT_K_SPACE;
	if (cp == 0x200b || cp == 0x2060 || cp == 0xfeff)
		return TEXT_K_DROP;
	if (cp == 0x2028)
		return TEXT_K_LINE;
	if (cp == 0x2029)
		return TEXT_K_PARA;
	return TEXT_K_TEXT;
}

/*
 * Return 1 when a gap after what out ends in sets a part apart: not after
 * a sentence's or clause's mark (end.&nbsp;&nbsp;Next, Price:&nbsp;&nbsp;5,
 * a dash), closing quotes and brackets aside, where it is a typist's wide
 * space.
 */
static int
text_gap_after(const struct buf *out)
{
	const unsigned char *d = (const unsigned char *)out->data;
	size_t n = out->len;

	for (;;) {
		if (n >= 1 && (d[n - 1] == '\'' || d[n - 1] == '"' || d[n - 1] == ')' ||
		    d[n - 1] == ']'))
			n--;
		else if (n >= 3 && d[n - 3] == 0xe2 && d[n - 2] == 0x80 &&
		    (d[n - 1] == 0x99 || d[n - 1] == 0x9d))
			n -= 3;		/* ’ ” */
		else if (n >= 2 && d[n - 2] == 0xc2 && d[n - 1] == 0xbb)
			n -= 2;		/* » */
		else
			break;
	}
	if (n == 0 || memchr(".,;:!?-", d[n - 1], 7) != NULL)
		return 0;
	/* – — … */
	return !(n >= 3 && d[n - 3] == 0xe2 && d[n - 2] == 0x80 &&
	    (d[n - 1] == 0x93 || d[n - 1] == 0x94 || d[n - 1] == 0xa6));
}

/* Write the pending separator, if any, before a visible character. */
static void
text_sep(struct text_ctx *c)
{
	if (c->pending != TEXT_SEP_NONE && c->any) {
		if (c->pending == TEXT_SEP_PARA && (c->flags & TEXT_PARAGRAPHS))
			buf_addc(c->out, '\n');
		else if (c->pending == TEXT_SEP_GAP && text_gap_after(c->out))
			buf_adds(c->out, " \xe2\x80\x93 ");	/* – */
		else
			buf_addc(c->out, ' ');
	}
	c->pending = TEXT_SEP_NONE;
	c->breaks = 0;
	c->nbsp = 0;
	c->any = 1;
}

/* Owe at least sep before the next visible character. */
static void
text_owe(struct text_ctx *c, int sep)
{
	if (c->pending < sep)
		c->pending = sep;
}

/* Account for white space of the given kind. */
static void
text_space(struct text_ctx *c, int kind)
{
	/* In plain text a blank line (two line breaks) ends a paragraph. */
	if (c->mode == TEXT_M_PLAIN && kind != TEXT_K_SPACE) {
		c->breaks += kind == TEXT_K_PARA ? 2 : 1;
		if (c->breaks >= 2) {
			text_owe(c, TEXT_SEP_PARA);
			return;
		}
	}
	text_owe(c, TEXT_SEP_SPACE);
}

/* Write a decoded code point, or account for it when it is not visible. */
static void
text_emit_cp(struct text_ctx *c, uint32_t cp)
{
	int kind;

	if ((kind = text_kind(cp)) == TEXT_K_DROP)
		return;
	if (kind != TEXT_K_TEXT) {
		/* Two non-breaking spaces set parts apart: Google News's "headline  source". */
		if (cp == 0xa0 && ++c->nbsp == 2)
			text_owe(c, TEXT_SEP_GAP);
		text_space(c, kind);
		return;
	}
	text_sep(c);
	if (cp < 0x80) {
		if (cp == '<')
			c->saw_lt = 1;
		buf_addc(c->out, (char)cp);
	} else
		text_put_utf8(c->out, cp);
}

/* Append the pending run of verbatim bytes [*run, p). */
static void
text_flush(struct text_ctx *c, const unsigned char **run, const unsigned char *p)
{
	if (*run != NULL) {
		buf_add(c->out, *run, (size_t)(p - *run));
		*run = NULL;
	}
}

/*
 * Compare n bytes like memcmp(). Names here are a few bytes long and most
 * differ in the first: a loop beats a call into the C library.
 */
static inline int
text_bytecmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* Return the index of the element named name[0..n) (lower case), or -1. */
static int
text_element(const char *name, size_t n)
{
	size_t lo = 0, hi = TEXT_NELEM, mid;
	int r;

	if (n == 0 || n > TEXT_TAG_MAX)
		return -1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		/*
		 * Names are NUL-padded and name holds no NUL: equal n bytes
		 * match only when the table name ends there, and a longer
		 * table name orders after. No strlen on the hot path.
		 */
		if ((r = text_bytecmp(name, text_elements[mid].name, n)) == 0 &&
		    text_elements[mid].name[n] != '\0')
			r = -1;
		if (r == 0)
			return (int)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Read a tag name into name, lower-cased; return its element index or -1. */
static int
text_tagname(const unsigned char *p, const unsigned char *end, char *name, size_t *np,
    const unsigned char **endp)
{
	size_t n;

	for (n = 0; p < end && !text_tagend(*p); p++, n++)
		if (n < TEXT_TAG_MAX)
			name[n] = text_lower(*p);
	*np = n;
	*endp = p;
	return n <= TEXT_TAG_MAX ? text_element(name, n) : -1;
}

/* As text_tagname(), remembering the last few names looked up in c. */
static int
text_tagname_cached(struct text_ctx *c, const unsigned char *p, const unsigned char *end,
    char *name, size_t *np, const unsigned char **endp)
{
	size_t n, i;
	int el;

	for (n = 0; p < end && !text_tagend(*p); p++, n++)
		if (n < TEXT_TAG_MAX)
			name[n] = text_lower(*p);
	*np = n;
	*endp = p;
	if (n == 0 || n > TEXT_TAG_MAX)
		return -1;
	for (i = 0; i < sizeof c->tags / sizeof c->tags[0]; i++)
		if (c->tags[i].n == n && text_bytecmp(c->tags[i].name, name, n) == 0)
			return c->tags[i].el;
	el = text_element(name, n);
	i = c->tag_next++ % (sizeof c->tags / sizeof c->tags[0]);
	memcpy(c->tags[i].name, name, n);
	c->tags[i].n = (unsigned char)n;
	c->tags[i].el = (short)el;
	return el;
}

/* Skip a tag's attributes past its '>'; return NULL when it is not closed. */
static const unsigned char *
text_skip_attrs(const unsigned char *p, const unsigned char *end, int *selfclose)
{
	const unsigned char *q;

	*selfclose = 0;
	/* As in HTML, a quoted value may hold a '>'. */
	while (p < end) {
		switch (*p) {
		case '>':
			return p + 1;
		case '/':
			if (end - p >= 2 && p[1] == '>') {
				*selfclose = 1;
				return p + 2;
			}
			p++;
			break;
		case '=':
			for (p++; p < end && text_white(*p); p++)
				continue;
			if (p < end && (*p == '"' || *p == '\'')) {
				if ((q = memchr(p + 1, *p, (size_t)(end - p - 1))) == NULL)
					return NULL;
				p = q + 1;
			}
			break;
		default:
			p++;
		}
	}
	return NULL;
}

/* Find the end of a tag whose name ends at p; return NULL when it is not closed. */
static const unsigned char *
text_tag_close(struct text_ctx *c, const unsigned char *p, const unsigned char *end,
    int *selfclose)
{
	const unsigned char *q;

	/*
	 * The markup pass reads text that only looks like markup: there a tag
	 * simply ends at the next '>', which keeps every search linear.
	 */
	if (c->mode != TEXT_M_MARKUP)
		return text_skip_attrs(p, end, selfclose);
	*selfclose = 0;
	if (c->no_gt != NULL && p >= c->no_gt)
		return NULL;
	if ((q = memchr(p, '>', (size_t)(end - p))) == NULL) {
		c->no_gt = p;
		return NULL;
	}
	*selfclose = q > p && q[-1] == '/';
	return q + 1;
}

/* Tell whether p holds the tag name name[0..n) (lower case), whole. */
static int
text_isname(const unsigned char *p, const unsigned char *end, const char *name, size_t n)
{
	size_t i;

	if ((size_t)(end - p) < n)
		return 0;
	for (i = 0; i < n; i++)
		if (text_lower(p[i]) != name[i])
			return 0;
	return p + n == end || text_tagend(p[n]);
}

/* Skip an element's content and end tag from p; return NULL when there is no end tag. */
static const unsigned char *
text_skip_element(const char *name, size_t n, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *lt, *q;
	int sc;

	while ((lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		p = lt + 1;
		if (p < end && *p == '/' && text_isname(p + 1, end, name, n))
			return (q = text_skip_attrs(p + 1 + n, end, &sc)) != NULL ? q : end;
		/* Documents often leave </head> out; <body> ends the head as well. */
		if (n == 4 && memcmp(name, "head", 4) == 0 && text_isname(p, end, "body", 4))
			return lt;
	}
	return NULL;
}

/* Skip a bogus comment or declaration up to and past its '>'. */
static const unsigned char *
text_skip_gt(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q;

	return (q = memchr(p, '>', (size_t)(end - p))) != NULL ? q + 1 : end;
}

/* Handle the "<!" markup whose '!' ends at p; return where to go on, or NULL for text. */
static const unsigned char *
text_decl(struct text_ctx *c, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q;
	int strict = c->mode == TEXT_M_MARKUP, mode;

	if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
		p += 2;
		/* "<!-->" and "<!--->" are whole (empty) comments. */
		if (p < end && *p == '>')
			return p + 1;
		if (end - p >= 2 && p[0] == '-' && p[1] == '>')
			return p + 2;
		if (!c->no_comment_end && (q = text_find(p, end, "-->", 3)) != NULL)
			return q + 3;
		c->no_comment_end = strict;
		return strict ? NULL : end;
	}
	if (end - p >= 7 && memcmp(p, "[CDATA[", 7) == 0) {
		p += 7;
		q = c->no_cdata_end ? NULL : text_find(p, end, "]]>", 3);
		if (strict) {
			/* Decoded CDATA wraps markup: drop the brackets, read what they hold. */
			if (q == NULL) {
				c->no_cdata_end = 1;
				return NULL;
			}
			c->cdata++;
			return p;
		}
		mode = c->mode;
		c->mode = TEXT_M_CDATA;
		text_scan(c, p, q != NULL ? q : end);
		c->mode = mode;
		return q != NULL ? q + 3 : end;
	}
	return strict ? NULL : text_skip_gt(p, end);
}

/* Drop the markup at p ('<'); return where to go on, or NULL when the '<' is text. */
static const unsigned char *
text_markup(struct text_ctx *c, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p + 1, *e, *skip;
	char name[TEXT_TAG_MAX];
	int strict = c->mode == TEXT_M_MARKUP, endtag = 0, el, flags, selfclose;
	size_t n;

	/*
	 * The markup pass reads decoded text: there only closed tags of known
	 * elements, comments and CDATA sections are markup, the rest is text.
	 */

	if (q == end)
		return NULL;
	if (*q == '!')
		return text_decl(c, q + 1, end);
	if (*q == '?')
		return strict ? NULL : text_skip_gt(q, end);
	if (*q == '/') {
		endtag = 1;
		if (++q == end)
			return NULL;
		if (!text_alpha(*q)) {
			if (strict)
				return NULL;
			/* "</>" is dropped, "</ x>" is a bogus comment. */
			return *q == '>' ? q + 1 : text_skip_gt(q, end);
		}
	} else if (!text_alpha(*q))
		return NULL;
	el = text_tagname_cached(c, q, end, name, &n, &q);
	if (el == -1 && strict)
		return NULL;
	if ((e = text_tag_close(c, q, end, &selfclose)) == NULL)
		return strict ? NULL : end;
	if (el == -1)
		return e;
	flags = text_elements[el].flags;
	if (flags & TEXT_E_CODE)
		c->saw_code = 1;
	if (flags & TEXT_E_BLOCK)
		text_owe(c, TEXT_SEP_PARA);
	else if (flags & TEXT_E_CELL)
		text_owe(c, TEXT_SEP_SPACE);
	/* Feeds are often XHTML: honour <iframe .../> rather than eat the rest. */
	if ((flags & TEXT_E_SKIP) && !endtag && !selfclose) {
		if (!c->no_end_tag[el] && (skip = text_skip_element(name, n, e, end)) != NULL)
			return skip;
		/* In the markup pass a lone "<script>" may be a mention; keep the rest. */
		c->no_end_tag[el] = 1;
		return strict ? e : end;
	}
	return e;
}

/*
 * Return 1 when the 8 bytes at p are all TEXT_B_TEXT or single spaces
 * (no two in a row), so that they belong to the run of text they follow:
 * printable ASCII but for '<', '&', ']' and DEL. Word-at-a-time (SWAR)
 * tests, the same on either byte order.
 */
static inline int
text_plain8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t w, sp, special;

	memcpy(&w, p, 8);
	/* Exact per byte: 0x80 where a byte of x is zero. */
#define TEXT_ZERO_BYTES(x) (~((((x) & low7) + low7) | (x) | low7))
	sp = TEXT_ZERO_BYTES(w ^ (ones * ' '));
	special = TEXT_ZERO_BYTES(w ^ (ones * '<')) | TEXT_ZERO_BYTES(w ^ (ones * '&')) |
	    TEXT_ZERO_BYTES(w ^ (ones * ']')) | TEXT_ZERO_BYTES(w ^ (ones * 0x7f));
#undef TEXT_ZERO_BYTES
	/* A byte >= 0x80, or one below 0x21 that is not a space. */
	special |= w & high;
	special |= ((((w | high) - ones * 0x21) & high) ^ high) & ~sp;
	return (special | (sp & (sp << 8))) == 0;
}

/* Run the scanner over [p, end), appending normalised text. */
static void
text_scan(struct text_ctx *c, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *run = NULL, *q;
	uint32_t cp;
	size_t n;

	while (p < end) {
		switch (text_bclass[*p]) {
		case TEXT_B_TEXT:
			if (run == NULL) {
				text_sep(c);
				run = p;
			}
			p++;
			/* Eight bytes at a time through plain words (a block can end a word). */
			while (end - p >= 8 && text_plain8(p))
				p += p[7] == ' ' ? 7 : 8;
			while (p < end && text_bclass[*p] == TEXT_B_TEXT)
				p++;
			/* A lone space between words can stay in the run. */
			if (end - p >= 2 && *p == ' ' && text_bclass[p[1]] == TEXT_B_TEXT)
				p++;
			continue;
		case TEXT_B_HIGH:
			n = text_utf8_next((const char *)p, (size_t)(end - p), &cp);
			if (n > 1 && text_kind(cp) == TEXT_K_TEXT) {
				if (run == NULL) {
					text_sep(c);
					run = p;
				}
				p += n;
				continue;
			}
			text_flush(c, &run, p);
			text_emit_cp(c, cp);
			p += n;
			continue;
		case TEXT_B_SPACE:
			text_flush(c, &run, p);
			text_owe(c, TEXT_SEP_SPACE);
			p++;
			continue;
		case TEXT_B_LF:
			text_flush(c, &run, p);
			/* The markup pass reads the first pass's output: '\n' is a break. */
			if (c->mode == TEXT_M_MARKUP)
				text_owe(c, TEXT_SEP_PARA);
			else
				text_space(c, TEXT_K_LINE);
			p++;
			continue;
		case TEXT_B_CR:
			text_flush(c, &run, p);
			if (end - p < 2 || p[1] != '\n')
				text_space(c, TEXT_K_LINE);
			p++;
			continue;
		case TEXT_B_CTRL:
			text_flush(c, &run, p);
			p++;
			continue;
		case TEXT_B_LT:
			if (c->mode == TEXT_M_HTML || c->mode == TEXT_M_MARKUP) {
				text_flush(c, &run, p);
				if ((q = text_markup(c, p, end)) != NULL) {
					p = q;
					continue;
				}
			}
			c->saw_lt = 1;
			break;
		case TEXT_B_AMP:
			if (c->mode != TEXT_M_CDATA &&
			    (n = text_entity((const char *)p, (size_t)(end - p), &cp)) > 0) {
				text_flush(c, &run, p);
				text_emit_cp(c, cp);
				p += n;
				continue;
			}
			break;
		case TEXT_B_RSQB:
			if (c->cdata > 0 && end - p >= 3 && p[1] == ']' && p[2] == '>') {
				text_flush(c, &run, p);
				c->cdata--;
				p += 3;
				continue;
			}
			break;
		}
		/* The byte is text after all. */
		if (run == NULL) {
			text_sep(c);
			run = p;
		}
		p++;
	}
	text_flush(c, &run, p);
}

/* Set up a scanner context appending to out. */
static void
text_ctx_init(struct text_ctx *c, struct buf *out, unsigned flags, int mode)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->flags = flags;
	c->mode = mode;
}

/* Tell whether the text holds a tag of a known element, a comment or a CDATA section. */
static int
text_has_markup(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q;
	char name[TEXT_TAG_MAX];
	size_t n;
	int no_comment_end = 0, no_cdata_end = 0, no_gt = 0;

	/* Each search that fails fails for good: stop making it. */
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		q = ++p;
		if (end - q >= 3 && memcmp(q, "!--", 3) == 0) {
			if (!no_comment_end && text_find(q + 3, end, "-->", 3) != NULL)
				return 1;
			no_comment_end = 1;
			continue;
		}
		if (end - q >= 8 && memcmp(q, "![CDATA[", 8) == 0) {
			if (!no_cdata_end && text_find(q + 8, end, "]]>", 3) != NULL)
				return 1;
			no_cdata_end = 1;
			continue;
		}
		if (q < end && *q == '/')
			q++;
		if (no_gt || q == end || !text_alpha(*q))
			continue;
		if (text_tagname(q, end, name, &n, &q) == -1)
			continue;
		if (memchr(q, '>', (size_t)(end - q)) != NULL)
			return 1;
		no_gt = 1;
	}
	return 0;
}

/* Append the readable text of an HTML fragment. */
int
text_from_html(struct buf *out, const char *in, size_t len, unsigned flags)
{
	struct text_ctx c;
	struct buf tmp;
	size_t start = out->len;
	const unsigned char *s;

	if (len == 0)
		return buf_failed(out) ? -1 : 0;
	s = (const unsigned char *)in;
	text_ctx_init(&c, out, flags, TEXT_M_HTML);
	text_scan(&c, s, s + len);
	/* Escaped markup in a code element is a sample to show, not markup. */
	if (!c.saw_lt || c.saw_code || buf_failed(out) ||
	    !text_has_markup((const unsigned char *)out->data + start,
	    (const unsigned char *)out->data + out->len))
		return buf_failed(out) ? -1 : 0;

	buf_init(&tmp, 0);
	/* Out of memory for the copy: the first pass's text is still good. */
	if (buf_add(&tmp, out->data + start, out->len - start) == 0) {
		buf_truncate(out, start);
		s = (const unsigned char *)tmp.data;
		text_ctx_init(&c, out, flags, TEXT_M_MARKUP);
		text_scan(&c, s, s + tmp.len);
	}
	buf_free(&tmp);
	return buf_failed(out) ? -1 : 0;
}

/* Append plain text, normalised; tags are text. */
int
text_clean(struct buf *out, const char *in, size_t len, unsigned flags)
{
	struct text_ctx c;
	const unsigned char *s;

	if (len == 0)
		return buf_failed(out) ? -1 : 0;
	s = (const unsigned char *)in;
	text_ctx_init(&c, out, flags, TEXT_M_PLAIN);
	text_scan(&c, s, s + len);
	return buf_failed(out) ? -1 : 0;
}

/* Return the index of the entity named name[0..n), or -1. */
static long
text_entity_find(const unsigned char *name, size_t n)
{
	size_t lo = 0, hi = TEXT_ENT_COUNT, mid, en;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		en = (size_t)text_ent_off[mid + 1] - text_ent_off[mid];
		if ((r = text_bytecmp(name, text_ent_names + text_ent_off[mid], n < en ? n : en)) == 0)
			r = (n > en) - (n < en);
		if (r == 0)
			return (long)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Return the value of hex digit b, or -1. */
static int
text_hexval(unsigned char b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	if (b >= 'a' && b <= 'f')
		return b - 'a' + 10;
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

/* Decode a numeric reference at s ("&#"). */
static size_t
text_entity_num(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t i = 2, digits;
	uint32_t v = 0;
	int hex = 0, d;

	if (i < len && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	for (digits = i; i < len; i++) {
		d = hex ? text_hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (d < 0)
			break;
		/* Past U+10FFFF the value is invalid anyway; stop growing it. */
		if (v <= 0x10ffff)
			v = v * (hex ? 16u : 10u) + (uint32_t)d;
	}
	if (i == digits)
		return 0;
	if (i < len && s[i] == ';')
		i++;
	if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		v = 0xfffd;
	else if (v >= 0x80 && v <= 0x9f)
		v = text_cp1252[v - 0x80];
	*cp = v;
	return i;
}

/*
 * Return the code point of the entities met most (amp, lt, gt, quot,
 * apos, nbsp: escaped markup is full of them) without a search, or 0.
 */
static uint32_t
text_entity_common(const unsigned char *name, size_t n)
{
	switch (n) {
	case 2:
		if (name[1] == 't' && (name[0] == 'l' || name[0] == 'g'))
			return name[0] == 'l' ? '<' : '>';
		break;
	case 3:
		if (name[0] == 'a' && name[1] == 'm' && name[2] == 'p')
			return '&';
		break;
	case 4:
		if (memcmp(name, "quot", 4) == 0)
			return '"';
		if (memcmp(name, "apos", 4) == 0)
			return '\'';
		if (memcmp(name, "nbsp", 4) == 0)
			return 0xa0;
		break;
	}
	return 0;
}

/* Decode one entity at in[0] == '&'. */
size_t
text_entity(const char *in, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n, max;
	long i;

	if (len < 2 || s[0] != '&')
		return 0;
	if (s[1] == '#')
		return text_entity_num(s, len, cp);
	for (n = 0; n + 1 < len && n <= TEXT_ENT_MAXLEN && text_alnum(s[n + 1]); n++)
		continue;
	if (n + 1 < len && s[n + 1] == ';' && (*cp = text_entity_common(s + 1, n)) != 0)
		return n + 2;
	if (n + 1 < len && s[n + 1] == ';' && n <= TEXT_ENT_MAXLEN &&
	    (i = text_entity_find(s + 1, n)) >= 0) {
		*cp = text_ent_cp[i] & ~TEXT_ENT_LEGACY;
		return n + 2;
	}
	/* The legacy names also match without ';', as the longest prefix ("&copy2024"). */
	for (max = n < TEXT_ENT_LEGACY_MAXLEN ? n : TEXT_ENT_LEGACY_MAXLEN; max >= 2; max--) {
		if ((i = text_entity_find(s + 1, max)) >= 0 && (text_ent_cp[i] & TEXT_ENT_LEGACY)) {
			*cp = text_ent_cp[i] & ~TEXT_ENT_LEGACY;
			return max + 1;
		}
	}
	return 0;
}

/* Append the UTF-8 encoding of cp. */
int
text_put_utf8(struct buf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(out, b, n);
}

/* Decode the UTF-8 sequence at in. */
size_t
text_utf8_next(const char *in, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2 || s[0] > 0xf4)
		goto bad;
	if (s[0] < 0xe0) {
		n = 2;
		v = s[0] & 0x1fu;
	} else if (s[0] < 0xf0) {
		n = 3;
		v = s[0] & 0x0fu;
		/* The second byte range rules out overlongs and surrogates. */
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else {
		n = 4;
		v = s[0] & 0x07u;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	*cp = v;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

/* Tell whether in[0..len) is valid UTF-8. */
int
text_utf8_valid(const char *in, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)in[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = text_utf8_next(in + i, len - i, &cp)) == 1)
			return 0;
		i += n;
	}
	return 1;
}

/* Count the code points of valid UTF-8 text. */
size_t
text_utf8_chars(const char *in, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)in[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Tell whether cp is Chinese or Japanese (CJK marks, kana, ideographs, full-width forms). */
int
text_cp_cjk(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Tell whether cp is of a script written without spaces between words. */
int
text_cp_unspaced(uint32_t cp)
{
	/* Thai and Lao, Burmese, Khmer. */
	return text_cp_cjk(cp) || (cp >= 0x0E00 && cp <= 0x0EFF) ||
	    (cp >= 0x1000 && cp <= 0x109F) || (cp >= 0x1780 && cp <= 0x17FF);
}

/* Return the length of the sequence led by s[0], at most left. */
static size_t
text_seqlen(const unsigned char *s, size_t left)
{
	size_t n;

	n = s[0] < 0xc0 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	return n < left ? n : left;
}

/* Tell whether cp is white space text_cut may break at. */
static int
text_cut_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
}

/* Tell whether cp should not be left just before the "…". */
static int
text_cut_trim(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case '\n': case '\r': case 0xa0:
	case ',': case ';': case ':':
	case '-': case 0x2010: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	/* An opening bracket or quote with nothing after it. */
	case '(': case '[': case '{': case 0xab: case 0x2018: case 0x201a: case 0x201c:
	case 0x201e:
		return 1;
	}
	return 0;
}

/* Append in cut to at most max_chars code points, "…" included. */
int
text_cut(struct buf *out, const char *in, size_t len, size_t max_chars)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, chars = 0, budget, hard = 0, ws = 0, ws_chars = 0, cut, k;
	int have_ws = 0;
	uint32_t cp;

	if (len == 0)
		return buf_failed(out) ? -1 : 0;
	if (max_chars == 0)
		return buf_failed(out) ? -1 : 1;
	budget = max_chars - 1;
	/* One walk: stop at the first code point past max_chars. */
	while (i < len && chars < max_chars) {
		if (chars == budget)
			hard = i;
		if (s[i] < 0x80 && text_cut_space(s[i])) {
			have_ws = 1;
			ws = i;
			ws_chars = chars;
		}
		i += text_seqlen(s + i, len - i);
		chars++;
	}
	if (i >= len)
		return buf_add(out, in, len) == -1 ? -1 : 0;
	/* A break in the first half of the budget would waste too much: cut the word. */
	cut = have_ws && ws_chars * 2 >= budget ? ws : hard;
	while (cut > 0) {
		for (k = cut - 1; k > 0 && (s[k] & 0xc0) == 0x80; k--)
			continue;
		text_utf8_next(in + k, cut - k, &cp);
		if (!text_cut_trim(cp))
			break;
		cut = k;
	}
	buf_add(out, in, cut);
	return buf_adds(out, "\xe2\x80\xa6") == -1 ? -1 : 1;
}

/* Append the ASCII form of cp. */
static void
text_fold_cp(struct buf *out, uint32_t cp)
{
	size_t lo, hi, mid;

	if (cp >= 0xa0 && cp <= 0x24f) {
		buf_adds(out, text_fold_latin[cp - 0xa0]);
		return;
	}
	if (cp >= 0x1e00 && cp <= 0x1eff) {
		buf_adds(out, text_fold_latinx[cp - 0x1e00]);
		return;
	}
	if (cp >= 0x2000 && cp <= 0x206f) {
		buf_adds(out, text_fold_punct[cp - 0x2000]);
		return;
	}
	/* Combining marks, variation selectors and tag characters. */
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	    (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xfe20 && cp <= 0xfe2f) ||
	    (cp >= 0xe0000 && cp <= 0xe007f))
		return;
	/* Fullwidth forms of ASCII. */
	if (cp >= 0xff01 && cp <= 0xff5e) {
		buf_addc(out, (char)(cp - 0xfee0));
		return;
	}
	lo = 0;
	hi = sizeof(text_fold_sym) / sizeof(text_fold_sym[0]);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (text_fold_sym[mid].cp == cp) {
			buf_adds(out, text_fold_sym[mid].ascii);
			return;
		}
		if (text_fold_sym[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	buf_addc(out, '?');
}

/* Append in folded to printable ASCII. */
int
text_ascii_fold(struct buf *out, const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in, *end, *run;
	uint32_t cp;

	if (len == 0)
		return buf_failed(out) ? -1 : 0;
	end = p + len;
	while (p < end) {
		for (run = p; p < end && ((*p >= 0x20 && *p < 0x7f) || *p == '\n'); p++)
			continue;
		if (p > run)
			buf_add(out, run, (size_t)(p - run));
		if (p == end)
			break;
		if (*p < 0x80) {
			/* Other controls are dropped; a tab still separates words. */
			if (*p == '\t')
				buf_addc(out, ' ');
			p++;
			continue;
		}
		p += text_utf8_next((const char *)p, (size_t)(end - p), &cp);
		text_fold_cp(out, cp);
	}
	return buf_failed(out) ? -1 : 0;
}

/* Return the value of a base64 digit, -2 for white space, -1 otherwise. */
static int
text_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return -2;
	return -1;
}

/* Decode base64 text. */
int
text_base64(struct buf *out, const char *in, size_t len)
{
	uint32_t acc = 0;
	int bits = 0, v;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((v = text_b64val((unsigned char)in[i])) == -2)
			continue;
		if (v < 0)
			break;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
	return buf_failed(out) ? -1 : 0;
}
