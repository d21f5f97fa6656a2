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
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "newsdigest/date.h"
#include "newsdigest/fetch.h"
#include "newsdigest/log.h"
#include "newsdigest/url.h"

#define FETCH_HDR_MAX 512	/* bytes kept of one header value */

struct fetch_xfer {
	struct fetch *f;
	CURL *easy;
	char *url;
	struct curl_slist *headers;
	fetch_data_cb data;
	fetch_done_cb done;
	void *arg;
	int64_t bytes;
	int too_big;
	int reader_abort;
	int moved;		/* a 301 or 308 on the way */
	long status;		/* of the response whose headers we read */
	/* headers of the last response (a redirect starts them afresh) */
	char content_type[FETCH_HDR_MAX];
	char etag[FETCH_HDR_MAX];
	char last_modified[FETCH_HDR_MAX];
	char retry_after[FETCH_HDR_MAX];
	char content_location[FETCH_HDR_MAX];
	int64_t max_age;
	struct buf base;	/* url_document_base(), set at the first body byte */
	char errbuf[CURL_ERROR_SIZE];
	struct fetch_xfer *next;	/* in the wait queue or the running list */
};

struct fetch_sock {
	struct event *ev;
	curl_socket_t fd;
};

struct fetch {
	struct event_base *base;
	struct fetch_opts opts;		/* user_agent points to ua */
	char *ua;
	CURLM *multi;
	struct event *timer;
	size_t running;
	struct fetch_xfer *run_head;	/* running transfers */
	struct fetch_xfer *wait_head, *wait_tail;
};

static void fetch_check_done(struct fetch *f);
static int fetch_launch(struct fetch *f, struct fetch_xfer *x);

/* Free a transfer's state. */
static void
fetch_xfer_free(struct fetch_xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	buf_free(&x->base);
	free(x->url);
	free(x);
}

/* Copy a header value (len bytes, trimmed) into dst. */
static void
fetch_hdr_copy(char *dst, const char *v, size_t len)
{
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (len >= FETCH_HDR_MAX)
		len = FETCH_HDR_MAX - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* Return 1 when the header line at p is "name:" (any case); set *v to the value. */
static int
fetch_hdr_is(const char *p, size_t len, const char *name, const char **v, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || p[n] != ':' || strncasecmp(p, name, n) != 0)
		return 0;
	*v = p + n + 1;
	*vlen = len - n - 1;
	return 1;
}

/* curl: one header line of a response (each redirect has its own). */
static size_t
fetch_header_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t len = size * nmemb, vlen;
	const char *v, *ma;
	char tmp[FETCH_HDR_MAX];

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response: forget the headers of the one before. */
		x->content_type[0] = x->etag[0] = x->last_modified[0] = x->retry_after[0] = '\0';
		x->content_location[0] = '\0';
		x->max_age = 0;
		v = memchr(p, ' ', len);
		x->status = v != NULL ? strtol(v + 1, NULL, 10) : 0;
		if (x->status == 301 || x->status == 308)
			x->moved = 1;
	} else if (fetch_hdr_is(p, len, "content-type", &v, &vlen)) {
		fetch_hdr_copy(x->content_type, v, vlen);
	} else if (fetch_hdr_is(p, len, "content-location", &v, &vlen)) {
		fetch_hdr_copy(x->content_location, v, vlen);
	} else if (fetch_hdr_is(p, len, "etag", &v, &vlen)) {
		fetch_hdr_copy(x->etag, v, vlen);
	} else if (fetch_hdr_is(p, len, "last-modified", &v, &vlen)) {
		fetch_hdr_copy(x->last_modified, v, vlen);
	} else if (fetch_hdr_is(p, len, "retry-after", &v, &vlen)) {
		fetch_hdr_copy(x->retry_after, v, vlen);
	} else if (fetch_hdr_is(p, len, "cache-control", &v, &vlen)) {
		fetch_hdr_copy(tmp, v, vlen);
		if ((ma = strstr(tmp, "max-age=")) != NULL)
			x->max_age = strtoll(ma + 8, NULL, 10);
		if (x->max_age < 0)
			x->max_age = 0;
	}
	return len;
}

/* Seconds a Retry-After value asks for: a number, or an HTTP date after now. */
static int64_t
fetch_retry_after(const char *v, int64_t now)
{
	int64_t t;
	char *end;
	long long n;

	if (*v == '\0')
		return 0;
	n = strtoll(v, &end, 10);
	if (end != v && *end == '\0')
		return n > 0 ? (int64_t)n : 0;
	if (date_parse(v, strlen(v), &t) == 0 && t > now)
		return t - now;
	return 0;
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
	struct fetch_body body;
	size_t len = size * nmemb;
	long status = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	/* An error page (or a 304's) is not a feed: do not parse it. */
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
	if (x->bytes == 0) {
		char *url = NULL;

		curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
		if (url_document_base(&x->base, url != NULL ? url : x->url,
		    x->content_location) == -1) {
			x->reader_abort = 1;
			return 0;
		}
	}
	x->bytes += (int64_t)len;
	body.content_type = x->content_type[0] != '\0' ? x->content_type : NULL;
	body.base = buf_str(&x->base);
	if (x->data(x->arg, ptr, len, &body) == -1) {
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
	long redirects;
	char *where;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		memset(&res, 0, sizeof res);
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res.status);
		res.content_type = x->content_type[0] != '\0' ? x->content_type : NULL;
		res.etag = x->etag[0] != '\0' ? x->etag : NULL;
		res.last_modified = x->last_modified[0] != '\0' ? x->last_modified : NULL;
		res.retry_after = fetch_retry_after(x->retry_after, (int64_t)time(NULL));
		res.max_age = x->max_age;
		res.bytes = x->bytes;
		res.timed_out = msg->data.result == CURLE_OPERATION_TIMEDOUT;
		where = NULL;
		if (x->moved && curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &where) == CURLE_OK)
			res.moved_to = where;
		if (res.status == 304) {
			res.ok = 1;
			res.not_modified = 1;
		} else if (x->too_big || msg->data.result == CURLE_FILESIZE_EXCEEDED) {
			/* Refused by us while reading, or by curl from the Content-Length. */
			res.too_big = 1;
			snprintf(msgbuf, sizeof msgbuf, "body larger than %lld bytes: refused",
			    (long long)f->opts.max_bytes);
			res.error = msgbuf;
		} else if (x->reader_abort) {
			res.error = "aborted by the reader";
		} else if (msg->data.result == CURLE_UNSUPPORTED_PROTOCOL &&
		    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects) == CURLE_OK &&
		    redirects > 0 &&
		    curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &where) == CURLE_OK &&
		    where != NULL) {
			/*
			 * curl would blame itself ("disabled in libcurl"): a redirect
			 * sent us there, and the URL it names is the effective one.
			 */
			snprintf(msgbuf, sizeof msgbuf, "redirected to %.200s: only http and https are "
			    "followed", where);
			res.error = msgbuf;
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

/* Take new limits for the transfers started from now on. */
int
fetch_set_opts(struct fetch *f, const struct fetch_opts *opts)
{
	char *ua = NULL;

	if (opts->user_agent != NULL && (ua = strdup(opts->user_agent)) == NULL)
		return -1;
	free(f->ua);
	f->ua = ua;
	f->opts = *opts;
	f->opts.user_agent = ua;
	if (f->opts.max_parallel < 1)
		f->opts.max_parallel = 1;
	/* More may run at once now. */
	if (f->multi != NULL)
		fetch_pump(f);
	return 0;
}

/* Create the fetcher. */
struct fetch *
fetch_new(struct event_base *base, const struct fetch_opts *opts)
{
	struct fetch *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->base = base;
	if (fetch_set_opts(f, opts) == -1 || (f->multi = curl_multi_init()) == NULL ||
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
	free(f->ua);
	free(f);
}

/* curl: its verbose messages, routed to our debug log. */
static int
fetch_debug_cb(CURL *e, curl_infotype type, char *data, size_t len, void *arg)
{
	(void)e;
	(void)arg;
	if (type != CURLINFO_TEXT)
		return 0;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	log_debug("curl: %.*s", (int)len, data);
	return 0;
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
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	if (x->headers != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
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
	if (log_level >= LOG_LEVEL_DEBUG) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, fetch_debug_cb);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return -1;
	x->next = f->run_head;
	f->run_head = x;
	f->running++;
	return 0;
}

/* Queue a transfer. */
int
fetch_start(struct fetch *f, const char *url, const struct fetch_cond *cond, fetch_data_cb data,
    fetch_done_cb done, void *arg)
{
	struct fetch_xfer *x;
	char line[FETCH_HDR_MAX + 32];

	if ((x = calloc(1, sizeof *x)) == NULL || (x->url = strdup(url)) == NULL) {
		free(x);
		return -1;
	}
	/* Only over HTTP: a file:// URL has no validators to send. */
	if (cond != NULL && strncmp(url, "http", 4) == 0) {
		if (cond->etag != NULL && *cond->etag != '\0') {
			snprintf(line, sizeof line, "If-None-Match: %s", cond->etag);
			x->headers = curl_slist_append(x->headers, line);
		}
		if (cond->last_modified != NULL && *cond->last_modified != '\0') {
			snprintf(line, sizeof line, "If-Modified-Since: %s", cond->last_modified);
			x->headers = curl_slist_append(x->headers, line);
		}
	}
	buf_init(&x->base, 0);
	x->f = f;
	x->data = data;
	x->done = done;
	x->arg = arg;
	if (f->wait_tail != NULL)
		f->wait_tail->next = x;
	else
		f->wait_head = x;
	f->wait_tail = x;
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
