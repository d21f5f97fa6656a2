/*
 * config_reload_test — unit tests for what a reload (SIGHUP) may change:
 * config_feed_equal(), config_mqtt_equal(), config_mqtt_files_hash(),
 * config_profiles_fit(), config_profiles_equal() and config_restart_needed()
 * in daemon/config.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsdigest/config.h"

static const char reload_base[] =
    "[daemon]\n"
    "state_dir = /srv/nd\n"
    "[mqtt]\n"
    "host = broker.local\n"
    "[profile default]\n"
    "[profile lcd]\n"
    "headline_chars = 32\n"
    "[feed a]\n"
    "url = http://example.org/a.rss\n"
    "[feed b]\n"
    "url = http://example.org/b.rss\n"
    "interval = 5m\n";

/* Parse text into cfg; fail the test on any error. */
static void
reload_parse(struct config *cfg, const char *text)
{
	struct buf errors;

	buf_init(&errors, 0);
	if (config_parse(cfg, "r.conf", text, strlen(text), &errors) != 0)
		fail_msg("config errors: %s", buf_str(&errors));
	buf_free(&errors);
}

/* Return what config_restart_needed() says of base against text; *n gets its count. */
static char *
reload_diff(const char *text, int *n)
{
	struct config cur, next;
	struct buf why;
	char *out;

	reload_parse(&cur, reload_base);
	reload_parse(&next, text);
	buf_init(&why, 0);
	*n = config_restart_needed(&cur, &next, &why);
	out = strdup(buf_str(&why));
	buf_free(&why);
	config_free(&cur);
	config_free(&next);
	return out;
}

/* Assert that text, against the base config, needs a restart for exactly want. */
static void
reload_assert(const char *text, int count, const char *want)
{
	char *got;
	int n;

	got = reload_diff(text, &n);
	assert_string_equal(got, want);
	assert_int_equal(n, count);
	free(got);
}

/* The same file twice: nothing to restart for, every feed equal to itself. */
static void
reload_test_same(void **state)
{
	struct config a, b;
	size_t i;

	(void)state;
	reload_assert(reload_base, 0, "");
	reload_parse(&a, reload_base);
	reload_parse(&b, reload_base);
	for (i = 0; i < a.nfeeds; i++)
		assert_true(config_feed_equal(&a.feeds[i], &b.feeds[i]));
	assert_false(config_feed_equal(&a.feeds[0], &a.feeds[1]));
	config_free(&a);
	config_free(&b);
}

/* Each feed key counts as a change of the feed; its name and line do not. */
static void
reload_test_feed_equal(void **state)
{
	static const char *const changed[] = {
		"[feed a]\nurl = http://example.org/other.rss\n",
		"[feed a]\nurl = http://example.org/a.rss\ninterval = 16m\n",
		"[feed a]\nurl = http://example.org/a.rss\nlanguage = de\n",
		"[feed a]\nurl = http://example.org/a.rss\nbacklog = all\n",
	};
	struct config a, b;
	size_t i;

	(void)state;
	reload_parse(&a, "[feed a]\nurl = http://example.org/a.rss\n");
	reload_parse(&b, "\n\n[feed renamed]\nurl = http://example.org/a.rss\ninterval = 15m\n"
	    "language = auto\nbacklog = 10\n");
	assert_true(config_feed_equal(&a.feeds[0], &b.feeds[0]));
	config_free(&b);
	for (i = 0; i < sizeof changed / sizeof changed[0]; i++) {
		reload_parse(&b, changed[i]);
		if (config_feed_equal(&a.feeds[0], &b.feeds[0]))
			fail_msg("not seen as a change: %s", changed[i]);
		config_free(&b);
	}
	config_free(&a);
}

/* Feeds added, removed, changed and the [daemon] keys a daemon takes over: no restart. */
static void
reload_test_in_place(void **state)
{
	(void)state;
	reload_assert(
	    "[daemon]\n"
	    "state_dir = /srv/nd\n"
	    "log_level = debug\n"
	    "max_parallel_fetches = 9\n"
	    "stats_interval = 5s\n"
	    "max_feed_size = 1M\n"
	    "fetch_timeout = 10s\n"
	    "max_items = 20\n"
	    "[mqtt]\n"
	    "host = broker.local\n"
	    "[profile default]\n"
	    "[profile lcd]\n"
	    "headline_chars = 32\n"
	    "[feed b]\n"
	    "url = http://example.org/b2.rss\n"
	    "[feed c]\n"
	    "url = http://example.org/c.rss\n", 0, "");
}

/* state_dir and seen_per_feed: each key that differs is named; [mqtt] is taken over. */
static void
reload_test_mqtt_and_daemon(void **state)
{
	(void)state;
	reload_assert(
	    "[daemon]\n"
	    "state_dir = /srv/other\n"
	    "seen_per_feed = 50\n"
	    "[mqtt]\n"
	    "host = broker.local\n"
	    "port = 1884\n"
	    "topic_prefix = wall\n"
	    "username = bob\n"
	    "[profile default]\n"
	    "[profile lcd]\n"
	    "headline_chars = 32\n"
	    "[feed a]\n"
	    "url = http://example.org/a.rss\n", 2,
	    "[daemon] state_dir, seen_per_feed\n");
}

/* [mqtt] alike or not, key by key; and what the files it names hold. */
static void
reload_test_mqtt(void **state)
{
	char dir[] = "/tmp/nd-reload-XXXXXX", pw[64], text[256];
	struct config a, b;
	uint64_t h1, h2;
	FILE *fp;

	(void)state;
	reload_parse(&a, reload_base);
	reload_parse(&b, reload_base);
	assert_true(config_mqtt_equal(&a, &b));
	config_free(&b);
	reload_parse(&b, "[daemon]\nstate_dir = /srv/nd\n[mqtt]\nhost = broker.local\n"
	    "keepalive = 30s\n[feed a]\nurl = http://example.org/a.rss\n");
	assert_false(config_mqtt_equal(&a, &b));
	config_free(&a);
	config_free(&b);

	assert_non_null(mkdtemp(dir));
	snprintf(pw, sizeof pw, "%s/pw", dir);
	snprintf(text, sizeof text, "[mqtt]\nhost = h\nusername = u\npassword_file = %s\n"
	    "[feed a]\nurl = http://example.org/a.rss\n", pw);
	reload_parse(&a, text);
	h1 = config_mqtt_files_hash(&a);
	assert_non_null(fp = fopen(pw, "w"));
	fputs("old secret\n", fp);
	fclose(fp);
	h2 = config_mqtt_files_hash(&a);
	assert_true(h1 != h2);				/* missing, then there */
	assert_true(h2 == config_mqtt_files_hash(&a));	/* the same content */
	assert_non_null(fp = fopen(pw, "w"));
	fputs("new secret\n", fp);
	fclose(fp);
	assert_true(h2 != config_mqtt_files_hash(&a));	/* rewritten in place */
	config_free(&a);
	unlink(pw);
	rmdir(dir);
}

/*
 * Profiles never need a restart: whether a feed's state still fits them
 * (the same names in order, the same largest latest count) and whether
 * they are the same key by key.
 */
static void
reload_test_profiles(void **state)
{
	static const struct {
		const char *profiles;
		int fit, equal;
	} cases[] = {
		{ "[profile default]\n[profile lcd]\nheadline_chars = 32\n", 1, 1 },
		{ "[profile default]\nascii = yes\nexpiry = 0\n[profile lcd]\n"
		  "headline_chars = 32\n", 1, 0 },
		{ "[profile default]\n[profile lcd]\nheadline_chars = 32\nlatest = 3\n", 1, 0 },
		{ "[profile default]\nlatest = 20\n[profile lcd]\nheadline_chars = 32\n", 0, 0 },
		{ "[profile default]\n[profile epaper]\n", 0, 0 },
		{ "[profile lcd]\nheadline_chars = 32\n[profile default]\n", 0, 0 },
		{ "[profile default]\n", 0, 0 },
	};
	struct config cur, next;
	char text[512];
	size_t i;
	int n;

	(void)state;
	reload_parse(&cur, reload_base);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "[daemon]\nstate_dir = /srv/nd\n[mqtt]\n"
		    "host = broker.local\n%s[feed a]\nurl = http://example.org/a.rss\n",
		    cases[i].profiles);
		reload_parse(&next, text);
		assert_int_equal(config_profiles_fit(&cur, &next), cases[i].fit);
		assert_int_equal(config_profiles_equal(&cur, &next), cases[i].equal);
		config_free(&next);
		free(reload_diff(text, &n));
		assert_int_equal(n, 0);
	}
	config_free(&cur);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reload_test_same),
		cmocka_unit_test(reload_test_feed_equal),
		cmocka_unit_test(reload_test_in_place),
		cmocka_unit_test(reload_test_mqtt_and_daemon),
		cmocka_unit_test(reload_test_mqtt),
		cmocka_unit_test(reload_test_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
