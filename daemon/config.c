/*
 * config — INI parsing, checked against one table of keys.
 *
 * Each section kind has a table of its keys: type, place in the struct,
 * range. Parsing a line is a table lookup, not a strcmp chain, and every
 * error is collected rather than stopping at the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newsdigest/config.h"
#include "newsdigest/hash.h"
#include "newsdigest/log.h"
#include "paths.h"		/* made by make: ND_SYSCONFDIR, ND_STATEDIR */

#define CONFIG_MAX_FILE ((size_t)1 << 20)
#define CONFIG_MAX_SHARDS 1024

const char config_default_path[] = ND_SYSCONFDIR "/newsdigest/newsdigest.conf";

enum config_type {
	CONFIG_STRING,
	CONFIG_NAME,		/* a string fit for a topic level */
	CONFIG_LONG,
	CONFIG_SIZET,
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_DURATION,
	CONFIG_BYTES,
	CONFIG_LEVEL,
	CONFIG_PROTOCOL,
	CONFIG_COMPRESSION,
	CONFIG_BACKLOG,
	CONFIG_URL,
	CONFIG_SHARD,
	CONFIG_DICTIONARY,
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t off;
	int64_t min;	/* strings: 1 = must not be empty, 0 = empty unsets */
	int64_t max;
};

enum config_section { CONFIG_S_NONE, CONFIG_S_DAEMON, CONFIG_S_MQTT, CONFIG_S_PROFILE, CONFIG_S_FEED };

#define C(f) offsetof(struct config, f)
static const struct config_key config_daemon_keys[] = {
	{ "state_dir", CONFIG_STRING, C(state_dir), 1, 0 },
	{ "log_level", CONFIG_LEVEL, C(log_level), 0, 0 },
	{ "max_parallel_fetches", CONFIG_LONG, C(max_parallel_fetches), 1, 64 },
	{ "stats_interval", CONFIG_DURATION, C(stats_interval), 1, 86400 },
	{ "max_feed_size", CONFIG_BYTES, C(max_feed_size), 1024, (int64_t)1 << 30 },
	{ "fetch_timeout", CONFIG_DURATION, C(fetch_timeout), 1, 3600 },
	{ "max_items", CONFIG_LONG, C(max_items), 1, 100000 },
	{ "seen_per_feed", CONFIG_LONG, C(seen_per_feed), 10, 1000000 },
	{ "seen_max_age", CONFIG_DURATION, C(seen_max_age), 86400, (int64_t)3650 * 86400 },
	{ "outbox_max_messages", CONFIG_LONG, C(outbox_max_messages), 100, 10000000 },
	{ "outbox_max_size", CONFIG_BYTES, C(outbox_max_size), (int64_t)64 << 10,
	    (int64_t)16 << 30 },
	{ "outbox_max_age", CONFIG_DURATION, C(outbox_max_age), 60, 365 * 86400 },
	{ "shard", CONFIG_SHARD, C(shard_index), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct config_key config_mqtt_keys[] = {
	{ "host", CONFIG_STRING, C(host), 1, 0 },
	{ "port", CONFIG_LONG, C(port), 1, 65535 },
	{ "client_id", CONFIG_STRING, C(client_id), 1, 0 },
	{ "topic_prefix", CONFIG_NAME, C(topic_prefix), 0, 0 },
	{ "protocol", CONFIG_PROTOCOL, C(protocol), 0, 0 },
	{ "keepalive", CONFIG_DURATION, C(keepalive), 5, 65535 },
	{ "username", CONFIG_STRING, C(username), 0, 0 },
	{ "password_file", CONFIG_STRING, C(password_file), 0, 0 },
	{ "tls_ca_file", CONFIG_STRING, C(tls_ca_file), 0, 0 },
	{ "tls_cert_file", CONFIG_STRING, C(tls_cert_file), 0, 0 },
	{ "tls_key_file", CONFIG_STRING, C(tls_key_file), 0, 0 },
	{ "session_expiry", CONFIG_DURATION, C(session_expiry), 0, UINT32_MAX },
	{ NULL, 0, 0, 0, 0 },
};
#undef C

#define P(f) offsetof(struct digest_profile, f)
static const struct config_key config_profile_keys[] = {
	{ "headline_chars", CONFIG_SIZET, P(headline_chars), 8, 1024 },
	{ "summary_chars", CONFIG_SIZET, P(summary_chars), 0, 4096 },
	{ "tags", CONFIG_SIZET, P(tags), 0, 16 },
	{ "ascii", CONFIG_BOOL, P(ascii), 0, 0 },
	{ "compression", CONFIG_COMPRESSION, P(compression), 0, 0 },
	{ "window_bits", CONFIG_INT, P(window_bits), 9, 15 },
	{ "latest", CONFIG_SIZET, P(latest), 0, 100 },
	{ "expiry", CONFIG_DURATION, P(expiry), 0, (int64_t)1 << 31 },
	{ "dictionary", CONFIG_DICTIONARY, P(dict), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};
#undef P

#define F(f) offsetof(struct config_feed, f)
static const struct config_key config_feed_keys[] = {
	{ "url", CONFIG_URL, F(url), 0, 0 },
	{ "interval", CONFIG_DURATION, F(interval), 1, 7 * 86400 },
	{ "language", CONFIG_STRING, F(language), 1, 0 },
	{ "backlog", CONFIG_BACKLOG, F(backlog), 0, 100000 },
	{ NULL, 0, 0, 0, 0 },
};
#undef F

/*
 * Where one key was set: an entry per key line taken, in file order, so
 * that a check made once the whole file is read can name the key's line.
 */
struct config_keyline {
	unsigned line;
	unsigned char sect;	/* enum config_section */
	unsigned char key;	/* its place in the section's table */
	size_t n;		/* which [profile] or [feed] in the file (every shard); 0: the others */
};

/* Return the table of keys of section kind sect, or NULL. */
static const struct config_key *
config_section_keys(enum config_section sect)
{
	switch (sect) {
	case CONFIG_S_DAEMON:
		return config_daemon_keys;
	case CONFIG_S_MQTT:
		return config_mqtt_keys;
	case CONFIG_S_PROFILE:
		return config_profile_keys;
	case CONFIG_S_FEED:
		return config_feed_keys;
	case CONFIG_S_NONE:
		break;
	}
	return NULL;
}

/* Remember that key (its place in sect's table) of the n-th such section was set on line. */
static void
config_keyline_add(struct config *cfg, enum config_section sect, size_t n, size_t key,
    unsigned line)
{
	size_t len = cfg->nkeylines;

	/* The array doubles each time its length reaches a power of two. */
	if (len == 0 || (len & (len - 1)) == 0) {
		cfg->keylines = reallocarray(cfg->keylines, len == 0 ? 16 : len * 2,
		    sizeof *cfg->keylines);
		if (cfg->keylines == NULL)
			fatal("reallocarray");
	}
	cfg->keylines[len].line = line;
	cfg->keylines[len].sect = (unsigned char)sect;
	cfg->keylines[len].key = (unsigned char)key;
	cfg->keylines[len].n = n;
	cfg->nkeylines = len + 1;
}

/* Return the line that last set key name of the n-th section of kind sect; 0 when none did. */
static unsigned
config_key_line(const struct config *cfg, enum config_section sect, size_t n, const char *name)
{
	const struct config_key *keys = config_section_keys(sect);
	size_t i, key;

	for (key = 0; keys[key].name != NULL; key++)
		if (strcmp(keys[key].name, name) == 0)
			break;
	for (i = cfg->nkeylines; i > 0; i--)
		if (cfg->keylines[i - 1].sect == sect && cfg->keylines[i - 1].key == key &&
		    cfg->keylines[i - 1].n == n)
			return cfg->keylines[i - 1].line;
	return 0;
}

/* Append one "PATH:LINE: message" error. */
static void __attribute__((format(printf, 4, 5)))
config_error(struct buf *errors, const char *path, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_printf(errors, "%s:%u: %s\n", path, line, msg);
}

/* Parse a number with a unit suffix from units (suffix, factor pairs). */
static int
config_number(const char *s, const char *const *suffixes, const int64_t *factors, int64_t *out)
{
	char *end;
	long long v;
	size_t i;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	for (i = 0; suffixes[i] != NULL; i++) {
		if (strcmp(end, suffixes[i]) == 0) {
			if (factors[i] != 0 && v > INT64_MAX / factors[i])
				return -1;
			*out = (int64_t)v * factors[i];
			return 0;
		}
	}
	return -1;
}

/* Parse a duration. */
int
config_duration(const char *s, int64_t *out)
{
	static const char *const suf[] = { "", "s", "m", "h", "d", NULL };
	static const int64_t fac[] = { 1, 1, 60, 3600, 86400 };

	return config_number(s, suf, fac, out);
}

/* Parse a size. */
int
config_size(const char *s, int64_t *out)
{
	static const char *const suf[] = { "", "k", "K", "M", "G", NULL };
	static const int64_t fac[] = { 1, 1024, 1024, 1 << 20, 1 << 30 };

	return config_number(s, suf, fac, out);
}

/* Return 1 when a name may be used as a topic level (and a file name). */
static int
config_topic_safe(const char *s)
{
	return *s != '\0' && strpbrk(s, "+#/ \t") == NULL;
}

/* Return 1 when url names a host (http, https) or an absolute path (file). */
static int
config_url_ok(const char *url)
{
	if (strncmp(url, "http://", 7) == 0)
		return url[7] != '\0' && url[7] != '/';
	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0' && url[8] != '/';
	return strncmp(url, "file:///", 8) == 0;
}

/*
 * Parse "I/N" into cfg's shard; report a bad value. The count is stored
 * after the index, so both live in struct config.
 */
static void
config_set_shard(struct config *cfg, const char *value, const char *path, unsigned line,
    struct buf *errors)
{
	unsigned long i, n;
	char *end;

	errno = 0;
	if (*value < '0' || *value > '9' || (i = strtoul(value, &end, 10), *end != '/') ||
	    end[1] < '0' || end[1] > '9' || (n = strtoul(end + 1, &end, 10), *end != '\0') ||
	    errno != 0) {
		config_error(errors, path, line, "shard: \"%s\" is not I/N (like 0/3)", value);
		return;
	}
	if (n < 1 || n > CONFIG_MAX_SHARDS || i >= n) {
		config_error(errors, path, line,
		    "shard: %s is out of range (I/N with 0 <= I < N, 1 <= N <= %d)", value,
		    CONFIG_MAX_SHARDS);
		return;
	}
	cfg->shard_index = i;
	cfg->shard_count = n;
}

/*
 * Read the dictionary named by value into profile p: "builtin", a file
 * (relative to the config file's directory), or "" for none. It is cut to
 * the profile's window after the whole section is read.
 */
static void
config_set_dictionary(struct digest_profile *p, const char *value, const char *path,
    unsigned line, struct buf *errors)
{
	const unsigned char *builtin;
	struct buf name, data;
	const char *slash;
	char chunk[4096];
	ssize_t n;
	size_t len;
	int fd;

	free(p->dict);
	p->dict = NULL;
	p->dict_len = 0;
	if (*value == '\0')
		return;
	buf_init(&data, DIGEST_DICT_MAX);
	if (strcmp(value, "builtin") == 0) {
		builtin = digest_dict_builtin(&len);
		buf_add(&data, builtin, len);
	} else {
		buf_init(&name, 0);
		if (*value != '/' && (slash = strrchr(path, '/')) != NULL)
			buf_add(&name, path, (size_t)(slash - path + 1));
		buf_adds(&name, value);
		if ((fd = open(buf_str(&name), O_RDONLY | O_CLOEXEC)) == -1) {
			config_error(errors, path, line, "dictionary: %s: %s", buf_str(&name),
			    strerror(errno));
			buf_free(&name);
			buf_free(&data);
			return;
		}
		while ((n = read(fd, chunk, sizeof chunk)) > 0 && !buf_failed(&data))
			buf_add(&data, chunk, (size_t)n);
		close(fd);
		if (n == -1 || buf_failed(&data) || data.len == 0)
			config_error(errors, path, line, "dictionary: %s: %s", buf_str(&name),
			    n == -1 ? strerror(errno) : data.len == 0 ? "empty file" :
			    "larger than 32768 bytes, the largest window");
		buf_free(&name);
		if (n == -1 || buf_failed(&data) || data.len == 0) {
			buf_free(&data);
			return;
		}
	}
	if ((p->dict = (unsigned char *)buf_steal(&data, &p->dict_len)) == NULL)
		fatal("buf_steal");
}

/*
 * Cut each profile's dictionary to what its window can reach and name it
 * by its Adler-32; a dictionary without compression is an error.
 */
static void
config_fit_dictionaries(struct config *cfg, const char *path, struct buf *errors)
{
	const unsigned char *keep;
	struct digest_profile *p;
	size_t i;

	for (i = 0; i < cfg->nprofiles; i++) {
		p = &cfg->profiles[i];
		if (p->dict == NULL)
			continue;
		if (p->compression == DIGEST_NONE)
			config_error(errors, path,
			    config_key_line(cfg, CONFIG_S_PROFILE, i, "dictionary"),
			    "[profile %s] dictionary needs compression = zlib, not none (line %u)",
			    p->name, config_key_line(cfg, CONFIG_S_PROFILE, i, "compression"));
		keep = p->dict;
		p->dict_len = digest_dict_fit(&keep, p->dict_len, p->window_bits);
		memmove(p->dict, keep, p->dict_len);
		p->dict_id = digest_dict_id(p->dict, p->dict_len);
	}
}

/*
 * Report each [mqtt] key given without the key it needs, at the line of
 * the key given.
 */
static void
config_check_mqtt(const struct config *cfg, const char *path, struct buf *errors)
{
	static const struct {
		const char *key, *needs, *why;
	} pairs[] = {
		{ "tls_cert_file", "tls_key_file", ": a client certificate goes with its key" },
		{ "tls_key_file", "tls_cert_file", ": a client key goes with its certificate" },
		{ "tls_cert_file", "tls_ca_file", ": TLS is on only with tls_ca_file" },
		/* MQTT 3.1.1 allows no password without a user name; libmosquitto neither. */
		{ "password_file", "username", "" },
	};
	const struct config_key *k;
	const char *given, *needed;
	size_t i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		given = needed = NULL;
		for (k = config_mqtt_keys; k->name != NULL; k++) {
			if (strcmp(k->name, pairs[i].key) == 0)
				given = *(char *const *)(const void *)((const char *)cfg + k->off);
			if (strcmp(k->name, pairs[i].needs) == 0)
				needed = *(char *const *)(const void *)((const char *)cfg + k->off);
		}
		if (given != NULL && needed == NULL)
			config_error(errors, path,
			    config_key_line(cfg, CONFIG_S_MQTT, 0, pairs[i].key),
			    "[mqtt] %s needs %s%s", pairs[i].key, pairs[i].needs, pairs[i].why);
	}
}

/* Check and store one value; report problems. */
static void
config_set(const struct config_key *k, void *base, const char *value, const char *path,
    unsigned line, struct buf *errors)
{
	char *p = (char *)base + k->off;
	int64_t v = 0;
	char *end;
	int level;

	switch (k->type) {
	case CONFIG_SHARD:
		config_set_shard(base, value, path, line, errors);
		return;
	case CONFIG_DICTIONARY:
		config_set_dictionary(base, value, path, line, errors);
		return;
	case CONFIG_URL:
		/* Kept even when bad, so that it is not also reported missing. */
		if (!config_url_ok(value))
			config_error(errors, path, line, "%s: \"%s\" is not an http://HOST, "
			    "https://HOST or file:///PATH URL", k->name, value);
		/* FALLTHROUGH */
	case CONFIG_STRING:
	case CONFIG_NAME:
		if (k->type == CONFIG_NAME && !config_topic_safe(value)) {
			config_error(errors, path, line, "%s: \"%s\" must not be empty or hold "
			    "'+', '#', '/' or white space", k->name, value);
			return;
		}
		if (*value == '\0' && k->min > 0) {
			config_error(errors, path, line, "%s must not be empty", k->name);
			return;
		}
		free(*(char **)p);
		*(char **)p = NULL;
		if (*value != '\0' && (*(char **)p = strdup(value)) == NULL)
			fatal("strdup");
		return;
	case CONFIG_LEVEL:
		if ((level = log_level_parse(value)) == -1) {
			config_error(errors, path, line,
			    "%s: \"%s\" is not one of error, warn, info, debug", k->name, value);
			return;
		}
		*(int *)p = level;
		return;
	case CONFIG_PROTOCOL:
		if (strcmp(value, "5") == 0)
			*(int *)p = 5;
		else if (strcmp(value, "3.1.1") == 0)
			*(int *)p = 4;
		else
			config_error(errors, path, line, "%s: \"%s\" is not 5 or 3.1.1", k->name,
			    value);
		return;
	case CONFIG_COMPRESSION:
		if (strcmp(value, "zlib") == 0)
			*(enum digest_compression *)p = DIGEST_ZLIB;
		else if (strcmp(value, "none") == 0)
			*(enum digest_compression *)p = DIGEST_NONE;
		else
			config_error(errors, path, line, "%s: \"%s\" is not zlib or none", k->name,
			    value);
		return;
	case CONFIG_BOOL:
		if (strcmp(value, "yes") == 0)
			*(int *)p = 1;
		else if (strcmp(value, "no") == 0)
			*(int *)p = 0;
		else
			config_error(errors, path, line, "%s: \"%s\" is not yes or no", k->name, value);
		return;
	case CONFIG_BACKLOG:
		if (strcmp(value, "all") == 0) {
			*(long *)p = CONFIG_BACKLOG_ALL;
			return;
		}
		/* FALLTHROUGH */
	case CONFIG_LONG:
	case CONFIG_SIZET:
	case CONFIG_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0) {
			config_error(errors, path, line, "%s: \"%s\" is not a number", k->name, value);
			return;
		}
		break;
	case CONFIG_DURATION:
		if (config_duration(value, &v) == -1) {
			config_error(errors, path, line,
			    "%s: \"%s\" is not a duration (like 90s, 15m, 1h, 1d)", k->name, value);
			return;
		}
		break;
	case CONFIG_BYTES:
		if (config_size(value, &v) == -1) {
			config_error(errors, path, line,
			    "%s: \"%s\" is not a size (like 4096, 512k, 8M)", k->name, value);
			return;
		}
		break;
	}
	if (v < k->min || v > k->max) {
		config_error(errors, path, line, "%s: %s is out of range (%lld to %lld)", k->name,
		    value, (long long)k->min, (long long)k->max);
		return;
	}
	switch (k->type) {
	case CONFIG_LONG:
	case CONFIG_BACKLOG:
		*(long *)p = (long)v;
		break;
	case CONFIG_SIZET:
		*(size_t *)p = (size_t)v;
		break;
	case CONFIG_INT:
		*(int *)p = (int)v;
		break;
	default:
		*(int64_t *)p = v;
		break;
	}
}

/* Fill in the defaults of DESIGN §5. */
static void
config_defaults(struct config *cfg)
{
	char host[256];

	memset(cfg, 0, sizeof *cfg);
	cfg->state_dir = strdup(ND_STATEDIR);
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->max_parallel_fetches = 4;
	cfg->stats_interval = 60;
	cfg->max_feed_size = 8 << 20;
	cfg->fetch_timeout = 60;
	cfg->max_items = 500;
	cfg->seen_per_feed = 2000;
	cfg->seen_max_age = 90 * 86400;
	cfg->outbox_max_messages = 50000;
	cfg->outbox_max_size = (int64_t)64 << 20;
	cfg->outbox_max_age = 7 * 86400;
	cfg->shard_count = 1;
	cfg->host = strdup("localhost");
	cfg->port = 0;		/* 1883, or 8883 with TLS: set once the file is read */
	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	{
		struct buf id;

		buf_init(&id, 0);
		buf_printf(&id, "newsdigestd-%s", host);
		cfg->client_id = buf_steal(&id, NULL);
	}
	cfg->topic_prefix = strdup("news");
	cfg->protocol = 5;
	cfg->keepalive = 60;
	cfg->session_expiry = 86400;
	if (cfg->state_dir == NULL || cfg->host == NULL || cfg->client_id == NULL ||
	    cfg->topic_prefix == NULL)
		fatal("config defaults");
}

/* Set up a new profile with the defaults. */
static void
config_profile_defaults(struct digest_profile *p)
{
	memset(p, 0, sizeof *p);
	p->headline_chars = 96;
	p->summary_chars = 280;
	p->tags = 5;
	p->compression = DIGEST_ZLIB;
	p->window_bits = 10;
	p->latest = 10;
	p->expiry = 86400;
}

/* Set up a new feed with the defaults. */
static void
config_feed_defaults(struct config_feed *f)
{
	memset(f, 0, sizeof *f);
	f->interval = 15 * 60;
	f->backlog = 10;
	if ((f->language = strdup("auto")) == NULL)
		fatal("strdup");
}

/* Trim white space at both ends of s in place; return the start. */
static char *
config_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Open a section from its header text; return its kind. */
static enum config_section
config_section_open(struct config *cfg, char *hdr, const char *path, unsigned line,
    struct buf *errors)
{
	char *name = strchr(hdr, ' ');
	size_t i;

	if (name != NULL) {
		*name++ = '\0';
		name = config_trim(name);
	}
	if (strcmp(hdr, "daemon") == 0 || strcmp(hdr, "mqtt") == 0) {
		if (name != NULL)
			config_error(errors, path, line, "[%s] takes no name", hdr);
		return hdr[0] == 'd' ? CONFIG_S_DAEMON : CONFIG_S_MQTT;
	}
	if (strcmp(hdr, "profile") != 0 && strcmp(hdr, "feed") != 0) {
		config_error(errors, path, line, "unknown section [%s]", hdr);
		return CONFIG_S_NONE;
	}
	if (name == NULL || !config_topic_safe(name)) {
		config_error(errors, path, line,
		    "[%s NAME]: the name must be given and hold no '+', '#', '/' or white space",
		    hdr);
		return CONFIG_S_NONE;
	}
	if (hdr[0] == 'p') {
		for (i = 0; i < cfg->nprofiles; i++)
			if (strcmp(cfg->profiles[i].name, name) == 0)
				config_error(errors, path, line, "profile %s defined twice", name);
		cfg->profiles = reallocarray(cfg->profiles, cfg->nprofiles + 1,
		    sizeof *cfg->profiles);
		if (cfg->profiles == NULL)
			fatal("reallocarray");
		config_profile_defaults(&cfg->profiles[cfg->nprofiles]);
		cfg->profiles[cfg->nprofiles].line = line;
		if ((cfg->profiles[cfg->nprofiles++].name = strdup(name)) == NULL)
			fatal("strdup");
		return CONFIG_S_PROFILE;
	}
	for (i = 0; i < cfg->nfeeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			config_error(errors, path, line, "feed %s defined twice (first at line %u)",
			    name, cfg->feeds[i].line);
	cfg->feeds = reallocarray(cfg->feeds, cfg->nfeeds + 1, sizeof *cfg->feeds);
	if (cfg->feeds == NULL)
		fatal("reallocarray");
	config_feed_defaults(&cfg->feeds[cfg->nfeeds]);
	cfg->feeds[cfg->nfeeds].line = line;
	if ((cfg->feeds[cfg->nfeeds++].name = strdup(name)) == NULL)
		fatal("strdup");
	return CONFIG_S_FEED;
}

/*
 * Keep only the feeds of this daemon's shard, once every feed was checked:
 * the daemon at start and at a reload sees the same list.
 */
static void
config_keep_shard(struct config *cfg)
{
	size_t i, n = 0;

	cfg->nfeeds_all = cfg->nfeeds;
	for (i = 0; i < cfg->nfeeds; i++) {
		if (hash_shard(cfg->feeds[i].name, cfg->shard_count) == cfg->shard_index) {
			cfg->feeds[n++] = cfg->feeds[i];
			continue;
		}
		free(cfg->feeds[i].name);
		free(cfg->feeds[i].url);
		free(cfg->feeds[i].language);
	}
	cfg->nfeeds = n;
}

/* Parse INI text into cfg. */
int
config_parse(struct config *cfg, const char *path, const char *data, size_t len,
    struct buf *errors)
{
	const struct config_key *keys = NULL, *k;
	enum config_section sect = CONFIG_S_NONE;
	unsigned line = 0, seen_keys = 0;
	size_t start = 0, end, i, nsect = 0, before = errors->len;
	char *copy, *s, *eq, *key, *value;
	void *base = NULL;
	int nerr = 0, any_section = 0;

	config_defaults(cfg);
	if ((cfg->path = strdup(path)) == NULL)
		fatal("strdup");
	while (start < len) {
		line++;
		for (end = start; end < len && data[end] != '\n'; end++)
			;
		if (memchr(data + start, '\0', end - start) != NULL) {
			config_error(errors, path, line, "NUL byte in line");
			start = end + 1;
			continue;
		}
		if ((copy = strndup(data + start, end - start)) == NULL)
			fatal("strndup");
		start = end + 1;
		/* A comment starts a line, or follows white space: " ; note". */
		for (i = 0; copy[i] != '\0'; i++)
			if ((copy[i] == ';' || copy[i] == '#') &&
			    (i == 0 || copy[i - 1] == ' ' || copy[i - 1] == '\t')) {
				copy[i] = '\0';
				break;
			}
		s = config_trim(copy);
		if (*s == '\0') {
			free(copy);
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close == NULL || config_trim(close + 1)[0] != '\0') {
				any_section = 1;
				config_error(errors, path, line, "malformed section header");
				sect = CONFIG_S_NONE;
				keys = NULL;
			} else {
				*close = '\0';
				any_section = 1;
				sect = config_section_open(cfg, config_trim(s + 1), path, line, errors);
				keys = config_section_keys(sect);
				nsect = sect == CONFIG_S_PROFILE ? cfg->nprofiles - 1 :
				    sect == CONFIG_S_FEED ? cfg->nfeeds - 1 : 0;
				base = sect == CONFIG_S_DAEMON || sect == CONFIG_S_MQTT ? (void *)cfg :
				    sect == CONFIG_S_PROFILE ? (void *)&cfg->profiles[nsect] :
				    sect == CONFIG_S_FEED ? (void *)&cfg->feeds[nsect] : NULL;
				seen_keys = 0;
			}
			free(copy);
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			config_error(errors, path, line, "expected \"key = value\"");
			free(copy);
			continue;
		}
		*eq = '\0';
		key = config_trim(s);
		value = config_trim(eq + 1);
		if (sect == CONFIG_S_NONE) {
			/* Keys of a bad section were reported with its header. */
			if (!any_section)
				config_error(errors, path, line, "%s: key outside of a section", key);
			free(copy);
			continue;
		}
		for (k = keys, i = 0; k->name != NULL; k++, i++)
			if (strcmp(k->name, key) == 0)
				break;
		if (k->name == NULL) {
			config_error(errors, path, line, "unknown key \"%s\" in this section", key);
		} else if (seen_keys & (1u << i)) {
			config_error(errors, path, line, "%s given twice in this section", key);
		} else {
			seen_keys |= 1u << i;
			config_keyline_add(cfg, sect, nsect, i, line);
			config_set(k, base, value, path, line, errors);
		}
		free(copy);
	}
	for (i = 0; i < cfg->nfeeds; i++)
		if (cfg->feeds[i].url == NULL)
			config_error(errors, path, cfg->feeds[i].line, "feed %s: url is missing",
			    cfg->feeds[i].name);
	if (cfg->nprofiles == 0) {
		if ((cfg->profiles = calloc(1, sizeof *cfg->profiles)) == NULL)
			fatal("calloc");
		config_profile_defaults(&cfg->profiles[0]);
		if ((cfg->profiles[0].name = strdup("default")) == NULL)
			fatal("strdup");
		cfg->nprofiles = 1;
	}
	/* Of the whole file, not of a line: "PATH: message", as config_load() says. */
	if (cfg->nfeeds == 0)
		buf_printf(errors, "%s: no [feed NAME] section: nothing to watch\n", path);
	config_check_mqtt(cfg, path, errors);
	config_fit_dictionaries(cfg, path, errors);
	if (cfg->shard_count > 1) {
		/* Daemons sharing one config must not take each other's session. */
		struct buf id;

		buf_init(&id, 0);
		buf_printf(&id, "%s-%lu", cfg->client_id, cfg->shard_index);
		free(cfg->client_id);
		if ((cfg->client_id = buf_steal(&id, NULL)) == NULL)
			fatal("buf_steal");
	}
	config_keep_shard(cfg);
	if ((cfg->port_default = cfg->port == 0))
		cfg->port = cfg->tls_ca_file != NULL ? 8883 : 1883;
	for (i = before; i < errors->len; i++)
		if (errors->data[i] == '\n')
			nerr++;
	return nerr;
}

/* Read and parse a config file. */
int
config_load(struct config *cfg, const char *path, struct buf *errors)
{
	struct buf text;
	char chunk[4096];
	ssize_t n;
	int fd, nerr;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		config_defaults(cfg);
		buf_printf(errors, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	buf_init(&text, CONFIG_MAX_FILE);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&text, chunk, (size_t)n);
	close(fd);
	if (n == -1 || buf_failed(&text)) {
		config_defaults(cfg);
		buf_printf(errors, "%s: %s\n", path, n == -1 ? strerror(errno) : "file too large");
		buf_free(&text);
		return 1;
	}
	nerr = config_parse(cfg, path, buf_str(&text), text.len, errors);
	buf_free(&text);
	return nerr;
}

/* Resolve a file key's value to a path (systemd's credentials directory). */
int
config_file_path(const char *value, char *out, size_t outlen)
{
	static const char *const vars[] = { "${CREDENTIALS_DIRECTORY}", "$CREDENTIALS_DIRECTORY",
	    NULL };
	const char *dir = NULL, *rest = value;
	size_t i, n;
	int len;

	for (i = 0; vars[i] != NULL; i++) {
		n = strlen(vars[i]);
		if (strncmp(value, vars[i], n) == 0 && (value[n] == '/' || value[n] == '\0')) {
			if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL || *dir == '\0')
				return -1;
			rest = value + n;
			break;
		}
	}
	len = snprintf(out, outlen, "%s%s", dir != NULL ? dir : "", rest);
	return len < 0 || (size_t)len >= outlen ? -1 : 0;
}

/*
 * Open the file value (as written) for reading into *fd, its resolved path
 * in path; where names the setting in messages ("CONF: [mqtt]
 * password_file"). Returns 0, or -1 with the reason appended to errors.
 */
static int
config_file_open(const char *where, const char *value, char *path, size_t pathlen, int *fd,
    struct buf *errors)
{
	if (config_file_path(value, path, pathlen) == -1) {
		buf_printf(errors, "%s %s: $CREDENTIALS_DIRECTORY is not set (systemd "
		    "sets it for a unit with LoadCredential=)\n", where, value);
		return -1;
	}
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(errors, "%s %s: %s%s\n", where, path,
		    strerror(errno), errno == EACCES ? " (under systemd, hand it to the service "
		    "with LoadCredential=; see newsdigest.conf(5))" : "");
		return -1;
	}
	return 0;
}

/* Name [mqtt] key name of cfg for messages: "CONF:LINE: [mqtt] NAME". */
void
config_key_where(const struct config *cfg, const char *name, char *where, size_t len)
{
	unsigned line = config_key_line(cfg, CONFIG_S_MQTT, 0, name);

	if (line > 0)
		snprintf(where, len, "%s:%u: [mqtt] %s", cfg->path, line, name);
	else
		snprintf(where, len, "%s: [mqtt] %s", cfg->path, name);
}

/* Read a password from the first line of a file. */
int
config_password_read(const char *value, const char *where, char *out, size_t outlen,
    struct buf *errors)
{
	char path[4096];
	struct stat st;
	size_t len = 0;
	ssize_t n;
	char *nl;
	int fd;

	if (config_file_open(where, value, path, sizeof path, &fd, errors) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		buf_printf(errors, "%s %s: not a regular file\n", where, path);
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		buf_printf(errors, "%s %s is open to its group or others (mode %04o): run chmod 600 "
		    "%s\n", where, path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -1;
	}
	while (len < outlen && (n = read(fd, out + len, outlen - len)) > 0)
		len += (size_t)n;
	close(fd);
	nl = memchr(out, '\n', len);
	if (nl == NULL && len == outlen) {
		explicit_bzero(out, outlen);
		buf_printf(errors, "%s %s: the first line is longer than %zu bytes\n", where, path,
		    outlen - 1);
		return -1;
	}
	len = nl != NULL ? (size_t)(nl - out) : len;
	if (len > 0 && out[len - 1] == '\r')
		len--;
	explicit_bzero(out + len, outlen - len);
	if (len == 0) {
		buf_printf(errors, "%s %s: no password on its first line\n", where, path);
		return -1;
	}
	return 0;
}

/* Read the broker password from password_file. */
int
config_password(const struct config *cfg, char *out, size_t outlen, struct buf *errors)
{
	char where[4096];

	config_key_where(cfg, "password_file", where, sizeof where);
	return config_password_read(cfg->password_file, where, out, outlen, errors);
}

/* Check that a file can be opened for reading. */
int
config_file_check(const char *value, const char *where, struct buf *errors)
{
	char path[4096];
	int fd;

	if (config_file_open(where, value, path, sizeof path, &fd, errors) == -1)
		return -1;
	close(fd);
	return 0;
}

/* Check that the files [mqtt] names can be used. */
int
config_check_files(const struct config *cfg, struct buf *errors)
{
	const char *const names[] = { "tls_ca_file", "tls_cert_file", "tls_key_file" };
	const char *const values[] = { cfg->tls_ca_file, cfg->tls_cert_file, cfg->tls_key_file };
	char pw[CONFIG_PASSWORD_MAX], where[4096];
	int nerr = 0;
	size_t i;

	if (cfg->password_file != NULL) {
		if (config_password(cfg, pw, sizeof pw, errors) == -1)
			nerr++;
		explicit_bzero(pw, sizeof pw);
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (values[i] == NULL)
			continue;
		config_key_where(cfg, names[i], where, sizeof where);
		if (config_file_check(values[i], where, errors) == -1)
			nerr++;
	}
	return nerr;
}

/* Free a config. */
void
config_free(struct config *cfg)
{
	size_t i;

	free(cfg->path);
	free(cfg->state_dir);
	free(cfg->host);
	free(cfg->client_id);
	free(cfg->topic_prefix);
	free(cfg->username);
	free(cfg->password_file);
	free(cfg->tls_ca_file);
	free(cfg->tls_cert_file);
	free(cfg->tls_key_file);
	for (i = 0; i < cfg->nprofiles; i++) {
		free(cfg->profiles[i].name);
		free(cfg->profiles[i].dict);
	}
	free(cfg->profiles);
	for (i = 0; i < cfg->nfeeds; i++) {
		free(cfg->feeds[i].name);
		free(cfg->feeds[i].url);
		free(cfg->feeds[i].language);
	}
	free(cfg->feeds);
	free(cfg->keylines);
	memset(cfg, 0, sizeof *cfg);
}

/* Return 1 when key k holds the same value in the structs at a and b. */
static int
config_value_equal(const struct config_key *k, const void *a, const void *b)
{
	const char *pa = (const char *)a + k->off, *pb = (const char *)b + k->off;
	const char *sa, *sb;

	switch (k->type) {
	case CONFIG_STRING:
	case CONFIG_NAME:
	case CONFIG_URL:
		sa = *(char *const *)(const void *)pa;
		sb = *(char *const *)(const void *)pb;
		return sa == sb || (sa != NULL && sb != NULL && strcmp(sa, sb) == 0);
	case CONFIG_LONG:
	case CONFIG_BACKLOG:
		return *(const long *)(const void *)pa == *(const long *)(const void *)pb;
	case CONFIG_SIZET:
		return *(const size_t *)(const void *)pa == *(const size_t *)(const void *)pb;
	case CONFIG_INT:
	case CONFIG_BOOL:
	case CONFIG_LEVEL:
	case CONFIG_PROTOCOL:
		return *(const int *)(const void *)pa == *(const int *)(const void *)pb;
	case CONFIG_COMPRESSION:
		return *(const enum digest_compression *)(const void *)pa ==
		    *(const enum digest_compression *)(const void *)pb;
	case CONFIG_DURATION:
	case CONFIG_BYTES:
		return *(const int64_t *)(const void *)pa == *(const int64_t *)(const void *)pb;
	case CONFIG_SHARD: {
		const struct config *ca = a, *cb = b;

		return ca->shard_index == cb->shard_index && ca->shard_count == cb->shard_count;
	}
	case CONFIG_DICTIONARY: {
		const struct digest_profile *da = a, *db = b;

		return da->dict_len == db->dict_len &&
		    (da->dict_len == 0 || memcmp(da->dict, db->dict, da->dict_len) == 0);
	}
	}
	return 0;
}

/*
 * Append to why the names of the keys of table keys whose values differ
 * between a and b, after the label; with only, just the keys named in it.
 * Returns the number of keys that differ.
 */
static int
config_keys_diff(const struct config_key *keys, const char *const *only, const void *a,
    const void *b, const char *label, struct buf *why)
{
	const struct config_key *k;
	size_t i;
	int n = 0;

	for (k = keys; k->name != NULL; k++) {
		for (i = 0; only != NULL && only[i] != NULL; i++)
			if (strcmp(only[i], k->name) == 0)
				break;
		if ((only != NULL && only[i] == NULL) || config_value_equal(k, a, b))
			continue;
		if (why != NULL)
			buf_printf(why, "%s%s", n == 0 ? label : ", ", k->name);
		n++;
	}
	return n;
}

/* Return 1 when feeds a and b read the same thing the same way. */
int
config_feed_equal(const struct config_feed *a, const struct config_feed *b)
{
	return config_keys_diff(config_feed_keys, NULL, a, b, "", NULL) == 0;
}

/* Return 1 when a and b reach the broker the same way: [mqtt] alike. */
int
config_mqtt_equal(const struct config *a, const struct config *b)
{
	return config_keys_diff(config_mqtt_keys, NULL, a, b, "", NULL) == 0;
}

/* Hash one file's content into h; a file that cannot be read adds its errno. */
static uint64_t
config_file_hash(uint64_t h, const char *value)
{
	char path[4096], chunk[4096];
	size_t n;
	FILE *fp;
	int err;

	if (value == NULL)
		return hash_fnv1a(h, "", 1);
	if (config_file_path(value, path, sizeof path) == -1 || (fp = fopen(path, "rb")) == NULL) {
		err = errno;
		return hash_fnv1a(hash_fnv1a(h, "!", 1), &err, sizeof err);
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		h = hash_fnv1a(h, chunk, n);
	explicit_bzero(chunk, sizeof chunk);
	fclose(fp);
	return hash_fnv1a(h, "", 1);
}

/* Hash what the files of cfg's [mqtt] hold. */
uint64_t
config_mqtt_files_hash(const struct config *cfg)
{
	uint64_t h = HASH_FNV_OFFSET;

	h = config_file_hash(h, cfg->password_file);
	h = config_file_hash(h, cfg->tls_ca_file);
	h = config_file_hash(h, cfg->tls_cert_file);
	return config_file_hash(h, cfg->tls_key_file);
}

/* Return the largest latest count of cfg's profiles: what a feed's state keeps. */
size_t
config_latest_max(const struct config *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nprofiles; i++)
		if (cfg->profiles[i].latest > n)
			n = cfg->profiles[i].latest;
	return n;
}

/* Return 1 when a feed's state fits a's profiles and b's alike. */
int
config_profiles_fit(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->nprofiles != b->nprofiles || config_latest_max(a) != config_latest_max(b))
		return 0;
	for (i = 0; i < a->nprofiles; i++)
		if (strcmp(a->profiles[i].name, b->profiles[i].name) != 0)
			return 0;
	return 1;
}

/* Return 1 when a and b have the same profiles, key by key. */
int
config_profiles_equal(const struct config *a, const struct config *b)
{
	size_t i;

	if (!config_profiles_fit(a, b))
		return 0;
	for (i = 0; i < a->nprofiles; i++)
		if (config_keys_diff(config_profile_keys, NULL, &a->profiles[i], &b->profiles[i],
		    "", NULL) > 0)
			return 0;
	return 1;
}

/* Say what in cur and next a running daemon cannot take over. */
int
config_restart_needed(const struct config *cur, const struct config *next, struct buf *why)
{
	/* The state of every feed lives there, sized so. */
	static const char *const daemon_keys[] = { "state_dir", "seen_per_feed", NULL };
	int n;

	if ((n = config_keys_diff(config_daemon_keys, daemon_keys, cur, next, "[daemon] ",
	    why)) > 0)
		buf_addc(why, '\n');
	return n;
}

/* Find a profile by name. */
const struct digest_profile *
config_profile(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nprofiles; i++)
		if (strcmp(cfg->profiles[i].name, name) == 0)
			return &cfg->profiles[i];
	return NULL;
}
