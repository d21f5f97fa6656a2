/*
 * log — messages to stderr, for a terminal or for the journal.
 *
 * When stderr is the journal's stream (JOURNAL_STREAM names its device
 * and inode: we run under systemd) each line is "<N>message", N the
 * syslog priority, so the journal keeps the level and adds the time and
 * the name itself; otherwise lines are "newsdigestd: level: message". The level is the only global
 * of the program; messages below it are not even formatted.
 */
#ifndef NEWSDIGEST_LOG_H
#define NEWSDIGEST_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

extern int log_level;

/* Set the program name and level; look for JOURNAL_STREAM. */
void log_init(const char *progname, int level);
/* Parse "error", "warn", "info" or "debug". Returns the level or -1. */
int log_level_parse(const char *s);

/* Log at warn level with ": strerror(errno)" appended. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at warn level. */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at error level. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at info level. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at debug level. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at the given level (for the messages of libevent, libmosquitto, libcurl). */
void log_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Log at the given level. */
void log_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Log an error with strerror(errno) and exit(1). */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Log an error and exit(1). */
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
