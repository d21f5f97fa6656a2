/* store_test — unit tests for daemon/store.c: per-feed state files, in a temp directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "newsdigest/buf.h"
#include "newsdigest/log.h"
#include "newsdigest/store.h"

/*
 * Write into out (len bytes) a state file of the current format with the
 * given records (NULL-terminated), each sealed with its CRC-32. Returns out.
 */
static const char *
store_test_sealed(char *out, size_t len, ...)
{
	const char *line;
	size_t n;
	va_list ap;

	n = (size_t)snprintf(out, len, "newsdigest-state 2\n");
	va_start(ap, len);
	while ((line = va_arg(ap, const char *)) != NULL) {
		n += (size_t)snprintf(out + n, len - n, "%s %08lx\n", line,
		    crc32(crc32(0L, Z_NULL, 0), (const Bytef *)line, (uInt)strlen(line)));
		assert_true(n < len);
	}
	va_end(ap);
	return out;
}

/* The profiles of the feeds in these tests, as the config names them. */
static const char *const store_test_profiles[] = { "default", "lcd" };

/* The temp directory of one test. */
struct store_test_dir {
	char path[64];
};

/* Remove path and, when it is a directory, everything under it. */
static void
store_test_rm(const char *path)
{
	struct dirent *de;
	struct stat st;
	char sub[512];
	DIR *d;

	if (lstat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		assert_int_equal(unlink(path), 0);
		return;
	}
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		store_test_rm(sub);
	}
	closedir(d);
	assert_int_equal(rmdir(path), 0);
}

/* Setup: a fresh temp directory under /tmp. */
static int
store_test_setup(void **state)
{
	struct store_test_dir *t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "/tmp/store_test.XXXXXX");
	if (mkdtemp(t->path) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/* Teardown: remove the temp directory and all it holds. */
static int
store_test_teardown(void **state)
{
	struct store_test_dir *t = *state;

	store_test_rm(t->path);
	free(t);
	return 0;
}

/* Write a state file NAME.state with the given content into dir. */
static void
store_test_write(const char *dir, const char *name, const char *content, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.state", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Read dir/file into buf (NUL-terminated); return its length. */
static size_t
store_test_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	assert_int_equal(ferror(f), 0);
	fclose(f);
	buf[n] = '\0';
	return n;
}

/* Open the state of feed name in dir with these bounds and the test profiles; it must open. */
static struct store_feed *
store_test_open(const char *dir, const char *name, size_t max_seen, size_t nprofiles,
    size_t max_latest)
{
	struct store_feed *sf;

	sf = store_feed_open(dir, name, max_seen, store_test_profiles, nprofiles, max_latest);
	assert_non_null(sf);
	return sf;
}

/* Save sf, which must succeed, and free it. */
static void
store_test_save_free(struct store_feed *sf)
{
	assert_int_equal(store_feed_save(sf), 0);
	store_feed_free(sf);
}

/* Check that store_seen() says want (0 or 1) for each of the n ids. */
static void
store_test_seen_are(const struct store_feed *sf, int want, const uint64_t *ids, size_t n)
{
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		got = store_seen(sf, ids[i]);
		if (got != want)
			fail_msg("store_seen(%#" PRIx64 ") is %d, want %d", ids[i], got, want);
	}
}

/* Check that store_seen() says want (0 or 1) for each id given. */
#define STORE_TEST_SEEN(sf, want, ...) \
	store_test_seen_are(sf, want, (const uint64_t[]){ __VA_ARGS__ }, \
	    sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

/* Check that profile's latest list in sf is the digests given (NULL-terminated), newest first. */
static void
store_test_latest_is(const struct store_feed *sf, size_t profile, ...)
{
	const char *want;
	size_t n = 0;
	va_list ap;

	va_start(ap, profile);
	while ((want = va_arg(ap, const char *)) != NULL)
		assert_string_equal(store_latest_get(sf, profile, n++), want);
	va_end(ap);
	assert_int_equal(store_latest_count(sf, profile), n);
}

/* A feed with no state file is new, remembers nothing and has nothing to save. */
static void
store_test_new_feed(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;

	sf = store_test_open(t->path, "world", 100, 2, 10);
	assert_int_equal(store_feed_is_new(sf), 1);
	assert_int_equal(store_seen_count(sf), 0);
	assert_int_equal(store_seen(sf, 1), 0);
	assert_int_equal(store_latest_count(sf, 0), 0);
	assert_int_equal(store_latest_count(sf, 1), 0);
	assert_int_equal(store_feed_dirty(sf), 0);
	store_feed_set_fetched(sf);
	assert_int_equal(store_feed_is_new(sf), 0);
	assert_int_equal(store_feed_dirty(sf), 1);
	store_feed_free(sf);
	/* Nothing was saved: it is still new. */
	sf = store_test_open(t->path, "world", 100, 2, 10);
	assert_int_equal(store_feed_is_new(sf), 1);
	store_feed_free(sf);
	store_feed_free(NULL);
}

/* A missing state directory is created, parents too. */
static void
store_test_creates_dir(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	char dir[256];
	struct stat st;

	snprintf(dir, sizeof dir, "%s/a/b/c", t->path);
	sf = store_test_open(dir, "world", 10, 1, 1);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	store_seen_add(sf, 7);
	store_test_save_free(sf);
	snprintf(dir, sizeof dir, "%s/a/b/c/world.state", t->path);
	assert_int_equal(stat(dir, &st), 0);
}

/* A state directory that cannot be used (a file is in the way) gives NULL. */
static void
store_test_bad_dir(void **state)
{
	struct store_test_dir *t = *state;
	char dir[256];

	store_test_write(t->path, "plain", "x", 1);
	snprintf(dir, sizeof dir, "%s/plain.state/sub", t->path);
	assert_null(store_feed_open(dir, "world", 10, store_test_profiles, 1, 1));
}

/* Seen ids and the fetched mark persist across save and open. */
static void
store_test_seen_persist(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;

	sf = store_test_open(t->path, "world", 100, 1, 10);
	store_seen_add(sf, UINT64_C(0x1de95b0db7cb7c5e));
	store_seen_add(sf, 1);
	store_seen_add(sf, UINT64_MAX);
	store_feed_set_fetched(sf);
	assert_int_equal(store_seen(sf, 1), 1);
	assert_int_equal(store_feed_dirty(sf), 1);
	assert_int_equal(store_feed_save(sf), 0);
	assert_int_equal(store_feed_dirty(sf), 0);
	store_feed_free(sf);

	sf = store_test_open(t->path, "world", 100, 1, 10);
	assert_int_equal(store_feed_is_new(sf), 0);
	assert_int_equal(store_seen_count(sf), 3);
	STORE_TEST_SEEN(sf, 1, UINT64_C(0x1de95b0db7cb7c5e), 1, UINT64_MAX);
	STORE_TEST_SEEN(sf, 0, 2, 0);
	assert_int_equal(store_feed_dirty(sf), 0);
	store_feed_free(sf);

	/* Another feed in the same directory is separate. */
	sf = store_test_open(t->path, "tech", 100, 1, 10);
	assert_int_equal(store_feed_is_new(sf), 1);
	assert_int_equal(store_seen(sf, 1), 0);
	store_feed_free(sf);
}

/* The save writes the documented text format, and no temp file is left behind. */
static void
store_test_save_format(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	char buf[1024], want[1024], tmp[256];
	struct stat st;

	sf = store_test_open(t->path, "world", 100, 2, 10);
	store_set_today(sf, 20500);
	store_feed_set_fetched(sf);
	store_seen_add(sf, 0xab);
	store_seen_add(sf, UINT64_C(0x1de95b0db7cb7c5e));
	assert_int_equal(store_latest_push(sf, 1, "{\"v\":1}", 7), 0);
	assert_int_equal(store_latest_push(sf, 0, "{\"v\":2}", 7), 0);
	assert_int_equal(store_latest_push(sf, 1, "{\"v\":3}xyz", 7), 0);
	store_test_save_free(sf);
	store_test_read(t->path, "world.state", buf, sizeof buf);
	assert_string_equal(buf, store_test_sealed(want, sizeof want,
	    "fetched",
	    "seen 00000000000000ab 20500",
	    "seen 1de95b0db7cb7c5e 20500",
	    "latest default {\"v\":2}",
	    "latest lcd {\"v\":3}",
	    "latest lcd {\"v\":1}", (const char *)NULL));
	snprintf(tmp, sizeof tmp, "%s/world.state.tmp", t->path);
	assert_int_equal(stat(tmp, &st), -1);
}

/*
 * A damaged line of a checksummed file is skipped, never trusted: a flipped
 * byte, a wrong or missing checksum; the lines around it load.
 */
static void
store_test_checksums(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	char content[1024];

	store_test_sealed(content, sizeof content, "fetched", "seen 00000000000000a1",
	    "seen 00000000000000a2", "seen 00000000000000a3", "latest default {\"ok\":1}",
	    (const char *)NULL);
	/* The second id's line: one hex digit changed, checksum kept. */
	*strstr(content, "a2 ") = 'f';
	/* The third: its checksum cut off. */
	memmove(strstr(content, "a3 ") + 2, strstr(content, "a3 ") + 11,
	    strlen(strstr(content, "a3 ") + 11) + 1);
	strcat(content, "seen 00000000000000a4 00000000\n");
	store_test_write(t->path, "world", content, strlen(content));
	sf = store_test_open(t->path, "world", 100, 1, 10);
	assert_int_equal(store_feed_is_new(sf), 0);
	assert_int_equal(store_seen_count(sf), 1);
	STORE_TEST_SEEN(sf, 1, 0xa1);
	STORE_TEST_SEEN(sf, 0, 0xf2, 0xa3, 0xa4);
	assert_int_equal(store_latest_count(sf, 0), 1);
	store_feed_free(sf);
}

/*
 * The seen set is bounded in days too: an id the feed has not listed since
 * the given day is forgotten; one it lists again is kept, whatever its
 * age. The days are saved, also across a wrapped ring.
 */
static void
store_test_seen_days(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	uint64_t id;

	sf = store_test_open(t->path, "world", 6, 1, 0);
	store_set_today(sf, 100);
	/* 8 ids in a ring of 6: it wraps, 1 and 2 fall out by count. */
	for (id = 1; id <= 8; id++)
		store_seen_add(sf, id);
	assert_int_equal(store_seen_count(sf), 6);
	store_set_today(sf, 130);
	assert_int_equal(store_seen_touch(sf, 4), 1);
	assert_int_equal(store_seen_touch(sf, 7), 1);
	assert_int_equal(store_seen_touch(sf, 1), 0);
	store_seen_add(sf, 9);
	store_test_save_free(sf);
	sf = store_test_open(t->path, "world", 6, 1, 0);
	assert_int_equal(store_seen_forget(sf, 120), 3);
	assert_int_equal(store_seen_count(sf), 3);
	STORE_TEST_SEEN(sf, 1, 4, 7, 9);
	STORE_TEST_SEEN(sf, 0, 1, 2, 3, 5, 6, 8);
	assert_int_equal(store_seen_forget(sf, 120), 0);
	/* New ids go on after the forgotten ones, oldest out first. */
	store_set_today(sf, 131);
	for (id = 10; id <= 13; id++)
		store_seen_add(sf, id);
	assert_int_equal(store_seen_count(sf), 6);
	STORE_TEST_SEEN(sf, 0, 4);
	STORE_TEST_SEEN(sf, 1, 7, 13);
	assert_int_equal(store_seen_forget(sf, 131), 2);
	STORE_TEST_SEEN(sf, 0, 7, 9);
	STORE_TEST_SEEN(sf, 1, 10);
	store_feed_free(sf);
}

/* The seen set is bounded: the oldest ids go first, also when reloaded with a smaller bound. */
static void
store_test_seen_bound(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	uint64_t id;

	sf = store_test_open(t->path, "world", 3, 1, 0);
	for (id = 1; id <= 5; id++)
		store_seen_add(sf, id);
	assert_int_equal(store_seen_count(sf), 3);
	STORE_TEST_SEEN(sf, 0, 1, 2);
	STORE_TEST_SEEN(sf, 1, 3, 4, 5);
	store_test_save_free(sf);

	/* Saved oldest first, so a smaller bound keeps the newest. */
	sf = store_test_open(t->path, "world", 2, 1, 0);
	assert_int_equal(store_seen_count(sf), 2);
	STORE_TEST_SEEN(sf, 0, 3);
	STORE_TEST_SEEN(sf, 1, 4, 5);
	/* Still in order after the reload: the next add drops 4. */
	store_seen_add(sf, 6);
	STORE_TEST_SEEN(sf, 0, 4);
	STORE_TEST_SEEN(sf, 1, 5, 6);
	store_feed_free(sf);
}

/* The seen ring grows as ids come (past 32, 64...) and still drops the oldest at its bound. */
static void
store_test_seen_grows(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	uint64_t id;

	sf = store_test_open(t->path, "grow", 100, 1, 0);
	for (id = 1; id <= 70; id++)
		store_seen_add(sf, id);
	assert_int_equal(store_seen_count(sf), 70);
	for (id = 1; id <= 70; id++)
		assert_int_equal(store_seen(sf, id), 1);
	for (id = 71; id <= 250; id++)
		store_seen_add(sf, id);
	assert_int_equal(store_seen_count(sf), 100);
	assert_int_equal(store_seen(sf, 150), 0);
	for (id = 151; id <= 250; id++)
		assert_int_equal(store_seen(sf, id), 1);
	store_test_save_free(sf);
	/* Reloaded oldest first: the next add drops 151 and nothing newer. */
	sf = store_test_open(t->path, "grow", 100, 1, 0);
	assert_int_equal(store_seen_count(sf), 100);
	store_seen_add(sf, 251);
	STORE_TEST_SEEN(sf, 0, 151);
	STORE_TEST_SEEN(sf, 1, 152, 251);
	store_feed_free(sf);
}

/* Latest lists are per profile, newest first, bounded, and persist in that order. */
static void
store_test_latest(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;

	sf = store_test_open(t->path, "world", 10, 2, 3);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":1}", 7), 0);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":2}", 7), 0);
	assert_int_equal(store_latest_push(sf, 1, "{\"m\":1}", 7), 0);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":3}", 7), 0);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":4}", 7), 0);
	store_test_latest_is(sf, 0, "{\"n\":4}", "{\"n\":3}", "{\"n\":2}", (const char *)NULL);
	store_test_latest_is(sf, 1, "{\"m\":1}", (const char *)NULL);
	assert_int_equal(store_feed_dirty(sf), 1);
	store_test_save_free(sf);

	sf = store_test_open(t->path, "world", 10, 2, 3);
	store_test_latest_is(sf, 0, "{\"n\":4}", "{\"n\":3}", "{\"n\":2}", (const char *)NULL);
	store_test_latest_is(sf, 1, "{\"m\":1}", (const char *)NULL);
	/* Pushing after a reload still drops the oldest. */
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":5}", 7), 0);
	assert_int_equal(store_latest_count(sf, 0), 3);
	assert_string_equal(store_latest_get(sf, 0, 0), "{\"n\":5}");
	assert_string_equal(store_latest_get(sf, 0, 2), "{\"n\":3}");
	store_feed_free(sf);

	/* A smaller bound on reload keeps the newest. */
	sf = store_test_open(t->path, "world", 10, 2, 2);
	store_test_latest_is(sf, 0, "{\"n\":4}", "{\"n\":3}", (const char *)NULL);
	store_feed_free(sf);
}

/* Collect the names store_each_feed() gives, comma-separated, into a buf. */
static void
store_test_name_cb(void *arg, const char *name)
{
	struct buf *b = arg;

	buf_printf(b, "%s,", name);
}

/*
 * A feed gone from the config: its latest lists cleared (the seen ids
 * kept, the clearing saved); the feeds with a state file walked by name,
 * other files left out.
 */
static void
store_test_latest_clear_and_walk(void **state)
{
	static const char *const others[] = { "outbox.journal", "world.state.tmp", ".state" };
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	struct buf names;
	char path[512];
	size_t i;
	FILE *fp;

	sf = store_test_open(t->path, "tech", 10, 2, 3);
	store_seen_add(sf, 42);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":1}", 7), 0);
	assert_int_equal(store_latest_push(sf, 0, "{\"n\":2}", 7), 0);
	assert_int_equal(store_latest_push(sf, 1, "{\"m\":1}", 7), 0);
	store_test_save_free(sf);
	sf = store_test_open(t->path, "tech", 10, 2, 3);
	store_latest_clear(sf, 0);
	assert_int_equal(store_feed_dirty(sf), 1);
	store_test_latest_is(sf, 0, (const char *)NULL);
	store_test_latest_is(sf, 1, "{\"m\":1}", (const char *)NULL);
	store_test_save_free(sf);
	sf = store_test_open(t->path, "tech", 10, 2, 3);
	store_test_latest_is(sf, 0, (const char *)NULL);
	STORE_TEST_SEEN(sf, 1, 42);
	store_latest_clear(sf, 0);
	assert_int_equal(store_feed_dirty(sf), 0);
	store_feed_free(sf);

	for (i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", t->path, others[i]);
		assert_non_null(fp = fopen(path, "w"));
		fclose(fp);
	}
	buf_init(&names, 0);
	assert_int_equal(store_each_feed(t->path, store_test_name_cb, &names), 0);
	assert_string_equal(buf_str(&names), "tech,");
	buf_free(&names);
}

/* With max_latest 0 the latest lists are off: a push keeps nothing and succeeds. */
static void
store_test_latest_off(void **state)
{
	struct store_test_dir *t = *state;
	struct store_feed *sf;

	sf = store_test_open(t->path, "world", 10, 2, 0);
	assert_int_equal(store_latest_push(sf, 0, "{}", 2), 0);
	assert_int_equal(store_latest_push(sf, 1, "{}", 2), 0);
	assert_int_equal(store_latest_count(sf, 0), 0);
	assert_int_equal(store_latest_count(sf, 1), 0);
	store_feed_free(sf);
}

/* A torn last line and garbage lines are skipped; the sound records load. */
static void
store_test_damaged_file(void **state)
{
	static const char content[] =
	    "newsdigest-state 1\n"
	    "fetched\n"
	    "seen 00000000000000aa\n"
	    "this is garbage\n"
	    "seen 00000000000000zz\n"
	    "seen 00000000000000b\n"
	    "seen 00000000000000bb\n"
	    "latest 7 {\"bad\":\"profile\"}\n"
	    "latest 0\n"
	    "latest default {\"ok\":1}\n"
	    "\n"
	    "seen 00000000000000c";	/* torn: no newline */
	struct store_test_dir *t = *state;
	struct store_feed *sf;

	store_test_write(t->path, "world", content, sizeof content - 1);
	sf = store_test_open(t->path, "world", 100, 2, 10);
	assert_int_equal(store_feed_is_new(sf), 0);
	assert_int_equal(store_seen_count(sf), 2);
	STORE_TEST_SEEN(sf, 1, 0xaa, 0xbb);
	STORE_TEST_SEEN(sf, 0, 0xb, 0xc);
	store_test_latest_is(sf, 0, "{\"ok\":1}", (const char *)NULL);
	assert_int_equal(store_latest_count(sf, 1), 0);
	assert_int_equal(store_feed_dirty(sf), 0);
	/* Saving writes the sound records back, and only those. */
	store_seen_add(sf, 0xdd);
	store_test_save_free(sf);
	sf = store_test_open(t->path, "world", 100, 2, 10);
	assert_int_equal(store_seen_count(sf), 3);
	assert_int_equal(store_seen(sf, 0xdd), 1);
	store_feed_free(sf);
}

/*
 * Damage inside a record's value: a latest digest that is not one JSON
 * object in UTF-8 (it would go out in the next retained bundle) and a
 * header value with a control character are skipped; the text written
 * back holds only the sound records, and reads back the same.
 */
static void
store_test_damaged_values(void **state)
{
	static const char content[] =
	    "newsdigest-state 1\n"
	    "fetched\n"
	    "etag \"a\rb\"\n"
	    "modified Tue, 17 Nov 2026 10:00:00 GMT\n"
	    "seen 00000000000000aa\n"
	    "latest default {\"ok\":1}\n"
	    "latest default {\"cut\":\n"
	    "latest default {\"a\":1}xyz\n"
	    "latest default [1]\n"
	    "latest default  {\"a\":1}\n"
	    "latest default {\"s\":\"\xff\xfe\"}\n"
	    "latest default {\"s\":\"\x01\"}\n"
	    "latest lcd {\"v\":\"caf\xc3\xa9\"}\n";
	struct store_feed *sf, *again;
	struct buf out, out2;
	char want[1024];

	(void)state;
	sf = store_feed_new("/nonexistent", "world", 100, store_test_profiles, 2, 10);
	assert_non_null(sf);
	/* An old file's ids have no day: they get today's. */
	store_set_today(sf, 20500);
	store_feed_parse(sf, content, sizeof content - 1);
	assert_null(store_etag(sf));
	assert_string_equal(store_last_modified(sf), "Tue, 17 Nov 2026 10:00:00 GMT");
	assert_int_equal(store_seen(sf, 0xaa), 1);
	assert_int_equal(store_latest_count(sf, 0), 1);
	assert_string_equal(store_latest_get(sf, 0, 0), "{\"ok\":1}");
	assert_int_equal(store_latest_count(sf, 1), 1);
	assert_string_equal(store_latest_get(sf, 1, 0), "{\"v\":\"caf\xc3\xa9\"}");
	buf_init(&out, 0);
	assert_int_equal(store_feed_format(sf, &out), 0);
	assert_string_equal(buf_str(&out), store_test_sealed(want, sizeof want,
	    "fetched",
	    "modified Tue, 17 Nov 2026 10:00:00 GMT",
	    "seen 00000000000000aa 20500",
	    "latest default {\"ok\":1}",
	    "latest lcd {\"v\":\"caf\xc3\xa9\"}", (const char *)NULL));
	again = store_feed_new("/nonexistent", "world", 100, store_test_profiles, 2, 10);
	assert_non_null(again);
	store_feed_parse(again, out.data, out.len);
	buf_init(&out2, 0);
	assert_int_equal(store_feed_format(again, &out2), 0);
	assert_string_equal(buf_str(&out2), buf_str(&out));
	buf_free(&out);
	buf_free(&out2);
	store_feed_free(again);
	store_feed_free(sf);
}

/* A file with the wrong magic (or only a torn magic line) is ignored: a new feed. */
static void
store_test_wrong_magic(void **state)
{
	static const char *const files[] = {
		"newsdigest-state 3\nfetched\nseen 00000000000000aa\n",
		"newsdigest-state 10\nfetched\nseen 00000000000000aa\n",
		"newsdigest-state\nfetched\nseen 00000000000000aa\n",
		"fetched\nseen 00000000000000aa\n",
		"newsdigest-state 1",
		"",
	};
	struct store_test_dir *t = *state;
	struct store_feed *sf;
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		store_test_write(t->path, "world", files[i], strlen(files[i]));
		sf = store_test_open(t->path, "world", 100, 1, 10);
		assert_int_equal(store_feed_is_new(sf), 1);
		assert_int_equal(store_seen_count(sf), 0);
		assert_int_equal(store_seen(sf, 0xaa), 0);
		store_feed_free(sf);
	}
}

/* A test in a temp directory of its own (struct store_test_dir). */
#define STORE_TEST_IN_DIR(test) \
	cmocka_unit_test_setup_teardown(test, store_test_setup, store_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST_IN_DIR(store_test_new_feed),
		STORE_TEST_IN_DIR(store_test_creates_dir),
		STORE_TEST_IN_DIR(store_test_bad_dir),
		STORE_TEST_IN_DIR(store_test_seen_persist),
		STORE_TEST_IN_DIR(store_test_checksums),
		STORE_TEST_IN_DIR(store_test_seen_days),
		STORE_TEST_IN_DIR(store_test_save_format),
		STORE_TEST_IN_DIR(store_test_seen_grows),
		STORE_TEST_IN_DIR(store_test_seen_bound),
		STORE_TEST_IN_DIR(store_test_latest),
		STORE_TEST_IN_DIR(store_test_latest_off),
		STORE_TEST_IN_DIR(store_test_latest_clear_and_walk),
		STORE_TEST_IN_DIR(store_test_damaged_file),
		STORE_TEST_IN_DIR(store_test_wrong_magic),
		cmocka_unit_test(store_test_damaged_values),
	};

	/* The skipped records are logged as warnings; keep the test output to the results. */
	log_level = LOG_LEVEL_ERROR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
