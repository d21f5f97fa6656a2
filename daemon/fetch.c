/*
 * fetch — libcurl multi-socket on libevent.
 *
 * As in curl's hiperfifo.c: one libevent timer for curl's timeout, one
 * event per socket curl asks us to watch, check_done after every
 * socket_action, and per-transfer state on CURLOPT_PRIVATE, freed once at
 * CURLMSG_DONE. Transfers beyond max_parallel wait in a FIFO so that their
 * time limits only start when they really run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "newsdigest/fetch.h"
#include "newsdigest/log.h"

struct fetch_xfer {
	struct fetch *f;
	CURL *easy;
	char *url;
	fetch_data_cb data;
	fetch_done_cb done;
	void *arg;
	int64_t bytes;
	int too_big;
	int reader_abort;
	char errbuf[CURL_ERROR_SIZE];
	struct fetch_xfer *next;	/* in the wait queue or the running list */
};

struct fetch_sock {
	struct event *ev;
	curl_socket_t fd;
};

struct fetch {
	struct event_base *base;
	struct fetch_opts opts;
	CURLM *multi;
	struct event *timer;
	size_t running;
	struct fetch_xfer *run_head;	/* running transfers */
	struct fetch_xfer *wait_head, *wait_tail;
	size_t waiting;
};

static void fetch_check_done(struct fetch *f);
static int fetch_launch(struct fetch *f, struct fetch_xfer *x);

/* Free a transfer's state. */
static void
fetch_xfer_free(struct fetch_xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	free(x->url);
	free(x);
}

/* Take a transfer off the running list and out of curl. */
static void
fetch_unlink(struct fetch *f, struct fetch_xfer *x)
{
	struct fetch_xfer **xp;

	for (xp = &f->run_head; *xp != NULL; xp = &(*xp)->next) {
		if (*xp == x) {
			*xp = x->next;
			break;
		}
	}
	curl_multi_remove_handle(f->multi, x->easy);
	f->running--;
}

/* Start waiting transfers while there is room. */
static void
fetch_pump(struct fetch *f)
{
	struct fetch_xfer *x;
	struct fetch_result res;

	while (f->wait_head != NULL && f->running < (size_t)f->opts.max_parallel) {
		x = f->wait_head;
		if ((f->wait_head = x->next) == NULL)
			f->wait_tail = NULL;
		x->next = NULL;
		f->waiting--;
		if (fetch_launch(f, x) == -1) {
			memset(&res, 0, sizeof res);
			res.error = "cannot start the transfer";
			x->done(x->arg, &res);
			fetch_xfer_free(x);
		}
	}
}

/* curl: body bytes arrived. */
static size_t
fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t len = size * nmemb;
	long status = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	/* An error page is not a feed: count it, do not parse it. */
	if (status >= 300)
		return len;
	/*
	 * Enforced here: CURLOPT_MAXFILESIZE does not stop chunked or
	 * compressed bodies in this libcurl.
	 */
	if (x->bytes + (int64_t)len > x->f->opts.max_bytes) {
		x->too_big = 1;
		return 0;
	}
	x->bytes += (int64_t)len;
	if (x->data(x->arg, ptr, len) == -1) {
		x->reader_abort = 1;
		return 0;
	}
	return len;
}

/* libevent: a socket curl watches is ready. */
static void
fetch_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int action, running;

	action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
	    ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	curl_multi_socket_action(f->multi, fd, action, &running);
	fetch_check_done(f);
}

/* libevent: curl's timeout expired. */
static void
fetch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	fetch_check_done(f);
}

/* curl: set the one timer to timeout_ms (-1: delete it). */
static int
fetch_multi_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct fetch *f = arg;
	struct timeval tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(f->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
	return 0;
}

/* curl: watch, change or forget a socket. */
static int
fetch_socket_cb(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct fetch *f = arg;
	struct fetch_sock *fs = sockp;
	short kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (fs != NULL) {
			event_free(fs->ev);
			free(fs);
		}
		curl_multi_assign(f->multi, s, NULL);
		return 0;
	}
	kind = (short)(((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0) | EV_PERSIST);
	if (fs == NULL) {
		if ((fs = calloc(1, sizeof *fs)) == NULL) {
			log_warn("fetch: calloc");
			return -1;
		}
		fs->fd = s;
		curl_multi_assign(f->multi, s, fs);
	} else {
		event_free(fs->ev);
	}
	if ((fs->ev = event_new(f->base, s, kind, fetch_event_cb, f)) == NULL ||
	    event_add(fs->ev, NULL) == -1) {
		log_warnx("fetch: cannot watch socket %d", (int)s);
		return -1;
	}
	return 0;
}

/* Report every finished transfer and start waiting ones. */
static void
fetch_check_done(struct fetch *f)
{
	struct fetch_xfer *x;
	struct fetch_result res;
	char msgbuf[CURL_ERROR_SIZE + 64];
	CURLMsg *msg;
	int left;
	char *ct;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		memset(&res, 0, sizeof res);
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res.status);
		ct = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		res.content_type = ct;
		res.bytes = x->bytes;
		if (x->too_big) {
			snprintf(msgbuf, sizeof msgbuf, "body larger than %lld bytes: refused",
			    (long long)f->opts.max_bytes);
			res.error = msgbuf;
		} else if (x->reader_abort) {
			res.error = "aborted by the reader";
		} else if (msg->data.result != CURLE_OK) {
			snprintf(msgbuf, sizeof msgbuf, "%s",
			    x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(msg->data.result));
			res.error = msgbuf;
		} else if (res.status >= 300 || (res.status != 0 && res.status < 200)) {
			snprintf(msgbuf, sizeof msgbuf, "HTTP %ld", res.status);
			res.error = msgbuf;
		} else {
			res.ok = 1;
		}
		fetch_unlink(f, x);
		x->done(x->arg, &res);
		fetch_xfer_free(x);
	}
	fetch_pump(f);
}

/* Create the fetcher. */
struct fetch *
fetch_new(struct event_base *base, const struct fetch_opts *opts)
{
	struct fetch *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->base = base;
	f->opts = *opts;
	if (f->opts.max_parallel < 1)
		f->opts.max_parallel = 1;
	if ((f->multi = curl_multi_init()) == NULL ||
	    (f->timer = evtimer_new(base, fetch_timer_cb, f)) == NULL) {
		log_warnx("fetch: cannot set up libcurl");
		fetch_free(f);
		return NULL;
	}
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, fetch_socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, fetch_multi_timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 2L);
	return f;
}

/* Abort everything and free. */
void
fetch_free(struct fetch *f)
{
	struct fetch_xfer *x;

	if (f == NULL)
		return;
	while ((x = f->wait_head) != NULL) {
		f->wait_head = x->next;
		fetch_xfer_free(x);
	}
	while ((x = f->run_head) != NULL) {
		fetch_unlink(f, x);
		fetch_xfer_free(x);
	}
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	if (f->timer != NULL)
		event_free(f->timer);
	free(f);
}

/* Configure the easy handle of a transfer and add it to the multi. */
static int
fetch_launch(struct fetch *f, struct fetch_xfer *x)
{
	CURL *e;

	if ((e = x->easy = curl_easy_init()) == NULL)
		return -1;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->opts.user_agent);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, f->opts.timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->opts.connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->opts.low_speed_time);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->opts.max_bytes);
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return -1;
	x->next = f->run_head;
	f->run_head = x;
	f->running++;
	return 0;
}

/* Queue a transfer. */
int
fetch_start(struct fetch *f, const char *url, fetch_data_cb data, fetch_done_cb done, void *arg)
{
	struct fetch_xfer *x;

	if ((x = calloc(1, sizeof *x)) == NULL || (x->url = strdup(url)) == NULL) {
		free(x);
		return -1;
	}
	x->f = f;
	x->data = data;
	x->done = done;
	x->arg = arg;
	if (f->wait_tail != NULL)
		f->wait_tail->next = x;
	else
		f->wait_head = x;
	f->wait_tail = x;
	f->waiting++;
	fetch_pump(f);
	return 0;
}

/* Drop the transfers of arg. */
void
fetch_cancel(struct fetch *f, void *arg)
{
	struct fetch_xfer **xp, *x;

	for (xp = &f->wait_head; (x = *xp) != NULL;) {
		if (x->arg == arg) {
			*xp = x->next;
			f->waiting--;
			fetch_xfer_free(x);
		} else {
			f->wait_tail = x;
			xp = &x->next;
		}
	}
	if (f->wait_head == NULL)
		f->wait_tail = NULL;
	for (x = f->run_head; x != NULL;) {
		struct fetch_xfer *next = x->next;

		if (x->arg == arg) {
			fetch_unlink(f, x);
			fetch_xfer_free(x);
		}
		x = next;
	}
}

/* Count transfers. */
size_t
fetch_active(const struct fetch *f)
{
	return f->running + f->waiting;
}
