/* outbox_test — unit tests for daemon/outbox.c: the ordered queue to the broker. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "newsdigest/outbox.h"

#define OUTBOX_TEST_MAX 32

/* What the send callback saw, and how it answers. */
struct outbox_test_client {
	char topic[OUTBOX_TEST_MAX][64];
	char payload[OUTBOX_TEST_MAX][64];
	size_t len[OUTBOX_TEST_MAX];
	int mid[OUTBOX_TEST_MAX];
	struct outbox_msg msg[OUTBOX_TEST_MAX];	/* pointers not valid after the call */
	size_t n;		/* messages taken */
	size_t calls;
	size_t refuse_from;	/* refuse (-1) from this call on (1-based); 0: never */
	int next_mid;
};

/* What the done callback saw. */
struct outbox_test_done {
	void *owner[OUTBOX_TEST_MAX];
	uint64_t id[OUTBOX_TEST_MAX];
	size_t n;
};

/* The send callback: record the message and give it the next mid, or refuse. */
static int
outbox_test_send(void *arg, const struct outbox_msg *msg)
{
	struct outbox_test_client *c = arg;

	c->calls++;
	if (c->refuse_from != 0 && c->calls >= c->refuse_from)
		return -1;
	assert_true(c->n < OUTBOX_TEST_MAX);
	assert_true(strlen(msg->topic) < sizeof c->topic[0]);
	assert_true(msg->len < sizeof c->payload[0]);
	snprintf(c->topic[c->n], sizeof c->topic[0], "%s", msg->topic);
	memcpy(c->payload[c->n], msg->payload, msg->len);
	c->len[c->n] = msg->len;
	c->msg[c->n] = *msg;
	c->mid[c->n] = ++c->next_mid;
	return c->mid[c->n++];
}

/* The done callback: record owner and id. */
static void
outbox_test_on_done(void *arg, void *owner, uint64_t id)
{
	struct outbox_test_done *d = arg;

	assert_true(d->n < OUTBOX_TEST_MAX);
	d->owner[d->n] = owner;
	d->id[d->n++] = id;
}

/* Queue a message with topic and payload given as strings. */
static int
outbox_test_put(struct outbox *ob, const char *topic, const char *payload, int retain,
    void *owner, uint64_t id)
{
	struct outbox_msg m;

	memset(&m, 0, sizeof m);
	m.topic = topic;
	m.payload = payload;
	m.len = strlen(payload);
	m.retain = retain;
	m.content_encoding = "zlib";
	m.expiry = 3600;
	m.owner = owner;
	m.id = id;
	return outbox_put(ob, &m);
}

/* Queue n messages "t1".."tn" with payloads "p1".."pn", owned by owner with ids 1..n. */
static void
outbox_test_fill(struct outbox *ob, size_t n, void *owner)
{
	char topic[16], payload[16];
	size_t i;

	for (i = 1; i <= n; i++) {
		snprintf(topic, sizeof topic, "t%zu", i);
		snprintf(payload, sizeof payload, "p%zu", i);
		assert_int_equal(outbox_test_put(ob, topic, payload, 0, owner, i), 0);
	}
}

/* Messages are handed over in the order they were queued. */
static void
outbox_test_fifo(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);
	char want[16];
	size_t i;

	(void)state;
	memset(&c, 0, sizeof c);
	assert_non_null(ob);
	outbox_test_fill(ob, 5, NULL);
	assert_int_equal(outbox_depth(ob), 5);
	assert_int_equal(outbox_inflight(ob), 0);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 5);
	for (i = 0; i < 5; i++) {
		snprintf(want, sizeof want, "t%zu", i + 1);
		assert_string_equal(c.topic[i], want);
		snprintf(want, sizeof want, "p%zu", i + 1);
		assert_int_equal(c.len[i], strlen(want));
		assert_memory_equal(c.payload[i], want, c.len[i]);
	}
	assert_int_equal(outbox_depth(ob), 5);
	assert_int_equal(outbox_inflight(ob), 5);
	outbox_free(ob);
}

/* The window bounds the messages handed over and not yet acknowledged. */
static void
outbox_test_window(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	outbox_test_fill(ob, 5, NULL);
	outbox_pump(ob, 2, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(outbox_inflight(ob), 2);
	/* A full window hands nothing more, and does not even ask. */
	outbox_pump(ob, 2, outbox_test_send, &c);
	assert_int_equal(c.calls, 2);
	/* One acknowledged: one more goes, the next in order. */
	outbox_acked(ob, c.mid[0]);
	outbox_pump(ob, 2, outbox_test_send, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.topic[2], "t3");
	assert_int_equal(outbox_inflight(ob), 2);
	assert_int_equal(outbox_depth(ob), 4);
	/* A window of 0 hands nothing. */
	outbox_pump(ob, 0, outbox_test_send, &c);
	assert_int_equal(c.calls, 3);
	outbox_free(ob);
}

/* A send refused (-1) stops the pump; the rest stays queued and goes later, in order. */
static void
outbox_test_send_refused(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	outbox_test_fill(ob, 5, NULL);
	c.refuse_from = 3;
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.calls, 3);
	assert_int_equal(outbox_inflight(ob), 2);
	assert_int_equal(outbox_depth(ob), 5);
	/* Still refusing: the pump stops at the first again, nothing is skipped. */
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.calls, 4);
	c.refuse_from = 0;
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.topic[2], "t3");
	assert_string_equal(c.topic[3], "t4");
	assert_string_equal(c.topic[4], "t5");
	assert_int_equal(outbox_inflight(ob), 5);
	outbox_free(ob);
}

/* outbox_acked drops the message with that mid and tells its owner its id. */
static void
outbox_test_acked(void **state)
{
	struct outbox_test_client c;
	struct outbox_test_done d;
	struct outbox *ob;
	int owner_a, owner_b;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&d, 0, sizeof d);
	ob = outbox_new(16, outbox_test_on_done, &d);
	assert_int_equal(outbox_test_put(ob, "t1", "p1", 0, &owner_a, 101), 0);
	assert_int_equal(outbox_test_put(ob, "t2", "p2", 0, &owner_b, 202), 0);
	assert_int_equal(outbox_test_put(ob, "t3", "p3", 0, NULL, 303), 0);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 3);
	/* Out of order: the middle one first. */
	outbox_acked(ob, c.mid[1]);
	assert_int_equal(d.n, 1);
	assert_ptr_equal(d.owner[0], &owner_b);
	assert_int_equal(d.id[0], 202);
	assert_int_equal(outbox_depth(ob), 2);
	assert_int_equal(outbox_inflight(ob), 2);
	/* No owner: dropped, nobody told. */
	outbox_acked(ob, c.mid[2]);
	assert_int_equal(d.n, 1);
	assert_int_equal(outbox_depth(ob), 1);
	assert_int_equal(outbox_inflight(ob), 1);
	outbox_acked(ob, c.mid[0]);
	assert_int_equal(d.n, 2);
	assert_ptr_equal(d.owner[1], &owner_a);
	assert_int_equal(d.id[1], 101);
	assert_int_equal(outbox_depth(ob), 0);
	assert_int_equal(outbox_inflight(ob), 0);
	outbox_free(ob);
}

/* Unknown mids, and a mid acknowledged twice, are ignored. */
static void
outbox_test_acked_unknown(void **state)
{
	struct outbox_test_client c;
	struct outbox_test_done d;
	struct outbox *ob;
	int owner;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&d, 0, sizeof d);
	ob = outbox_new(16, outbox_test_on_done, &d);
	outbox_test_fill(ob, 4, &owner);
	outbox_pump(ob, 2, outbox_test_send, &c);
	outbox_acked(ob, 999);
	outbox_acked(ob, -1);
	assert_int_equal(d.n, 0);
	assert_int_equal(outbox_depth(ob), 4);
	assert_int_equal(outbox_inflight(ob), 2);
	outbox_acked(ob, c.mid[0]);
	outbox_acked(ob, c.mid[0]);
	assert_int_equal(d.n, 1);
	assert_int_equal(outbox_depth(ob), 3);
	assert_int_equal(outbox_inflight(ob), 1);
	outbox_free(ob);
}

/*
 * A mid of 0 (never a real one) is unknown too and ignored.
 */
static void
outbox_test_acked_zero(void **state)
{
	struct outbox_test_done d;
	struct outbox *ob;
	int owner;

	(void)state;
	memset(&d, 0, sizeof d);
	ob = outbox_new(16, outbox_test_on_done, &d);
	outbox_test_fill(ob, 2, &owner);
	outbox_acked(ob, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(outbox_depth(ob), 2);
	assert_int_equal(outbox_inflight(ob), 0);
	outbox_free(ob);
}

/* Nothing is handed over twice: after a partial ack, a pump sends only new messages. */
static void
outbox_test_no_double_handover(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	outbox_test_fill(ob, 6, NULL);
	outbox_pump(ob, 3, outbox_test_send, &c);
	assert_int_equal(c.n, 3);
	outbox_acked(ob, c.mid[1]);
	outbox_pump(ob, 3, outbox_test_send, &c);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.topic[3], "t4");
	/* Pumping again with room changes nothing for those in flight. */
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.topic[4], "t5");
	assert_string_equal(c.topic[5], "t6");
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.calls, 6);
	assert_int_equal(outbox_inflight(ob), 5);
	assert_int_equal(outbox_depth(ob), 5);
	outbox_free(ob);
}

/* A retained message replaces a queued one of its topic that was not handed over yet. */
static void
outbox_test_retained_replaces_queued(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(outbox_test_put(ob, "news/p/f/digest", "d1", 0, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "news/p/f/latest", "old", 1, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "news/p/g/latest", "other", 1, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "news/p/f/latest", "new", 1, NULL, 0), 0);
	assert_int_equal(outbox_depth(ob), 3);
	/* A message that is not retained replaces nothing and is not replaced. */
	assert_int_equal(outbox_test_put(ob, "news/p/f/digest", "d2", 0, NULL, 0), 0);
	assert_int_equal(outbox_depth(ob), 4);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.topic[0], "news/p/f/digest");
	assert_memory_equal(c.payload[0], "d1", 2);
	assert_string_equal(c.topic[1], "news/p/g/latest");
	assert_string_equal(c.topic[2], "news/p/f/latest");
	assert_int_equal(c.len[2], 3);
	assert_memory_equal(c.payload[2], "new", 3);
	assert_int_equal(c.msg[2].retain, 1);
	assert_string_equal(c.topic[3], "news/p/f/digest");
	outbox_free(ob);
}

/* A retained message already handed over is not replaced: the new one queues after it. */
static void
outbox_test_retained_keeps_handed(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(outbox_test_put(ob, "news/p/f/latest", "v1", 1, NULL, 0), 0);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(outbox_test_put(ob, "news/p/f/latest", "v2", 1, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "news/p/f/latest", "v3", 1, NULL, 0), 0);
	assert_int_equal(outbox_depth(ob), 2);
	assert_int_equal(outbox_inflight(ob), 1);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_memory_equal(c.payload[1], "v3", 2);
	outbox_acked(ob, c.mid[0]);
	outbox_acked(ob, c.mid[1]);
	assert_int_equal(outbox_depth(ob), 0);
	outbox_free(ob);
}

/* The outbox holds at most max messages: a put past it returns -1. */
static void
outbox_test_max(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(3, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	outbox_test_fill(ob, 3, NULL);
	assert_int_equal(outbox_test_put(ob, "t4", "p4", 0, NULL, 4), -1);
	assert_int_equal(outbox_depth(ob), 3);
	/* Handed over still counts until acknowledged. */
	outbox_pump(ob, 1, outbox_test_send, &c);
	assert_int_equal(outbox_test_put(ob, "t4", "p4", 0, NULL, 4), -1);
	outbox_acked(ob, c.mid[0]);
	assert_int_equal(outbox_test_put(ob, "t4", "p4", 0, NULL, 4), 0);
	assert_int_equal(outbox_depth(ob), 3);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_string_equal(c.topic[1], "t2");
	assert_string_equal(c.topic[2], "t3");
	assert_string_equal(c.topic[3], "t4");
	outbox_free(ob);
}

/* When full, a retained message that replaces a queued one of its topic still fits. */
static void
outbox_test_max_retained_replace(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(2, NULL, NULL);

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(outbox_test_put(ob, "a", "1", 0, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "latest", "old", 1, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "latest", "new", 1, NULL, 0), 0);
	assert_int_equal(outbox_test_put(ob, "other", "x", 1, NULL, 0), -1);
	assert_int_equal(outbox_depth(ob), 2);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_memory_equal(c.payload[1], "new", 3);
	outbox_free(ob);
}

/* outbox_disown: the owner's messages are still delivered but the owner is not told. */
static void
outbox_test_disown(void **state)
{
	struct outbox_test_client c;
	struct outbox_test_done d;
	struct outbox *ob;
	int owner_a, owner_b;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&d, 0, sizeof d);
	ob = outbox_new(16, outbox_test_on_done, &d);
	assert_int_equal(outbox_test_put(ob, "t1", "p1", 0, &owner_a, 1), 0);
	assert_int_equal(outbox_test_put(ob, "t2", "p2", 0, &owner_b, 2), 0);
	assert_int_equal(outbox_test_put(ob, "t3", "p3", 0, &owner_a, 3), 0);
	outbox_pump(ob, 1, outbox_test_send, &c);
	/* One of a's in flight, one queued: both forget a. */
	outbox_disown(ob, &owner_a);
	assert_int_equal(outbox_depth(ob), 3);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 3);
	assert_null(c.msg[2].owner);
	outbox_acked(ob, c.mid[0]);
	outbox_acked(ob, c.mid[2]);
	assert_int_equal(d.n, 0);
	outbox_acked(ob, c.mid[1]);
	assert_int_equal(d.n, 1);
	assert_ptr_equal(d.owner[0], &owner_b);
	assert_int_equal(d.id[0], 2);
	/* Disowning an owner with nothing queued does nothing. */
	outbox_disown(ob, &owner_b);
	assert_int_equal(outbox_depth(ob), 0);
	outbox_free(ob);
}

/* outbox_put copies topic and payload (binary, NUL bytes kept); the other fields pass through. */
static void
outbox_test_copies(void **state)
{
	struct outbox_test_client c;
	struct outbox *ob = outbox_new(16, NULL, NULL);
	struct outbox_msg m;
	char topic[] = "news/p/f/digest";
	char payload[] = { 'x', '\0', 'y', '\x9c' };
	int owner;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&m, 0, sizeof m);
	m.topic = topic;
	m.payload = payload;
	m.len = sizeof payload;
	m.retain = 0;
	m.content_encoding = "identity";
	m.expiry = 86400;
	m.owner = &owner;
	m.id = UINT64_C(0x1de95b0db7cb7c5e);
	assert_int_equal(outbox_put(ob, &m), 0);
	memset(topic, 'Z', sizeof topic - 1);
	memset(payload, 'Z', sizeof payload);
	/* An empty payload is a message too. */
	m.topic = "empty";
	m.len = 0;
	assert_int_equal(outbox_put(ob, &m), 0);
	outbox_pump(ob, 32, outbox_test_send, &c);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.topic[0], "news/p/f/digest");
	assert_int_equal(c.len[0], 4);
	assert_memory_equal(c.payload[0], "x\0y\x9c", 4);
	assert_string_equal(c.msg[0].content_encoding, "identity");
	assert_int_equal(c.msg[0].expiry, 86400);
	assert_ptr_equal(c.msg[0].owner, &owner);
	assert_true(c.msg[0].id == UINT64_C(0x1de95b0db7cb7c5e));
	assert_string_equal(c.topic[1], "empty");
	assert_int_equal(c.len[1], 0);
	outbox_free(ob);
	/* Freeing NULL does nothing. */
	outbox_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outbox_test_fifo),
		cmocka_unit_test(outbox_test_window),
		cmocka_unit_test(outbox_test_send_refused),
		cmocka_unit_test(outbox_test_acked),
		cmocka_unit_test(outbox_test_acked_unknown),
		cmocka_unit_test(outbox_test_acked_zero),
		cmocka_unit_test(outbox_test_no_double_handover),
		cmocka_unit_test(outbox_test_retained_replaces_queued),
		cmocka_unit_test(outbox_test_retained_keeps_handed),
		cmocka_unit_test(outbox_test_max),
		cmocka_unit_test(outbox_test_max_retained_replace),
		cmocka_unit_test(outbox_test_disown),
		cmocka_unit_test(outbox_test_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
