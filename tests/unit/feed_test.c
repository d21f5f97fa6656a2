/* feed_test — unit tests for daemon/feed.c, the streaming RSS/Atom reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/feed.h"
#include "newsdigest/text.h"

#define FEED_TEST_MAX_ITEMS 64
#define FEED_TEST_MAX_CATS 16

/* A deep copy of one item, made in the callback. */
struct feed_test_item {
	char *id;
	char *title;
	char *link;
	char *author;
	char *author_email;
	char *source;
	char *summary;
	char *content;
	char *cats[FEED_TEST_MAX_CATS];
	size_t ncats;
	int64_t published;
	int64_t updated;
	char *language;		/* feed_parser_language() in the callback, or NULL */
};

/* What the callback collected; stop_at > 0 makes it return -1 on that call. */
struct feed_test_items {
	struct feed_test_item it[FEED_TEST_MAX_ITEMS];
	size_t n;
	size_t calls;
	size_t stop_at;
	const struct feed_parser *p;	/* the parser calling, when the test knows it */
};

/* Copy a string, failing the test when out of memory. */
static char *
feed_test_dup(const char *s)
{
	char *d;

	assert_non_null(s);
	d = strdup(s);
	assert_non_null(d);
	return d;
}

/* The item callback: copy the item, or stop when asked. */
static int
feed_test_cb(void *arg, const struct feed_item *item)
{
	struct feed_test_items *c = arg;
	struct feed_test_item *t;
	size_t i;

	c->calls++;
	if (c->stop_at != 0 && c->calls == c->stop_at)
		return -1;
	assert_true(c->n < FEED_TEST_MAX_ITEMS);
	t = &c->it[c->n++];
	t->id = feed_test_dup(item->id);
	t->title = feed_test_dup(item->title);
	t->link = feed_test_dup(item->link);
	t->author = feed_test_dup(item->author);
	t->author_email = feed_test_dup(item->author_email);
	t->source = feed_test_dup(item->source);
	t->summary = feed_test_dup(item->summary);
	t->content = feed_test_dup(item->content);
	assert_true(item->ncategories <= FEED_TEST_MAX_CATS);
	t->ncats = item->ncategories;
	for (i = 0; i < item->ncategories; i++)
		t->cats[i] = feed_test_dup(item->categories[i]);
	t->published = item->published;
	t->updated = item->updated;
	if (c->p != NULL)
		t->language = feed_test_dup(feed_parser_language(c->p));
	return 0;
}

/* Free what the callback collected and clear it. */
static void
feed_test_items_free(struct feed_test_items *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct feed_test_item *t = &c->it[i];

		free(t->id);
		free(t->title);
		free(t->link);
		free(t->author);
		free(t->author_email);
		free(t->source);
		free(t->summary);
		free(t->content);
		free(t->language);
		for (j = 0; j < t->ncats; j++)
			free(t->cats[j]);
	}
	memset(c, 0, sizeof *c);
}

/*
 * Parse len bytes of data in chunks of chunk bytes (0: all at once) with
 * the given limits; store the result of write/finish in *rc (0 or -1).
 * Returns the parser, for its info and error; the caller frees it.
 */
static struct feed_parser *
feed_test_parse_len(const char *data, size_t len, size_t chunk, const struct feed_limits *lim,
    struct feed_test_items *c, int *rc)
{
	struct feed_parser *p;
	size_t off = 0, n;

	p = feed_parser_new(lim, NULL, feed_test_cb, c);
	assert_non_null(p);
	c->p = p;
	*rc = 0;
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		if (feed_parser_write(p, data + off, n) == -1) {
			*rc = -1;
			/* Further writes must keep failing. */
			assert_int_equal(feed_parser_write(p, "<x/>", 4), -1);
			return p;
		}
		off += n;
	}
	*rc = feed_parser_finish(p);
	return p;
}

/* Parse a C string; see feed_test_parse_len(). */
static struct feed_parser *
feed_test_parse(const char *xml, size_t chunk, const struct feed_limits *lim,
    struct feed_test_items *c, int *rc)
{
	return feed_test_parse_len(xml, strlen(xml), chunk, lim, c, rc);
}

/* Allocate an empty collector. */
static struct feed_test_items *
feed_test_items_new(void)
{
	struct feed_test_items *c = calloc(1, sizeof *c);

	assert_non_null(c);
	return c;
}

/* Free a collector made by feed_test_items_new(). */
static void
feed_test_items_del(struct feed_test_items *c)
{
	feed_test_items_free(c);
	free(c);
}

/* One parse: what the callback collected, the parser and write/finish's result. */
struct feed_test_run {
	struct feed_test_items *c;
	struct feed_parser *p;
	int rc;
};

/* Parse len bytes of data into a fresh run; see feed_test_parse_len(). */
static void
feed_test_run_len(struct feed_test_run *r, const char *data, size_t len, size_t chunk,
    const struct feed_limits *lim)
{
	r->c = feed_test_items_new();
	r->p = feed_test_parse_len(data, len, chunk, lim, r->c, &r->rc);
}

/* Parse len bytes of data into r as feed_test_run_len() does; it must succeed. */
static void
feed_test_ok_len(struct feed_test_run *r, const char *data, size_t len, size_t chunk,
    const struct feed_limits *lim)
{
	feed_test_run_len(r, data, len, chunk, lim);
	assert_int_equal(r->rc, 0);
}

/* Parse a C string whole, without limits, into r; it must succeed. */
static void
feed_test_ok(struct feed_test_run *r, const char *xml)
{
	feed_test_ok_len(r, xml, strlen(xml), 0, NULL);
}

/*
 * Parse a C string served with the HTTP Content-Type ct (NULL: none) into
 * r in one write; it must succeed.
 */
static void
feed_test_ok_ct(struct feed_test_run *r, const char *ct, const char *xml)
{
	r->c = feed_test_items_new();
	r->p = feed_parser_new(NULL, ct, feed_test_cb, r->c);
	assert_non_null(r->p);
	r->c->p = r->p;
	assert_int_equal(feed_parser_write(r->p, xml, strlen(xml)), 0);
	r->rc = feed_parser_finish(r->p);
	assert_int_equal(r->rc, 0);
}

/* Free the parser and the items of a run. */

static void
feed_test_run_free(struct feed_test_run *r)
{
	feed_parser_free(r->p);
	feed_test_items_del(r->c);
}

/* Parse a C string that must fail; return a copy of the error message. */
static char *
feed_test_fail(const char *xml, const struct feed_limits *lim)
{
	struct feed_test_run r;
	const char *err;
	char *copy;

	feed_test_run_len(&r, xml, strlen(xml), 0, lim);
	assert_int_equal(r.rc, -1);
	err = feed_parser_error(r.p);
	assert_non_null(err);
	copy = feed_test_dup(err);
	feed_test_run_free(&r);
	return copy;
}

/* Setup: parse doc whole (it must succeed) into a run in *state. */
static int
feed_test_setup_doc(void **state, const char *doc)
{
	struct feed_test_run *r = calloc(1, sizeof *r);

	if (r == NULL)
		return -1;
	*state = r;
	feed_test_ok(r, doc);
	return 0;
}

/* Teardown: free the run a feed_test_setup_*() made. */
static int
feed_test_teardown(void **state)
{
	struct feed_test_run *r = *state;

	feed_test_run_free(r);
	free(r);
	return 0;
}

/* Assert that s (a C string) is valid UTF-8. */
static void
feed_test_assert_utf8(const char *s)
{
	assert_true(text_utf8_valid(s, strlen(s)));
}

/*
 * Assert that the feed of run r declares want, in its info and from the
 * start: every item's callback saw it.
 */
static void
feed_test_assert_language(const struct feed_test_run *r, const char *want)
{
	size_t i;

	assert_string_equal(feed_parser_info(r->p)->language, want);
	assert_string_equal(feed_parser_language(r->p), want);
	for (i = 0; i < r->c->n; i++)
		assert_string_equal(r->c->it[i].language, want);
}

static const char feed_test_rss20[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "<channel>\n"
    "<title>Test Channel</title>\n"
    "<link>https://example.org/</link>\n"
    "<description>All the news &amp; more</description>\n"
    "<language> en-GB </language>\n"
    "<ttl>45</ttl>\n"
    "<item>\n"
    "<title>First &amp; foremost</title>\n"
    "<language>fr</language><dc:language>fr</dc:language>\n"
    "<link>https://example.org/a/1</link>\n"
    "<guid isPermaLink=\"false\">guid-1</guid>\n"
    "<pubDate>Tue, 17 Nov 2026 07:45:00 +0100</pubDate>\n"
    "<author>mail@example.org (Jane Doe)</author>\n"
    "<source url=\"https://wire.example.net/rss\"> Wire &amp; Co </source>\n"
    "<category>World</category>\n"
    "<category>Economy</category>\n"
    "<category>World</category>\n"
    "<category>Europe</category>\n"
    "<description>&lt;p&gt;First paragraph.&lt;/p&gt;&lt;p&gt;Second &lt;b&gt;bold&lt;/b&gt;"
    " one.&lt;/p&gt;</description>\n"
    "<content:encoded><![CDATA[<p>Full text <em>here</em>.</p>\n<p>More text.</p>]]>"
    "</content:encoded>\n"
    "</item>\n"
    "<item>\n"
    "<title>Second item</title>\n"
    "<link>https://example.org/a/2</link>\n"
    "<dc:creator>John Smith</dc:creator>\n"
    "<description>Plain words.</description>\n"
    "</item>\n"
    "</channel>\n"
    "</rss>\n";

/* Setup: parse feed_test_rss20. */
static int
feed_test_setup_rss20(void **state)
{
	return feed_test_setup_doc(state, feed_test_rss20);
}

/* RSS 2.0: every item field comes out as given, cleaned, with exact dates. */
static void
feed_test_rss20_item(void **state)
{
	struct feed_test_item *t;
	struct feed_test_run *r = *state;

	assert_null(feed_parser_error(r->p));
	assert_int_equal(feed_parser_format(r->p), FEED_FORMAT_RSS20);
	assert_string_equal(feed_format_name(feed_parser_format(r->p)), "rss2.0");
	assert_int_equal(feed_parser_items(r->p), 2);
	assert_int_equal(feed_parser_truncated(r->p), 0);
	assert_int_equal(r->c->n, 2);
	t = &r->c->it[0];
	assert_string_equal(t->title, "First & foremost");
	assert_string_equal(t->link, "https://example.org/a/1");
	assert_string_equal(t->id, "guid-1");
	/* Tue, 17 Nov 2026 07:45:00 +0100 = 06:45:00 UTC */
	assert_int_equal(t->published, 1794897900);
	assert_true(t->updated == FEED_NO_DATE);
}

/* RSS 2.0: "mail@example.org (Jane Doe)" is split into author and e-mail; <source> is apart. */
static void
feed_test_rss20_author_split(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].author, "Jane Doe");
	assert_string_equal(r->c->it[0].author_email, "mail@example.org");
	/* <source>, the site an aggregator took the item from, is no author. */
	assert_string_equal(r->c->it[0].source, "Wire & Co");
	assert_string_equal(r->c->it[1].source, "");
}

/* RSS 2.0: categories keep their order and a repeat is dropped. */
static void
feed_test_rss20_categories(void **state)
{
	struct feed_test_run *r = *state;

	assert_int_equal(r->c->it[0].ncats, 3);
	assert_string_equal(r->c->it[0].cats[0], "World");
	assert_string_equal(r->c->it[0].cats[1], "Economy");
	assert_string_equal(r->c->it[0].cats[2], "Europe");
	assert_int_equal(r->c->it[1].ncats, 0);
}

/* RSS 2.0: an entity-escaped HTML description becomes text, one '\n' per paragraph. */
static void
feed_test_rss20_description(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].summary, "First paragraph.\nSecond bold one.");
	assert_string_equal(r->c->it[1].summary, "Plain words.");
}

/* RSS 2.0: content:encoded in CDATA is HTML made text, the content field. */
static void
feed_test_rss20_content_encoded(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].content, "Full text here.\nMore text.");
	assert_string_equal(r->c->it[1].content, "");
}

/* RSS 2.0: dc:creator is the author; without guid the link is the id. */
static void
feed_test_rss20_dc_creator(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[1].author, "John Smith");
	assert_string_equal(r->c->it[1].author_email, "");
	assert_string_equal(r->c->it[1].id, "https://example.org/a/2");
	assert_true(r->c->it[1].published == FEED_NO_DATE);
}

/* RSS 2.0: the channel's title, link, description and ttl are in the info. */
static void
feed_test_rss20_channel_info(void **state)
{
	const struct feed_info *info;
	struct feed_test_run *r = *state;

	info = feed_parser_info(r->p);
	assert_non_null(info);
	assert_string_equal(info->title, "Test Channel");
	assert_string_equal(info->link, "https://example.org/");
	assert_string_equal(info->description, "All the news & more");
	assert_string_equal(info->author, "");
	assert_int_equal(info->ttl, 45 * 60);
}

/*
 * RSS 2.0: the channel's <language>, trimmed, is the feed's, and the item
 * callback sees it already; an item's <language> or <dc:language> is not
 * the channel's.
 */
static void
feed_test_rss20_language(void **state)
{
	feed_test_assert_language(*state, "en-GB");
}

static const char feed_test_atom[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de-DE\">\n"
    "<title>Atom Feed</title>\n"
    "<id>urn:feed</id>\n"
    "<link rel=\"alternate\" href=\"https://example.com/\"/>\n"
    "<author><name>Newsroom</name></author>\n"
    "<entry xml:lang=\"fr\">\n"
    "<title type=\"html\">Hello &amp;lt;b&amp;gt;World&amp;lt;/b&amp;gt;</title>\n"
    "<link rel=\"self\" href=\"https://example.com/self/1\"/>\n"
    "<link rel=\"enclosure\" href=\"https://example.com/1.mp3\"/>\n"
    "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.com/a/1\"/>\n"
    "<id>urn:uuid:1</id>\n"
    "<published>2026-11-24T09:30:00+02:00</published>\n"
    "<updated>2026-11-24T11:05:00Z</updated>\n"
    "<author><name>Ana Pereira</name><email>ana@example.com</email></author>\n"
    "<category term=\"hw\" label=\"Hardware\"/>\n"
    "<category term=\"displays\"/>\n"
    "<summary type=\"text\">Plain &lt;b&gt;not bold&lt;/b&gt;\n  text.</summary>\n"
    "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "<p>Para one.</p><p>Para <b>two</b> &amp; more.</p></div></content>\n"
    "</entry>\n"
    "<entry>\n"
    "<link rel=\"alternate\" href=\"https://example.com/a/2\"/>\n"
    "<link rel=\"self\" href=\"https://example.com/self/2\"/>\n"
    "<link rel=\"enclosure\" href=\"https://example.com/2.mp3\"/>\n"
    "<title>Second</title>\n"
    "<id>urn:uuid:2</id>\n"
    "<updated>2026-11-24T11:05:00Z</updated>\n"
    "</entry>\n"
    "</feed>\n";

/* Setup: parse feed_test_atom. */
static int
feed_test_setup_atom(void **state)
{
	return feed_test_setup_doc(state, feed_test_atom);
}

/* Atom: rel="alternate" is the link, before or after self and enclosure links. */
static void
feed_test_atom_link_alternate(void **state)
{
	struct feed_test_run *r = *state;

	assert_int_equal(feed_parser_format(r->p), FEED_FORMAT_ATOM10);
	assert_string_equal(feed_format_name(FEED_FORMAT_ATOM10), "atom1.0");
	assert_int_equal(r->c->n, 2);
	assert_string_equal(r->c->it[0].link, "https://example.com/a/1");
	assert_string_equal(r->c->it[1].link, "https://example.com/a/2");
}

/* Atom: id, published and updated are read; an entry without published has none. */
static void
feed_test_atom_id_dates(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].id, "urn:uuid:1");
	/* 2026-11-24T09:30:00+02:00 and 2026-11-24T11:05:00Z */
	assert_int_equal(r->c->it[0].published, 1795505400);
	assert_int_equal(r->c->it[0].updated, 1795518300);
	assert_string_equal(r->c->it[1].id, "urn:uuid:2");
	assert_true(r->c->it[1].published == FEED_NO_DATE);
	assert_int_equal(r->c->it[1].updated, 1795518300);
}

/* Atom: the entry's author name and e-mail; the feed's author is in the info. */
static void
feed_test_atom_author(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].author, "Ana Pereira");
	assert_string_equal(r->c->it[0].author_email, "ana@example.com");
	assert_string_equal(r->c->it[1].author, "");
	assert_string_equal(r->c->it[1].author_email, "");
	assert_string_equal(feed_parser_info(r->p)->title, "Atom Feed");
	assert_string_equal(feed_parser_info(r->p)->link, "https://example.com/");
	assert_string_equal(feed_parser_info(r->p)->author, "Newsroom");
	assert_int_equal(feed_parser_info(r->p)->ttl, 0);
}

/* Atom: a category's label is preferred over its term. */
static void
feed_test_atom_category_label(void **state)
{
	struct feed_test_run *r = *state;

	assert_int_equal(r->c->it[0].ncats, 2);
	assert_string_equal(r->c->it[0].cats[0], "Hardware");
	assert_string_equal(r->c->it[0].cats[1], "displays");
}

/* Atom: a type="html" title with double-escaped markup has the markup stripped. */
static void
feed_test_atom_title_html(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].title, "Hello World");
	assert_string_equal(r->c->it[1].title, "Second");
}

/* Atom: type="xhtml" content with nested <p> elements keeps its paragraphs. */
static void
feed_test_atom_content_xhtml(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].content, "Para one.\nPara two & more.");
}

/* Atom: a type="text" summary keeps markup-like text as text, spaces collapsed. */
static void
feed_test_atom_summary_text(void **state)
{
	struct feed_test_run *r = *state;

	assert_string_equal(r->c->it[0].summary, "Plain <b>not bold</b> text.");
	assert_string_equal(r->c->it[1].summary, "");
}

/* Atom: xml:lang on <feed> is the feed's language; an entry's xml:lang is not. */
static void
feed_test_atom_language(void **state)
{
	feed_test_assert_language(*state, "de-DE");
}

static const char feed_test_rss10[] =
    "<?xml version=\"1.0\"?>\n"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
    "  xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "<channel rdf:about=\"https://example.net/\">\n"
    "<title>RDF Channel</title>\n"
    "<dc:language>nl</dc:language>\n"
    "<link>https://example.net/</link>\n"
    "<description>Resource description</description>\n"
    "<items><rdf:Seq>\n"
    "<rdf:li rdf:resource=\"urn:rdf:1\"/>\n"
    "<rdf:li rdf:resource=\"https://example.net/r/2\"/>\n"
    "</rdf:Seq></items>\n"
    "</channel>\n"
    "<item rdf:about=\"urn:rdf:1\">\n"
    "<title>One</title>\n"
    "<link>https://example.net/r/1</link>\n"
    "<dc:date>2026-11-24T09:30:00+02:00</dc:date>\n"
    "<dc:subject>Science</dc:subject>\n"
    "<dc:language>fr</dc:language>\n"
    "</item>\n"
    "<item>\n"
    "<title>Two</title>\n"
    "<link>https://example.net/r/2</link>\n"
    "<description>Second &lt;i&gt;item&lt;/i&gt;.</description>\n"
    "</item>\n"
    "</rdf:RDF>\n";

/* Setup: parse feed_test_rss10. */
static int
feed_test_setup_rss10(void **state)
{
	return feed_test_setup_doc(state, feed_test_rss10);
}

/* RSS 1.0: items outside the channel are read; rdf:about is the id, else the link. */
static void
feed_test_rss10_items(void **state)
{
	struct feed_test_run *r = *state;

	assert_int_equal(feed_parser_format(r->p), FEED_FORMAT_RSS10);
	assert_string_equal(feed_format_name(FEED_FORMAT_RSS10), "rss1.0");
	assert_int_equal(r->c->n, 2);
	assert_string_equal(r->c->it[0].id, "urn:rdf:1");
	assert_string_equal(r->c->it[0].title, "One");
	assert_string_equal(r->c->it[0].link, "https://example.net/r/1");
	assert_int_equal(r->c->it[0].published, 1795505400);
	assert_int_equal(r->c->it[0].ncats, 1);
	assert_string_equal(r->c->it[0].cats[0], "Science");
	assert_string_equal(r->c->it[1].id, "https://example.net/r/2");
	assert_string_equal(r->c->it[1].summary, "Second item.");
	assert_string_equal(feed_parser_info(r->p)->title, "RDF Channel");
	assert_string_equal(feed_parser_info(r->p)->link, "https://example.net/");
	assert_string_equal(feed_parser_info(r->p)->description, "Resource description");
}

/* RSS 1.0: the channel's dc:language is the feed's; an item's is not. */
static void
feed_test_rss10_language(void **state)
{
	feed_test_assert_language(*state, "nl");
}

/*
 * RSS 1.0: an explicit id in the item wins over rdf:about, which is only
 * the id "when there is no other".
 */
static void
feed_test_rss10_explicit_id_wins(void **state)
{
	static const char xml[] =
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
	    "  xmlns=\"http://purl.org/rss/1.0/\">\n"
	    "<channel rdf:about=\"https://example.net/\"><title>C</title></channel>\n"
	    "<item rdf:about=\"https://example.net/r/1\">\n"
	    "<title>One</title><link>https://example.net/r/1</link>\n"
	    "<guid>urn:explicit:1</guid>\n"
	    "</item>\n"
	    "</rdf:RDF>\n";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].id, "urn:explicit:1");
	feed_test_run_free(&r);
}

/* Assert that two collected item lists are identical. */
static void
feed_test_assert_same(const struct feed_test_items *a, const struct feed_test_items *b)
{
	size_t i, j;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct feed_test_item *x = &a->it[i], *y = &b->it[i];

		assert_string_equal(x->id, y->id);
		assert_string_equal(x->title, y->title);
		assert_string_equal(x->link, y->link);
		assert_string_equal(x->author, y->author);
		assert_string_equal(x->author_email, y->author_email);
		assert_string_equal(x->summary, y->summary);
		assert_string_equal(x->content, y->content);
		assert_int_equal(x->ncats, y->ncats);
		for (j = 0; j < x->ncats; j++)
			assert_string_equal(x->cats[j], y->cats[j]);
		assert_true(x->published == y->published);
		assert_true(x->updated == y->updated);
		if (x->language != NULL && y->language != NULL)
			assert_string_equal(x->language, y->language);
	}
}

/* Parse xml whole and in 1-byte chunks; the items and the info must be the same. */
static void
feed_test_check_streaming(const char *xml, size_t nitems)
{
	struct feed_test_run whole, bytes;
	const struct feed_info *a, *b;

	feed_test_run_len(&whole, xml, strlen(xml), 0, NULL);
	feed_test_run_len(&bytes, xml, strlen(xml), 1, NULL);
	assert_int_equal(whole.rc, 0);
	assert_int_equal(bytes.rc, 0);
	assert_int_equal(whole.c->n, nitems);
	feed_test_assert_same(whole.c, bytes.c);
	a = feed_parser_info(whole.p);
	b = feed_parser_info(bytes.p);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->link, b->link);
	assert_string_equal(a->description, b->description);
	assert_string_equal(a->language, b->language);
	assert_int_equal(a->ttl, b->ttl);
	feed_test_run_free(&whole);
	feed_test_run_free(&bytes);
}


/* Streaming: 1-byte chunks give exactly the items of one chunk (RSS 2.0, Atom, RSS 1.0). */
static void
feed_test_streaming_bytes(void **state)
{
	(void)state;
	feed_test_check_streaming(feed_test_rss20, 2);
	feed_test_check_streaming(feed_test_atom, 2);
	feed_test_check_streaming(feed_test_rss10, 2);
}

/* Undeclared HTML entities (&nbsp; &eacute;) in an RSS without DTD are decoded. */
static void
feed_test_undeclared_entities(void **state)
{
	static const char xml[] =
	    "<rss version=\"2.0\"><channel><title>Caf&eacute;</title>\n"
	    "<item><title>Caf&eacute;&nbsp;Society &mdash; live</title>\n"
	    "<guid>e1</guid>\n"
	    "<description>&lt;p&gt;A&nbsp;B&lt;/p&gt; &eacute;t&eacute;</description>\n"
	    "</item></channel></rss>\n";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_null(feed_parser_error(r.p));
	assert_int_equal(r.c->n, 1);
	/* U+00A0 is white space: it collapses to one plain space. */
	assert_string_equal(r.c->it[0].title, "Caf\xc3\xa9 Society \xe2\x80\x94 live");
	assert_string_equal(r.c->it[0].summary, "A B\n\xc3\xa9t\xc3\xa9");
	assert_string_equal(feed_parser_info(r.p)->title, "Caf\xc3\xa9");
	feed_test_run_free(&r);
}

/*
 * Parse xml with the HTTP Content-Type ct; check the one item's title and
 * the encoding in force.
 */
static void
feed_test_check_charset(const char *ct, const char *xml, const char *title, const char *enc)
{
	struct feed_test_run r;

	feed_test_ok_ct(&r, ct, xml);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].title, title);
	assert_string_equal(feed_parser_encoding(r.p), enc);
	feed_test_run_free(&r);
}

#define FEED_TEST_DECL(enc) "<?xml version=\"1.0\" encoding=\"" enc "\"?>\n"
#define FEED_TEST_TITLED(t) \
	"<rss version=\"2.0\"><channel><item><title>" t "</title><guid>g</guid></item>" \
	"</channel></rss>\n"

/* A document served with an HTTP Content-Type (or none): the title and encoding it gives. */
static const struct {
	const char *ct, *xml, *title, *enc;
} feed_test_charsets[] = {
	/*
	 * The encoding of the XML declaration is read: expat's own and the
	 * single-byte tables. No declaration: UTF-8.
	 */
	{ NULL, FEED_TEST_TITLED("Caf\xc3\xa9"), "Caf\xc3\xa9", "utf-8" },
	{ NULL, FEED_TEST_DECL("ISO-8859-1") FEED_TEST_TITLED("Caf\xe9 \xfc" "ber"),
	    "Caf\xc3\xa9 \xc3\xbc" "ber", "ISO-8859-1" },
	/* windows-1252: curly quotes and the euro sign. */
	{ NULL, FEED_TEST_DECL("windows-1252") FEED_TEST_TITLED("\x93" "Caf\xe9\x94 \x80" "5"),
	    "\xe2\x80\x9c" "Caf\xc3\xa9\xe2\x80\x9d \xe2\x82\xac" "5", "windows-1252" },
	/* ISO-8859-2: a and c with ogonek and acute. */
	{ NULL, FEED_TEST_DECL("ISO-8859-2") FEED_TEST_TITLED("\xb1\xe6"), "\xc4\x85\xc4\x87",
	    "ISO-8859-2" },
	/* Other spellings of UTF-8 and Latin-1 are just read. */
	{ NULL, FEED_TEST_DECL("utf8") FEED_TEST_TITLED("Z\xc3\xbcrich"), "Z\xc3\xbcrich", "utf8" },
	{ NULL, FEED_TEST_DECL("latin1") FEED_TEST_TITLED("Z\xfcrich"), "Z\xc3\xbcrich", "latin1" },
	/* C1 controls in text (Latin-1 bytes or &#147;) are the windows-1252 characters meant. */
	{ NULL, FEED_TEST_DECL("ISO-8859-1") FEED_TEST_TITLED("\x93q\x94"),
	    "\xe2\x80\x9cq\xe2\x80\x9d", "ISO-8859-1" },
	{ NULL, FEED_TEST_TITLED("&#147;x&#148; &#150; y"),
	    "\xe2\x80\x9cx\xe2\x80\x9d \xe2\x80\x93 y", "utf-8" },
	/* The charset of the HTTP Content-Type is used, and outranks the XML declaration. */
	{ "application/rss+xml; charset=ISO-8859-1", FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9",
	    "ISO-8859-1" },
	{ "text/xml;charset=\"windows-1252\"", FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9",
	    "windows-1252" },
	/* RFC 3023: the HTTP charset wins over the declaration. */
	{ "text/xml; charset=utf-8", FEED_TEST_DECL("ISO-8859-1") FEED_TEST_TITLED("Caf\xc3\xa9"),
	    "Caf\xc3\xa9", "utf-8" },
	/* An HTTP charset we cannot read is ignored: the declaration's is used. */
	{ "text/xml; charset=x-klingon", FEED_TEST_DECL("ISO-8859-2") FEED_TEST_TITLED("\xb1\xe6"),
	    "\xc4\x85\xc4\x87", "ISO-8859-2" },
	/* No charset parameter: the document decides. */
	{ "application/atom+xml", FEED_TEST_TITLED("Caf\xc3\xa9"), "Caf\xc3\xa9", "utf-8" },
	/* The charset parameter name is case-insensitive ("Charset=", "CHARSET="). */
	{ "text/xml; Charset=ISO-8859-1", FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9", "ISO-8859-1" },
	{ "text/xml; CHARSET=windows-1252", FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9",
	    "windows-1252" },
	/* A quoted charset may follow "charset=" after white space. */
	{ "text/xml; charset= \"ISO-8859-1\"", FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9",
	    "ISO-8859-1" },
	{ "application/rss+xml;charset= 'windows-1252'", FEED_TEST_TITLED("\x93q\x94"),
	    "\xe2\x80\x9cq\xe2\x80\x9d", "windows-1252" },
	/*
	 * RFC 3023: text/xml (and text/NAME+xml) without a charset, or any
	 * type with charset=us-ascii, is US-ASCII. It is reported while the
	 * bytes are ASCII; a byte past it is read by the document's own
	 * encoding (see feed_test_content_type_us_ascii).
	 */
	{ "text/xml", FEED_TEST_TITLED("Cafe"), "Cafe", "us-ascii" },
	{ "text/atom+xml", FEED_TEST_DECL("iso-8859-1") FEED_TEST_TITLED("Cafe"), "Cafe",
	    "us-ascii" },
	{ "text/xml-external-parsed-entity;", FEED_TEST_TITLED("x"), "x", "us-ascii" },
	{ "application/xml;charset=\"us-ascii\"", FEED_TEST_TITLED("x"), "x", "us-ascii" },
	/* Not RFC 3023's text types: the document decides. */
	{ "application/xml", FEED_TEST_TITLED("x"), "x", "utf-8" },
	{ "text/xmlish", FEED_TEST_TITLED("x"), "x", "utf-8" },
	/* The usual case: UTF-8 served as text/xml. Read as UTF-8, not flagged. */
	{ "text/xml", FEED_TEST_TITLED("Caf\xc3\xa9"), "Caf\xc3\xa9", "utf-8" },
	{ "text/xml", FEED_TEST_DECL("ISO-8859-1") FEED_TEST_TITLED("Caf\xe9"), "Caf\xc3\xa9",
	    "ISO-8859-1" },
	/* The multi-byte East Asian encodings, from the declaration or the HTTP charset. */
	{ NULL, FEED_TEST_DECL("big5") FEED_TEST_TITLED("\xa4\xa4\xa4\xe5"),
	    "\xe4\xb8\xad\xe6\x96\x87", "big5" },
	{ NULL, FEED_TEST_DECL("EUC-KR") FEED_TEST_TITLED("\xc7\xd1\xb1\xb9"),
	    "\xed\x95\x9c\xea\xb5\xad", "EUC-KR" },
	{ NULL, FEED_TEST_DECL("Shift_JIS") FEED_TEST_TITLED("\x93\xfa\x96\x7b\xb1"),
	    "\xe6\x97\xa5\xe6\x9c\xac\xef\xbd\xb1", "Shift_JIS" },
	{ NULL, FEED_TEST_DECL("euc-jp") FEED_TEST_TITLED("\xc6\xfc\xcb\xdc"),
	    "\xe6\x97\xa5\xe6\x9c\xac", "euc-jp" },
	{ "text/xml; charset=gb2312", FEED_TEST_TITLED("\xd6\xd0\xce\xc4"),
	    "\xe4\xb8\xad\xe6\x96\x87", "gb2312" },
};

/* Each row of feed_test_charsets[] gives its one title, in its encoding. */
static void
feed_test_charsets_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof feed_test_charsets / sizeof feed_test_charsets[0]; i++)
		feed_test_check_charset(feed_test_charsets[i].ct, feed_test_charsets[i].xml,
		    feed_test_charsets[i].title, feed_test_charsets[i].enc);
}

/* An encoding nobody knows is read as UTF-8 (repaired where it is not), flagged recovered. */
static void
feed_test_charset_unknown(void **state)
{
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, FEED_TEST_DECL("x-klingon") FEED_TEST_TITLED("Z\xc3\xbcrich \xe9"));
	assert_string_equal(r.c->it[0].title, "Z\xc3\xbcrich \xc3\xa9");
	assert_int_equal(feed_parser_recovered(r.p), 1);
	/* Two reasons: the name, and the byte that was not UTF-8. */
	assert_string_equal(feed_parser_warning(r.p, 0),
	    "bytes that are not UTF-8 read as windows-1252");
	assert_string_equal(feed_parser_warning(r.p, 1),
	    "unknown encoding \"x-klingon\" read as UTF-8");
	feed_test_run_free(&r);
}

/*
 * UTF-8 served as text/xml is read as UTF-8; said outright to be
 * us-ascii and wrong, it is read all the same, but flagged.
 */
static void
feed_test_content_type_us_ascii(void **state)
{
	struct feed_test_run r;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		feed_test_ok_ct(&r, i == 0 ? "text/xml; charset=us-ascii" : "text/xml",
		    FEED_TEST_TITLED("Caf\xc3\xa9"));
		assert_string_equal(r.c->it[0].title, "Caf\xc3\xa9");
		assert_int_equal(feed_parser_recovered(r.p), i == 0);
		feed_test_run_free(&r);
	}
}
/*
 * Full-text extensions of early RSS: an XHTML <body> (with or without its
 * namespace) and escaped HTML in <fullitem> are the content, unless
 * content:encoded gave it.
 */
static void
feed_test_rss_body_fullitem(void **state)
{
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, "<rss version=\"2.0\" "
	    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
	    "<item><guid>a</guid><body xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<p>One <b>two</b></p></body></item>"
	    "<item><guid>b</guid><body><a href=\"/x\">three</a></body></item>"
	    "<item><guid>c</guid><fullitem>&lt;p&gt;four&lt;/p&gt;</fullitem></item>"
	    "<item><guid>d</guid><content:encoded>five</content:encoded>"
	    "<fullitem>six</fullitem></item>"
	    "</channel></rss>");
	assert_int_equal(r.c->n, 4);
	assert_string_equal(r.c->it[0].content, "One two");
	assert_string_equal(r.c->it[1].content, "three");
	assert_string_equal(r.c->it[2].content, "four");
	assert_string_equal(r.c->it[3].content, "five");
	feed_test_run_free(&r);
}

/* Make an RSS 2.0 feed of n items "Item 1".."Item n" into a malloc'ed string. */
static char *
feed_test_make_rss(size_t n)
{
	size_t cap = 200 + n * 120, len, i;
	char *s = malloc(cap);

	assert_non_null(s);
	len = (size_t)snprintf(s, cap, "<rss version=\"2.0\"><channel><title>N</title>\n");
	for (i = 1; i <= n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		    "<item><title>Item %zu</title><guid>id-%zu</guid></item>\n", i, i);
	snprintf(s + len, cap - len, "</channel></rss>\n");
	return s;
}

/* Limits: past max_items the callback is not called, the feed is truncated, not failed. */
static void
feed_test_max_items(void **state)
{
	struct feed_limits lim = { 3, 0, 0 };
	struct feed_test_run r;
	char *xml = feed_test_make_rss(10);

	(void)state;
	feed_test_ok_len(&r, xml, strlen(xml), 0, &lim);
	assert_null(feed_parser_error(r.p));
	assert_int_equal(r.c->calls, 3);
	assert_int_equal(feed_parser_items(r.p), 3);
	assert_int_equal(feed_parser_truncated(r.p), 1);
	assert_string_equal(r.c->it[0].title, "Item 1");
	assert_string_equal(r.c->it[2].title, "Item 3");
	assert_string_equal(feed_parser_info(r.p)->title, "N");
	feed_test_run_free(&r);

	/* The same when streaming byte by byte. */
	feed_test_ok_len(&r, xml, strlen(xml), 1, &lim);
	assert_int_equal(r.c->calls, 3);
	assert_int_equal(feed_parser_truncated(r.p), 1);
	feed_test_run_free(&r);
	free(xml);
	/* Exactly max_items items: nothing dropped, not truncated. */
	xml = feed_test_make_rss(3);
	feed_test_ok_len(&r, xml, strlen(xml), 0, &lim);
	assert_int_equal(r.c->calls, 3);
	assert_int_equal(feed_parser_truncated(r.p), 0);
	feed_test_run_free(&r);
	free(xml);
}

/* Limits: elements nested deeper than max_depth fail the feed with "nested". */
static void
feed_test_max_depth(void **state)
{
	static const char deep[] =
	    "<rss version=\"2.0\"><channel><item><description><a><b><c><d>x"
	    "</d></c></b></a></description></item></channel></rss>";
	struct feed_limits lim = { 0, 0, 8 };
	struct feed_test_run r;
	char *err;

	(void)state;
	/* Depth 8 exactly is allowed... */
	feed_test_ok_len(&r, deep, strlen(deep), 0, &lim);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].summary, "x");
	feed_test_run_free(&r);
	/* ...one more is not. */
	lim.max_depth = 7;
	err = feed_test_fail(deep, &lim);
	assert_non_null(strstr(err, "nested"));
	assert_true(strncmp(err, "line 1, column ", 15) == 0);
	free(err);
	/* The default depth holds against a deep document. */
	{
		static const char head[] = "<rss version=\"2.0\"><channel>";
		static const char tail[] = "</channel></rss>";
		size_t depth = FEED_DEFAULT_MAX_DEPTH + 10, i, len = 0;
		size_t size = sizeof head + depth * 7 + sizeof tail;
		char *xml = malloc(size);

		assert_non_null(xml);
		len += (size_t)snprintf(xml, size, "%s", head);
		for (i = 0; i < depth; i++)
			len += (size_t)snprintf(xml + len, size - len, "<a>");
		for (i = 0; i < depth; i++)
			len += (size_t)snprintf(xml + len, size - len, "</a>");
		snprintf(xml + len, size - len, "%s", tail);
		err = feed_test_fail(xml, NULL);
		assert_non_null(strstr(err, "nested"));
		free(err);
		free(xml);
	}
}

/* Make a feed whose first item has a 1000-byte title; store the title in word. */
static void
feed_test_long_title(char *xml, size_t size, char word[1001])
{
	size_t i;

	for (i = 0; i < 1000; i++)
		word[i] = (char)('a' + i % 26);
	word[1000] = '\0';
	snprintf(xml, size,
	    "<rss version=\"2.0\"><channel><item><title>%s</title><guid>g</guid></item>\n"
	    "<item><title>Short</title><guid>h</guid></item></channel></rss>", word);
}

/* Limits: a field longer than max_text never overflows it, and the rest of the feed is read. */
static void
feed_test_max_text(void **state)
{
	struct feed_limits lim = { 0, 64, 0 };
	struct feed_test_run r;
	char xml[2048], word[1001];
	size_t chunk;

	(void)state;
	feed_test_long_title(xml, sizeof xml, word);
	for (chunk = 0; chunk <= 7; chunk += 7) {
		feed_test_ok_len(&r, xml, strlen(xml), chunk, &lim);
		assert_int_equal(r.c->n, 2);
		assert_string_equal(r.c->it[0].id, "g");
		assert_true(strlen(r.c->it[0].title) <= 64);
		assert_memory_equal(r.c->it[0].title, word, strlen(r.c->it[0].title));
		/* The capture buffer recovers for the next field and item. */
		assert_string_equal(r.c->it[1].title, "Short");
		assert_string_equal(r.c->it[1].id, "h");
		feed_test_run_free(&r);
	}
}

/*
 * Limits: a field longer than max_text is cut to its first max_text bytes,
 * however the input is chunked.
 */
static void
feed_test_max_text_cut(void **state)
{
	struct feed_limits lim = { 0, 64, 0 };
	struct feed_test_run r;
	char xml[2048], word[1001];
	size_t chunk;

	(void)state;
	feed_test_long_title(xml, sizeof xml, word);
	for (chunk = 0; chunk <= 1; chunk++) {
		feed_test_ok_len(&r, xml, strlen(xml), chunk, &lim);
		assert_int_equal(r.c->n, 2);
		assert_int_equal(strlen(r.c->it[0].title), 64);
		assert_memory_equal(r.c->it[0].title, word, 64);
		feed_test_run_free(&r);
	}
}

/* Recover what was read before a feed breaks part-way; say where it broke. */
static void
feed_test_broken_part_way(const char *xml, size_t items, const char *where)
{
	struct feed_test_run r;

	feed_test_ok(&r, xml);
	assert_int_equal(r.c->n, items);
	assert_int_equal(feed_parser_recovered(r.p), 1);
	assert_non_null(strstr(feed_parser_warning(r.p, 0), where));
	assert_string_equal(feed_parser_info(r.p)->title, "T");
	feed_test_run_free(&r);
}


/*
 * XML that breaks after the feed began is read up to the break, flagged
 * recovered with the line; before the root element it fails the feed.
 */
static void
feed_test_not_well_formed(void **state)
{
	char *err;

	(void)state;
	feed_test_broken_part_way("<rss version=\"2.0\">\n<channel>\n<title>T</title>\n"
	    "<item><title>one</title><guid>1</guid></item>\n"
	    "<item><title>a</b></item>\n</channel></rss>\n", 1, "line 5 (mismatched tag)");
	feed_test_broken_part_way("<rss version=\"2.0\">\n<channel><title>T</title>a & b",
	    0, "line 2 (not well-formed (invalid token))");
	/* Cut short: the break is found at the end. */
	feed_test_broken_part_way("<rss version=\"2.0\">\n<channel><title>T</title>\n<item>",
	    0, "line 3");
	err = feed_test_fail("<?xml version=\"1.0\"?>\n<<rss>", NULL);
	assert_true(strncmp(err, "line 2, column ", 15) == 0);
	free(err);
}

/* Errors: a root that is not rss, rdf:RDF or feed fails the feed; so does JSON that is none. */
static void
feed_test_not_a_feed(void **state)
{
	char *err;

	(void)state;
	err = feed_test_fail("<html><head><title>x</title></head><body>hi</body></html>", NULL);
	assert_non_null(strstr(err, "not an RSS or Atom feed"));
	assert_true(strncmp(err, "line 1, column ", 15) == 0);
	free(err);
	/* A JSON Feed's items must be an array; a feed without them has none. */
	err = feed_test_fail("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":7}",
	    NULL);
	assert_non_null(strstr(err, "\"items\" is not an array"));
	free(err);
	err = feed_test_fail("{\"version\":\"1\",\"items\":[]}", NULL);
	assert_non_null(strstr(err, "not a JSON Feed"));
	free(err);
}

/* An Atom feed that forgot its namespace is read as Atom, not flagged. */
static void
feed_test_atom_without_namespace(void **state)
{
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, "<feed><title>T</title><entry><title>x</title><id>i</id>"
	    "<link href=\"http://e.org/x\"/></entry></feed>");
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].link, "http://e.org/x");
	/* Well-formed XML: read as Atom, not "recovered". */
	assert_int_equal(feed_parser_recovered(r.p), 0);
	feed_test_run_free(&r);
}

/* Errors: empty input (or only white space) fails. */
static void
feed_test_empty(void **state)
{
	char *err;

	(void)state;
	err = feed_test_fail("", NULL);
	assert_true(strlen(err) > 0);
	free(err);
	err = feed_test_fail("  \n", NULL);
	assert_true(strlen(err) > 0);
	free(err);
	err = feed_test_fail("<?xml version=\"1.0\"?>\n", NULL);
	assert_true(strlen(err) > 0);
	free(err);
}

/* feed_parse_buffer(): the convenience parse copies the error into errbuf. */
static void
feed_test_parse_buffer(void **state)
{
	struct feed_test_items *c = feed_test_items_new();
	char err[128];

	(void)state;
	assert_int_equal(feed_parse_buffer(feed_test_rss20, strlen(feed_test_rss20), NULL,
	    feed_test_cb, c, err, sizeof err), 0);
	assert_int_equal(c->n, 2);
	feed_test_items_free(c);
	assert_int_equal(feed_parse_buffer("<html/>", 7, NULL, feed_test_cb, c, err, sizeof err),
	    -1);
	assert_string_equal(err, "line 1, column 0: not an RSS or Atom feed");
	assert_int_equal(c->n, 0);
	feed_test_items_del(c);
}

/* An item without guid and link gets "hash:" and 16 hex digits from title and date. */
static void
feed_test_hash_id(void **state)
{
	static const char xml[] =
	    "<rss version=\"2.0\"><channel>\n"
	    "<item><title>No link</title>\n"
	    "<pubDate>Tue, 17 Nov 2026 07:45:00 +0100</pubDate></item>\n"
	    "<item><title>No link</title><pubDate>Tue, 17 Nov 2026 06:45:00 GMT</pubDate></item>\n"
	    "<item><title>No link</title><pubDate>Wed, 18 Nov 2026 06:45:00 GMT</pubDate></item>\n"
	    "<item><title>Other</title><pubDate>Tue, 17 Nov 2026 06:45:00 GMT</pubDate></item>\n"
	    "<item><title>No date</title></item>\n"
	    "</channel></rss>\n";
	struct feed_test_run r, again;
	struct feed_test_items *c;
	size_t i, j;

	(void)state;
	feed_test_ok(&r, xml);
	c = r.c;
	assert_int_equal(c->n, 5);
	for (i = 0; i < c->n; i++) {
		const char *id = c->it[i].id;

		assert_int_equal(strlen(id), 5 + 16);
		assert_true(strncmp(id, "hash:", 5) == 0);
		for (j = 5; j < 21; j++)
			assert_non_null(strchr("0123456789abcdef", id[j]));
	}
	/*
	 * FNV-1a 64 over "No link", a NUL and the date as decimal text
	 * ("1794897900", the same on every byte order): pinned so that an id
	 * never changes between releases (items would be published again).
	 */
	assert_string_equal(c->it[0].id, "hash:ab0651039b9bab38");
	/* Same title, same instant: same id; another date or title: another id. */
	assert_string_equal(c->it[0].id, c->it[1].id);
	assert_string_not_equal(c->it[0].id, c->it[2].id);
	assert_string_not_equal(c->it[1].id, c->it[3].id);
	/* Stable across parses (and chunkings). */
	feed_test_ok_len(&again, xml, strlen(xml), 1, NULL);
	feed_test_assert_same(c, again.c);
	feed_test_run_free(&r);
	feed_test_run_free(&again);
}

/* A callback returning -1 stops the parse: no more items, "stopped". */
static void
feed_test_callback_stops(void **state)
{
	struct feed_test_items *c = feed_test_items_new();
	struct feed_parser *p;
	char *xml = feed_test_make_rss(5);
	int rc;

	(void)state;
	c->stop_at = 2;
	p = feed_test_parse(xml, 0, NULL, c, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(c->calls, 2);
	assert_int_equal(c->n, 1);
	assert_non_null(feed_parser_error(p));
	assert_non_null(strstr(feed_parser_error(p), "stopped"));
	assert_int_equal(feed_parser_finish(p), -1);
	feed_parser_free(p);
	feed_test_items_free(c);
	/* The same when streaming. */
	c->stop_at = 1;
	p = feed_test_parse(xml, 7, NULL, c, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->n, 0);
	assert_non_null(strstr(feed_parser_error(p), "stopped"));
	feed_parser_free(p);
	feed_test_items_del(c);
	free(xml);
}

/* Billion laughs: nested entity expansion in an internal DTD is refused. */
static void
feed_test_billion_laughs(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss [\n"
	    "<!ENTITY lol \"lol\">\n"
	    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n"
	    "<rss version=\"2.0\"><channel><item><title>&lol9;</title><guid>g</guid></item>\n"
	    "</channel></rss>\n";
	struct feed_test_run r;

	(void)state;
	feed_test_run_len(&r, xml, strlen(xml), 0, NULL);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.c->n, 0);
	assert_non_null(feed_parser_error(r.p));
	assert_non_null(strstr(feed_parser_error(r.p), "amplification"));
	feed_test_run_free(&r);
}


/* Read a whole file of the source tree into a malloc'ed buffer. */
static char *
feed_test_read(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0, n;
	char *s, *t;

	assert_non_null(f);
	s = malloc(cap);
	assert_non_null(s);
	while ((n = fread(s + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			t = realloc(s, cap);
			assert_non_null(t);
			s = t;
		}
	}
	assert_int_equal(ferror(f), 0);
	fclose(f);
	*lenp = len;
	return s;
}

/* Check that a sample feed gives n sound items, the same in one chunk or many. */
static void
feed_test_check_sample(const char *path, enum feed_format format, size_t n)
{
	struct feed_test_run r, odd;
	size_t len, i, j;
	char *data = feed_test_read(path, &len);

	feed_test_ok_len(&r, data, len, 0, NULL);
	assert_int_equal(feed_parser_format(r.p), format);
	assert_int_equal(feed_parser_items(r.p), n);
	assert_int_equal(r.c->n, n);
	assert_true(strlen(feed_parser_info(r.p)->title) > 0);
	feed_test_assert_utf8(feed_parser_info(r.p)->title);
	feed_test_assert_utf8(feed_parser_info(r.p)->description);
	for (i = 0; i < r.c->n; i++) {
		struct feed_test_item *t = &r.c->it[i];

		assert_true(strlen(t->title) > 0);
		assert_true(strlen(t->link) > 0);
		assert_true(strlen(t->id) > 0);
		feed_test_assert_utf8(t->id);
		feed_test_assert_utf8(t->title);
		feed_test_assert_utf8(t->link);
		feed_test_assert_utf8(t->author);
		feed_test_assert_utf8(t->author_email);
		feed_test_assert_utf8(t->summary);
		feed_test_assert_utf8(t->content);
		for (j = 0; j < t->ncats; j++)
			feed_test_assert_utf8(t->cats[j]);
	}
	/* An odd chunk size splits multi-byte characters and tags. */
	feed_test_ok_len(&odd, data, len, 13, NULL);
	feed_test_assert_same(r.c, odd.c);
	feed_test_run_free(&r);
	feed_test_run_free(&odd);
	free(data);
}

/* The sample feeds parse: world.rss has 6 items, tech.atom 5, all sound UTF-8. */
static void
feed_test_samples(void **state)
{
	(void)state;
	feed_test_check_sample(ND_SRCDIR "/config/samples/world.rss", FEED_FORMAT_RSS20, 6);
	feed_test_check_sample(ND_SRCDIR "/config/samples/tech.atom", FEED_FORMAT_ATOM10, 5);
}

/* A root in a namespace of its own (RSS 2.0 with xmlns, a pre-1.0 Atom draft) is read by its local names. */
static void
feed_test_root_own_namespace(void **state)
{
	static const char rss[] =
	    "<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\"><channel>"
	    "<title>Own ns</title><item><title>One</title><guid>g1</guid></item></channel></rss>";
	static const char atom[] =
	    "<feed xmlns=\"http://example.com/necho\"><title>Draft</title>"
	    "<entry><title>Two</title><id>e2</id></entry></feed>";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, rss);
	assert_string_equal(feed_parser_info(r.p)->title, "Own ns");
	assert_int_equal(feed_parser_format(r.p), FEED_FORMAT_RSS20);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].title, "One");
	feed_test_run_free(&r);
	feed_test_ok(&r, atom);
	assert_string_equal(feed_parser_info(r.p)->title, "Draft");
	assert_int_equal(feed_parser_format(r.p), FEED_FORMAT_ATOM03);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].id, "e2");
	feed_test_run_free(&r);
}

/* Atom content in base64 (mode="base64", or a non-text type) is decoded, then read by its type. */
static void
feed_test_atom_base64(void **state)
{
	static const char xml[] =
	    "<feed xmlns=\"http://purl.org/atom/ns#\"><entry><id>x</id>"
	    "<summary type=\"text/html\" mode=\"base64\">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</summary>"
	    "<content type=\"application/octet-stream\">SGVsbG8u</content></entry></feed>";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].summary, "Example Atom");
	assert_string_equal(r.c->it[0].content, "Hello.");
	feed_test_run_free(&r);
}

/* Parse xml (len bytes) in chunks of chunk; return recovered, check the first title. */
static int
feed_test_recovered(const char *xml, size_t len, size_t chunk, const char *title)
{
	struct feed_test_run r;
	int rec;

	feed_test_ok_len(&r, xml, len, chunk, NULL);
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].title, title);
	feed_test_assert_utf8(r.c->it[0].title);
	rec = feed_parser_recovered(r.p);
	if (rec)
		assert_non_null(feed_parser_warning(r.p, 0));
	feed_test_run_free(&r);
	return rec;
}

/* Not well-formed input a reader can still read is read, flagged recovered with a reason. */
static void
feed_test_recovery(void **state)
{
	static const char junk[] = "garbage\n  <?xml version=\"1.0\"?><rss version=\"2.0\">"
	    "<channel><item><title>A</title><guid>1</guid></item></channel></rss>";
	static const char latin1[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	    "<item><title>Caf\xe9 \x93ol\xe9\x94</title><guid>1</guid></item></channel></rss>";
	static const char ctrl[] = "<rss version=\"2.0\"><channel><item><title>a\x01" "b\x0c"
	    "c</title><guid>1</guid></item></channel></rss>";
	static const char ent[] = "<rss version=\"2.0\"><channel><item><title>x&nbsp;y</title>"
	    "<guid>1</guid></item></channel></rss>";
	static const char dtd[] = "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS "
	    "0.91//EN\" \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">"
	    "<rss version=\"0.91\"><channel><item><title>x&nbsp;y</title><link>http://e.org/"
	    "</link></item></channel></rss>";
	static const char fine[] = "\xEF\xBB\xBF<?xml version=\"1.0\"?><rss version=\"2.0\">"
	    "<channel><item><title>Z\xc3\xbcrich</title><guid>1</guid></item></channel></rss>";
	size_t chunk;

	(void)state;
	for (chunk = 0; chunk <= 3; chunk++) {
		assert_int_equal(feed_test_recovered(junk, sizeof junk - 1, chunk, "A"), 1);
		/* é split from its neighbours at every chunk size: never a wrong join. */
		assert_int_equal(feed_test_recovered(latin1, sizeof latin1 - 1, chunk,
		    "Caf\xc3\xa9 \xe2\x80\x9col\xc3\xa9\xe2\x80\x9d"), 1);
		assert_int_equal(feed_test_recovered(ctrl, sizeof ctrl - 1, chunk, "a b c"), 1);
		assert_int_equal(feed_test_recovered(ent, sizeof ent - 1, chunk, "x y"), 1);
		assert_int_equal(feed_test_recovered(dtd, sizeof dtd - 1, chunk, "x y"), 0);
		assert_int_equal(feed_test_recovered(fine, sizeof fine - 1, chunk, "Z\xc3\xbcrich"), 0);
	}
}

/*
 * Characters cut by a chunk's end are finished with the next chunk: 2-, 3-
 * and 4-byte characters, stray and cut sequences, overlong forms and
 * surrogates read the same at every chunk size as in one piece.
 */
static void
feed_test_utf8_any_chunking(void **state)
{
	static const char *const titles[] = {
		"Z\xc3\xbcrich \xe2\x82\xac" "5 \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87",
		"cut \xe2\x82 here, stray \x80\xbf, overlong \xc0\xaf, surrogate \xed\xa0\x80",
		"4-byte cut \xf0\x9f\x98 then \xf4\x90\x80\x80 past U+10FFFF \xc3",
	};
	char xml[512], want[512];
	struct feed_test_run r;
	size_t i, chunk, len;
	int rec;

	(void)state;
	for (i = 0; i < sizeof titles / sizeof titles[0]; i++) {
		len = (size_t)snprintf(xml, sizeof xml, "<rss version=\"2.0\"><channel><item>"
		    "<title>%s</title><guid>1</guid></item></channel></rss>", titles[i]);
		feed_test_ok_len(&r, xml, len, 0, NULL);
		assert_int_equal(r.c->n, 1);
		feed_test_assert_utf8(r.c->it[0].title);
		snprintf(want, sizeof want, "%s", r.c->it[0].title);
		rec = feed_parser_recovered(r.p);
		/* Only the first title is all valid UTF-8. */
		assert_int_equal(rec, i > 0);
		feed_test_run_free(&r);
		for (chunk = 1; chunk <= 40; chunk++)
			assert_int_equal(feed_test_recovered(xml, len, chunk, want), rec);
	}
}

/* Author lines in every form feeds use split into name and e-mail; dc:date is an update. */
static void
feed_test_author_forms(void **state)
{
	static const char xml[] =
	    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
	    "<item><guid>1</guid><author>Jane Doe (jane@example.org)</author></item>"
	    "<item><guid>2</guid><author>jane@example.org (Jane Doe)</author></item>"
	    "<item><guid>3</guid><dc:creator>Jane Doe &lt;mailto:jane@example.org&gt;</dc:creator></item>"
	    "<item><guid>4</guid><author>jane@example.org</author></item>"
	    "<item><guid>5</guid><dc:creator>Jane Doe</dc:creator>"
	    "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate>"
	    "<dc:date>2010-01-01T19:48:21Z</dc:date></item>"
	    "</channel></rss>";
	size_t i;
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_int_equal(r.c->n, 5);
	for (i = 0; i < 3; i++) {
		assert_string_equal(r.c->it[i].author, "Jane Doe");
		assert_string_equal(r.c->it[i].author_email, "jane@example.org");
	}
	assert_string_equal(r.c->it[3].author, "");
	assert_string_equal(r.c->it[3].author_email, "jane@example.org");
	assert_string_equal(r.c->it[4].author, "Jane Doe");
	assert_string_equal(r.c->it[4].author_email, "");
	/* pubDate is the publication; dc:date then only updates. */
	assert_true(r.c->it[4].published == 1072986501);
	assert_true(r.c->it[4].updated == 1262375301);
	feed_test_run_free(&r);
}

/* Relative links resolve against xml:base where one is in force, else the document's URL. */
static void
feed_test_relative_links(void **state)
{
	static const char xml[] =
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://e.org/news/\">"
	    "<link href=\"index.html\"/>"
	    "<entry><id>1</id><link href=\"2026/a.html\"/></entry>"
	    "<entry xml:base=\"/other/\"><id>2</id><link href=\"b.html\"/></entry>"
	    "<entry><id>3</id><link href=\"https://x.example/c\"/></entry></feed>";
	static const char rss[] = "<rss version=\"2.0\"><channel><item><guid>1</guid>"
	    "<link>/a/b.html</link></item></channel></rss>";
	struct feed_test_items *c = feed_test_items_new();
	struct feed_parser *p;

	(void)state;
	p = feed_parser_new(NULL, NULL, feed_test_cb, c);
	assert_int_equal(feed_parser_write(p, xml, strlen(xml)), 0);
	assert_int_equal(feed_parser_finish(p), 0);
	assert_string_equal(feed_parser_info(p)->link, "http://e.org/news/index.html");
	assert_string_equal(c->it[0].link, "http://e.org/news/2026/a.html");
	assert_string_equal(c->it[1].link, "http://e.org/other/b.html");
	assert_string_equal(c->it[2].link, "https://x.example/c");
	feed_parser_free(p);
	feed_test_items_free(c);
	p = feed_parser_new(NULL, NULL, feed_test_cb, c);
	assert_int_equal(feed_parser_set_url(p, "https://site.example/feeds/rss.xml"), 0);
	assert_int_equal(feed_parser_write(p, rss, strlen(rss)), 0);
	assert_int_equal(feed_parser_finish(p), 0);
	assert_string_equal(c->it[0].link, "https://site.example/a/b.html");
	feed_parser_free(p);
	feed_test_items_del(c);
}

/* An unknown entity stays as written; "&#X41;" is read; text/plain is flagged. */
static void
feed_test_recovery_more(void **state)
{
	static const char unknown[] = "<rss version=\"2.0\"><channel><item><title>a &nope; b"
	    "</title><guid>1</guid></item></channel></rss>";
	static const char hex[] = "<rss version=\"2.0\"><channel><item><title>&#X41;&#x42;"
	    "</title><guid>1</guid></item></channel></rss>";
	struct feed_test_run r;

	(void)state;
	assert_int_equal(feed_test_recovered(unknown, sizeof unknown - 1, 0, "a &nope; b"), 1);
	assert_int_equal(feed_test_recovered(hex, sizeof hex - 1, 0, "AB"), 1);
	feed_test_ok_ct(&r, "text/plain; charset=utf-8", unknown);
	assert_string_equal(feed_parser_warning(r.p, 0), "served as a non-XML media type");
	feed_test_run_free(&r);
}

/* dcterms dates, iTunes and Media RSS fallbacks (keywords as categories), a permalink guid as the link. */
static void
feed_test_modules(void **state)
{
	static const char xml[] =
	    "<rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
	    "xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>T</title>"
	    "<itunes:subtitle>Sub</itunes:subtitle>"
	    "<itunes:category text=\"Technology\"><itunes:category text=\"Gadgets\"/>"
	    "</itunes:category><itunes:keywords>tech, gadgets ,Gadgets</itunes:keywords>"
	    "<item><guid>http://e.org/1</guid><dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued>"
	    "<dcterms:modified>2004-01-01T00:00:00Z</dcterms:modified>"
	    "<itunes:author>Ana</itunes:author>"
	    "<media:group><media:description>Group text.</media:description></media:group></item>"
	    "<item><guid isPermaLink=\"false\">http://e.org/2</guid><media:title>MT</media:title>"
	    "</item></channel></rss>";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_string_equal(feed_parser_info(r.p)->description, "Sub");
	assert_int_equal(feed_parser_info(r.p)->ncategories, 3);
	assert_string_equal(feed_parser_info(r.p)->categories[1], "Gadgets");
	assert_string_equal(feed_parser_info(r.p)->categories[2], "tech");
	assert_true(r.c->it[0].published == 1072865695);
	assert_true(r.c->it[0].updated == 1072915200);
	assert_string_equal(r.c->it[0].author, "Ana");
	assert_string_equal(r.c->it[0].summary, "Group text.");
	assert_string_equal(r.c->it[0].link, "http://e.org/1");
	assert_string_equal(r.c->it[1].link, "");
	assert_string_equal(r.c->it[1].title, "MT");
	feed_test_run_free(&r);
}

/* CDF: HREF is the link, LASTMOD the update, TITLE and ABSTRACT the text. */
static void
feed_test_cdf(void **state)
{
	static const char xml[] = "<CHANNEL HREF=\"http://e.org/\"><TITLE>Chan</TITLE>"
	    "<ABSTRACT>About.</ABSTRACT><ITEM HREF=\"http://e.org/1\" "
	    "LASTMOD=\"2004-04-06T23:05:43-05:00\"><TITLE>One</TITLE><ABSTRACT>First.</ABSTRACT>"
	    "</ITEM></CHANNEL>";
	struct feed_test_run r;

	(void)state;
	feed_test_ok(&r, xml);
	assert_int_equal(feed_parser_format(r.p), FEED_FORMAT_CDF);
	assert_string_equal(feed_parser_info(r.p)->title, "Chan");
	assert_string_equal(feed_parser_info(r.p)->link, "http://e.org/");
	assert_string_equal(feed_parser_info(r.p)->description, "About.");
	assert_int_equal(r.c->n, 1);
	assert_string_equal(r.c->it[0].title, "One");
	assert_string_equal(r.c->it[0].link, "http://e.org/1");
	assert_string_equal(r.c->it[0].summary, "First.");
	assert_true(r.c->it[0].updated == 1081310743);
	feed_test_run_free(&r);
}

#define FEED_TEST_RSS_LANG(chan) \
	"<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>" chan \
	"<item><guid>1</guid></item><item><guid>2</guid></item></channel></rss>"
#define FEED_TEST_ATOM_LANG(attrs, body) \
	"<feed xmlns=\"http://www.w3.org/2005/Atom\" " attrs "><title>A</title>" body \
	"<entry><id>1</id></entry></feed>"
#define FEED_TEST_JSON_LANG(members) \
	"{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\"," members "}"

/* A feed and the language it declares ("": none). */
static const struct {
	const char *doc, *lang;
} feed_test_languages[] = {
	/* RSS 0.9x and 2.0: <language> or <dc:language> in the channel. */
	{ "<rss version=\"0.91\"><channel><language>de</language><item><title>x</title>"
	    "</item></channel></rss>", "de" },
	{ FEED_TEST_RSS_LANG("<dc:language>sv</dc:language>"), "sv" },
	/* xml:lang on the RSS root or channel. */
	{ "<rss version=\"2.0\" xml:lang=\"da\"><channel><item><guid>1</guid></item>"
	    "</channel></rss>", "da" },
	{ "<rss version=\"2.0\"><channel xml:lang=\"fi\"><item><guid>1</guid></item>"
	    "</channel></rss>", "fi" },
	/* The first code declared wins; what is no code does not count. */
	{ FEED_TEST_RSS_LANG("<language>de</language><dc:language>en</dc:language>"), "de" },
	{ FEED_TEST_RSS_LANG("<language>English</language><dc:language>en</dc:language>"),
	    "en" },
	{ "<rss version=\"2.0\"><channel xml:lang=\"fi\"><language>de</language><item>"
	    "<guid>1</guid></item></channel></rss>", "fi" },
	/* Not the channel's: nested deeper, or in an item only. */
	{ FEED_TEST_RSS_LANG("<image><language>fr</language></image>"), "" },
	{ "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item>"
	    "<guid>1</guid><language>fr</language><dc:language>fr</dc:language></item>"
	    "</channel></rss>", "" },
	/* A "lang" attribute outside the XML namespace is not xml:lang. */
	{ "<rss version=\"2.0\" lang=\"fr\"><channel><item><guid>1</guid></item>"
	    "</channel></rss>", "" },
	{ FEED_TEST_ATOM_LANG("xmlns:x=\"urn:x\" x:lang=\"fr\"", ""), "" },
	/* Atom: xml:lang on <feed>, or a dc:language child; not an entry's. */
	{ FEED_TEST_ATOM_LANG("xml:lang=\"en-US\"", ""), "en-US" },
	{ "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\" xml:lang=\"ja\">"
	    "<title>A</title><entry><id>1</id></entry></feed>", "ja" },
	{ FEED_TEST_ATOM_LANG("xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
	    "<dc:language>es</dc:language>"), "es" },
	{ FEED_TEST_ATOM_LANG("", "<entry xml:lang=\"fr\"><id>0</id></entry>"), "" },
	{ FEED_TEST_ATOM_LANG("xml:lang=\"\"", ""), "" },
	{ FEED_TEST_ATOM_LANG("xml:lang=\"English\"", ""), "" },
	/* JSON Feed: the top-level "language", wherever it is in the text; not an item's. */
	{ FEED_TEST_JSON_LANG("\"language\":\"en-US\",\"items\":[{\"id\":\"1\"}]"), "en-US" },
	{ FEED_TEST_JSON_LANG("\"items\":[{\"id\":\"1\"}],\"language\":\" nl \""), "nl" },
	{ FEED_TEST_JSON_LANG("\"items\":[{\"id\":\"1\",\"language\":\"fr\"}]"), "" },
	{ FEED_TEST_JSON_LANG("\"language\":\"English\",\"items\":[{\"id\":\"1\"}]"), "" },
	{ FEED_TEST_JSON_LANG("\"language\":7,\"items\":[{\"id\":\"1\"}]"), "" },
	/* None declared. */
	{ FEED_TEST_RSS_LANG(""), "" },
};

/*
 * What an RSS <language> holds, and the code taken from it: trimmed,
 * case and '_' kept, entities and CDATA read, at most 15 bytes.
 */
static const struct {
	const char *text, *lang;
} feed_test_language_codes[] = {
	{ "\n\tpt_BR \n", "pt_BR" }, { "EN-us", "EN-us" }, { "zh-Hant-TW", "zh-Hant-TW" },
	{ "&#x65;n", "en" }, { "<![CDATA[ it ]]>", "it" }, { "en-US-x-abcdefg", "en-US-x-abcdefg" },
};

/* What an RSS <language> holds that is no code: a word, empty, misplaced letters, too long. */
static const char *const feed_test_not_codes[] = {
	"English", "", "  ", "en us", "e", "en-", "-en", "en--us", "1en", "fr;", "d\xc3\xa9",
	"en-abcdefghi", "en-US-x-abcdefgh",
};

/* Parse doc whole and in 1-byte chunks: it declares want, seen by every item. */
static void
feed_test_check_language(const char *doc, const char *want)
{
	struct feed_test_run r;
	size_t chunk;

	for (chunk = 0; chunk <= 1; chunk++) {
		feed_test_ok_len(&r, doc, strlen(doc), chunk, NULL);
		assert_true(r.c->n > 0);
		feed_test_assert_language(&r, want);
		feed_test_run_free(&r);
	}
}

/* Check that an RSS channel whose <language> holds text declares want. */
static void
feed_test_check_rss_language(const char *text, const char *want)
{
	char doc[512];

	snprintf(doc, sizeof doc, FEED_TEST_RSS_LANG("<language>%s</language>"), text);
	feed_test_check_language(doc, want);
}

/*
 * Each row of feed_test_languages[] declares its language, each of
 * feed_test_language_codes[] its code, each of feed_test_not_codes[] none.
 */
static void
feed_test_languages_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof feed_test_languages / sizeof feed_test_languages[0]; i++)
		feed_test_check_language(feed_test_languages[i].doc, feed_test_languages[i].lang);
	for (i = 0; i < sizeof feed_test_language_codes / sizeof feed_test_language_codes[0];
	    i++)
		feed_test_check_rss_language(feed_test_language_codes[i].text,
		    feed_test_language_codes[i].lang);
	for (i = 0; i < sizeof feed_test_not_codes / sizeof feed_test_not_codes[0]; i++)
		feed_test_check_rss_language(feed_test_not_codes[i], "");
}

/*
 * A language declared after an item (RSS, Atom) is seen from the next
 * item on, and in the info at the end.
 */
static void
feed_test_language_late(void **state)
{
	static const char *const docs[] = {
	    "<rss version=\"2.0\"><channel><item><guid>1</guid></item><language>de</language>"
	    "<item><guid>2</guid></item></channel></rss>",
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><entry><id>1</id></entry>"
	    "<dc:language>de</dc:language><entry><id>2</id></entry></feed>",
	};
	struct feed_test_run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		feed_test_ok(&r, docs[i]);
		assert_int_equal(r.c->n, 2);
		assert_string_equal(r.c->it[0].language, "");
		assert_string_equal(r.c->it[1].language, "de");
		assert_string_equal(feed_parser_info(r.p)->language, "de");
		feed_test_run_free(&r);
	}
}

/* Widen ASCII text s into out as UTF-16 or UTF-32 (width 2 or 4), big- or little-endian. */
static size_t
feed_test_widen(const char *s, int width, int big, char *out)
{
	size_t n = 0;
	int k;

	for (; *s != '\0'; s++)
		for (k = 0; k < width; k++)
			out[n++] = (char)((big ? k == width - 1 : k == 0) ? *s : 0);
	return n;
}

/* UTF-16 without a byte order mark (any declared name) and UTF-32 are read. */
static void
feed_test_wide(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\" encoding=\"u16\"?><rss version=\"2.0\">"
	    "<channel><item><title>Wide</title><guid>1</guid></item></channel></rss>";
	static const struct { int width, big; const char *enc; } forms[] = {
		{ 2, 1, "UTF-16BE" }, { 2, 0, "UTF-16LE" }, { 4, 0, "utf-32le" }, { 4, 1, "utf-32be" },
	};
	char buf[sizeof doc * 4];
	size_t i, n, chunk;

	(void)state;
	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		n = feed_test_widen(doc, forms[i].width, forms[i].big, buf);
		for (chunk = 0; chunk <= 7; chunk += 7) {
			struct feed_test_run r;

			feed_test_ok_len(&r, buf, n, chunk, NULL);
			assert_int_equal(r.c->n, 1);
			assert_string_equal(r.c->it[0].title, "Wide");
			assert_string_equal(feed_parser_encoding(r.p), forms[i].enc);
			feed_test_run_free(&r);
		}

	}
}

/* A test of the run its setup parsed from the document feed_test_<doc>. */
#define FEED_TEST_ON(test, doc) \
	cmocka_unit_test_setup_teardown(test, feed_test_setup_##doc, feed_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(feed_test_wide),
		cmocka_unit_test(feed_test_languages_table),
		cmocka_unit_test(feed_test_language_late),
		cmocka_unit_test(feed_test_utf8_any_chunking),
		cmocka_unit_test(feed_test_cdf),
		cmocka_unit_test(feed_test_modules),
		cmocka_unit_test(feed_test_recovery_more),
		cmocka_unit_test(feed_test_relative_links),
		cmocka_unit_test(feed_test_atom_without_namespace),
		cmocka_unit_test(feed_test_author_forms),
		cmocka_unit_test(feed_test_recovery),
		cmocka_unit_test(feed_test_root_own_namespace),
		cmocka_unit_test(feed_test_atom_base64),
		FEED_TEST_ON(feed_test_rss20_item, rss20),
		FEED_TEST_ON(feed_test_rss20_author_split, rss20),
		FEED_TEST_ON(feed_test_rss20_categories, rss20),
		FEED_TEST_ON(feed_test_rss20_description, rss20),
		FEED_TEST_ON(feed_test_rss20_content_encoded, rss20),
		FEED_TEST_ON(feed_test_rss20_dc_creator, rss20),
		FEED_TEST_ON(feed_test_rss20_channel_info, rss20),
		FEED_TEST_ON(feed_test_rss20_language, rss20),
		FEED_TEST_ON(feed_test_atom_link_alternate, atom),
		FEED_TEST_ON(feed_test_atom_id_dates, atom),
		FEED_TEST_ON(feed_test_atom_author, atom),
		FEED_TEST_ON(feed_test_atom_category_label, atom),
		FEED_TEST_ON(feed_test_atom_title_html, atom),
		FEED_TEST_ON(feed_test_atom_content_xhtml, atom),
		FEED_TEST_ON(feed_test_atom_summary_text, atom),
		FEED_TEST_ON(feed_test_atom_language, atom),
		FEED_TEST_ON(feed_test_rss10_items, rss10),
		FEED_TEST_ON(feed_test_rss10_language, rss10),
		cmocka_unit_test(feed_test_rss10_explicit_id_wins),
		cmocka_unit_test(feed_test_streaming_bytes),
		cmocka_unit_test(feed_test_undeclared_entities),
		cmocka_unit_test(feed_test_charsets_table),
		cmocka_unit_test(feed_test_charset_unknown),
		cmocka_unit_test(feed_test_content_type_us_ascii),
		cmocka_unit_test(feed_test_rss_body_fullitem),
		cmocka_unit_test(feed_test_max_items),
		cmocka_unit_test(feed_test_max_depth),
		cmocka_unit_test(feed_test_max_text),
		cmocka_unit_test(feed_test_max_text_cut),
		cmocka_unit_test(feed_test_not_well_formed),
		cmocka_unit_test(feed_test_not_a_feed),
		cmocka_unit_test(feed_test_empty),
		cmocka_unit_test(feed_test_parse_buffer),
		cmocka_unit_test(feed_test_hash_id),
		cmocka_unit_test(feed_test_callback_stops),
		cmocka_unit_test(feed_test_billion_laughs),
		cmocka_unit_test(feed_test_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
