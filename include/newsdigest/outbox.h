/*
 * outbox — the digests waiting for the broker, in order.
 *
 * Messages are queued here and handed to the MQTT client through a send
 * callback only while it is connected and fewer than `window` of ours are
 * unacknowledged: what the client library holds stays small, the rest
 * waits here, and nothing is handed over twice. A digest leaves the
 * outbox only on the broker's PUBACK; its owner is then told.
 *
 * Retained messages (the latest bundles) replace a queued message for
 * the same topic that has not been handed over yet: only the newest state
 * of a retained topic matters.
 *
 * This outbox lives in memory: a digest not yet acknowledged when the
 * daemon stops is made again on the next run, because its article is
 * only marked seen on delivery.
 */
#ifndef NEWSDIGEST_OUTBOX_H
#define NEWSDIGEST_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct outbox;

struct outbox_msg {
	const char *topic;
	const void *payload;
	size_t len;
	int retain;
	const char *content_encoding;	/* static string or NULL */
	uint32_t expiry;		/* seconds, 0 = none */
	void *owner;			/* told on delivery; NULL: nobody */
	uint64_t id;			/* the article, for the owner */
};

/*
 * Hand a message to the client. Returns the message id (> 0), or -1 when
 * it was not taken (it stays queued).
 */
typedef int (*outbox_send_cb)(void *arg, const struct outbox_msg *msg);
/* A message with an owner was acknowledged. */
typedef void (*outbox_done_cb)(void *arg, void *owner, uint64_t id);

/* Create an outbox of at most max messages. Returns NULL when out of memory. */
struct outbox *outbox_new(size_t max, outbox_done_cb done, void *arg);
/* Free the outbox and what it holds; NULL does nothing. */
void outbox_free(struct outbox *ob);
/* Queue a copy of msg. Returns 0, or -1 when full or out of memory. */
int outbox_put(struct outbox *ob, const struct outbox_msg *msg);
/* Hand queued messages to send while fewer than window are unacknowledged. */
void outbox_pump(struct outbox *ob, size_t window, outbox_send_cb send, void *arg);
/* The broker acknowledged message mid: drop it, tell its owner. */
void outbox_acked(struct outbox *ob, int mid);
/* Forget the owner of every message it owns (it is going away). */
void outbox_disown(struct outbox *ob, void *owner);
/* Return the number of messages held (queued or handed over). */
size_t outbox_depth(const struct outbox *ob);
/* Return the number handed over and not yet acknowledged. */
size_t outbox_inflight(const struct outbox *ob);

#endif
