/*
 * parse_bench — throughput of the feed parser against raw expat.
 *
 *   parse_bench [-q] [-n NAME] FILE...
 *	Read each file into memory once, then time, best of N runs (N: at
 *	least PARSE_BENCH_MIN_RUNS and until PARSE_BENCH_MIN_TIME seconds
 *	were spent on the file, at most PARSE_BENCH_MAX_RUNS):
 *	  ours  - feed_parser_new, feed_parser_write in 64 KiB chunks, finish;
 *	  expat - XML_ParserCreateNS with empty element and text handlers on
 *	          the same bytes in the same chunks: the ceiling of the design.
 *	Print one line per file (not with -q) and a total line named NAME.
 *	Files that raw expat or our parser cannot read to the end (not
 *	well-formed) are shown but left out of the total: the two would not
 *	have done the same work.
 *
 *   parse_bench -m FILE
 *	Stream FILE from disk through our parser in 64 KiB chunks with no
 *	item limit and print "PEAK_RSS_KIB ITEMS" (getrusage ru_maxrss).
 *
 * Our parser runs without the max_items cap: with the default of 500 it
 * stops early and a large feed would time only its first items.
 * MB is 10^6 bytes, like the sizes of gen_large.py.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <expat.h>

#include "newsdigest/feed.h"

#define PARSE_BENCH_CHUNK ((size_t)64 << 10)
#define PARSE_BENCH_MIN_TIME 0.5
#define PARSE_BENCH_MIN_RUNS 3
#define PARSE_BENCH_MAX_RUNS 20
#define PARSE_BENCH_NAME_MAX 48

/* One parse of a buffer, by either parser. */
struct parse_bench_run {
	const char *data;
	size_t len;
	size_t items;
	size_t touched;		/* strlen of titles and contents: keeps the work */
	int failed;
	int recovered;
	char err[96];
};

typedef void (*parse_bench_fn)(struct parse_bench_run *r);

/* The measurements of one file. */
struct parse_bench_file {
	const char *name;
	size_t bytes;
	size_t items;
	double ours;		/* best seconds */
	double expat;
	int ours_failed;
	int expat_failed;
	int recovered;
	char err[96];
};

/* Written once at the end so that the compiler keeps every item touch. */
static volatile size_t parse_bench_sink;

/* Return the monotonic clock in seconds. */
static double
parse_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Our parser: touch the item so that nothing is optimised away. */
static int
parse_bench_item_cb(void *arg, const struct feed_item *it)
{
	struct parse_bench_run *r = arg;

	r->touched += strlen(it->title) + strlen(it->content);
	return 0;
}

/* Parse r->data with our parser, in 64 KiB chunks. */
static void
parse_bench_ours(struct parse_bench_run *r)
{
	struct feed_limits lim = { SIZE_MAX, 0, 0 };
	struct feed_parser *p;
	size_t off, n;
	int rc = 0;

	r->items = 0;
	r->failed = 0;
	if ((p = feed_parser_new(&lim, NULL, parse_bench_item_cb, r)) == NULL) {
		r->failed = 1;
		snprintf(r->err, sizeof r->err, "out of memory");
		return;
	}
	for (off = 0; off < r->len && rc == 0; off += n) {
		n = r->len - off < PARSE_BENCH_CHUNK ? r->len - off : PARSE_BENCH_CHUNK;
		rc = feed_parser_write(p, r->data + off, n);
	}
	if (rc == 0)
		rc = feed_parser_finish(p);
	r->items = feed_parser_items(p);
	r->recovered = feed_parser_recovered(p);
	if (rc == -1) {
		r->failed = 1;
		snprintf(r->err, sizeof r->err, "ours: %s",
		    feed_parser_error(p) != NULL ? feed_parser_error(p) : "failed");
	}
	feed_parser_free(p);
}

/* Expat: an element begins; nothing to do. */
static void XMLCALL
parse_bench_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	(void)arg;
	(void)name;
	(void)attrs;
}

/* Expat: an element ends; nothing to do. */
static void XMLCALL
parse_bench_end_cb(void *arg, const XML_Char *name)
{
	(void)arg;
	(void)name;
}

/* Expat: character data; nothing to do. */
static void XMLCALL
parse_bench_text_cb(void *arg, const XML_Char *s, int len)
{
	(void)arg;
	(void)s;
	(void)len;
}

/*
 * Parse r->data with raw expat, in 64 KiB chunks. The DTD settings are
 * ours (a foreign DTD that is never read) so that an undeclared &nbsp;
 * is skipped rather than an error, as in our parser.
 */
static void
parse_bench_expat(struct parse_bench_run *r)
{
	XML_Parser xp;
	size_t off = 0, n;
	int final;

	r->items = 0;
	r->failed = 0;
	if ((xp = XML_ParserCreateNS(NULL, ' ')) == NULL) {
		r->failed = 1;
		snprintf(r->err, sizeof r->err, "out of memory");
		return;
	}
	XML_SetElementHandler(xp, parse_bench_start_cb, parse_bench_end_cb);
	XML_SetCharacterDataHandler(xp, parse_bench_text_cb);
	XML_UseForeignDTD(xp, XML_TRUE);
	XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE);
	do {
		n = r->len - off < PARSE_BENCH_CHUNK ? r->len - off : PARSE_BENCH_CHUNK;
		final = off + n == r->len;
		if (XML_Parse(xp, r->data + off, (int)n, final) == XML_STATUS_ERROR) {
			r->failed = 1;
			snprintf(r->err, sizeof r->err, "expat: line %lu: %s",
			    (unsigned long)XML_GetCurrentLineNumber(xp),
			    XML_ErrorString(XML_GetErrorCode(xp)));
			break;
		}
		off += n;
	} while (!final);
	XML_ParserFree(xp);
}

/* Run fn on r until enough time was spent; return the best run's seconds. */
static double
parse_bench_time(parse_bench_fn fn, struct parse_bench_run *r)
{
	double best = 0, total = 0, t0, t;
	int runs;

	for (runs = 0; runs < PARSE_BENCH_MAX_RUNS; runs++) {
		if (runs >= PARSE_BENCH_MIN_RUNS && total >= PARSE_BENCH_MIN_TIME)
			break;
		t0 = parse_bench_now();
		fn(r);
		t = parse_bench_now() - t0;
		total += t;
		if (runs == 0 || t < best)
			best = t;
	}
	return best;
}

/* Read a whole file into memory; caller frees. Returns NULL after a message. */
static char *
parse_bench_slurp(const char *path, size_t *len)
{
	struct stat st;
	char *data;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) == -1) {
		fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	/* One spare byte: malloc(0) may return NULL for an empty file. */
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		fprintf(stderr, "parse_bench: %s: out of memory\n", path);
		close(fd);
		return NULL;
	}
	while (off < (size_t)st.st_size &&
	    (n = read(fd, data + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	*len = off;
	return data;
}

/* Return the last path component. */
static const char *
parse_bench_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Measure one file with both parsers. Returns 0, or -1 when it cannot be read. */
static int
parse_bench_file(const char *path, struct parse_bench_file *f)
{
	struct parse_bench_run r;
	char *data;
	size_t len;

	memset(f, 0, sizeof *f);
	f->name = parse_bench_base(path);
	if ((data = parse_bench_slurp(path, &len)) == NULL)
		return -1;
	memset(&r, 0, sizeof r);
	r.data = data;
	r.len = len;
	f->bytes = len;
	f->ours = parse_bench_time(parse_bench_ours, &r);
	f->items = r.items;
	f->ours_failed = r.failed;
	f->recovered = r.recovered;
	if (r.failed)
		memcpy(f->err, r.err, sizeof f->err);
	parse_bench_sink += r.touched;
	f->expat = parse_bench_time(parse_bench_expat, &r);
	f->expat_failed = r.failed;
	if (r.failed && !f->ours_failed)
		memcpy(f->err, r.err, sizeof f->err);
	free(data);
	return 0;
}

/* Print one aligned line of the table; expat < 0 leaves its columns empty. */
static void
parse_bench_line(int w, const char *name, size_t bytes, size_t items, double ours, double expat,
    const char *note)
{
	double mb = (double)bytes / 1e6;

	printf("%-*.*s %11zu %8zu %9.1f %10.0f", w, w, name, bytes, items, ours > 0 ? mb / ours : 0,
	    ours > 0 ? (double)items / ours : 0);
	if (expat > 0 && ours > 0)
		printf(" %10.1f %8.0f%%", mb / expat, 100 * expat / ours);
	else
		printf(" %10s %9s", "-", "-");
	printf("%s%s\n", *note ? "  " : "", note);
}

/* Stream a file from disk through our parser; print peak RSS and items. */
static int
parse_bench_peak(const char *path)
{
	static char chunk[PARSE_BENCH_CHUNK];
	struct feed_limits lim = { SIZE_MAX, 0, 0 };
	struct parse_bench_run r;
	struct feed_parser *p;
	struct rusage ru;
	ssize_t n;
	int fd, rc = 0;

	memset(&r, 0, sizeof r);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if ((p = feed_parser_new(&lim, NULL, parse_bench_item_cb, &r)) == NULL) {
		close(fd);
		return 1;
	}
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) > 0)
		rc = feed_parser_write(p, chunk, (size_t)n);
	close(fd);
	if (rc == 0)
		rc = feed_parser_finish(p);
	if (rc == -1)
		fprintf(stderr, "parse_bench: %s: %s\n", path, feed_parser_error(p));
	r.items = feed_parser_items(p);
	feed_parser_free(p);
	parse_bench_sink += r.touched;
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 1;
	/* Linux: ru_maxrss is in KiB. */
	printf("%ld %zu\n", ru.ru_maxrss, r.items);
	return rc == 0 ? 0 : 1;
}

/* Print usage and exit. */
static void __attribute__((noreturn))
parse_bench_usage(void)
{
	fprintf(stderr, "usage: parse_bench [-q] [-n NAME] FILE...\n"
	    "       parse_bench -m FILE\n");
	exit(2);
}

/* Measure the files named on the command line, or the peak memory of one. */
int
main(int argc, char **argv)
{
	struct parse_bench_file *files;
	const char *name = "total", *peak = NULL;
	double ours = 0, expat = 0;
	size_t bytes = 0, items = 0, excluded = 0, nfiles, i;
	int quiet = 0, ch, w = 4;
	char note[160];

	while ((ch = getopt(argc, argv, "qn:m:")) != -1) {
		if (ch == 'q')
			quiet = 1;
		else if (ch == 'n')
			name = optarg;
		else if (ch == 'm')
			peak = optarg;
		else
			parse_bench_usage();
	}
	if (peak != NULL) {
		if (optind != argc)
			parse_bench_usage();
		return parse_bench_peak(peak);
	}
	if (optind == argc)
		parse_bench_usage();
	nfiles = (size_t)(argc - optind);
	if ((files = calloc(nfiles, sizeof *files)) == NULL)
		return 1;
	for (i = 0; i < nfiles; i++) {
		int n = (int)strlen(parse_bench_base(argv[optind + (int)i]));

		if (!quiet && n > w)
			w = n;
	}
	if ((int)strlen(name) + 12 > w)
		w = (int)strlen(name) + 12;
	if (w > PARSE_BENCH_NAME_MAX)
		w = PARSE_BENCH_NAME_MAX;
	printf("%-*s %11s %8s %9s %10s %10s %9s\n", w, "file", "bytes", "items", "MB/s",
	    "items/s", "expat MB/s", "vs expat");
	for (i = 0; i < nfiles; i++) {
		struct parse_bench_file *f = &files[i];

		if (parse_bench_file(argv[optind + (int)i], f) == -1) {
			free(files);
			return 1;
		}
		if (f->ours_failed || f->expat_failed) {
			excluded++;
			snprintf(note, sizeof note, "left out: %s", f->err);
			/* Expat stopped at the error: its speed means nothing. */
			f->expat = -1;
		} else {
			bytes += f->bytes;
			items += f->items;
			ours += f->ours;
			expat += f->expat;
			snprintf(note, sizeof note, "%s", f->recovered ? "recovered" : "");
		}
		if (!quiet)
			parse_bench_line(w, f->name, f->bytes, f->items, f->ours, f->expat, note);
	}
	if (nfiles > 1 || quiet) {
		char label[64];

		snprintf(label, sizeof label, "%s (%zu files)", name, nfiles - excluded);
		note[0] = '\0';
		if (excluded > 0)
			snprintf(note, sizeof note, "%zu not well-formed file%s left out", excluded,
			    excluded == 1 ? "" : "s");
		parse_bench_line(w, label, bytes, items, ours, expat, note);
	}
	free(files);
	return 0;
}
