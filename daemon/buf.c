/* buf — growable byte buffer with a hard cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"

static char buf_empty[1];

/* Initialise an empty buffer capped at max bytes. */
void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
	b->failed = 0;
}

/* Release the storage. */
void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

/* Forget the content, keep the storage. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	b->failed = 0;
}

/* Make room for extra more bytes plus the NUL. */
static int
buf_grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->failed)
		return -1;
	if (extra > b->max - b->len) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

/* Append len bytes. */
int
buf_add(struct buf *b, const void *p, size_t len)
{
	if (len == 0)
		return b->failed ? -1 : 0;
	/* Room already (cap never passes max + 1): no call on the hot path. */
	if ((b->failed || len >= b->cap - b->len) && buf_grow(b, len) == -1)
		return -1;
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* Append a C string. */
int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Append one byte. */
int
buf_addc(struct buf *b, char c)
{
	if ((b->failed || b->len + 1 >= b->cap) && buf_grow(b, 1) == -1)
		return -1;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return 0;
}

/* Append formatted text. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) == -1) {
		b->failed = 1;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

/* Make room for n more bytes. */
char *
buf_space(struct buf *b, size_t n)
{
	if (buf_grow(b, n) == -1)
		return NULL;
	return b->data + b->len;
}

/* Take n written bytes into the content. */
void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

/* Cut the content to len bytes. */
void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* Return the content as a C string. */
const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : buf_empty;
}

/* Tell whether an append failed. */
int
buf_failed(const struct buf *b)
{
	return b->failed;
}

/* Hand the content to the caller. */
char *
buf_steal(struct buf *b, size_t *lenp)
{
	char *p;

	if (b->failed)
		return NULL;
	if (b->data == NULL && buf_grow(b, 0) == -1)
		return NULL;
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
