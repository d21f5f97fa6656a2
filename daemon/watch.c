/*
 * watch — the life of one feed.
 *
 * timer -> fetch (body streamed into the parser) -> for each item not
 * seen and not pending: a digest per profile -> at the end of the body:
 * backlog rule on a first fetch, then digests into the outbox oldest
 * first, and the latest bundles after them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "newsdigest/buf.h"
#include "newsdigest/config.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"
#include "newsdigest/fetch.h"
#include "newsdigest/hash.h"
#include "newsdigest/log.h"
#include "newsdigest/outbox.h"
#include "newsdigest/store.h"
#include "newsdigest/watch.h"

#define WATCH_SAVE_DELAY 1	/* seconds: batch the seen ids of a burst */

/* A new article found in the current fetch. */
struct watch_fresh {
	uint64_t id;
	int64_t published;
	size_t order;		/* position in the document */
	char **json;		/* one digest per profile */
	size_t *jsonlen;
};

/* An article queued for the broker, not yet acknowledged for every profile. */
struct watch_pending {
	uint64_t id;
	unsigned left;
};

struct watch {
	struct event_base *base;
	const struct config *cfg;
	const struct config_feed *feed;
	struct fetch *fetch;
	struct outbox *outbox;
	watch_cycle_cb cycle;
	void *arg;
	struct store_feed *store;
	struct event *timer;
	struct event *save_timer;
	struct feed_parser *parser;
	int busy;
	int stopped;
	int64_t now;		/* time of the current fetch */
	struct watch_fresh *fresh;
	size_t nfresh;
	size_t capfresh;
	int fresh_failed;
	struct watch_pending *pending;
	size_t npending;
	size_t cappending;
	struct watch_stats stats;
	struct buf json;
	struct buf payload;
};

/* Free the articles found in a fetch. */
static void
watch_fresh_clear(struct watch *w)
{
	size_t i, j;

	for (i = 0; i < w->nfresh; i++) {
		for (j = 0; j < w->cfg->nprofiles; j++)
			free(w->fresh[i].json[j]);
		free(w->fresh[i].json);
		free(w->fresh[i].jsonlen);
	}
	w->nfresh = 0;
	w->fresh_failed = 0;
}

/* Return the pending entry of id, or NULL. */
static struct watch_pending *
watch_find_pending(const struct watch *w, uint64_t id)
{
	size_t i;

	for (i = 0; i < w->npending; i++)
		if (w->pending[i].id == id)
			return &w->pending[i];
	return NULL;
}

/* Parser: one item. Make its digests unless it is known. */
static int
watch_item_cb(void *arg, const struct feed_item *item)
{
	struct watch *w = arg;
	struct watch_fresh *f;
	char idhex[DIGEST_ID_LEN + 1];
	uint64_t id;
	size_t i;

	hash_item_id(idhex, w->feed->name, item->id);
	id = strtoull(idhex, NULL, 16);
	if (store_seen(w->store, id) || watch_find_pending(w, id) != NULL)
		return 0;
	for (i = 0; i < w->nfresh; i++)
		if (w->fresh[i].id == id)
			return 0;	/* the same guid twice in one feed */
	if (w->nfresh == w->capfresh) {
		size_t ncap = w->capfresh ? w->capfresh * 2 : 16;
		struct watch_fresh *nf = reallocarray(w->fresh, ncap, sizeof *nf);

		if (nf == NULL) {
			w->fresh_failed = 1;
			return -1;
		}
		w->fresh = nf;
		w->capfresh = ncap;
	}
	f = &w->fresh[w->nfresh];
	memset(f, 0, sizeof *f);
	f->id = id;
	f->published = item->published != FEED_NO_DATE ? item->published :
	    item->updated != FEED_NO_DATE ? item->updated : w->now;
	f->order = w->nfresh;
	if ((f->json = calloc(w->cfg->nprofiles, sizeof *f->json)) == NULL ||
	    (f->jsonlen = calloc(w->cfg->nprofiles, sizeof *f->jsonlen)) == NULL) {
		free(f->json);
		w->fresh_failed = 1;
		return -1;
	}
	w->nfresh++;
	for (i = 0; i < w->cfg->nprofiles; i++) {
		buf_reset(&w->json);
		if (digest_build(&w->json, &w->cfg->profiles[i], w->feed->name, item, w->now,
		    idhex) == -1 || (f->json[i] = buf_steal(&w->json, &f->jsonlen[i])) == NULL) {
			w->fresh_failed = 1;
			return -1;
		}
	}
	return 0;
}

/* Order fresh articles newest first (ties: earlier in the document first). */
static int
watch_newest_first(const void *a, const void *b)
{
	const struct watch_fresh *x = a, *y = b;

	if (x->published != y->published)
		return x->published > y->published ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Build a topic "PREFIX/PROFILE/FEED/LEAF" into out. */
static void
watch_topic(const struct watch *w, size_t profile, const char *leaf, char *out, size_t len)
{
	snprintf(out, len, "%s/%s/%s/%s", w->cfg->topic_prefix, w->cfg->profiles[profile].name,
	    w->feed->name, leaf);
}

/* Queue the retained latest bundle of a profile. */
static void
watch_queue_bundle(struct watch *w, size_t p)
{
	const struct digest_profile *prof = &w->cfg->profiles[p];
	struct outbox_msg msg;
	char topic[512];
	size_t i;

	if (prof->latest == 0)
		return;
	buf_reset(&w->json);
	buf_addc(&w->json, '[');
	for (i = 0; i < store_latest_count(w->store, p); i++) {
		if (i > 0)
			buf_addc(&w->json, ',');
		buf_adds(&w->json, store_latest_get(w->store, p, i));
	}
	buf_addc(&w->json, ']');
	buf_reset(&w->payload);
	if (buf_failed(&w->json) ||
	    digest_encode(&w->payload, prof, w->json.data, w->json.len) == -1) {
		log_warnx("feed %s: profile %s: cannot build the latest bundle", w->feed->name,
		    prof->name);
		return;
	}
	watch_topic(w, p, "latest", topic, sizeof topic);
	memset(&msg, 0, sizeof msg);
	msg.topic = topic;
	msg.payload = w->payload.data;
	msg.len = w->payload.len;
	msg.retain = 1;
	msg.content_encoding = prof->compression == DIGEST_ZLIB ? "zlib" : "identity";
	if (outbox_put(w->outbox, &msg) == -1)
		log_warnx("feed %s: outbox full, latest bundle of %s not queued", w->feed->name,
		    prof->name);
}

/* Queue the digests of one article; count it pending. Returns 0 or -1. */
static int
watch_queue_article(struct watch *w, const struct watch_fresh *f)
{
	const struct digest_profile *prof;
	struct watch_pending *pd;
	struct outbox_msg msg;
	char topic[512];
	size_t p;

	if (w->npending == w->cappending) {
		size_t ncap = w->cappending ? w->cappending * 2 : 16;
		struct watch_pending *np = reallocarray(w->pending, ncap, sizeof *np);

		if (np == NULL)
			return -1;
		w->pending = np;
		w->cappending = ncap;
	}
	pd = &w->pending[w->npending];
	pd->id = f->id;
	pd->left = 0;
	for (p = 0; p < w->cfg->nprofiles; p++) {
		prof = &w->cfg->profiles[p];
		buf_reset(&w->payload);
		if (digest_encode(&w->payload, prof, f->json[p], f->jsonlen[p]) == -1)
			return -1;
		watch_topic(w, p, "digest", topic, sizeof topic);
		memset(&msg, 0, sizeof msg);
		msg.topic = topic;
		msg.payload = w->payload.data;
		msg.len = w->payload.len;
		msg.content_encoding = prof->compression == DIGEST_ZLIB ? "zlib" : "identity";
		msg.expiry = (uint32_t)prof->expiry;
		msg.owner = w;
		msg.id = f->id;
		if (outbox_put(w->outbox, &msg) == -1)
			return -1;
		pd->left++;
		w->stats.bytes_json += f->jsonlen[p];
		w->stats.bytes_payload += w->payload.len;
		store_latest_push(w->store, p, f->json[p], f->jsonlen[p]);
	}
	w->npending++;
	return 0;
}

/* Decide what to publish from the fresh articles and queue it. */
static void
watch_publish_fresh(struct watch *w)
{
	size_t i, keep = w->nfresh, queued = 0, skipped = 0;
	int first = store_feed_is_new(w->store);

	qsort(w->fresh, w->nfresh, sizeof *w->fresh, watch_newest_first);
	if (first && w->feed->backlog != CONFIG_BACKLOG_ALL && (size_t)w->feed->backlog < keep) {
		/* A new feed: the newest backlog articles; the rest count as seen. */
		keep = (size_t)w->feed->backlog;
		for (i = keep; i < w->nfresh; i++)
			store_seen_add(w->store, w->fresh[i].id);
		skipped = w->nfresh - keep;
	}
	/* Oldest first, as they happened. */
	for (i = keep; i-- > 0;) {
		if (watch_queue_article(w, &w->fresh[i]) == -1) {
			/* Not seen, so the next fetch offers it again. */
			log_warnx("feed %s: outbox full, %zu new article%s left for the next fetch",
			    w->feed->name, i + 1, i == 0 ? "" : "s");
			break;
		}
		queued++;
	}
	w->stats.items += queued;
	if (queued > 0 || skipped > 0)
		log_info("feed %s: %zu new article%s%s", w->feed->name, queued,
		    queued == 1 ? "" : "s", skipped > 0 ? " (older ones skipped: backlog)" : "");
	if (queued > 0)
		for (i = 0; i < w->cfg->nprofiles; i++)
			watch_queue_bundle(w, i);
	store_feed_set_fetched(w->store);
}

/* fetch: body bytes; parse them as they come. */
static int
watch_data_cb(void *arg, const char *data, size_t len)
{
	struct watch *w = arg;

	if (w->parser == NULL &&
	    (w->parser = feed_parser_new(&(struct feed_limits){ (size_t)w->cfg->max_items, 0, 0 },
		NULL, watch_item_cb, w)) == NULL)
		return -1;
	/* A parse error is reported at the end; keep reading is pointless. */
	return feed_parser_write(w->parser, data, len) == -1 ? -1 : 0;
}

/* Schedule the next fetch: the interval, give or take a tenth. */
static void
watch_schedule(struct watch *w, int64_t delay)
{
	struct timeval tv;
	long jitter;

	if (delay > 10) {
		jitter = random() % (long)(delay / 5 + 1) - (long)(delay / 10);
		delay += jitter;
	}
	tv.tv_sec = (time_t)delay;
	tv.tv_usec = 0;
	evtimer_add(w->timer, &tv);
	w->stats.next_fetch = (int64_t)time(NULL) + delay;
}

/* fetch: the transfer ended. */
static void
watch_done_cb(void *arg, const struct fetch_result *res)
{
	struct watch *w = arg;
	const char *perr = NULL;
	int ok = res->ok;

	w->busy = 0;
	w->stats.fetches++;
	w->stats.last_fetch = w->now;
	if (ok) {
		if (w->parser == NULL && watch_data_cb(w, "", 0) == -1)
			perr = "out of memory";
		else if (feed_parser_finish(w->parser) == -1)
			perr = feed_parser_error(w->parser);
	} else if (w->parser != NULL && feed_parser_error(w->parser) != NULL) {
		perr = feed_parser_error(w->parser);
		ok = 1;
	}
	if (!ok) {
		w->stats.failures++;
		snprintf(w->stats.last_error, sizeof w->stats.last_error, "%s", res->error);
		log_warnx("feed %s: %s: %s", w->feed->name, w->feed->url, res->error);
	} else if (perr != NULL) {
		/* Items read before the error are whole; publish them. */
		w->stats.failures++;
		snprintf(w->stats.last_error, sizeof w->stats.last_error, "%s", perr);
		log_warnx("feed %s: %s: not a readable feed: %s", w->feed->name, w->feed->url,
		    perr);
	} else {
		w->stats.last_error[0] = '\0';
		if (feed_parser_truncated(w->parser))
			log_warnx("feed %s: more than %ld items, the rest ignored", w->feed->name,
			    w->cfg->max_items);
	}
	if (ok && !w->fresh_failed)
		watch_publish_fresh(w);
	else if (w->fresh_failed)
		log_warnx("feed %s: out of memory making digests; retrying next time",
		    w->feed->name);
	watch_fresh_clear(w);
	feed_parser_free(w->parser);
	w->parser = NULL;
	watch_save(w);
	if (!w->stopped)
		watch_schedule(w, w->feed->interval);
	w->cycle(w->arg, w, ok && perr == NULL);
}

/* libevent: time to fetch. */
static void
watch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;

	(void)fd;
	(void)what;
	if (w->busy)
		return;
	w->now = (int64_t)time(NULL);
	if (fetch_start(w->fetch, w->feed->url, watch_data_cb, watch_done_cb, w) == -1) {
		log_warnx("feed %s: cannot start a fetch", w->feed->name);
		watch_schedule(w, w->feed->interval);
		return;
	}
	w->busy = 1;
}

/* libevent: write the state a burst of acknowledgements changed. */
static void
watch_save_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	watch_save(arg);
}

/* Create a watch. */
struct watch *
watch_new(struct event_base *base, const struct config *cfg, const struct config_feed *feed,
    struct fetch *fetch, struct outbox *outbox, watch_cycle_cb cycle, void *arg)
{
	struct watch *w;
	const char **names;
	size_t max_latest = 0, i;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	w->base = base;
	w->cfg = cfg;
	w->feed = feed;
	w->fetch = fetch;
	w->outbox = outbox;
	w->cycle = cycle;
	w->arg = arg;
	buf_init(&w->json, 0);
	buf_init(&w->payload, 0);
	if ((names = calloc(cfg->nprofiles, sizeof *names)) == NULL) {
		free(w);
		return NULL;
	}
	for (i = 0; i < cfg->nprofiles; i++) {
		names[i] = cfg->profiles[i].name;
		if (cfg->profiles[i].latest > max_latest)
			max_latest = cfg->profiles[i].latest;
	}
	w->store = store_feed_open(cfg->state_dir, feed->name, (size_t)cfg->seen_per_feed, names,
	    cfg->nprofiles, max_latest);
	free(names);
	w->timer = evtimer_new(base, watch_timer_cb, w);
	w->save_timer = evtimer_new(base, watch_save_cb, w);
	if (w->store == NULL || w->timer == NULL || w->save_timer == NULL) {
		watch_free(w);
		return NULL;
	}
	return w;
}

/* Free a watch. */
void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	if (w->busy)
		fetch_cancel(w->fetch, w);
	outbox_disown(w->outbox, w);
	if (w->store != NULL)
		watch_save(w);
	if (w->timer != NULL)
		event_free(w->timer);
	if (w->save_timer != NULL)
		event_free(w->save_timer);
	feed_parser_free(w->parser);
	watch_fresh_clear(w);
	free(w->fresh);
	free(w->pending);
	store_feed_free(w->store);
	buf_free(&w->json);
	buf_free(&w->payload);
	free(w);
}

/* Start the timer. */
void
watch_start(struct watch *w, int64_t delay)
{
	struct timeval tv = { (time_t)delay, 0 };

	w->stopped = 0;
	evtimer_add(w->timer, &tv);
	w->stats.next_fetch = (int64_t)time(NULL) + delay;
}

/* Stop the timer. */
void
watch_stop(struct watch *w)
{
	w->stopped = 1;
	evtimer_del(w->timer);
	w->stats.next_fetch = 0;
}

/* Tell whether a fetch runs. */
int
watch_busy(const struct watch *w)
{
	return w->busy;
}

/* A digest of article id was acknowledged. */
void
watch_delivered(struct watch *w, uint64_t id)
{
	struct watch_pending *pd = watch_find_pending(w, id);
	struct timeval tv = { WATCH_SAVE_DELAY, 0 };

	w->stats.digests++;
	if (pd == NULL || --pd->left > 0)
		return;
	store_seen_add(w->store, id);
	*pd = w->pending[--w->npending];
	if (!evtimer_pending(w->save_timer, NULL))
		evtimer_add(w->save_timer, &tv);
}

/* Count the articles not yet delivered. */
size_t
watch_pending(const struct watch *w)
{
	return w->npending;
}

/* Save the state if it changed. */
int
watch_save(struct watch *w)
{
	if (!store_feed_dirty(w->store))
		return 0;
	return store_feed_save(w->store);
}

/* Name the feed. */
const char *
watch_name(const struct watch *w)
{
	return w->feed->name;
}

/* Return the counters. */
const struct watch_stats *
watch_stats(const struct watch *w)
{
	return &w->stats;
}
