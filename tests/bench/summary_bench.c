/*
 * summary_bench — summarise + tag throughput on one core, and allocations
 * per article (malloc, calloc and realloc counted through the GNU
 * __libc_* entry points, so libstemmer's count too).
 *
 *   summary_bench [-c CHARS] FILE.jsonl
 *
 * Reads {"title","text"} lines (cJSON, outside the timing), then runs
 * article_read + summary_make + tags_make over all of them until at least
 * a second has passed, and prints articles/s and allocations/article.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "newsdigest/article.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long summary_bench_allocs;	/* the one global: a bench, not the core */

void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);

/* Count and allocate. */
void *
malloc(size_t n)
{
	summary_bench_allocs++;
	return __libc_malloc(n);
}

/* Count and allocate zeroed. */
void *
calloc(size_t n, size_t m)
{
	summary_bench_allocs++;
	return __libc_calloc(n, m);
}

/* Count and reallocate. */
void *
realloc(void *p, size_t n)
{
	summary_bench_allocs++;
	return __libc_realloc(p, n);
}

struct summary_bench_doc {
	char *title;
	char *text;
};

/* Summarise and tag every article once. */
static void
summary_bench_pass(struct article *a, struct buf *out, const struct summary_bench_doc *docs,
    size_t ndocs, size_t chars)
{
	struct tags t;
	size_t i;

	for (i = 0; i < ndocs; i++) {
		article_read(a, docs[i].title, strlen(docs[i].title), docs[i].text,
		    strlen(docs[i].text));
		buf_reset(out);
		summary_make(out, a, chars, 0);
		tags_make(&t, 5, NULL, 0, a);
	}
}

/* Return the seconds of a monotonic clock. */
static double
summary_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct summary_bench_doc *docs = NULL;
	size_t ndocs = 0, cap = 0, i, chars = 280, done = 0, linecap = 0, bytes = 0;
	unsigned long allocs;
	struct article *a;
	struct buf out;
	char *line = NULL;
	double start, secs;
	ssize_t n;
	FILE *f;

	if (argc == 4 && strcmp(argv[1], "-c") == 0) {
		chars = (size_t)strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: summary_bench [-c CHARS] FILE.jsonl\n");
		return 1;
	}
	while ((n = getline(&line, &linecap, f)) > 0) {
		cJSON *j = cJSON_ParseWithLength(line, (size_t)n);
		const char *ti = cJSON_GetStringValue(cJSON_GetObjectItem(j, "title"));
		const char *te = cJSON_GetStringValue(cJSON_GetObjectItem(j, "text"));

		if (ti != NULL && te != NULL) {
			if (ndocs == cap) {
				cap = cap ? cap * 2 : 256;
				docs = realloc(docs, cap * sizeof *docs);
			}
			docs[ndocs].title = strdup(ti);
			docs[ndocs].text = strdup(te);
			bytes += strlen(te);
			ndocs++;
		}
		cJSON_Delete(j);
	}
	free(line);
	fclose(f);
	if (ndocs == 0) {
		fprintf(stderr, "summary_bench: no articles in %s\n", argv[1]);
		return 1;
	}
	a = article_new("en");
	buf_init(&out, 0);
	/* One pass to warm up; the buffer reaches its size. */
	summary_bench_pass(a, &out, docs, ndocs, chars);
	allocs = summary_bench_allocs;
	start = summary_bench_now();
	do {
		summary_bench_pass(a, &out, docs, ndocs, chars);
		done += ndocs;
	} while ((secs = summary_bench_now() - start) < 1.0);
	allocs = summary_bench_allocs - allocs;
	printf("%zu articles (mean %zu bytes), %zu runs in %.2f s: %.0f articles/s, "
	    "%.2f allocations/article\n", ndocs, bytes / ndocs, done, secs,
	    (double)done / secs, (double)allocs / (double)done);
	buf_free(&out);
	article_free(a);
	for (i = 0; i < ndocs; i++) {
		free(docs[i].title);
		free(docs[i].text);
	}
	free(docs);
	return 0;
}
