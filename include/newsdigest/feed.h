/*
 * feed — read RSS, Atom and JSON Feed from bytes, as they arrive.
 *
 * Pure core: the parser is fed byte chunks (from a file, a curl write
 * callback, a fuzzer) and calls back once per complete item. Memory does
 * not grow with the size of the feed: only the item being read is held,
 * and every field is capped. Expat does the XML, with its billion-laughs
 * protection on; no external entity or DTD is ever loaded. HTML entities
 * that a feed uses without declaring them (&nbsp; in RSS) are decoded
 * rather than failing the feed.
 *
 * Text fields come out as plain UTF-8 text: markup stripped, entities
 * decoded, white space collapsed. summary and content keep paragraph
 * breaks as '\n' for the summariser.
 */
#ifndef NEWSDIGEST_FEED_H
#define NEWSDIGEST_FEED_H

#include <stddef.h>
#include <stdint.h>

#define FEED_NO_DATE INT64_MIN
#define FEED_MAX_LANGUAGE 15	/* bytes of a declared language code */

enum feed_format {
	FEED_FORMAT_UNKNOWN = 0,
	FEED_FORMAT_RSS09X,	/* RSS 0.90-0.94 */
	FEED_FORMAT_RSS10,	/* RSS 1.0 (RDF) */
	FEED_FORMAT_RSS20,
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_JSONFEED,	/* 1.0 and 1.1 */
	FEED_FORMAT_CDF,	/* Microsoft's Channel Definition Format */
};

/* One item as the feed gives it. All strings are borrowed from the parser. */
struct feed_item {
	const char *id;		/* guid / atom:id; else link; else hash of title+date */
	const char *title;	/* "" when absent */
	const char *link;	/* "" when absent */
	const char *author;	/* name, "" when absent */
	const char *author_email;
	const char *source;	/* RSS <source>: the site it is from (aggregators), "" when absent */
	const char *summary;	/* description / atom:summary */
	const char *content;	/* content:encoded / atom:content */
	const char *const *categories;
	size_t ncategories;
	int64_t published;	/* Unix seconds or FEED_NO_DATE */
	int64_t updated;	/* Unix seconds or FEED_NO_DATE */
};

/* The feed's own metadata, complete once the parse has finished. */
struct feed_info {
	const char *title;
	const char *link;
	const char *description;
	const char *author;
	const char *author_email;
	const char *const *categories;
	size_t ncategories;
	int64_t updated;	/* Unix seconds or FEED_NO_DATE */
	int64_t ttl;		/* RSS <ttl> in seconds, or 0 */
	const char *language;	/* the code declared, or "": see feed_parser_language() */
};

struct feed_limits {
	size_t max_items;	/* items past this are ignored (warning) */
	size_t max_text;	/* bytes of one field's raw text */
	unsigned max_depth;	/* element nesting */
};

#define FEED_DEFAULT_MAX_ITEMS 500
#define FEED_DEFAULT_MAX_TEXT ((size_t)256 << 10)
#define FEED_DEFAULT_MAX_DEPTH 64

/*
 * Called once per complete item, in document order. The item and its
 * strings are valid only during the call. Return 0 to go on, -1 to stop
 * the parse (feed_parser_finish() then reports "stopped").
 */
typedef int (*feed_item_cb)(void *arg, const struct feed_item *item);

struct feed_parser;

/*
 * Create a parser. limits may be NULL for the defaults. content_type is
 * the HTTP Content-Type or NULL; its charset, when expat or our tables
 * know it, outranks the XML declaration (RFC 3023). Besides what expat
 * reads itself (UTF-8, UTF-16, ISO-8859-1, US-ASCII), the windows-125x,
 * ISO-8859-x, KOI8 and Mac single-byte sets are understood. Returns NULL
 * when out of memory. Free with feed_parser_free().
 */
struct feed_parser *feed_parser_new(const struct feed_limits *limits, const char *content_type,
    feed_item_cb cb, void *arg);
/*
 * Set the URL the document came from (copied): relative links are
 * resolved against it, or against an xml:base in force. Call it before
 * the first write. Returns 0, or -1 when out of memory.
 */
int feed_parser_set_url(struct feed_parser *p, const char *url);
/* Free the parser; NULL does nothing. */
void feed_parser_free(struct feed_parser *p);
/*
 * Parse the next len bytes. Returns 0, or -1 when the parse failed or was
 * stopped (see feed_parser_error()); further calls then return -1.
 */
int feed_parser_write(struct feed_parser *p, const char *data, size_t len);
/* Signal the end of the input. Returns 0 when the feed was read, else -1. */
int feed_parser_finish(struct feed_parser *p);
/* Return a description of the failure ("line 3, column 7: ..."), or NULL. */
const char *feed_parser_error(const struct feed_parser *p);
/* Return the feed's metadata (borrowed, valid until feed_parser_free()). */
const struct feed_info *feed_parser_info(const struct feed_parser *p);
/*
 * Return the language the feed declares for itself, so far (borrowed,
 * valid until feed_parser_free()), or "" when none yet: RSS <language> or
 * <dc:language> as a child of the channel (never an item's), xml:lang on
 * the root element (Atom's <feed>) or on the RSS channel, a JSON Feed's
 * top-level "language". The first declaration wins. Only a code is taken:
 * a primary subtag of 2-3 ASCII letters, then subtags of 1-8 letters or
 * digits after '-' or '_', FEED_MAX_LANGUAGE bytes at most, white space
 * around it trimmed; case and separators are kept as the feed wrote them
 * ("en-US", "pt_BR", "DE"). Anything else ("English", "en us", "") is as
 * if nothing were declared. lang_new() takes any of these as it is: it
 * reads the primary subtag, lower-cased.
 *
 * The item callback may call it: in RSS and Atom the channel's language
 * normally comes before the first item; one declared after an item is
 * seen only from then on (and in feed_info at the end). A JSON Feed is
 * read whole at feed_parser_finish(), so its language is known before
 * the first item is handed on.
 */
const char *feed_parser_language(const struct feed_parser *p);
/* Return the format detected from the root element. */
enum feed_format feed_parser_format(const struct feed_parser *p);
/*
 * Return the character encoding in force: the HTTP charset when one was
 * given and known, else the XML declaration's, else "utf-8" (borrowed).
 */
const char *feed_parser_encoding(const struct feed_parser *p);
/*
 * Return 1 when the input was not well-formed but was read anyway: text
 * before the document, bytes that are not UTF-8 in a UTF-8 document (read
 * as windows-1252), control characters, undeclared entities.
 */
int feed_parser_recovered(const struct feed_parser *p);
/* Return the i-th reason for recovered (borrowed), or NULL past the last. */
const char *feed_parser_warning(const struct feed_parser *p, size_t i);
/* Return the number of items passed to the callback. */
size_t feed_parser_items(const struct feed_parser *p);
/* Return 1 when items were dropped because of max_items. */
int feed_parser_truncated(const struct feed_parser *p);
/* Return the name of a format ("rss2.0", "atom1.0", ...). */
const char *feed_format_name(enum feed_format f);

/*
 * Parse a whole buffer: a convenience over the calls above. Returns 0 or
 * -1; on -1 the reason is copied into errbuf (errlen bytes) when errbuf
 * is not NULL.
 */
int feed_parse_buffer(const char *data, size_t len, const char *content_type,
    feed_item_cb cb, void *arg, char *errbuf, size_t errlen);

#endif
