/*
 * outbox — the messages waiting for the broker, durable and in order.
 *
 * Every message put here is appended to a journal in the state directory
 * (see journal.h) before anything else happens to it, and leaves only when
 * the broker acknowledged it (PUBACK), when it went stale, or when a bound
 * made room: the oldest goes first, with a log line and a counter. After a
 * crash or a restart, what is left is read back and published again, in
 * order; damaged records are skipped with a warning, never trusted.
 *
 * Messages are handed to the MQTT client through a send callback only
 * while it is connected and fewer than `window` of ours are
 * unacknowledged: what the client library holds stays small and bounded,
 * the rest waits on disk, and nothing is handed over twice. In memory the
 * outbox keeps an index (topic, sizes, offsets), not the payloads: a long
 * broker outage costs disk, not RAM.
 *
 * A newer message for a retained topic replaces one for the same topic
 * that is still waiting: only the newest state of a retained topic matters.
 *
 * The journal is written with write(2) as messages come and go, which a
 * killed process does not undo; outbox_sync() makes it survive a power cut
 * too. It is compacted (rewritten with only what is left) when it is mostly
 * dead records.
 */
#ifndef NEWSDIGEST_OUTBOX_H
#define NEWSDIGEST_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct outbox;

struct outbox_limits {
	size_t max_messages;	/* messages held */
	int64_t max_bytes;	/* bytes of live records */
	int64_t max_age;	/* seconds a message may wait */
};

struct outbox_msg {
	const char *topic;
	const void *payload;
	size_t len;
	int retain;
	const char *content_encoding;	/* "zlib", "identity" or NULL */
	uint32_t expiry;		/* seconds left, 0 = none */
	const char *feed;		/* the feed the message is of, or NULL */
	uint64_t article;		/* the article, 0 for none */
};

struct outbox_stats {
	size_t depth;		/* messages held */
	size_t inflight;	/* handed over, not acknowledged */
	int64_t bytes;		/* live bytes in the journal */
	unsigned long acked;
	unsigned long dropped;	/* to keep a bound */
	unsigned long stale;	/* past their expiry or the max age */
	unsigned long skipped;	/* damaged records skipped when loading */
};

/*
 * Hand a message to the client. Returns the message id (> 0), or -1 when
 * it was not taken (it stays queued).
 */
typedef int (*outbox_send_cb)(void *arg, const struct outbox_msg *msg);
/* A message of an article of a feed was acknowledged. */
typedef void (*outbox_done_cb)(void *arg, const char *feed, uint64_t article);

/*
 * Open the outbox in dir (the journal is dir/outbox.journal), reading back
 * what a previous run left. Returns NULL (logged) when the journal cannot
 * be opened or written. Free with outbox_free().
 */
struct outbox *outbox_open(const char *dir, const struct outbox_limits *lim,
    outbox_done_cb done, void *arg);
/* Put new bounds in force (a reload); they apply from the next put. */
void outbox_set_limits(struct outbox *ob, const struct outbox_limits *lim);
/* Close the journal (after a sync) and free; NULL does nothing. */
void outbox_free(struct outbox *ob);
/*
 * Queue a copy of msg at the end. Returns 0, or -1 when the journal could
 * not be written (logged): the message is then not queued.
 */
int outbox_put(struct outbox *ob, const struct outbox_msg *msg);
/*
 * Make what was written so far survive a power cut (fdatasync). Returns 0,
 * or -1 (logged).
 */
int outbox_sync(struct outbox *ob);
/*
 * Hand queued messages to send, in order, while fewer than window are
 * unacknowledged. now is the time (Unix seconds): messages past their
 * expiry or the max age are dropped instead, and the expiry of the others
 * is what is left of it.
 */
void outbox_pump(struct outbox *ob, size_t window, int64_t now, outbox_send_cb send, void *arg);
/*
 * Take back every message handed over and not acknowledged: the client
 * that held them is gone (a reload replaced it). The next pumps hand them
 * over again, in order; the broker may see one twice, as QoS 1 allows.
 */
void outbox_requeue(struct outbox *ob);
/* The broker acknowledged message mid: drop it, tell done. */
void outbox_acked(struct outbox *ob, int mid);
/*
 * Call cb for each message of an article held, oldest first: after a
 * restart, their articles count as seen.
 */
void outbox_foreach_article(const struct outbox *ob,
    void (*cb)(void *arg, const char *feed, uint64_t article), void *arg);
/* Return the number of messages held (queued or handed over). */
size_t outbox_depth(const struct outbox *ob);
/* Return the number handed over and not yet acknowledged. */
size_t outbox_inflight(const struct outbox *ob);
/* Fill in the counters. */
void outbox_get_stats(const struct outbox *ob, struct outbox_stats *st);

#endif
