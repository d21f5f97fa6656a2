/*
 * watch — one configured feed: its timer, fetch, parse, dedupe, digests.
 *
 * A watch fetches its feed on its interval (with jitter), parses the body
 * while it arrives, makes the digests of the articles it has not seen for
 * every profile, and queues them in the outbox oldest first, with the
 * retained latest bundles. An article counts as seen once its digests are
 * on disk in the outbox, which delivers them whatever happens next; the
 * feed's state (seen ids, validators, latest digests) is saved after each
 * fetch.
 */
#ifndef NEWSDIGEST_WATCH_H
#define NEWSDIGEST_WATCH_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct config;
struct config_feed;
struct fetch;
struct outbox;
struct store_feed;
struct watch;

/* What the daemon reports about a feed in news/stats. */
struct watch_stats {
	int64_t last_fetch;	/* Unix seconds, 0 = never */
	int64_t next_fetch;
	char last_error[256];	/* "" when the last fetch went well */
	unsigned long fetches;
	unsigned long failures;
	unsigned long not_modified;	/* 304: nothing parsed */
	unsigned long recovered;	/* bodies read although not well-formed */
	unsigned long too_big;		/* bodies refused at max_feed_size */
	unsigned long timeouts;		/* time limits hit (total, connect, low speed) */
	unsigned long items;	/* new articles found */
	unsigned long digests;	/* digests acknowledged by the broker */
	unsigned long bytes_json;
	unsigned long bytes_payload;
};

/* A fetch cycle of a watch has ended (ok = 0 when it failed). */
typedef void (*watch_cycle_cb)(void *arg, struct watch *w, int ok);

/*
 * Create the watch of feed (borrowed, like cfg, fetch and outbox; all must
 * outlive it), loading its state from cfg->state_dir. Returns NULL
 * (logged) on failure.
 */
struct watch *watch_new(struct event_base *base, const struct config *cfg,
    const struct config_feed *feed, struct fetch *fetch, struct outbox *outbox,
    watch_cycle_cb cycle, void *arg);
/* Save the state, cancel the fetch and free; NULL does nothing. */
void watch_free(struct watch *w);
/*
 * After a reload: take cfg and feed (borrowed, replacing those given so
 * far; feed has the same name). When the feed's settings differ, a
 * running fetch is cancelled, validators of an old URL are forgotten and
 * the feed is fetched again now; the seen ids, latest bundles and the
 * articles on their way to the broker stay. Returns 1 when it changed,
 * else 0.
 */
int watch_set_feed(struct watch *w, const struct config *cfg, const struct config_feed *feed);
/*
 * Open the state of feed name in cfg's state_dir as a watch would: sized
 * for cfg's profiles (their latest digests, up to the largest latest
 * count). Returns NULL (logged) on failure.
 */
struct store_feed *watch_state_open(const struct config *cfg, const char *name);
/*
 * A reload that changes the profiles (added, removed, moved, a latest
 * count): save the state and read it again for next's profiles, each
 * profile's latest digests kept by its name. Returns the state for
 * watch_take_store(), or NULL (logged); the watch is as it was.
 */
struct store_feed *watch_store_reopen(struct watch *w, const struct config *next);
/*
 * The reload is in force: take sf from watch_store_reopen() (freeing the
 * state held so far). A fetch running, whose digests were made for the
 * old profiles, is cancelled and started again now.
 */
void watch_take_store(struct watch *w, struct store_feed *sf);
/* Fetch after delay seconds (0: now), then on the feed's interval. */
void watch_start(struct watch *w, int64_t delay);
/* Stop the timer: no new fetch starts (one running goes on). */
void watch_stop(struct watch *w);
/* Return 1 while a fetch is running or waiting. */
int watch_busy(const struct watch *w);
/* A digest of this feed was acknowledged by the broker (counted in stats). */
void watch_delivered(struct watch *w);
/* The outbox read back at start holds a digest of article id: it is seen. */
void watch_adopt(struct watch *w, uint64_t id);
/* Write the state now if it changed. Returns 0 or -1 (logged). */
int watch_save(struct watch *w);
/* Return the feed's name (borrowed). */
const char *watch_name(const struct watch *w);
/* Return the feed's counters (borrowed). */
const struct watch_stats *watch_stats(const struct watch *w);

#endif
