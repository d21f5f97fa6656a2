/* summary_test — unit tests for daemon/summary.c: sentences and the lead summary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "newsdigest/article.h"
#include "newsdigest/lang.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"
#include "newsdigest/text.h"

#include "poslex.h"		/* build/gen: POSLEX_N, 0 when built without WordNet */

#define ELL "\xe2\x80\xa6"	/* U+2026 HORIZONTAL ELLIPSIS */
#define SUMMARY_TEST_MAX 16

/* Split text and compare with the n expected spans (off, len, chars, para). */
static void
summary_test_check(const char *text, const struct summary_sentence *want, size_t n)
{
	struct summary_sentence got[SUMMARY_TEST_MAX];
	size_t i, count;

	memset(got, 0xa5, sizeof got);
	count = summary_split(text, strlen(text), got, SUMMARY_TEST_MAX);
	assert_int_equal(count, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].off, want[i].off);
		assert_int_equal(got[i].len, want[i].len);
		assert_int_equal(got[i].chars, want[i].chars);
		assert_int_equal(got[i].para, want[i].para);
	}
}

/* Check summary_lead(text, max) against want. */
static void
summary_test_lead(const char *text, size_t max, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(summary_lead(&b, text, strlen(text), max), 0);
	assert_string_equal(buf_str(&b), want);
	assert_true(text_utf8_chars(b.data != NULL ? b.data : "", b.len) <= max);
	buf_free(&b);
}

/* "Mr." and "a.m." do not end a sentence; "Washington." does. */
static void
summary_test_split_mr_am(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 29, 29, 0 },	/* Mr. Smith went to Washington. */
		{ 30, 31, 31, 0 },	/* He arrived at 9 a.m. on Monday. */
	};

	(void)state;
	summary_test_check("Mr. Smith went to Washington. He arrived at 9 a.m. on Monday.", want,
	    2);
}

/* "U.S." before lower case and a decimal "3.5" do not end a sentence. */
static void
summary_test_split_us_decimal(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 34, 34, 0 },	/* The U.S. economy grew 3.5 percent. */
		{ 35, 24, 24, 0 },	/* Analysts were surprised. */
	};

	(void)state;
	summary_test_check("The U.S. economy grew 3.5 percent. Analysts were surprised.", want, 2);
}

/* "U.S." ends a sentence when a usual opener follows, not before a name. */
static void
summary_test_split_final_abbrev(void **state)
{
	static const struct summary_sentence two[] = {
		{ 0, 20, 20, 0 },	/* He lives in the U.S. */
		{ 21, 16, 16, 0 },	/* The talks begin. */
	};
	static const struct summary_sentence one[] = {
		{ 0, 29, 29, 0 },	/* The U.S. Supreme Court ruled. */
	};

	(void)state;
	summary_test_check("He lives in the U.S. The talks begin.", two, 2);
	summary_test_check("The U.S. Supreme Court ruled.", one, 1);
}

/* A closing quote after the full stop belongs to the sentence. */
static void
summary_test_split_quote(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 24, 24, 0 },	/* She said: "We will win." */
		{ 25, 14, 14, 0 },	/* Then she left. */
	};
	static const struct summary_sentence curly[] = {
		{ 0, 17, 13, 0 },	/* He said “Go.” (two 3-byte quotes) */
		{ 18, 10, 10, 0 },	/* Then left. */
	};

	(void)state;
	summary_test_check("She said: \"We will win.\" Then she left.", want, 2);
	summary_test_check("He said \xe2\x80\x9cGo.\xe2\x80\x9d Then left.", curly, 2);
}

/* An ellipsis followed by lower case does not end a sentence; before a capital it does. */
static void
summary_test_split_ellipsis(void **state)
{
	static const struct summary_sentence lower[] = {
		{ 0, 22, 22, 0 },	/* Wait... what happened? */
	};
	static const struct summary_sentence upper[] = {
		{ 0, 7, 7, 0 },		/* Wait... */
		{ 8, 14, 14, 0 },	/* What happened? */
	};

	(void)state;
	summary_test_check("Wait... what happened?", lower, 1);
	summary_test_check("Wait... What happened?", upper, 2);
}

/* An initial ("F.") does not end a sentence. */
static void
summary_test_split_initial(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 30, 30, 0 },	/* John F. Kennedy was president. */
	};

	(void)state;
	summary_test_check("John F. Kennedy was president.", want, 1);
}

/* A month abbreviation ("Jan.") before a digit does not end a sentence. */
static void
summary_test_split_month(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 19, 19, 0 },	/* Jan. 4 is the date. */
	};

	(void)state;
	summary_test_check("Jan. 4 is the date.", want, 1);
}

/* "No." before a number does not end a sentence. */
static void
summary_test_split_number_abbrev(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 21, 21, 0 },	/* No. 10 Downing Street */
	};

	(void)state;
	summary_test_check("No. 10 Downing Street", want, 1);
}

/* A sentence in parentheses ends after the closing bracket. */
static void
summary_test_split_parentheses(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 14, 14, 0 },	/* (This is one.) */
		{ 15, 12, 12, 0 },	/* This is two. */
	};

	(void)state;
	summary_test_check("(This is one.) This is two.", want, 2);
}

/* A paragraph break always ends a sentence, with or without a stop; para counts them. */
static void
summary_test_split_paragraphs(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 22, 22, 0 },	/* A heading without stop */
		{ 23, 12, 12, 1 },	/* First one is */
		{ 36, 11, 11, 2 },	/* split here. */
		{ 48, 8, 8, 2 },	/* And two. */
	};

	(void)state;
	summary_test_check("A heading without stop\nFirst one is\nsplit here. And two.", want, 4);
}

/* "?" and "!" end sentences; runs like "?!" stay with their sentence. */
static void
summary_test_split_question_exclamation(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 4, 4, 0 },		/* Who? */
		{ 5, 4, 4, 0 },		/* Me?! */
		{ 10, 4, 4, 0 },	/* Yes. */
	};
	static const struct summary_sentence brand[] = {
		{ 0, 25, 25, 0 },	/* Yahoo! announced results. */
	};

	(void)state;
	summary_test_check("Who? Me?! Yes.", want, 3);
	summary_test_check("Yahoo! announced results.", brand, 1);
}

/* Multi-byte text: chars counts code points, off and len count bytes. */
static void
summary_test_split_utf8(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 17, 13, 0 },	/* Été à Zürich. */
		{ 18, 13, 5, 0 },	/* 日本です! */
	};

	(void)state;
	summary_test_check("\xc3\x89t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich. "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xa7\xe3\x81\x99!", want, 2);
}

/* At most max spans are stored; empty text and white space have none. */
static void
summary_test_split_max(void **state)
{
	static const char text[] = "One. Two. Three. Four.";
	struct summary_sentence s[4];

	(void)state;
	memset(s, 0, sizeof s);
	assert_int_equal(summary_split(text, strlen(text), s, 2), 2);
	assert_int_equal(s[0].off, 0);
	assert_int_equal(s[0].len, 4);
	assert_int_equal(s[1].off, 5);
	assert_int_equal(s[1].len, 4);
	/* Nothing past max is written. */
	assert_int_equal(s[2].len, 0);
	assert_int_equal(summary_split(text, strlen(text), s, 0), 0);
	assert_int_equal(summary_split("", 0, s, 4), 0);
	assert_int_equal(summary_split("  \n ", 4, s, 4), 0);
	/* len is honoured: the text need not be NUL-terminated. */
	assert_int_equal(summary_split(text, 9, s, 4), 2);
	assert_int_equal(s[1].len, 4);
}

/*
 * A closing guillemet after the stop belongs to the sentence, which then ends.
 */
static void
summary_test_split_guillemet(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 17, 15, 0 },	/* Il a dit «Oui.» */
		{ 18, 18, 18, 0 },	/* Puis il est parti. */
	};

	(void)state;
	summary_test_check("Il a dit \xc2\xabOui.\xc2\xbb Puis il est parti.", want, 2);
}

/*
 * A lower-case letter after a stop does not start a sentence, accented or not.
 */
static void
summary_test_split_lowercase_accented(void **state)
{
	static const struct summary_sentence want[] = {
		{ 0, 33, 32, 0 },
	};

	(void)state;
	summary_test_check("It was a success. \xc3\xa9lan followed.", want, 1);
}

/* summary_lead: the budget is in code points, not bytes. */
static void
summary_test_lead_code_points(void **state)
{
	/* 13 code points in 17 bytes; then 15 more after the space. */
	static const char text[] = "\xc3\x89t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich. Und Basel auch.";

	(void)state;
	summary_test_lead(text, 13, "\xc3\x89t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich.");
	summary_test_lead(text, 29, "\xc3\x89t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich. Und Basel auch.");
	summary_test_lead(text, 28, "\xc3\x89t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich.");
}

/* summary_lead: whole sentences only, in order, joined by one space across paragraphs. */
static void
summary_test_lead_whole_sentences(void **state)
{
	static const char text[] =
	    "First one here. A very long second sentence follows it.\nShort.";
	static const char all[] =
	    "First one here. A very long second sentence follows it. Short.";

	(void)state;
	/* 15 + 1 + 39 = 55: the second does not fit in 54 and the third is not taken instead. */
	summary_test_lead(text, 54, "First one here.");
	summary_test_lead(text, 55, "First one here. A very long second sentence follows it.");
	summary_test_lead(text, 61, "First one here. A very long second sentence follows it.");
	summary_test_lead(text, 62, all);
	summary_test_lead(text, 1000, all);
}

/* summary_lead: a first sentence longer than the budget is cut on a word with "…". */
static void
summary_test_lead_cut(void **state)
{
	static const char text[] = "Consumer prices in the euro area rose again. Short.";

	(void)state;
	summary_test_lead(text, 20, "Consumer prices in" ELL);
	summary_test_lead(text, 30, "Consumer prices in the euro" ELL);
	/* One word longer than the budget: cut inside it, on a code point. */
	summary_test_lead("Donaudampfschiff\xc3\xa4hrtsgesellschaft ist lang.", 12,
	    "Donaudampfs" ELL);
	summary_test_lead("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4.", 5,
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4" ELL);
}

/* summary_lead: a zero budget or empty text gives an empty summary. */
static void
summary_test_lead_empty(void **state)
{
	(void)state;
	summary_test_lead("Some text.", 0, "");
	summary_test_lead("", 100, "");
	summary_test_lead(" \n ", 100, "");
}

/* summary_lead: a buffer that cannot grow makes it return -1. */
static void
summary_test_lead_full(void **state)
{
	static const char text[] = "This sentence is longer than eight bytes.";
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(summary_lead(&b, text, strlen(text), 200), -1);
	buf_free(&b);
	buf_init(&b, 8);
	assert_int_equal(summary_lead(&b, text, strlen(text), 20), -1);
	buf_free(&b);
}

/* A written sample: a dateline, a byline, a credit and a share prompt around the story. */
static const char summary_test_title[] = "ECOWAS leaders meet in Burkina Faso over Sahel crisis";
static const char summary_test_story[] =
    "OUAGADOUGOU (Northwind) \xe2\x80\x94 Leaders of ECOWAS met in Burkina Faso on Sunday to "
    "discuss the crisis in the Sahel.\n"
    "By Jane Smith.\n"
    "Photo: Reuters/File.\n"
    "Russian Foreign Minister Sergey Lavrov said Moscow was ready to help. "
    "Lavrov spoke after talks with the ECOWAS chairman in Ouagadougou. "
    "The talks in Burkina Faso are the first since the coup in July.\n"
    "Diplomats said ECOWAS could lift sanctions on Burkina Faso if elections are held. "
    "Lavrov did not say whether Russia would send troops.\n"
    "Read more: Sahel coverage.\n";

/* Summarise the sample with a fresh English reader; return the summary in b. */
static void
summary_test_make(struct buf *b, size_t chars, size_t bytes)
{
	struct article *a = article_new("en");

	assert_non_null(a);
	article_read(a, summary_test_title, strlen(summary_test_title), summary_test_story,
	    strlen(summary_test_story));
	buf_reset(b);
	assert_int_equal(summary_make(b, a, chars, bytes), 0);
	article_free(a);
}

/* Read title and text with a, and summarise them at 280 characters into b (emptied first). */
static void
summary_test_summarize(struct article *a, struct buf *b, const char *title, const char *text)
{
	article_read(a, title, strlen(title), text, strlen(text));
	buf_reset(b);
	assert_int_equal(summary_make(b, a, 280, 0), 0);
}

/*
 * A sentence that ends on a colon announces the next: without it, it is
 * not shown (So here is a list of …:), and with it, it may be.
 */
static void
summary_test_make_colon(void **state)
{
	static const char title[] = "Newsletters in my feed reader";
	static const char list[] = "When I open my feed reader, it does not feel like opening my "
	    "email. I read newsletters without being tracked, which is nice. So here is a list "
	    "of the newsletters in my feed reader:\nOne on gardening, weekly.\nOne on local "
	    "politics, daily.\n";
	static const char quote[] = "The council approved the harbour plan. The mayor of the "
	    "town said on Monday:\n"
	    "The harbour plan will bring jobs to the town.\n";
	struct article *a = article_new("en");
	struct buf b;

	(void)state;
	assert_non_null(a);
	buf_init(&b, 0);
	summary_test_summarize(a, &b, title, list);
	assert_null(strstr(buf_str(&b), "a list"));
	assert_true(b.len > 0 && buf_str(&b)[b.len - 1] != ':');
	summary_test_summarize(a, &b, "Council approves harbour plan", quote);
	assert_string_equal(buf_str(&b), "The council approved the harbour plan. The mayor of "
	    "the town said on Monday: The harbour plan will bring jobs to the town.");
	buf_free(&b);
	article_free(a);
}

/* Whole sentences in article order, no dateline, byline, credit or "Read more". */
static void
summary_test_make_sample(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	summary_test_make(&b, 280, 0);
	assert_string_equal(buf_str(&b),
	    "Leaders of ECOWAS met in Burkina Faso on Sunday to discuss the crisis in the Sahel. "
	    "Russian Foreign Minister Sergey Lavrov said Moscow was ready to help. "
	    "Diplomats said ECOWAS could lift sanctions on Burkina Faso if elections are held.");
	assert_null(strstr(buf_str(&b), "Northwind"));
	assert_null(strstr(buf_str(&b), "Read more"));
	assert_null(strstr(buf_str(&b), "Photo"));
	assert_null(strstr(buf_str(&b), "Jane"));
	buf_free(&b);
}

/*
 * Two sentences sharing exactly 3/5 of their terms say the same: one of
 * them is the summary. Compared as doubles, 3.0 / 5 fell below the 0.6 of
 * an x87 FPU's 80-bit precision and i386 kept both.
 */
static void
summary_test_make_same(void **state)
{
	static const char title[] = "Council budget";
	static const char text[] =
	    "Volunteers painted fences beside quiet gardens. "
	    "Volunteers painted fences along muddy lanes.";
	static const char other[] =
	    "Volunteers painted fences beside quiet gardens. "
	    "Children planted trees along muddy lanes.";
	struct article *a = article_new("en");
	struct buf b;

	(void)state;
	assert_non_null(a);
	buf_init(&b, 0);
	summary_test_summarize(a, &b, title, text);
	assert_string_equal(buf_str(&b), "Volunteers painted fences beside quiet gardens.");
	/* Sharing nothing, both are the summary. */
	summary_test_summarize(a, &b, title, other);
	assert_string_equal(buf_str(&b), other);
	buf_free(&b);
	article_free(a);
}

/* A headline of thousands of words leaves the story room: its summary and tags. */
static void
summary_test_make_huge_title(void **state)
{
	struct article *a = article_new("en");
	struct buf title, b;
	struct tags t;
	size_t i;

	(void)state;
	assert_non_null(a);
	buf_init(&title, 0);
	buf_init(&b, 0);
	for (i = 0; i < 3 * ARTICLE_MAX_WORDS; i++)
		buf_adds(&title, "Ferry ");
	assert_false(buf_failed(&title));
	article_read(a, title.data, title.len, summary_test_story, strlen(summary_test_story));
	assert_true(a->ntitle <= ARTICLE_TITLE_WORDS);
	assert_int_equal(summary_make(&b, a, 280, 0), 0);
	assert_non_null(strstr(buf_str(&b), "Sergey Lavrov"));
	tags_make(&t, 5, NULL, 0, a);
	for (i = 0; i < t.n; i++)
		if (strcmp(t.tag[i], "ECOWAS") == 0)
			break;
	assert_true(i < t.n);
	buf_free(&title);
	buf_free(&b);
	article_free(a);
}

/* The budget holds in characters and in bytes; UTF-8 is never broken; same input, same output. */
static void
summary_test_make_budgets(void **state)
{
	struct buf b, again;
	size_t chars, bytes;

	(void)state;
	buf_init(&b, 0);
	buf_init(&again, 0);
	for (chars = 1; chars <= 300; chars += 7) {
		for (bytes = 0; bytes <= 300; bytes += 50) {
			summary_test_make(&b, chars, bytes);
			assert_true(text_utf8_valid(b.data != NULL ? b.data : "", b.len));
			assert_true(text_utf8_chars(buf_str(&b), b.len) <= chars);
			if (bytes > 0)
				assert_true(b.len <= bytes);
			assert_true(b.len > 0 || bytes == 0 || bytes >= 4);
			summary_test_make(&again, chars, bytes);
			assert_string_equal(buf_str(&b), buf_str(&again));
		}
	}
	/* No sentence fits 40 characters: the best one, cut on a word with "…". */
	summary_test_make(&b, 40, 0);
	assert_string_equal(buf_str(&b), "Leaders of ECOWAS met in Burkina Faso" ELL);
	/* 39 bytes: "…" is three bytes, so a word less. */
	summary_test_make(&b, 280, 39);
	assert_true(b.len <= 39);
	assert_string_equal(buf_str(&b), "Leaders of ECOWAS met in Burkina" ELL);
	buf_free(&b);
	buf_free(&again);
}

/*
 * What feeds put around and into a story's sentences: a standfirst with no
 * full stop gets one before the next sentence; a text the feed cut ends on
 * "…" instead of its "[...]"; footers of feed software and sentences that
 * show a web address are never shown, nor one that says the headline again
 * and little more (an aggregator's "Headline Source"), nor show notes'
 * sources, nor a page's furniture even when the item has nothing else. The
 * added marks count in the budget.
 */
static void
summary_test_make_endings(void **state)
{
	static const char nasa[] = "NASA Will Send More Helicopters to Mars - The Daily Planet";
	static const char storm[] = "Storm closes ports";
	static const struct {
		const char *text;
		const char *want;
		const char *title;	/* NULL: "Budget" */
	} cases[] = {
		{ "Supporters did not seem to mind that he sounded like a traditional Republican\n"
		  "Those expecting a remarkable speech were disappointed last night.",
		  "Supporters did not seem to mind that he sounded like a traditional Republican. "
		  "Those expecting a remarkable speech were disappointed last night.", NULL },
		{ "The flat has one bedroom, one bath and large windows in a modern kitche [...]",
		  "The flat has one bedroom, one bath and large windows in a modern kitche" ELL, NULL },
		{ "The flat has one bedroom and one bath. It is near the park [\xe2\x80\xa6]",
		  "The flat has one bedroom and one bath. It is near the park" ELL, NULL },
		{ "The council approved the budget on Monday after a long debate.\n"
		  "The post Council approves budget appeared first on Harbour News.",
		  "The council approved the budget on Monday after a long debate.", NULL },
		{ "The council approved the budget on Monday after a long debate.\n"
		  "Council approves budget was originally published in Harbour on Medium, where "
		  "people are continuing the conversation by highlighting and responding to this "
		  "story.",
		  "The council approved the budget on Monday after a long debate.", NULL },
		{ "The council approved the budget on Monday after a long debate. For more "
		  "details, visit https://example.org/budget today. Read the plan at "
		  "www.example.org now.",
		  "The council approved the budget on Monday after a long debate.", NULL },
		/* Show notes: a source, a cited title after a timestamp; a chapter stays. */
		{ "The council approved the budget on Monday after a long debate. (0:27) Source: "
		  "\xe2\x80\x9c" "Budget Passes,\xe2\x80\x9d Harbour News, May 2017. (1:02:05) "
		  "\"Council Votes,\" Harbour Radio, May 2017. Sources: the city's own figures.",
		  "The council approved the budget on Monday after a long debate.", NULL },
		{ "(12:30) The council approved the budget on Monday after a long debate.",
		  "(12:30) The council approved the budget on Monday after a long debate.", NULL },
		/* Furniture and labels are whole words: subscribers is no prompt. */
		{ "Subscribers to the harbour ferry pass rose by a third this year. Subscribe "
		  "now for our newsletter.",
		  "Subscribers to the harbour ferry pass rose by a third this year.", NULL },
		/* Furniture is never shown; a label is, when the item has nothing else. */
		{ "submitted by /u/harbourfan to /r/news. [link] [12 comments]", "", NULL },
		{ "Ferry returns to Skerry Point Harbour Times\nView Full Coverage on Google News",
		  "Ferry returns to Skerry Point Harbour Times.", NULL },
		{ "Watch: the mayor opens the new bridge over the river.",
		  "Watch: the mayor opens the new bridge over the river.", NULL },
		{ "NASA Will Send More Helicopters to Mars The Daily PlanetView Full Coverage", "",
		  nasa },
		{ "NASA Will Send More Helicopters to Mars The Daily Planet\nThe agency said on "
		  "Tuesday that two small helicopters will fly with its next lander.",
		  "The agency said on Tuesday that two small helicopters will fly with its next "
		  "lander.", nasa },
		{ "Storm closes ports of Rotterdam and Antwerp for two days as winds reach gale "
		  "force.", "Storm closes ports of Rotterdam and Antwerp for two days as winds reach "
		  "gale force.", storm },
		{ "[...]", "", NULL },
	};
	const char *title;
	struct article *a = article_new("en");
	struct buf b;
	size_t i, chars;

	(void)state;
	assert_non_null(a);
	buf_init(&b, 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		title = cases[i].title != NULL ? cases[i].title : "Budget";
		article_read(a, title, strlen(title), cases[i].text, strlen(cases[i].text));
		buf_reset(&b);
		assert_int_equal(summary_make(&b, a, 280, 0), 0);
		assert_string_equal(buf_str(&b), cases[i].want);
	}
	/* The full stop and the ellipsis are in the budget, in characters and bytes. */
	for (i = 0; i < 3; i++) {
		article_read(a, "Budget", 6, cases[i].text, strlen(cases[i].text));
		for (chars = 1; chars <= strlen(cases[i].want) + 1; chars++) {
			buf_reset(&b);
			assert_int_equal(summary_make(&b, a, chars, chars), 0);
			assert_true(text_utf8_chars(buf_str(&b), b.len) <= chars);
			assert_true(b.len <= chars);
		}
	}
	buf_free(&b);
	article_free(a);
}

/* Assert that t holds n tags and that its first ones are want[0..k). */
static void
summary_test_tags_are(const struct tags *t, size_t n, const char *const *want, size_t k)
{
	size_t i;

	assert_int_equal(t->n, n);
	for (i = 0; i < k; i++)
		assert_string_equal(t->tag[i], want[i]);
}

/* Check the sample's tags: names and acronyms, Lavrov merged into Sergey Lavrov, in order. */
static void
summary_test_tags_check(struct article *a)
{
	static const char *const cats[] = { "News", "Africa" };
	struct tags t;
	size_t i, lavrov;

	tags_make(&t, 8, NULL, 0, a);
	/* Without the lexicon (a build without WordNet) the order is not this. */
	if (POSLEX_N > 0)
		summary_test_tags_are(&t, 8, (const char *const[]){ "Burkina Faso", "ECOWAS",
		    "Foreign Minister Sergey Lavrov", "Sahel", "leaders", "crisis" }, 6);
	/* Verbs are in no tag: "leaders meet", "Lavrov said" are not phrases. */
	for (i = 0, lavrov = 0; i < t.n; i++) {
		size_t n = strlen(t.tag[i]);

		assert_string_not_equal(t.tag[i], "Lavrov");
		assert_null(strstr(t.tag[i], "meet"));
		assert_null(strstr(t.tag[i], "said"));
		/* The byline is not the story. */
		assert_string_not_equal(t.tag[i], "Jane Smith");
		if (n >= 13 && strcmp(t.tag[i] + n - 13, "Sergey Lavrov") == 0)
			lavrov++;
	}
	assert_int_equal(lavrov, 1);
	/*
	 * "News" says nothing; "Africa", not in the text, joins below the
	 * strongest candidate (at 0.8 of its score, which is more than ECOWAS has).
	 */
	tags_make(&t, 5, cats, 2, a);
	summary_test_tags_are(&t, 5, (const char *const[]){ "Burkina Faso", "Africa", "ECOWAS" },
	    3);
	for (i = 0; i < t.n; i++)
		assert_string_not_equal(t.tag[i], "News");
	/*
	 * A list in one category counts as its parts, a path as its last
	 * part; "Washington, D.C." and "AC/DC" stay whole. Sahel is in the
	 * text and gains; the others are not: they join in the feed's order.
	 */
	tags_make(&t, 8, (const char *const[]){ "Sahel,Diplomacy,, Security ",
	    "World/Africa/West Africa/", "Washington, D.C.", "AC/DC" }, 4, a);
	summary_test_tags_are(&t, 8, (const char *const[]){ "Sahel", "Burkina Faso", "Diplomacy",
	    "Security", "West Africa", "Washington, D.C.", "AC/DC" }, 7);
	/* A slug is the phrase its words make: burkina-faso backs Burkina Faso. */
	tags_make(&t, 8, (const char *const[]){ "burkina-faso", "sahel-region" }, 2, a);
	assert_string_equal(t.tag[0], "Burkina Faso");
	for (i = 0; i < t.n; i++)
		assert_string_not_equal(t.tag[i], "burkina-faso");
}

/*
 * A category written as a Title Case headline writes a phrase the text
 * never names (Coastal League) shows it so; one in other capitals
 * (HARBOUR ROVERS) backs it, shown as the headline writes it: a name the
 * lexicon does not know keeps its capitals (without the lexicon, they go).
 */
static void
summary_test_tags_category_capitals(void **state)
{
	static const char title[] = "Harbour Rovers v Bay United: Coastal League \xe2\x80\x93 live!";
	static const char story[] = "Updates from the evening kick-off at the harbour ground. "
	    "Keep up with the other matches of the night.\n";
	static const char *const cats[] = { "Coastal League", "HARBOUR ROVERS" };
	struct article *a = article_new("en");
	struct tags t;
	size_t i, league = 0, rovers = 0;

	(void)state;
	assert_non_null(a);
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 8, cats, 2, a);
	for (i = 0; i < t.n; i++) {
		league += strcmp(t.tag[i], "Coastal League") == 0;
		rovers += strcmp(t.tag[i], POSLEX_N > 0 ? "Harbour Rovers" : "harbour rovers") == 0;
	}
	assert_int_equal(league, 1);
	assert_int_equal(rovers, 1);
	article_free(a);
}

/* Tags: most important first, the same from a fresh reader and from a reused one. */
static void
summary_test_tags_sample(void **state)
{
	static const char other_title[] = "Storm closes ports";
	static const char other[] =
	    "A storm closed the ports of Rotterdam and Antwerp on Monday. Shipping lines "
	    "said thousands of containers were delayed, and Rotterdam expects queues.\n";
	struct article *a = article_new("en");
	struct buf first, again;

	(void)state;
	assert_non_null(a);
	buf_init(&first, 0);
	buf_init(&again, 0);
	article_read(a, summary_test_title, strlen(summary_test_title), summary_test_story,
	    strlen(summary_test_story));
	assert_int_equal(summary_make(&first, a, 280, 0), 0);
	summary_test_tags_check(a);
	/* Twice on the same reading: tags_make keeps nothing between calls. */
	summary_test_tags_check(a);
	/* Another article in between: nothing of it stays in the reader. */
	article_read(a, other_title, strlen(other_title), other, strlen(other));
	article_read(a, summary_test_title, strlen(summary_test_title), summary_test_story,
	    strlen(summary_test_story));
	assert_int_equal(summary_make(&again, a, 280, 0), 0);
	assert_string_equal(buf_str(&first), buf_str(&again));
	summary_test_tags_check(a);
	buf_free(&first);
	buf_free(&again);
	article_free(a);
}

/*
 * A name an article leads mid-sentence (The Riviera Express) is one tag with
 * the name without it; a phrase a heading wrote in capitals reads in lower
 * case; titles' abbreviations are no part of a name; oil spill is a phrase,
 * tornado hit is not; largest is in none.
 */
static void
summary_test_tags_variants(void **state)
{
	static const char title[] = "Rail line reopens on the coast";
	static const char story[] =
	    "The band wrote a guide to The Riviera Express for fans. Passengers of the "
	    "Riviera Express waited a year for the line, and the Riviera Express was full "
	    "on Monday. STEEL rails were laid along the coast by crews, and the steel came "
	    "from a mill in the north.\n";
	static const char spill_title[] = "Tanker leaks off the coast";
	static const char spill[] =
	    "The oil spill reached the coast on Friday. Crews fought the oil spill for a "
	    "week, and a tornado hit the harbour town. Fishermen said the oil spill ruined "
	    "the season.\n";
	static const char mill_title[] = "Mill sold";
	static const char mill[] =
	    "The largest paper producer sold its mill on Friday. Analysts said the largest "
	    "paper producer needed cash, and workers at the mill feared for their jobs.\n";
	static const char senate_title[] = "Senate backs plan";
	static const char senate[] =
	    "Sen. John Smith said the U.S. plan starts at 9 a.m. on Monday. The U.S. Senate "
	    "backed the U.S. plan, Smith said, and Lt. Gov. Mary Jones agreed with Sen. "
	    "Smith. The plan helps farmers in the U.S.\n";
	struct article *a = article_new("en");
	struct tags t;
	size_t i, express = 0, rails = 0;

	(void)state;
	assert_non_null(a);
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 8, NULL, 0, a);
	assert_string_equal(t.tag[0], "Riviera Express");
	for (i = 0; i < t.n; i++) {
		express += strstr(t.tag[i], "Riviera") != NULL;
		rails += strcmp(t.tag[i], "steel rails") == 0;
		assert_null(strstr(t.tag[i], "TEEL"));
	}
	assert_int_equal(express, 1);
	assert_int_equal(rails, 1);
	/* Sen. and Lt. Gov. are no part of a name, U.S. Senate is one; a.m. is no tag. */
	article_read(a, senate_title, strlen(senate_title), senate, strlen(senate));
	tags_make(&t, 8, NULL, 0, a);
	assert_string_equal(t.tag[0], "U.S. Senate");
	assert_string_equal(t.tag[1], "John Smith");
	for (i = 0; i < t.n; i++) {
		assert_null(strstr(t.tag[i], "Sen "));
		assert_null(strstr(t.tag[i], "Lt"));
		assert_null(strstr(t.tag[i], "a.m"));
	}
	/* A word more often a verb after a noun (WordNet knows): a phrase when said twice. */
	if (POSLEX_N == 0) {
		article_free(a);
		return;
	}
	article_read(a, spill_title, strlen(spill_title), spill, strlen(spill));
	tags_make(&t, 8, NULL, 0, a);
	assert_string_equal(t.tag[0], "oil spill");
	for (i = 0; i < t.n; i++)
		assert_null(strstr(t.tag[i], "hit"));
	/* The baseline: the words said most often, the earlier first, no stop word. */
	tags_frequent(&t, 3, a);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.tag[0], "oil");
	assert_string_equal(t.tag[1], "spill");
	assert_string_equal(t.tag[2], "coast");
	/* A superlative describes, it names nothing: paper producer. */
	article_read(a, mill_title, strlen(mill_title), mill, strlen(mill));
	tags_make(&t, 8, NULL, 0, a);
	assert_string_equal(t.tag[0], "paper producer");
	article_free(a);
}

/*
 * A tag is whole words: a phrase longer than TAGS_MAX_LEN bytes (68 bytes
 * of Cyrillic here) is passed over, never cut inside a word.
 */
static void
summary_test_tags_whole(void **state)
{
	static const char title[] = "Сервер для небольшого количества пользователей";
	static const char story[] =
	    "Программа для небольшого количества пользователей работает на сервере. "
	    "Сервер для небольшого количества пользователей стоит в подвале. "
	    "Администратор обновил сервер в понедельник.\n";
	struct article *a = article_new("ru");
	struct tags t;
	size_t i;

	(void)state;
	assert_non_null(a);
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 8, NULL, 0, a);
	assert_true(t.n > 0);
	for (i = 0; i < t.n; i++) {
		const char *at = strstr(story, t.tag[i]);
		unsigned char next;

		if (at == NULL) /* a sentence start the tag lower-cased */
			at = strstr(title, t.tag[i]);
		assert_non_null(at);
		next = (unsigned char)at[strlen(t.tag[i])];
		assert_true(next == ' ' || next == '.' || next == '\0');
		assert_true(strlen(t.tag[i]) <= TAGS_MAX_LEN);
	}
	article_free(a);
}

/*
 * Scripts with full stops of their own: Urdu's ۔ and Arabic's ؟ end a
 * sentence before a space, Chinese's 。 and ！ without one; none is part
 * of a word. Japanese sentences are shown side by side, and its clauses
 * (no spaces between words) are no tags.
 */
static void
summary_test_split_scripts(void **state)
{
	static const char urdu[] = "وزیر دفاع نے بات کی۔ امریکہ نے جواب دیا؟ سب خاموش رہے";
	static const char chinese[] = "渡轮明年春天开通。市民很高兴！票价不变";
	static const char ja_title[] = "新しいフェリー";
	static const char japanese[] =
	    "市議会は月曜日に新しいフェリーを承認した。フェリーは春から運航する。料金は変わらない。";
	struct summary_sentence s[4];
	struct article *a = article_new(LANG_UNKNOWN);
	struct tags t;
	struct buf b;
	size_t i;

	(void)state;
	assert_int_equal(summary_split(urdu, strlen(urdu), s, 4), 3);
	assert_int_equal(s[0].chars, text_utf8_chars(urdu, strlen("وزیر دفاع نے بات کی۔")));
	assert_int_equal(summary_split(chinese, strlen(chinese), s, 4), 3);
	assert_int_equal(s[0].len, strlen("渡轮明年春天开通。"));
	assert_int_equal(s[1].len, strlen("市民很高兴！"));
	/* The word before the full stop is the word alone. */
	assert_non_null(a);
	article_read(a, "", 0, urdu, strlen(urdu));
	for (i = 0; i < a->nword; i++) {
		const char *w = article_word_text(a, &a->word[i]) + a->word[i].off;
		size_t k;

		for (k = 0; k + 1 < a->word[i].len; k++)
			assert_false(w[k] == '\xdb' && w[k + 1] == '\x94');
	}
	/* Japanese: sentences side by side, and no clause is a tag. */
	article_read(a, ja_title, strlen(ja_title), japanese, strlen(japanese));
	buf_init(&b, 0);
	assert_int_equal(summary_make(&b, a, 60, 0), 0);
	assert_string_equal(buf_str(&b), japanese);
	buf_free(&b);
	tags_make(&t, 8, NULL, 0, a);
	assert_int_equal(t.n, 0);
	article_free(a);
}

/*
 * Languages beyond English. One we have no list for (Polish): the guess
 * says so on enough words, the feed's own code names it, and its short
 * words (się, nie, od) are no tags. German: a question word is no tag, an
 * article after a colon is in none, a name may end on a stop word (Red
 * Hat), a stop word is one whatever shares its stem (Nach, nächste).
 * French, where no word's part of speech is known: a phrase of three words
 * said once is no tag (a verb is often in it), one said again is; an
 * elided article is a word of its own (l’ennui, dell’anno).
 */
static void
summary_test_tags_languages(void **state)
{
	static const char polish[] =
	    "Rada miasta przyjęła w czwartek nowy plan budowy promu. Prom będzie "
	    "kursował od wiosny i przewiezie mieszkańców oraz turystów przez zatokę w "
	    "dwadzieścia minut. Burmistrz powiedział, że bilety będą tańsze dla "
	    "uczniów, a rejsy ruszą w kwietniu, jeśli pogoda na to pozwoli. Mieszkańcy "
	    "czekali na prom od lat, bo droga wokół zatoki jest długa i nie ma tam "
	    "autobusu.\n";
	static const char de_title[] = "Mega-Deal: IBM übernimmt Red Hat";
	static const char de_story[] =
	    "Wer gerade einen Server gekauft hat, sollte warten. Giganten-Hochzeit in "
	    "den USA: Der Computerkonzern IBM übernimmt den Open-Source-Anbieter Red "
	    "Hat für 30 Milliarden Euro. Der Computerkonzern zahlt bar, sagte ein "
	    "Sprecher.\n";
	static const char de_title2[] = "Ostafrika stellt sich auf die nächste Plage ein";
	static const char de_story2[] = "Nach der jüngsten Plage droht Ostafrika neues Unheil.\n";
	static const char fr_title[] = "Une étude sur les perturbateurs endocriniens";
	static const char fr_story[] =
	    "Les perturbateurs endocriniens pourraient modifier le cerveau des "
	    "enfants. Selon les chercheurs, les perturbateurs endocriniens sont "
	    "partout dans la maison. Le cerveau des enfants reste fragile jusqu'à six "
	    "ans.\n";
	static const char fr_title2[] = "L’ennui du dimanche";
	static const char fr_story2[] =
	    "L’ennui gagne la ville. Aujourd’hui, l’ennui est partout, jusqu’à la mairie. "
	    "Qu'il pleuve ou non, l'ennui reste.\n";
	static const char it_story[] =
	    "La noia dell’anno arriva in città. L’anno scorso la noia dell’anno era più "
	    "breve.\n";
	struct article *a;
	struct tags t;
	struct lang_guesser *g;
	size_t i, redhat = 0, endocrine = 0;
	const char *lang;

	(void)state;
	assert_non_null(g = lang_guesser_new());
	lang = lang_guess(g, polish, strlen(polish));
	lang_guesser_free(g);
	assert_non_null(lang);
	assert_string_equal(lang, LANG_UNKNOWN);
	assert_string_equal(lang_choose("auto", "pl", lang), "pl");
	assert_string_equal(lang_choose("auto", NULL, lang), LANG_UNKNOWN);
	assert_non_null(a = article_new("pl"));
	article_read(a, "Nowy prom przez zatokę", strlen("Nowy prom przez zatokę"),
	    polish, strlen(polish));
	tags_make(&t, 8, NULL, 0, a);
	assert_true(t.n >= 3);
	for (i = 0; i < t.n; i++) {
		const char *p = t.tag[i];

		/* Every word of every tag is longer than three characters. */
		while (*p != '\0') {
			size_t n = strcspn(p, " ");

			assert_true(text_utf8_chars(p, n) > 3);
			p += n + (p[n] == ' ');
		}
	}
	article_free(a);

	assert_non_null(a = article_new("de"));
	article_read(a, de_title, strlen(de_title), de_story, strlen(de_story));
	tags_make(&t, 8, NULL, 0, a);
	for (i = 0; i < t.n; i++) {
		assert_string_not_equal(t.tag[i], "Wer");
		assert_string_not_equal(t.tag[i], "Red");
		assert_true(strncmp(t.tag[i], "Der ", 4) != 0);
		redhat += strstr(t.tag[i], "Red Hat") != NULL;
	}
	assert_int_equal(redhat, 1);
	/* Stop words go by spelling: the stemmer makes nächste "nach". */
	article_read(a, de_title2, strlen(de_title2), de_story2, strlen(de_story2));
	tags_make(&t, 8, NULL, 0, a);
	assert_true(t.n >= 2);
	for (i = 0; i < t.n; i++)
		assert_string_not_equal(t.tag[i], "Nach");
	article_free(a);

	assert_non_null(a = article_new("fr"));
	article_read(a, fr_title, strlen(fr_title), fr_story, strlen(fr_story));
	tags_make(&t, 8, NULL, 0, a);
	for (i = 0; i < t.n; i++) {
		assert_true(strchr(t.tag[i], ' ') == NULL ||
		    strchr(strchr(t.tag[i], ' ') + 1, ' ') == NULL);
		endocrine += strcmp(t.tag[i], "perturbateurs endocriniens") == 0;
	}
	assert_int_equal(endocrine, 1);
	/* An elided article is a word of its own; ’ is an apostrophe. */
	article_read(a, fr_title2, strlen(fr_title2), fr_story2, strlen(fr_story2));
	tags_make(&t, 8, NULL, 0, a);
	assert_string_equal(t.tag[0], "ennui");
	for (i = 0; i < t.n; i++) {
		assert_null(strchr(t.tag[i], '\''));
		assert_null(strstr(t.tag[i], "’"));
	}
	article_free(a);
	assert_non_null(a = article_new("it"));
	article_read(a, "La noia dell’anno", strlen("La noia dell’anno"), it_story,
	    strlen(it_story));
	tags_make(&t, 8, NULL, 0, a);
	for (i = 0; i < t.n; i++)
		assert_true(strncmp(t.tag[i], "dell", 4) != 0 && strncmp(t.tag[i], "l’", 4) != 0);
	article_free(a);
}

/*
 * A name said twice in a row is the name (Baywatch Berlin Baywatch
 * Berlin); a category that is a word of a name of the text (baywatch)
 * is evidence for the name, not a tag beside it.
 */
static void
summary_test_tags_name_parts(void **state)
{
	static const char title[] = "Baywatch Berlin";
	static const char story[] =
	    "Baywatch Berlin Baywatch Berlin starts on Friday. The hosts of Baywatch Berlin "
	    "talk about their summers at the lake.\n";
	static const char *const cats[] = { "baywatch", "berlin", "late night shows" };
	struct article *a = article_new("en");
	struct tags t;
	size_t i;

	(void)state;
	assert_non_null(a);
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 8, cats, 3, a);
	assert_string_equal(t.tag[0], "Baywatch Berlin");
	for (i = 0; i < t.n; i++) {
		assert_string_not_equal(t.tag[i], "baywatch");
		assert_string_not_equal(t.tag[i], "berlin");
		assert_string_not_equal(t.tag[i], "Baywatch Berlin Baywatch Berlin");
	}
	article_free(a);
}

/*
 * A label before a colon at a sentence's start (Winner:, Loser:) is in no
 * tag; a name there (Kenya:, said again later) still is one.
 */
static void
summary_test_tags_labels(void **state)
{
	static const char title[] = "Who gained this week";
	static const char story[] =
	    "Winner: Square, as the payment company rebounds under Jack Dorsey. Loser: "
	    "television networks, with fewer spots sold. Winner: consumers of payment "
	    "services. Kenya: protests over taxes went on, and police in Kenya arrested "
	    "forty students.\n";
	struct article *a = article_new("en");
	struct tags t;
	size_t i, kenya = 0;

	(void)state;
	assert_non_null(a);
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 10, NULL, 0, a);
	for (i = 0; i < t.n; i++) {
		assert_null(strstr(t.tag[i], "inner"));
		assert_null(strstr(t.tag[i], "oser"));
		kenya += strcmp(t.tag[i], "Kenya") == 0;
	}
	assert_int_equal(kenya, 1);
	article_free(a);
}

/*
 * Places: a dateline with a state (MEMPHIS, Tenn. (AP) -) is no part of
 * the story, a state after a city is no tag and ends no sentence, St. Louis
 * and Agusan del Sur are whole names.
 */
static void
summary_test_tags_places(void **state)
{
	static const char title[] = "Gunmen free hostages";
	static const char story[] =
	    "MEMPHIS, Tenn. (AP) - Gunmen in Agusan del Sur freed 12 hostages on Monday. "
	    "Police in Agusan del Sur said the hostages were teachers, and the army flew "
	    "them to Memphis, Tenn. on Tuesday. Officials in St. Louis said the ransom was "
	    "paid in St. Louis.\n";
	struct article *a = article_new("en");
	struct tags t;
	struct buf b;
	size_t i, sur = 0, louis = 0;

	(void)state;
	assert_non_null(a);
	buf_init(&b, 0);
	article_read(a, title, strlen(title), story, strlen(story));
	assert_int_equal(a->nsent, 3);
	assert_int_equal(summary_make(&b, a, 280, 0), 0);
	assert_null(strstr(buf_str(&b), "AP"));
	assert_null(strstr(buf_str(&b), "MEMPHIS"));
	tags_make(&t, 10, NULL, 0, a);
	for (i = 0; i < t.n; i++) {
		sur += strcmp(t.tag[i], "Agusan del Sur") == 0;
		louis += strcmp(t.tag[i], "St. Louis") == 0;
		assert_null(strstr(t.tag[i], "Tenn"));
		assert_string_not_equal(t.tag[i], "AP");
		assert_string_not_equal(t.tag[i], "Sur");
	}
	assert_int_equal(sur, 1);
	assert_int_equal(louis, 1);
	buf_free(&b);
	article_free(a);
}

/* Stop words and stems per language: German plural and singular are one term. */
static void
summary_test_lang(void **state)
{
	struct lang *l;
	char low[LANG_WORD_MAX];
	const char *st;
	size_t n, sl;
	char first[LANG_WORD_MAX];

	(void)state;
	l = lang_new("de-AT");
	assert_non_null(l);
	assert_string_equal(lang_code(l), "de");
	n = lang_lower(low, sizeof low, "\xc3\x9c" "BER", 5);
	assert_string_equal(low, "\xc3\xbc" "ber");
	assert_true(lang_stop(l, low, n));
	n = lang_lower(low, sizeof low, "Regierungen", 11);
	st = lang_stem(l, low, n, &sl);
	memcpy(first, st, sl);
	first[sl] = '\0';
	n = lang_lower(low, sizeof low, "Regierung", 9);
	st = lang_stem(l, low, n, &sl);
	assert_int_equal(strlen(first), sl);
	assert_memory_equal(first, st, sl);
	lang_free(l);
	l = lang_new("ru");
	n = lang_lower(low, sizeof low, "\xd0\xad\xd0\xa2\xd0\x9e", 6);	/* ЭТО */
	assert_true(lang_stop(l, low, n));
	lang_free(l);
	/* A language we know nothing of: lower case only. */
	l = lang_new("xx");
	n = lang_lower(low, sizeof low, "Words", 5);
	st = lang_stem(l, low, n, &sl);
	assert_int_equal(sl, 5);
	assert_false(lang_stop(l, "the", 3));
	assert_int_equal(lang_pos(l, "announced", 9), LANG_NOUN);
	assert_false(lang_capital_nouns(l));
	lang_free(l);
	/*
	 * A feed's language: the config's; else its text's, with the declared
	 * region when they agree; else the declared one; else English.
	 */
	assert_string_equal(lang_choose("fr", "de-DE", "de"), "fr");
	assert_string_equal(lang_choose("auto", "de-DE", "de"), "de-DE");
	assert_string_equal(lang_choose("auto", "de-DE", NULL), "de-DE");
	assert_string_equal(lang_choose("auto", "kn", "en"), "en");
	assert_string_equal(lang_choose("auto", "", "es"), "es");
	assert_string_equal(lang_choose("auto", "", NULL), "en");
	assert_string_equal(lang_choose(NULL, NULL, NULL), "en");
}

/* What a text is written in, from its stop words; nothing when it says too little. */
static void
summary_test_lang_guess(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "The council said on Monday that the new ferry will run from the spring, and that "
		  "it will take commuters and tourists across the bay in twenty minutes.", "en" },
		{ "Der Stadtrat hat am Donnerstag die neue F\xc3\xa4hre beschlossen. Sie f\xc3\xa4hrt "
		  "ab dem Fr\xc3\xbchjahr und bringt Pendler und Touristen in zwanzig Minuten \xc3\xbc"
		  "ber die Bucht, wie die Stadt mitteilt.", "de" },
		{ "Le conseil a annonc\xc3\xa9 lundi que le nouveau bac circulera d\xc3\xa8s le "
		  "printemps et qu'il transportera les habitants et les touristes sur la baie en vingt "
		  "minutes.", "fr" },
		{ "El ayuntamiento anunci\xc3\xb3 el lunes que el nuevo transbordador funcionar\xc3\xa1 "
		  "desde la primavera y que llevar\xc3\xa1 a los vecinos y a los turistas por la "
		  "bah\xc3\xad" "a en veinte minutos.", "es" },
		{ "\xd0\x93\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb4\xd1\x81\xd0\xba\xd0\xbe\xd0\xb9 "
		  "\xd1\x81\xd0\xbe\xd0\xb2\xd0\xb5\xd1\x82 \xd1\x81\xd0\xba\xd0\xb0\xd0\xb7"
		  "\xd0\xb0\xd0\xbb, \xd1\x87\xd1\x82\xd0\xbe \xd0\xbe\xd0\xbd \xd0\xb1\xd1\x83"
		  "\xd0\xb4\xd0\xb5\xd1\x82 \xd0\xb8 \xd0\xbd\xd0\xb5 \xd0\xb1\xd1\x83\xd0\xb4"
		  "\xd0\xb5\xd1\x82, \xd0\xb8 \xd1\x87\xd1\x82\xd0\xbe \xd1\x8d\xd1\x82\xd0\xbe "
		  "\xd0\xbd\xd0\xb5 \xd1\x82\xd0\xb0\xd0\xba, \xd0\xbd\xd0\xbe \xd0\xb2\xd1\x81"
		  "\xd1\x91 \xd0\xb6\xd0\xb5 \xd0\xbe\xd0\xbd \xd0\xb8 \xd0\xbc\xd1\x8b "
		  "\xd1\x82\xd0\xb0\xd0\xbc \xd0\xb1\xd1\x8b\xd0\xbb\xd0\xb8.", "ru" },
		/* Too few words to say, and a language we have no list for. */
		{ "Ferry to Skerry Point", NULL },
		{ "Koszty tranzycji medycznej w Polsce rosn\xc4\x85 z roku na rok, a pacjenci "
		  "czekaj\xc4\x85 na wizyty u specjalist\xc3\xb3w coraz d\xc5\x82u\xc5\xbc" "ej.", NULL },
	};
	struct lang_guesser *g;
	size_t i;
	const char *got;

	(void)state;
	assert_non_null(g = lang_guesser_new());
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = lang_guess(g, cases[i].text, strlen(cases[i].text));
		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
	}
	lang_guesser_free(g);
}

/*
 * German writes every noun with a capital: a word in lower case is in no
 * tag alone (gibt, frei, verfügbar) and describes a noun only with an
 * adjective's ending (neue Version; gibt WildFly is no phrase); a
 * headline's capitals are nouns' and stay (Auslesen, not auslesen).
 */
static void
summary_test_tags_german(void **state)
{
	static const char title[] = "Der Server-Doktor: Auslesen und Sortieren von Dateien";
	static const char story[] =
	    "Die Firma gibt die neue Version des Servers frei. Die neue Version ist ab sofort "
	    "verf\xc3\xbc" "gbar und l\xc3\xa4uft schneller. Nordwind gibt WildFly frei, und "
	    "die neue Version bringt Dateien in Ordnung. Der Server liest Dateien schneller.\n";
	struct article *a = article_new("de");
	struct tags t;
	size_t i, found = 0;

	(void)state;
	assert_non_null(a);
	assert_true(lang_capital_nouns(a->lang));
	article_read(a, title, strlen(title), story, strlen(story));
	tags_make(&t, 10, NULL, 0, a);
	assert_true(t.n >= 5);
	for (i = 0; i < t.n; i++) {
		/* A capital or an adjective's ending before a capital, nothing else. */
		assert_true((t.tag[i][0] >= 'A' && t.tag[i][0] <= 'Z') ||
		    strcmp(t.tag[i], "neue Version") == 0);
		assert_null(strstr(t.tag[i], "gibt"));
		assert_null(strstr(t.tag[i], "frei"));
		assert_null(strstr(t.tag[i], "verf"));
		found += strstr(t.tag[i], "Version") != NULL || strcmp(t.tag[i], "Dateien") == 0 ||
		    strcmp(t.tag[i], "Auslesen") == 0;
	}
	assert_int_equal(found, 3);
	article_free(a);
}

/*
 * A headline in sentence case capitalises only its names: Marcelo, which
 * only the headline has, stays a name, with other names beside it too; in
 * Title Case the text decides. Each sentence of a headline, and what
 * follows its label (Update:), starts with a capital that is no name's.
 * The headline said again in the text is read as the headline. A
 * headline's first word before a name starts it (Ferry Rovers sign …).
 * A phrase shown in lower case keeps a name's capitals and a word's
 * capitals inside (BMW-brand).
 */
static void
summary_test_tags_sentence_case(void **state)
{
	static const char story[] = "The parties criticised the decision of the president on "
	    "Tuesday. The veto sends the budget back to parliament.\n";
	static const char gnews[] = "Storm closes harbour road on the island \xe2\x80\x93 Bay "
	    "Radio. Ferries cancelled as the storm hits the coast \xe2\x80\x93 Coast Herald. "
	    "The storm \xe2\x80\x93 the worst in years \xe2\x80\x93 moves north.\n";
	static const char floods[] = "The floods closed the harbour road on Tuesday, and the "
	    "floods reached the ferry terminal.\n";
	static const struct {
		const char *title, *story, *want, *not;
		int lexicon;	/* needs the part-of-speech lexicon (a build with WordNet) */
	} cases[] = {
		{ "Reactions of the parties to the veto by Marcelo", story, "Marcelo", NULL, 0 },
		{ "Parties React To Veto By President", story, "president", "President", 0 },
		{ "Veto by Marcelo, Ventura and Costa sends budget back", story, "Marcelo",
		  "marcelo", 0 },
		{ "Update: Commuters stranded as floods close harbour road", floods, "commuters",
		  "Commuters", 0 },
		{ "Floods close harbour road. Commuters stranded", floods, "commuters",
		  "Commuters", 0 },
		/* A headline's first word before a name starts the name. */
		{ "Ferry Rovers sign new striker", "The club confirmed the deal on Friday. The "
		  "striker joins from a rival in the north.\n", "Ferry Rovers", "Rovers", 0 },
		/* A name the text says, though first read in the headline as none. */
		{ "Biden calls Xi on trade", "Biden said the call went well. Xi raised the "
		  "matter of tariffs on steel.\n", "Biden", "biden", 0 },
		/*
		 * A Title Case headline's phrase keeps its capitals when the
		 * lexicon does not know a word of it (most often a name) and
		 * loses them when it knows every one.
		 */
		{ "Gwen Stefani Plays Free Concert In Park", "The singer played for two hours. "
		  "Fans filled the park and sang along.\n", "Gwen Stefani", "gwen stefani", 1 },
		{ "Market Rally Lifts Shares Of Kessler Holdings", "The rally lifted shares "
		  "across the board. Traders were pleased.\n", "market rally", "Market Rally", 1 },
		/* A name the text writes only first in its sentences keeps its capital. */
		{ "Carver Earnings Top Estimates As Costs Climb", "Carver beats expectations "
		  "and raises its dividend. Carver earnings rose by a fifth. Carver generates "
		  "more cash than a year ago.\n", "Carver earnings", "carver earnings", 1 },
		/* A word with capitals inside keeps them: no bMW-brand. */
		{ "Car sales rise in Asia", "BMW-brand sales rose by a tenth in the region. "
		  "Dealers were pleased. BMW-brand sales in China doubled.\n", "BMW-brand sales",
		  "bMW-brand sales", 0 },
		/* A common noun first in its sentence is no name; a name's first word is. */
		{ "Car sales rise in Asia", "Dealers were pleased with the sales in the region. "
		  "Sales in China doubled. Dealers expect more next year.\n", "dealers",
		  "Dealers", 1 },
		{ "Comedian back on stage", "Bill Cosby returned to the stage on Friday. The "
		  "comedian told jokes for an hour.\n", "Bill Cosby", "Cosby", 0 },
		/* An aggregator's stories end on their source: a publisher is no topic. */
		{ "Storm closes harbour road", gnews, "island", "Bay Radio", 0 },
		{ "Storm closes harbour road", gnews, "island", "Coast Herald", 0 },
		/* A preposition starts no phrase: heavy rain, not despite heavy rain. */
		{ "Match goes on in the rain", "Despite heavy rain, the match went on for an "
		  "hour. Despite protests, the referee let them play. The rain stopped at "
		  "noon.\n", "heavy rain", "despite heavy rain", 0 },
		/* vs. joins no phrase: Wipeout, Forza 4, not vs. */
		{ "Racing games this week", "It's Wipeout vs. Forza on the show this week, and "
		  "the racing games season starts.\n", "Wipeout", "vs", 0 },
		/* An aggregator says the headline again: its capitals are the headline's. */
		{ "Island Bridge Will Not Open Again Before Spring", "Island Bridge Will Not Open "
		  "Again Before Spring \xe2\x80\x93 Bay Radio\nThe bridge stays closed until "
		  "March, the operator said.\n", "island bridge", "Island Bridge", 0 },
	};
	struct article *a = article_new("en");
	struct tags t;
	size_t i, j, found, bad, failed;

	(void)state;
	assert_non_null(a);
	for (i = 0, failed = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].lexicon && POSLEX_N == 0)
			continue;
		article_read(a, cases[i].title, strlen(cases[i].title), cases[i].story,
		    strlen(cases[i].story));
		tags_make(&t, 8, NULL, 0, a);
		for (j = 0, found = 0, bad = 0; j < t.n; j++) {
			found += strcmp(t.tag[j], cases[i].want) == 0;
			bad += cases[i].not != NULL && strcmp(t.tag[j], cases[i].not) == 0;
		}
		if (found != 1 || bad != 0) {
			print_error("%s: %s %s\n", cases[i].title, bad ? "tag" : "no tag",
			    bad ? cases[i].not : cases[i].want);
			failed++;
		}
	}
	article_free(a);
	assert_int_equal(failed, 0);
}

/* lang_pos: the WordNet lexicon (when the build had WordNet) and the suffix rules. */
static void
summary_test_pos(void **state)
{
	static const struct {
		const char *word;
		int pos;
	} lexicon[] = {
		{ "said", LANG_OTHER }, { "says", LANG_OTHER }, { "told", LANG_OTHER },
		{ "also", LANG_OTHER }, { "political", LANG_ADJ }, { "economic", LANG_ADJ },
		{ "talks", LANG_VERB }, { "government", LANG_NOUN }, { "attack", LANG_NOUN },
		{ "hundred", LANG_NOUN }, { "family", LANG_NOUN }, { "former", LANG_ADJ },
	};
	static const struct {
		const char *word;
		int common;
	} nouns[] = {
		{ "dealer", 1 }, { "dealers", 1 }, { "shares", 1 }, { "plans", 1 },
		{ "government", 1 }, { "washington", 0 }, { "paris", 0 }, { "siri", 0 },
		{ "said", 0 }, { "political", 0 }, { "blorf", 0 },
	};
	static const struct {
		const char *code, *word;
		int pos;
	} other[] = {
		{ "fr", "pourraient", LANG_OTHER }, { "fr", "récemment", LANG_OTHER },
		{ "fr", "gouvernement", LANG_NOUN }, { "es", "rápidamente", LANG_OTHER },
		{ "es", "trabajando", LANG_OTHER }, { "es", "comando", LANG_NOUN },
		{ "es", "anunciaron", LANG_OTHER }, { "pt", "fecharam", LANG_OTHER },
		{ "it", "annunciarono", LANG_OTHER }, { "it", "finalmente", LANG_OTHER },
		{ "ru", "изначально", LANG_OTHER }, { "ru", "проектировалась", LANG_OTHER },
		{ "ru", "знает", LANG_OTHER }, { "ru", "сила", LANG_NOUN },
		{ "ru", "совет", LANG_NOUN }, { "de", "pourraient", LANG_NOUN },
	};
	struct lang *l = lang_new("en");
	size_t i;

	(void)state;
	assert_non_null(l);
	/* Forms the lexicon does not list: -ed and -ly are no nouns. */
	assert_int_equal(lang_pos(l, "blorfed", 7), LANG_OTHER);
	assert_int_equal(lang_pos(l, "blorfly", 7), LANG_OTHER);
	assert_int_equal(lang_pos(l, "blorf", 5), LANG_NOUN);
	for (i = 0; POSLEX_N > 0 && i < sizeof lexicon / sizeof lexicon[0]; i++) {
		assert_int_equal(lang_pos(l, lexicon[i].word, strlen(lexicon[i].word)),
		    lexicon[i].pos);
	}
	/* Common nouns, singular and plural; not names, verbs, unknown words. */
	for (i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
		assert_int_equal(lang_common_noun(l, nouns[i].word, strlen(nouns[i].word)),
		    POSLEX_N > 0 && nouns[i].common);
	lang_free(l);
	assert_non_null(l = lang_new("fr"));
	assert_int_equal(lang_common_noun(l, "shares", 6), 0);
	lang_free(l);
	/* Other languages: endings only verb forms and adverbs have. */
	for (i = 0; i < sizeof other / sizeof other[0]; i++) {
		assert_non_null(l = lang_new(other[i].code));
		assert_int_equal(lang_pos(l, other[i].word, strlen(other[i].word)),
		    other[i].pos);
		lang_free(l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_test_split_mr_am),
		cmocka_unit_test(summary_test_split_us_decimal),
		cmocka_unit_test(summary_test_split_final_abbrev),
		cmocka_unit_test(summary_test_split_quote),
		cmocka_unit_test(summary_test_split_ellipsis),
		cmocka_unit_test(summary_test_split_initial),
		cmocka_unit_test(summary_test_split_month),
		cmocka_unit_test(summary_test_split_number_abbrev),
		cmocka_unit_test(summary_test_split_parentheses),
		cmocka_unit_test(summary_test_split_paragraphs),
		cmocka_unit_test(summary_test_split_question_exclamation),
		cmocka_unit_test(summary_test_split_utf8),
		cmocka_unit_test(summary_test_split_max),
		cmocka_unit_test(summary_test_split_guillemet),
		cmocka_unit_test(summary_test_split_lowercase_accented),
		cmocka_unit_test(summary_test_lead_code_points),
		cmocka_unit_test(summary_test_lead_whole_sentences),
		cmocka_unit_test(summary_test_lead_cut),
		cmocka_unit_test(summary_test_lead_empty),
		cmocka_unit_test(summary_test_lead_full),
		cmocka_unit_test(summary_test_make_sample),
		cmocka_unit_test(summary_test_make_huge_title),
		cmocka_unit_test(summary_test_make_same),
		cmocka_unit_test(summary_test_make_budgets),
		cmocka_unit_test(summary_test_make_endings),
		cmocka_unit_test(summary_test_make_colon),
		cmocka_unit_test(summary_test_tags_sample),
		cmocka_unit_test(summary_test_tags_category_capitals),
		cmocka_unit_test(summary_test_tags_variants),
		cmocka_unit_test(summary_test_tags_places),
		cmocka_unit_test(summary_test_lang),
		cmocka_unit_test(summary_test_lang_guess),
		cmocka_unit_test(summary_test_tags_german),
		cmocka_unit_test(summary_test_tags_sentence_case),
		cmocka_unit_test(summary_test_tags_whole),
		cmocka_unit_test(summary_test_tags_labels),
		cmocka_unit_test(summary_test_tags_name_parts),
		cmocka_unit_test(summary_test_split_scripts),
		cmocka_unit_test(summary_test_tags_languages),
		cmocka_unit_test(summary_test_pos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
