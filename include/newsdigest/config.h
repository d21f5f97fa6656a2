/*
 * config — the INI file of DESIGN §5, checked whole.
 *
 * config_parse() reads the text of a file into a struct config and
 * reports every problem as "FILE:LINE: message", all of them in one run,
 * so a user fixes a config in one go. The struct is plain data: the
 * caller owns it and frees it with config_free().
 */
#ifndef NEWSDIGEST_CONFIG_H
#define NEWSDIGEST_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/buf.h"
#include "newsdigest/digest.h"

/*
 * The file newsdigestd reads without -c: SYSCONFDIR/newsdigest/newsdigest.conf
 * of the build (make SYSCONFDIR=...), like the unit and the man pages.
 */
extern const char config_default_path[];
#define CONFIG_BACKLOG_ALL (-1L)

struct config_feed {
	char *name;
	char *url;
	int64_t interval;	/* seconds */
	char *language;
	long backlog;		/* CONFIG_BACKLOG_ALL or a count */
	unsigned line;		/* where its section starts */
};

struct config_keyline;

struct config {
	char *path;
	/* [daemon] */
	char *state_dir;
	int log_level;
	long max_parallel_fetches;
	int64_t stats_interval;
	int64_t max_feed_size;		/* bytes */
	int64_t fetch_timeout;		/* seconds, whole transfer */
	long max_items;			/* per fetch */
	long seen_per_feed;		/* ids remembered per feed */
	int64_t seen_max_age;		/* seconds an id the feed no longer lists is kept */
	long outbox_max_messages;	/* the outbox's bounds: messages, */
	int64_t outbox_max_size;	/* bytes on disk, */
	int64_t outbox_max_age;		/* seconds a message may wait */
	unsigned long shard_index;	/* shard = I/N: this daemon watches the feeds */
	unsigned long shard_count;	/* with hash_shard(name, N) == I; 0/1 = all */
	/* [mqtt] */
	char *host;
	long port;			/* 1883, or 8883 with TLS, unless given */
	int port_default;		/* port was not given: the default for its TLS */
	char *client_id;
	char *topic_prefix;
	int protocol;			/* 5 or 4 (3.1.1) */
	int64_t keepalive;
	char *username;
	char *password_file;
	char *tls_ca_file;
	char *tls_cert_file;
	char *tls_key_file;
	int64_t session_expiry;		/* seconds; MQTT 5 only */
	/* [profile NAME]... and [feed NAME]... */
	struct digest_profile *profiles;
	size_t nprofiles;
	struct config_feed *feeds;	/* of this daemon's shard only */
	size_t nfeeds;
	size_t nfeeds_all;		/* in the file, every shard */
	/* Where each key given was set, for messages (config.c); owned. */
	struct config_keyline *keylines;
	size_t nkeylines;
};

/*
 * Parse the INI text data (len bytes) read from path into cfg, which is
 * overwritten. Every error is appended to errors as one
 * "PATH:LINE: message\n" line. Returns the number of errors; cfg holds a
 * usable config only when that is 0 (free it with config_free() either
 * way).
 */
int config_parse(struct config *cfg, const char *path, const char *data, size_t len,
    struct buf *errors);

/*
 * Read and parse the file at path. A file that cannot be read is one
 * error ("PATH: No such file or directory"). Returns the number of errors.
 */
int config_load(struct config *cfg, const char *path, struct buf *errors);

/* Free what cfg holds and clear it; a cleared config may be freed again. */
void config_free(struct config *cfg);

/*
 * What a reload (SIGHUP) may change in a running daemon. Feeds are
 * compared key by key (the name aside): 1 when a and b are the same.
 */
int config_feed_equal(const struct config_feed *a, const struct config_feed *b);
/* 1 when a and b reach the broker the same way: every key of [mqtt] alike. */
int config_mqtt_equal(const struct config *a, const struct config *b);
/*
 * A hash of what the files cfg's [mqtt] names hold (password_file and
 * the TLS files; one that cannot be read counts by its errno): a reload
 * tells by it that a password was changed or a certificate renewed in
 * place.
 */
uint64_t config_mqtt_files_hash(const struct config *cfg);
/* The largest latest count of cfg's profiles: what a feed's state keeps. */
size_t config_latest_max(const struct config *cfg);
/*
 * 1 when a feed's state made for a's profiles fits b's: the same names in
 * the same order, the same largest latest count.
 */
int config_profiles_fit(const struct config *a, const struct config *b);
/* 1 when a and b have the same profiles, every key alike. */
int config_profiles_equal(const struct config *a, const struct config *b);
/*
 * List what differs between the running config cur and next that only a
 * restart can apply: [daemon] state_dir and seen_per_feed (every feed's
 * state lives there, sized so). Appends "[daemon] state_dir\n" (the keys
 * that differ) to why. Returns the number of keys that differ; 0 means
 * next may replace cur in place.
 */
int config_restart_needed(const struct config *cur, const struct config *next,
    struct buf *why);

/* Return the profile named name, or NULL. */
const struct digest_profile *config_profile(const struct config *cfg, const char *name);

#define CONFIG_PASSWORD_MAX 1024	/* password bytes + 1 */

/*
 * Resolve the value of a file key (password_file, tls_*_file) to the path
 * to open: a leading "${CREDENTIALS_DIRECTORY}" or "$CREDENTIALS_DIRECTORY"
 * becomes the directory where systemd puts what the unit's LoadCredential=
 * names. Writes the path to out. Returns 0, or -1 when that variable is
 * not set or the path does not fit.
 */
int config_file_path(const char *value, char *out, size_t outlen);
/*
 * Read the broker password: the first line of cfg->password_file, without
 * its line end. The file must be a regular file that neither its group
 * nor others may read or write (mode & 077 == 0). Writes the password
 * NUL-terminated into out (CONFIG_PASSWORD_MAX bytes hold any we take);
 * the caller wipes it (explicit_bzero) once used. Returns 0, or -1 with
 * one line appended to errors that names the config, the key, the file
 * and the fix; the password itself is never in it.
 */
int config_password(const struct config *cfg, char *out, size_t outlen, struct buf *errors);
/*
 * config_password() for a file named elsewhere than a config (newsdigest
 * cat's --password-file): value as written, where names the setting at
 * the start of the error line ("newsdigest: --password-file"). The same
 * rules, the same one line on failure.
 */
int config_password_read(const char *value, const char *where, char *out, size_t outlen,
    struct buf *errors);
/*
 * Check that the file value (as written) can be opened for reading.
 * Returns 0, or -1 with one line appended to errors that starts with
 * where ("CONF:4: [mqtt] tls_ca_file", "newsdigest: --cafile").
 */
int config_file_check(const char *value, const char *where, struct buf *errors);

/*
 * Write how messages name [mqtt] key name of cfg into where (len bytes):
 * "CONF:LINE: [mqtt] NAME", the line of the file that set it ("CONF:
 * [mqtt] NAME" when no line did).
 */
void config_key_where(const struct config *cfg, const char *name, char *where, size_t len);
/*
 * Check the files [mqtt] names, as newsdigestd starts (and with -n):
 * password_file as config_password() reads it, the TLS files readable.
 * Appends one line per problem to errors; returns their number.
 */
int config_check_files(const struct config *cfg, struct buf *errors);

/* Parse a duration ("90", "30s", "15m", "1h", "2d"). Returns 0 or -1. */
int config_duration(const char *s, int64_t *out);
/* Parse a size ("4096", "512k", "8M", "1G"). Returns 0 or -1. */
int config_size(const char *s, int64_t *out);

#endif
