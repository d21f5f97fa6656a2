/*
 * notify — sd_notify(3)'s datagram protocol, spoken directly.
 *
 * One SOCK_DGRAM unix socket, opened once; each state is one sendto() of
 * "KEY=VALUE" lines to the address in $NOTIFY_SOCKET, as systemd
 * documents it. Nothing here blocks: a datagram the manager cannot take
 * is dropped, and said once in the log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "newsdigest/log.h"
#include "newsdigest/notify.h"

#define NOTIFY_STATUS_MAX 256

struct notify {
	int fd;				/* -1: nobody listens */
	struct sockaddr_un addr;
	socklen_t addrlen;
	uint64_t watchdog_usec;		/* 0: no watchdog asked */
	struct event *ev_watchdog;
	int warned;			/* a failed send was logged */
	char status[NOTIFY_STATUS_MAX];
};

/* Send one datagram of states. */
static void
notify_send(struct notify *n, const char *msg)
{
	if (n == NULL || n->fd == -1)
		return;
	if (sendto(n->fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&n->addr,
	    n->addrlen) == -1 && !n->warned) {
		/* Said once: the manager may be restarting; we go on without it. */
		log_warn("notify: cannot send to %s", getenv("NOTIFY_SOCKET"));
		n->warned = 1;
	}
}

/*
 * Fill n->addr from a $NOTIFY_SOCKET value: "/path", or "@name" for an
 * abstract socket (the '@' becomes a leading NUL; no trailing NUL is
 * counted). Returns 0, or -1 for an address we cannot use.
 */
static int
notify_address(struct notify *n, const char *path)
{
	size_t len = strlen(path);

	if ((path[0] != '/' && path[0] != '@') || len < 2 || len >= sizeof n->addr.sun_path)
		return -1;
	memset(&n->addr, 0, sizeof n->addr);
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, path, len);
	if (path[0] == '@') {
		n->addr.sun_path[0] = '\0';
		n->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		n->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	}
	return 0;
}

/* libevent: ping the watchdog; being called at all proves the loop turns. */
static void
notify_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	notify_send(arg, "WATCHDOG=1");
}

/*
 * Read the watchdog interval asked of us: $WATCHDOG_USEC, if
 * $WATCHDOG_PID is unset or names this process. Returns 0 for none.
 */
static uint64_t
notify_watchdog_env(void)
{
	const char *s = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0')
		return 0;
	if (pid != NULL && *pid != '\0' && strtol(pid, NULL, 10) != (long)getpid())
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0) {
		log_warnx("notify: WATCHDOG_USEC=%s is not a number of microseconds", s);
		return 0;
	}
	return (uint64_t)v;
}

/* Set up from the environment. */
struct notify *
notify_new(struct event_base *base)
{
	struct notify *n;
	const char *path = getenv("NOTIFY_SOCKET");
	struct timeval tv;

	if ((n = calloc(1, sizeof *n)) == NULL)
		return NULL;
	n->fd = -1;
	if (path == NULL || *path == '\0')
		return n;
	if (notify_address(n, path) == -1) {
		log_warnx("notify: NOTIFY_SOCKET=%s: not a unix socket path or @name; "
		    "not notifying", path);
		return n;
	}
	if ((n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
		log_warn("notify: socket");
		return n;
	}
	if ((n->watchdog_usec = notify_watchdog_env()) > 0) {
		/* Twice per interval, as sd_watchdog_enabled(3) advises. */
		tv.tv_sec = (time_t)(n->watchdog_usec / 2 / 1000000);
		tv.tv_usec = (suseconds_t)(n->watchdog_usec / 2 % 1000000);
		if ((n->ev_watchdog = event_new(base, -1, EV_PERSIST, notify_watchdog_cb, n)) ==
		    NULL || event_add(n->ev_watchdog, &tv) == -1)
			fatalx("notify: cannot set up the watchdog timer");
		log_debug("notify: watchdog every %lluus", (unsigned long long)n->watchdog_usec / 2);
	}
	return n;
}

/* Free. */
void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	if (n->ev_watchdog != NULL)
		event_free(n->ev_watchdog);
	if (n->fd != -1)
		close(n->fd);
	free(n);
}

/* Tell whether a manager listens. */
int
notify_enabled(const struct notify *n)
{
	return n != NULL && n->fd != -1;
}

/* Return the watchdog interval. */
uint64_t
notify_watchdog_usec(const struct notify *n)
{
	return n != NULL ? n->watchdog_usec : 0;
}

/* Send READY=1 and the status. */
void
notify_ready(struct notify *n)
{
	char msg[NOTIFY_STATUS_MAX + 32];

	if (n == NULL)
		return;
	snprintf(msg, sizeof msg, "READY=1\nSTATUS=%s", n->status);
	notify_send(n, msg);
}

/* Send RELOADING=1 with the time the reload starts. */
void
notify_reloading(struct notify *n)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
	notify_send(n, msg);
}

/* Send STOPPING=1. */
void
notify_stopping(struct notify *n)
{
	notify_send(n, "STOPPING=1");
}

/* Set the status line, sending it when it changed. */
void
notify_status(struct notify *n, const char *fmt, ...)
{
	char text[NOTIFY_STATUS_MAX], msg[NOTIFY_STATUS_MAX + 8];
	va_list ap;
	size_t i;

	if (n == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* One line: a newline would start another KEY=VALUE. */
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '\n' || text[i] == '\r')
			text[i] = ' ';
	if (strcmp(text, n->status) == 0)
		return;
	memcpy(n->status, text, sizeof text);
	snprintf(msg, sizeof msg, "STATUS=%s", text);
	notify_send(n, msg);
}
