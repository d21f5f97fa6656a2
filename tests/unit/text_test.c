/* text_test — unit tests for daemon/text.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "newsdigest/text.h"

#define ELL "\xe2\x80\xa6"	/* U+2026 HORIZONTAL ELLIPSIS */
#define REPL "\xef\xbf\xbd"	/* U+FFFD REPLACEMENT CHARACTER */

/* Check text_from_html(in[0..len), flags) against want. */
static void
check_html_len(const char *in, size_t len, unsigned flags, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(text_from_html(&b, in, len, flags), 0);
	assert_string_equal(buf_str(&b), want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

/* Check text_from_html(in, flags) against want. */
static void
check_html(const char *in, unsigned flags, const char *want)
{
	check_html_len(in, strlen(in), flags, want);
}

/* Check text_clean(in[0..len), flags) against want. */
static void
check_clean_len(const char *in, size_t len, unsigned flags, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(text_clean(&b, in, len, flags), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* Check text_cut(in, max) against want and its return value. */
static void
check_cut(const char *in, size_t max, const char *want, int ret)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(text_cut(&b, in, strlen(in), max), ret);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* Check text_ascii_fold(in[0..len)) against want. */
static void
check_fold_len(const char *in, size_t len, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(text_ascii_fold(&b, in, len), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

#define TEXT_TEST_N(cases) (sizeof(cases) / sizeof((cases)[0]))

/* A case of text_from_html() or text_clean(): the input, the flags, the output. */
struct text_test_case {
	const char *in;
	unsigned flags;
	const char *want;
};

/* text_from_html() turns each input into its output. */
static const struct text_test_case text_test_html_cases[] = {
	/* Tags are dropped; inline tags join their text. */
	{ "<p>Hello <b>world</b></p>", 0, "Hello world" },
	{ "a<span class=\"x\">b</span>c", 0, "abc" },
	{ "a <b>b</b> c", 0, "a b c" },
	{ "<b>a</b> <i>b</i>", 0, "a b" },
	{ "<a href='http://x/?a=1&amp;b=2'>link</a> text", 0, "link text" },
	{ "<dc:creator>Ann</dc:creator>", 0, "Ann" },
	{ "<P>x</P><BR>y", TEXT_PARAGRAPHS, "x\ny" },
	{ "plain text", 0, "plain text" },
	{ "", 0, "" },
	/* Block elements become paragraph breaks with TEXT_PARAGRAPHS. */
	{ "<p>One</p><p>Two</p>", TEXT_PARAGRAPHS, "One\nTwo" },
	{ "<ul><li>a</li><li>b</li></ul>after", TEXT_PARAGRAPHS, "a\nb\nafter" },
	{ "x<br>y<br/>z<br />w", TEXT_PARAGRAPHS, "x\ny\nz\nw" },
	{ "<h1>Title</h1>Body<hr>End", TEXT_PARAGRAPHS, "Title\nBody\nEnd" },
	{ "<blockquote>q</blockquote><pre>p</pre><div>d</div>", TEXT_PARAGRAPHS,
	    "q\np\nd" },
	{ "<figure><img src=x><figcaption>Cap</figcaption></figure>text",
	    TEXT_PARAGRAPHS, "Cap\ntext" },
	{ "<dl><dt>term</dt><dd>def</dd></dl>", TEXT_PARAGRAPHS, "term\ndef" },
	{ "<section><header>h</header><article>a</article><footer>f</footer></section>",
	    TEXT_PARAGRAPHS, "h\na\nf" },
	/* Without TEXT_PARAGRAPHS block boundaries are single spaces. */
	{ "<p>One</p><p>Two</p>", 0, "One Two" },
	{ "x<br>y", 0, "x y" },
	{ "<ul><li>a</li>\n<li>b</li></ul>", 0, "a b" },
	/* Table cells are separated by a space, rows by a break. */
	{ "<table><tr><td>1</td><td>2</td></tr><tr><th>3</th><td>4</td></tr></table>",
	    TEXT_PARAGRAPHS, "1 2\n3 4" },
	/* Empty paragraphs never appear; breaks never lead or trail. */
	{ "<p></p><p> </p><div><p>x</p></div><br><br>\n<p>&nbsp;</p><p>y</p><br>",
	    TEXT_PARAGRAPHS, "x\ny" },
	{ "<br><p>  a  </p>  <p>  b  </p>  ", TEXT_PARAGRAPHS, "a\nb" },
	{ "a <br> b", TEXT_PARAGRAPHS, "a\nb" },
	{ "<p> </p>", TEXT_PARAGRAPHS, "" },
	/* White space collapses to single spaces and is trimmed. */
	{ "  \n\t a  \n  b \t ", 0, "a b" },
	{ " \r\n ", 0, "" },
	{ "a\r\nb", TEXT_PARAGRAPHS, "a b" },
	{ "a\fb\vc", 0, "a b c" },
	/* The content of script, style, head and the like is dropped. */
	{ "a<script>var s = '<p>' + x;</script>b", 0, "ab" },
	{ "a <SCRIPT type=\"text/javascript\">if (a < b) x();</SCRIPT > b", 0, "a b" },
	{ "<style>p { color: red }</style>text", 0, "text" },
	{ "<head><title>T</title></head><body><p>B</p></body>", 0, "B" },
	{ "<html><head><title>T</title><meta charset=utf-8><body>B", 0, "B" },
	{ "a<noscript><img src=x>n</noscript>b", 0, "ab" },
	{ "a<template><p>t</p></template>b", 0, "ab" },
	{ "a<iframe src=\"x\">f</iframe>b", 0, "ab" },
	{ "a<object data=x><param name=y>o</object>b", 0, "ab" },
	{ "a<script>x</scriptx>y</script>b", 0, "ab" },
	{ "before<script>never closed", 0, "before" },
	/* XHTML self-closing: nothing to skip. */
	{ "<iframe src='x'/>after", 0, "after" },
	/* Images contribute nothing, not even their alt text. */
	{ "a<img alt=\"picture\" src=\"x.png\">b", 0, "ab" },
	{ "a <img alt=\"x > y\" src=x> b", 0, "a b" },
	{ "a <img alt='it''s' src=x> b", 0, "a b" },
	/* Comments are dropped, including the short forms. */
	{ "a<!-- <p>x</p> -->b", 0, "ab" },
	{ "a<!---->b", 0, "ab" },
	{ "a<!-->b", 0, "ab" },
	{ "a<!--->b", 0, "ab" },
	{ "a<!-- unclosed", 0, "a" },
	/* CDATA content is text: no entities, no tags, unless it holds markup. */
	{ "<![CDATA[a & b < c]]>", 0, "a & b < c" },
	{ "x <![CDATA[&amp;]]> y", 0, "x &amp; y" },
	{ "x<![CDATA[y", 0, "xy" },
	{ "<![CDATA[  a  \n b ]]>", 0, "a b" },
	/* CDATA wrapping HTML is read as HTML, like double-escaped markup. */
	{ "<![CDATA[<p>bold &amp; <b>brave</b></p>]]>", 0, "bold & brave" },
	/* Declarations and processing instructions are dropped. */
	{ "<!DOCTYPE html><?xml version=\"1.0\"?>t", 0, "t" },
	{ "a</>b", 0, "ab" },
	{ "a</ bogus>b", 0, "ab" },
	{ "a<?pi", 0, "a" },
	/* A '<' that cannot start markup is text. */
	{ "a < b", 0, "a < b" },
	{ "I <3 you", 0, "I <3 you" },
	{ "1 <= 2", 0, "1 <= 2" },
	{ "a <", 0, "a <" },
	{ "x </", 0, "x </" },
	{ "<<>>", 0, "<<>>" },
	/* An unclosed tag at the end is dropped. */
	{ "text <b", 0, "text" },
	{ "text <a href=\"x>y", 0, "text" },
	{ "text <p class=x", TEXT_PARAGRAPHS, "text" },
	/* Named entities from the table. */
	{ "&amp; &lt; &gt; &quot; &apos; &copy; &hellip; &mdash; &euro; &eacute;", 0,
	    "& < > \" ' \xc2\xa9 \xe2\x80\xa6 \xe2\x80\x94 \xe2\x82\xac \xc3\xa9" },
	{ "&lsquo;q&rsquo; &ldquo;Q&rdquo; &ndash; &bull; &trade; &szlig; &OElig;", 0,
	    "\xe2\x80\x98q\xe2\x80\x99 \xe2\x80\x9cQ\xe2\x80\x9d \xe2\x80\x93 \xe2\x80\xa2 "
	    "\xe2\x84\xa2 \xc3\x9f \xc5\x92" },
	/* HTML5 names for Latin Extended-A and punctuation. */
	{ "&Lstrok;&oacute;d&zacute; &ccaron; &hyphen;&period;&comma;&colon;", 0,
	    "\xc5\x81\xc3\xb3""d\xc5\xba \xc4\x8d \xe2\x80\x90.,:" },
	{ "&AMP;&LT;&GT;&QUOT;&COPY;&REG;", 0, "&<>\"\xc2\xa9\xc2\xae" },
	/* The legacy names work without ';', as the longest match. */
	{ "&amp &lt &gt &quot x", 0, "& < > \" x" },
	{ "a&nbspb &copy2024 &notit; &AMP", 0, "a b \xc2\xa9" "2024 \xc2\xacit; &" },
	/* These need their ';'. */
	{ "&apos &hellip &mdash", 0, "&apos &hellip &mdash" },
	/* Decimal and hexadecimal references, with or without ';'. */
	{ "&#65;&#x42;&#X43;&#68 &#0069;", 0, "ABCD E" },
	{ "&#8364; &#x20AC; &#x1F600;", 0, "\xe2\x82\xac \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "a&#;b &#x; &#xg;", 0, "a&#;b &#x; &#xg;" },
	{ "&#32;&#32;x&#10;&#9;y&#160;", 0, "x y" },
	/* Invalid code points become U+FFFD. */
	{ "&#0;", 0, REPL },
	{ "&#xD800;", 0, REPL },
	{ "&#xDFFF;", 0, REPL },
	{ "&#x110000;", 0, REPL },
	{ "&#99999999999999999999;", 0, REPL },
	{ "&#x10FFFF;", 0, "\xf4\x8f\xbf\xbf" },
	/* References to 0x80-0x9f mean windows-1252, as in HTML5. */
	{ "&#151;", 0, "\xe2\x80\x94" },
	{ "&#150;", 0, "\xe2\x80\x93" },
	{ "&#128;", 0, "\xe2\x82\xac" },
	{ "&#146;&#x93;&#x94;", 0, "\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d" },
	{ "&#133;&#153;&#159;", 0, "\xe2\x80\xa6\xe2\x84\xa2\xc5\xb8" },
	/* Unassigned in windows-1252: a C1 control, dropped. */
	{ "a&#129;b&#x8D;c", 0, "abc" },
	/* Unknown entities stay as they are. */
	{ "&foo; &bogus & && &;", 0, "&foo; &bogus & && &;" },
	{ "AT&T Q&A R&D", 0, "AT&T Q&A R&D" },
	{ "&CounterClockwiseContourIntegral; &fjlig;", 0,
	    "&CounterClockwiseContourIntegral; &fjlig;" },
	{ "&abcdefghijklmnopqrstuvwxyzabcdefghij;", 0,
	    "&abcdefghijklmnopqrstuvwxyzabcdefghij;" },
	/* Double-escaped markup is decoded and stripped. */
	{ "&lt;p&gt;Hello&lt;/p&gt;", 0, "Hello" },
	{ "<p>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</p>", 0, "Hello world" },
	{ "&lt;p&gt;A&lt;/p&gt;&lt;p&gt;B&lt;/p&gt;", TEXT_PARAGRAPHS, "A\nB" },
	{ "<p>One</p>&lt;p&gt;Two&lt;br/&gt;Three&lt;/p&gt;<p>Four</p>",
	    TEXT_PARAGRAPHS, "One\nTwo\nThree\nFour" },
	{ "&lt;a href=&quot;http://x/&quot;&gt;link&lt;/a&gt; text", 0, "link text" },
	{ "&lt;script&gt;x()&lt;/script&gt;y", 0, "y" },
	{ "&lt;!-- note --&gt;x", 0, "x" },
	{ "&lt;![CDATA[&lt;p&gt;hi&lt;/p&gt;]]&gt;", 0, "hi" },
	{ "&lt;P&gt;Upper&lt;/P&gt;", 0, "Upper" },
	/* Escaped markup in a code element is a sample to show. */
	{ "<code>&lt;br /&gt;</code> ends a line", 0, "<br /> ends a line" },
	{ "<pre>&lt;p&gt;x&lt;/p&gt;</pre>", 0, "<p>x</p>" },
	/* Decoded text that is not markup stays text, decoded once. */
	{ "5 &lt; 6", 0, "5 < 6" },
	{ "&amp;lt;", 0, "&lt;" },
	{ "&amp;amp;", 0, "&amp;" },
	{ "&amp;lt;p&amp;gt;", 0, "&lt;p&gt;" },
	{ "a &lt;b", 0, "a <b" },
	{ "x &lt;3 &lt;&lt;", 0, "x <3 <<" },
	{ "John &lt;john@example.com&gt;", 0, "John <john@example.com>" },
	{ "&lt;foo&gt; is not HTML", 0, "<foo> is not HTML" },
	{ "<p>if a &lt; b &amp;&amp; c &gt; d</p>", 0, "if a < b && c > d" },
	/* Double-escaped markup is HTML: its own entities are decoded, but only once more. */
	{ "&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;", 0, "Fish & chips" },
	{ "&lt;p&gt;Use &amp;lt;div&amp;gt;&lt;/p&gt;", 0, "Use <div>" },
	{ "&lt;b&gt;x&lt;/b&gt; &amp;lt;", 0, "x <" },
	{ "&lt;p&gt;5 &lt; 6&lt;/p&gt;", 0, "5 < 6" },
	{ "&lt;p&gt;a &lt;script&gt; b&lt;/p&gt;", 0, "a b" },
	{ "&lt;p&gt;x&lt;!-- y", 0, "x<!-- y" },
	/* NBSP and the other Unicode spaces collapse like spaces. */
	{ "a&nbsp;b\xc2\xa0" "c\xe2\x80\x89" "d\xe3\x80\x80" "e \xe2\x80\xaf z", 0,
	    "a b c d e z" },
	{ "&nbsp;&nbsp;x&nbsp;&#8194;", 0, "x" },
	/*
	 * Two non-breaking spaces set parts apart (Google News: a headline,
	 * its source), but not after a sentence's or clause's mark, nor where
	 * a block breaks or the text ends.
	 */
	{ "<li><a href=x>Ferry returns</a>&nbsp;&nbsp;<font color=\"#6f6f6f\">Harbour "
	  "Times</font></li><li><a>Bus fares 'frozen'</a>&nbsp;&nbsp;Bay Radio</li>",
	  TEXT_PARAGRAPHS, "Ferry returns \xe2\x80\x93 Harbour Times\nBus fares 'frozen' "
	  "\xe2\x80\x93 Bay Radio" },
	{ "up 5%\xc2\xa0\xc2\xa0Harbour Times", 0, "up 5% \xe2\x80\x93 Harbour Times" },
	{ "End.&nbsp;&nbsp;Next. \xe2\x80\x9c" "End.\xe2\x80\x9d&nbsp; &nbsp;Next", 0,
	  "End. Next. \xe2\x80\x9c" "End.\xe2\x80\x9d Next" },
	{ "Price:&nbsp;&nbsp;5, a&nbsp;b, wait\xe2\x80\xa6&nbsp;&nbsp;go", 0,
	  "Price: 5, a b, wait\xe2\x80\xa6 go" },
	{ "<p>a&nbsp;&nbsp;</p><p>&nbsp;&nbsp;b&nbsp;&nbsp;", TEXT_PARAGRAPHS, "a\nb" },
	{ "a\xe2\x80\x80\xe2\x80\x8a\xe2\x81\x9f" "b", 0, "a b" },
	{ "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", TEXT_PARAGRAPHS, "a b c" },
	/* Zero-width characters, the BOM and the soft hyphen are dropped. */
	{ "a\xe2\x80\x8b" "b\xef\xbb\xbf" "c&#8203;d&#xFEFF;e", 0, "abcde" },
	{ "\xef\xbb\xbfHello", 0, "Hello" },
	{ "co&shy;op co\xc2\xad" "op", 0, "coop coop" },
	/* Joiners shape scripts and emoji: kept. */
	{ "\xe2\x80\x8d\xe2\x80\x8c", 0, "\xe2\x80\x8d\xe2\x80\x8c" },
	/* C0 (but tab, LF, CR), DEL and C1 controls are dropped. */
	{ "a\tb\r\nc\rd", 0, "a b c d" },
	{ "&#1;&#27;&#127;x", 0, "x" },
	/* Invalid UTF-8 becomes one U+FFFD per bad byte. */
	{ "a\xff" "b", 0, "a" REPL "b" },
	{ "\xc3", 0, REPL },
	{ "\xe2\x82" "x", 0, REPL REPL "x" },
	{ "\xc0\xaf", 0, REPL REPL },
	{ "\xc1\xbf", 0, REPL REPL },
	{ "\xe0\x80\xaf", 0, REPL REPL REPL },
	{ "\xf0\x80\x80\xaf", 0, REPL REPL REPL REPL },
	{ "\xed\xa0\x80", 0, REPL REPL REPL },
	{ "\xf4\x90\x80\x80", 0, REPL REPL REPL REPL },
	{ "\xf5\x80", 0, REPL REPL },
	{ "\x80" "a\xbf", 0, REPL "a" REPL },
	{ "\xf0\x9f\x98", 0, REPL REPL REPL },
	{ REPL, 0, REPL },
};

/* text_clean() turns each input into its output. */
static const struct text_test_case text_test_clean_cases[] = {
	/* Invalid UTF-8 becomes one U+FFFD per bad byte. */
	{ "\xfe\xff", 0, REPL REPL },
	/* text_clean keeps tags as text and decodes entities. */
	{ "<b>x</b> &amp; y", 0, "<b>x</b> & y" },
	{ "&lt;p&gt;", 0, "<p>" },
	{ "<!-- c --> <script>s</script>", 0, "<!-- c --> <script>s</script>" },
	{ "&amp;lt;", 0, "&lt;" },
	/* text_clean: blank lines are paragraphs, single line breaks spaces. */
	{ "a\nb\n\nc\r\n\r\nd\n \n\n e", TEXT_PARAGRAPHS, "a b\nc\nd\ne" },
	{ "a\nb\n\nc\r\n\r\nd", 0, "a b c d" },
	{ "a\r\rb\rc", TEXT_PARAGRAPHS, "a\nb c" },
	{ "a\xe2\x80\xa9" "b\xe2\x80\xa8" "c", TEXT_PARAGRAPHS, "a\nb c" },
	{ "\n\na\n\n", TEXT_PARAGRAPHS, "a" },
	/* text_clean: same repairs as text_from_html. */
	{ "&#151;&#xD800;&foo;", 0, "\xe2\x80\x94" REPL "&foo;" },
	{ "", 0, "" },
};

/* "Zürich Ünïcödé", 14 characters: multi-byte text the cut cases share. */
#define TEXT_TEST_ZURICH "Z\xc3\xbcrich \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9"

/* A case of text_cut(): the input, the budget, the output and the return value. */
static const struct {
	const char *in;
	size_t max;
	const char *want;
	int ret;
} text_test_cut_cases[] = {
	/* text_cut cuts at a word boundary and counts the "…". */
	{ "Hello brave new world", 12, "Hello brave" ELL, 1 },
	{ "Hello brave new world", 21, "Hello brave new world", 0 },
	{ "Hello brave new world", 100, "Hello brave new world", 0 },
	{ "Hello brave new world", 20, "Hello brave new" ELL, 1 },
	{ "Hello brave new world", 16, "Hello brave new" ELL, 1 },
	{ "Hello brave new world", 15, "Hello brave" ELL, 1 },
	{ "one\ntwo three", 9, "one\ntwo" ELL, 1 },
	/* A cut that lands exactly on a word boundary keeps the whole word. */
	{ "Hello world", 6, "Hello" ELL, 1 },
	{ "Hello world", 7, "Hello" ELL, 1 },
	{ "Hello world", 10, "Hello" ELL, 1 },
	{ "Hello world", 11, "Hello world", 0 },
	{ "ab cd ef", 6, "ab cd" ELL, 1 },
	{ "ab cd ef", 5, "ab" ELL, 1 },
	/* Trailing spaces, commas and dashes go before the "…". */
	{ "Hello, world again", 10, "Hello" ELL, 1 },
	{ "One - two three", 8, "One" ELL, 1 },
	{ "Word; another one", 8, "Word" ELL, 1 },
	{ "Zeit \xe2\x80\x94 Wort hier", 9, "Zeit" ELL, 1 },
	{ "Ab: (cd) ef", 6, "Ab" ELL, 1 },
	{ "Abcdefgh(ijklmn", 10, "Abcdefgh" ELL, 1 },
	{ "said\xe2\x80\x9cnomore", 6, "said" ELL, 1 },
	{ "He said \xe2\x80\x9cno more\xe2\x80\x9d", 11, "He said" ELL, 1 },
	{ ",,,,,,,,,,", 4, ELL, 1 },
	{ "Mr. Smith went", 11, "Mr. Smith" ELL, 1 },
	/* Without a boundary in the second half of the budget, the word is cut. */
	{ "abcdefghij", 5, "abcd" ELL, 1 },
	{ "a bcdefghijkl", 8, "a bcdef" ELL, 1 },
	{ "Hello wonderfulness", 12, "Hello wonde" ELL, 1 },
	{ "Supercalifragilistic", 10, "Supercali" ELL, 1 },
	/* Budgets of zero and one. */
	{ "x", 0, "", 1 },
	{ "", 0, "", 0 },
	{ "", 5, "", 0 },
	{ "long text", 1, ELL, 1 },
	{ "a", 1, "a", 0 },
	{ "ab", 2, "ab", 0 },
	{ "abc", 2, "a" ELL, 1 },
	/* Multi-byte text is cut on code point boundaries. */
	{ TEXT_TEST_ZURICH, 14, TEXT_TEST_ZURICH, 0 },
	{ TEXT_TEST_ZURICH, 13, "Z\xc3\xbcrich" ELL, 1 },
	{ TEXT_TEST_ZURICH, 8, "Z\xc3\xbcrich" ELL, 1 },
	{ TEXT_TEST_ZURICH, 7, "Z\xc3\xbcrich" ELL, 1 },
	{ TEXT_TEST_ZURICH, 6, "Z\xc3\xbcric" ELL, 1 },
	{ TEXT_TEST_ZURICH, 3, "Z\xc3\xbc" ELL, 1 },
	{ TEXT_TEST_ZURICH, 2, "Z" ELL, 1 },
	{ TEXT_TEST_ZURICH, 1, ELL, 1 },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 2, "\xe6\x97\xa5" ELL, 1 },
	{ "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82", 3,
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82", 0 },
	{ "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82", 2, "\xf0\x9f\x98\x80" ELL, 1 },
};

/* A case of text_ascii_fold(): the input and the output. */
static const struct {
	const char *in;
	const char *want;
} text_test_fold_cases[] = {
	/* Accented letters fold to their base letter, ligatures are spelled out. */
	{ "Z\xc3\xbcrich \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9", "Zurich Unicode" },
	{ "\xc3\x9f \xc3\xa6 \xc3\x86 \xc5\x93 \xc5\x92 "
	    "\xc3\x9e \xc3\xbe \xc4\x91 \xc4\x90", "ss ae AE oe OE Th th d D" },
	{ "\xc5\x82\xc3\xb3" "d\xc5\xba \xc5\x81 \xc3\xb8 \xc3\x98 "
	    "\xc4\xb1 \xc3\xa5 \xc3\xb1", "lodz L o O i a n" },
	{ "\xc4\x8c" "e\xc5\xa1tina \xc5\x9e\xc4\x9f \xc4\xb2", "Cestina Sg IJ" },
	{ "\xc6\x92 \xc7\x84 \xc8\x98", "f DZ S" },
	/* Vietnamese letters fold to their base letter. */
	{ "Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t Nguy\xe1\xbb\x85n Ph\xe1\xbb\x9f "
	    "\xc6\xb0\xe1\xbb\x9b" "c \xc4\x90\xc3\xa0 N\xe1\xba\xb5ng",
	    "Tieng Viet Nguyen Pho uoc Da Nang" },
	/* Typographic punctuation folds to its ASCII look-alike. */
	{ "\xe2\x80\x98" "a\xe2\x80\x99 \xe2\x80\x9a" "b\xe2\x80\x9b \xe2\x80\x9c" "c"
	    "\xe2\x80\x9d \xe2\x80\x9e" "d\xe2\x80\x9c", "'a' 'b' \"c\" \"d\"" },
	{ "\xe2\x80\x93 \xe2\x80\x94 \xe2\x80\x95 \xe2\x80\xa6 \xe2\x80\xa2 \xc2\xb7 "
	    "\xe2\x80\xb2 \xe2\x80\xb3 \xc2\xab\xc2\xbb \xe2\x80\xb9\xe2\x80\xba",
	    "- - - ... * . ' \" <<>> <>" },
	/* Symbols fold to a readable form. */
	{ "\xe2\x82\xac" "5 \xc2\xa3" "3 \xc2\xa5" "9 \xc2\xa9 \xc2\xae \xe2\x84\xa2",
	    "EUR5 GBP3 JPY9 (c) (r) (tm)" },
	{ "20\xc2\xb0" "C \xc2\xbd \xc3\x97 \xc3\xb7 \xc2\xb1 "
	    "\xe2\x88\x92" "1 \xe2\x86\x92", "20degC 1/2 x / +/- -1 ->" },
	{ "\xef\xbc\xa1\xef\xbc\x81", "A!" },
	/*
	 * Greek and Cyrillic letters are transliterated; ligatures and circled
	 * numbers spelled out.
	 */
	/* "Москва, Щёлково, Київ, Ґанок, объём" */
	{ "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0, "
	    "\xd0\xa9\xd1\x91\xd0\xbb\xd0\xba\xd0\xbe\xd0\xb2\xd0\xbe, "
	    "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2, \xd2\x90\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xba, "
	    "\xd0\xbe\xd0\xb1\xd1\x8a\xd1\x91\xd0\xbc",
	    "Moskva, Shchyolkovo, Kiyiv, Ganok, ob'yom" },
	/* "Αθήνα, Θεσσαλονίκη, Ψαρά, ΧΑΟΣ" */
	{ "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1, "
	    "\xce\x98\xce\xb5\xcf\x83\xcf\x83\xce\xb1\xce\xbb\xce\xbf\xce\xbd\xce\xaf"
	    "\xce\xba\xce\xb7, \xce\xa8\xce\xb1\xcf\x81\xce\xac, "
	    "\xce\xa7\xce\x91\xce\x9f\xce\xa3",
	    "Athina, Thessaloniki, Psara, ChAOS" },
	{ "\xef\xac\x81nal \xef\xac\x84 \xe2\x91\xa0 \xe2\x91\xb3", "final ffl (1) (20)" },
	/* NBSP is a space; combining marks, zero-width and format characters vanish. */
	{ "a\xc2\xa0" "b e\xcc\x81 n\xcc\x83", "a b e n" },
	{ "a\xe2\x80\x8b" "b\xef\xbb\xbf" "c\xc2\xad" "d\xe2\x80\x8d" "e", "abcde" },
	{ "\xe2\x9d\xa4\xef\xb8\x8f", "?" },
	/* Anything else is '?', once per code point. */
	{ "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xd7\x90", "?? ? ?" },
	{ "\xef\xbf\xbd", "?" },
	/* Controls: '\n' passes, a tab becomes a space, the others are dropped. */
	{ "plain ASCII ~!@#$%^&*()", "plain ASCII ~!@#$%^&*()" },
};

/* Each case of text_test_html_cases[]. */
static void
test_html_cases(void **state)
{
	const struct text_test_case *c;
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(text_test_html_cases); i++) {
		c = &text_test_html_cases[i];
		check_html(c->in, c->flags, c->want);
	}
}

/* Each case of text_test_clean_cases[]. */
static void
test_clean_cases(void **state)
{
	const struct text_test_case *c;
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(text_test_clean_cases); i++) {
		c = &text_test_clean_cases[i];
		check_clean_len(c->in, strlen(c->in), c->flags, c->want);
	}
}

/* Each case of text_test_cut_cases[]. */
static void
test_cut_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(text_test_cut_cases); i++)
		check_cut(text_test_cut_cases[i].in, text_test_cut_cases[i].max,
		    text_test_cut_cases[i].want, text_test_cut_cases[i].ret);
}

/* Each case of text_test_fold_cases[]. */
static void
test_fold_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(text_test_fold_cases); i++)
		check_fold_len(text_test_fold_cases[i].in, strlen(text_test_fold_cases[i].in),
		    text_test_fold_cases[i].want);
}

/* A case of a decoder (text_entity(), text_utf8_next()): input, length, return, code point. */
struct text_test_decode_case {
	const char *in;
	size_t len;
	size_t ret;
	uint32_t cp;
};

/* A decode case's cp when the case does not look at the code point. */
#define TEXT_TEST_ANY UINT32_MAX

/* A case of a counter (text_utf8_valid(), text_utf8_chars()): input, length, result. */
struct text_test_count_case {
	const char *in;
	size_t len;
	size_t want;
};

/* Check each of n cases of decode: its return value and the code point it stores. */
static void
text_test_decode(size_t (*decode)(const char *, size_t, uint32_t *),
    const struct text_test_decode_case *t, size_t n)
{
	uint32_t cp = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(decode(t[i].in, t[i].len, &cp), t[i].ret);
		if (t[i].cp != TEXT_TEST_ANY)
			assert_int_equal(cp, t[i].cp);
	}
}

/* Inputs with a NUL byte, which the tables of C strings cannot hold. */
static void
test_nul_bytes(void **state)
{
	(void)state;
	/* C0 (but tab, LF, CR), DEL and C1 controls are dropped. */
	check_html_len("a\x01" "b\x7f" "c\xc2\x85" "d\0e\x1b" "f", 12, 0, "abcdef");
	/* text_clean: same repairs as text_from_html. */
	check_clean_len(" a\xff\x01&nbsp;b\0\xe2\x80\x8b" "c\xc2\xa0 ", 19, 0, "a" REPL " bc");
	/* Controls: '\n' passes, a tab becomes a space, the others are dropped. */
	check_fold_len("a\tb\r\nc\x01\x7f" "d\0e", 11, "a b\ncde");
}

/* text_entity() reports the code point and the length consumed. */
static void
test_entity_api(void **state)
{
	/* cp is TEXT_TEST_ANY where the case does not look at it. */
	static const struct text_test_decode_case cases[] = {
		{ "&amp;", 5, 5, '&' },
		{ "&amp;x", 4, 4, '&' },
		{ "&ampx", 5, 4, TEXT_TEST_ANY },
		{ "&notit;", 7, 4, 0xac },
		{ "&notin;", 7, 7, 0x2209 },
		{ "&#x41;", 6, 6, 'A' },
		{ "&#65x", 5, 4, 'A' },
		{ "&#151;", 6, 6, 0x2014 },
		{ "&zwnj;", 6, 6, 0x200c },
		{ "&foo;", 5, 0, TEXT_TEST_ANY },
		{ "&", 1, 0, TEXT_TEST_ANY },
		{ "&#", 2, 0, TEXT_TEST_ANY },
		{ "x&amp;", 6, 0, TEXT_TEST_ANY },
		{ "&a", 2, 0, TEXT_TEST_ANY },
	};

	(void)state;
	text_test_decode(text_entity, cases, TEXT_TEST_N(cases));
}

/* Output appends to what the buffer already holds. */
static void
test_appends(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "X: ");
	assert_int_equal(text_from_html(&b, "<p> a </p>", 10, 0), 0);
	assert_string_equal(buf_str(&b), "X: a");
	buf_reset(&b);
	buf_adds(&b, "Y: ");
	assert_int_equal(text_from_html(&b, "&lt;b&gt;y&lt;/b&gt;", 20, 0), 0);
	assert_string_equal(buf_str(&b), "Y: y");
	buf_reset(&b);
	buf_adds(&b, "Z");
	assert_int_equal(text_cut(&b, "abc", 3, 2), 1);
	assert_int_equal(text_ascii_fold(&b, "\xc3\xa9", 2), 0);
	assert_int_equal(text_clean(&b, " q ", 3, 0), 0);
	assert_string_equal(buf_str(&b), "Za" ELL "eq");
	buf_free(&b);
}

/* Every function returns -1 when the buffer hits its cap. */
static void
test_buf_failure(void **state)
{
	struct buf b;
	const char *in = "<p>a long enough text</p>";

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(text_from_html(&b, in, strlen(in), 0), -1);
	buf_reset(&b);
	assert_int_equal(text_clean(&b, in, strlen(in), 0), -1);
	buf_reset(&b);
	assert_int_equal(text_cut(&b, in, strlen(in), 10), -1);
	buf_reset(&b);
	assert_int_equal(text_cut(&b, "abcd", 4, 10), 0);
	assert_int_equal(text_cut(&b, "e", 1, 10), -1);
	buf_reset(&b);
	assert_int_equal(text_ascii_fold(&b, in, strlen(in)), -1);
	buf_reset(&b);
	assert_int_equal(text_put_utf8(&b, 0x1f600), 0);
	assert_int_equal(text_put_utf8(&b, 'x'), -1);
	buf_free(&b);
}

/* text_utf8_next decodes or reports a bad byte. */
static void
test_utf8_next(void **state)
{
	static const struct text_test_decode_case cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		{ "\xe2\x82\xac", 2, 1, 0xfffd },
		{ "\xc0\x80", 2, 1, 0xfffd },
		{ "\xed\xbf\xbf", 3, 1, 0xfffd },
		{ "\xee\x80\x80", 3, 3, 0xe000 },
		{ "\x80", 1, 1, 0xfffd },
		{ "\xc3\x28", 2, 1, 0xfffd },
	};

	(void)state;
	text_test_decode(text_utf8_next, cases, TEXT_TEST_N(cases));
}

/* text_utf8_valid accepts only well-formed UTF-8. */
static void
test_utf8_valid(void **state)
{
	/* The input, its length and whether it is valid (1) or not (0). */
	static const struct text_test_count_case cases[] = {
		{ "", 0, 1 },
		{ "abc", 3, 1 },
		{ "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80", 16, 1 },
		{ "a\0b", 3, 1 },
		{ "\xc3", 1, 0 },
		{ "\xc0\xaf", 2, 0 },
		{ "\xed\xa0\x80", 3, 0 },
		{ "\xf4\x90\x80\x80", 4, 0 },
		{ "ab\xff", 3, 0 },
		{ "\xe2\x82\xac", 2, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(cases); i++)
		assert_int_equal(text_utf8_valid(cases[i].in, cases[i].len) != 0, cases[i].want);
}

/* text_utf8_chars counts code points. */
static void
test_utf8_chars(void **state)
{
	/* The input, its length and its count of code points. */
	static const struct text_test_count_case cases[] = {
		{ "", 0, 0 },
		{ "abc", 3, 3 },
		{ "Z\xc3\xbcrich", 7, 6 },
		{ "\xe2\x82\xac\xf0\x9f\x98\x80", 7, 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TEXT_TEST_N(cases); i++)
		assert_int_equal(text_utf8_chars(cases[i].in, cases[i].len), cases[i].want);
}

/* text_put_utf8 encodes, replacing invalid code points. */
static void
test_put_utf8(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(text_put_utf8(&b, 'A'), 0);
	assert_int_equal(text_put_utf8(&b, 0xe9), 0);
	assert_int_equal(text_put_utf8(&b, 0x7ff), 0);
	assert_int_equal(text_put_utf8(&b, 0x20ac), 0);
	assert_int_equal(text_put_utf8(&b, 0xffff), 0);
	assert_int_equal(text_put_utf8(&b, 0x1f600), 0);
	assert_int_equal(text_put_utf8(&b, 0x10ffff), 0);
	assert_string_equal(buf_str(&b), "A\xc3\xa9\xdf\xbf\xe2\x82\xac\xef\xbf\xbf"
	    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	buf_reset(&b);
	assert_int_equal(text_put_utf8(&b, 0xd800), 0);
	assert_int_equal(text_put_utf8(&b, 0xdfff), 0);
	assert_int_equal(text_put_utf8(&b, 0x110000), 0);
	assert_int_equal(text_put_utf8(&b, 0xffffffff), 0);
	assert_string_equal(buf_str(&b), REPL REPL REPL REPL);
	buf_free(&b);
}

/* For every budget the cut is valid UTF-8 within the budget. */
static void
test_cut_all_budgets(void **state)
{
	/* Zürich Ünïcödé; 日本語の テキスト; emoji, dashes, quotes. */
	static const char *const texts[] = {
		("Z\xc3\xbcrich \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9"),
		("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae "
		    "\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88"),
		("\xf0\x9f\x98\x80 a\xf0\x9f\x98\x81 \xe2\x80\x94 b, "
		    "\xc3\xa9t\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d"),
		"The quick brown fox jumps over the lazy dog",
		"   ",
	};
	struct buf b;
	size_t i, max, chars;
	int r;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		chars = text_utf8_chars(texts[i], strlen(texts[i]));
		for (max = 0; max <= chars + 2; max++) {
			buf_reset(&b);
			r = text_cut(&b, texts[i], strlen(texts[i]), max);
			assert_int_equal(r, max >= chars ? 0 : 1);
			assert_true(text_utf8_valid(b.data != NULL ? b.data : "", b.len));
			assert_true(text_utf8_chars(buf_str(&b), b.len) <= max);
			if (r == 1 && max > 0)
				assert_true(b.len >= 3 && memcmp(b.data + b.len - 3, ELL, 3) == 0);
			if (r == 0)
				assert_string_equal(buf_str(&b), texts[i]);
		}
	}
	buf_free(&b);
}

/* Every code point folds to printable ASCII. */
static void
test_fold_every_code_point(void **state)
{
	struct buf in, out;
	uint32_t cp;
	size_t i;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		buf_reset(&in);
		buf_reset(&out);
		assert_int_equal(text_put_utf8(&in, cp), 0);
		assert_int_equal(text_ascii_fold(&out, in.data, in.len), 0);
		for (i = 0; i < out.len; i++)
			assert_true((out.data[i] >= 0x20 && out.data[i] < 0x7f) ||
			    out.data[i] == '\n');
		if (cp >= 0x80 && cp != 0xad && (cp < 0x300 || cp > 0x36f) && out.len == 0 &&
		    !(cp >= 0x2000 && cp <= 0x206f) && !(cp >= 0xfe00 && cp <= 0xfe2f) &&
		    !(cp >= 0x1ab0 && cp <= 0x1aff) && !(cp >= 0x1dc0 && cp <= 0x1dff) &&
		    !(cp >= 0x20d0 && cp <= 0x20ff) && !(cp >= 0xe0000 && cp <= 0xe007f) &&
		    cp != 0xfeff && cp != 0xfffc)
			fail_msg("U+%04X folds to nothing", (unsigned)cp);
	}
	buf_free(&in);
	buf_free(&out);
}

/*
 * Scripts written without spaces: CJK (none between sentences either),
 * and Thai and its neighbours (which do space sentences).
 */
static void
test_cp_scripts(void **state)
{
	static const struct {
		uint32_t cp;
		int cjk, unspaced;
	} cases[] = {
		{ 0x3002, 1, 1 },	/* 。 */
		{ 0x30A2, 1, 1 },	/* ア */
		{ 0x4E2D, 1, 1 },	/* 中 */
		{ 0xFF21, 1, 1 },	/* full-width A */
		{ 0x0E01, 0, 1 },	/* Thai ko kai */
		{ 0x1000, 0, 1 },	/* Burmese ka */
		{ 0x1780, 0, 1 },	/* Khmer ka */
		{ 0xAC00, 0, 0 },	/* Hangul: Korean spaces its words */
		{ 'a', 0, 0 },
		{ 0xE9, 0, 0 },	/* é */
		{ 0x0430, 0, 0 },	/* Cyrillic a */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(text_cp_cjk(cases[i].cp), cases[i].cjk);
		assert_int_equal(text_cp_unspaced(cases[i].cp), cases[i].unspaced);
	}
}

/* base64: padding optional, white space skipped, stops at a stray character. */
static void
test_base64(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(text_base64(&b, "RXhhbXBsZSA8Yj5BdG9tPC9iPg==", 28), 0);
	assert_string_equal(buf_str(&b), "Example <b>Atom</b>");
	buf_reset(&b);
	text_base64(&b, "SGVs\nbG8", 8);
	assert_string_equal(buf_str(&b), "Hello");
	buf_reset(&b);
	text_base64(&b, "SGk*SGk", 7);
	assert_string_equal(buf_str(&b), "Hi");
	buf_reset(&b);
	text_base64(&b, "", 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/*
 * Runs of plain words are read eight bytes at a time: on random strings of
 * letters, spaces, tabs, ']' and DEL, at every alignment, the output is the
 * reference normalisation (DEL dropped, white space collapsed, trimmed).
 */
static void
test_plain_runs_any_alignment(void **state)
{
	static const char alphabet[] = "ab ]\x7f\t  z";
	char in[64], want[64];
	uint32_t seed = 12345;
	size_t len, i, n;
	int k, space;

	(void)state;
	for (k = 0; k < 5000; k++) {
		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 48;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		in[len] = '\0';
		n = 0;
		space = 0;
		for (i = 0; i < len; i++) {
			if (in[i] == '\x7f')
				continue;
			if (in[i] == ' ' || in[i] == '\t') {
				space = n > 0;
				continue;
			}
			if (space)
				want[n++] = ' ';
			space = 0;
			want[n++] = in[i];
		}
		want[n] = '\0';
		check_html(in, 0, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_cases),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_entity_api),
		cmocka_unit_test(test_plain_runs_any_alignment),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_buf_failure),
		cmocka_unit_test(test_clean_cases),
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_put_utf8),
		cmocka_unit_test(test_cut_cases),
		cmocka_unit_test(test_cut_all_budgets),
		cmocka_unit_test(test_fold_cases),
		cmocka_unit_test(test_fold_every_code_point),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_cp_scripts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
