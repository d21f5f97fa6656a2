/*
 * log_test — unit tests for daemon/log.c: the journal's "<N>" prefixes
 * only when JOURNAL_STREAM names stderr, the terminal format otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newsdigest/log.h"

/*
 * Point stderr at a fresh temp file, set JOURNAL_STREAM to stream (or to
 * that file's "DEV:INO" when stream is "SELF", or unset it when NULL),
 * log a few lines at level info, and return what was written.
 */
static char *
log_test_run(const char *stream)
{
	char path[] = "/tmp/nd-log-test-XXXXXX", env[64];
	static char out[1024];
	struct stat st;
	int fd, saved;
	ssize_t n;

	fflush(stderr);
	if ((fd = mkstemp(path)) == -1 || (saved = dup(STDERR_FILENO)) == -1)
		fail_msg("mkstemp or dup: %s", strerror(errno));
	unlink(path);
	dup2(fd, STDERR_FILENO);
	fstat(fd, &st);
	snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	if (stream == NULL)
		unsetenv("JOURNAL_STREAM");
	else
		setenv("JOURNAL_STREAM", strcmp(stream, "SELF") == 0 ? env : stream, 1);
	log_init("prog", LOG_LEVEL_INFO);
	log_info("hello %d", 1);
	log_warnx("careful");
	log_error("broken");
	log_debug("not shown");
	log_log(LOG_LEVEL_WARN, "lib: %s", "said");
	errno = ENOENT;
	log_warn("open %s", "x");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, out, sizeof out - 1, 0);
	close(fd);
	unsetenv("JOURNAL_STREAM");
	out[n > 0 ? n : 0] = '\0';
	return out;
}

/* stderr is the journal's stream: "<N>message", no name, no level word. */
static void
log_test_journal(void **state)
{
	(void)state;
	assert_string_equal(log_test_run("SELF"),
	    "<6>hello 1\n<4>careful\n<3>broken\n<4>lib: said\n<4>open x: No such file or "
	    "directory\n");
}

/* Another stream's JOURNAL_STREAM (inherited, stderr redirected): terminal format. */
static void
log_test_other_stream(void **state)
{
	static const char want[] = "prog: hello 1\nprog: warning: careful\nprog: error: broken\n"
	    "prog: warning: lib: said\nprog: warning: open x: No such file or directory\n";

	(void)state;
	assert_string_equal(log_test_run("1:1"), want);
	assert_string_equal(log_test_run("garbage"), want);
	assert_string_equal(log_test_run(NULL), want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_test_journal),
		cmocka_unit_test(log_test_other_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
