/* url — relative references resolved against a base (RFC 3986 §5.2). */
#include <string.h>
#include <strings.h>

#include "newsdigest/url.h"

/* Return the length of the scheme and its ':', or 0. */
size_t
url_scheme_len(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (c == ':')
			return i + 1;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return 0;
}

/* Return the length of "scheme://authority" at the start of base. */
static size_t
url_authority_end(const char *base, size_t scheme)
{
	size_t i = scheme;

	if (base[i] != '/' || base[i + 1] != '/')
		return scheme;
	for (i += 2; base[i] != '\0' && base[i] != '/' && base[i] != '?' && base[i] != '#'; i++)
		;
	return i;
}

/*
 * Append path (len bytes, starting with '/') to out without its "." and
 * ".." segments; out already holds the prefix that must stay (from).
 */
static void
url_append_path(struct buf *out, size_t from, const char *path, size_t len)
{
	size_t i = 0, seg, end;

	while (i < len) {
		/* path[i] is '/'; the segment runs to the next '/' or the end. */
		seg = i + 1;
		for (end = seg; end < len && path[end] != '/'; end++)
			;
		if (end - seg == 1 && path[seg] == '.') {
			if (end == len)
				buf_addc(out, '/');
		} else if (end - seg == 2 && path[seg] == '.' && path[seg + 1] == '.') {
			while (out->len > from && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > from)
				out->len--;
			out->data[out->len] = '\0';
			if (end == len)
				buf_addc(out, '/');
		} else {
			buf_add(out, path + i, end - i);
		}
		i = end;
	}
}

/* Resolve ref against base. */
int
url_resolve(struct buf *out, const char *base, const char *ref, size_t len)
{
	size_t bscheme, auth, blen, qpos, rpath, dir;
	struct buf path;

	bscheme = base != NULL ? url_scheme_len(base, strlen(base)) : 0;
	if (url_scheme_len(ref, len) > 0 || bscheme == 0)
		return buf_add(out, ref, len);
	blen = strlen(base);
	auth = url_authority_end(base, bscheme);
	if (len >= 2 && ref[0] == '/' && ref[1] == '/') {
		buf_add(out, base, bscheme);
		return buf_add(out, ref, len);
	}
	/* Where the base's path ends: before its query or fragment. */
	for (qpos = auth; qpos < blen && base[qpos] != '?' && base[qpos] != '#'; qpos++)
		;
	if (len == 0 || ref[0] == '#') {
		for (dir = qpos; dir < blen && base[dir] != '#'; dir++)
			;
		buf_add(out, base, dir);
		return buf_add(out, ref, len);
	}
	if (ref[0] == '?') {
		buf_add(out, base, qpos);
		return buf_add(out, ref, len);
	}
	buf_add(out, base, auth);
	/* The query or fragment of ref is kept as it is. */
	for (rpath = 0; rpath < len && ref[rpath] != '?' && ref[rpath] != '#'; rpath++)
		;
	buf_init(&path, 0);
	if (ref[0] == '/') {
		buf_add(&path, ref, rpath);
	} else {
		/* Merge: the base's path up to its last '/', then ref. */
		for (dir = qpos; dir > auth && base[dir - 1] != '/'; dir--)
			;
		if (dir == auth)
			buf_addc(&path, '/');
		else
			buf_add(&path, base + auth, dir - auth);
		buf_add(&path, ref, rpath);
	}
	if (!buf_failed(&path))
		url_append_path(out, out->len, path.data, path.len);
	buf_free(&path);
	return buf_add(out, ref + rpath, len - rpath);
}

/* Return 1 when s starts with an http: or https: scheme. */
static int
url_is_web(const char *s, size_t len)
{
	size_t n = url_scheme_len(s, len);

	return (n == 5 && strncasecmp(s, "http:", 5) == 0) ||
	    (n == 6 && strncasecmp(s, "https:", 6) == 0);
}

/* Append the base of a document fetched from url. */
int
url_document_base(struct buf *out, const char *url, const char *content_location)
{
	size_t start = out->len;

	if (content_location != NULL && *content_location != '\0') {
		if (url_resolve(out, url, content_location, strlen(content_location)) == -1)
			return -1;
		if (url_is_web(out->data + start, out->len - start))
			return 0;
		buf_truncate(out, start);
	}
	return url != NULL ? buf_adds(out, url) : 0;
}
