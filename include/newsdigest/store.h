/*
 * store — what the daemon remembers per feed, in state_dir.
 *
 * For each feed: the ids of the articles already published (bounded in
 * number, oldest forgotten first, and in days since the feed last listed
 * them) and, per profile, the newest digests for the
 * retained "latest" bundle. Files are written crash-safe: temp file,
 * fsync, rename, fsync of the directory; a reader sees the old file or
 * the new one, never half of one.
 */
#ifndef NEWSDIGEST_STORE_H
#define NEWSDIGEST_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/buf.h"

struct store_feed;

/* Create the state directory dir and its parents. Returns 0, or -1 (logged). */
int store_make_dir(const char *dir);
/* Write all of len bytes at p to fd (again after EINTR). Returns 0 or -1. */
int store_write_all(int fd, const char *p, size_t len);
/* fsync the directory dir (a rename in it then survives a power cut). */
void store_sync_dir(const char *dir);

/*
 * Load the state of feed name from dir (created when missing), keeping at
 * most max_seen ids and, for each of the nprofiles profiles named in
 * profiles (copied; names hold no white space), max_latest digests. Returns NULL (logged) when dir cannot be used. A missing file
 * is a new feed, not an error; a damaged one is logged and read as far as
 * it is sound. Free with store_feed_free().
 */
struct store_feed *store_feed_open(const char *dir, const char *name, size_t max_seen,
    const char *const *profiles, size_t nprofiles, size_t max_latest);
/*
 * Make the empty state of feed name in dir, as store_feed_open() would
 * before reading its file, without touching the disk. Returns NULL when
 * out of memory.
 */
struct store_feed *store_feed_new(const char *dir, const char *name, size_t max_seen,
    const char *const *profiles, size_t nprofiles, size_t max_latest);
/*
 * Read the records of a state file's text (len bytes at data) into sf,
 * skipping damaged ones (logged): a line that is not a known record, a
 * seen id that is not 16 hex digits, a header value with a control
 * character, a latest digest that is not one JSON object in UTF-8, a last
 * line without its newline. A text without the magic line is ignored.
 */
void store_feed_parse(struct store_feed *sf, const char *data, size_t len);
/* Append the state file's text to b. Returns 0, or -1 when b failed. */
int store_feed_format(const struct store_feed *sf, struct buf *b);
/* Free the in-memory state (nothing is written); NULL does nothing. */
void store_feed_free(struct store_feed *sf);
/* Return 1 when the feed has never been fetched successfully before. */
int store_feed_is_new(const struct store_feed *sf);
/* Mark the feed as fetched once (it is then no longer new). */
void store_feed_set_fetched(struct store_feed *sf);
/*
 * Remember the HTTP validators (ETag, Last-Modified; NULL for none) of
 * the copy just read, for the next conditional GET. Copied.
 */
void store_set_validators(struct store_feed *sf, const char *etag, const char *last_modified);
/* Return the remembered ETag, or NULL (borrowed). */
const char *store_etag(const struct store_feed *sf);
/* Return the remembered Last-Modified, or NULL (borrowed). */
const char *store_last_modified(const struct store_feed *sf);
/* Return 1 when id was seen. */
int store_seen(const struct store_feed *sf, uint64_t id);
/* Remember id as seen; the oldest id goes when the set is full. */
void store_seen_add(struct store_feed *sf, uint64_t id);
/* Return the number of ids remembered. */
size_t store_seen_count(const struct store_feed *sf);
/*
 * Set the day (days since 1970) stamped on the ids added or met from now
 * on; store_feed_new() starts with the clock's.
 */
void store_set_today(struct store_feed *sf, uint32_t day);
/* Return 1 when id was seen, and note that the feed lists it today. */
int store_seen_touch(struct store_feed *sf, uint64_t id);
/*
 * Forget the ids the feed has not listed since day before (it dropped
 * them long ago). Returns how many were forgotten.
 */
size_t store_seen_forget(struct store_feed *sf, uint32_t before);
/*
 * Put a digest JSON at the front of profile's latest list, dropping the
 * oldest past max_latest. Returns 0 or -1 (out of memory).
 */
int store_latest_push(struct store_feed *sf, size_t profile, const char *json, size_t len);
/* Return the number of digests in profile's latest list. */
size_t store_latest_count(const struct store_feed *sf, size_t profile);
/* Return the i-th newest digest JSON of profile (borrowed). */
const char *store_latest_get(const struct store_feed *sf, size_t profile, size_t i);
/* Forget profile's latest digests (its retained bundle was cleared). */
void store_latest_clear(struct store_feed *sf, size_t profile);
/*
 * Call cb with the name of every feed that has a state file in dir
 * (NAME.state), in no particular order. Returns 0, or -1 (logged) when
 * dir cannot be read.
 */
int store_each_feed(const char *dir, void (*cb)(void *arg, const char *name), void *arg);
/* Return 1 when there are changes not yet saved. */
int store_feed_dirty(const struct store_feed *sf);
/* Write the state to disk, crash-safe. Returns 0, or -1 (logged). */
int store_feed_save(struct store_feed *sf);

#endif
