/*
 * buf — a growable byte buffer with a hard cap.
 *
 * Pure core: no I/O. Used by every module that builds text or payloads.
 * The data is always NUL-terminated (the NUL is not counted in len), so
 * it can be handed to functions that want a C string, but the content
 * may hold NUL bytes where binary data was appended.
 *
 * A buffer that would grow past its cap, or whose allocation failed,
 * becomes "failed": further appends are ignored and buf_failed() is true.
 * Callers append freely and check once at the end.
 */
#ifndef NEWSDIGEST_BUF_H
#define NEWSDIGEST_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* owned; NULL until the first append */
	size_t len;	/* bytes used, not counting the trailing NUL */
	size_t cap;	/* bytes allocated */
	size_t max;	/* hard limit on len; 0 = BUF_DEFAULT_MAX */
	int failed;	/* set when an append hit max or malloc failed */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

/* Initialise an empty buffer that may hold up to max bytes (0: default). */
void buf_init(struct buf *b, size_t max);
/* Release the storage; the buffer is empty and may be reused. */
void buf_free(struct buf *b);
/* Forget the content, keep the storage and clear the failed flag. */
void buf_reset(struct buf *b);
/* Append len bytes. Returns 0, or -1 when the buffer is (now) failed. */
int buf_add(struct buf *b, const void *p, size_t len);
/* Append a NUL-terminated string. Returns 0 or -1. */
int buf_adds(struct buf *b, const char *s);
/* Append one byte. Returns 0 or -1. */
int buf_addc(struct buf *b, char c);
/* Append printf-formatted text. Returns 0 or -1. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Make room for n more bytes and return where they go, or NULL when the
 * buffer failed. Write at most n bytes there, then call buf_commit().
 */
char *buf_space(struct buf *b, size_t n);
/* Count n bytes written into the space buf_space() gave as content. */
void buf_commit(struct buf *b, size_t n);
/* Cut the content to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Return the content as a C string ("" for an empty buffer); borrowed. */
const char *buf_str(const struct buf *b);
/* Return 1 when an append failed since the last init/reset, else 0. */
int buf_failed(const struct buf *b);
/*
 * Take the content out: returns a malloc'ed NUL-terminated string the
 * caller frees with free(), stores its length in *lenp (if not NULL) and
 * leaves the buffer empty. Returns NULL when the buffer failed.
 */
char *buf_steal(struct buf *b, size_t *lenp);

#endif
