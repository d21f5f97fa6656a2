/*
 * store — per-feed state files.
 *
 * STATE_DIR/NAME.state is text, one record a line, each but the first
 * ending in a space and the CRC-32 of what precedes it (8 hex digits), so
 * that a damaged line is skipped rather than trusted:
 *   newsdigest-state 2
 *   fetched
 *   etag VALUE            (HTTP validators of the copy last read)
 *   modified VALUE
 *   seen HEX16 DAY        (oldest first; DAY: when the feed last listed
 *                          it, in days since 1970; absent in old files)
 *   latest PROFILE JSON   (newest first per profile; by name, so that
 *                          reordering profiles in the config is harmless)
 * It is small (a few thousand ids) and rewritten whole after changes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include <cjson/cJSON.h>

#include "newsdigest/buf.h"
#include "newsdigest/log.h"
#include "newsdigest/store.h"
#include "newsdigest/text.h"

#define STORE_MAGIC "newsdigest-state 2"
#define STORE_MAGIC_V1 "newsdigest-state 1"	/* no checksums; still read */
#define STORE_MAX_FILE ((size_t)64 << 20)

struct store_feed {
	char *dir;
	char *name;
	char *path;
	uint64_t *seen;		/* ring of seen_cap, oldest at seen_head */
	uint32_t *seen_day;	/* beside it: the day the feed last listed the id */
	uint32_t today;		/* days since 1970, stamped on ids added or met */
	size_t seen_cap;	/* grows to seen_max as ids come: most feeds need few */
	size_t seen_max;
	size_t seen_n;
	size_t seen_head;
	size_t nprofiles;
	char **profiles;	/* their names */
	size_t latest_max;
	char **latest;		/* nprofiles x latest_max, newest first */
	size_t *latest_n;
	char *etag;
	char *modified;
	int fetched;
	int dirty;
	int failing;		/* the last save failed: said once, until one works */
};

/* Create dir and its parents (mode 0750). Returns 0 or -1. */
static int
store_mkdirs(const char *dir)
{
	char path[4096];
	size_t i, len = strlen(dir);

	if (len >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0750) == -1 && errno != EEXIST)
			return -1;
		path[i] = i == len ? '\0' : '/';
	}
	return 0;
}

/* Read the whole file at path into b. Returns 0, 1 when missing, -1. */
static int
store_read_file(const char *path, struct buf *b)
{
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 1 : -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
	return n == -1 || buf_failed(b) ? -1 : 0;
}

/* Parse a 16-hex-digit id. Returns 0 or -1. */
static int
store_hex(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len != 16)
		return -1;
	for (i = 0; i < 16; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Append one latest entry when reading, oldest first within the file order. */
static void
store_latest_load(struct store_feed *sf, size_t profile, const char *json, size_t len)
{
	size_t n = sf->latest_n[profile];
	char *copy;

	if (n == sf->latest_max || (copy = strndup(json, len)) == NULL)
		return;
	sf->latest[profile * sf->latest_max + n] = copy;
	sf->latest_n[profile] = n + 1;
}

/*
 * Parse "HEX16" or "HEX16 DAY" of a seen record into *id and *day (0
 * when the record has no day: an older file). Returns 0 or -1.
 */
static int
store_seen_line(const char *s, size_t len, uint64_t *id, uint32_t *day)
{
	uint64_t d = 0;
	size_t i;

	*day = 0;
	if (len < 16 || store_hex(s, 16, id) == -1)
		return -1;
	if (len == 16)
		return 0;
	if (s[16] != ' ' || len == 17 || len > 17 + 9)
		return -1;
	for (i = 17; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = d * 10 + (uint64_t)(s[i] - '0');
	}
	if (d == 0 || d > UINT32_MAX)
		return -1;
	*day = (uint32_t)d;
	return 0;
}

/* Return the CRC-32 of len bytes at p. */
static uint32_t
store_crc(const char *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)p, (uInt)len);
}

/* End the record b holds from start with its checksum and a newline. */
static void
store_seal(struct buf *b, size_t start)
{
	if (!buf_failed(b))
		buf_printf(b, " %08lx\n", (unsigned long)store_crc(b->data + start, b->len - start));
}

/*
 * Check the checksum at the end of the line [start, *end) and move *end
 * before it. Returns 0, or -1 when it is missing or does not match.
 */
static int
store_check_line(const char *data, size_t start, size_t *end)
{
	uint64_t crc;
	char hex[17];

	if (*end - start < 10 || data[*end - 9] != ' ')
		return -1;
	/* store_hex() reads 16 digits: pad the 8 of a CRC-32. */
	memcpy(hex, "00000000", 8);
	memcpy(hex + 8, data + *end - 8, 8);
	if (store_hex(hex, 16, &crc) == -1)
		return -1;
	*end -= 9;
	return store_crc(data + start, *end - start) == (uint32_t)crc ? 0 : -1;
}

/* Tell whether a header value read back holds no control character. */
static int
store_printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * Tell whether a latest record's JSON is what the daemon writes: one JSON
 * object, from its '{' to its '}', in valid UTF-8 on one line. A damaged
 * one would go out in the next retained bundle.
 */
static int
store_json_sound(const char *json, size_t len)
{
	const char *end = NULL;
	cJSON *j;
	int ok;

	if (len < 2 || json[0] != '{' || json[len - 1] != '}' || !store_printable(json, len) ||
	    !text_utf8_valid(json, len))
		return 0;
	if ((j = cJSON_ParseWithLengthOpts(json, len, &end, 0)) == NULL)
		return 0;
	ok = cJSON_IsObject(j) && end == json + len;
	cJSON_Delete(j);
	return ok;
}

/* Read the records of a state file; log what is skipped. */
void
store_feed_parse(struct store_feed *sf, const char *data, size_t len)
{
	size_t start = 0, end, next, bad = 0, line = 0, prof, n;
	const char *name, *sp;
	uint64_t id;
	uint32_t day;
	int v1 = 0;

	while (start < len) {
		for (end = start; end < len && data[end] != '\n'; end++)
			;
		line++;
		if (end == len) {
			/* A last line without its newline is a torn write. */
			bad++;
			break;
		}
		next = end + 1;
		if (line == 1) {
			v1 = end - start == strlen(STORE_MAGIC_V1) &&
			    memcmp(data, STORE_MAGIC_V1, end - start) == 0;
			if (!v1 && (end - start != strlen(STORE_MAGIC) ||
			    memcmp(data, STORE_MAGIC, end - start) != 0)) {
				log_warnx("%s: not a state file, ignored", sf->path);
				return;
			}
		} else if (!v1 && store_check_line(data, start, &end) == -1) {
			bad++;
		} else if (end - start == 7 && memcmp(data + start, "fetched", 7) == 0) {
			sf->fetched = 1;
		} else if (end - start > 5 && memcmp(data + start, "etag ", 5) == 0 &&
		    store_printable(data + start + 5, end - start - 5)) {
			free(sf->etag);
			sf->etag = strndup(data + start + 5, end - start - 5);
		} else if (end - start > 9 && memcmp(data + start, "modified ", 9) == 0 &&
		    store_printable(data + start + 9, end - start - 9)) {
			free(sf->modified);
			sf->modified = strndup(data + start + 9, end - start - 9);
		} else if (end - start > 5 && memcmp(data + start, "seen ", 5) == 0 &&
		    store_seen_line(data + start + 5, end - start - 5, &id, &day) == 0) {
			store_seen_add(sf, id);
			if (day != 0)
				sf->seen_day[(sf->seen_head + sf->seen_n - 1) % sf->seen_cap] = day;
		} else if (end - start > 7 && memcmp(data + start, "latest ", 7) == 0 &&
		    (sp = memchr(data + start + 7, ' ', end - start - 7)) != NULL &&
		    store_json_sound(sp + 1, (size_t)(data + end - sp - 1))) {
			name = data + start + 7;
			n = (size_t)(sp - name);
			/* A profile since removed from the config is no damage. */
			for (prof = 0; prof < sf->nprofiles; prof++)
				if (strlen(sf->profiles[prof]) == n &&
				    memcmp(sf->profiles[prof], name, n) == 0)
					break;
			if (prof < sf->nprofiles)
				store_latest_load(sf, prof, sp + 1, (size_t)(data + end - sp - 1));
		} else {
			bad++;
		}
		start = next;
	}
	if (bad > 0)
		log_warnx("%s: %zu damaged record%s skipped", sf->path, bad, bad == 1 ? "" : "s");
	sf->dirty = 0;
}

/* Create the state directory. */
int
store_make_dir(const char *dir)
{
	if (store_mkdirs(dir) == -1) {
		log_warn("state directory %s", dir);
		return -1;
	}
	return 0;
}

/* Make an empty state, without I/O. */
struct store_feed *
store_feed_new(const char *dir, const char *name, size_t max_seen,
    const char *const *profiles, size_t nprofiles, size_t max_latest)
{
	struct store_feed *sf;
	struct buf b;
	size_t i;

	if ((sf = calloc(1, sizeof *sf)) == NULL)
		return NULL;
	sf->seen_max = max_seen > 0 ? max_seen : 1;
	sf->today = (uint32_t)(time(NULL) / 86400);
	sf->nprofiles = nprofiles;
	sf->latest_max = max_latest;
	buf_init(&b, 0);
	buf_printf(&b, "%s/%s.state", dir, name);
	sf->path = buf_steal(&b, NULL);
	if ((sf->dir = strdup(dir)) == NULL || (sf->name = strdup(name)) == NULL ||
	    sf->path == NULL ||
	    (sf->latest = calloc(nprofiles * (max_latest + 1), sizeof *sf->latest)) == NULL ||
	    (sf->latest_n = calloc(nprofiles + 1, sizeof *sf->latest_n)) == NULL ||
	    (sf->profiles = calloc(nprofiles + 1, sizeof *sf->profiles)) == NULL) {
		store_feed_free(sf);
		return NULL;
	}
	for (i = 0; i < nprofiles; i++) {
		if ((sf->profiles[i] = strdup(profiles[i])) == NULL) {
			store_feed_free(sf);
			return NULL;
		}
	}
	return sf;
}

/* Load a feed's state. */
struct store_feed *
store_feed_open(const char *dir, const char *name, size_t max_seen,
    const char *const *profiles, size_t nprofiles, size_t max_latest)
{
	struct store_feed *sf;
	struct buf b;
	int rc;

	if (store_mkdirs(dir) == -1) {
		log_warn("state directory %s", dir);
		return NULL;
	}
	if ((sf = store_feed_new(dir, name, max_seen, profiles, nprofiles, max_latest)) == NULL) {
		log_warnx("feed %s: out of memory loading state", name);
		return NULL;
	}
	buf_init(&b, STORE_MAX_FILE);
	rc = store_read_file(sf->path, &b);
	if (rc == -1)
		log_warn("%s: cannot read, starting afresh", sf->path);
	else if (rc == 0)
		store_feed_parse(sf, buf_str(&b), b.len);
	buf_free(&b);
	return sf;
}

/* Free a feed's state. */
void
store_feed_free(struct store_feed *sf)
{
	size_t i;

	if (sf == NULL)
		return;
	if (sf->latest != NULL)
		for (i = 0; i < sf->nprofiles * sf->latest_max; i++)
			free(sf->latest[i]);
	free(sf->latest);
	free(sf->latest_n);
	if (sf->profiles != NULL)
		for (i = 0; i < sf->nprofiles; i++)
			free(sf->profiles[i]);
	free(sf->profiles);
	free(sf->seen);
	free(sf->seen_day);
	free(sf->etag);
	free(sf->modified);
	free(sf->path);
	free(sf->name);
	free(sf->dir);
	free(sf);
}

/* Tell whether the feed is new. */
int
store_feed_is_new(const struct store_feed *sf)
{
	return !sf->fetched;
}

/* Mark the feed fetched. */
void
store_feed_set_fetched(struct store_feed *sf)
{
	if (!sf->fetched) {
		sf->fetched = 1;
		sf->dirty = 1;
	}
}

/* Replace *slot by a copy of v (NULL or "" clears it); note a change. */
static void
store_set_str(struct store_feed *sf, char **slot, const char *v)
{
	char *copy = NULL;
	size_t i;

	if (v != NULL && *v != '\0') {
		if ((copy = strdup(v)) == NULL)
			return;
		/* One line a record: a header value never holds a line break. */
		for (i = 0; copy[i] != '\0'; i++)
			if (copy[i] == '\n' || copy[i] == '\r')
				copy[i] = ' ';
	}
	if ((*slot == NULL && copy == NULL) ||
	    (*slot != NULL && copy != NULL && strcmp(*slot, copy) == 0)) {
		free(copy);
		return;
	}
	free(*slot);
	*slot = copy;
	sf->dirty = 1;
}

/* Remember the HTTP validators of the copy just read. */
void
store_set_validators(struct store_feed *sf, const char *etag, const char *last_modified)
{
	store_set_str(sf, &sf->etag, etag);
	store_set_str(sf, &sf->modified, last_modified);
}

/* Return the ETag of the copy last read, or NULL. */
const char *
store_etag(const struct store_feed *sf)
{
	return sf->etag;
}

/* Return the Last-Modified of the copy last read, or NULL. */
const char *
store_last_modified(const struct store_feed *sf)
{
	return sf->modified;
}

/* Return the slot of id, or -1; the set is small, a scan is cheaper than an index. */
static ssize_t
store_seen_find(const struct store_feed *sf, uint64_t id)
{
	size_t i;

	for (i = 0; i < sf->seen_n; i++)
		if (sf->seen[i] == id)
			return (ssize_t)i;
	return -1;
}

/* Look an id up. */
int
store_seen(const struct store_feed *sf, uint64_t id)
{
	return store_seen_find(sf, id) != -1;
}

/* Remember an id. */
void
store_seen_add(struct store_feed *sf, uint64_t id)
{
	uint64_t *ns;
	uint32_t *nd;
	size_t ncap, at;

	/* Grow while the ring has not wrapped; if memory runs out, wrap sooner. */
	if (sf->seen_n == sf->seen_cap && sf->seen_cap < sf->seen_max && sf->seen_head == 0) {
		ncap = sf->seen_cap < 32 ? 32 : sf->seen_cap * 2;
		if (ncap > sf->seen_max)
			ncap = sf->seen_max;
		if ((ns = reallocarray(sf->seen, ncap, sizeof *ns)) != NULL) {
			sf->seen = ns;
			if ((nd = reallocarray(sf->seen_day, ncap, sizeof *nd)) != NULL) {
				sf->seen_day = nd;
				sf->seen_cap = ncap;
			}
		}
	}
	if (sf->seen_cap == 0)
		return;
	if (sf->seen_n < sf->seen_cap) {
		at = (sf->seen_head + sf->seen_n) % sf->seen_cap;
		sf->seen_n++;
	} else {
		at = sf->seen_head;
		sf->seen_head = (sf->seen_head + 1) % sf->seen_cap;
	}
	sf->seen[at] = id;
	sf->seen_day[at] = sf->today;
	sf->dirty = 1;
}

/* Count the ids. */
size_t
store_seen_count(const struct store_feed *sf)
{
	return sf->seen_n;
}

/* Set the day stamped on ids from now on. */
void
store_set_today(struct store_feed *sf, uint32_t day)
{
	sf->today = day;
}

/* Look an id up and note that the feed lists it today. */
int
store_seen_touch(struct store_feed *sf, uint64_t id)
{
	ssize_t i = store_seen_find(sf, id);

	if (i == -1)
		return 0;
	if (sf->seen_day[i] != sf->today) {
		sf->seen_day[i] = sf->today;
		sf->dirty = 1;
	}
	return 1;
}

/* Forget the ids the feed has not listed since day before. */
size_t
store_seen_forget(struct store_feed *sf, uint32_t before)
{
	uint64_t *ns;
	uint32_t *nd;
	size_t i, from, n = 0;

	for (i = 0; i < sf->seen_n; i++)
		if (sf->seen_day[i] < before)
			break;
	if (i == sf->seen_n)
		return 0;
	/* Copied out oldest first without them: the ring may have wrapped. */
	ns = reallocarray(NULL, sf->seen_cap, sizeof *ns);
	nd = reallocarray(NULL, sf->seen_cap, sizeof *nd);
	if (ns == NULL || nd == NULL) {
		free(ns);
		free(nd);
		return 0;
	}
	for (i = 0; i < sf->seen_n; i++) {
		from = (sf->seen_head + i) % sf->seen_cap;
		if (sf->seen_day[from] < before)
			continue;
		ns[n] = sf->seen[from];
		nd[n++] = sf->seen_day[from];
	}
	free(sf->seen);
	free(sf->seen_day);
	sf->seen = ns;
	sf->seen_day = nd;
	i = sf->seen_n - n;
	sf->seen_n = n;
	sf->seen_head = 0;
	sf->dirty = 1;
	return i;
}

/* Add a digest to the front of a latest list. */
int
store_latest_push(struct store_feed *sf, size_t profile, const char *json, size_t len)
{
	char **l = sf->latest + profile * sf->latest_max;
	size_t n = sf->latest_n[profile];
	char *copy;

	if (sf->latest_max == 0)
		return 0;
	if ((copy = strndup(json, len)) == NULL)
		return -1;
	if (n == sf->latest_max)
		free(l[--n]);
	memmove(l + 1, l, n * sizeof *l);
	l[0] = copy;
	sf->latest_n[profile] = n + 1;
	sf->dirty = 1;
	return 0;
}

/* Count a profile's latest digests. */
size_t
store_latest_count(const struct store_feed *sf, size_t profile)
{
	return sf->latest_n[profile];
}

/* Return one latest digest. */
const char *
store_latest_get(const struct store_feed *sf, size_t profile, size_t i)
{
	return sf->latest[profile * sf->latest_max + i];
}

/* Forget a profile's latest digests. */
void
store_latest_clear(struct store_feed *sf, size_t profile)
{
	char **l = sf->latest + profile * sf->latest_max;
	size_t i;

	for (i = 0; i < sf->latest_n[profile]; i++) {
		free(l[i]);
		l[i] = NULL;
	}
	if (sf->latest_n[profile] > 0)
		sf->dirty = 1;
	sf->latest_n[profile] = 0;
}

/* Walk the feeds with a state file in dir. */
int
store_each_feed(const char *dir, void (*cb)(void *arg, const char *name), void *arg)
{
	static const char suffix[] = ".state";
	const size_t sl = sizeof suffix - 1;
	struct dirent *de;
	char name[256];
	size_t n;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		log_warn("state directory %s", dir);
		return -1;
	}
	/* readdir() says an error (EOVERFLOW, EIO) only through errno. */
	while ((errno = 0, de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (n <= sl || n - sl >= sizeof name || strcmp(de->d_name + n - sl, suffix) != 0)
			continue;
		memcpy(name, de->d_name, n - sl);
		name[n - sl] = '\0';
		cb(arg, name);
	}
	if (errno != 0) {
		log_warn("state directory %s", dir);
		closedir(dp);
		return -1;
	}
	closedir(dp);
	return 0;
}

/* Tell whether there is something to save. */
int
store_feed_dirty(const struct store_feed *sf)
{
	return sf->dirty;
}

/* Write all of len bytes at p to fd. */
int
store_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync a directory, so that a rename in it survives a power cut. */
void
store_sync_dir(const char *dir)
{
	int dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
}

/* Write the state file's text. */
int
store_feed_format(const struct store_feed *sf, struct buf *b)
{
	size_t i, j, start;

	buf_printf(b, "%s\n", STORE_MAGIC);
	if (sf->fetched) {
		start = b->len;
		buf_adds(b, "fetched");
		store_seal(b, start);
	}
	if (sf->etag != NULL) {
		start = b->len;
		buf_printf(b, "etag %s", sf->etag);
		store_seal(b, start);
	}
	if (sf->modified != NULL) {
		start = b->len;
		buf_printf(b, "modified %s", sf->modified);
		store_seal(b, start);
	}
	for (i = 0; i < sf->seen_n; i++) {
		start = b->len;
		buf_printf(b, "seen %016llx %lu",
		    (unsigned long long)sf->seen[(sf->seen_head + i) % sf->seen_cap],
		    (unsigned long)sf->seen_day[(sf->seen_head + i) % sf->seen_cap]);
		store_seal(b, start);
	}
	for (i = 0; i < sf->nprofiles; i++)
		for (j = 0; j < sf->latest_n[i]; j++) {
			start = b->len;
			buf_printf(b, "latest %s %s", sf->profiles[i], store_latest_get(sf, i, j));
			store_seal(b, start);
		}
	return buf_failed(b) ? -1 : 0;
}

/* Save a feed's state: temp file, fsync, rename, fsync the directory. */
int
store_feed_save(struct store_feed *sf)
{
	struct buf b;
	char *tmp = NULL;
	int fd = -1, rc = -1;

	buf_init(&b, STORE_MAX_FILE);
	if (store_feed_format(sf, &b) == -1) {
		log_warnx("%s: state too large or out of memory", sf->path);
		goto out;
	}
	{
		struct buf t;

		buf_init(&t, 0);
		buf_printf(&t, "%s.tmp", sf->path);
		if ((tmp = buf_steal(&t, NULL)) == NULL)
			goto out;
	}
	/* A full disk fails every save of every feed: said once until one works. */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) == -1 ||
	    store_write_all(fd, b.data, b.len) == -1 || fsync(fd) == -1) {
		if (!sf->failing)
			log_warn("%s", tmp);
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, sf->path) == -1) {
		if (!sf->failing)
			log_warn("rename %s", sf->path);
		goto out;
	}
	store_sync_dir(sf->dir);
	sf->dirty = 0;
	if (sf->failing)
		log_info("%s: saved again", sf->path);
	rc = 0;
out:
	sf->failing = rc == -1;
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	buf_free(&b);
	return rc;
}
