/* config_test — unit tests for daemon/config.c: the INI file, checked whole. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newsdigest/config.h"
#include "newsdigest/log.h"
#include "paths.h"

/* What a test works with: a config and the error messages of its parse. */
struct config_test {
	struct config cfg;
	struct buf errors;
};

/* Setup: an empty config and error buffer in *state. */
static int
config_test_setup(void **state)
{
	struct config_test *t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	buf_init(&t->errors, 0);
	*state = t;
	return 0;
}

/* Teardown: free the config (config_free() on a cleared one is fine) and the errors. */
static int
config_test_teardown(void **state)
{
	struct config_test *t = *state;

	config_free(&t->cfg);
	buf_free(&t->errors);
	free(t);
	return 0;
}

/*
 * Parse text as PATH "test.conf" into t->cfg (the config of an earlier
 * parse freed first); return the error count, the errors alone in t->errors.
 */
static int
config_test_parse(struct config_test *t, const char *text)
{
	config_free(&t->cfg);
	buf_reset(&t->errors);
	return config_parse(&t->cfg, "test.conf", text, strlen(text), &t->errors);
}

/* Parse text: it must give nerrors errors, the messages exactly want. */
static void
config_test_errors(struct config_test *t, const char *text, int nerrors, const char *want)
{
	assert_int_equal(config_test_parse(t, text), nerrors);
	assert_string_equal(buf_str(&t->errors), want);
}

static const char config_test_full[] =
    "; A config with every key of every section.\n"
    "[daemon]\n"
    "state_dir = /srv/newsdigest/state   ; inline comment\n"
    "log_level = debug\n"
    "max_parallel_fetches = 8\n"
    "stats_interval = 90s\n"
    "max_feed_size = 512k\n"
    "fetch_timeout = 1h\n"
    "max_items = 250\n"
    "seen_per_feed = 5000\n"
    "\n"
    "[mqtt]\n"
    "host = broker.example.org\n"
    "port = 8883\n"
    "client_id = wall-1\n"
    "topic_prefix = wallnews\n"
    "protocol = 3.1.1\n"
    "keepalive = 15m\n"
    "username = alice\n"
    "password_file = /etc/newsdigest/password\n"
    "tls_ca_file = /etc/ssl/ca.pem\n"
    "tls_cert_file = /etc/ssl/client.pem\n"
    "tls_key_file = /etc/ssl/client.key\n"
    "\n"
    "# A hash comment too.\n"
    "[profile epaper]\n"
    "headline_chars = 64\n"
    "summary_chars = 400\n"
    "tags = 3\n"
    "ascii = no\n"
    "compression = zlib\n"
    "window_bits = 12\n"
    "latest = 20\n"
    "expiry = 2d\n"
    "\n"
    "[profile lcd]\n"
    "headline_chars = 32\n"
    "summary_chars = 0\n"
    "tags = 0\n"
    "ascii = yes\n"
    "compression = none   ; raw JSON\n"
    "window_bits = 9\n"
    "latest = 0\n"
    "expiry = 0\n"
    "\n"
    "[feed world]\n"
    "url = https://news.example.org/world/rss.xml#top   ; the # without a space stays\n"
    "interval = 1h\n"
    "language = de\n"
    "backlog = all\n"
    "\n"
    "  [ feed  tech ]  \n"
    "\turl = file:///var/lib/feeds/tech.atom\n"
    "interval = 90\n"
    "language = en\n"
    "backlog = 25\n";

/* Setup: config_test_full parsed, with 0 errors. */
static int
config_test_setup_full(void **state)
{
	if (config_test_setup(state) == -1)
		return -1;
	assert_int_equal(config_test_parse(*state, config_test_full), 0);
	return 0;
}

/* A full valid config parses with 0 errors into [daemon] and [mqtt]. */
static void
config_test_full_daemon_mqtt(void **state)
{
	struct config_test *t = *state;

	assert_string_equal(buf_str(&t->errors), "");
	assert_string_equal(t->cfg.path, "test.conf");
	assert_string_equal(t->cfg.state_dir, "/srv/newsdigest/state");
	assert_int_equal(t->cfg.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(t->cfg.max_parallel_fetches, 8);
	assert_int_equal(t->cfg.stats_interval, 90);
	assert_int_equal(t->cfg.max_feed_size, 512 * 1024);
	assert_int_equal(t->cfg.fetch_timeout, 3600);
	assert_int_equal(t->cfg.max_items, 250);
	assert_int_equal(t->cfg.seen_per_feed, 5000);
	assert_string_equal(t->cfg.host, "broker.example.org");
	assert_int_equal(t->cfg.port, 8883);
	assert_string_equal(t->cfg.client_id, "wall-1");
	assert_string_equal(t->cfg.topic_prefix, "wallnews");
	assert_int_equal(t->cfg.protocol, 4);
	assert_int_equal(t->cfg.keepalive, 900);
	assert_string_equal(t->cfg.username, "alice");
	assert_string_equal(t->cfg.password_file, "/etc/newsdigest/password");
	assert_string_equal(t->cfg.tls_ca_file, "/etc/ssl/ca.pem");
	assert_string_equal(t->cfg.tls_cert_file, "/etc/ssl/client.pem");
	assert_string_equal(t->cfg.tls_key_file, "/etc/ssl/client.key");
}

/* A full valid config: both profiles get every value, in file order. */
static void
config_test_full_profiles(void **state)
{
	const struct digest_profile *p;
	struct config_test *t = *state;

	assert_int_equal(t->cfg.nprofiles, 2);
	p = &t->cfg.profiles[0];
	assert_string_equal(p->name, "epaper");
	assert_int_equal(p->headline_chars, 64);
	assert_int_equal(p->summary_chars, 400);
	assert_int_equal(p->tags, 3);
	assert_int_equal(p->ascii, 0);
	assert_int_equal(p->compression, DIGEST_ZLIB);
	assert_int_equal(p->window_bits, 12);
	assert_int_equal(p->latest, 20);
	assert_int_equal(p->expiry, 2 * 86400);
	p = &t->cfg.profiles[1];
	assert_string_equal(p->name, "lcd");
	assert_int_equal(p->headline_chars, 32);
	assert_int_equal(p->summary_chars, 0);
	assert_int_equal(p->tags, 0);
	assert_int_equal(p->ascii, 1);
	assert_int_equal(p->compression, DIGEST_NONE);
	assert_int_equal(p->window_bits, 9);
	assert_int_equal(p->latest, 0);
	assert_int_equal(p->expiry, 0);
	assert_ptr_equal(config_profile(&t->cfg, "lcd"), &t->cfg.profiles[1]);
	assert_ptr_equal(config_profile(&t->cfg, "epaper"), &t->cfg.profiles[0]);
	assert_null(config_profile(&t->cfg, "default"));
}

/* A full valid config: both feeds get every value, with their section lines. */
static void
config_test_full_feeds(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(t->cfg.nfeeds, 2);
	assert_string_equal(t->cfg.feeds[0].name, "world");
	assert_string_equal(t->cfg.feeds[0].url, "https://news.example.org/world/rss.xml#top");
	assert_int_equal(t->cfg.feeds[0].interval, 3600);
	assert_string_equal(t->cfg.feeds[0].language, "de");
	assert_int_equal(t->cfg.feeds[0].backlog, CONFIG_BACKLOG_ALL);
	assert_int_equal(t->cfg.feeds[0].line, 46);
	assert_string_equal(t->cfg.feeds[1].name, "tech");
	assert_string_equal(t->cfg.feeds[1].url, "file:///var/lib/feeds/tech.atom");
	assert_int_equal(t->cfg.feeds[1].interval, 90);
	assert_string_equal(t->cfg.feeds[1].language, "en");
	assert_int_equal(t->cfg.feeds[1].backlog, 25);
	assert_int_equal(t->cfg.feeds[1].line, 52);
	config_free(&t->cfg);
	/* A cleared config may be freed again. */
	config_free(&t->cfg);
}

/* CRLF line endings and a file without a final newline parse the same. */
static void
config_test_crlf(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t,
	    "[mqtt]\r\nport = 1884\r\n[feed a]\r\nurl = http://example.org/a\r\ninterval = 2m"), 0);
	assert_int_equal(t->cfg.port, 1884);
	assert_string_equal(t->cfg.feeds[0].url, "http://example.org/a");
	assert_int_equal(t->cfg.feeds[0].interval, 120);
}

/* Absent keys take the defaults of DESIGN §5. */
static void
config_test_defaults(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t, "[feed a]\nurl = http://example.org/a\n"),
	    0);
	assert_string_equal(t->cfg.state_dir, ND_STATEDIR);
	assert_int_equal(t->cfg.log_level, LOG_LEVEL_INFO);
	assert_int_equal(t->cfg.max_parallel_fetches, 4);
	assert_int_equal(t->cfg.stats_interval, 60);
	assert_int_equal(t->cfg.max_feed_size, 8 << 20);
	assert_int_equal(t->cfg.fetch_timeout, 60);
	assert_int_equal(t->cfg.max_items, 500);
	assert_int_equal(t->cfg.seen_per_feed, 2000);
	assert_string_equal(t->cfg.host, "localhost");
	assert_int_equal(t->cfg.port, 1883);
	assert_true(strncmp(t->cfg.client_id, "newsdigestd-", 12) == 0);
	assert_true(strlen(t->cfg.client_id) > 12);
	assert_string_equal(t->cfg.topic_prefix, "news");
	assert_int_equal(t->cfg.protocol, 5);
	assert_int_equal(t->cfg.keepalive, 60);
	assert_null(t->cfg.username);
	assert_null(t->cfg.password_file);
	assert_null(t->cfg.tls_ca_file);
	assert_null(t->cfg.tls_cert_file);
	assert_null(t->cfg.tls_key_file);
	assert_int_equal(t->cfg.nfeeds, 1);
	assert_int_equal(t->cfg.feeds[0].interval, 15 * 60);
	assert_string_equal(t->cfg.feeds[0].language, "auto");
	assert_int_equal(t->cfg.feeds[0].backlog, 10);
	assert_int_equal(t->cfg.feeds[0].line, 1);
}

/* A config with no [profile] gets one named "default" with the default values. */
static void
config_test_default_profile(void **state)
{
	const struct digest_profile *p;
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t, "[feed a]\nurl = http://example.org/a\n"),
	    0);
	assert_int_equal(t->cfg.nprofiles, 1);
	p = config_profile(&t->cfg, "default");
	assert_non_null(p);
	assert_ptr_equal(p, &t->cfg.profiles[0]);
	assert_int_equal(p->headline_chars, 96);
	assert_int_equal(p->summary_chars, 280);
	assert_int_equal(p->tags, 5);
	assert_int_equal(p->ascii, 0);
	assert_int_equal(p->compression, DIGEST_ZLIB);
	assert_int_equal(p->window_bits, 10);
	assert_int_equal(p->latest, 10);
	assert_int_equal(p->expiry, 86400);
	/* A profile given with no keys has the same defaults, under its own name. */
	assert_int_equal(config_test_parse(t,
	    "[profile tiny]\n[feed a]\nurl = http://example.org/a\n[mqtt]\n"), 0);
	assert_int_equal(t->cfg.nprofiles, 1);
	assert_null(config_profile(&t->cfg, "default"));
	p = config_profile(&t->cfg, "tiny");
	assert_non_null(p);
	assert_int_equal(p->headline_chars, 96);
	assert_int_equal(p->window_bits, 10);
	assert_int_equal(p->expiry, 86400);
}

static const char config_test_bad[] =
    "key_before = 1\n"				/* 1 */
    "[daemon]\n"
    "state_dir = /x\n"
    "state_dir = /y\n"
    "bogus = 1\n"				/* 5 */
    "stats_interval = 5 minutes\n"
    "[mqtt]\n"
    "topic_prefix = news/x\n"
    "port = 0\n"
    "[weird]\n"					/* 10 */
    "host = ignored\n"
    "[profile a/b]\n"
    "headline_chars = 10\n"
    "[profile p]\n"
    "window_bits = 8\n"				/* 15 */
    "ascii = maybe\n"
    "compression = gzip\n"
    "[profile q]\n"
    "window_bits = 16\n"
    "[feed f+1]\n"				/* 20 */
    "[feed g#2]\n"
    "[feed one]\n"
    "interval = 15m\n"
    "[feed two]\n"
    "url = ftp://example.org/feed.xml\n"	/* 25 */
    "[feed one]\n"
    "url = http://example.org/one.xml\n"
    "[feed three\n"
    "url = http://example.org/three.xml\n";

/* Every error of a file is reported in one run, "PATH:LINE: message", with the right lines. */
static void
config_test_errors_all_in_one_run(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t, config_test_bad, 18,
	    "test.conf:1: key_before: key outside of a section\n"
	    "test.conf:4: state_dir given twice in this section\n"
	    "test.conf:5: unknown key \"bogus\" in this section\n"
	    "test.conf:6: stats_interval: \"5 minutes\" is not a duration (like 90s, 15m, 1h, 1d)\n"
	    "test.conf:8: topic_prefix: \"news/x\" must not be empty or hold '+', '#', '/' "
	    "or white space\n"
	    "test.conf:9: port: 0 is out of range (1 to 65535)\n"
	    "test.conf:10: unknown section [weird]\n"
	    "test.conf:12: [profile NAME]: the name must be given and hold no "
	    "'+', '#', '/' or white space\n"
	    "test.conf:15: window_bits: 8 is out of range (9 to 15)\n"
	    "test.conf:16: ascii: \"maybe\" is not yes or no\n"
	    "test.conf:17: compression: \"gzip\" is not zlib or none\n"
	    "test.conf:19: window_bits: 16 is out of range (9 to 15)\n"
	    "test.conf:20: [feed NAME]: the name must be given and hold no "
	    "'+', '#', '/' or white space\n"
	    "test.conf:21: [feed NAME]: the name must be given and hold no "
	    "'+', '#', '/' or white space\n"
	    "test.conf:25: url: \"ftp://example.org/feed.xml\" is not an http://HOST, "
	    "https://HOST or file:///PATH URL\n"
	    "test.conf:26: feed one defined twice (first at line 22)\n"
	    "test.conf:28: malformed section header\n"
	    /* Checked after the whole file, at each feed's section line. */
	    "test.conf:22: feed one: url is missing\n");
}

/* A feed without url is reported at its section line, after the rest of the file. */
static void
config_test_feed_without_url(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t,
	    "[feed ok]\nurl = http://example.org/\n\n[feed nourl]\ninterval = 1h\nlanguage = fr\n",
	    1,
	    "test.conf:4: feed nourl: url is missing\n");
}

/* Errors are appended to what the buffer holds, and only the new ones are counted. */
static void
config_test_errors_appended(void **state)
{
	struct config_test *t = *state;

	buf_adds(&t->errors, "earlier: one\nearlier: two\n");
	assert_int_equal(config_parse(&t->cfg, "x.conf", "[feed a]\nurl = gopher://x\n",
	    strlen("[feed a]\nurl = gopher://x\n"), &t->errors), 1);
	assert_string_equal(buf_str(&t->errors),
	    "earlier: one\nearlier: two\n"
	    "x.conf:2: url: \"gopher://x\" is not an http://HOST, https://HOST or file:///PATH "
	    "URL\n");
}

/*
 * No feed at all is an error of the whole file: "PATH: message", no line;
 * the keys that need another are reported at their own line.
 */
static void
config_test_no_feed(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t, "[daemon]\nlog_level = loud\n[mqtt]\ntls_cert_file = /c.pem\n; end\n",
	    4,
	    "test.conf:2: log_level: \"loud\" is not one of error, warn, info, debug\n"
	    "test.conf: no [feed NAME] section: nothing to watch\n"
	    "test.conf:4: [mqtt] tls_cert_file needs tls_key_file: a client certificate goes "
	    "with its key\n"
	    "test.conf:4: [mqtt] tls_cert_file needs tls_ca_file: TLS is on only with "
	    "tls_ca_file\n");
	/* An empty file too. */
	config_test_errors(t, "", 1,
	    "test.conf: no [feed NAME] section: nothing to watch\n");
}

/*
 * Append text and then n comment lines to b: a key whose check is made
 * once the whole file is read is far from the file's last line.
 */
static void
config_test_lines_after(struct buf *b, const char *text, int n)
{
	buf_adds(b, text);
	while (n-- > 0)
		buf_printf(b, "; line after %d\n", n);
}

/*
 * Each check made once the whole file is read names the line of the key
 * it is about (the one given), not the file's last line: a key on line 3
 * with 20 more lines after it is reported at :3:.
 */
static void
config_test_cross_key_lines(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[mqtt]\nhost = b.example\ntls_cert_file = /c.pem\ntls_ca_file = /ca.pem\n",
		    "test.conf:3: [mqtt] tls_cert_file needs tls_key_file: a client certificate "
		    "goes with its key\n" },
		{ "[mqtt]\nhost = b.example\ntls_key_file = /c.key\ntls_ca_file = /ca.pem\n",
		    "test.conf:3: [mqtt] tls_key_file needs tls_cert_file: a client key goes with "
		    "its certificate\n" },
		{ "[mqtt]\nhost = b.example\ntls_cert_file = /c.pem\ntls_key_file = /c.key\n",
		    "test.conf:3: [mqtt] tls_cert_file needs tls_ca_file: TLS is on only with "
		    "tls_ca_file\n" },
		{ "[mqtt]\nhost = b.example\npassword_file = /pw\n",
		    "test.conf:3: [mqtt] password_file needs username\n" },
		{ "[profile p]\ncompression = none\ndictionary = builtin\n",
		    "test.conf:3: [profile p] dictionary needs compression = zlib, not none "
		    "(line 2)\n" },
		/* In the second profile, the keys the other way round. */
		{ "[profile a]\n[profile p]\ndictionary = builtin\ncompression = none\n",
		    "test.conf:3: [profile p] dictionary needs compression = zlib, not none "
		    "(line 4)\n" },
	};
	struct config_test *t = *state;
	struct buf text;
	size_t i;

	buf_init(&text, 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&text);
		config_test_lines_after(&text, cases[i].text, 20);
		buf_adds(&text, "[feed a]\nurl = http://example.org/a\n");
		config_test_lines_after(&text, "", 20);
		config_test_errors(t, buf_str(&text), 1, cases[i].want);
	}
	/* [mqtt] given twice: the line that set the key last. */
	buf_reset(&text);
	config_test_lines_after(&text, "[mqtt]\npassword_file = /a\n[feed a]\nurl = http://e.org/\n"
	    "[mqtt]\npassword_file = /b\n", 20);
	config_test_errors(t, buf_str(&text), 1, "test.conf:6: [mqtt] password_file needs "
	    "username\n");
	buf_free(&text);
}

/* Bad values of each type are refused, one error each, the defaults kept. */
static void
config_test_bad_values(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t, "[mqtt]\n"
	    "protocol = 4\n"
	    "port = 18x\n"
	    "keepalive = -5s\n"
	    "[daemon]\n"
	    "max_feed_size = 12X\n"
	    "max_feed_size = 1k\n"
	    "[profile p]\n"
	    "tags = 17\n"
	    "[feed a]\n"
	    "url = http://example.org/\n"
	    "backlog = some\n"
	    "interval = 8d\n"
	    "[daemon name]\n"
	    "no equals sign here\n"
	    "[feed]\n", 11,
	    "test.conf:2: protocol: \"4\" is not 5 or 3.1.1\n"
	    "test.conf:3: port: \"18x\" is not a number\n"
	    "test.conf:4: keepalive: \"-5s\" is not a duration (like 90s, 15m, 1h, 1d)\n"
	    "test.conf:6: max_feed_size: \"12X\" is not a size (like 4096, 512k, 8M)\n"
	    "test.conf:7: max_feed_size given twice in this section\n"
	    "test.conf:9: tags: 17 is out of range (0 to 16)\n"
	    "test.conf:12: backlog: \"some\" is not a number\n"
	    "test.conf:13: interval: 8d is out of range (1 to 604800)\n"
	    "test.conf:14: [daemon] takes no name\n"
	    "test.conf:15: expected \"key = value\"\n"
	    "test.conf:16: [feed NAME]: the name must be given and hold no "
	    "'+', '#', '/' or white space\n");
	assert_int_equal(t->cfg.protocol, 5);
	assert_int_equal(t->cfg.port, 1883);
	assert_int_equal(t->cfg.keepalive, 60);
	assert_int_equal(t->cfg.max_feed_size, 8 << 20);
	assert_int_equal(t->cfg.profiles[0].tags, 5);
	assert_int_equal(t->cfg.feeds[0].backlog, 10);
	assert_int_equal(t->cfg.feeds[0].interval, 900);
}

/* A line holding a NUL byte is an error at its line; the next lines are still read. */
static void
config_test_nul_byte(void **state)
{
	static const char text[] = "[mqtt]\nhost = a\0b\nport = 99999\n[feed f]\nurl = http://x/\n";
	struct config_test *t = *state;

	assert_int_equal(config_parse(&t->cfg, "n.conf", text, sizeof text - 1, &t->errors), 2);
	assert_string_equal(buf_str(&t->errors),
	    "n.conf:2: NUL byte in line\n"
	    "n.conf:3: port: 99999 is out of range (1 to 65535)\n");
	assert_string_equal(t->cfg.host, "localhost");
}

/* A duplicate profile name is an error too. */
static void
config_test_duplicate_profile(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t,
	    "[profile a]\n[profile b]\n[profile a]\n[feed f]\nurl = https://example.org/\n", 1,
	    "test.conf:3: profile a defined twice\n");
}

/*
 * A comment after a section header is allowed, as after a value: the
 * README's own example writes "[profile default]   ; one per kind of display".
 */
static void
config_test_header_comment(void **state)
{
	struct config_test *t = *state;

	config_test_errors(t, "[profile default]            ; one per kind of display\n"
	    "headline_chars = 40\n"
	    "[feed world]\t# the name is used in topics\n"
	    "url = https://example.org/world/rss.xml\n", 0,
	    "");
	assert_int_equal(t->cfg.nprofiles, 1);
	assert_string_equal(t->cfg.profiles[0].name, "default");
	assert_int_equal(t->cfg.profiles[0].headline_chars, 40);
	assert_int_equal(t->cfg.nfeeds, 1);
	assert_string_equal(t->cfg.feeds[0].name, "world");
}

/*
 * An empty state_dir or host, or a URL without a host, is a bad value.
 */
static void
config_test_empty_values(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t,
	    "[daemon]\nstate_dir =\n[mqtt]\nhost =\n[feed a]\nurl = http://\n"), 3);
	assert_non_null(strstr(buf_str(&t->errors), "test.conf:2: "));
	assert_non_null(strstr(buf_str(&t->errors), "test.conf:4: "));
	assert_non_null(strstr(buf_str(&t->errors), "test.conf:6: "));
}

/* A value config_duration() or config_size() reads, and what it reads it as. */
struct config_test_value {
	const char *text;
	int64_t want;
};

/* Each of the n values is read by parse (config_duration or config_size) as it should be. */
static void
config_test_values(int (*parse)(const char *, int64_t *), const struct config_test_value *t,
    size_t n)
{
	int64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(parse(t[i].text, &v), 0);
		if (v != t[i].want)
			fail_msg("\"%s\" read as %lld, want %lld", t[i].text, (long long)v,
			    (long long)t[i].want);
	}
}

/* Each of the n texts is refused by parse (called name) with -1. */
static void
config_test_refused(int (*parse)(const char *, int64_t *), const char *name,
    const char *const *bad, size_t n)
{
	int64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = 12345;
		if (parse(bad[i], &v) != -1)
			fail_msg("%s(\"%s\") accepted: %lld", name, bad[i], (long long)v);
	}
}

/* config_duration: plain seconds and the s, m, h, d suffixes. */

static void
config_test_duration(void **state)
{
	static const struct config_test_value ok[] = {
		{ "90", 90 },
		{ "90s", 90 },
		{ "15m", 900 },
		{ "1h", 3600 },
		{ "2d", 172800 },
		{ "0", 0 },
		{ "9223372036854775807", INT64_MAX },
		/* INT64_MAX / 86400 = 106751991167300 */
		{ "106751991167300d", INT64_C(106751991167300) * 86400 },
	};

	(void)state;
	config_test_values(config_duration, ok, sizeof ok / sizeof ok[0]);
}

/* config_duration: overflow, negatives, unknown suffixes and junk are refused. */
static void
config_test_duration_refused(void **state)
{
	static const char *const bad[] = {
		"", "s", "-5", "-5s", "+5", " 5", "5 s", "5x", "5ms", "5S", "5M", "1.5h", "1h30m",
		"9223372036854775808", "99999999999999999999", "106751991167301d",
		"153722867280912931m", "2562047788015216h", "0x10",
	};

	(void)state;
	config_test_refused(config_duration, "config_duration", bad, sizeof bad / sizeof bad[0]);
}

/* config_size: plain bytes and the k, K, M, G suffixes. */
static void
config_test_size(void **state)
{
	static const struct config_test_value ok[] = {
		{ "4096", 4096 },
		{ "512k", 524288 },
		{ "512K", 524288 },
		{ "8M", 8388608 },
		{ "1G", 1073741824 },
		/* INT64_MAX / 1024 = 9007199254740991 */
		{ "9007199254740991k", INT64_C(9007199254740991) * 1024 },
	};

	(void)state;
	config_test_values(config_size, ok, sizeof ok / sizeof ok[0]);
}


/* config_size: overflow, negatives, unknown suffixes and junk are refused. */
static void
config_test_size_refused(void **state)
{
	static const char *const bad[] = {
		"", "k", "-1", "-1k", "+4", " 4", "4 k", "8T", "8MB", "8Mi", "1.5M", "0x400",
		"9223372036854775808", "9007199254740992k", "8796093022208M", "8589934592G",
	};

	(void)state;
	config_test_refused(config_size, "config_size", bad, sizeof bad / sizeof bad[0]);
}

/* config_load on a missing file: one error "PATH: No such file or directory". */
static void
config_test_load_missing(void **state)
{
	static const char path[] = "/nonexistent-newsdigest-test/newsdigest.conf";
	struct config_test *t = *state;

	assert_int_equal(config_load(&t->cfg, path, &t->errors), 1);
	assert_string_equal(buf_str(&t->errors), "/nonexistent-newsdigest-test/newsdigest.conf: "
	    "No such file or directory\n");
}

/* shard = I/N: parsed and range-checked; the default is 0/1 (every feed). */
static void
config_test_shard(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t, "[feed a]\nurl = http://e.org/\n"), 0);
	assert_int_equal(t->cfg.shard_index, 0);
	assert_int_equal(t->cfg.shard_count, 1);
	assert_int_equal(config_test_parse(t,
	    "[daemon]\nshard = 2/3\n[feed a]\nurl = http://e.org/\n"), 0);
	assert_int_equal(t->cfg.shard_index, 2);
	assert_int_equal(t->cfg.shard_count, 3);
	assert_true(strncmp(t->cfg.client_id, "newsdigestd-", 12) == 0);
	assert_string_equal(t->cfg.client_id + strlen(t->cfg.client_id) - 2, "-2");
	/* A client_id given is suffixed too: the daemons share the config. */
	assert_int_equal(config_test_parse(t, "[daemon]\nshard = 0/2\n[mqtt]\nclient_id = wall\n"
	    "[feed a]\nurl = http://e.org/\n"), 0);
	assert_string_equal(t->cfg.client_id, "wall-0");
	config_test_errors(t, "[daemon]\nshard = 3/3\n[daemon]\nshard = 1/0\n[daemon]\nshard = x\n"
	    "[daemon]\nshard = 1/\n[daemon]\nshard = -1/3\n[daemon]\nshard = 1/3 \n"
	    "[daemon]\nshard = 0/1025\n[daemon]\nshard = 1/2x\n"
	    "[feed a]\nurl = http://e.org/\n", 7,
	    "test.conf:2: shard: 3/3 is out of range (I/N with 0 <= I < N, 1 <= N <= 1024)\n"
	    "test.conf:4: shard: 1/0 is out of range (I/N with 0 <= I < N, 1 <= N <= 1024)\n"
	    "test.conf:6: shard: \"x\" is not I/N (like 0/3)\n"
	    "test.conf:8: shard: \"1/\" is not I/N (like 0/3)\n"
	    "test.conf:10: shard: \"-1/3\" is not I/N (like 0/3)\n"
	    "test.conf:14: shard: 0/1025 is out of range (I/N with 0 <= I < N, 1 <= N <= 1024)\n"
	    "test.conf:16: shard: \"1/2x\" is not I/N (like 0/3)\n");
	/* The valid one among them (line 12, trailing space trimmed) was kept. */
	assert_int_equal(t->cfg.shard_index, 1);
	assert_int_equal(t->cfg.shard_count, 3);
}

/* dictionary = builtin: cut to what each window reaches, named by its Adler-32. */
static void
config_test_dictionary_builtin(void **state)
{
	const unsigned char *builtin;
	const struct digest_profile *p;
	size_t blen;
	struct config_test *t = *state;

	builtin = digest_dict_builtin(&blen);
	assert_true(blen > 1024 && blen <= 2048);
	config_test_errors(t, "[profile tiny]\ndictionary = builtin\nwindow_bits = 9\n"
	    "[profile big]\nwindow_bits = 15\ndictionary = builtin\n"
	    "[profile off]\ndictionary = builtin\ndictionary = \n"
	    "[feed a]\nurl = http://e.org/\n", 1,
	    "test.conf:9: dictionary given twice in this section\n");
	assert_int_equal(config_test_parse(t,
	    "[profile tiny]\ndictionary = builtin\nwindow_bits = 9\n"
	    "[profile big]\nwindow_bits = 15\ndictionary = builtin\n"
	    "[profile off]\ndictionary =\n[feed a]\nurl = http://e.org/\n"), 0);
	/* 2^9 - 262 bytes: the end of the built-in dictionary, the digest's frame. */
	p = config_profile(&t->cfg, "tiny");
	assert_int_equal(p->dict_len, 250);
	assert_memory_equal(p->dict, builtin + blen - 250, 250);
	assert_int_equal(p->dict_id, digest_dict_id(builtin + blen - 250, 250));
	assert_memory_equal(p->dict + 250 - 13, "{\"v\":1,\"id\":\"", 13);
	p = config_profile(&t->cfg, "big");
	assert_int_equal(p->dict_len, blen);
	assert_memory_equal(p->dict, builtin, blen);
	assert_int_equal(p->dict_id, digest_dict_id(builtin, blen));
	p = config_profile(&t->cfg, "off");
	assert_null(p->dict);
	assert_int_equal(p->dict_len, 0);
}

/* A dictionary file is read relative to the config's directory; problems name FILE:LINE. */
static void
config_test_dictionary_file(void **state)
{
	char dir[] = "/tmp/nd-config-test-XXXXXX", conf[128], dict[128], text[512];
	struct config_test *t = *state;
	struct buf want;
	FILE *f;
	int i;

	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof conf, "%s/test.conf", dir);
	snprintf(dict, sizeof dict, "%s/words.dict", dir);
	assert_non_null(f = fopen(dict, "w"));
	for (i = 0; i < 100; i++)
		fprintf(f, "word%02d ", i);
	fclose(f);
	buf_init(&want, 0);
	snprintf(text, sizeof text, "[profile p]\ndictionary = words.dict\nwindow_bits = 10\n"
	    "[profile abs]\ndictionary = %s\nwindow_bits = 9\n"
	    "[feed a]\nurl = http://e.org/\n", dict);
	assert_int_equal(config_parse(&t->cfg, conf, text, strlen(text), &t->errors), 0);
	/* 700 bytes fit 2^10 - 262; only the last 250 fit 2^9 - 262. */
	assert_int_equal(t->cfg.profiles[0].dict_len, 700);
	assert_memory_equal(t->cfg.profiles[0].dict, "word00 word01 ", 14);
	assert_int_equal(t->cfg.profiles[1].dict_len, 250);
	assert_memory_equal(t->cfg.profiles[1].dict + 250 - 7, "word99 ", 7);
	config_free(&t->cfg);
	snprintf(text, sizeof text, "[profile p]\ndictionary = missing.dict\n"
	    "[profile q]\ncompression = none\ndictionary = builtin\n"
	    "[feed a]\nurl = http://e.org/\n");
	assert_int_equal(config_parse(&t->cfg, conf, text, strlen(text), &t->errors), 2);
	buf_printf(&want, "%s:2: dictionary: %s/missing.dict: No such file or directory\n"
	    "%s:5: [profile q] dictionary needs compression = zlib, not none (line 4)\n", conf,
	    dir, conf);
	assert_string_equal(buf_str(&t->errors), buf_str(&want));
	unlink(dict);
	rmdir(dir);
	buf_free(&want);
}

/* [mqtt] session_expiry, the TLS port, and the keys that go together. */
static void
config_test_mqtt_session_and_tls(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t, "[feed a]\nurl = http://example.org/a\n"), 0);
	assert_int_equal(t->cfg.session_expiry, 86400);
	assert_int_equal(config_test_parse(t, "[mqtt]\nsession_expiry = 0\n"
	    "tls_ca_file = /ca.pem\n[feed a]\nurl = http://example.org/a\n"), 0);
	assert_int_equal(t->cfg.session_expiry, 0);
	assert_int_equal(t->cfg.port, 8883);
	assert_int_equal(config_test_parse(t, "[mqtt]\nsession_expiry = 4294967295\n"
	    "tls_ca_file = /ca.pem\nport = 1883\n[feed a]\nurl = http://example.org/a\n"), 0);
	assert_int_equal(t->cfg.session_expiry, 4294967295LL);
	assert_int_equal(t->cfg.port, 1883);
	config_test_errors(t, "[mqtt]\nsession_expiry = 4294967296\n"
	    "password_file = /pw\n[feed a]\nurl = http://example.org/a\n", 2,
	    "test.conf:2: session_expiry: 4294967296 is out of range (0 to 4294967295)\n"
	    "test.conf:3: [mqtt] password_file needs username\n");
}

/* Write text to dir/name with mode; return the path (static storage). */
static const char *
config_test_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	static char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/* Read password_file of a config naming path; return config_password()'s result. */
static int
config_test_password(const char *path, char *pw, size_t len, struct buf *errors)
{
	struct config cfg;
	int rc;

	buf_reset(errors);
	memset(&cfg, 0, sizeof cfg);
	cfg.path = (char *)(uintptr_t)"t.conf";
	cfg.password_file = (char *)(uintptr_t)path;
	rc = config_password(&cfg, pw, len, errors);
	return rc;
}

/*
 * password_file: the first line without its line end; refused when open
 * to group or others, missing, empty or too long, with the file and the
 * fix named and never the password.
 */
static void
config_test_password_file(void **state)
{
	char dir[] = "/tmp/nd-config-test-XXXXXX", pw[CONFIG_PASSWORD_MAX], expect[1024];
	char small[8];
	const char *p;
	struct buf errors;

	(void)state;
	buf_init(&errors, 0);
	assert_non_null(mkdtemp(dir));
	p = config_test_file(dir, "pw", "s3cret word\r\nsecond line\n", 0600);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), 0);
	assert_string_equal(pw, "s3cret word");
	p = config_test_file(dir, "pw", "no-newline", 0400);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), 0);
	assert_string_equal(pw, "no-newline");

	p = config_test_file(dir, "pw", "s3cret\n", 0644);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), -1);
	snprintf(expect, sizeof expect, "t.conf: [mqtt] password_file %s is open to its group "
	    "or others (mode 0644): run chmod 600 %s\n", p, p);
	assert_string_equal(buf_str(&errors), expect);
	p = config_test_file(dir, "pw", "s3cret\n", 0620);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), -1);
	assert_non_null(strstr(buf_str(&errors), "(mode 0620): run chmod 600"));
	assert_null(strstr(buf_str(&errors), "s3cret"));

	p = config_test_file(dir, "pw", "\nsecond\n", 0600);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), -1);
	snprintf(expect, sizeof expect, "t.conf: [mqtt] password_file %s: no password on its "
	    "first line\n", p);
	assert_string_equal(buf_str(&errors), expect);
	p = config_test_file(dir, "pw", "12345678\n", 0600);
	assert_int_equal(config_test_password(p, small, sizeof small, &errors), -1);
	assert_non_null(strstr(buf_str(&errors), "the first line is longer than 7 bytes"));
	p = config_test_file(dir, "pw", "1234567\n", 0600);
	assert_int_equal(config_test_password(p, small, sizeof small, &errors), 0);
	assert_string_equal(small, "1234567");

	unlink(p);
	assert_int_equal(config_test_password(p, pw, sizeof pw, &errors), -1);
	snprintf(expect, sizeof expect, "t.conf: [mqtt] password_file %s: No such file or "
	    "directory\n", p);
	assert_string_equal(buf_str(&errors), expect);
	assert_int_equal(config_test_password(dir, pw, sizeof pw, &errors), -1);
	assert_non_null(strstr(buf_str(&errors), "not a regular file"));

	/* systemd's credentials directory. */
	config_test_file(dir, "mqtt-password", "from-systemd\n", 0400);
	assert_int_equal(setenv("CREDENTIALS_DIRECTORY", dir, 1), 0);
	assert_int_equal(config_test_password("${CREDENTIALS_DIRECTORY}/mqtt-password", pw,
	    sizeof pw, &errors), 0);
	assert_string_equal(pw, "from-systemd");
	assert_int_equal(config_test_password("$CREDENTIALS_DIRECTORY/mqtt-password", pw,
	    sizeof pw, &errors), 0);
	assert_string_equal(pw, "from-systemd");
	assert_int_equal(unsetenv("CREDENTIALS_DIRECTORY"), 0);
	assert_int_equal(config_test_password("${CREDENTIALS_DIRECTORY}/mqtt-password", pw,
	    sizeof pw, &errors), -1);
	assert_string_equal(buf_str(&errors), "t.conf: [mqtt] password_file "
	    "${CREDENTIALS_DIRECTORY}/mqtt-password: $CREDENTIALS_DIRECTORY is not set (systemd "
	    "sets it for a unit with LoadCredential=)\n");
	snprintf(expect, sizeof expect, "%s/mqtt-password", dir);
	unlink(expect);
	rmdir(dir);
	buf_free(&errors);
}

/* config_file_path: only a leading variable, and only that one, is expanded. */
static void
config_test_file_path(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(setenv("CREDENTIALS_DIRECTORY", "/run/credentials/x.service", 1), 0);
	assert_int_equal(config_file_path("/etc/pw", out, sizeof out), 0);
	assert_string_equal(out, "/etc/pw");
	assert_int_equal(config_file_path("${CREDENTIALS_DIRECTORY}/pw", out, sizeof out), 0);
	assert_string_equal(out, "/run/credentials/x.service/pw");
	assert_int_equal(config_file_path("$CREDENTIALS_DIRECTORYX/pw", out, sizeof out), 0);
	assert_string_equal(out, "$CREDENTIALS_DIRECTORYX/pw");
	assert_int_equal(config_file_path("/a/${CREDENTIALS_DIRECTORY}", out, sizeof out), 0);
	assert_string_equal(out, "/a/${CREDENTIALS_DIRECTORY}");
	assert_int_equal(config_file_path("${CREDENTIALS_DIRECTORY}/a-name-too-long-for-the-"
	    "buffer-given-here", out, sizeof out), -1);
	assert_int_equal(unsetenv("CREDENTIALS_DIRECTORY"), 0);
}

/* config_check_files: every unusable file, one line each, at its key's line. */
static void
config_test_check_files(void **state)
{
	struct config_test *t = *state;

	assert_int_equal(config_test_parse(t, "[mqtt]\nusername = u\n"
	    "password_file = /nonexistent-nd/pw\ntls_ca_file = /nonexistent-nd/ca.pem\n"
	    "tls_cert_file = /nonexistent-nd/c.pem\ntls_key_file = /nonexistent-nd/c.key\n"
	    "[feed a]\nurl = http://example.org/a\n"), 0);
	assert_int_equal(config_check_files(&t->cfg, &t->errors), 4);
	assert_string_equal(buf_str(&t->errors),
	    "test.conf:3: [mqtt] password_file /nonexistent-nd/pw: No such file or directory\n"
	    "test.conf:4: [mqtt] tls_ca_file /nonexistent-nd/ca.pem: No such file or directory\n"
	    "test.conf:5: [mqtt] tls_cert_file /nonexistent-nd/c.pem: No such file or directory\n"
	    "test.conf:6: [mqtt] tls_key_file /nonexistent-nd/c.key: No such file or directory\n");
	assert_int_equal(config_test_parse(t, "[feed a]\nurl = http://example.org/a\n"), 0);
	assert_int_equal(config_check_files(&t->cfg, &t->errors), 0);
}

/* A test of a struct config_test. */
#define CONFIG_TEST(test) \
	cmocka_unit_test_setup_teardown(test, config_test_setup, config_test_teardown)
/* A test of the struct config_test of config_test_full. */
#define CONFIG_TEST_FULL(test) \
	cmocka_unit_test_setup_teardown(test, config_test_setup_full, config_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CONFIG_TEST_FULL(config_test_full_daemon_mqtt),
		CONFIG_TEST_FULL(config_test_full_profiles),
		CONFIG_TEST_FULL(config_test_full_feeds),
		CONFIG_TEST(config_test_crlf),
		CONFIG_TEST(config_test_defaults),
		CONFIG_TEST(config_test_default_profile),
		CONFIG_TEST(config_test_errors_all_in_one_run),
		CONFIG_TEST(config_test_feed_without_url),
		CONFIG_TEST(config_test_errors_appended),
		CONFIG_TEST(config_test_no_feed),
		CONFIG_TEST(config_test_cross_key_lines),
		CONFIG_TEST(config_test_bad_values),
		CONFIG_TEST(config_test_nul_byte),
		CONFIG_TEST(config_test_duplicate_profile),
		CONFIG_TEST(config_test_header_comment),
		CONFIG_TEST(config_test_empty_values),
		cmocka_unit_test(config_test_duration),
		cmocka_unit_test(config_test_duration_refused),
		cmocka_unit_test(config_test_size),
		cmocka_unit_test(config_test_size_refused),
		CONFIG_TEST(config_test_load_missing),
		CONFIG_TEST(config_test_shard),
		CONFIG_TEST(config_test_dictionary_builtin),
		CONFIG_TEST(config_test_dictionary_file),
		CONFIG_TEST(config_test_mqtt_session_and_tls),
		cmocka_unit_test(config_test_password_file),
		cmocka_unit_test(config_test_file_path),
		CONFIG_TEST(config_test_check_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
