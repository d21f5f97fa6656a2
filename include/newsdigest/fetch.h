/*
 * fetch — feeds over http, https and file, on libcurl's multi-socket API
 * driven by the libevent loop (as curl's hiperfifo.c does).
 *
 * The body is handed on as it arrives (so it can be parsed while it
 * downloads); every transfer has time and size limits; at most
 * max_parallel transfers run at once and the rest wait their turn.
 */
#ifndef NEWSDIGEST_FETCH_H
#define NEWSDIGEST_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetch;

struct fetch_opts {
	long max_parallel;
	int64_t max_bytes;	/* body bytes, after decompression */
	long timeout;		/* seconds for the whole transfer */
	long connect_timeout;	/* seconds */
	long low_speed_time;	/* abort below 64 bytes/s for this many seconds */
	const char *user_agent;
};

/* Validators of the copy we have, for a conditional GET. */
struct fetch_cond {
	const char *etag;		/* sent as If-None-Match, or NULL */
	const char *last_modified;	/* sent as If-Modified-Since, or NULL */
};

/* How a transfer ended. Strings are borrowed, valid during the callback. */
struct fetch_result {
	int ok;			/* 1: a 2xx (or file) body was read whole, or a 304 */
	int not_modified;	/* 1: HTTP 304, the copy we have is current */
	long status;		/* HTTP status, 0 for file:// or no answer */
	const char *error;	/* why it failed, or NULL */
	int64_t bytes;		/* body bytes received */
	const char *content_type; /* or NULL */
	const char *etag;	/* validators of this response, or NULL */
	const char *last_modified;
	int64_t retry_after;	/* seconds the server asked us to wait, or 0 */
	int64_t max_age;	/* Cache-Control max-age in seconds, or 0 */
	const char *moved_to;	/* the new URL after a permanent redirect, or NULL */
	int too_big;		/* refused at max_bytes */
	int timed_out;		/* a time limit (total, connect or low speed) hit */
};

/* What is known of a body before its first byte. */
struct fetch_body {
	const char *content_type; /* the response's Content-Type, or NULL */
	const char *base;	/* for its relative links: the URL after redirects,
				   or its Content-Location (url_document_base()) */
};

/*
 * Body bytes as they arrive, with what the headers said of them. Return 0
 * to go on, -1 to abort the transfer (the result then says "aborted by
 * the reader").
 */
typedef int (*fetch_data_cb)(void *arg, const char *data, size_t len,
    const struct fetch_body *body);
/* The end of a transfer; called exactly once per fetch_start(). */
typedef void (*fetch_done_cb)(void *arg, const struct fetch_result *res);

/* Create a fetcher on base (opts is copied). Returns NULL (logged) on failure. */
struct fetch *fetch_new(struct event_base *base, const struct fetch_opts *opts);
/*
 * Replace the options (copied): transfers started from now on get them
 * (the body size cap applies at once to running ones too); a larger
 * max_parallel starts waiting ones. Returns 0, or -1 when out of memory
 * (the old options stay).
 */
int fetch_set_opts(struct fetch *f, const struct fetch_opts *opts);
/* Abort every transfer (their done callbacks are not called) and free. */
void fetch_free(struct fetch *f);
/*
 * Fetch url (copied), conditionally when cond (copied, may be NULL) has
 * validators. data and done are called from the loop with arg. Returns 0,
 * or -1 when the transfer could not even be set up (done is then not
 * called).
 */
int fetch_start(struct fetch *f, const char *url, const struct fetch_cond *cond,
    fetch_data_cb data, fetch_done_cb done, void *arg);
/* Abort the transfers started with arg, without calling their callbacks. */
void fetch_cancel(struct fetch *f, void *arg);

#endif
