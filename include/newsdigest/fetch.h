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

struct fetch_result {
	int ok;			/* 1: a 2xx (or file) body was read whole */
	long status;		/* HTTP status, 0 for file:// or no answer */
	const char *error;	/* why it failed, or NULL; borrowed */
	int64_t bytes;		/* body bytes received */
	const char *content_type; /* or NULL; borrowed */
};

/*
 * Body bytes as they arrive. Return 0 to go on, -1 to abort the transfer
 * (the result then says "aborted by the reader").
 */
typedef int (*fetch_data_cb)(void *arg, const char *data, size_t len);
/* The end of a transfer; called exactly once per fetch_start(). */
typedef void (*fetch_done_cb)(void *arg, const struct fetch_result *res);

/* Create a fetcher on base. Returns NULL (logged) on failure. */
struct fetch *fetch_new(struct event_base *base, const struct fetch_opts *opts);
/* Abort every transfer (their done callbacks are not called) and free. */
void fetch_free(struct fetch *f);
/*
 * Fetch url (copied). data and done are called from the loop with arg.
 * Returns 0, or -1 when the transfer could not even be set up (done is
 * then not called).
 */
int fetch_start(struct fetch *f, const char *url, fetch_data_cb data, fetch_done_cb done,
    void *arg);
/* Abort the transfers started with arg, without calling their callbacks. */
void fetch_cancel(struct fetch *f, void *arg);
/* Return the number of transfers running or waiting. */
size_t fetch_active(const struct fetch *f);

#endif
