/*
 * watch — the life of one feed.
 *
 * timer -> fetch (body streamed into the parser) -> for each item not
 * seen: a digest per profile -> at the end of the body: backlog rule on a
 * first fetch, then digests into the durable outbox oldest first, and the
 * latest bundles after them -> once the outbox has them on disk, the
 * articles count as seen and the state is saved.
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

#define WATCH_BACKOFF_MAX (6 * 3600)	/* longest wait after failures, unless interval is */
#define WATCH_MAX_DELAY (24 * 3600)	/* longest a feed may ask us to wait */

/* A new article found in the current fetch. */
struct watch_fresh {
	uint64_t id;
	int64_t published;
	size_t order;		/* position in the document */
	size_t nprofiles;	/* made for that many profiles */
	char **json;		/* one digest per profile */
	size_t *jsonlen;
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
	struct feed_parser *parser;
	struct digest_reader reader;	/* summary and tags, only while a body is parsed */
	int busy;
	int stopped;
	int moved_logged;
	int deferred;		/* articles of the last body not safely in the outbox */
	unsigned failures_in_row;
	int64_t now;		/* time of the current fetch */
	struct watch_fresh *fresh;
	size_t nfresh;
	size_t capfresh;
	size_t nknown;		/* items of the body seen in earlier ones */
	int fresh_failed;
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
		for (j = 0; j < w->fresh[i].nprofiles; j++)
			free(w->fresh[i].json[j]);
		free(w->fresh[i].json);
		free(w->fresh[i].jsonlen);
	}
	w->nfresh = 0;
	w->nknown = 0;
	w->fresh_failed = 0;
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
	/* Seen: and still listed, so not forgotten for a while yet. */
	if (store_seen_touch(w->store, id)) {
		w->nknown++;
		return 0;
	}
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
	f->published = digest_published(item, w->now);
	f->order = w->nfresh;
	if ((f->json = calloc(w->cfg->nprofiles, sizeof *f->json)) == NULL ||
	    (f->jsonlen = calloc(w->cfg->nprofiles, sizeof *f->jsonlen)) == NULL) {
		free(f->json);
		w->fresh_failed = 1;
		return -1;
	}
	f->nprofiles = w->cfg->nprofiles;
	w->nfresh++;
	switch (digest_reader_for(&w->reader, w->feed->language, feed_parser_language(w->parser),
	    item)) {
	case -1:
		w->fresh_failed = 1;
		return -1;
	case 2:
		/* Say what the summaries and tags are read in, when that changes. */
		log_info("feed %s: articles read as %s%s", w->feed->name, w->reader.language,
		    strcmp(w->feed->language, "auto") == 0 ? " (language = auto)" : "");
		break;
	default:
		break;
	}
	for (i = 0; i < w->cfg->nprofiles; i++) {
		buf_reset(&w->json);
		if (digest_build(&w->json, &w->cfg->profiles[i], w->feed->name, item, w->now,
		    w->reader.art, idhex) == -1 || (f->json[i] = buf_steal(&w->json, &f->jsonlen[i])) == NULL) {
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

/* Build the topic "PREFIX/PROFILE/FEED/LEAF" of this feed into out. */
static void
watch_topic(const struct watch *w, size_t profile, const char *leaf, char *out, size_t len)
{
	digest_topic(out, len, w->cfg->topic_prefix, w->cfg->profiles[profile].name,
	    w->feed->name, leaf);
}

/* Queue the retained latest bundle of a profile. */
static void
watch_queue_bundle(struct watch *w, size_t p)
{
	const struct digest_profile *prof = &w->cfg->profiles[p];
	struct outbox_msg msg;
	char topic[512];
	size_t i, n = store_latest_count(w->store, p);

	if (prof->latest == 0)
		return;
	/* The state keeps as many as the profile that wants most. */
	if (n > prof->latest)
		n = prof->latest;
	buf_reset(&w->json);
	buf_addc(&w->json, '[');
	for (i = 0; i < n; i++) {
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

/* Queue the digests of one article, one per profile. Returns 0 or -1. */
static int
watch_queue_article(struct watch *w, const struct watch_fresh *f)
{
	const struct digest_profile *prof;
	struct outbox_msg msg;
	char topic[512];
	size_t p;

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
		msg.feed = w->feed->name;
		msg.article = f->id;
		if (outbox_put(w->outbox, &msg) == -1)
			return -1;
		w->stats.bytes_json += f->jsonlen[p];
		w->stats.bytes_payload += w->payload.len;
		store_latest_push(w->store, p, f->json[p], f->jsonlen[p]);
	}
	return 0;
}

/* Decide what to publish from the fresh articles and queue it. */
static void
watch_publish_fresh(struct watch *w)
{
	size_t i, keep = w->nfresh, queued = 0, skipped = 0;
	int first = store_feed_is_new(w->store);
	/*
	 * Every article a known feed lists is new: its ids changed (another
	 * CMS, a session in the links), not its news. No flood: as at first.
	 */
	int renamed = !first && w->nknown == 0;

	qsort(w->fresh, w->nfresh, sizeof *w->fresh, watch_newest_first);
	if ((first || renamed) && w->feed->backlog != CONFIG_BACKLOG_ALL &&
	    (size_t)w->feed->backlog < keep) {
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
			w->deferred = 1;
			log_warnx("feed %s: %zu new article%s not queued (the outbox could not "
			    "take them); left for the next fetch", w->feed->name, i + 1,
			    i == 0 ? "" : "s");
			break;
		}
		queued++;
	}
	if (queued > 0)
		for (i = 0; i < w->cfg->nprofiles; i++)
			watch_queue_bundle(w, i);
	/*
	 * An article counts as seen only once its digests are on disk: a
	 * crash before this makes them again (the outbox read back at start
	 * marks what it holds as seen, so nothing is made twice).
	 */
	if (queued > 0 && outbox_sync(w->outbox) == -1) {
		w->deferred = 1;
		queued = 0;
	}
	for (i = keep; i-- > keep - queued;)
		store_seen_add(w->store, w->fresh[i].id);
	w->stats.items += queued;
	if (queued > 0 || skipped > 0)
		log_info("feed %s: %zu new article%s%s", w->feed->name, queued,
		    queued == 1 ? "" : "s", skipped == 0 ? "" : renamed ? " (older ones skipped: "
		    "backlog; every article the feed lists is new: did its ids change?)" :
		    " (older ones skipped: backlog)");
	store_feed_set_fetched(w->store);
}

/* fetch: body bytes; parse them as they come. */
static int
watch_data_cb(void *arg, const char *data, size_t len, const struct fetch_body *body)
{
	struct watch *w = arg;

	if (w->parser == NULL) {
		w->parser = feed_parser_new(&(struct feed_limits){ (size_t)w->cfg->max_items, 0, 0 },
		    body->content_type, watch_item_cb, w);
		if (w->parser == NULL || feed_parser_set_url(w->parser, body->base) == -1)
			return -1;
	}
	/* A parse error is reported at the end; keep reading is pointless. */
	return feed_parser_write(w->parser, data, len) == -1 ? -1 : 0;
}

/*
 * Spread delay by up to a tenth either way, so that feeds and daemons do
 * not fetch in step; never below floor (a server's Retry-After) nor above
 * a day.
 */
static int64_t
watch_jitter(int64_t delay, int64_t floor)
{
	if (delay > 10)
		delay += random() % (long)(delay / 5 + 1) - (long)(delay / 10);
	if (delay < floor)
		delay = floor;
	return delay < WATCH_MAX_DELAY ? delay : WATCH_MAX_DELAY;
}

/* Schedule the next fetch in delay seconds. */
static void
watch_schedule(struct watch *w, int64_t delay)
{
	struct timeval tv;

	tv.tv_sec = (time_t)delay;
	tv.tv_usec = 0;
	evtimer_add(w->timer, &tv);
	w->stats.next_fetch = (int64_t)time(NULL) + delay;
}

/*
 * The delay before the next fetch. After a success: the interval, or
 * longer when the feed asks (RSS <ttl>, Cache-Control max-age). After
 * failures in a row: the interval doubled per failure, capped, and never
 * sooner than a Retry-After.
 */
static int64_t
watch_next_delay(const struct watch *w, const struct fetch_result *res, int64_t ttl)
{
	int64_t delay = w->feed->interval, cap;
	unsigned n = w->failures_in_row;

	if (n == 0) {
		if (ttl > delay)
			delay = ttl;
		if (res->max_age > delay)
			delay = res->max_age;
		return delay < WATCH_MAX_DELAY ? delay : WATCH_MAX_DELAY;
	}
	cap = w->feed->interval > WATCH_BACKOFF_MAX ? w->feed->interval : WATCH_BACKOFF_MAX;
	delay <<= n < 6 ? n : 6;
	if (delay > cap)
		delay = cap;
	if (res->retry_after > delay)
		delay = res->retry_after < WATCH_MAX_DELAY ? res->retry_after : WATCH_MAX_DELAY;
	return delay;
}

/*
 * Keep the validators of a body read whole, for the next conditional GET;
 * not when some of its articles could not be queued: the next fetch must
 * read the body again to offer them.
 */
static void
watch_validators(struct watch *w, const char *etag, const char *last_modified)
{
	if (w->deferred)
		store_set_validators(w->store, NULL, NULL);
	else
		store_set_validators(w->store, etag, last_modified);
}

/*
 * After a body read whole, forget the seen ids the feed has not listed
 * for seen_max_age: it dropped those articles long ago. Every id it lists
 * was met (store_seen_touch()) in this very read; a body not read to its
 * end (max_items, a break) forgets nothing.
 */
static void
watch_forget(struct watch *w)
{
	uint32_t today = (uint32_t)(w->now / 86400);
	uint32_t keep = (uint32_t)(w->cfg->seen_max_age / 86400);
	size_t n;

	/* Not when items went unread: past max_items, or past a break. */
	if (w->fresh_failed || today <= keep || w->parser == NULL ||
	    feed_parser_truncated(w->parser) || feed_parser_recovered(w->parser))
		return;
	if ((n = store_seen_forget(w->store, today - keep)) > 0)
		log_debug("feed %s: %zu article id%s not listed for %lld days forgotten",
		    w->feed->name, n, n == 1 ? "" : "s", (long long)keep);
}

/* Finish the parse of res's whole body. Returns NULL, or why it failed. */
static const char *
watch_finish_parse(struct watch *w, const struct fetch_result *res, int64_t *ttl)
{
	/* An empty body never met the parser: it is read now, and fails as no feed. */
	const struct fetch_body empty = { res->content_type, w->feed->url };

	if (w->parser == NULL && watch_data_cb(w, "", 0, &empty) == -1)
		return "out of memory";
	if (feed_parser_finish(w->parser) == -1)
		return feed_parser_error(w->parser);
	*ttl = feed_parser_info(w->parser)->ttl;
	if (feed_parser_truncated(w->parser))
		log_warnx("feed %s: more than %ld items, the rest ignored", w->feed->name,
		    w->cfg->max_items);
	if (feed_parser_recovered(w->parser)) {
		/* Said once as a warning; the feed will not change its ways. */
		w->stats.recovered++;
		(w->stats.recovered == 1 ? log_warnx : log_debug)("feed %s: not well-formed, "
		    "read anyway (%s)", w->feed->name, feed_parser_warning(w->parser, 0));
	}
	return NULL;
}

/* fetch: the transfer ended. */
static void
watch_done_cb(void *arg, const struct fetch_result *res)
{
	struct watch *w = arg;
	const char *err = NULL;
	int64_t ttl = 0, delay;
	int parsed = 0;

	w->busy = 0;
	w->deferred = 0;
	w->stats.fetches++;
	w->stats.last_fetch = w->now;
	if (res->moved_to != NULL && !w->moved_logged) {
		log_warnx("feed %s: %s moved permanently to %s; please update the config",
		    w->feed->name, w->feed->url, res->moved_to);
		w->moved_logged = 1;
	}
	if (res->not_modified) {
		/* The copy we have is current: nothing to parse or publish. */
		w->stats.not_modified++;
		log_debug("feed %s: not modified", w->feed->name);
	} else if (res->ok) {
		err = watch_finish_parse(w, res, &ttl);
		parsed = 1;
	} else if (w->parser != NULL && feed_parser_error(w->parser) != NULL) {
		/* We stopped the transfer: the body is not a feed. */
		err = feed_parser_error(w->parser);
		parsed = 1;
	} else {
		err = res->error;
		if (res->too_big)
			w->stats.too_big++;
		if (res->timed_out)
			w->stats.timeouts++;
	}
	if (parsed && !w->fresh_failed) {
		/* Items read before a parse error are whole: publish them. */
		watch_publish_fresh(w);
	} else if (w->fresh_failed) {
		log_warnx("feed %s: out of memory making digests; retrying next time",
		    w->feed->name);
	}
	if (err == NULL) {
		w->failures_in_row = 0;
		w->stats.last_error[0] = '\0';
		if (parsed) {
			watch_validators(w, res->etag, res->last_modified);
			watch_forget(w);
		}
	} else {
		w->failures_in_row++;
		w->stats.failures++;
		snprintf(w->stats.last_error, sizeof w->stats.last_error, "%s%s",
		    parsed ? "not a readable feed: " : "", err);
	}
	watch_fresh_clear(w);
	feed_parser_free(w->parser);
	digest_reader_done(&w->reader);
	w->parser = NULL;
	/* Between fetches a watch holds no scratch memory: a hundred feeds add up. */
	free(w->fresh);
	w->fresh = NULL;
	w->capfresh = 0;
	buf_free(&w->json);
	buf_free(&w->payload);
	watch_save(w);
	delay = watch_jitter(watch_next_delay(w, res, ttl), err != NULL ? res->retry_after : 0);
	if (err != NULL)
		log_warnx("feed %s: %s: %s; next try in %llds", w->feed->name, w->feed->url,
		    w->stats.last_error, (long long)delay);
	if (!w->stopped)
		watch_schedule(w, delay);
	w->cycle(w->arg, w, err == NULL);
}

/* libevent: time to fetch. */
static void
watch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	struct fetch_cond cond;

	(void)fd;
	(void)what;
	if (w->busy)
		return;
	w->now = (int64_t)time(NULL);
	store_set_today(w->store, (uint32_t)(w->now / 86400));
	cond.etag = store_etag(w->store);
	cond.last_modified = store_last_modified(w->store);
	if (fetch_start(w->fetch, w->feed->url, &cond, watch_data_cb, watch_done_cb, w) == -1) {
		log_warnx("feed %s: cannot start a fetch", w->feed->name);
		watch_schedule(w, watch_jitter(w->feed->interval, 0));
		return;
	}
	w->busy = 1;
}

/* Open the state of feed name in cfg's state_dir, sized for cfg's profiles. */
struct store_feed *
watch_state_open(const struct config *cfg, const char *name)
{
	struct store_feed *sf;
	const char **names;
	size_t i;

	if ((names = calloc(cfg->nprofiles + 1, sizeof *names)) == NULL)
		return NULL;
	for (i = 0; i < cfg->nprofiles; i++)
		names[i] = cfg->profiles[i].name;
	sf = store_feed_open(cfg->state_dir, name, (size_t)cfg->seen_per_feed, names,
	    cfg->nprofiles, config_latest_max(cfg));
	free(names);
	return sf;
}

/* Create a watch. */
struct watch *
watch_new(struct event_base *base, const struct config *cfg, const struct config_feed *feed,
    struct fetch *fetch, struct outbox *outbox, watch_cycle_cb cycle, void *arg)
{
	struct watch *w;

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
	w->store = watch_state_open(cfg, feed->name);
	w->timer = evtimer_new(base, watch_timer_cb, w);
	if (w->store == NULL || w->timer == NULL) {
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
	if (w->store != NULL)
		watch_save(w);
	if (w->timer != NULL)
		event_free(w->timer);
	feed_parser_free(w->parser);
	digest_reader_done(&w->reader);
	watch_fresh_clear(w);
	free(w->fresh);
	store_feed_free(w->store);
	buf_free(&w->json);
	buf_free(&w->payload);
	free(w);
}

/* Stop the fetch running, if one is: what it read is read again. */
static void
watch_cancel(struct watch *w)
{
	if (!w->busy)
		return;
	fetch_cancel(w->fetch, w);
	feed_parser_free(w->parser);
	w->parser = NULL;
	watch_fresh_clear(w);
	/* Made for that body's language: the next fetch chooses again. */
	digest_reader_done(&w->reader);
	w->busy = 0;
}

/* Take a feed's settings after a reload; restart it when they changed. */
int
watch_set_feed(struct watch *w, const struct config *cfg, const struct config_feed *feed)
{
	int changed = !config_feed_equal(w->feed, feed);
	int moved = strcmp(w->feed->url, feed->url) != 0;

	w->cfg = cfg;
	w->feed = feed;
	if (!changed)
		return 0;
	/* The body being read is of the old settings: read it again. */
	watch_cancel(w);
	if (moved) {
		/* Validators, redirects and the language of another URL mean nothing here. */
		store_set_validators(w->store, NULL, NULL);
		w->moved_logged = 0;
		w->reader.known[0] = '\0';
	}
	w->failures_in_row = 0;
	if (!w->stopped)
		watch_start(w, 0);
	return 1;
}

/* Save the state and read it again for next's profiles. */
struct store_feed *
watch_store_reopen(struct watch *w, const struct config *next)
{
	watch_save(w);
	return watch_state_open(next, w->feed->name);
}

/* Take the state read for the new profiles; a fetch running starts again. */
void
watch_take_store(struct watch *w, struct store_feed *sf)
{
	store_feed_free(w->store);
	w->store = sf;
	if (w->busy) {
		/* Its digests were made for the old profiles. */
		watch_cancel(w);
		if (!w->stopped)
			watch_start(w, 0);
	}
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

/* A digest of this feed was acknowledged. */
void
watch_delivered(struct watch *w)
{
	w->stats.digests++;
}

/* Count an article the outbox holds from a previous run as seen. */
void
watch_adopt(struct watch *w, uint64_t id)
{
	if (!store_seen(w->store, id))
		store_seen_add(w->store, id);
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
