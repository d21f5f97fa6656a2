/*
 * json — the few pieces of JSON writing the digests and tools need.
 *
 * Pure core. Output is compact JSON; strings are escaped as RFC 8259
 * requires and must be valid UTF-8 on input (text_* guarantees that).
 */
#ifndef NEWSDIGEST_JSON_H
#define NEWSDIGEST_JSON_H

#include <stddef.h>

#include "newsdigest/buf.h"

/* Append s (len bytes) as a quoted JSON string. Returns 0 or -1. */
int json_string(struct buf *out, const char *s, size_t len);
/* Append "key": — a quoted key and a colon, preceded by a comma unless first. */
int json_key(struct buf *out, const char *key, int first);

#endif
