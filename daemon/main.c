/*
 * newsdigestd — feeds in, compressed digests out over MQTT.
 *
 * main() reads the config, builds every module on one event_base and
 * runs it: the watches fetch and digest their feeds, the outbox hands the
 * digests to the MQTT client, acknowledgements flow back to the watches.
 * Only this file knows every module.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <mosquitto.h>

#include "newsdigest/buf.h"
#include "newsdigest/config.h"
#include "newsdigest/digest.h"
#include "newsdigest/fetch.h"
#include "newsdigest/json.h"
#include "newsdigest/log.h"
#include "newsdigest/mqtt.h"
#include "newsdigest/notify.h"
#include "newsdigest/outbox.h"
#include "newsdigest/store.h"
#include "newsdigest/watch.h"

#define MAIN_WINDOW 32		/* messages handed to libmosquitto at once */
#define MAIN_SYNC_DELAY 1	/* seconds: acknowledgements made durable in batches */
#define MAIN_DRAIN_STOP 10	/* seconds to finish in-flight work on SIGTERM */
#define MAIN_DRAIN_ONCE 30	/* seconds to wait for acknowledgements with --once */

struct daemon {
	struct event_base *base;
	struct config cfg;
	struct fetch *fetch;
	struct mqtt *mqtt;
	struct outbox *outbox;
	struct notify *notify;
	struct watch **watches;
	size_t nwatches;
	struct event *ev_sigint;
	struct event *ev_sigterm;
	struct event *ev_sighup;
	struct event *ev_stats;
	struct event *ev_drain;
	struct event *ev_finish;
	struct event *ev_sync;
	int once;
	int verbose;		/* -v: debug whatever the config says */
	int ready;		/* READY=1 sent: state loaded, broker connected once */
	int stopping;
	int exit_code;
	size_t cycles;		/* watches done with their first cycle (--once) */
	int feed_failed;
	int64_t started;
	char status_topic[256];
	char stats_topic[256];
	uint64_t mqtt_files;	/* what the files of [mqtt] held when the client read them */
};

/* Our status while we are away: the will, and the last word of a clean stop or a move. */
static const char main_offline[] = "{\"state\":\"offline\"}";

static ssize_t main_find_watch(const struct daemon *, const char *);

/* Print usage and exit with status. */
static void __attribute__((noreturn))
main_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: newsdigestd [-c FILE] [-n | --check] [--once] [-v] [--version] [--help]\n"
	    "  -c FILE     configuration (default %s)\n"
	    "  -n, --check check the configuration and exit\n"
	    "  --once      fetch every feed once, publish, wait for the broker, exit\n"
	    "              (0 all well, 1 a feed failed, 2 digests unacknowledged)\n"
	    "  -v          log debug messages\n", config_default_path);
	exit(status);
}

/* Write cfg's status and stats topics; each shard keeps its own status (and will). */
static void
main_topics(const struct config *cfg, char *status, size_t slen, char *stats, size_t stlen)
{
	if (cfg->shard_count > 1)
		snprintf(status, slen, "%s/status/%lu", cfg->topic_prefix, cfg->shard_index);
	else
		snprintf(status, slen, "%s/status", cfg->topic_prefix);
	snprintf(stats, stlen, "%s/stats", cfg->topic_prefix);
}

/* Publish the retained status message. */
static void
main_publish_status(struct daemon *d, int online)
{
	struct buf b;

	buf_init(&b, 0);
	if (online && d->cfg.shard_count > 1)
		buf_printf(&b, "{\"state\":\"online\",\"version\":\"%s\",\"since\":%lld,"
		    "\"feeds\":%zu,\"shard\":\"%lu/%lu\"}", ND_VERSION, (long long)d->started,
		    d->nwatches, d->cfg.shard_index, d->cfg.shard_count);
	else if (online)
		buf_printf(&b, "{\"state\":\"online\",\"version\":\"%s\",\"since\":%lld,"
		    "\"feeds\":%zu}", ND_VERSION, (long long)d->started, d->nwatches);
	else
		buf_adds(&b, main_offline);
	if (!buf_failed(&b))
		mqtt_publish(d->mqtt, d->status_topic, b.data, b.len, 1, 1,
		    &(struct mqtt_msg_props){ "application/json", "identity", 0 }, NULL);
	buf_free(&b);
}

/* Tell the service manager how we are (sent only when it changed). */
static void
main_status(struct daemon *d)
{
	size_t queued = outbox_depth(d->outbox);

	if (d->stopping)
		notify_status(d->notify, "stopping, %zu queued", queued);
	else if (mqtt_connected(d->mqtt))
		notify_status(d->notify, "connected to %s:%ld, %zu feed%s, %zu queued",
		    d->cfg.host, d->cfg.port, d->nwatches, d->nwatches == 1 ? "" : "s", queued);
	else if (*mqtt_error(d->mqtt) != '\0')
		notify_status(d->notify, "broker %s:%ld unreachable: %s; %zu queued", d->cfg.host,
		    d->cfg.port, mqtt_error(d->mqtt), queued);
	else
		notify_status(d->notify, "connecting to %s:%ld", d->cfg.host, d->cfg.port);
}

/* Publish each profile's preset dictionary, retained, as raw bytes. */
static void
main_publish_dicts(struct daemon *d)
{
	const struct digest_profile *p;
	char topic[512];
	size_t i;

	for (i = 0; i < d->cfg.nprofiles; i++) {
		p = &d->cfg.profiles[i];
		if (p->dict == NULL)
			continue;
		digest_topic(topic, sizeof topic, d->cfg.topic_prefix, p->name, NULL, "dict");
		mqtt_publish(d->mqtt, topic, p->dict, p->dict_len, 1, 1,
		    &(struct mqtt_msg_props){ "application/octet-stream", NULL, 0 }, NULL);
	}
}

/* outbox: hand one message to the MQTT client. */
static int
main_send_cb(void *arg, const struct outbox_msg *msg)
{
	struct daemon *d = arg;
	struct mqtt_msg_props props = { "application/json", msg->content_encoding, msg->expiry };
	int mid;

	if (!mqtt_connected(d->mqtt))
		return -1;
	if (mqtt_publish(d->mqtt, msg->topic, msg->payload, msg->len, 1, msg->retain, &props,
	    &mid) == -1)
		return -1;
	log_debug("published %zu bytes to %s (message %d, article %016llx)", msg->len, msg->topic,
	    mid, (unsigned long long)msg->article);
	return mid;
}

/* Hand the outbox's next messages to the client, as the window allows. */
static void
main_pump(struct daemon *d)
{
	outbox_pump(d->outbox, MAIN_WINDOW, (int64_t)time(NULL), main_send_cb, d);
}

/* Stop the loop after the last words to the broker. */
static void
main_finish(struct daemon *d)
{
	size_t i;

	if (d->once && d->exit_code == 0) {
		if (outbox_depth(d->outbox) > 0) {
			log_warnx("%zu message%s not acknowledged by the broker",
			    outbox_depth(d->outbox), outbox_depth(d->outbox) == 1 ? "" : "s");
			d->exit_code = 2;
		} else if (!d->ready) {
			log_warnx("the broker at %s:%ld was never reached: no status published",
			    d->cfg.host, d->cfg.port);
			d->exit_code = 2;
		} else if (d->feed_failed) {
			d->exit_code = 1;
		}
	}
	for (i = 0; i < d->nwatches; i++)
		watch_save(d->watches[i]);
	outbox_sync(d->outbox);
	if (mqtt_connected(d->mqtt))
		main_publish_status(d, 0);
	mqtt_disconnect(d->mqtt);
	event_base_loopexit(d->base, NULL);
}

/* Return 1 when nothing is left in flight: no fetch, no digest unacknowledged. */
static int
main_idle(const struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nwatches; i++)
		if (watch_busy(d->watches[i]))
			return 0;
	return outbox_depth(d->outbox) == 0;
}

/*
 * See whether a stop (or the end of --once) can finish now: nothing in
 * flight, and with --once the broker reached, so that a run with nothing
 * new still says online and offline on the status topic. The finish runs
 * from its own event: this is often called from inside a libmosquitto
 * callback, where the client must not be driven.
 */
static void
main_check_done(struct daemon *d)
{
	struct timeval now = { 0, 0 };

	if (d->stopping && main_idle(d) && (d->ready || !d->once))
		evtimer_add(d->ev_finish, &now);
}

/* libevent: finish the stop. */
static void
main_finish_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	main_finish(arg);
}

/* Begin to stop: no new fetches; finish what runs, within a bound. */
static void
main_begin_stop(struct daemon *d, int seconds)
{
	struct timeval tv = { seconds, 0 };
	size_t i;

	if (d->stopping)
		return;
	d->stopping = 1;
	notify_stopping(d->notify);
	main_status(d);
	for (i = 0; i < d->nwatches; i++)
		watch_stop(d->watches[i]);
	evtimer_add(d->ev_drain, &tv);
	main_check_done(d);
}

/* libevent: the drain bound expired. */
static void
main_drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	size_t i, busy = 0;

	(void)fd;
	(void)what;
	for (i = 0; i < d->nwatches; i++)
		busy += watch_busy(d->watches[i]) ? 1 : 0;
	if (!main_idle(d))
		log_warnx("stopping with %zu message%s unacknowledged and %zu fetch%s unfinished",
		    outbox_depth(d->outbox), outbox_depth(d->outbox) == 1 ? "" : "s", busy,
		    busy == 1 ? "" : "es");
	main_finish(d);
}

/* mqtt: connection and acknowledgement events. */
static void
main_mqtt_cb(void *arg, enum mqtt_event ev, int mid)
{
	static const struct timeval sync_delay = { MAIN_SYNC_DELAY, 0 };
	struct daemon *d = arg;

	switch (ev) {
	case MQTT_EV_CONNECTED:
		main_publish_status(d, 1);
		main_publish_dicts(d);
		main_pump(d);
		main_status(d);
		if (!d->ready) {
			/* The state was loaded before the loop ran. */
			d->ready = 1;
			notify_ready(d->notify);
		}
		main_check_done(d);
		break;
	case MQTT_EV_PUBACK:
		outbox_acked(d->outbox, mid);
		if (!evtimer_pending(d->ev_sync, NULL))
			evtimer_add(d->ev_sync, &sync_delay);
		main_pump(d);
		main_check_done(d);
		break;
	case MQTT_EV_DISCONNECTED:
		main_status(d);
		break;
	}
}

/* outbox: a digest was acknowledged; tell its watch, if the feed is still ours. */
static void
main_delivered_cb(void *arg, const char *feed, uint64_t article)
{
	struct daemon *d = arg;
	ssize_t i;

	(void)article;
	if ((i = main_find_watch(d, feed)) != -1)
		watch_delivered(d->watches[i]);
}

/* outbox: a digest left by the last run; its article is seen. */
static void
main_adopt_cb(void *arg, const char *feed, uint64_t article)
{
	struct daemon *d = arg;
	ssize_t i;

	if ((i = main_find_watch(d, feed)) != -1)
		watch_adopt(d->watches[i], article);
}

/* libevent: make the acknowledgements of the last second durable. */
static void
main_sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;

	(void)fd;
	(void)what;
	outbox_sync(d->outbox);
}

/* watch: a fetch cycle ended. */
static void
main_cycle_cb(void *arg, struct watch *w, int ok)
{
	struct daemon *d = arg;

	if (!ok)
		d->feed_failed = 1;
	main_pump(d);
	main_status(d);
	if (d->once && !d->stopping) {
		watch_stop(w);
		if (++d->cycles == d->nwatches)
			main_begin_stop(d, MAIN_DRAIN_ONCE);
	}
	main_check_done(d);
}

/* libevent: SIGINT or SIGTERM. */
static void
main_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	if (d->stopping) {
		log_info("signal %d again: stopping now", (int)sig);
		main_finish(d);
		return;
	}
	log_info("signal %d: stopping after what is in flight (at most %ds)", (int)sig,
	    MAIN_DRAIN_STOP);
	main_begin_stop(d, MAIN_DRAIN_STOP);
}

/* Fill the fetcher's options from the config; ua is where the User-Agent goes. */
static void
main_fetch_opts(const struct daemon *d, struct fetch_opts *fo, char *ua, size_t ualen)
{
	snprintf(ua, ualen, "newsdigestd/%s", ND_VERSION);
	memset(fo, 0, sizeof *fo);
	fo->max_parallel = d->cfg.max_parallel_fetches;
	fo->max_bytes = d->cfg.max_feed_size;
	fo->timeout = (long)d->cfg.fetch_timeout;
	fo->connect_timeout = 15;
	fo->low_speed_time = 30;
	fo->user_agent = ua;
}

/* (Re)arm the stats timer on the configured interval. */
static void
main_stats_timer(struct daemon *d)
{
	struct timeval tv = { (time_t)d->cfg.stats_interval, 0 };

	event_del(d->ev_stats);
	event_add(d->ev_stats, &tv);
}

/* The outbox's bounds from the config. */
static void
main_outbox_limits(const struct daemon *d, struct outbox_limits *lim)
{
	lim->max_messages = (size_t)d->cfg.outbox_max_messages;
	lim->max_bytes = d->cfg.outbox_max_size;
	lim->max_age = d->cfg.outbox_max_age;
}

/* Return the watch of the feed named name among d's, or -1. */
static ssize_t
main_find_watch(const struct daemon *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nwatches; i++)
		if (strcmp(watch_name(d->watches[i]), name) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * What a reload sets up before it takes effect, so that it can still
 * give up: per feed of the new config its watch (kept or new), per
 * running watch whether it is kept and its state for new profiles, and
 * a new MQTT client.
 */
struct main_next {
	struct watch **ws;
	char *kept;
	struct store_feed **stores;
	struct mqtt *mqtt;
	size_t nws;		/* entries of ws set */
};

/* Give up a reload: free what was set up for it. */
static void
main_next_free(const struct daemon *d, const struct config *next, struct main_next *n)
{
	size_t i;

	for (i = 0; i < n->nws; i++)
		if (main_find_watch(d, next->feeds[i].name) == -1)
			watch_free(n->ws[i]);
	for (i = 0; n->stores != NULL && i < d->nwatches; i++)
		store_feed_free(n->stores[i]);
	mqtt_free(n->mqtt);
	free(n->ws);
	free(n->kept);
	free(n->stores);
}

/*
 * Set up what next needs: watches for added feeds, the state of the
 * others read again when the profiles change shape, a client when next
 * reaches the broker otherwise ([mqtt], a file it names, the status
 * topic). All of it built from next itself, which moves to &d->cfg when
 * the reload takes effect. Returns 0, or -1 (logged, n freed).
 */
static int
main_next_setup(struct daemon *d, const struct config *next, const char *status,
    uint64_t files, struct main_next *n)
{
	ssize_t j;
	size_t i;

	memset(n, 0, sizeof *n);
	if ((n->ws = calloc(next->nfeeds + 1, sizeof *n->ws)) == NULL ||
	    (n->kept = calloc(d->nwatches + 1, 1)) == NULL ||
	    (!config_profiles_fit(&d->cfg, next) &&
	    (n->stores = calloc(d->nwatches + 1, sizeof *n->stores)) == NULL)) {
		log_warnx("configuration not reloaded: out of memory");
		main_next_free(d, next, n);
		return -1;
	}
	for (; n->nws < next->nfeeds; n->nws++) {
		i = n->nws;
		if ((j = main_find_watch(d, next->feeds[i].name)) != -1) {
			n->ws[i] = d->watches[j];
			n->kept[j] = 1;
		} else if ((n->ws[i] = watch_new(d->base, next, &next->feeds[i], d->fetch,
		    d->outbox, main_cycle_cb, d)) == NULL) {
			log_warnx("configuration not reloaded: feed %s cannot be set up (state "
			    "directory %s)", next->feeds[i].name, next->state_dir);
			main_next_free(d, next, n);
			return -1;
		}
	}
	for (i = 0; n->stores != NULL && i < d->nwatches; i++)
		if (n->kept[i] && (n->stores[i] = watch_store_reopen(d->watches[i], next)) == NULL) {
			log_warnx("configuration not reloaded: feed %s: its state cannot be read "
			    "again for the new profiles", watch_name(d->watches[i]));
			main_next_free(d, next, n);
			return -1;
		}
	if ((!config_mqtt_equal(&d->cfg, next) || files != d->mqtt_files ||
	    strcmp(status, d->status_topic) != 0) &&
	    (n->mqtt = mqtt_new(d->base, next, status, main_offline, main_mqtt_cb, d)) == NULL) {
		log_warnx("configuration not reloaded: the MQTT client for %s:%ld cannot be set "
		    "up", next->host, next->port);
		main_next_free(d, next, n);
		return -1;
	}
	return 0;
}

/* Queue an empty retained message for topic: the broker then forgets what it held. */
static void
main_retire(struct daemon *d, const char *topic)
{
	struct outbox_msg msg;

	memset(&msg, 0, sizeof msg);
	msg.topic = topic;
	msg.payload = "";
	msg.retain = 1;
	if (outbox_put(d->outbox, &msg) == 0)
		log_info("%s: cleared (its feed or profile is gone)", topic);
}

/*
 * After a reload, clear what old had retained on the broker and the
 * config in force no longer publishes there: the latest bundles of a feed
 * removed, of a profile removed or with latest 0 now, the dictionary of a
 * profile removed or without one now. A display that boots then shows no
 * news of a feed that is gone. When sharded, a feed gone from this shard
 * may have moved to another one, which publishes its bundles now: left.
 */
static void
main_retire_topics(struct daemon *d, const struct config *old)
{
	const struct digest_profile *p, *q;
	int same = strcmp(old->topic_prefix, d->cfg.topic_prefix) == 0;
	char topic[512];
	size_t i, k;

	for (i = 0; i < old->nprofiles; i++) {
		p = &old->profiles[i];
		q = same ? config_profile(&d->cfg, p->name) : NULL;
		if (p->dict != NULL && (q == NULL || q->dict == NULL)) {
			digest_topic(topic, sizeof topic, old->topic_prefix, p->name, NULL, "dict");
			main_retire(d, topic);
		}
		for (k = 0; p->latest > 0 && k < old->nfeeds; k++) {
			if (q != NULL && q->latest > 0 &&
			    (main_find_watch(d, old->feeds[k].name) != -1 || d->cfg.shard_count > 1))
				continue;
			digest_topic(topic, sizeof topic, old->topic_prefix, p->name,
			    old->feeds[k].name, "latest");
			main_retire(d, topic);
		}
	}
}

/*
 * store_each_feed(): a feed with a state file. When the config no longer
 * has it (removed while the daemon was stopped), clear what its latest
 * bundles left retained, once: the state keeps its seen ids, its latest
 * lists emptied, so a feed added again publishes no old news twice.
 */
static void
main_orphan_cb(void *arg, const char *name)
{
	struct daemon *d = arg;
	const struct digest_profile *p;
	struct store_feed *sf;
	char topic[512];
	size_t i;

	if (main_find_watch(d, name) != -1 || (sf = watch_state_open(&d->cfg, name)) == NULL)
		return;
	for (i = 0; i < d->cfg.nprofiles; i++) {
		p = &d->cfg.profiles[i];
		if (p->latest == 0 || store_latest_count(sf, i) == 0)
			continue;
		digest_topic(topic, sizeof topic, d->cfg.topic_prefix, p->name, name, "latest");
		main_retire(d, topic);
		store_latest_clear(sf, i);
	}
	store_feed_save(sf);
	store_feed_free(sf);
}

/* Say which profiles the digests of new articles are made for. */
static void
main_log_profiles(const struct daemon *d)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < d->cfg.nprofiles; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", d->cfg.profiles[i].name);
	log_info("profiles changed: new articles get digests for %s", buf_str(&b));
	buf_free(&b);
}

/*
 * Put next (a valid config that needs no restart) in force: feeds kept
 * keep their watch (timer, state, articles in flight) and take their new
 * settings, removed ones stop, added ones start; new profiles apply from
 * the next article on. When next reaches the broker otherwise, a new
 * client takes the old one's place: the old says offline and leaves,
 * what it held unacknowledged goes out again through the new. On success
 * *next holds the old config for the caller to free. Returns 0, or -1
 * (logged) when something cannot be set up: then nothing changed.
 */
static int
main_swap(struct daemon *d, struct config *next)
{
	struct main_next n;
	struct config old;
	struct fetch_opts fo;
	struct outbox_limits lim;
	char ua[64], status[sizeof d->status_topic], stats[sizeof d->stats_topic];
	size_t i, added = 0, changed = 0, removed = 0, requeued;
	uint64_t files = config_mqtt_files_hash(next);
	int profiles = !config_profiles_equal(&d->cfg, next);

	main_topics(next, status, sizeof status, stats, sizeof stats);
	if (main_next_setup(d, next, status, files, &n) == -1)
		return -1;
	/* Nothing fails from here on. The old client reads the old config. */
	if (n.mqtt != NULL) {
		if (mqtt_connected(d->mqtt))
			main_publish_status(d, 0);
		mqtt_disconnect(d->mqtt);
		mqtt_free(d->mqtt);
		d->mqtt = n.mqtt;
	}
	old = d->cfg;
	d->cfg = *next;
	*next = old;
	if (n.mqtt != NULL) {
		mqtt_set_config(d->mqtt, &d->cfg);
		memcpy(d->status_topic, status, sizeof status);
		memcpy(d->stats_topic, stats, sizeof stats);
		d->mqtt_files = files;
		requeued = outbox_inflight(d->outbox);
		outbox_requeue(d->outbox);
		if (requeued > 0)
			log_info("mqtt: connecting to %s:%ld as the configuration now says; %zu "
			    "message%s unacknowledged on the old connection go%s out again",
			    d->cfg.host, d->cfg.port, requeued, requeued == 1 ? "" : "s",
			    requeued == 1 ? "es" : "");
		else
			log_info("mqtt: connecting to %s:%ld as the configuration now says",
			    d->cfg.host, d->cfg.port);
		mqtt_start(d->mqtt);
	}
	for (i = 0; n.stores != NULL && i < d->nwatches; i++)
		if (n.kept[i])
			watch_take_store(d->watches[i], n.stores[i]);
	for (i = 0; i < d->cfg.nfeeds; i++) {
		if (main_find_watch(d, d->cfg.feeds[i].name) == -1) {
			watch_set_feed(n.ws[i], &d->cfg, &d->cfg.feeds[i]);
			log_info("feed %s: added", d->cfg.feeds[i].name);
			watch_start(n.ws[i], (int64_t)(added++ % 10));
		} else if (watch_set_feed(n.ws[i], &d->cfg, &d->cfg.feeds[i])) {
			log_info("feed %s: changed, fetching it again", d->cfg.feeds[i].name);
			changed++;
		}
	}
	for (i = 0; i < d->nwatches; i++) {
		if (n.kept[i])
			continue;
		/* Its digests in the outbox still go out; only its timer ends. */
		log_info("feed %s: removed", watch_name(d->watches[i]));
		watch_free(d->watches[i]);
		removed++;
	}
	free(n.kept);
	free(n.stores);
	free(d->watches);
	d->watches = n.ws;
	d->nwatches = d->cfg.nfeeds;
	/* The [daemon] keys a running daemon takes over. */
	log_init("newsdigestd", d->verbose ? LOG_LEVEL_DEBUG : d->cfg.log_level);
	main_fetch_opts(d, &fo, ua, sizeof ua);
	if (fetch_set_opts(d->fetch, &fo) == -1)
		log_warnx("fetch limits not changed: out of memory");
	main_outbox_limits(d, &lim);
	outbox_set_limits(d->outbox, &lim);
	main_stats_timer(d);
	main_retire_topics(d, next);
	main_pump(d);
	if (profiles)
		main_log_profiles(d);
	/* A new client says all this when it connects. */
	if (n.mqtt == NULL && mqtt_connected(d->mqtt)) {
		main_publish_status(d, 1);
		if (profiles)
			main_publish_dicts(d);
	}
	log_info("configuration reloaded: %zu feed%s (%zu added, %zu changed, %zu removed)",
	    d->nwatches, d->nwatches == 1 ? "" : "s", added, changed, removed);
	return 0;
}

/*
 * SIGHUP: read the config file again and put it in force whole, or not
 * at all: with errors (the files [mqtt] names checked too), or with
 * changes only a restart can apply, every problem is logged and the
 * running config stays.
 */
static void
main_reload(struct daemon *d)
{
	struct config next;
	struct buf msgs;
	const char *line, *nl;
	int nerr;

	if (d->ready)
		notify_reloading(d->notify);
	log_info("SIGHUP: reading %s", d->cfg.path);
	buf_init(&msgs, 0);
	if ((nerr = config_load(&next, d->cfg.path, &msgs)) == 0)
		nerr = config_check_files(&next, &msgs);
	if (nerr > 0) {
		for (line = buf_str(&msgs); (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			log_warnx("%.*s", (int)(nl - line), line);
		log_warnx("configuration not reloaded: %d error%s; the running one stays", nerr,
		    nerr == 1 ? "" : "s");
	} else if (config_restart_needed(&d->cfg, &next, &msgs) > 0) {
		for (line = buf_str(&msgs); (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			log_warnx("configuration not reloaded: %.*s changed; restart newsdigestd "
			    "to apply that", (int)(nl - line), line);
	} else {
		main_swap(d, &next);
	}
	buf_free(&msgs);
	config_free(&next);
	main_status(d);
	if (d->ready)
		notify_ready(d->notify);
}

/* libevent: SIGHUP. */
static void
main_sighup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)sig;
	(void)what;
	if (d->once || d->stopping) {
		log_info("SIGHUP ignored: %s", d->once ? "running once" : "stopping");
		return;
	}
	main_reload(d);
}

/* libevent: publish the stats message. */
static void
main_stats_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	const struct watch_stats *s;
	struct outbox_stats ob;
	unsigned long digests = 0, bj = 0, bp = 0;
	struct buf b;
	size_t i;

	(void)fd;
	(void)what;
	main_status(d);
	if (!mqtt_connected(d->mqtt))
		return;
	buf_init(&b, 0);
	buf_printf(&b, "{\"uptime\":%lld,\"feeds\":[", (long long)(time(NULL) - d->started));
	for (i = 0; i < d->nwatches; i++) {
		s = watch_stats(d->watches[i]);
		digests += s->digests;
		bj += s->bytes_json;
		bp += s->bytes_payload;
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, "{\"name\":");
		json_string(&b, watch_name(d->watches[i]), strlen(watch_name(d->watches[i])));
		buf_printf(&b, ",\"last_fetch\":%lld,\"next_fetch\":%lld,\"fetches\":%lu,"
		    "\"not_modified\":%lu,\"recovered\":%lu,\"failures\":%lu,\"too_big\":%lu,"
		    "\"timeouts\":%lu,\"items\":%lu,\"digests\":%lu,\"last_error\":",
		    (long long)s->last_fetch, (long long)s->next_fetch, s->fetches, s->not_modified,
		    s->recovered, s->failures, s->too_big, s->timeouts, s->items, s->digests);
		json_string(&b, s->last_error, strlen(s->last_error));
		buf_addc(&b, '}');
	}
	outbox_get_stats(d->outbox, &ob);
	buf_printf(&b, "],\"digests\":%lu,\"queued\":%zu,\"inflight\":%zu,\"reconnects\":%lu,"
	    "\"bytes_json\":%lu,\"bytes_payload\":%lu,\"outbox\":{\"messages\":%zu,"
	    "\"bytes\":%lld,\"acked\":%lu,\"dropped\":%lu,\"stale\":%lu,\"damaged\":%lu}}",
	    digests, ob.depth, ob.inflight, mqtt_reconnects(d->mqtt), bj, bp, ob.depth,
	    (long long)ob.bytes, ob.acked, ob.dropped, ob.stale, ob.skipped);
	if (!buf_failed(&b))
		mqtt_publish(d->mqtt, d->stats_topic, b.data, b.len, 0, 0,
		    &(struct mqtt_msg_props){ "application/json", "identity", 0 }, NULL);
	buf_free(&b);
}

/* libevent: route its messages to our log. */
static void
main_event_log_cb(int severity, const char *msg)
{
	int level = severity == EVENT_LOG_ERR ? LOG_LEVEL_ERROR :
	    severity == EVENT_LOG_WARN ? LOG_LEVEL_WARN :
	    severity == EVENT_LOG_MSG ? LOG_LEVEL_INFO : LOG_LEVEL_DEBUG;

	log_log(level, "libevent: %s", msg);
}

/* Build every module and the events on d->base. */
static void
main_setup(struct daemon *d)
{
	struct fetch_opts fo;
	struct outbox_limits lim;
	char ua[64];
	size_t i;

	main_topics(&d->cfg, d->status_topic, sizeof d->status_topic, d->stats_topic,
	    sizeof d->stats_topic);
	main_fetch_opts(d, &fo, ua, sizeof ua);
	if ((d->base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((d->notify = notify_new(d->base)) == NULL)
		fatalx("out of memory");
	if ((d->fetch = fetch_new(d->base, &fo)) == NULL)
		fatalx("cannot set up fetching");
	if (store_make_dir(d->cfg.state_dir) == -1)
		fatalx("state directory %s: cannot be created", d->cfg.state_dir);
	main_outbox_limits(d, &lim);
	if ((d->outbox = outbox_open(d->cfg.state_dir, &lim, main_delivered_cb, d)) == NULL)
		fatalx("outbox in %s: cannot be used", d->cfg.state_dir);
	if ((d->mqtt = mqtt_new(d->base, &d->cfg, d->status_topic, main_offline, main_mqtt_cb,
	    d)) == NULL)
		fatalx("cannot set up the MQTT client");
	d->mqtt_files = config_mqtt_files_hash(&d->cfg);
	if ((d->watches = calloc(d->cfg.nfeeds, sizeof *d->watches)) == NULL)
		fatalx("out of memory");
	for (i = 0; i < d->cfg.nfeeds; i++) {
		d->watches[d->nwatches] = watch_new(d->base, &d->cfg, &d->cfg.feeds[i], d->fetch,
		    d->outbox, main_cycle_cb, d);
		if (d->watches[d->nwatches] == NULL)
			fatalx("feed %s: cannot set up (state directory %s)", d->cfg.feeds[i].name,
			    d->cfg.state_dir);
		d->nwatches++;
	}
	/* What the last run left in the outbox is seen: never made twice. */
	outbox_foreach_article(d->outbox, main_adopt_cb, d);
	/* Feeds removed while we were stopped; a shard's may have moved to another. */
	if (d->cfg.shard_count <= 1)
		store_each_feed(d->cfg.state_dir, main_orphan_cb, d);
	for (i = 0; i < d->nwatches; i++)
		watch_save(d->watches[i]);
	d->ev_sigint = evsignal_new(d->base, SIGINT, main_signal_cb, d);
	d->ev_sigterm = evsignal_new(d->base, SIGTERM, main_signal_cb, d);
	d->ev_sighup = evsignal_new(d->base, SIGHUP, main_sighup_cb, d);
	d->ev_stats = event_new(d->base, -1, EV_PERSIST, main_stats_cb, d);
	d->ev_drain = evtimer_new(d->base, main_drain_cb, d);
	d->ev_finish = evtimer_new(d->base, main_finish_cb, d);
	d->ev_sync = evtimer_new(d->base, main_sync_cb, d);
	if (d->ev_sigint == NULL || d->ev_sigterm == NULL || d->ev_sighup == NULL ||
	    d->ev_stats == NULL || d->ev_drain == NULL || d->ev_finish == NULL ||
	    d->ev_sync == NULL)
		fatalx("cannot create events");
	event_add(d->ev_sigint, NULL);
	event_add(d->ev_sigterm, NULL);
	event_add(d->ev_sighup, NULL);
	main_stats_timer(d);
}

/* Free everything main_setup() made. */
static void
main_teardown(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nwatches; i++)
		watch_free(d->watches[i]);
	free(d->watches);
	fetch_free(d->fetch);
	mqtt_free(d->mqtt);
	outbox_free(d->outbox);
	notify_free(d->notify);
	if (d->ev_sigint != NULL)
		event_free(d->ev_sigint);
	if (d->ev_sigterm != NULL)
		event_free(d->ev_sigterm);
	if (d->ev_sighup != NULL)
		event_free(d->ev_sighup);
	if (d->ev_stats != NULL)
		event_free(d->ev_stats);
	if (d->ev_drain != NULL)
		event_free(d->ev_drain);
	if (d->ev_finish != NULL)
		event_free(d->ev_finish);
	if (d->ev_sync != NULL)
		event_free(d->ev_sync);
	event_base_free(d->base);
	config_free(&d->cfg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'n' },
		{ "once", no_argument, NULL, 'o' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon d;
	const char *path = config_default_path;
	struct buf errors;
	int ch, check = 0, nerr;
	size_t i;

	memset(&d, 0, sizeof d);
	while ((ch = getopt_long(argc, argv, "c:nvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'o':
			d.once = 1;
			break;
		case 'v':
			d.verbose = 1;
			break;
		case 'V':
			printf("newsdigestd %s\n", ND_VERSION);
			return 0;
		case 'h':
			main_usage(0);
		default:
			main_usage(1);
		}
	}
	if (optind != argc)
		main_usage(1);

	log_init("newsdigestd", LOG_LEVEL_INFO);
	buf_init(&errors, 0);
	nerr = config_load(&d.cfg, path, &errors);
	/* The password file and the TLS files, before anything starts. */
	nerr += config_check_files(&d.cfg, &errors);
	if (nerr > 0) {
		fputs(buf_str(&errors), stderr);
		fprintf(stderr, "newsdigestd: %d error%s in the configuration\n", nerr,
		    nerr == 1 ? "" : "s");
		buf_free(&errors);
		config_free(&d.cfg);
		return 1;
	}
	buf_free(&errors);
	if (check) {
		printf("configuration OK\n");
		config_free(&d.cfg);
		return 0;
	}
	log_init("newsdigestd", d.verbose ? LOG_LEVEL_DEBUG : d.cfg.log_level);
	event_set_log_callback(main_event_log_cb);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("cannot initialise libcurl");
	mosquitto_lib_init();
	d.started = (int64_t)time(NULL);

	main_setup(&d);
	log_info("newsdigestd %s: %zu feed%s, %zu profile%s, broker %s:%ld%s", ND_VERSION,
	    d.nwatches, d.nwatches == 1 ? "" : "s", d.cfg.nprofiles,
	    d.cfg.nprofiles == 1 ? "" : "s", d.cfg.host, d.cfg.port, d.once ? ", once" : "");
	main_status(&d);
	if (d.cfg.shard_count > 1)
		log_info("shard %lu/%lu: %zu of the %zu configured feeds, client id %s",
		    d.cfg.shard_index, d.cfg.shard_count, d.nwatches, d.cfg.nfeeds_all,
		    d.cfg.client_id);
	for (i = 0; i < d.cfg.nprofiles; i++)
		if (d.cfg.profiles[i].dict != NULL)
			log_info("profile %s: preset dictionary of %zu bytes, id %08x",
			    d.cfg.profiles[i].name, d.cfg.profiles[i].dict_len,
			    (unsigned)d.cfg.profiles[i].dict_id);
	mqtt_start(d.mqtt);
	/* Spread the first fetches over a few seconds, unless once. */
	for (i = 0; i < d.nwatches; i++)
		watch_start(d.watches[i], d.once ? 0 : (int64_t)(i % 10));
	/* A shard without a feed has nothing to do once. */
	if (d.once && d.nwatches == 0)
		main_begin_stop(&d, MAIN_DRAIN_ONCE);
	event_base_dispatch(d.base);

	main_teardown(&d);
	mosquitto_lib_cleanup();
	curl_global_cleanup();
	log_info("stopped");
	return d.exit_code;
}
