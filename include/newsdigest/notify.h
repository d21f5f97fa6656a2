/*
 * notify — the service manager's notification protocol (sd_notify(3)),
 * without libsystemd.
 *
 * When systemd starts us with Type=notify it passes $NOTIFY_SOCKET, a
 * unix datagram socket (a path, or an abstract name written "@name"), to
 * which we send newline-separated "KEY=VALUE" states: READY=1,
 * RELOADING=1, STOPPING=1, STATUS=text. With WatchdogSec= it also passes
 * $WATCHDOG_USEC (and $WATCHDOG_PID); we then send WATCHDOG=1 from a
 * timer on the event loop every half interval, so that a loop that hangs
 * stops the pings and systemd restarts us.
 *
 * Without $NOTIFY_SOCKET every call does nothing: the same daemon runs
 * from a terminal, a container or another supervisor.
 */
#ifndef NEWSDIGEST_NOTIFY_H
#define NEWSDIGEST_NOTIFY_H

#include <stdint.h>

struct event_base;
struct notify;

/*
 * Read $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID and, when a
 * watchdog is asked of this process, start pinging it on base. Returns
 * NULL only when out of memory; caller frees with notify_free().
 */
struct notify *notify_new(struct event_base *base);
/* Stop the watchdog timer, close the socket and free; NULL does nothing. */
void notify_free(struct notify *n);
/* Return 1 when a service manager listens (NOTIFY_SOCKET was set). */
int notify_enabled(const struct notify *n);
/* Return the watchdog interval in microseconds asked of us, 0 for none. */
uint64_t notify_watchdog_usec(const struct notify *n);

/* Send READY=1 with the current status line. */
void notify_ready(struct notify *n);
/* Send RELOADING=1 (with MONOTONIC_USEC) before a reload; notify_ready() after it. */
void notify_reloading(struct notify *n);
/* Send STOPPING=1. */
void notify_stopping(struct notify *n);
/* Set the status line; STATUS= is sent only when the text changed. */
void notify_status(struct notify *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
