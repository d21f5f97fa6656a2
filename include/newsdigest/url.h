/*
 * url — make a feed's relative links absolute.
 *
 * Pure core. Enough of RFC 3986 §5.2 for the links feeds carry: absolute
 * references kept, network-path ("//host/x"), absolute-path ("/x"),
 * relative-path ("x", "../x") and query- or fragment-only references
 * resolved against a base, with dot segments removed.
 */
#ifndef NEWSDIGEST_URL_H
#define NEWSDIGEST_URL_H

#include <stddef.h>

#include "newsdigest/buf.h"

/*
 * Append ref (len bytes) resolved against base (a C string; NULL or ""
 * when there is none) to out. A ref with a scheme, or any ref when base
 * has no scheme, is appended as it is. Returns 0 or -1 (out failed).
 */
int url_resolve(struct buf *out, const char *base, const char *ref, size_t len);

/*
 * Append to out the base for the relative links of a document fetched
 * from url (NULL when unknown): its Content-Location resolved against
 * url when that gives an http or https URL (a javascript: or data: one is
 * ignored), as feed readers have long used it; else url itself. Returns
 * 0 or -1 (out failed).
 */
int url_document_base(struct buf *out, const char *url, const char *content_location);

/* Return the length of the scheme and its ':' at s ("http:" is 5), or 0. */
size_t url_scheme_len(const char *s, size_t len);

#endif
