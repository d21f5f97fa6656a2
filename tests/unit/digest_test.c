/* digest_test — unit tests for daemon/digest.c (and summary/tags through it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "newsdigest/digest.h"
#include "newsdigest/text.h"

#ifndef ND_SRCDIR
#define ND_SRCDIR "."
#endif

#define ELL "\xe2\x80\xa6"	/* U+2026 HORIZONTAL ELLIPSIS */

/* A profile with the given budgets, zlib with a 1 KiB window. */
static struct digest_profile
digest_test_profile(size_t headline, size_t summary, size_t tags)
{
	struct digest_profile p;

	memset(&p, 0, sizeof p);
	p.name = NULL;
	p.headline_chars = headline;
	p.summary_chars = summary;
	p.tags = tags;
	p.ascii = 0;
	p.compression = DIGEST_ZLIB;
	p.window_bits = 10;
	p.latest = 10;
	p.expiry = 86400;
	return p;
}

/* An item with everything empty and no dates. */
static struct feed_item
digest_test_item(const char *id, const char *title, const char *summary)
{
	struct feed_item it;

	memset(&it, 0, sizeof it);
	it.id = id;
	it.title = title;
	it.link = "";
	it.author = "";
	it.author_email = "";
	it.source = "";
	it.summary = summary;
	it.content = "";
	it.categories = NULL;
	it.ncategories = 0;
	it.published = FEED_NO_DATE;
	it.updated = FEED_NO_DATE;
	return it;
}

/*
 * What a test works with: the output buffer and the digest's id; for the
 * codec tests a profile, a big digest JSON, its payload and what that
 * decodes to.
 */
struct digest_test {
	struct buf out;
	char id[DIGEST_ID_LEN + 1];
	struct digest_profile prof;
	struct buf json, payload, back;
};

/* Setup: empty buffers and the usual profile (zlib, 1 KiB window) in *state. */
static int
digest_test_setup(void **state)
{
	struct digest_test *t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	buf_init(&t->out, 0);
	buf_init(&t->json, 0);
	buf_init(&t->payload, 0);
	buf_init(&t->back, 0);
	t->prof = digest_test_profile(96, 280, 5);
	*state = t;
	return 0;
}

/* Teardown: free what digest_test_setup() made. */
static int
digest_test_teardown(void **state)
{
	struct digest_test *t = *state;

	buf_free(&t->out);
	buf_free(&t->json);
	buf_free(&t->payload);
	buf_free(&t->back);
	free(t);
	return 0;
}

/* Build the digest of item for profile into t->out (reset first); return the JSON text. */
static const char *
digest_test_json(struct digest_test *t, const struct digest_profile *profile,
    const char *feed, const struct feed_item *item, int64_t now)
{
	buf_reset(&t->out);
	assert_int_equal(digest_build(&t->out, profile, feed, item, now, NULL, t->id), 0);
	return buf_str(&t->out);
}

/* As digest_test_json(), and check it is sound JSON; the caller frees the tree. */
static cJSON *
digest_test_build(struct digest_test *t, const struct digest_profile *profile,
    const char *feed, const struct feed_item *item, int64_t now)
{
	cJSON *j;

	digest_test_json(t, profile, feed, item, now);
	assert_true(text_utf8_valid(t->out.data, t->out.len));
	assert_int_equal(strlen(t->out.data), t->out.len);
	j = cJSON_ParseWithLength(t->out.data, t->out.len);
	assert_non_null(j);
	return j;
}

/* Return the string member key of JSON object j. */
static const char *
digest_test_str(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	assert_non_null(v);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* Build the digest of item (feed "f", now 0); its string member key must be want. */
static void
digest_test_member(struct digest_test *t, const struct digest_profile *profile,
    const struct feed_item *item, const char *key, const char *want)
{
	cJSON *j = digest_test_build(t, profile, "f", item, 0);

	assert_string_equal(digest_test_str(j, key), want);
	cJSON_Delete(j);
}

/* Return the number of code points of a UTF-8 C string. */
static size_t
digest_test_chars(const char *s)
{
	return text_utf8_chars(s, strlen(s));
}

static const char *const digest_test_cats[] = { "Economy", "Europe", "economy", "Markets",
	"Extra" };

/* digest_build: the exact JSON, keys in order v,id,feed,title,summary,tags,url,published,source. */
static void
digest_test_build_exact(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(40, 90, 3);
	struct feed_item it = digest_test_item("guid-42",
	    "Euro zone inflation eases to 2.1 percent, giving room to cut",
	    "Consumer prices rose 2.1 percent in October. Economists had expected 2.2 percent. "
	    "The European Central Bank meets next week.");

	it.link = "https://news.example.org/a/42";
	it.author = "Zo\xc3\xab M\xc3\xbcller";
	it.author_email = "zoe@example.org";
	it.categories = digest_test_cats;
	it.ncategories = 5;
	it.published = 1794897900;
	it.updated = 1794900000;
	assert_string_equal(digest_test_json(t, &prof, "world", &it, 1800000000),
	    "{\"v\":1,\"id\":\"7d5d56f0d3bc6769\",\"feed\":\"world\","
	    "\"title\":\"Euro zone inflation eases to 2.1" ELL "\","
	    "\"summary\":\"Consumer prices rose 2.1 percent in October. "
	    "The European Central Bank meets next week.\","
	    "\"tags\":[\"consumer prices\",\"Economy\",\"Europe\"],"
	    "\"url\":\"https://news.example.org/a/42\",\"published\":1794897900,"
	    "\"source\":\"Zo\xc3\xab M\xc3\xbcller\"}");
	assert_string_equal(t->id, "7d5d56f0d3bc6769");
}

/* digest_build: the id is FNV-1a 64 of feed name, NUL, item id; it depends on both. */
static void
digest_test_id(void **state)
{
	/* Values checked with an independent FNV-1a in Python. */
	static const struct {
		const char *feed, *item, *id;
	} cases[] = {
		{ "world", "guid-42", "7d5d56f0d3bc6769" },
		{ "tech", "guid-42", "be1be6aef37a4fc7" },
		{ "world", "https://news.example.org/a/42", "c9e6c20c7a12ccec" },
	};
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(96, 280, 5);
	struct feed_item it = digest_test_item("", "T", "");
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		it.id = cases[i].item;
		digest_test_json(t, &prof, cases[i].feed, &it, 0);
		assert_string_equal(t->id, cases[i].id);
	}
	assert_non_null(strstr(buf_str(&t->out), "\"id\":\"c9e6c20c7a12ccec\""));
}

/* The headline is cut on a word boundary with "…" within headline_chars code points. */
static void
digest_test_headline_cut(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(40, 0, 0);
	struct feed_item it = digest_test_item("x", "", "");
	cJSON *j;

	/* Fits: untouched. */
	it.title = "Short headline";
	digest_test_member(t, &prof, &it, "title", "Short headline");
	/* Exactly 40 code points fits too. */
	it.title = "Caf\xc3\xa9 \xc3\xa9t\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9 "
	    "fa\xc3\xa7" "ade "
	    "d\xc3\xa9j\xc3\xa0 vu abc";
	assert_int_equal(digest_test_chars(it.title), 40);
	digest_test_member(t, &prof, &it, "title", it.title);
	/* Longer: cut after a whole word, the comma dropped before "…". */
	it.title = "Euro zone inflation eases to 2.1 percent, giving room to cut";
	digest_test_member(t, &prof, &it, "title", "Euro zone inflation eases to 2.1" ELL);
	/* Multi-byte letters count as one character each. */
	prof.headline_chars = 20;
	it.title = "\xc3\x9c" "ber M\xc3\xbcnchen und K\xc3\xb6ln nach D\xc3\xbcsseldorf";
	j = digest_test_build(t, &prof, "f", &it, 0);
	assert_string_equal(digest_test_str(j, "title"),
	    "\xc3\x9c" "ber M\xc3\xbcnchen und" ELL);
	assert_true(digest_test_chars(digest_test_str(j, "title")) <= 20);
	cJSON_Delete(j);
}

/*
 * The summary is 1-3 whole sentences of the article in article order,
 * joined by a space, within summary_chars: the set that carries most.
 */
static void
digest_test_summary_sentences(void **state)
{
	static const char body[] =
	    "Consumer prices rose 2.1 percent in October.\n"
	    "Economists had expected 2.2 percent. The European Central Bank meets next week.";
	static const struct {
		size_t chars;
		const char *want;
	} cases[] = {
		/* 44 characters: the first sentence alone. */
		{ 44, "Consumer prices rose 2.1 percent in October." },
		/* 80: still the first, which says most of the headline "Prices rise". */
		{ 80, "Consumer prices rose 2.1 percent in October." },
		/* 44 + 1 + 36 = 81: the first two, across the paragraph break. */
		{ 81, "Consumer prices rose 2.1 percent in October. "
		    "Economists had expected 2.2 percent." },
		/* Everything, across the paragraph break. */
		{ 280, "Consumer prices rose 2.1 percent in October. "
		    "Economists had expected 2.2 percent. "
		    "The European Central Bank meets next week." },
		/* summary_chars 0: no summary. */
		{ 0, "" },
	};
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(96, 0, 0);
	struct feed_item it = digest_test_item("x", "Prices rise", body);
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		prof.summary_chars = cases[i].chars;
		digest_test_member(t, &prof, &it, "summary", cases[i].want);
	}
}

/* The content is summarised in preference to the description when the feed has both. */
static void
digest_test_summary_from_content(void **state)
{
	struct digest_profile prof = digest_test_profile(96, 280, 0);
	struct feed_item it = digest_test_item("x", "T", "Teaser only.");

	it.content = "The full story starts here. It goes on and on for a while.";
	digest_test_member(*state, &prof, &it, "summary",
	    "The full story starts here. It goes on and on for a while.");
}

/* When the first sentence is longer than summary_chars it is cut on a word with "…". */
static void
digest_test_summary_first_sentence_cut(void **state)
{
	struct digest_profile prof = digest_test_profile(96, 30, 0);
	struct feed_item it = digest_test_item("x", "T",
	    "Consumer prices in the euro area rose 2.1 percent in the year to October. "
	    "Short one.");
	const char *s;
	cJSON *j;

	j = digest_test_build(*state, &prof, "f", &it, 0);
	s = digest_test_str(j, "summary");
	assert_string_equal(s, "Consumer prices in the euro" ELL);
	assert_true(digest_test_chars(s) <= 30);
	cJSON_Delete(j);
}

/*
 * Categories are evidence: the names the text talks about lead, the
 * categories follow, de-duplicated, at most profile.tags in all.
 */
static void
digest_test_tags_categories(void **state)
{
	static const struct {
		size_t tags;
		const char *want;
	} cases[] = {
		{ 2, "\"tags\":[\"European Central Bank\",\"Economy\"]," },
		{ 5, "\"tags\":[\"European Central Bank\",\"Economy\",\"Europe\",\"Markets\","
		    "\"Extra\"]," },
		{ 0, "\"tags\":[]," },
	};
	struct digest_profile prof = digest_test_profile(96, 280, 2);
	struct feed_item it = digest_test_item("x", "Talks in Burkina Faso",
	    "The European Central Bank met. The European Central Bank spoke.");
	size_t i;

	it.categories = digest_test_cats;
	it.ncategories = 5;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		prof.tags = cases[i].tags;
		assert_non_null(strstr(digest_test_json(*state, &prof, "f", &it, 0),
		    cases[i].want));
	}
}

/* Without categories the tags are the names the text repeats, most first. */
static void
digest_test_tags_from_text(void **state)
{
	static const char body[] =
	    "The European Central Bank raised rates on Thursday. Officials in Burkina Faso "
	    "welcomed the move.\nThe European Central Bank said inflation was too high. "
	    "Analysts in Burkina Faso disagreed. A spokesman for the European Central Bank "
	    "declined to comment.";
	struct digest_profile prof = digest_test_profile(96, 280, 3);
	struct feed_item it = digest_test_item("x", "Rates rise again", body);

	/* "rise" is a common word: the headline's "rates rise" weighs less than inflation. */
	assert_non_null(strstr(digest_test_json(*state, &prof, "f", &it, 0),
	    "\"tags\":[\"European Central Bank\",\"Burkina Faso\",\"inflation\"],"));
	prof.tags = 1;
	assert_non_null(strstr(digest_test_json(*state, &prof, "f", &it, 0),
	    "\"tags\":[\"European Central Bank\"],"));
}

static const char digest_test_mb_title[] =
    "Caf\xc3\xa9 \xc3\xbc" "ber na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae"
    "\xe9\xa6\x96\xe9\x83\xbd \xf0\x9f\x98\x80\xf0\x9f\x98\x80 r\xc3\xa9sum\xc3\xa9 "
    "\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1"
    "\xe4\xba\xac \xf0\x9f\x8e\x89 fa\xc3\xa7" "ade sm\xc3\xb6rg\xc3\xa5sbord "
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 end";

static const char digest_test_mb_body[] =
    "\xc3\x89t\xc3\xa9 \xc3\xa0 M\xc3\xbcnchen: \xf0\x9f\x98\x80 gro\xc3\x9f" "e Freude. "
    "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe9\xa6\x96\xe9\x83\xbd\xe3\x81\xaf\xe6\x9d\xb1"
    "\xe4\xba\xac\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xaf"
    "\xe5\xa4\xa7\xe3\x81\x8d\xe3\x81\x84\xe3\x80\x82 "
    "\xc3\x9c" "ber \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    " und \xf0\x9f\x8e\x89\xf0\x9f\x8e\x89\xf0\x9f\x8e\x89\xf0\x9f\x8e\x89 s\xc3\xbc\xc3\x9f.\n"
    "Z\xc3\xbcrich \xe2\x80\x94 \xe2\x80\x9e" "Gr\xc3\xbc" "\xc3\x9f" "e\xe2\x80\x9c aus "
    "K\xc3\xb6ln, \xc3\x85rhus und \xc3\x98resund. \xf0\x9f\x98\x80 "
    "Na\xc3\xafve caf\xc3\xa9s \xc3\xa0 la cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e! "
    "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83"
    "\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b"
    "\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81 Ende.";

/* UTF-8 is never broken and the budgets hold for every headline and summary size. */
static void
digest_test_utf8_budgets(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(8, 0, 5);
	struct feed_item it = digest_test_item("x", digest_test_mb_title, digest_test_mb_body);
	size_t h, s;
	cJSON *j;

	assert_true(text_utf8_valid(digest_test_mb_title, strlen(digest_test_mb_title)));
	assert_true(text_utf8_valid(digest_test_mb_body, strlen(digest_test_mb_body)));
	for (h = 8; h <= 60; h++) {
		for (s = 0; s <= 200; s++) {
			prof.headline_chars = h;
			prof.summary_chars = s;
			/* digest_test_build() checks the whole JSON is valid UTF-8. */
			j = digest_test_build(t, &prof, "f", &it, 0);
			assert_true(digest_test_chars(digest_test_str(j, "title")) <= h);
			assert_true(digest_test_chars(digest_test_str(j, "summary")) <= s);
			if (s >= 200)
				assert_true(strlen(digest_test_str(j, "summary")) > 0);
			cJSON_Delete(j);
		}
	}
}

/* ascii = 1: the whole JSON is printable ASCII. */
static void
digest_test_ascii(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(30, 120, 5);
	const char *const cats[] = { "\xc3\x89" "conomie", "\xe6\x97\xa5\xe6\x9c\xac" };
	struct feed_item it = digest_test_item("x", digest_test_mb_title, digest_test_mb_body);
	size_t i;
	cJSON *j;

	prof.ascii = 1;
	it.author = "Zo\xc3\xab M\xc3\xbcller \xe2\x82\xac";
	it.link = "https://example.org/caf\xc3\xa9";
	it.categories = cats;
	it.ncategories = 2;
	j = digest_test_build(t, &prof, "f\xc3\xa9" "ed", &it, 0);
	for (i = 0; i < t->out.len; i++)
		assert_true(t->out.data[i] >= 0x20 && t->out.data[i] <= 0x7e);
	assert_string_equal(digest_test_str(j, "source"), "Zoe Muller EUR");
	assert_string_equal(digest_test_str(j, "feed"), "feed");
	cJSON_Delete(j);
}

/*
 * ascii = 1: the headline still fits in headline_chars once folded.
 */
static void
digest_test_ascii_budget(void **state)
{
	struct digest_profile prof = digest_test_profile(16, 16, 0);
	struct feed_item it = digest_test_item("x",
	    "Stra\xc3\x9f" "e gesperrt wegen Bauarbeiten am Montag",
	    "Die Stra\xc3\x9f" "e bleibt bis Freitag gesperrt, sagt die Stadt.");
	cJSON *j;

	prof.ascii = 1;
	j = digest_test_build(*state, &prof, "f", &it, 0);
	assert_true(strlen(digest_test_str(j, "title")) <= 16);
	assert_true(strlen(digest_test_str(j, "summary")) <= 16);
	cJSON_Delete(j);
}

/*
 * published is the item's date, else its updated date, else now (3000
 * here); a date before 1970 or over a day ahead of now is none.
 */
static void
digest_test_published(void **state)
{
	static const struct {
		int64_t published, updated;
		const char *want;
	} cases[] = {
		{ 1000, 2000, "\"published\":1000}" },
		{ FEED_NO_DATE, 2000, "\"published\":2000}" },
		{ FEED_NO_DATE, FEED_NO_DATE, "\"published\":3000}" },
		{ -62135596800, FEED_NO_DATE, "\"published\":3000}" },
		{ -1, 2000, "\"published\":2000}" },
		{ 3000 + DIGEST_AHEAD, 2000, "\"published\":89400}" },
		{ 3001 + DIGEST_AHEAD, 2000, "\"published\":2000}" },
		{ 253402300799, 253402300799, "\"published\":3000}" },
		{ 0, FEED_NO_DATE, "\"published\":0}" },
	};
	struct digest_profile prof = digest_test_profile(96, 280, 5);
	struct feed_item it = digest_test_item("x", "T", "");
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		it.published = cases[i].published;
		it.updated = cases[i].updated;
		assert_non_null(strstr(digest_test_json(*state, &prof, "f", &it, 3000),
		    cases[i].want));
	}
}

/* JSON escaping: quotes, backslashes and control characters never appear raw. */
static void
digest_test_json_escaping(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(200, 280, 5);
	const char *const cats[] = { "a\"b", "c\\d", "e\001f" };
	struct feed_item it = digest_test_item("x", "Say \"hi\" to C:\\temp\x01\x1f\x7f now",
	    "Line \"one\" \\ here.\nLine\ttwo\x02 here.");
	size_t i, k;
	cJSON *j, *tags;

	it.link = "https://example.org/?q=\"x\"&r=\\";
	it.author = "Ann \"The Pen\" O\\Neil";
	it.categories = cats;
	it.ncategories = 3;
	j = digest_test_build(t, &prof, "f\"eed", &it, 0);
	for (i = 0; i < t->out.len; i++)
		assert_true((unsigned char)t->out.data[i] >= 0x20);
	assert_non_null(strstr(buf_str(&t->out),
	    "\"title\":\"Say \\\"hi\\\" to C:\\\\temp\\u0001\\u001f\x7f now\""));
	assert_string_equal(digest_test_str(j, "feed"), "f\"eed");
	assert_string_equal(digest_test_str(j, "title"), "Say \"hi\" to C:\\temp\x01\x1f\x7f now");
	assert_string_equal(digest_test_str(j, "url"), "https://example.org/?q=\"x\"&r=\\");
	assert_string_equal(digest_test_str(j, "source"), "Ann \"The Pen\" O\\Neil");
	assert_non_null(strstr(digest_test_str(j, "summary"), "Line \"one\" \\ here."));
	/* The categories, in their order, among the text's own tags. */
	tags = cJSON_GetObjectItemCaseSensitive(j, "tags");
	assert_int_equal(cJSON_GetArraySize(tags), 5);
	for (i = 0, k = 0; i < 5 && k < 2; i++)
		if (strcmp(cJSON_GetArrayItem(tags, (int)i)->valuestring, cats[k]) == 0)
			k++;
	assert_int_equal(k, 2);
	assert_non_null(strstr(buf_str(&t->out), "\"a\\\"b\""));
	assert_non_null(strstr(buf_str(&t->out), "\"c\\\\d\""));
	cJSON_Delete(j);
}

/* No author: no "source" key, and the object still closes after "published". */
static void
digest_test_no_source(void **state)
{
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(96, 280, 5);
	struct feed_item it = digest_test_item("x", "T", "");

	it.author_email = "nobody@example.org";
	assert_null(strstr(digest_test_json(t, &prof, "f", &it, 5), "source"));
	assert_string_equal(buf_str(&t->out) + t->out.len - strlen(",\"published\":5}"),
	    ",\"published\":5}");
}

/*
 * An aggregator's item (Google News): its <source> is the digest's source,
 * before the author, and the " - SOURCE" it appends to the headline goes.
 */
static void
digest_test_aggregator(void **state)
{
	static const struct {
		const char *title, *source, *want;
	} cases[] = {
		{ "Ferry returns to Skerry Point - Harbour Times", "Harbour Times",
		  "Ferry returns to Skerry Point" },
		{ "Ferry returns to Skerry Point | harbour times", "Harbour Times",
		  "Ferry returns to Skerry Point" },
		{ "Ferry returns to Skerry Point \xe2\x80\x94 Harbour Times", "Harbour Times",
		  "Ferry returns to Skerry Point" },
		/* No source, no separator, nothing before it: the headline stays. */
		{ "Ferry returns to Skerry Point - Harbour Times", "",
		  "Ferry returns to Skerry Point - Harbour Times" },
		{ "Ferry returns in Harbour Times", "Harbour Times",
		  "Ferry returns in Harbour Times" },
		{ "Harbour Times", "Harbour Times", "Harbour Times" },
		{ "- Harbour Times", "Harbour Times", "- Harbour Times" },
	};
	struct digest_test *t = *state;
	struct digest_profile prof = digest_test_profile(96, 280, 5);
	struct feed_item it;
	size_t i;
	cJSON *j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		it = digest_test_item("x", cases[i].title, "The ferry runs again.");
		it.author = "Jane Doe";
		it.source = cases[i].source;
		j = digest_test_build(t, &prof, "f", &it, 0);
		assert_string_equal(digest_test_str(j, "title"), cases[i].want);
		assert_string_equal(digest_test_str(j, "source"),
		    *cases[i].source != '\0' ? cases[i].source : "Jane Doe");
		cJSON_Delete(j);
	}
}

/* A full buffer makes digest_build return -1. */
static void
digest_test_build_full(void **state)
{
	struct digest_profile prof = digest_test_profile(96, 280, 5);
	struct feed_item it = digest_test_item("x", "A title", "A summary.");
	char id[DIGEST_ID_LEN + 1];
	struct buf out;

	(void)state;
	buf_init(&out, 32);
	assert_int_equal(digest_build(&out, &prof, "f", &it, 0, NULL, id), -1);
	assert_true(buf_failed(&out));
	buf_free(&out);
}

/* Make a digest JSON of a few KiB (repetitive, like real text) into json. */
static void
digest_test_big_json(struct buf *json)
{
	struct digest_profile prof = digest_test_profile(96, 4096, 5);
	struct buf body;
	struct feed_item it;
	char id[DIGEST_ID_LEN + 1];
	size_t i;

	buf_init(&body, 0);
	for (i = 0; i < 80; i++)
		/*
		 * Long sentences that say different things (a summary holds
		 * at most three, and never two that say the same).
		 */
		buf_printf(&body, "clause %c%c%c%c of the article talks about %s%s",
		    'a' + (char)(i % 26), 'a' + (char)(i * 7 % 26), 'a' + (char)(i * 11 % 26),
		    'a' + (char)(i / 20),
		    i % 3 == 0 ? "the European Central Bank" :
		    i % 3 == 1 ? "M\xc3\xbcnchen and K\xc3\xb6ln" : "\xe6\x97\xa5\xe6\x9c\xac",
		    i % 20 == 19 ? ". The next " : ", ");
	it = digest_test_item("guid-big", "A long article", buf_str(&body));
	buf_init(json, 0);
	assert_int_equal(digest_build(json, &prof, "world", &it, 0, NULL, id), 0);
	assert_true(json->len > 2048);
	buf_free(&body);
}

/* Setup: as digest_test_setup(), with digest_test_big_json() in json. */
static int
digest_test_setup_codec(void **state)
{
	if (digest_test_setup(state) == -1)
		return -1;
	digest_test_big_json(&((struct digest_test *)*state)->json);
	return 0;
}

/* Encode c->json with c->prof into c->payload (reset first); it must succeed. */
static void
digest_test_encode(struct digest_test *c)
{
	buf_reset(&c->payload);
	assert_int_equal(digest_encode(&c->payload, &c->prof, c->json.data, c->json.len), 0);
}

/* Decode len bytes of data, at most max, into c->back (reset first); return the result. */
static int
digest_test_decode(struct digest_test *c, const char *data, size_t len, size_t max)
{
	buf_reset(&c->back);
	return digest_decode(&c->back, data, len, max);
}

/* Inflate with zlib and a window of exactly 2^wbits, giving dict on Z_NEED_DICT. */
static void
digest_test_window_inflate(const struct buf *payload, int wbits, const unsigned char *dict,
    size_t dictlen, const struct buf *want)
{
	unsigned char *outp = malloc(want->len + 16);
	z_stream z;
	int rc;

	assert_non_null(outp);
	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, wbits), Z_OK);
	z.next_in = (Bytef *)payload->data;
	z.avail_in = (uInt)payload->len;
	z.next_out = outp;
	z.avail_out = (uInt)(want->len + 16);
	rc = inflate(&z, Z_FINISH);
	if (dict != NULL) {
		assert_int_equal(rc, Z_NEED_DICT);
		assert_int_equal(z.adler, digest_dict_id(dict, dictlen));
		assert_int_equal(inflateSetDictionary(&z, dict, (uInt)dictlen), Z_OK);
		rc = inflate(&z, Z_FINISH);
	}
	assert_int_equal(rc, Z_STREAM_END);
	assert_int_equal(z.total_out, want->len);
	assert_memory_equal(outp, want->data, want->len);
	inflateEnd(&z);
	free(outp);
}

/* encode/decode round trip for every window_bits 9..15; the header carries the window. */
static void
digest_test_encode_zlib(void **state)
{
	struct digest_test *c = *state;
	const unsigned char *h;
	int wb;

	for (wb = 9; wb <= 15; wb++) {
		c->prof.window_bits = wb;
		digest_test_encode(c);
		assert_true(c->payload.len > 2 && c->payload.len < c->json.len);
		h = (const unsigned char *)c->payload.data;
		/* CMF: CM 8 (deflate), CINFO window_bits - 8; FCHECK makes it a multiple of 31. */
		assert_int_equal(h[0] & 0x0f, 8);
		assert_int_equal(h[0] >> 4, wb - 8);
		assert_int_equal(((h[0] << 8) | h[1]) % 31, 0);
		assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, 1 << 20),
		    0);
		assert_int_equal(c->back.len, c->json.len);
		assert_memory_equal(c->back.data, c->json.data, c->json.len);
		/* As a device would: zlib with a window of 2^window_bits, no more. */
		digest_test_window_inflate(&c->payload, wb, NULL, 0, &c->json);
	}
}

/* compression = none: the payload is the JSON itself and decodes to it. */
static void
digest_test_encode_none(void **state)
{
	struct digest_test *c = *state;

	c->prof.compression = DIGEST_NONE;
	digest_test_encode(c);
	assert_int_equal(c->payload.len, c->json.len);
	assert_memory_equal(c->payload.data, c->json.data, c->json.len);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, c->json.len), 0);
	assert_int_equal(c->back.len, c->json.len);
	assert_memory_equal(c->back.data, c->json.data, c->json.len);
}

/* digest_decode refuses a corrupt or truncated zlib stream with -1. */
static void
digest_test_decode_corrupt(void **state)
{
	struct digest_test *c = *state;

	digest_test_encode(c);
	/* The Adler-32 at the end no longer matches. */
	c->payload.data[c->payload.len - 1] ^= 0x55;
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, 1 << 20), -1);
	c->payload.data[c->payload.len - 1] ^= 0x55;
	/* Garbage in the deflate data. */
	memset(c->payload.data + 2, 0xff, 8);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, 1 << 20), -1);
	/* Cut short. */
	digest_test_encode(c);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len / 2, 1 << 20), -1);
	/* A zlib header alone. */
	assert_int_equal(digest_test_decode(c, c->payload.data, 2, 1 << 20), -1);
}

/* digest_decode honours max: -1 when the output would exceed it, 0 at exactly max. */
static void
digest_test_decode_max(void **state)
{
	struct digest_test *c = *state;
	size_t n = c->json.len;

	digest_test_encode(c);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, n), 0);
	assert_int_equal(c->back.len, n);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, n - 1), -1);
	assert_int_equal(digest_test_decode(c, c->payload.data, c->payload.len, 100), -1);
	/* The same for an uncompressed payload. */
	assert_int_equal(digest_test_decode(c, c->json.data, n, n - 1), -1);
	assert_int_equal(digest_test_decode(c, c->json.data, n, n), 0);
}

/* The sample digests: every item of the repo's sample feeds, and their bundles. */
struct digest_test_samples {
	struct digest_profile prof;
	struct buf json[64];
	size_t n;
	size_t first;		/* where the current feed's digests start */
};

/* Parser: keep the digest JSON of one item. */
static int
digest_test_sample_cb(void *arg, const struct feed_item *it)
{
	struct digest_test_samples *s = arg;
	char id[DIGEST_ID_LEN + 1];

	assert_true(s->n < 63);
	buf_init(&s->json[s->n], 0);
	assert_int_equal(digest_build(&s->json[s->n], &s->prof, "sample", it, 1800000000, NULL,
	    id), 0);
	s->n++;
	return 0;
}

/* Build the sample digests of every sample feed, and each feed's bundle. */
static void
digest_test_samples(struct digest_test_samples *s)
{
	static const char *const files[] = { "config/samples/world.rss",
		"config/samples/tech.atom", "tests/fixtures/feeds/news1.rss",
		"tests/fixtures/feeds/news2.rss", "tests/fixtures/feeds/news.atom" };
	struct feed_parser *p;
	char path[512], chunk[4096];
	size_t i, k, n;
	FILE *f;

	memset(s, 0, sizeof *s);
	s->prof = digest_test_profile(96, 280, 5);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", ND_SRCDIR, files[i]);
		assert_non_null(f = fopen(path, "rb"));
		assert_non_null(p = feed_parser_new(NULL, NULL, digest_test_sample_cb, s));
		s->first = s->n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			assert_int_equal(feed_parser_write(p, chunk, n), 0);
		assert_int_equal(feed_parser_finish(p), 0);
		feed_parser_free(p);
		fclose(f);
		/* The feed's retained bundle: its digests as one JSON array. */
		buf_init(&s->json[s->n], 0);
		buf_addc(&s->json[s->n], '[');
		for (k = s->first; k < s->n; k++) {
			if (k > s->first)
				buf_addc(&s->json[s->n], ',');
			buf_add(&s->json[s->n], s->json[k].data, s->json[k].len);
		}
		buf_addc(&s->json[s->n], ']');
		s->n++;
	}
	assert_true(s->n >= 15);
}

/* Free the sample digests. */
static void
digest_test_samples_free(struct digest_test_samples *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		buf_free(&s->json[i]);
}

/*
 * Inflate payload as a small device would: skip the 2-byte zlib header
 * and, with FDICT, the 4-byte dictionary id; fill the window with dict;
 * raw-inflate with a window of 2^wbits; check the Adler-32 trailer.
 */
static void
digest_test_raw_inflate(const struct buf *payload, int wbits, const unsigned char *dict,
    size_t dictlen, const struct buf *want)
{
	const unsigned char *p = (const unsigned char *)payload->data;
	unsigned char *outp = malloc(want->len + 16);
	size_t skip = 2;
	uint32_t trailer;
	z_stream z;

	assert_non_null(outp);
	if (p[1] & 0x20) {
		assert_non_null(dict);
		skip += 4;
		assert_int_equal((uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 |
		    (uint32_t)p[4] << 8 | p[5], digest_dict_id(dict, dictlen));
	}
	memset(&z, 0, sizeof z);
	assert_int_equal(inflateInit2(&z, -wbits), Z_OK);
	if (dict != NULL)
		assert_int_equal(inflateSetDictionary(&z, dict, (uInt)dictlen), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)(p + skip);
	z.avail_in = (uInt)(payload->len - skip);
	z.next_out = outp;
	z.avail_out = (uInt)(want->len + 16);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, want->len);
	assert_memory_equal(outp, want->data, want->len);
	/* What is left is the Adler-32 of the JSON, big-endian. */
	assert_int_equal(z.avail_in, 4);
	trailer = (uint32_t)z.next_in[0] << 24 | (uint32_t)z.next_in[1] << 16 |
	    (uint32_t)z.next_in[2] << 8 | z.next_in[3];
	assert_int_equal(trailer, digest_dict_id(want->data, want->len));
	inflateEnd(&z);
	free(outp);
}

/*
 * Every sample digest and bundle, for every window_bits 9..15, with and
 * without the built-in dictionary: zlib with a window of 2^window_bits
 * decodes it, and so does a raw inflater whose window holds the dictionary.
 */
static void
digest_test_window_every_payload(void **state)
{
	struct digest_test_samples s;
	const unsigned char *builtin, *dict;
	struct buf payload, back;
	size_t blen, dlen, i, with, without;
	uint32_t id;
	int wb, d;

	(void)state;
	digest_test_samples(&s);
	builtin = digest_dict_builtin(&blen);
	buf_init(&payload, 0);
	buf_init(&back, 0);
	for (wb = 9; wb <= 15; wb++) {
		with = without = 0;
		for (d = 0; d < 2; d++) {
			s.prof.window_bits = wb;
			dict = builtin;
			dlen = digest_dict_fit(&dict, blen, wb);
			assert_int_equal(dlen, blen < ((size_t)1 << wb) - 262 ? blen :
			    ((size_t)1 << wb) - 262);
			s.prof.dict = d ? (unsigned char *)(uintptr_t)dict : NULL;
			s.prof.dict_len = d ? dlen : 0;
			for (i = 0; i < s.n; i++) {
				buf_reset(&payload);
				assert_int_equal(digest_encode(&payload, &s.prof, s.json[i].data,
				    s.json[i].len), 0);
				assert_int_equal(((const unsigned char *)payload.data)[0] >> 4, wb - 8);
				assert_int_equal(digest_payload_dict(payload.data, payload.len, &id), d);
				if (d)
					assert_int_equal(id, digest_dict_id(dict, dlen));
				*(d ? &with : &without) += payload.len;
				digest_test_window_inflate(&payload, wb, d ? dict : NULL, dlen,
				    &s.json[i]);
				digest_test_raw_inflate(&payload, wb, d ? dict : NULL, dlen,
				    &s.json[i]);
				buf_reset(&back);
				assert_int_equal(digest_decode_dict(&back, payload.data, payload.len,
				    1 << 20, d ? dict : NULL, dlen), 0);
				assert_int_equal(back.len, s.json[i].len);
				assert_memory_equal(back.data, s.json[i].data, back.len);
			}
		}
		/* The dictionary earns its place at every window size. */
		assert_true(with < without);
	}
	buf_free(&payload);
	buf_free(&back);
	digest_test_samples_free(&s);
}

/* A payload made with a dictionary is refused (-2) without it or with another one. */
static void
digest_test_decode_needs_dict(void **state)
{
	static const unsigned char other[] = "another dictionary entirely";
	struct digest_test *c = *state;
	const unsigned char *builtin;
	size_t blen;

	builtin = digest_dict_builtin(&blen);
	c->prof.window_bits = 15;
	c->prof.dict = (unsigned char *)(uintptr_t)builtin;
	c->prof.dict_len = blen;
	digest_test_encode(c);
	assert_int_equal(digest_decode_dict(&c->back, c->payload.data, c->payload.len, 1 << 20,
	    NULL, 0), -2);
	assert_int_equal(digest_decode(&c->back, c->payload.data, c->payload.len, 1 << 20), -1);
	assert_int_equal(digest_decode_dict(&c->back, c->payload.data, c->payload.len, 1 << 20,
	    other, sizeof other - 1), -2);
	assert_int_equal(c->back.len, 0);
	assert_int_equal(digest_decode_dict(&c->back, c->payload.data, c->payload.len, 1 << 20,
	    builtin, blen), 0);
	assert_int_equal(c->back.len, c->json.len);
	/* A stream without FDICT ignores a dictionary it is given. */
	c->prof.dict = NULL;
	digest_test_encode(c);
	buf_reset(&c->back);
	assert_int_equal(digest_decode_dict(&c->back, c->payload.data, c->payload.len, 1 << 20,
	    other, sizeof other - 1), 0);
	assert_int_equal(c->back.len, c->json.len);
}

/* A test of a struct digest_test. */
#define DIGEST_TEST_OUT(test) \
	cmocka_unit_test_setup_teardown(test, digest_test_setup, digest_test_teardown)
/* A test of a struct digest_test with the big JSON. */
#define DIGEST_TEST_CODEC(test) \
	cmocka_unit_test_setup_teardown(test, digest_test_setup_codec, digest_test_teardown)

/*
 * The language a feed is read in, from its items: the config's; on
 * auto, the text's over a wrong declaration (English declared as kn),
 * the declared one, region and all, when the text agrees or is too short
 * to say, or what the feed's text said before; English when nothing says.
 */
static void
digest_test_language(void **state)
{
	struct feed_item en = digest_test_item("1", "Council approves new ferry",
	    "The council said on Monday that the new ferry will run from the spring, and that it "
	    "will take commuters and tourists across the bay in twenty minutes.");
	struct feed_item brief = digest_test_item("2", "Ferry to Skerry Point", "");

	struct feed_item de = digest_test_item("3", "Neue F\xc3\xa4hre",
	    "Der Stadtrat hat am Montag die neue F\xc3\xa4hre beschlossen. Sie f\xc3\xa4hrt ab dem "
	    "Fr\xc3\xbchjahr und bringt Pendler und Touristen in zwanzig Minuten \xc3\xbc" "ber die "
	    "Bucht, wie die Stadt mitteilt.");
	struct digest_reader r;
	struct lang_guesser *g;
	int clear;

	(void)state;
	assert_non_null(g = lang_guesser_new());
	assert_string_equal(digest_language(g, "fr", "en", &en, NULL, &clear), "fr");
	assert_false(clear);
	assert_string_equal(digest_language(g, "auto", "kn", &en, NULL, &clear), "en");
	assert_true(clear);
	assert_string_equal(digest_language(g, "auto", "en-GB", &en, NULL, &clear), "en-GB");
	assert_string_equal(digest_language(g, "auto", "pt-BR", &brief, NULL, &clear), "pt-BR");
	assert_false(clear);
	assert_string_equal(digest_language(g, "auto", "", &brief, NULL, &clear), "en");
	/* A headline alone says nothing: what the text said before stands. */
	assert_string_equal(digest_language(g, "auto", "", &brief, "de", &clear), "de");
	assert_false(clear);
	/* No guesser (out of memory): what is known or declared, no guess. */
	assert_string_equal(digest_language(NULL, "auto", "", &de, NULL, &clear), "en");
	assert_false(clear);
	assert_string_equal(digest_language(NULL, "auto", "fr", &de, NULL, &clear), "fr");
	assert_string_equal(digest_language(NULL, "auto", "", &de, "nl", &clear), "nl");
	assert_string_equal(digest_language(NULL, "it", "", &de, NULL, &clear), "it");
	lang_guesser_free(g);

	/*
	 * The reader: a first item that says nothing gives English; the next,
	 * German, makes it again; after that it is kept. The next body's
	 * headline alone is read as the German the text said.
	 */
	memset(&r, 0, sizeof r);
	assert_int_equal(digest_reader_for(&r, "auto", "", &brief), 2);
	assert_string_equal(r.language, "en");
	assert_non_null(r.art);
	assert_int_equal(digest_reader_for(&r, "auto", "", &de), 2);
	assert_string_equal(r.language, "de");
	assert_non_null(r.guesser);
	assert_int_equal(digest_reader_for(&r, "auto", "", &en), 0);
	assert_string_equal(r.language, "de");
	digest_reader_done(&r);
	assert_null(r.art);
	assert_null(r.guesser);
	assert_int_equal(digest_reader_for(&r, "auto", "", &brief), 1);
	assert_string_equal(r.language, "de");
	digest_reader_done(&r);
	/* The config's language is settled at once; no guess reads past it. */
	memset(&r, 0, sizeof r);
	assert_int_equal(digest_reader_for(&r, "fr", "", &brief), 2);
	assert_int_equal(digest_reader_for(&r, "fr", "", &de), 0);
	assert_string_equal(r.language, "fr");
	assert_null(r.guesser);
	assert_string_equal(r.known, "");
	digest_reader_done(&r);
	/* Items that never say: DIGEST_LANG_TRIES of them are read, no more. */
	memset(&r, 0, sizeof r);
	for (clear = 0; clear < DIGEST_LANG_TRIES; clear++)
		assert_true(digest_reader_for(&r, "auto", "", &brief) >= 0);
	assert_int_equal(r.tries, DIGEST_LANG_TRIES);
	assert_int_equal(digest_reader_for(&r, "auto", "", &de), 0);
	assert_string_equal(r.language, "en");
	digest_reader_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		DIGEST_TEST_OUT(digest_test_build_exact),
		DIGEST_TEST_OUT(digest_test_id),
		DIGEST_TEST_OUT(digest_test_headline_cut),
		DIGEST_TEST_OUT(digest_test_summary_sentences),
		DIGEST_TEST_OUT(digest_test_summary_from_content),
		DIGEST_TEST_OUT(digest_test_summary_first_sentence_cut),
		DIGEST_TEST_OUT(digest_test_tags_categories),
		DIGEST_TEST_OUT(digest_test_tags_from_text),
		DIGEST_TEST_OUT(digest_test_utf8_budgets),
		DIGEST_TEST_OUT(digest_test_ascii),
		DIGEST_TEST_OUT(digest_test_ascii_budget),
		DIGEST_TEST_OUT(digest_test_published),
		DIGEST_TEST_OUT(digest_test_json_escaping),
		DIGEST_TEST_OUT(digest_test_no_source),
		DIGEST_TEST_OUT(digest_test_aggregator),
		cmocka_unit_test(digest_test_build_full),
		cmocka_unit_test(digest_test_language),
		DIGEST_TEST_CODEC(digest_test_encode_zlib),
		DIGEST_TEST_CODEC(digest_test_encode_none),
		DIGEST_TEST_CODEC(digest_test_decode_corrupt),
		DIGEST_TEST_CODEC(digest_test_decode_max),
		cmocka_unit_test(digest_test_window_every_payload),
		DIGEST_TEST_CODEC(digest_test_decode_needs_dict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
