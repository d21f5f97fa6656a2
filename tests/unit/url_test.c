/* url: relative links made absolute, RFC 3986 §5.4 and the forms feeds use. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "newsdigest/url.h"

/* Assert that ref resolved against base gives want. */
static void
url_test_one(const char *base, const char *ref, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(url_resolve(&b, base, ref, strlen(ref)), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* The normal examples of RFC 3986 §5.4.1. */
static void
url_test_rfc3986_normal(void **state)
{
	static const char *const cases[][2] = {
		{ "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" },
		{ "g?y#s", "http://a/b/c/g?y#s" }, { ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" }, { "", "http://a/b/c/d;p?q" },
		{ ".", "http://a/b/c/" }, { "./", "http://a/b/c/" }, { "..", "http://a/b/" },
		{ "../", "http://a/b/" }, { "../g", "http://a/b/g" }, { "../..", "http://a/" },
		{ "../../", "http://a/" }, { "../../g", "http://a/g" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		url_test_one("http://a/b/c/d;p?q", cases[i][0], cases[i][1]);
}

/* Feeds: links relative to the feed URL or xml:base; no base leaves them as they are. */
static void
url_test_feed_forms(void **state)
{
	(void)state;
	url_test_one("https://news.example.org/world/rss.xml", "/2026/11/a.html",
	    "https://news.example.org/2026/11/a.html");
	url_test_one("https://news.example.org/world/rss.xml", "a.html",
	    "https://news.example.org/world/a.html");
	url_test_one("https://news.example.org", "a.html", "https://news.example.org/a.html");
	url_test_one("https://news.example.org/x", "../../../up", "https://news.example.org/up");
	url_test_one(NULL, "/relative/uri", "/relative/uri");
	url_test_one("", "a", "a");
	url_test_one("not a url", "a", "a");
	url_test_one("https://e.org/", "HTTP://Other.example/x", "HTTP://Other.example/x");
}

/* url_scheme_len: a scheme is a letter, then letters, digits, + - . up to ':'. */
static void
url_test_scheme(void **state)
{
	(void)state;
	assert_int_equal(url_scheme_len("http://x", 8), 5);
	assert_int_equal(url_scheme_len("svn+ssh:x", 9), 8);
	assert_int_equal(url_scheme_len("/x:y", 4), 0);
	assert_int_equal(url_scheme_len("1ab:x", 5), 0);
	assert_int_equal(url_scheme_len("abc", 3), 0);
}

/* Assert the base of a document from url with a Content-Location cloc. */
static void
url_test_base_one(const char *url, const char *cloc, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(url_document_base(&b, url, cloc), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* A document's base: its Content-Location when that is a web URL, else its URL. */
static void
url_test_document_base(void **state)
{
	(void)state;
	url_test_base_one("http://e.org/feeds/a.xml", NULL, "http://e.org/feeds/a.xml");
	url_test_base_one("http://e.org/feeds/a.xml", "", "http://e.org/feeds/a.xml");
	url_test_base_one("http://e.org/feeds/a.xml", "http://cdn.e.org/x/", "http://cdn.e.org/x/");
	url_test_base_one("http://e.org/feeds/a.xml", "b/c.xml", "http://e.org/feeds/b/c.xml");
	url_test_base_one("https://e.org/a", "HTTPS://E.org/z", "HTTPS://E.org/z");
	/* Not a web URL: ignored. */
	url_test_base_one("http://e.org/a.xml", "javascript:alert(1)", "http://e.org/a.xml");
	url_test_base_one("http://e.org/a.xml", "data:,x", "http://e.org/a.xml");
	/* A relative one with no URL to resolve it against: no base. */
	url_test_base_one(NULL, "/x", "");
	url_test_base_one(NULL, "http://e.org/", "http://e.org/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_test_rfc3986_normal),
		cmocka_unit_test(url_test_feed_forms),
		cmocka_unit_test(url_test_scheme),
		cmocka_unit_test(url_test_document_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
