/*
 * outbox — the durable queue between the digests and the broker.
 *
 * STATE_DIR/outbox.journal holds the records of journal.h: a PUT when a
 * message comes, a DONE when it goes. In memory, one entry per message
 * still held: where its PUT is in the file, its topic (for retained
 * replacement) and its feed and article (for the seen-sets after a
 * restart). The topic and feed are held once for all the messages that
 * share them (a long outage queues thousands for a few topics). The
 * payload is read back from the file when it is handed to the client.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "newsdigest/buf.h"
#include "newsdigest/hash.h"
#include "newsdigest/journal.h"
#include "newsdigest/log.h"
#include "newsdigest/outbox.h"
#include "newsdigest/store.h"

#define OUTBOX_FILE "outbox.journal"
#define OUTBOX_COMPACT_MIN ((int64_t)64 << 10)	/* dead bytes before a compaction */
#define OUTBOX_NAME_BUCKETS 256			/* a power of two */

/* A topic and feed that messages share, held once and counted. */
struct outbox_name {
	struct outbox_name *next;	/* in its bucket */
	uint64_t hash;
	size_t refs;			/* entries that point here */
	size_t topiclen, feedlen;
	char *feed;			/* points into topic[] */
	char topic[];			/* topic, NUL, feed, NUL */
};

struct outbox_entry {
	struct outbox_entry *next;
	uint64_t seq;
	uint64_t article;
	int64_t created;
	int64_t off;		/* of its PUT record in the journal */
	size_t size;		/* of that record */
	uint32_t expiry;
	int mid;		/* 0 until handed over */
	int retain;
	struct outbox_name *name;	/* its topic and feed, shared */
};

struct outbox {
	char *dir;
	char *path;
	int fd;
	int dirty;		/* written since the last sync */
	int failing;		/* the last append failed: said once, until one works */
	struct outbox_limits lim;
	outbox_done_cb done;
	void *arg;
	struct outbox_entry *head, *tail;
	struct outbox_name *names[OUTBOX_NAME_BUCKETS];
	uint64_t seq;		/* the last one given */
	int64_t size;		/* of the journal file */
	int64_t live;		/* bytes of PUTs still held */
	struct outbox_stats st;
	struct buf rec;		/* a record being written */
	char *scratch;		/* a record read back */
	size_t scratchcap;
};

static int outbox_compact(struct outbox *);

/* Tell whether the journal's file system has room for a copy of what is held. */
static int
outbox_room_to_compact(const struct outbox *ob)
{
	struct statvfs vfs;

	return fstatvfs(ob->fd, &vfs) == -1 ||
	    (int64_t)(vfs.f_bavail * vfs.f_frsize) > ob->live;
}

/*
 * Append the record in ob->rec to the journal. A write that fails (the
 * disk full) is cut off again, so that the offsets of the records after
 * it stay right, and is tried once more after making room: a journal of
 * dead records only is emptied in place, which needs no space; one mostly
 * dead is compacted when the copy fits. Returns 0 or -1 (logged once
 * until an append works again).
 */
static int
outbox_append(struct outbox *ob)
{
	int tries;

	for (tries = 0; store_write_all(ob->fd, ob->rec.data, ob->rec.len) == -1; tries++) {
		if (!ob->failing)
			log_warn("%s: write", ob->path);
		ob->failing = 1;
		if (ftruncate(ob->fd, (off_t)ob->size) == -1 || tries > 0)
			return -1;
		if (ob->live == 0 && ob->size > 0) {
			if (ftruncate(ob->fd, 0) == -1)
				return -1;
			ob->size = 0;
			log_info("%s: emptied to make room (every message in it had left)",
			    ob->path);
		} else if (ob->size - ob->live <= ob->live || !outbox_room_to_compact(ob) ||
		    outbox_compact(ob) == -1) {
			return -1;
		}
	}
	if (ob->failing)
		log_info("%s: written again", ob->path);
	ob->failing = 0;
	ob->size += (int64_t)ob->rec.len;
	ob->dirty = 1;
	return 0;
}

/*
 * Read e's PUT record back from the journal into ob->scratch. Returns 0,
 * or -1 (logged) when it cannot be read.
 */
static int
outbox_read_record(struct outbox *ob, const struct outbox_entry *e)
{
	char *p;
	ssize_t n;

	if (e->size > ob->scratchcap) {
		if ((p = realloc(ob->scratch, e->size)) == NULL) {
			log_warnx("outbox: out of memory");
			return -1;
		}
		ob->scratch = p;
		ob->scratchcap = e->size;
	}
	n = pread(ob->fd, ob->scratch, e->size, (off_t)e->off);
	if (n != (ssize_t)e->size) {
		if (n == -1)
			log_warn("%s: read", ob->path);
		else
			log_warnx("%s: message %llu cut short", ob->path,
			    (unsigned long long)e->seq);
		return -1;
	}
	return 0;
}

/* Record that the message seq left the outbox. */
static void
outbox_done_record(struct outbox *ob, uint64_t seq, enum journal_reason reason)
{
	struct journal_rec r;

	memset(&r, 0, sizeof r);
	r.type = JOURNAL_DONE;
	r.seq = seq;
	r.reason = reason;
	buf_reset(&ob->rec);
	/*
	 * Should this fail, the message comes back after a restart: sent
	 * twice rather than lost.
	 */
	if (journal_encode(&ob->rec, &r) == 0)
		outbox_append(ob);
}

/* Return the shared name for r's topic and feed, counted once more; NULL when out of memory. */
static struct outbox_name *
outbox_name_get(struct outbox *ob, const struct journal_rec *r)
{
	struct outbox_name *n, **bucket;
	uint64_t h;

	h = hash_fnv1a(HASH_FNV_OFFSET, r->topic, r->topiclen);
	h = hash_fnv1a(hash_fnv1a(h, "", 1), r->feed, r->feedlen);
	bucket = &ob->names[h & (OUTBOX_NAME_BUCKETS - 1)];
	for (n = *bucket; n != NULL; n = n->next)
		if (n->hash == h && n->topiclen == r->topiclen && n->feedlen == r->feedlen &&
		    memcmp(n->topic, r->topic, r->topiclen) == 0 &&
		    memcmp(n->feed, r->feed, r->feedlen) == 0) {
			n->refs++;
			return n;
		}
	if ((n = calloc(1, sizeof *n + r->topiclen + r->feedlen + 2)) == NULL)
		return NULL;
	n->hash = h;
	n->refs = 1;
	n->topiclen = r->topiclen;
	n->feedlen = r->feedlen;
	memcpy(n->topic, r->topic, r->topiclen);
	n->feed = n->topic + r->topiclen + 1;
	memcpy(n->feed, r->feed, r->feedlen);
	n->next = *bucket;
	*bucket = n;
	return n;
}

/* Count a name once less; free it when no entry points to it. */
static void
outbox_name_put(struct outbox *ob, struct outbox_name *n)
{
	struct outbox_name **p;

	if (--n->refs > 0)
		return;
	for (p = &ob->names[n->hash & (OUTBOX_NAME_BUCKETS - 1)]; *p != n; p = &(*p)->next)
		;
	*p = n->next;
	free(n);
}

/* Free entry e and its hold on its name. */
static void
outbox_entry_free(struct outbox *ob, struct outbox_entry *e)
{
	outbox_name_put(ob, e->name);
	free(e);
}

/* Make an entry for a PUT record at off. Returns NULL when out of memory. */
static struct outbox_entry *
outbox_entry_new(struct outbox *ob, const struct journal_rec *r, int64_t off, size_t size)
{
	struct outbox_entry *e;

	if ((e = calloc(1, sizeof *e)) == NULL)
		return NULL;
	if ((e->name = outbox_name_get(ob, r)) == NULL) {
		free(e);
		return NULL;
	}
	e->seq = r->seq;
	e->article = r->article;
	e->created = r->created;
	e->off = off;
	e->size = size;
	e->expiry = r->expiry;
	e->retain = r->retain;
	return e;
}

/* Put e at the end of the list. */
static void
outbox_link(struct outbox *ob, struct outbox_entry *e)
{
	if (ob->tail != NULL)
		ob->tail->next = e;
	else
		ob->head = e;
	ob->tail = e;
	ob->live += (int64_t)e->size;
	ob->st.depth++;
}

/* Take e (after prev, or first when prev is NULL) out of the list and free it. */
static void
outbox_unlink(struct outbox *ob, struct outbox_entry *prev, struct outbox_entry *e)
{
	if (prev != NULL)
		prev->next = e->next;
	else
		ob->head = e->next;
	if (ob->tail == e)
		ob->tail = prev;
	ob->live -= (int64_t)e->size;
	ob->st.depth--;
	if (e->mid != 0)
		ob->st.inflight--;
	outbox_entry_free(ob, e);
}

/*
 * Drop e (after prev) for reason, with its DONE record: written once e is
 * gone, so that a journal rewritten to make room for it leaves e out.
 */
static void
outbox_drop(struct outbox *ob, struct outbox_entry *prev, struct outbox_entry *e,
    enum journal_reason reason)
{
	uint64_t seq = e->seq;

	outbox_unlink(ob, prev, e);
	outbox_done_record(ob, seq, reason);
}

/* The journal being read back, a piece at a time. */
struct outbox_load {
	struct outbox *ob;
	int64_t base;		/* file offset of the piece */
};

/* journal: one record read back at start. */
static int
outbox_load_cb(void *arg, const struct journal_rec *r, size_t off, size_t size)
{
	struct outbox_load *ld = arg;
	struct outbox *ob = ld->ob;
	struct outbox_entry *e, *prev = NULL;

	if (r->seq > ob->seq)
		ob->seq = r->seq;
	if (r->type == JOURNAL_DONE) {
		/* Mostly the oldest: the search from the head is short. */
		for (e = ob->head; e != NULL; prev = e, e = e->next)
			if (e->seq == r->seq) {
				outbox_unlink(ob, prev, e);
				break;
			}
		return 0;
	}
	if ((e = outbox_entry_new(ob, r, ld->base + (int64_t)off, size)) == NULL) {
		log_warnx("%s: out of memory reading the outbox", ob->path);
		return -1;
	}
	outbox_link(ob, e);
	return 0;
}

/*
 * Rewrite the journal with only the messages held, in order, read back
 * from it: temp file, fsync, rename, fsync of the directory. Returns 0 or
 * -1 (logged; the old journal stays in use).
 */
static int
outbox_compact(struct outbox *ob)
{
	struct outbox_entry *e;
	struct buf tmp;
	int64_t off = 0;
	int fd = -1, rc = -1;

	buf_init(&tmp, 0);
	buf_printf(&tmp, "%s.tmp", ob->path);
	if (buf_failed(&tmp))
		goto out;
	if ((fd = open(tmp.data, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1) {
		log_warn("%s", tmp.data);
		goto out;
	}
	for (e = ob->head; e != NULL; e = e->next) {
		if (outbox_read_record(ob, e) == -1)
			goto out;
		if (store_write_all(fd, ob->scratch, e->size) == -1) {
			log_warn("%s: write", tmp.data);
			goto out;
		}
		off += (int64_t)e->size;
	}
	if (fsync(fd) == -1 || rename(tmp.data, ob->path) == -1) {
		log_warn("%s", ob->path);
		goto out;
	}
	store_sync_dir(ob->dir);
	/* The new file is in place: move to it. */
	if (ob->fd != -1)
		close(ob->fd);
	ob->fd = fd;
	fd = -1;
	if (fcntl(ob->fd, F_SETFL, O_APPEND) == -1)
		log_warn("%s: O_APPEND", ob->path);
	ob->size = off;
	off = 0;
	for (e = ob->head; e != NULL; e = e->next) {
		e->off = off;
		off += (int64_t)e->size;
	}
	ob->dirty = 0;
	rc = 0;
out:
	if (fd != -1) {
		close(fd);
		unlink(tmp.data);
	}
	buf_free(&tmp);
	return rc;
}

/*
 * Read the journal back from fd, a window at a time (a record is at most
 * JOURNAL_HEADER + JOURNAL_MAX_BODY bytes): memory does not grow with the
 * journal. Sets *size to its length. Returns 0 or -1 (logged).
 */
static int
outbox_load(struct outbox *ob, int fd, int64_t *size, struct journal_scan *st)
{
	const size_t cap = 2 * (JOURNAL_HEADER + JOURNAL_MAX_BODY);
	struct outbox_load ld = { ob, 0 };
	size_t len = 0, used;
	ssize_t n = 1;
	char *win;

	if ((win = malloc(cap)) == NULL) {
		log_warnx("%s: out of memory reading the outbox", ob->path);
		return -1;
	}
	for (;;) {
		/* Fill the window, or read to the end. */
		while (len < cap && (n = read(fd, win + len, cap - len)) > 0)
			len += (size_t)n;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s: cannot read the outbox", ob->path);
			break;
		}
		used = journal_scan(win, len, n != 0, outbox_load_cb, &ld, st);
		if (used == (size_t)-1)
			break;
		memmove(win, win + used, len - used);
		len -= used;
		ld.base += (int64_t)used;
		if (n == 0 && len == 0) {
			free(win);
			*size = ld.base;
			return 0;
		}
	}
	free(win);
	return -1;
}

/* Open the outbox. */
struct outbox *
outbox_open(const char *dir, const struct outbox_limits *lim, outbox_done_cb done, void *arg)
{
	struct outbox *ob;
	struct journal_scan st;
	struct buf b;
	int64_t size = 0;
	int fd;

	if ((ob = calloc(1, sizeof *ob)) == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	ob->fd = -1;
	ob->lim = *lim;
	ob->done = done;
	ob->arg = arg;
	buf_init(&ob->rec, JOURNAL_HEADER + JOURNAL_MAX_BODY);
	buf_init(&b, 0);
	buf_printf(&b, "%s/%s", dir, OUTBOX_FILE);
	ob->path = buf_steal(&b, NULL);
	if (ob->path == NULL || (ob->dir = strdup(dir)) == NULL) {
		outbox_free(ob);
		return NULL;
	}
	if ((fd = open(ob->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    outbox_load(ob, fd, &size, &st) == -1) {
		if (fd == -1)
			log_warn("%s: cannot open the outbox to read and write", ob->path);
		else
			close(fd);
		outbox_free(ob);
		return NULL;
	}
	ob->fd = fd;
	ob->size = size;
	if (st.skipped > 0) {
		log_warnx("%s: %zu damaged byte%s skipped in %zu place%s (torn or corrupt "
		    "records, not trusted)", ob->path, st.skipped, st.skipped == 1 ? "" : "s",
		    st.stretches, st.stretches == 1 ? "" : "s");
		ob->st.skipped = st.stretches;
	}
	if (ob->st.depth > 0)
		log_info("outbox: %zu message%s from the last run to publish", ob->st.depth,
		    ob->st.depth == 1 ? "" : "s");
	/*
	 * Start from a clean journal when the old one has dead or damaged
	 * records. Where the copy finds no room (a full disk) the old one
	 * serves as it is: a reader skips its dead and damaged records.
	 */
	if (size > ob->live && outbox_compact(ob) == -1)
		log_warnx("%s: kept as it is, dead records and all, until there is room to "
		    "rewrite it", ob->path);
	if (fcntl(ob->fd, F_SETFL, O_APPEND) == -1) {
		log_warn("%s", ob->path);
		outbox_free(ob);
		return NULL;
	}
	return ob;
}

/* Take new bounds. */
void
outbox_set_limits(struct outbox *ob, const struct outbox_limits *lim)
{
	ob->lim = *lim;
}

/* Free the outbox. */
void
outbox_free(struct outbox *ob)
{
	struct outbox_entry *e;

	if (ob == NULL)
		return;
	if (ob->fd != -1) {
		if (ob->dirty)
			fdatasync(ob->fd);
		close(ob->fd);
	}
	while ((e = ob->head) != NULL) {
		ob->head = e->next;
		outbox_entry_free(ob, e);
	}
	buf_free(&ob->rec);
	free(ob->scratch);
	free(ob->path);
	free(ob->dir);
	free(ob);
}

/* Drop the oldest messages not handed over until the bounds hold. */
static void
outbox_bound(struct outbox *ob)
{
	struct outbox_entry *e, *prev = NULL, *next;
	unsigned long dropped = 0;

	for (e = ob->head; e != NULL && (ob->st.depth > ob->lim.max_messages ||
	    ob->live > ob->lim.max_bytes); e = next) {
		next = e->next;
		/* Those handed over are the client's now: their PUBACK will come. */
		if (e->mid != 0 || e == ob->tail) {
			prev = e;
			continue;
		}
		outbox_drop(ob, prev, e, JOURNAL_DROPPED);
		dropped++;
	}
	if (dropped > 0) {
		ob->st.dropped += dropped;
		log_warnx("outbox full (%zu messages, %lld bytes): the oldest %lu dropped",
		    ob->st.depth, (long long)ob->live, dropped);
	}
}

/* Queue a message. */
int
outbox_put(struct outbox *ob, const struct outbox_msg *msg)
{
	struct journal_rec r;
	struct outbox_entry *e, *prev = NULL;

	memset(&r, 0, sizeof r);
	r.type = JOURNAL_PUT;
	r.seq = ob->seq + 1;
	r.article = msg->article;
	r.created = (int64_t)time(NULL);
	r.expiry = msg->expiry;
	r.retain = msg->retain;
	r.encoding = msg->content_encoding == NULL ? JOURNAL_ENC_NONE :
	    strcmp(msg->content_encoding, "zlib") == 0 ? JOURNAL_ENC_ZLIB : JOURNAL_ENC_IDENTITY;
	r.feed = msg->feed != NULL ? msg->feed : "";
	r.feedlen = strlen(r.feed);
	r.topic = msg->topic;
	r.topiclen = strlen(msg->topic);
	r.payload = msg->payload;
	r.len = msg->len;
	buf_reset(&ob->rec);
	if (journal_encode(&ob->rec, &r) == -1) {
		log_warnx("outbox: message for %s too large", msg->topic);
		return -1;
	}
	if ((e = outbox_entry_new(ob, &r, 0, ob->rec.len)) == NULL) {
		log_warnx("outbox: out of memory");
		return -1;
	}
	if (outbox_append(ob) == -1) {
		outbox_entry_free(ob, e);
		return -1;
	}
	/* At the end of the journal, which making room may have moved. */
	e->off = ob->size - (int64_t)e->size;
	ob->seq = r.seq;
	/* Held before the DONE records below: a rewrite for their room keeps it. */
	outbox_link(ob, e);
	if (msg->retain) {
		/*
		 * A newer state of a retained topic replaces those still
		 * waiting: one, or more after a restart or a new client took
		 * back what was handed over.
		 */
		struct outbox_entry *o, *next;

		for (o = ob->head; o != NULL; o = next) {
			next = o->next;
			if (o != e && o->mid == 0 && o->retain && o->name == e->name)
				outbox_drop(ob, prev, o, JOURNAL_REPLACED);
			else
				prev = o;
		}
	}
	outbox_bound(ob);
	return 0;
}

/* Make the journal durable. */
int
outbox_sync(struct outbox *ob)
{
	if (!ob->dirty)
		return 0;
	if (fdatasync(ob->fd) == -1) {
		log_warn("%s: fdatasync", ob->path);
		return -1;
	}
	ob->dirty = 0;
	return 0;
}

/* Hand over what the window allows, in order; drop what went stale. */
void
outbox_pump(struct outbox *ob, size_t window, int64_t now, outbox_send_cb send, void *arg)
{
	struct outbox_entry *e, *prev = NULL, *next;
	struct outbox_msg msg;
	struct journal_rec r;
	int64_t age;
	int mid;

	for (e = ob->head; e != NULL && ob->st.inflight < window; e = next) {
		next = e->next;
		if (e->mid != 0) {
			prev = e;
			continue;
		}
		age = now > e->created ? now - e->created : 0;
		if (age >= ob->lim.max_age || (e->expiry > 0 && age >= (int64_t)e->expiry)) {
			/* Stale news is not news: a device would drop it anyway. */
			log_info("outbox: message for %s dropped: %lld s old", e->name->topic,
			    (long long)age);
			ob->st.stale++;
			outbox_drop(ob, prev, e, JOURNAL_STALE);
			continue;
		}
		if (outbox_read_record(ob, e) == -1 ||
		    journal_decode(ob->scratch, e->size, &r) != e->size || r.type != JOURNAL_PUT) {
			log_warnx("%s: message %llu for %s damaged on disk, dropped", ob->path,
			    (unsigned long long)e->seq, e->name->topic);
			ob->st.skipped++;
			outbox_drop(ob, prev, e, JOURNAL_DROPPED);
			continue;
		}
		memset(&msg, 0, sizeof msg);
		msg.topic = e->name->topic;
		msg.payload = r.payload;
		msg.len = r.len;
		msg.retain = r.retain;
		msg.content_encoding = journal_encoding_name(r.encoding);
		msg.expiry = e->expiry > 0 ? e->expiry - (uint32_t)age : 0;
		msg.feed = e->name->feed;
		msg.article = e->article;
		if ((mid = send(arg, &msg)) <= 0)
			return;
		e->mid = mid;
		ob->st.inflight++;
		prev = e;
	}
}

/* Forget what was handed over: it goes out again. */
void
outbox_requeue(struct outbox *ob)
{
	struct outbox_entry *e;

	for (e = ob->head; e != NULL; e = e->next)
		e->mid = 0;
	ob->st.inflight = 0;
}

/* Drop an acknowledged message. */
void
outbox_acked(struct outbox *ob, int mid)
{
	struct outbox_entry *e, *prev = NULL;
	char *feed;
	uint64_t article;

	/* Messages not handed over have mid 0: never match them. */
	if (mid <= 0)
		return;
	for (e = ob->head; e != NULL; prev = e, e = e->next) {
		if (e->mid != mid)
			continue;
		ob->st.acked++;
		article = e->article;
		feed = e->name->feedlen > 0 && article != 0 ? strdup(e->name->feed) : NULL;
		outbox_drop(ob, prev, e, JOURNAL_ACKED);
		if (feed != NULL && ob->done != NULL)
			ob->done(ob->arg, feed, article);
		free(feed);
		/* Mostly dead records: rewrite the journal with what is left. */
		if (ob->size - ob->live > OUTBOX_COMPACT_MIN && ob->size - ob->live > ob->live)
			outbox_compact(ob);
		return;
	}
}

/* Walk the messages of articles. */
void
outbox_foreach_article(const struct outbox *ob,
    void (*cb)(void *arg, const char *feed, uint64_t article), void *arg)
{
	const struct outbox_entry *e;

	for (e = ob->head; e != NULL; e = e->next)
		if (e->article != 0 && e->name->feedlen > 0)
			cb(arg, e->name->feed, e->article);
}

/* Count the messages held. */
size_t
outbox_depth(const struct outbox *ob)
{
	return ob->st.depth;
}

/* Count the messages handed over. */
size_t
outbox_inflight(const struct outbox *ob)
{
	return ob->st.inflight;
}

/* Fill in the counters. */
void
outbox_get_stats(const struct outbox *ob, struct outbox_stats *st)
{
	*st = ob->st;
	st->bytes = ob->live;
}
