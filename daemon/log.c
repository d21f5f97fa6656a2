/* log — leveled messages to stderr, journal-aware. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newsdigest/log.h"

int log_level = LOG_LEVEL_INFO;

static const char *log_progname = "newsdigest";
static int log_journal;

static const char *const log_names[] = { "error", "warning", "info", "debug" };
/* syslog priorities: err, warning, info, debug */
static const int log_prio[] = { 3, 4, 6, 7 };

/*
 * Return 1 when stderr is the journal's stream: $JOURNAL_STREAM holds its
 * "DEVICE:INODE", which systemd documents to check against fstat(2) of
 * stderr, since a child whose stderr was redirected inherits the variable.
 */
static int
log_stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	if (v == NULL || sscanf(v, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* Set the program name and level; detect the journal. */
void
log_init(const char *progname, int level)
{
	log_progname = progname;
	log_level = level;
	log_journal = log_stderr_is_journal();
}

/* Parse a level name. */
int
log_level_parse(const char *s)
{
	if (strcmp(s, "error") == 0)
		return LOG_LEVEL_ERROR;
	if (strcmp(s, "warn") == 0 || strcmp(s, "warning") == 0)
		return LOG_LEVEL_WARN;
	if (strcmp(s, "info") == 0)
		return LOG_LEVEL_INFO;
	if (strcmp(s, "debug") == 0)
		return LOG_LEVEL_DEBUG;
	return -1;
}

/* Write one line at level, formatting only when it will be shown. */
static void
log_emit(int level, const char *suffix, const char *fmt, va_list ap)
{
	char msg[2048];

	if (level > log_level)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", log_prio[level], msg, suffix ? ": " : "",
		    suffix ? suffix : "");
	else
		fprintf(stderr, "%s: %s%s%s%s%s\n", log_progname,
		    level == LOG_LEVEL_INFO ? "" : log_names[level],
		    level == LOG_LEVEL_INFO ? "" : ": ", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
}

/* Log at a level. */
void
log_vlog(int level, const char *fmt, va_list ap)
{
	log_emit(level, NULL, fmt, ap);
}

/* Log a warning with the errno text. */
void
log_warn(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_WARN, e, fmt, ap);
	va_end(ap);
}

/* Log at a level given at run time (messages of the libraries). */
void
log_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(level, NULL, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, level)                                                              \
	void name(const char *fmt, ...)                                                  \
	{                                                                                \
		va_list ap;                                                              \
		va_start(ap, fmt);                                                       \
		log_emit(level, NULL, fmt, ap);                                          \
		va_end(ap);                                                              \
	}

/* Log a warning. */
LOG_FN(log_warnx, LOG_LEVEL_WARN)
/* Log an error. */
LOG_FN(log_error, LOG_LEVEL_ERROR)
/* Log information. */
LOG_FN(log_info, LOG_LEVEL_INFO)
/* Log a debug message. */
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

/* Log an error with the errno text and exit. */
void
fatal(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, e, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Log an error and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
