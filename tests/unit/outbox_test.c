/*
 * outbox_test — the durable outbox (daemon/outbox.c) and its record
 * format (daemon/journal.c): order, window, acknowledgements, retained
 * replacement, bounds, stale messages, and the journal read back after a
 * restart, a torn write or damage on disk.
 */
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
#include <time.h>
#include <unistd.h>

#include "newsdigest/journal.h"
#include "newsdigest/log.h"
#include "newsdigest/outbox.h"

#define OT_MAX 512

/* A temp state directory and what the callbacks saw. */
struct ot {
	char dir[64];
	char path[96];
	struct outbox_limits lim;
	/* send */
	char topic[OT_MAX][32];
	char payload[OT_MAX][600];
	size_t len[OT_MAX];
	uint32_t expiry[OT_MAX];
	int retain[OT_MAX];
	size_t sent;
	int next_mid;
	int refuse;
	/* done */
	char done_feed[OT_MAX][16];
	uint64_t done_article[OT_MAX];
	size_t done;
};

/* The send callback: record the message, give it the next mid. */
static int
ot_send(void *arg, const struct outbox_msg *msg)
{
	struct ot *t = arg;

	if (t->refuse)
		return -1;
	assert_true(t->sent < OT_MAX);
	assert_true(strlen(msg->topic) < sizeof t->topic[0]);
	assert_true(msg->len <= sizeof t->payload[0]);
	snprintf(t->topic[t->sent], sizeof t->topic[0], "%s", msg->topic);
	memcpy(t->payload[t->sent], msg->payload, msg->len);
	t->len[t->sent] = msg->len;
	t->expiry[t->sent] = msg->expiry;
	t->retain[t->sent] = msg->retain;
	t->sent++;
	return ++t->next_mid;
}

/* The done callback: record feed and article. */
static void
ot_done(void *arg, const char *feed, uint64_t article)
{
	struct ot *t = arg;

	assert_true(t->done < OT_MAX);
	snprintf(t->done_feed[t->done], sizeof t->done_feed[0], "%s", feed);
	t->done_article[t->done++] = article;
}

/* cmocka setup: a fresh directory, roomy bounds. */
static int
ot_setup(void **state)
{
	struct ot *t = calloc(1, sizeof *t);

	assert_non_null(t);
	snprintf(t->dir, sizeof t->dir, "/tmp/outbox_test.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/outbox.journal", t->dir);
	t->lim.max_messages = 1000;
	t->lim.max_bytes = (int64_t)64 << 20;
	t->lim.max_age = 7 * 86400;
	*state = t;
	return 0;
}

/* cmocka teardown: remove the directory. */
static int
ot_teardown(void **state)
{
	struct ot *t = *state;
	char p[128];

	unlink(t->path);
	snprintf(p, sizeof p, "%s.tmp", t->path);
	unlink(p);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Open the outbox of t. */
static struct outbox *
ot_open(struct ot *t)
{
	struct outbox *ob = outbox_open(t->dir, &t->lim, ot_done, t);

	assert_non_null(ob);
	return ob;
}

/* Put a digest "PAYLOAD-n" for article n of feed "f" on topic "t/n%mod". */
static void
ot_put(struct outbox *ob, unsigned n, uint32_t expiry)
{
	struct outbox_msg m;
	char topic[32], payload[32];

	snprintf(topic, sizeof topic, "t/%u", n);
	snprintf(payload, sizeof payload, "PAYLOAD-%u", n);
	memset(&m, 0, sizeof m);
	m.topic = topic;
	m.payload = payload;
	m.len = strlen(payload);
	m.content_encoding = "zlib";
	m.expiry = expiry;
	m.feed = "f";
	m.article = n;
	assert_int_equal(outbox_put(ob, &m), 0);
}

/* Open the outbox of t and put the digests of articles 1 to count. */
static struct outbox *
ot_open_with(struct ot *t, unsigned count, uint32_t expiry)
{
	struct outbox *ob = ot_open(t);
	unsigned n;

	for (n = 1; n <= count; n++)
		ot_put(ob, n, expiry);
	return ob;
}

/* Put a retained message with payload p on topic. */
static void
ot_put_retained(struct outbox *ob, const char *topic, const char *p)
{
	struct outbox_msg m;

	memset(&m, 0, sizeof m);
	m.topic = topic;
	m.payload = p;
	m.len = strlen(p);
	m.retain = 1;
	assert_int_equal(outbox_put(ob, &m), 0);
}

/* Assert that the i-th message sent was article n's. */
static void
ot_sent_is(const struct ot *t, size_t i, unsigned n)
{
	char want[32];

	snprintf(want, sizeof want, "PAYLOAD-%u", n);
	assert_true(i < t->sent);
	assert_int_equal(t->len[i], strlen(want));
	assert_memory_equal(t->payload[i], want, t->len[i]);
}

/* Assert that the messages sent from the i-th on were articles ns[0..count). */
static void
ot_sent_are(const struct ot *t, size_t i, const unsigned *ns, size_t count)
{
	size_t k;

	for (k = 0; k < count; k++)
		ot_sent_is(t, i + k, ns[k]);
}

/* Order and window: at most window handed over; an ack lets the next go. */
static void
ot_test_order_window(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open_with(t, 5, 0);

	outbox_pump(ob, 2, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 2);
	assert_int_equal(outbox_inflight(ob), 2);
	ot_sent_are(t, 0, (const unsigned[]){ 1, 2 }, 2);
	/* Pumping again hands nothing twice. */
	outbox_pump(ob, 2, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 2);
	outbox_acked(ob, 1);
	assert_int_equal(t->done, 1);
	assert_string_equal(t->done_feed[0], "f");
	assert_int_equal(t->done_article[0], 1);
	/* An unknown or repeated mid changes nothing. */
	outbox_acked(ob, 1);
	outbox_acked(ob, 99);
	outbox_acked(ob, 0);
	assert_int_equal(t->done, 1);
	outbox_pump(ob, 2, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 3);
	ot_sent_is(t, 2, 3);
	assert_int_equal(outbox_depth(ob), 4);
	/* A refusing client keeps the rest queued. */
	t->refuse = 1;
	outbox_acked(ob, 2);
	outbox_pump(ob, 2, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 3);
	assert_int_equal(outbox_depth(ob), 3);
	outbox_free(ob);
}

/*
 * A restart: what was not acknowledged comes back, in order, with its
 * payload, expiry and retain flag; what was acknowledged does not.
 */
static void
ot_test_restart(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open_with(t, 5, 3600);
	struct outbox_stats st;

	ot_put_retained(ob, "t/latest", "[1,2,3,4,5]");
	outbox_pump(ob, 3, time(NULL), ot_send, t);
	outbox_acked(ob, 1);
	outbox_acked(ob, 3);
	assert_int_equal(outbox_sync(ob), 0);
	outbox_free(ob);

	t->sent = 0;
	t->next_mid = 0;
	ob = ot_open(t);
	assert_int_equal(outbox_depth(ob), 4);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 4);
	ot_sent_are(t, 0, (const unsigned[]){ 2, 4, 5 }, 3);
	assert_true(t->expiry[0] > 3590 && t->expiry[0] <= 3600);
	assert_string_equal(t->topic[3], "t/latest");
	assert_int_equal(t->retain[3], 1);
	assert_int_equal(t->retain[0], 0);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.skipped, 0);
	outbox_free(ob);
}

/*
 * A new client (a reload): what the old one held unacknowledged goes out
 * again, in order, with new mids; the old mids match nothing any more.
 */
static void
ot_test_requeue(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open_with(t, 4, 0);

	outbox_pump(ob, 3, time(NULL), ot_send, t);
	outbox_acked(ob, 2);
	assert_int_equal(outbox_inflight(ob), 2);
	outbox_requeue(ob);
	assert_int_equal(outbox_inflight(ob), 0);
	assert_int_equal(outbox_depth(ob), 3);
	/* The old client's late PUBACK for mid 1 is not the new one's. */
	t->next_mid = 100;
	outbox_acked(ob, 1);
	assert_int_equal(outbox_depth(ob), 3);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 6);
	ot_sent_are(t, 3, (const unsigned[]){ 1, 3, 4 }, 3);
	assert_int_equal(outbox_inflight(ob), 3);
	outbox_acked(ob, 101);
	assert_int_equal(t->done_article[t->done - 1], 1);
	assert_int_equal(outbox_depth(ob), 2);
	outbox_free(ob);
}

/* Call cb for each article held; collect them. */
static void
ot_collect(void *arg, const char *feed, uint64_t article)
{
	struct ot *t = arg;

	ot_done(t, feed, article);
}

/* After a restart the articles held are reported, so they count as seen. */
static void
ot_test_foreach_article(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);

	ot_put(ob, 7, 0);
	ot_put_retained(ob, "t/latest", "[]");
	ot_put(ob, 9, 0);
	outbox_free(ob);
	ob = ot_open(t);
	outbox_foreach_article(ob, ot_collect, t);
	assert_int_equal(t->done, 2);
	assert_int_equal(t->done_article[0], 7);
	assert_int_equal(t->done_article[1], 9);
	outbox_free(ob);
}

/* A newer retained message replaces one for the same topic still waiting. */
static void
ot_test_retained_replaced(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);

	ot_put_retained(ob, "t/latest", "[1]");
	ot_put(ob, 1, 0);
	ot_put_retained(ob, "t/latest", "[1,2]");
	ot_put_retained(ob, "t/other", "[9]");
	assert_int_equal(outbox_depth(ob), 3);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 3);
	assert_memory_equal(t->payload[1], "[1,2]", 5);
	/* One handed over is the client's: a newer one queues behind it. */
	ot_put_retained(ob, "t/latest", "[1,2,3]");
	assert_int_equal(outbox_depth(ob), 4);
	outbox_free(ob);
	/* The replacement holds across a restart too. */
	ob = ot_open(t);
	assert_int_equal(outbox_depth(ob), 4);
	/*
	 * After the restart both states of t/latest wait; an empty one (the
	 * broker then forgets the topic) replaces them both.
	 */
	ot_put_retained(ob, "t/latest", "");
	assert_int_equal(outbox_depth(ob), 3);
	t->sent = 0;
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 3);
	assert_string_equal(t->topic[1], "t/other");
	assert_string_equal(t->topic[2], "t/latest");
	assert_int_equal(t->len[2], 0);
	assert_int_equal(t->retain[2], 1);
	outbox_free(ob);
}

/* Bounds: past max_messages or max_bytes the oldest waiting go first. */
static void
ot_test_bounds(void **state)
{
	struct ot *t = *state;
	struct outbox *ob;
	struct outbox_stats st;
	size_t kept;
	unsigned n;

	t->lim.max_messages = 3;
	ob = ot_open_with(t, 5, 0);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 3);
	assert_int_equal(st.dropped, 2);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	ot_sent_is(t, 0, 3);
	ot_sent_is(t, 2, 5);
	/* Handed over, they are not dropped: the next puts drop nothing older. */
	ot_put(ob, 6, 0);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 4);
	outbox_free(ob);

	/* By bytes: each record is about 60 bytes. */
	unlink(t->path);
	t->lim.max_messages = 1000;
	t->lim.max_bytes = 200;
	ob = ot_open_with(t, 10, 0);
	outbox_get_stats(ob, &st);
	assert_true(st.bytes <= 200);
	assert_true(st.depth >= 2 && st.depth <= 4);
	assert_int_equal(st.dropped, 10 - st.depth);
	kept = st.depth;
	outbox_free(ob);
	/* The drops hold across a restart: the newest are left, in order. */
	t->sent = 0;
	ob = ot_open(t);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, kept);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, kept);
	for (n = 0; n < kept; n++)
		ot_sent_is(t, n, (unsigned)(10 - kept + 1 + n));
	outbox_free(ob);
}

/* Stale: past its expiry, or the outbox's max age, a message is dropped. */
static void
ot_test_stale(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);
	struct outbox_stats st;

	ot_put(ob, 1, 60);
	ot_put(ob, 2, 0);
	ot_put(ob, 3, 3600);
	outbox_pump(ob, 10, time(NULL) + 120, ot_send, t);
	assert_int_equal(t->sent, 2);
	ot_sent_is(t, 0, 2);
	ot_sent_is(t, 1, 3);
	/* What is left of the expiry goes with the message. */
	assert_true(t->expiry[1] <= 3600 - 120 && t->expiry[1] > 3600 - 130);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.stale, 1);
	ot_put(ob, 4, 0);
	outbox_pump(ob, 10, time(NULL) + t->lim.max_age + 1, ot_send, t);
	assert_int_equal(t->sent, 2);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.stale, 2);
	outbox_free(ob);
}

/* Change the journal: cut it to len bytes, or flip the byte at off. */
static void
ot_damage(const struct ot *t, off_t cut_to, off_t flip_at)
{
	unsigned char b;
	int fd = open(t->path, O_RDWR);

	assert_true(fd != -1);
	if (cut_to >= 0)
		assert_int_equal(ftruncate(fd, cut_to), 0);
	if (flip_at >= 0) {
		assert_int_equal(pread(fd, &b, 1, flip_at), 1);
		b ^= 0x55;
		assert_int_equal(pwrite(fd, &b, 1, flip_at), 1);
	}
	close(fd);
}

/* Return the size of the journal. */
static off_t
ot_size(const struct ot *t)
{
	struct stat sb;

	assert_int_equal(stat(t->path, &sb), 0);
	return sb.st_size;
}

/* A torn last record (a crash mid-write) is skipped; the rest is read. */
static void
ot_test_torn_tail(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);
	struct outbox_stats st;
	off_t two;

	ot_put(ob, 1, 0);
	ot_put(ob, 2, 0);
	two = ot_size(t);
	ot_put(ob, 3, 0);
	outbox_free(ob);
	ot_damage(t, two + 7, -1);
	ob = ot_open(t);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 2);
	assert_int_equal(st.skipped, 1);
	/* The damage is gone from the journal: the next start reads it clean. */
	ot_put(ob, 4, 0);
	outbox_free(ob);
	ob = ot_open(t);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 3);
	assert_int_equal(st.skipped, 0);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	ot_sent_is(t, 0, 1);
	ot_sent_is(t, 1, 2);
	ot_sent_is(t, 2, 4);
	outbox_free(ob);
}

/* A record damaged in the middle is skipped, never trusted; the next ones are read. */
static void
ot_test_corrupt_middle(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);
	struct outbox_stats st;
	off_t one, two, at;

	ot_put(ob, 1, 0);
	one = ot_size(t);
	ot_put(ob, 2, 0);
	two = ot_size(t);
	ot_put(ob, 3, 0);
	outbox_free(ob);
	/* Every byte of record 2 in turn: its header, length, CRC and body. */
	for (at = one; at < two; at++) {
		char copy[4096];
		int fd;
		ssize_t n;

		fd = open(t->path, O_RDONLY);
		n = read(fd, copy, sizeof copy);
		close(fd);
		ot_damage(t, -1, at);
		t->sent = 0;
		ob = ot_open(t);
		outbox_get_stats(ob, &st);
		assert_int_equal(st.depth, 2);
		assert_int_equal(st.skipped, 1);
		outbox_pump(ob, 10, time(NULL), ot_send, t);
		assert_int_equal(t->sent, 2);
		ot_sent_is(t, 0, 1);
		ot_sent_is(t, 1, 3);
		outbox_free(ob);
		/* Put the undamaged journal back for the next byte. */
		fd = open(t->path, O_WRONLY | O_TRUNC);
		assert_int_equal(write(fd, copy, (size_t)n), n);
		close(fd);
	}
}

/* Garbage in front of and between records is skipped. */
static void
ot_test_garbage(void **state)
{
	struct ot *t = *state;
	struct outbox *ob;
	struct outbox_stats st;
	struct journal_rec r;
	struct buf b;
	int fd;

	memset(&r, 0, sizeof r);
	r.type = JOURNAL_PUT;
	r.seq = 5;
	r.article = 42;
	r.created = time(NULL);
	r.feed = "f";
	r.feedlen = 1;
	r.topic = "t/42";
	r.topiclen = 4;
	r.payload = "PAYLOAD-42";
	r.len = 10;
	buf_init(&b, 0);
	buf_adds(&b, "junk NDj1 junk");
	assert_int_equal(journal_encode(&b, &r), 0);
	buf_adds(&b, "NDj");
	r.seq = 6;
	r.payload = "PAYLOAD-43";
	assert_int_equal(journal_encode(&b, &r), 0);
	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	buf_free(&b);
	ob = ot_open(t);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 2);
	assert_int_equal(st.skipped, 2);
	/* New messages number on from the highest read. */
	ot_put(ob, 44, 0);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	assert_int_equal(t->sent, 3);
	ot_sent_is(t, 0, 42);
	ot_sent_is(t, 1, 43);
	ot_sent_is(t, 2, 44);
	outbox_free(ob);
}

/* Mostly dead records: the journal is rewritten smaller, and reads back right. */
static void
ot_test_compaction(void **state)
{
	struct ot *t = *state;
	struct outbox *ob = ot_open(t);
	struct outbox_msg m;
	char big[500];
	off_t before;
	unsigned n;
	int mid = 0;

	memset(big, 'x', sizeof big);
	memset(&m, 0, sizeof m);
	m.topic = "t/big";
	m.payload = big;
	m.len = sizeof big;
	for (n = 0; n < 300; n++)
		assert_int_equal(outbox_put(ob, &m), 0);
	ot_put(ob, 1, 0);
	before = ot_size(t);
	assert_true(before > 150000);
	for (n = 0; n < 300; n++) {
		t->sent = 0;
		outbox_pump(ob, 1, time(NULL), ot_send, t);
		assert_int_equal(t->sent, 1);
		outbox_acked(ob, ++mid);
	}
	assert_true(ot_size(t) < before / 2);
	assert_int_equal(outbox_depth(ob), 1);
	/* Writes after the compaction land in the new file. */
	ot_put(ob, 2, 0);
	outbox_free(ob);
	t->sent = 0;
	ob = ot_open(t);
	assert_int_equal(outbox_depth(ob), 2);
	outbox_pump(ob, 10, time(NULL), ot_send, t);
	ot_sent_is(t, 0, 1);
	ot_sent_is(t, 1, 2);
	outbox_free(ob);
}

/* Count the articles held in order: abort unless they rise. */
static void
ot_count(void *arg, const char *feed, uint64_t article)
{
	uint64_t *last = arg;

	(void)feed;
	assert_true(article > last[0]);
	last[0] = article;
	last[1]++;
}

/*
 * A journal larger than the window it is read back in (2 MiB): every
 * record is found, those cut by a window's end too; damage in the middle
 * is skipped there and the rest read on.
 */
static void
ot_test_large_journal(void **state)
{
	struct ot *t = *state;
	struct outbox *ob;
	struct outbox_msg m;
	struct outbox_stats st;
	char payload[997], topic[32];
	uint64_t seen[2];
	unsigned n;

	t->lim.max_messages = 10000;
	ob = ot_open(t);
	memset(payload, 'p', sizeof payload);
	for (n = 1; n <= 3000; n++) {
		snprintf(topic, sizeof topic, "t/%u", n);
		memset(&m, 0, sizeof m);
		m.topic = topic;
		m.payload = payload;
		m.len = sizeof payload;
		m.feed = "f";
		m.article = n;
		assert_int_equal(outbox_put(ob, &m), 0);
	}
	outbox_free(ob);
	assert_true(ot_size(t) > (off_t)3 << 20);
	ob = ot_open(t);
	seen[0] = seen[1] = 0;
	outbox_foreach_article(ob, ot_count, seen);
	assert_int_equal(seen[1], 3000);
	outbox_free(ob);
	/* A byte at 2 MiB, a window's end: one record lost, the rest read. */
	ot_damage(t, -1, (off_t)2 << 20);
	ob = ot_open(t);
	outbox_get_stats(ob, &st);
	assert_int_equal(st.depth, 2999);
	assert_int_equal(st.skipped, 1);
	seen[0] = seen[1] = 0;
	outbox_foreach_article(ob, ot_count, seen);
	assert_int_equal(seen[1], 2999);
	assert_int_equal(seen[0], 3000);
	outbox_free(ob);
}

/* The record format: a round trip, and every shorter or longer read refused. */
static void
ot_test_journal_codec(void **state)
{
	struct journal_rec r, d;
	struct buf b;
	size_t n, cut;

	(void)state;
	memset(&r, 0, sizeof r);
	r.type = JOURNAL_PUT;
	r.seq = 0x0102030405060708ULL;
	r.article = 0xfedcba9876543210ULL;
	r.created = 1800000000;
	r.expiry = 86400;
	r.retain = 1;
	r.encoding = JOURNAL_ENC_ZLIB;
	r.feed = "world";
	r.feedlen = 5;
	r.topic = "news/default/world/digest";
	r.topiclen = strlen(r.topic);
	r.payload = "\x78\x9c\x00\x01";
	r.len = 4;
	buf_init(&b, 0);
	assert_int_equal(journal_encode(&b, &r), 0);
	n = journal_decode(b.data, b.len, &d);
	assert_int_equal(n, b.len);
	assert_int_equal(d.type, JOURNAL_PUT);
	assert_true(d.seq == r.seq && d.article == r.article && d.created == r.created);
	assert_int_equal(d.expiry, 86400);
	assert_int_equal(d.retain, 1);
	assert_int_equal(d.encoding, JOURNAL_ENC_ZLIB);
	assert_int_equal(d.feedlen, 5);
	assert_memory_equal(d.feed, "world", 5);
	assert_memory_equal(d.topic, r.topic, r.topiclen);
	assert_int_equal(d.len, 4);
	assert_memory_equal(d.payload, r.payload, 4);
	for (cut = 0; cut < b.len; cut++)
		assert_int_equal(journal_decode(b.data, cut, &d), 0);
	assert_string_equal(journal_encoding_name(JOURNAL_ENC_ZLIB), "zlib");
	assert_null(journal_encoding_name(JOURNAL_ENC_NONE));
	buf_reset(&b);
	memset(&r, 0, sizeof r);
	r.type = JOURNAL_DONE;
	r.seq = 9;
	r.reason = JOURNAL_STALE;
	assert_int_equal(journal_encode(&b, &r), 0);
	assert_int_equal(journal_decode(b.data, b.len, &d), b.len);
	assert_int_equal(d.type, JOURNAL_DONE);
	assert_int_equal(d.seq, 9);
	assert_int_equal(d.reason, JOURNAL_STALE);
	/* Resync finds the next magic, or the end. */
	assert_int_equal(journal_resync("xxNDj1", 6), 2);
	assert_int_equal(journal_resync("NDj1NDj1", 8), 4);
	assert_int_equal(journal_resync("xxNDj", 5), 5);
	assert_int_equal(journal_resync("x", 1), 1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ot_test_order_window, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_restart, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_requeue, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_foreach_article, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_retained_replaced, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_bounds, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_stale, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_torn_tail, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_corrupt_middle, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_garbage, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_compaction, ot_setup, ot_teardown),
		cmocka_unit_test_setup_teardown(ot_test_large_journal, ot_setup, ot_teardown),
		cmocka_unit_test(ot_test_journal_codec),
	};

	log_init("outbox_test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
