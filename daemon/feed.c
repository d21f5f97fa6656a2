/*
 * feed — a streaming RSS/Atom reader on expat.
 *
 * Expat reports elements as "namespace-URI local-name"; we classify each
 * one by namespace and position (child of the channel, of an item, of an
 * Atom person) and capture the text of the fields we want into one
 * capped buffer. Child elements inside a captured field (XHTML content,
 * or HTML that a feed put in unescaped) are written back as markup so
 * that text_from_html() sees the paragraphs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <expat.h>
#include <iconv.h>

#include "newsdigest/buf.h"
#include "newsdigest/date.h"
#include "newsdigest/feed.h"
#include "newsdigest/hash.h"
#include "newsdigest/text.h"
#include "newsdigest/url.h"

#include "charsets.h"

#define FEED_MAX_CATEGORIES 16
#define FEED_MAX_JSON ((size_t)16 << 20)	/* a JSON Feed is read whole */

enum feed_mode { FEED_MODE_UNDECIDED, FEED_MODE_XML, FEED_MODE_JSON };
#define FEED_MAX_WARNINGS 8
#define FEED_MAX_BASES 8
#define FEED_FIX_BYTES 0x1	/* bytes that are not UTF-8 */
#define FEED_FIX_CONTROLS 0x2	/* control characters XML forbids */
#define FEED_FIX_HEXREF 0x4	/* "&#X41;" */	/* nested xml:base attributes we follow */
#define FEED_XML_BASE "http://www.w3.org/XML/1998/namespace base"
#define FEED_XML_LANG "http://www.w3.org/XML/1998/namespace lang"
#define FEED_NS_SEP ' '

enum feed_ns {
	FEED_NS_NONE,		/* RSS 0.9x and 2.0 elements */
	FEED_NS_ATOM10,
	FEED_NS_ATOM03,
	FEED_NS_RSS10,
	FEED_NS_RSS090,
	FEED_NS_RDF,
	FEED_NS_CONTENT,
	FEED_NS_DC,
	FEED_NS_MEDIA,
	FEED_NS_DCTERMS,
	FEED_NS_ITUNES,
	FEED_NS_XHTML,
	FEED_NS_OTHER,
};

static const struct {
	const char *uri;
	enum feed_ns ns;
} feed_namespaces[] = {
	{ "http://www.w3.org/2005/Atom", FEED_NS_ATOM10 },
	{ "http://purl.org/atom/ns#", FEED_NS_ATOM03 },
	{ "http://purl.org/rss/1.0/", FEED_NS_RSS10 },
	{ "http://my.netscape.com/rdf/simple/0.9/", FEED_NS_RSS090 },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", FEED_NS_RDF },
	{ "http://purl.org/rss/1.0/modules/content/", FEED_NS_CONTENT },
	{ "http://purl.org/dc/elements/1.1/", FEED_NS_DC },
	{ "http://search.yahoo.com/mrss/", FEED_NS_MEDIA },
	{ "http://search.yahoo.com/mrss", FEED_NS_MEDIA },
	{ "http://purl.org/dc/terms/", FEED_NS_DCTERMS },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", FEED_NS_ITUNES },
	{ "http://www.itunes.com/DTDs/Podcast-1.0.dtd", FEED_NS_ITUNES },
	{ "http://www.w3.org/1999/xhtml", FEED_NS_XHTML },
};

/* What a captured element becomes. */
enum feed_field {
	FEED_F_NONE,
	FEED_F_TITLE,
	FEED_F_LINK,
	FEED_F_ID,
	FEED_F_AUTHOR,
	FEED_F_EMAIL,
	FEED_F_SUMMARY,
	FEED_F_CONTENT,
	FEED_F_MEDIA,		/* media:description, a summary of last resort */
	FEED_F_ABOUT,		/* RSS 1.0 rdf:about, an id of last resort */
	FEED_F_SOURCE,		/* RSS <source>: the site an aggregator took the item from */
	FEED_F_NSTR,		/* the string slots end here */
	FEED_F_AUTHOR_RSS = FEED_F_NSTR, /* "Name (mail@example.org)" and its kin */
	FEED_F_CATEGORY,
	FEED_F_PUBLISHED,
	FEED_F_UPDATED,
	FEED_F_DCDATE,		/* dc:date: updated, and published unless given */
	FEED_F_KEYWORDS,	/* itunes:keywords: categories, comma-separated */
	FEED_F_TTL,
	FEED_F_LANGUAGE,	/* the channel's <language> or <dc:language> */
};

enum feed_kind { FEED_KIND_TEXT, FEED_KIND_HTML, FEED_KIND_XHTML };

/* The item being read, or the feed's own fields. */
struct feed_slots {
	char *str[FEED_F_NSTR];
	int link_rank;
	char *cats[FEED_MAX_CATEGORIES];
	size_t ncats;
	int64_t published;
	int64_t updated;
	int published_given;	/* by an element meant for it, not dc:date */
	int guid_not_link;	/* <guid isPermaLink="false"> */
	int64_t ttl;
};

struct feed_parser {
	XML_Parser xp;
	struct feed_limits lim;
	feed_item_cb cb;
	void *arg;
	enum feed_format format;
	unsigned depth;
	unsigned channel_depth;	/* depth of channel / atom feed, 0 when none */
	unsigned item_depth;	/* depth of the open item, 0 when none */
	unsigned person_depth;	/* depth of an open atom author */
	/* the field being captured */
	unsigned cap_depth;	/* 0 when not capturing */
	enum feed_field cap_field;
	enum feed_kind cap_kind;
	int cap_base64;		/* the text is base64 of what cap_kind says */
	int cap_children;	/* child elements were written back as markup */
	int cap_item;		/* capturing for the item, not the feed */
	struct buf cap;
	struct buf tmp;
	struct feed_slots item;
	struct feed_slots chan;
	struct feed_info info;
	char language[FEED_MAX_LANGUAGE + 1];	/* the first code declared, or "" */
	enum feed_mode mode;
	int xml_started;	/* the first '<' was seen */
	int utf32;		/* 1: UTF-32LE, 2: UTF-32BE, turned into UTF-8 */
	int repair;		/* UTF-8 document: repair bytes before expat sees them */
	char pend[4];		/* an incomplete UTF-8 sequence at a chunk's end */
	size_t npend;
	struct buf fix;		/* the repaired chunk */
	int recovered;		/* read although not well-formed */
	int has_doctype;
	char warnings[FEED_MAX_WARNINGS][96];
	size_t nwarnings;
	char root_uri[128];	/* an unknown namespace the root element uses */
	enum feed_ns root_as;	/* ... read as this one */
	int none_is_atom;	/* un-namespaced elements are Atom's */
	char *doc_url;		/* where the document came from, or NULL */
	struct {
		unsigned depth;	/* of the element that set it */
		char *url;
	} bases[FEED_MAX_BASES];	/* xml:base in force, innermost last */
	size_t nbases;
	struct buf url;		/* a link being resolved */
	struct buf json;	/* JSON Feed body, or the white space before a decision */
	size_t nitems;
	int truncated;
	int done;		/* stopped on purpose: ignore the rest */
	int failed;
	char err[256];
	char encoding[32];	/* the one in force, normalised for display */
	/*
	 * HTTP said US-ASCII, outright or by RFC 3023's default for text/xml.
	 * It is reported while every byte is ASCII (where it and the document's
	 * own encoding agree); a byte past ASCII shows the server wrong, and
	 * the document is read by its own declaration. 1: by default, 2: said.
	 */
	int http_ascii;
	int non_ascii;		/* a byte >= 0x80 was seen */
};

/* Map a namespace URI to our enum. */
static enum feed_ns
feed_ns_lookup(const char *uri, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof feed_namespaces / sizeof feed_namespaces[0]; i++)
		if (strlen(feed_namespaces[i].uri) == len &&
		    memcmp(feed_namespaces[i].uri, uri, len) == 0)
			return feed_namespaces[i].ns;
	return FEED_NS_OTHER;
}

/* Split an expat name "uri local" into namespace and local name. */
static const char *
feed_split_name(const char *name, enum feed_ns *ns)
{
	const char *sep = strchr(name, FEED_NS_SEP);

	if (sep == NULL) {
		*ns = FEED_NS_NONE;
		return name;
	}
	*ns = feed_ns_lookup(name, (size_t)(sep - name));
	return sep + 1;
}

/*
 * Split an element name, reading the root's unknown namespace (an RSS 2.0
 * with its own xmlns, a pre-1.0 Atom draft) as the family the root is of.
 */
static const char *
feed_name(const struct feed_parser *p, const char *name, enum feed_ns *ns)
{
	const char *local = feed_split_name(name, ns);
	size_t n = (size_t)(local - name) - 1;

	if (*ns == FEED_NS_OTHER && p->root_uri[0] != '\0' && strlen(p->root_uri) == n &&
	    memcmp(p->root_uri, name, n) == 0)
		*ns = p->root_as;
	else if (*ns == FEED_NS_NONE && p->none_is_atom)
		*ns = FEED_NS_ATOM03;
	return local;
}

/* Return the value of the attribute with the given local name, or NULL. */
static const char *
feed_attr(const char **attrs, const char *local)
{
	enum feed_ns ns;
	size_t i;

	for (i = 0; attrs[i] != NULL; i += 2)
		if (strcmp(feed_split_name(attrs[i], &ns), local) == 0)
			return attrs[i + 1];
	return NULL;
}

/* Return the value of the attribute with the full expat name "uri local", or NULL. */
static const char *
feed_attr_ns(const char **attrs, const char *name)
{
	size_t i;

	for (i = 0; attrs[i] != NULL; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

/* Release the strings of a slot set and clear it. */
static void
feed_slots_clear(struct feed_slots *s)
{
	size_t i;

	for (i = 0; i < FEED_F_NSTR; i++)
		free(s->str[i]);
	for (i = 0; i < s->ncats; i++)
		free(s->cats[i]);
	memset(s, 0, sizeof *s);
	s->published = FEED_NO_DATE;
	s->updated = FEED_NO_DATE;
}

/* Fail the parse with a message, stopping expat. */
static void
feed_fail(struct feed_parser *p, const char *msg)
{
	if (!p->failed) {
		p->failed = 1;
		if (p->mode == FEED_MODE_XML)
			snprintf(p->err, sizeof p->err, "line %lu, column %lu: %s",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp), msg);
		else
			snprintf(p->err, sizeof p->err, "%s", msg);
	}
	if (p->mode == FEED_MODE_XML)
		XML_StopParser(p->xp, XML_FALSE);
}

/* Note that the input is not well-formed but was read; keep the reason once. */
static void
feed_recover(struct feed_parser *p, const char *why)
{
	size_t i;

	p->recovered = 1;
	for (i = 0; i < p->nwarnings; i++)
		if (strcmp(p->warnings[i], why) == 0)
			return;
	if (p->nwarnings < FEED_MAX_WARNINGS)
		snprintf(p->warnings[p->nwarnings++], sizeof p->warnings[0], "%s", why);
}

/* Store a copy of text in a string slot unless it already holds one. */
static void
feed_slot_set(struct feed_parser *p, char **slot, const char *text, size_t len)
{
	if (*slot != NULL && **slot != '\0')
		return;
	free(*slot);
	if ((*slot = malloc(len + 1)) == NULL) {
		feed_fail(p, "out of memory");
		return;
	}
	memcpy(*slot, text, len);
	(*slot)[len] = '\0';
}

/* Start capturing the text of the current element into field. */
static void
feed_capture(struct feed_parser *p, enum feed_field field, enum feed_kind kind, int in_item)
{
	p->cap_depth = p->depth;
	p->cap_field = field;
	p->cap_kind = kind;
	p->cap_base64 = 0;
	p->cap_children = 0;
	p->cap_item = in_item;
	buf_reset(&p->cap);
}

/* Return the kind of an Atom text construct from its type/mode attributes. */
static enum feed_kind
feed_atom_kind(const char **attrs)
{
	const char *type = feed_attr(attrs, "type");
	const char *mode = feed_attr(attrs, "mode");

	if (mode != NULL && strcmp(mode, "escaped") == 0)
		return FEED_KIND_HTML;
	if (type == NULL || strcmp(type, "text") == 0 || strcmp(type, "text/plain") == 0)
		return mode != NULL && strcmp(mode, "xml") == 0 ? FEED_KIND_XHTML : FEED_KIND_TEXT;
	if (strcmp(type, "html") == 0 || strcmp(type, "text/html") == 0)
		return FEED_KIND_HTML;
	if (strcmp(type, "xhtml") == 0 || strcmp(type, "application/xhtml+xml") == 0)
		return FEED_KIND_XHTML;
	return FEED_KIND_HTML;
}

/*
 * Start capturing an Atom text construct: its kind from type and mode;
 * mode="base64" (Atom 0.3), or a type that is neither text nor XML (Atom
 * 1.0), means base64.
 */
static void
feed_capture_atom(struct feed_parser *p, enum feed_field field, const char **attrs, int in_item)
{
	const char *mode = feed_attr(attrs, "mode");
	const char *type = feed_attr(attrs, "type");
	int b64 = mode != NULL && strcmp(mode, "base64") == 0;

	if (mode == NULL && type != NULL && strchr(type, '/') != NULL &&
	    strncmp(type, "text/", 5) != 0 && strstr(type, "xml") == NULL)
		b64 = 1;
	feed_capture(p, field, feed_atom_kind(attrs), in_item);
	p->cap_base64 = b64;
}

/* Rank a link by its rel: the article's own page first. */
static int
feed_link_rank(const char *rel)
{
	if (rel == NULL || strcmp(rel, "alternate") == 0)
		return 3;
	if (strcmp(rel, "enclosure") == 0 || strcmp(rel, "self") == 0 ||
	    strcmp(rel, "hub") == 0 || strcmp(rel, "replies") == 0)
		return 0;
	return 1;
}

/* Keep link when it ranks above the one the slots hold. */
static void
feed_offer_link(struct feed_parser *p, struct feed_slots *s, const char *link, size_t len,
    int rank)
{
	const char *base;

	if (len == 0 || rank <= s->link_rank)
		return;
	free(s->str[FEED_F_LINK]);
	s->str[FEED_F_LINK] = NULL;
	s->link_rank = rank;
	/* Relative links are resolved against xml:base, else the document's URL. */
	base = p->nbases > 0 ? p->bases[p->nbases - 1].url : p->doc_url;
	buf_reset(&p->url);
	if (url_resolve(&p->url, base, link, len) == -1) {
		feed_fail(p, "out of memory");
		return;
	}
	feed_slot_set(p, &s->str[FEED_F_LINK], p->url.data, p->url.len);
}

/* Follow an xml:base attribute of the element at the current depth. */
static void
feed_push_base(struct feed_parser *p, const char **attrs)
{
	const char *v = feed_attr_ns(attrs, FEED_XML_BASE), *base;
	char *copy;

	if (v == NULL || p->nbases == FEED_MAX_BASES)
		return;
	base = p->nbases > 0 ? p->bases[p->nbases - 1].url : p->doc_url;
	buf_reset(&p->url);
	url_resolve(&p->url, base, v, strlen(v));
	if ((copy = buf_steal(&p->url, NULL)) == NULL)
		return;
	p->bases[p->nbases].depth = p->depth;
	p->bases[p->nbases++].url = copy;
}

/* Add a category unless it is empty, a repeat (in any case), or one too many. */
static void
feed_add_category(struct feed_parser *p, struct feed_slots *s, const char *text, size_t len)
{
	size_t i;

	if (len == 0 || s->ncats == FEED_MAX_CATEGORIES)
		return;
	for (i = 0; i < s->ncats; i++)
		if (strlen(s->cats[i]) == len && strncasecmp(s->cats[i], text, len) == 0)
			return;
	s->cats[s->ncats] = NULL;
	feed_slot_set(p, &s->cats[s->ncats], text, len);
	if (s->cats[s->ncats] != NULL)
		s->ncats++;
}

/* Return 1 for an ASCII letter, or a digit when digits is set. */
static int
feed_lang_char(char c, int digits)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (digits && c >= '0' && c <= '9');
}

/*
 * Take s as the feed's language unless one was declared before: trimmed,
 * and only when it is a code ("en", "en-US", "pt_BR", "zh-Hant-TW"): a
 * primary subtag of 2-3 letters, then subtags of 1-8 letters or digits.
 */
static void
feed_set_language(struct feed_parser *p, const char *s, size_t len)
{
	size_t i, run = 0, sub = 0;

	if (p->language[0] != '\0')
		return;
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
	    s[len - 1] == '\n'))
		len--;
	if (len == 0 || len > FEED_MAX_LANGUAGE)
		return;
	for (i = 0; i <= len; i++) {
		if (i < len && feed_lang_char(s[i], sub > 0)) {
			run++;
			continue;
		}
		/* A subtag ends: the primary one 2-3 letters, the others 1-8. */
		if (sub == 0 ? run < 2 || run > 3 : run < 1 || run > 8)
			return;
		if (i < len && s[i] != '-' && s[i] != '_')
			return;
		run = 0;
		sub++;
	}
	memcpy(p->language, s, len);
	p->language[len] = '\0';
}

/* Take an xml:lang attribute as the feed's language. */
static void
feed_xml_lang(struct feed_parser *p, const char **attrs)
{
	const char *v = feed_attr_ns(attrs, FEED_XML_LANG);

	if (v != NULL)
		feed_set_language(p, v, strlen(v));
}

/* Clean attribute or element text into p->tmp as a one-line string. */
static void
feed_clean(struct feed_parser *p, const char *s, size_t len, enum feed_kind kind, unsigned flags)
{
	buf_reset(&p->tmp);
	if (kind == FEED_KIND_TEXT)
		text_clean(&p->tmp, s, len, flags);
	else
		text_from_html(&p->tmp, s, len, flags);
}

/* Return 1 for the characters around an e-mail address in an author line. */
static int
feed_author_delim(char c)
{
	return c == ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '"' || c == ',' ||
	    c == '[' || c == ']';
}

/* Trim spaces, brackets and quotes from both ends of t[*a..*b). */
static void
feed_author_trim(const char *t, size_t *a, size_t *b)
{
	while (*a < *b && feed_author_delim(t[*a]))
		(*a)++;
	while (*b > *a && feed_author_delim(t[*b - 1]))
		(*b)--;
}

/*
 * Split an author line into name and e-mail, as feeds write it: "Jane Doe
 * (jane@example.org)", "jane@example.org (Jane Doe)", "Jane Doe
 * <jane@example.org>", or a bare name or address.
 */
static void
feed_author(struct feed_parser *p, struct feed_slots *s, const char *t, size_t len)
{
	const char *at = memchr(t, '@', len);
	size_t a, b, l0 = 0, l1, r0, r1 = len;

	if (at == NULL) {
		feed_slot_set(p, &s->str[FEED_F_AUTHOR], t, len);
		return;
	}
	for (a = (size_t)(at - t); a > 0 && !feed_author_delim(t[a - 1]); a--)
		;
	for (b = (size_t)(at - t); b < len && !feed_author_delim(t[b]); b++)
		;
	l1 = a;
	if (b - a > 7 && strncmp(t + a, "mailto:", 7) == 0)
		a += 7;
	feed_slot_set(p, &s->str[FEED_F_EMAIL], t + a, b - a);
	r0 = b;
	feed_author_trim(t, &l0, &l1);
	feed_author_trim(t, &r0, &r1);
	if (l1 > l0)
		feed_slot_set(p, &s->str[FEED_F_AUTHOR], t + l0, l1 - l0);
	else if (r1 > r0)
		feed_slot_set(p, &s->str[FEED_F_AUTHOR], t + r0, r1 - r0);
}

/* Turn the captured text into its field. */
static void
feed_capture_end(struct feed_parser *p)
{
	struct feed_slots *s = p->cap_item ? &p->item : &p->chan;
	const char *raw = buf_str(&p->cap);
	size_t rawlen = p->cap.len;
	unsigned flags = 0;
	int64_t t;
	long ttl;
	char *end;

	p->cap_depth = 0;
	if (p->cap_field == FEED_F_SUMMARY || p->cap_field == FEED_F_CONTENT ||
	    p->cap_field == FEED_F_MEDIA)
		flags = TEXT_PARAGRAPHS;
	if (p->cap_base64) {
		/* Atom's mode="base64": decode in place, then read as its type says. */
		buf_reset(&p->tmp);
		text_base64(&p->tmp, raw, rawlen);
		buf_reset(&p->cap);
		buf_add(&p->cap, p->tmp.data, p->tmp.len);
		raw = buf_str(&p->cap);
		rawlen = p->cap.len;
	}
	/* Child elements in a "text" field are markup all the same. */
	feed_clean(p, raw, rawlen, p->cap_children ? FEED_KIND_HTML : p->cap_kind, flags);
	if (buf_failed(&p->tmp)) {
		feed_fail(p, "out of memory");
		return;
	}
	switch (p->cap_field) {
	case FEED_F_LINK:
		feed_offer_link(p, s, p->tmp.data, p->tmp.len, 2);
		break;
	case FEED_F_AUTHOR_RSS:
		feed_author(p, s, buf_str(&p->tmp), p->tmp.len);
		break;
	case FEED_F_CATEGORY:
		feed_add_category(p, s, buf_str(&p->tmp), p->tmp.len);
		break;
	case FEED_F_KEYWORDS: {
		const char *k = buf_str(&p->tmp), *stop = k + p->tmp.len, *comma;

		while (k < stop) {
			size_t a = 0, b;

			if ((comma = memchr(k, ',', (size_t)(stop - k))) == NULL)
				comma = stop;
			b = (size_t)(comma - k);
			while (a < b && k[a] == ' ')
				a++;
			while (b > a && k[b - 1] == ' ')
				b--;
			feed_add_category(p, s, k + a, b - a);
			k = comma + 1;
		}
		break;
	}
	case FEED_F_PUBLISHED:
	case FEED_F_UPDATED:
	case FEED_F_DCDATE:
		if (date_parse(buf_str(&p->tmp), p->tmp.len, &t) == -1)
			break;
		/* The last date given wins, as in feedparser. */
		if (p->cap_field == FEED_F_PUBLISHED)
			s->published = t;
		else
			s->updated = t;
		if (p->cap_field == FEED_F_DCDATE && !s->published_given)
			s->published = t;
		if (p->cap_field == FEED_F_PUBLISHED)
			s->published_given = 1;
		break;
	case FEED_F_TTL:
		ttl = strtol(buf_str(&p->tmp), &end, 10);
		if (end != buf_str(&p->tmp) && ttl > 0 && ttl < 60 * 24 * 365)
			s->ttl = (int64_t)ttl * 60;
		break;
	case FEED_F_LANGUAGE:
		feed_set_language(p, buf_str(&p->tmp), p->tmp.len);
		break;
	case FEED_F_NONE:
		break;
	default:
		if (p->tmp.len > 0)
			feed_slot_set(p, &s->str[p->cap_field], buf_str(&p->tmp), p->tmp.len);
		break;
	}
}

/* Append s to the capture with & and < escaped, as markup text. */
static void
feed_cap_escaped(struct feed_parser *p, const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '&' && s[i] != '<')
			continue;
		buf_add(&p->cap, s + run, i - run);
		buf_adds(&p->cap, s[i] == '&' ? "&amp;" : "&lt;");
		run = i + 1;
	}
	buf_add(&p->cap, s + run, len - run);
}

/*
 * Hand the item in p->item to the callback, then forget it. Returns -1
 * when the parse must stop: max_items reached (p->done) or the callback
 * said so (p->failed).
 */
static int
feed_emit(struct feed_parser *p)
{
	struct feed_slots *s = &p->item;
	struct feed_item it;
	char idbuf[32];
	uint64_t h;
	int64_t date;

	if (p->nitems == p->lim.max_items) {
		p->truncated = 1;
		p->done = 1;
		feed_slots_clear(s);
		return -1;
	}
	memset(&it, 0, sizeof it);
#define FEED_STR(i) (s->str[i] != NULL ? s->str[i] : "")
	it.title = FEED_STR(FEED_F_TITLE);
	it.link = FEED_STR(FEED_F_LINK);
	it.author = FEED_STR(FEED_F_AUTHOR);
	it.author_email = FEED_STR(FEED_F_EMAIL);
	it.source = FEED_STR(FEED_F_SOURCE);
	it.summary = s->str[FEED_F_SUMMARY] != NULL ? s->str[FEED_F_SUMMARY] : FEED_STR(FEED_F_MEDIA);
	it.content = FEED_STR(FEED_F_CONTENT);
	it.id = FEED_STR(FEED_F_ID);
#undef FEED_STR
	/* A guid that is a permalink is the link where the item has none. */
	if (*it.link == '\0' && !s->guid_not_link && url_scheme_len(it.id, strlen(it.id)) > 0 &&
	    strncmp(it.id, "http", 4) == 0)
		it.link = it.id;
	if (*it.id == '\0' && s->str[FEED_F_ABOUT] != NULL)
		it.id = s->str[FEED_F_ABOUT];
	if (*it.id == '\0')
		it.id = it.link;
	if (*it.id == '\0') {
		/* Neither guid nor link: the title and date are all there is. */
		date = s->published != FEED_NO_DATE ? s->published : s->updated;
		/* The date as decimal text: the same id on every byte order. */
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)date);
		h = hash_fnv1a(HASH_FNV_OFFSET, it.title, strlen(it.title) + 1);
		h = hash_fnv1a(h, idbuf, strlen(idbuf));
		snprintf(idbuf, sizeof idbuf, "hash:%016llx", (unsigned long long)h);
		it.id = idbuf;
	}
	it.categories = (const char *const *)s->cats;
	it.ncategories = s->ncats;
	it.published = s->published;
	it.updated = s->updated;
	p->nitems++;
	if (p->cb != NULL && p->cb(p->arg, &it) == -1) {
		p->failed = 1;
		snprintf(p->err, sizeof p->err, "stopped");
	}
	feed_slots_clear(s);
	return p->failed ? -1 : 0;
}

/* An item element ends: hand it on. */
static void
feed_item_end(struct feed_parser *p)
{
	p->item_depth = 0;
	if (feed_emit(p) == -1)
		XML_StopParser(p->xp, XML_FALSE);
}

/* Take a CDF element's HREF (the link) and LASTMOD (the update). */
static void
feed_cdf_attrs(struct feed_parser *p, struct feed_slots *s, const char **attrs)
{
	const char *v;
	int64_t t;

	if ((v = feed_attr(attrs, "HREF")) != NULL)
		feed_offer_link(p, s, v, strlen(v), 3);
	if ((v = feed_attr(attrs, "LASTMOD")) != NULL && date_parse(v, strlen(v), &t) == 0)
		s->updated = t;
}

/* Begin the root element: the feed's format. */
static void
feed_root(struct feed_parser *p, const char *name, enum feed_ns ns, const char *local,
    const char **attrs)
{
	const char *version;
	size_t n = (size_t)(local - name);

	if (ns == FEED_NS_NONE && strcmp(local, "feed") == 0) {
		/*
		 * An Atom feed that forgot its namespace: well-formed XML, so
		 * not "recovered", read as Atom as every reader does.
		 */
		p->none_is_atom = 1;
		ns = FEED_NS_ATOM03;
	}
	if (ns == FEED_NS_OTHER && n > 0 && n <= sizeof p->root_uri &&
	    (strcmp(local, "rss") == 0 || strcmp(local, "feed") == 0)) {
		/* Its own namespace: read it by its local names. */
		memcpy(p->root_uri, name, n - 1);
		p->root_uri[n - 1] = '\0';
		ns = p->root_as = local[0] == 'r' ? FEED_NS_NONE : FEED_NS_ATOM03;
	}
	if (ns == FEED_NS_NONE && strcmp(local, "CHANNEL") == 0) {
		/* Microsoft's Channel Definition Format (1997), still met now and then. */
		p->format = FEED_FORMAT_CDF;
		p->channel_depth = 1;
		feed_cdf_attrs(p, &p->chan, attrs);
		return;
	}
	if (ns == FEED_NS_NONE && strcmp(local, "rss") == 0) {
		version = feed_attr(attrs, "version");
		p->format = version != NULL && strncmp(version, "0.9", 3) == 0 ?
		    FEED_FORMAT_RSS09X : FEED_FORMAT_RSS20;
	} else if (ns == FEED_NS_RDF && strcmp(local, "RDF") == 0) {
		p->format = FEED_FORMAT_RSS10;
	} else if ((ns == FEED_NS_ATOM10 || ns == FEED_NS_ATOM03) && strcmp(local, "feed") == 0) {
		p->format = ns == FEED_NS_ATOM10 ? FEED_FORMAT_ATOM10 : FEED_FORMAT_ATOM03;
		p->channel_depth = 1;
	} else {
		feed_fail(p, "not an RSS or Atom feed");
	}
}

/* Handle an element inside an Atom author at the item or feed level. */
static void
feed_person_child(struct feed_parser *p, enum feed_ns ns, const char *local, int in_item)
{
	if (ns != FEED_NS_ATOM10 && ns != FEED_NS_ATOM03)
		return;
	if (strcmp(local, "name") == 0)
		feed_capture(p, FEED_F_AUTHOR, FEED_KIND_TEXT, in_item);
	else if (strcmp(local, "email") == 0)
		feed_capture(p, FEED_F_EMAIL, FEED_KIND_TEXT, in_item);
}

/* Handle a child of an item or of the channel. */
static void
feed_child(struct feed_parser *p, enum feed_ns ns, const char *local, const char **attrs,
    int in_item)
{
	struct feed_slots *s = in_item ? &p->item : &p->chan;
	const char *v;
	int atom = ns == FEED_NS_ATOM10 || ns == FEED_NS_ATOM03;
	int rss = ns == FEED_NS_NONE || ns == FEED_NS_RSS10 || ns == FEED_NS_RSS090;

	if (atom) {
		if (strcmp(local, "title") == 0)
			feed_capture_atom(p, FEED_F_TITLE, attrs, in_item);
		else if (strcmp(local, "summary") == 0 || strcmp(local, "subtitle") == 0 ||
		    strcmp(local, "tagline") == 0)
			feed_capture_atom(p, FEED_F_SUMMARY, attrs, in_item);
		else if (strcmp(local, "content") == 0)
			feed_capture_atom(p, FEED_F_CONTENT, attrs, in_item);
		else if (strcmp(local, "id") == 0)
			feed_capture(p, FEED_F_ID, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "published") == 0 || strcmp(local, "issued") == 0 ||
		    strcmp(local, "created") == 0)
			feed_capture(p, FEED_F_PUBLISHED, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "updated") == 0 || strcmp(local, "modified") == 0)
			feed_capture(p, FEED_F_UPDATED, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "author") == 0)
			p->person_depth = p->depth;
		else if (strcmp(local, "link") == 0) {
			if ((v = feed_attr(attrs, "href")) != NULL)
				feed_offer_link(p, s, v, strlen(v),
				    feed_link_rank(feed_attr(attrs, "rel")));
		} else if (strcmp(local, "category") == 0) {
			if ((v = feed_attr(attrs, "label")) == NULL)
				v = feed_attr(attrs, "term");
			if (v != NULL) {
				feed_clean(p, v, strlen(v), FEED_KIND_TEXT, 0);
				feed_add_category(p, s, buf_str(&p->tmp), p->tmp.len);
			}
		}
		return;
	}
	if (p->format == FEED_FORMAT_CDF && ns == FEED_NS_NONE) {
		if (strcmp(local, "TITLE") == 0)
			feed_capture(p, FEED_F_TITLE, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "ABSTRACT") == 0)
			feed_capture(p, FEED_F_SUMMARY, FEED_KIND_HTML, in_item);
		return;
	}
	if (rss) {
		if (strcmp(local, "title") == 0)
			feed_capture(p, FEED_F_TITLE, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "link") == 0)
			feed_capture(p, FEED_F_LINK, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "description") == 0)
			feed_capture(p, FEED_F_SUMMARY, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "guid") == 0) {
			v = feed_attr(attrs, "isPermaLink");
			s->guid_not_link = v != NULL && strcmp(v, "false") == 0;
			feed_capture(p, FEED_F_ID, FEED_KIND_TEXT, in_item);
		}
		else if (strcmp(local, "pubDate") == 0)
			feed_capture(p, FEED_F_PUBLISHED, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "lastBuildDate") == 0)
			feed_capture(p, FEED_F_UPDATED, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "author") == 0 || strcmp(local, "managingEditor") == 0)
			feed_capture(p, FEED_F_AUTHOR_RSS, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "category") == 0)
			feed_capture(p, FEED_F_CATEGORY, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "source") == 0 && in_item)
			feed_capture(p, FEED_F_SOURCE, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "ttl") == 0 && !in_item)
			feed_capture(p, FEED_F_TTL, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "language") == 0 && !in_item)
			feed_capture(p, FEED_F_LANGUAGE, FEED_KIND_TEXT, in_item);
		else if ((strcmp(local, "body") == 0 || strcmp(local, "fullitem") == 0) &&
		    in_item && s->str[FEED_F_CONTENT] == NULL)
			/* Early full-text extensions: an XHTML body, escaped HTML. */
			feed_capture(p, FEED_F_CONTENT, FEED_KIND_HTML, in_item);
		return;
	}
	switch (ns) {
	case FEED_NS_DC:
		if (strcmp(local, "creator") == 0 || strcmp(local, "author") == 0)
			feed_capture(p, FEED_F_AUTHOR_RSS, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "date") == 0)
			feed_capture(p, FEED_F_DCDATE, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "subject") == 0)
			feed_capture(p, FEED_F_CATEGORY, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "description") == 0)
			feed_capture(p, FEED_F_SUMMARY, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "title") == 0)
			feed_capture(p, FEED_F_TITLE, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "language") == 0 && !in_item)
			feed_capture(p, FEED_F_LANGUAGE, FEED_KIND_TEXT, in_item);
		break;
	case FEED_NS_CONTENT:
		if (strcmp(local, "encoded") == 0)
			feed_capture(p, FEED_F_CONTENT, FEED_KIND_HTML, in_item);
		break;
	case FEED_NS_XHTML:
		if (strcmp(local, "body") == 0 && in_item && s->str[FEED_F_CONTENT] == NULL)
			feed_capture(p, FEED_F_CONTENT, FEED_KIND_HTML, in_item);
		break;
	case FEED_NS_MEDIA:
		if (strcmp(local, "description") == 0 && in_item)
			feed_capture(p, FEED_F_MEDIA, FEED_KIND_HTML, in_item);
		else if (strcmp(local, "title") == 0 && in_item)
			feed_capture(p, FEED_F_TITLE, FEED_KIND_TEXT, in_item);
		break;
	case FEED_NS_DCTERMS:
		if (strcmp(local, "modified") == 0)
			feed_capture(p, FEED_F_UPDATED, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "issued") == 0 || strcmp(local, "created") == 0)
			feed_capture(p, FEED_F_PUBLISHED, FEED_KIND_TEXT, in_item);
		break;
	case FEED_NS_ITUNES:
		/* Podcast feeds: fallbacks for what RSS says itself. */
		if (strcmp(local, "author") == 0)
			feed_capture(p, FEED_F_AUTHOR_RSS, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "subtitle") == 0 || strcmp(local, "summary") == 0)
			feed_capture(p, FEED_F_MEDIA, FEED_KIND_TEXT, in_item);
		else if (strcmp(local, "keywords") == 0)
			feed_capture(p, FEED_F_KEYWORDS, FEED_KIND_TEXT, in_item);
		break;
	default:
		break;
	}
}

/*
 * Handle the elements that count wherever they are nested in an item or
 * the channel: itunes:category (nested in itself) and the media:description
 * of a media:group. Returns 1 when it took the element.
 */
static int
feed_nested(struct feed_parser *p, enum feed_ns ns, const char *local, const char **attrs)
{
	int in_item = p->item_depth != 0;
	const char *v;

	if (!in_item && p->channel_depth == 0)
		return 0;
	if (ns == FEED_NS_ITUNES && strcmp(local, "category") == 0 &&
	    (v = feed_attr(attrs, "text")) != NULL) {
		feed_clean(p, v, strlen(v), FEED_KIND_TEXT, 0);
		feed_add_category(p, in_item ? &p->item : &p->chan, buf_str(&p->tmp), p->tmp.len);
		return 1;
	}
	if (ns == FEED_NS_MEDIA && strcmp(local, "description") == 0 && in_item &&
	    p->depth > p->item_depth + 1) {
		feed_capture(p, FEED_F_MEDIA, FEED_KIND_HTML, in_item);
		return 1;
	}
	return 0;
}

/* Expat: an element starts. */
static void XMLCALL
feed_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct feed_parser *p = arg;
	enum feed_ns ns;
	const char *local = feed_name(p, name, &ns);
	const char *about;
	size_t i;

	if (++p->depth > p->lim.max_depth) {
		feed_fail(p, "elements nested too deeply");
		return;
	}
	if (p->cap_depth != 0) {
		/* Markup inside a text field: keep it for the HTML reader. */
		p->cap_children = 1;
		buf_addc(&p->cap, '<');
		buf_adds(&p->cap, local);
		for (i = 0; attrs[i] != NULL; i += 2) {
			if (strcmp(attrs[i], "href") != 0 && strcmp(attrs[i], "alt") != 0)
				continue;
			buf_printf(&p->cap, " %s=\"", attrs[i]);
			feed_cap_escaped(p, attrs[i + 1], strlen(attrs[i + 1]));
			buf_addc(&p->cap, '"');
		}
		buf_addc(&p->cap, '>');
		return;
	}
	feed_push_base(p, attrs);
	if (p->depth == 1) {
		feed_root(p, name, ns, local, attrs);
		/* Atom's <feed xml:lang="...">, and any root that says it. */
		if (!p->failed)
			feed_xml_lang(p, attrs);
		return;
	}
	if (p->item_depth == 0 &&
	    (((ns == FEED_NS_NONE || ns == FEED_NS_RSS10 || ns == FEED_NS_RSS090) &&
		 strcmp(local, "item") == 0) ||
		((ns == FEED_NS_ATOM10 || ns == FEED_NS_ATOM03) && strcmp(local, "entry") == 0) ||
		(p->format == FEED_FORMAT_CDF && strcmp(local, "ITEM") == 0))) {
		p->item_depth = p->depth;
		feed_slots_clear(&p->item);
		if (p->format == FEED_FORMAT_CDF)
			feed_cdf_attrs(p, &p->item, attrs);
		if ((about = feed_attr(attrs, "about")) != NULL)
			feed_slot_set(p, &p->item.str[FEED_F_ABOUT], about, strlen(about));
		return;
	}
	if (p->channel_depth == 0 && p->depth == 2 && strcmp(local, "channel") == 0) {
		p->channel_depth = 2;
		feed_xml_lang(p, attrs);
		return;
	}
	if (p->person_depth != 0 && p->depth == p->person_depth + 1) {
		feed_person_child(p, ns, local, p->item_depth != 0);
		return;
	}
	if (feed_nested(p, ns, local, attrs))
		return;
	if (p->item_depth != 0 && p->depth == p->item_depth + 1)
		feed_child(p, ns, local, attrs, 1);
	else if (p->item_depth == 0 && p->channel_depth != 0 && p->depth == p->channel_depth + 1)
		feed_child(p, ns, local, attrs, 0);
}

/* Expat: an element ends. */
static void XMLCALL
feed_end_cb(void *arg, const XML_Char *name)
{
	struct feed_parser *p = arg;
	enum feed_ns ns;
	const char *local;

	if (p->cap_depth != 0 && p->depth > p->cap_depth) {
		local = feed_name(p, name, &ns);
		buf_printf(&p->cap, "</%s>", local);
	} else if (p->cap_depth != 0 && p->depth == p->cap_depth) {
		feed_capture_end(p);
	} else if (p->person_depth == p->depth) {
		p->person_depth = 0;
	} else if (p->item_depth == p->depth) {
		feed_item_end(p);
	} else if (p->channel_depth == p->depth) {
		p->channel_depth = 0;
	}
	if (p->nbases > 0 && p->bases[p->nbases - 1].depth == p->depth)
		free(p->bases[--p->nbases].url);
	p->depth--;
}

static const struct feed_charset *feed_charset_find(const char *name);

/* Append text to the capture, escaped when it is text inside markup. */
static void
feed_cap_text(struct feed_parser *p, const char *s, size_t len)
{
	size_t room = p->lim.max_text > p->cap.len ? p->lim.max_text - p->cap.len : 0;

	/* Past the cap the field is cut (on a character), not dropped. */
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	if (p->cap_kind == FEED_KIND_XHTML || p->depth > p->cap_depth)
		feed_cap_escaped(p, s, len);
	else
		buf_add(&p->cap, s, len);
}

/* Expat: text. */
static void XMLCALL
feed_text_cb(void *arg, const XML_Char *s, int len)
{
	struct feed_parser *p = arg;
	const struct feed_charset *cp1252 = NULL;
	const char *c1;
	size_t n = (size_t)len, run;

	if (p->cap_depth == 0)
		return;
	/*
	 * C1 controls (U+0080-U+009F) in a feed are windows-1252 bytes read
	 * as ISO-8859-1, the most common mislabel: give them their
	 * windows-1252 meaning (0x93 is a curly quote, not a control).
	 */
	while ((c1 = memchr(s, 0xC2, n)) != NULL && (size_t)(c1 - s) + 1 < n) {
		run = (size_t)(c1 - s);
		if ((unsigned char)c1[1] < 0x80 || (unsigned char)c1[1] > 0x9F) {
			feed_cap_text(p, s, run + 2);
			s += run + 2;
			n -= run + 2;
			continue;
		}
		feed_cap_text(p, s, run);
		if (cp1252 == NULL)
			cp1252 = feed_charset_find("windows-1252");
		/* Never '<' or '&': safe to add unescaped in either mode. */
		text_put_utf8(&p->cap, cp1252->high[(unsigned char)c1[1] - 0x80]);
		s += run + 2;
		n -= run + 2;
	}
	feed_cap_text(p, s, n);
}

/* Expat: an entity the document uses without declaring it (&nbsp; in RSS). */
static void XMLCALL
feed_skipped_cb(void *arg, const XML_Char *name, int is_parameter)
{
	struct feed_parser *p = arg;
	char ref[40];
	uint32_t cp;
	int n;

	if (is_parameter)
		return;
	/* With a DTD we did not read, an unknown entity is no error. */
	if (!p->has_doctype)
		feed_recover(p, "undeclared entity");
	if (p->cap_depth == 0)
		return;
	n = snprintf(ref, sizeof ref, "&%s;", name);
	if (n <= 0 || (size_t)n >= sizeof ref)
		return;
	if (text_entity(ref, (size_t)n, &cp) == (size_t)n) {
		if (p->cap_kind == FEED_KIND_XHTML || p->depth > p->cap_depth ||
		    (cp != '<' && cp != '&'))
			text_put_utf8(&p->cap, cp);
		else
			buf_adds(&p->cap, cp == '<' ? "&lt;" : "&amp;");
	} else {
		/* Not an entity anybody knows: the reader sees it as written. */
		feed_cap_text(p, ref, (size_t)n);
	}
}

/* Copy name lower-cased without '-', '_', ' ' or '.': "ISO-8859-2" -> "iso88592". */
static void
feed_charset_norm(const char *name, char *out, size_t len)
{
	size_t n = 0;

	for (; *name != '\0' && n + 1 < len; name++) {
		char c = *name;

		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c + 32);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
}

/* Return 1 when the normalised name want is one of names (NUL-separated, ending in ""). */
static int
feed_charset_named(const char *names, const char *want)
{
	const char *n;

	for (n = names; *n != '\0'; n += strlen(n) + 1)
		if (strcmp(n, want) == 0)
			return 1;
	return 0;
}

/* Return the table of a single-byte charset expat lacks, or NULL. */
static const struct feed_charset *
feed_charset_find(const char *name)
{
	char want[32];
	size_t i;

	feed_charset_norm(name, want, sizeof want);
	for (i = 0; i < sizeof feed_charsets / sizeof feed_charsets[0]; i++)
		if (feed_charset_named(feed_charsets[i].names, want))
			return &feed_charsets[i];
	return NULL;
}

/* Return 1 when expat reads this encoding itself. */
static int
feed_charset_native(const char *name)
{
	char n[32];

	feed_charset_norm(name, n, sizeof n);
	return strcmp(n, "utf8") == 0 || strcmp(n, "utf16") == 0 || strcmp(n, "utf16le") == 0 ||
	    strcmp(n, "utf16be") == 0 || strcmp(n, "iso88591") == 0 || strcmp(n, "latin1") == 0 ||
	    strcmp(n, "usascii") == 0 || strcmp(n, "ascii") == 0;
}

/*
 * The multi-byte East Asian encodings feeds use. expat reads them through
 * our map (the length of a character from its first byte) and iconv
 * (each character's code point); iconv is in every libc, musl's included.
 */
static const struct {
	const char *names;	/* normalised names, NUL-separated, ending in "" */
	const char *iconv;	/* what iconv calls it (a superset where common) */
	unsigned char lead_lo, lead_hi; /* bytes that start a two-byte character */
} feed_multibyte[] = {
	{ "big5\0big5hkscs\0cnbig5\0xxbig5\0", "BIG5-HKSCS", 0x81, 0xFE },
	{ "euckr\0cp949\0ksc56011987\0uhc\0", "CP949", 0x81, 0xFE },
	{ "gb2312\0gbk\0cp936\0gb18030\0euccn\0xgbk\0", "GBK", 0x81, 0xFE },
	{ "shiftjis\0sjis\0xsjis\0windows31j\0cp932\0mskanji\0", "CP932", 0, 0 },
	{ "eucjp\0xeucjp\0", "EUC-JP", 0, 0 },
};

/* Per document: the iconv handle and the length of a character by its first byte. */
struct feed_mb {
	iconv_t cd;
	signed char len[256];
};

/* Return the index of a multi-byte encoding we read, or -1. */
static int
feed_multibyte_find(const char *name)
{
	char want[32];
	size_t i;

	feed_charset_norm(name, want, sizeof want);
	for (i = 0; i < sizeof feed_multibyte / sizeof feed_multibyte[0]; i++)
		if (feed_charset_named(feed_multibyte[i].names, want))
			return (int)i;
	return -1;
}

/* Expat: the code point of one multi-byte character. */
static int XMLCALL
feed_mb_convert(void *data, const char *s)
{
	struct feed_mb *mb = data;
	char in[4], out[4];
	char *ip = in, *op = out;
	size_t il = (size_t)mb->len[(unsigned char)s[0]], ol = sizeof out;

	memcpy(in, s, il);
	iconv(mb->cd, NULL, NULL, NULL, NULL);
	if (iconv(mb->cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != 0)
		return 0xFFFD;
	return (int)((unsigned char)out[0] | (unsigned char)out[1] << 8 |
	    (unsigned char)out[2] << 16 | (unsigned)(unsigned char)out[3] << 24);
}

/* Expat: the document is done with its encoding. */
static void XMLCALL
feed_mb_release(void *data)
{
	struct feed_mb *mb = data;

	iconv_close(mb->cd);
	free(mb);
}

/* Fill info for multi-byte encoding k. Returns XML_STATUS_OK or _ERROR. */
static int
feed_mb_setup(int k, XML_Encoding *info)
{
	struct feed_mb *mb;
	int b;

	if ((mb = calloc(1, sizeof *mb)) == NULL)
		return XML_STATUS_ERROR;
	if ((mb->cd = iconv_open("UTF-32LE", feed_multibyte[k].iconv)) == (iconv_t)-1) {
		free(mb);
		return XML_STATUS_ERROR;
	}
	for (b = 0; b < 256; b++) {
		int n = b < 0x80 ? 1 : -1;

		if (feed_multibyte[k].lead_hi != 0) {
			if (b >= feed_multibyte[k].lead_lo && b <= feed_multibyte[k].lead_hi)
				n = 2;
		} else if (strcmp(feed_multibyte[k].iconv, "CP932") == 0) {
			/* Shift_JIS: half-width katakana are one byte. */
			if ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC))
				n = 2;
			else if (b >= 0xA1 && b <= 0xDF)
				n = 0;
		} else {
			/* EUC-JP: SS2 starts two bytes, SS3 three. */
			if (b == 0x8E || (b >= 0xA1 && b <= 0xFE))
				n = 2;
			else if (b == 0x8F)
				n = 3;
		}
		mb->len[b] = (signed char)(n > 0 ? n : 1);
		info->map[b] = n == 1 ? b : n == 0 ? 0xFF61 + (b - 0xA1) : n > 1 ? -n : -1;
	}
	info->data = mb;
	info->convert = feed_mb_convert;
	info->release = feed_mb_release;
	return XML_STATUS_OK;
}

/* Expat: one UTF-8 sequence, for the UTF-8 read through our own map. */
static int XMLCALL
feed_utf8_convert(void *data, const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	uint32_t cp;

	(void)data;
	/* feed_repair() made the bytes valid; check anyway. */
	if (text_utf8_next(s, n, &cp) != n)
		return -1;
	return (int)cp;
}

/*
 * Expat: the document declares an encoding expat does not know by that
 * name. Single-byte sets come from our tables; other spellings of
 * ISO-8859-1 and US-ASCII are read as such; UTF-8 spelled otherwise, and
 * names nobody knows, are read as UTF-8 (feed_wants_repair() made sure
 * the bytes are).
 */
static int XMLCALL
feed_encoding_cb(void *arg, const XML_Char *name, XML_Encoding *info)
{
	struct feed_parser *p = arg;
	const struct feed_charset *cs = feed_charset_find(name);
	char n[32];
	int i, k;

	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	if ((k = feed_multibyte_find(name)) >= 0)
		return feed_mb_setup(k, info);
	feed_charset_norm(name, n, sizeof n);
	if (cs == NULL && (strcmp(n, "usascii") == 0 || strcmp(n, "ascii") == 0))
		cs = feed_charset_find("windows-1252");
	if (cs != NULL) {
		for (i = 0; i < 128; i++) {
			info->map[i] = i;
			info->map[128 + i] = cs->high[i];
		}
		return XML_STATUS_OK;
	}
	if (strcmp(n, "iso88591") == 0 || strcmp(n, "latin1") == 0 || strcmp(n, "l1") == 0) {
		for (i = 0; i < 256; i++)
			info->map[i] = i;
		return XML_STATUS_OK;
	}
	if (strcmp(n, "utf8") != 0) {
		char why[96];

		snprintf(why, sizeof why, "unknown encoding \"%.40s\" read as UTF-8", name);
		feed_recover(p, why);
	}
	for (i = 0; i < 256; i++)
		info->map[i] = i < 0x80 ? i : i < 0xC2 ? -1 : i < 0xE0 ? -2 : i < 0xF0 ? -3 :
		    i < 0xF5 ? -4 : -1;
	info->convert = feed_utf8_convert;
	return XML_STATUS_OK;
}

/* Expat: a DOCTYPE; its external subset may declare entities. */
static void XMLCALL
feed_doctype_cb(void *arg, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
    int has_internal)
{
	struct feed_parser *p = arg;

	(void)name;
	(void)has_internal;
	if (sysid != NULL || pubid != NULL)
		p->has_doctype = 1;
}

/* Expat: the XML declaration; remember the encoding it names. */
static void XMLCALL
feed_decl_cb(void *arg, const XML_Char *version, const XML_Char *encoding, int standalone)
{
	struct feed_parser *p = arg;

	(void)version;
	(void)standalone;
	if (encoding != NULL && p->encoding[0] == '\0')
		snprintf(p->encoding, sizeof p->encoding, "%s", encoding);
}

/*
 * Return 1 for the text media types RFC 3023 gives US-ASCII by default:
 * text/xml, text/xml-external-parsed-entity and text/NAME+xml.
 */
static int
feed_text_xml_type(const char *type)
{
	size_t n = strcspn(type, "; \t");

	if (strncasecmp(type, "text/", 5) != 0)
		return 0;
	type += 5;
	n -= 5;
	return (n == 3 && strncasecmp(type, "xml", 3) == 0) ||
	    (n == 26 && strncasecmp(type, "xml-external-parsed-entity", 26) == 0) ||
	    (n > 4 && strncasecmp(type + n - 4, "+xml", 4) == 0);
}

/*
 * Use the charset of an HTTP Content-Type when expat or our tables know
 * it: as RFC 3023 says, it outranks the XML declaration.
 */
static void
feed_content_type(struct feed_parser *p, const char *content_type)
{
	const char *cs;
	char name[32], norm[32];
	size_t n = 0;

	if (content_type == NULL)
		return;
	/* Served as plain text (or HTML), not as XML: a reader reads it anyway. */
	if (strncasecmp(content_type, "text/plain", 10) == 0 ||
	    strncasecmp(content_type, "text/html", 9) == 0)
		feed_recover(p, "served as a non-XML media type");
	for (cs = content_type; *cs != '\0'; cs++)
		if (strncasecmp(cs, "charset=", 8) == 0)
			break;
	if (*cs == '\0') {
		/* RFC 3023: text/xml and text/NAME+xml without a charset are US-ASCII. */
		p->http_ascii = feed_text_xml_type(content_type);
		return;
	}
	cs += 8;
	while (*cs == ' ' || *cs == '\t')
		cs++;
	if (*cs == '"' || *cs == '\'')
		cs++;
	while (cs[n] != '\0' && cs[n] != '"' && cs[n] != '\'' && cs[n] != ';' && cs[n] != ' ' &&
	    n + 1 < sizeof name) {
		name[n] = cs[n];
		n++;
	}
	name[n] = '\0';
	feed_charset_norm(name, norm, sizeof norm);
	if (strcmp(norm, "usascii") == 0 || strcmp(norm, "ascii") == 0) {
		/* Read by the document's own encoding, which agrees on ASCII. */
		p->http_ascii = 2;
		return;
	}
	if (n == 0 || (!feed_charset_native(name) && feed_charset_find(name) == NULL &&
	    feed_multibyte_find(name) < 0))
		return;
	if (XML_SetEncoding(p->xp, name) == XML_STATUS_OK)
		snprintf(p->encoding, sizeof p->encoding, "%s", name);
}

/* Create a parser. */
struct feed_parser *
feed_parser_new(const struct feed_limits *limits, const char *content_type, feed_item_cb cb,
    void *arg)
{
	struct feed_parser *p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	if ((p->xp = XML_ParserCreateNS(NULL, FEED_NS_SEP)) == NULL) {
		free(p);
		return NULL;
	}
	p->lim.max_items = FEED_DEFAULT_MAX_ITEMS;
	p->lim.max_text = FEED_DEFAULT_MAX_TEXT;
	p->lim.max_depth = FEED_DEFAULT_MAX_DEPTH;
	if (limits != NULL) {
		if (limits->max_items)
			p->lim.max_items = limits->max_items;
		if (limits->max_text)
			p->lim.max_text = limits->max_text;
		if (limits->max_depth)
			p->lim.max_depth = limits->max_depth;
	}
	p->cb = cb;
	p->arg = arg;
	/* Room past max_text for the escapes and tags written back as markup. */
	buf_init(&p->cap, p->lim.max_text + p->lim.max_text / 4 + 1024);
	buf_init(&p->tmp, 0);
	buf_init(&p->json, FEED_MAX_JSON);
	buf_init(&p->fix, 0);
	buf_init(&p->url, 0);
	feed_slots_clear(&p->item);
	feed_slots_clear(&p->chan);
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, feed_start_cb, feed_end_cb);
	XML_SetCharacterDataHandler(p->xp, feed_text_cb);
	XML_SetSkippedEntityHandler(p->xp, feed_skipped_cb);
	XML_SetUnknownEncodingHandler(p->xp, feed_encoding_cb, p);
	XML_SetXmlDeclHandler(p->xp, feed_decl_cb);
	XML_SetStartDoctypeDeclHandler(p->xp, feed_doctype_cb);
	feed_content_type(p, content_type);
	/*
	 * Pretend there is an external DTD we do not read: undeclared
	 * entities then reach feed_skipped_cb instead of failing the feed.
	 * No external entity handler is set, so nothing is ever loaded.
	 */
	XML_UseForeignDTD(p->xp, XML_TRUE);
	XML_SetParamEntityParsing(p->xp, XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE);
	return p;
}

/* Free a parser. */
void
feed_parser_free(struct feed_parser *p)
{
	if (p == NULL)
		return;
	XML_ParserFree(p->xp);
	buf_free(&p->cap);
	buf_free(&p->tmp);
	buf_free(&p->json);
	buf_free(&p->fix);
	buf_free(&p->url);
	while (p->nbases > 0)
		free(p->bases[--p->nbases].url);
	free(p->doc_url);
	feed_slots_clear(&p->item);
	feed_slots_clear(&p->chan);
	free(p);
}

/* Return the string member key of o, or NULL. */
static const char *
feed_json_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Clean a JSON string member into a slot of s. */
static void
feed_json_field(struct feed_parser *p, struct feed_slots *s, enum feed_field f, const cJSON *o,
    const char *key, enum feed_kind kind)
{
	const char *v = feed_json_str(o, key);

	if (v == NULL)
		return;
	feed_clean(p, v, strlen(v), kind,
	    f == FEED_F_SUMMARY || f == FEED_F_CONTENT ? TEXT_PARAGRAPHS : 0);
	if (p->tmp.len > 0)
		feed_slot_set(p, &s->str[f], p->tmp.data, p->tmp.len);
}

/* Take the author's name from "authors" (1.1) or "author" (1.0). */
static void
feed_json_author(struct feed_parser *p, struct feed_slots *s, const cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "authors");

	if (cJSON_IsArray(a))
		a = cJSON_GetArrayItem(a, 0);
	else
		a = cJSON_GetObjectItemCaseSensitive(o, "author");
	if (cJSON_IsObject(a))
		feed_json_field(p, s, FEED_F_AUTHOR, a, "name", FEED_KIND_TEXT);
}

/* Parse a date member into *t unless it is set. */
static void
feed_json_date(const cJSON *o, const char *key, int64_t *t)
{
	const char *v = feed_json_str(o, key);
	int64_t when;

	if (v != NULL && *t == FEED_NO_DATE && date_parse(v, strlen(v), &when) == 0)
		*t = when;
}

/* Read one JSON Feed item into p->item and hand it on. Returns 0 or -1. */
static int
feed_json_item(struct feed_parser *p, const cJSON *it)
{
	struct feed_slots *s = &p->item;
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id"), *tags, *t;
	char num[32];

	feed_slots_clear(s);
	if (cJSON_IsString(id)) {
		feed_json_field(p, s, FEED_F_ID, it, "id", FEED_KIND_TEXT);
	} else if (cJSON_IsNumber(id)) {
		/* Version 1.0 let ids be numbers. */
		snprintf(num, sizeof num, "%.17g", id->valuedouble);
		feed_slot_set(p, &s->str[FEED_F_ID], num, strlen(num));
	}
	feed_json_field(p, s, FEED_F_TITLE, it, "title", FEED_KIND_TEXT);
	feed_json_field(p, s, FEED_F_LINK, it, "url", FEED_KIND_TEXT);
	feed_json_field(p, s, FEED_F_LINK, it, "external_url", FEED_KIND_TEXT);
	feed_json_field(p, s, FEED_F_SUMMARY, it, "summary", FEED_KIND_TEXT);
	feed_json_field(p, s, FEED_F_CONTENT, it, "content_html", FEED_KIND_HTML);
	feed_json_field(p, s, FEED_F_CONTENT, it, "content_text", FEED_KIND_TEXT);
	feed_json_author(p, s, it);
	feed_json_date(it, "date_published", &s->published);
	feed_json_date(it, "date_modified", &s->updated);
	tags = cJSON_GetObjectItemCaseSensitive(it, "tags");
	cJSON_ArrayForEach(t, tags) {
		if (!cJSON_IsString(t))
			continue;
		feed_clean(p, t->valuestring, strlen(t->valuestring), FEED_KIND_TEXT, 0);
		feed_add_category(p, s, buf_str(&p->tmp), p->tmp.len);
	}
	return p->failed ? -1 : feed_emit(p);
}

/* Read the JSON Feed (1.0 or 1.1) held in p->json. Returns 0 or -1. */
static int
feed_json(struct feed_parser *p)
{
	const char *version, *v;
	const cJSON *items, *it;
	cJSON *root;
	int rc = 0;

	if ((root = cJSON_ParseWithLength(p->json.data, p->json.len)) == NULL) {
		feed_fail(p, "not valid JSON");
		return -1;
	}
	version = feed_json_str(root, "version");
	if (!cJSON_IsObject(root) || version == NULL ||
	    strstr(version, "jsonfeed.org/version/") == NULL) {
		cJSON_Delete(root);
		feed_fail(p, "JSON, but not a JSON Feed (no jsonfeed.org version)");
		return -1;
	}
	p->format = FEED_FORMAT_JSONFEED;
	feed_json_field(p, &p->chan, FEED_F_TITLE, root, "title", FEED_KIND_TEXT);
	feed_json_field(p, &p->chan, FEED_F_LINK, root, "home_page_url", FEED_KIND_TEXT);
	feed_json_field(p, &p->chan, FEED_F_SUMMARY, root, "description", FEED_KIND_TEXT);
	feed_json_author(p, &p->chan, root);
	if ((v = feed_json_str(root, "language")) != NULL)
		feed_set_language(p, v, strlen(v));
	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	/* Absent is no items; anything but an array is no JSON Feed. */
	if (items != NULL && !cJSON_IsArray(items)) {
		cJSON_Delete(root);
		feed_fail(p, "a JSON Feed whose \"items\" is not an array");
		return -1;
	}
	cJSON_ArrayForEach(it, items) {
		if (cJSON_IsObject(it) && feed_json_item(p, it) == -1) {
			rc = p->done ? 0 : -1;
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}

/* Return 1 when len bytes before the document hold more than white space. */
static int
feed_decide_junk(const char *s, size_t len)
{
	size_t i;

	/* Nor are the bytes of a UTF-8 byte order mark, which chunks may split. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xEF && c != 0xBB &&
		    c != 0xBF)
			return 1;
	}
	return 0;
}

/*
 * Return the first "&#X" (a hex reference XML wants written "&#x") in s, or
 * NULL. Looks for the 'X', far rarer in feeds than '&'.
 */
static const char *
feed_upper_hex_ref(const char *s, size_t len)
{
	const char *x, *p = s;

	while ((x = memchr(p, 'X', len - (size_t)(p - s))) != NULL) {
		if (x - s >= 2 && x[-1] == '#' && x[-2] == '&')
			return x - 2;
		p = x + 1;
	}
	return NULL;
}

/*
 * Return the length of the valid UTF-8 sequence at s (s[0] >= 0x80), or 0
 * when it is not one (RFC 3629: no overlong forms, surrogates or code
 * points past U+10FFFF). A sequence that is valid so far but cut by the
 * end of s gives 0 with *cut set.
 */
static inline size_t
feed_utf8_seq(const unsigned char *s, size_t len, int *cut)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	*cut = 0;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (i = 1; i < need; i++) {
		if (i == len) {
			*cut = 1;
			return 0;
		}
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return need;
}

/*
 * Return 1 when s needs feed_repair(): it holds a byte sequence that is
 * not UTF-8, or a control character XML forbids. A sequence cut by the end
 * of s does not count: its length is put in *tail (else 0), for the caller
 * to hold back until the next chunk. One pass, eight bytes at a time
 * through plain printable ASCII.
 */
static int
feed_needs_repair(const char *s, size_t len, size_t *tail)
{
	const uint64_t high = 0x8080808080808080ULL, space = 0x2020202020202020ULL;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint64_t w;
	int cut;

	*tail = 0;
	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, s + i, 8);
			/* No byte >= 0x80 and none < 0x20: nothing to look at. */
			if (((w | ((w - space) & ~w)) & high) == 0) {
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {
			if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r')
				return 1;
			i++;
			continue;
		}
		if ((n = feed_utf8_seq(u + i, len - i, &cut)) == 0) {
			if (!cut)
				return 1;
			*tail = len - i;
			len = i;
			break;
		}
		i += n;
	}
	return feed_upper_hex_ref(s, len) != NULL;
}

/*
 * Decide from the first byte that is not white space or a byte order mark
 * whether the body is XML or a JSON Feed.
 */
static void
feed_decide(struct feed_parser *p, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB ||
		    c == 0xBF)
			continue;
		p->mode = c == '{' ? FEED_MODE_JSON : FEED_MODE_XML;
		return;
	}
}

/*
 * Decide whether the bytes before expat need repair: a document that
 * declares no encoding, or UTF-8, and got no other charset from HTTP.
 * decl is the start of the document (its first '<').
 */
static int
feed_wants_repair(const struct feed_parser *p, const char *decl, size_t len)
{
	const char *end, *enc;
	char name[32];
	size_t n = 0;

	if (p->encoding[0] != '\0') {
		feed_charset_norm(p->encoding, name, sizeof name);
		return strcmp(name, "utf8") == 0;
	}
	if (len < 5 || memcmp(decl, "<?xml", 5) != 0)
		return 1;
	if ((end = memchr(decl, '>', len)) == NULL)
		end = decl + len;
	for (enc = decl; enc + 9 < end; enc++)
		if (memcmp(enc, "encoding", 8) == 0)
			break;
	if (enc + 9 >= end)
		return 1;
	enc += 8;
	while (enc < end && (*enc == ' ' || *enc == '=' || *enc == '"' || *enc == '\''))
		enc++;
	while (enc + n < end && n + 1 < sizeof name && enc[n] != '"' && enc[n] != '\'')
		n++;
	memcpy(name, enc, n);
	name[n] = '\0';
	/* A name nobody knows is read as UTF-8 (feed_encoding_cb), so repaired. */
	if (!feed_charset_native(name) && feed_charset_find(name) == NULL &&
	    feed_multibyte_find(name) < 0) {
		feed_charset_norm(name, name, sizeof name);
		return strcmp(name, "usascii") != 0 && strcmp(name, "ascii") != 0 &&
		    strcmp(name, "l1") != 0;
	}
	feed_charset_norm(name, name, sizeof name);
	return strcmp(name, "utf8") == 0;
}

/* Append byte b, not valid UTF-8 here, as the windows-1252 character it likely is. */
static void
feed_repair_byte(struct feed_parser *p, unsigned char b)
{
	const struct feed_charset *cp1252 = feed_charset_find("windows-1252");

	text_put_utf8(&p->fix, b >= 0x80 ? cp1252->high[b - 0x80] : 0xFFFD);
}

/*
 * Repair a chunk of a UTF-8 document into p->fix: bytes that are not
 * UTF-8 are read as windows-1252 (the usual mislabel), control characters
 * XML forbids become spaces. An incomplete sequence at the end waits for
 * the next chunk. Returns what was repaired: FEED_FIX_* bits.
 */
static int
feed_repair(struct feed_parser *p, const char *data, size_t len, int isfinal)
{
	const unsigned char *s;
	size_t i, n, need;
	uint32_t cp;
	int fixed = 0;

	buf_reset(&p->fix);
	buf_add(&p->fix, p->pend, p->npend);
	buf_add(&p->fix, data, len);
	p->npend = 0;
	/* Repair from a copy: p->fix is rebuilt as we go. */
	n = p->fix.len;
	s = (const unsigned char *)buf_steal(&p->fix, NULL);
	if (s == NULL)
		return 0;
	for (i = 0; i < n;) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
				buf_addc(&p->fix, ' ');
				fixed |= FEED_FIX_CONTROLS;
			} else if (s[i] == 'X' && i >= 2 && s[i - 1] == '#' && s[i - 2] == '&') {
				/* "&#X41;": HTML's spelling, an error to expat. */
				buf_addc(&p->fix, 'x');
				fixed |= FEED_FIX_HEXREF;
			} else {
				buf_addc(&p->fix, (char)s[i]);
			}
			i++;
			continue;
		}
		need = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 1;
		if (i + need > n && !isfinal && need > 1 && n - i < 4) {
			/* Maybe the rest is in the next chunk. */
			memcpy(p->pend, s + i, n - i);
			p->npend = n - i;
			break;
		}
		if (text_utf8_next((const char *)s + i, n - i, &cp) == need && cp != 0xFFFD) {
			buf_add(&p->fix, s + i, need);
			i += need;
			continue;
		}
		feed_repair_byte(p, s[i]);
		fixed |= FEED_FIX_BYTES;
		i++;
	}
	free((void *)(uintptr_t)s);
	return fixed;
}

/*
 * Hand bytes of the XML document to expat, repaired first where they need
 * it; a character cut at the end waits in p->pend. Returns 0 or -1. A
 * document that breaks after its root element began is read up to the
 * break.
 */
static int
feed_xml_piece(struct feed_parser *p, const char *data, size_t len, int isfinal)
{
	enum XML_Error code;
	size_t tail = 0;
	int fixed;

	if (p->repair && (len > 0 || p->npend > 0)) {
		if (p->npend > 0 || feed_needs_repair(data, len, &tail) || (tail > 0 && isfinal)) {
			fixed = feed_repair(p, data, len, isfinal);
			if (fixed & FEED_FIX_BYTES)
				feed_recover(p, "bytes that are not UTF-8 read as windows-1252");
			if (fixed & FEED_FIX_CONTROLS)
				feed_recover(p, "control characters XML forbids read as spaces");
			if (fixed & FEED_FIX_HEXREF)
				feed_recover(p, "\"&#X\" read as \"&#x\"");
			if (buf_failed(&p->fix)) {
				feed_fail(p, "out of memory");
				return -1;
			}
			data = p->fix.data != NULL ? p->fix.data : "";
			len = p->fix.len;
		} else if (tail > 0) {
			len -= tail;
			memcpy(p->pend, data + len, tail);
			p->npend = tail;
		}
	}
	while (len > 0 || isfinal) {
		int chunk = len > (1 << 20) ? (1 << 20) : (int)len;

		len -= (size_t)chunk;
		if (XML_Parse(p->xp, data, chunk, isfinal && len == 0) == XML_STATUS_ERROR) {
			if (p->done || p->failed)
				return p->failed ? -1 : 0;
			code = XML_GetErrorCode(p->xp);
			if (p->format != FEED_FORMAT_UNKNOWN && code != XML_ERROR_NO_MEMORY &&
			    code != XML_ERROR_AMPLIFICATION_LIMIT_BREACH) {
				/* A feed broken part-way: keep what was read before. */
				char why[96];

				snprintf(why, sizeof why, "not well-formed at line %lu (%s): read up "
				    "to there", (unsigned long)XML_GetCurrentLineNumber(p->xp),
				    XML_ErrorString(code));
				feed_recover(p, why);
				p->done = 1;
				return 0;
			}
			feed_fail(p, XML_ErrorString(XML_GetErrorCode(p->xp)));
			return -1;
		}
		if (p->done)
			return 0;
		data += chunk;
		if (isfinal && len == 0)
			break;
	}
	return 0;
}

/*
 * Hand the next bytes of the XML document on. A character cut at the end
 * of the chunk before is finished with the first bytes of this one and
 * handed on alone, so that the rest of a clean chunk goes to expat as it is.
 */
static int
feed_xml(struct feed_parser *p, const char *data, size_t len, int isfinal)
{
	unsigned char lead;
	char piece[4];
	size_t need, m, plen;
	int cut;

	if (p->repair && p->npend > 0 && len > 0) {
		lead = (unsigned char)p->pend[0];
		need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		for (m = 0; m < len && p->npend + m < need &&
		    ((unsigned char)data[m] & 0xC0) == 0x80; m++)
			continue;
		memcpy(piece, p->pend, p->npend);
		memcpy(piece + p->npend, data, m);
		plen = p->npend + m;
		p->npend = 0;
		if (m == len && !isfinal && plen < need &&
		    feed_utf8_seq((const unsigned char *)piece, plen, &cut) == 0 && cut) {
			/* Still cut (a chunk of a byte or two): wait for more. */
			memcpy(p->pend, piece, plen);
			p->npend = plen;
			return 0;
		}
		if (feed_xml_piece(p, piece, plen, isfinal && m == len) == -1 || p->done)
			return p->failed ? -1 : 0;
		data += m;
		len -= m;
		if (len == 0 && !isfinal)
			return 0;
	}
	return feed_xml_piece(p, data, len, isfinal);
}

/*
 * A document in UTF-16 or UTF-32 (from its first four bytes): expat reads
 * UTF-16 with a byte order mark itself; without one, the byte order is
 * said here, since the declaration may name it in a way expat does not
 * know ("u16"); UTF-32 is turned into UTF-8 by feed_utf32().
 */
static void
feed_wide_start(struct feed_parser *p, const unsigned char *b)
{
	const char *enc = NULL;

	p->xml_started = 1;
	if (b[0] == '<' && b[1] == 0 && b[2] == 0 && b[3] == 0)
		p->utf32 = 1;		/* little-endian */
	else if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == '<')
		p->utf32 = 2;		/* big-endian */
	else if (b[0] == 0 && b[1] == '<')
		enc = "UTF-16BE";
	else if (b[0] == '<' && b[1] == 0)
		enc = "UTF-16LE";
	if (p->utf32 != 0) {
		snprintf(p->encoding, sizeof p->encoding, "%s", p->utf32 == 1 ? "utf-32le" :
		    "utf-32be");
		XML_SetEncoding(p->xp, "UTF-8");
	} else if (enc != NULL && p->encoding[0] == '\0') {
		snprintf(p->encoding, sizeof p->encoding, "%s", enc);
		XML_SetEncoding(p->xp, enc);
	}
}

/* Turn a chunk of UTF-32 into UTF-8 in p->fix; a partial unit waits in p->pend. */
static void
feed_utf32(struct feed_parser *p, const char *data, size_t len, int isfinal)
{
	unsigned char u[4];
	size_t i = 0;
	uint32_t cp;

	buf_reset(&p->fix);
	while (i < len || (isfinal && p->npend > 0)) {
		while (p->npend < 4 && i < len)
			p->pend[p->npend++] = data[i++];
		if (p->npend < 4) {
			if (isfinal)
				p->npend = 0;	/* a cut unit at the end: dropped */
			break;
		}
		memcpy(u, p->pend, 4);
		p->npend = 0;
		cp = p->utf32 == 1 ? (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
		    (uint32_t)u[3] << 24 : (uint32_t)u[3] | (uint32_t)u[2] << 8 |
		    (uint32_t)u[1] << 16 | (uint32_t)u[0] << 24;
		if (cp == 0xFEFF)
			continue;	/* a byte order mark */
		text_put_utf8(&p->fix, cp);
	}
}

/* Note a byte past ASCII in a document HTTP called US-ASCII. */
static void
feed_check_ascii(struct feed_parser *p, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)data[i] >= 0x80)
			break;
	if (i == len)
		return;
	p->non_ascii = 1;
	/* RFC 3023's default is wrong often enough not to call it broken. */
	if (p->http_ascii == 2)
		feed_recover(p, "served as US-ASCII but is not: read by its own encoding");
}

/* Feed bytes to expat (or keep a JSON Feed); isfinal marks the end. */
static int
feed_parser_run(struct feed_parser *p, const char *data, size_t len, int isfinal)
{
	const char *lt;

	if (p->done)
		return 0;
	if (p->failed)
		return -1;
	if (p->http_ascii && !p->non_ascii)
		feed_check_ascii(p, data, len);
	if (p->mode == FEED_MODE_UNDECIDED) {
		feed_decide(p, data, len);
		if (p->mode != FEED_MODE_XML) {
			/* JSON, or nothing but white space so far: keep it. */
			if (buf_add(&p->json, data, len) == -1) {
				feed_fail(p, "JSON Feed too large");
				return -1;
			}
			return 0;
		}
		/* The white space held back is dropped with what precedes the first '<'. */
		buf_free(&p->json);
	} else if (p->mode == FEED_MODE_JSON) {
		if (buf_add(&p->json, data, len) == -1) {
			feed_fail(p, "JSON Feed too large");
			return -1;
		}
		return 0;
	}
	if (!p->xml_started && len >= 4 &&
	    (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
		((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF) ||
		data[0] == '\0' || data[1] == '\0'))
		feed_wide_start(p, (const unsigned char *)data);
	if (p->utf32 != 0) {
		/* expat has no UTF-32: hand it UTF-8. */
		feed_utf32(p, data, len, isfinal);
		if (buf_failed(&p->fix)) {
			feed_fail(p, "out of memory");
			return -1;
		}
		data = p->fix.data != NULL ? p->fix.data : "";
		len = p->fix.len;
	}
	if (!p->xml_started) {
		if ((lt = memchr(data, '<', len)) == NULL) {
			if (!isfinal) {
				feed_recover(p, "text before the XML document skipped");
				return 0;
			}
			feed_fail(p, "not XML: no element");
			return -1;
		}
		if (feed_decide_junk(data, (size_t)(lt - data)))
			feed_recover(p, "text before the XML document skipped");
		len -= (size_t)(lt - data);
		data = lt;
		p->xml_started = 1;
		p->repair = feed_wants_repair(p, data, len);
	}
	if (feed_xml(p, data, len, isfinal) == -1)
		return -1;
	if (isfinal && p->format == FEED_FORMAT_UNKNOWN) {
		feed_fail(p, "empty document");
		return -1;
	}
	return 0;
}

/* Parse the next chunk. */
int
feed_parser_write(struct feed_parser *p, const char *data, size_t len)
{
	return feed_parser_run(p, data, len, 0);
}

/* Finish the parse. */
int
feed_parser_finish(struct feed_parser *p)
{
	struct feed_slots *c = &p->chan;

	if (p->mode == FEED_MODE_UNDECIDED) {
		feed_fail(p, "empty document");
		return -1;
	}
	if (p->mode == FEED_MODE_JSON) {
		if (p->failed || feed_json(p) == -1)
			return -1;
	} else if (feed_parser_run(p, "", 0, 1) == -1) {
		return -1;
	}
	p->info.title = c->str[FEED_F_TITLE] ? c->str[FEED_F_TITLE] : "";
	p->info.link = c->str[FEED_F_LINK] ? c->str[FEED_F_LINK] : "";
	p->info.description = c->str[FEED_F_SUMMARY] ? c->str[FEED_F_SUMMARY] :
	    c->str[FEED_F_MEDIA] ? c->str[FEED_F_MEDIA] : "";
	p->info.author_email = c->str[FEED_F_EMAIL] ? c->str[FEED_F_EMAIL] : "";
	p->info.author = c->str[FEED_F_AUTHOR] ? c->str[FEED_F_AUTHOR] :
	    c->str[FEED_F_EMAIL] ? c->str[FEED_F_EMAIL] : "";
	p->info.ttl = c->ttl;
	p->info.updated = c->updated != FEED_NO_DATE ? c->updated : c->published;
	p->info.categories = (const char *const *)c->cats;
	p->info.ncategories = c->ncats;
	p->info.language = p->language;
	return 0;
}

/* Describe the failure. */
const char *
feed_parser_error(const struct feed_parser *p)
{
	return p->failed ? p->err : NULL;
}

/* Return the feed's metadata. */
const struct feed_info *
feed_parser_info(const struct feed_parser *p)
{
	return &p->info;
}

/* Return the language declared so far. */
const char *
feed_parser_language(const struct feed_parser *p)
{
	return p->language;
}

/* Return the detected format. */
enum feed_format
feed_parser_format(const struct feed_parser *p)
{
	return p->format;
}

/* Return the number of items read. */
size_t
feed_parser_items(const struct feed_parser *p)
{
	return p->nitems;
}

/* Tell whether items were dropped at max_items. */
int
feed_parser_truncated(const struct feed_parser *p)
{
	return p->truncated;
}

/* Set the document's URL, the base of relative links. */
int
feed_parser_set_url(struct feed_parser *p, const char *url)
{
	free(p->doc_url);
	p->doc_url = url != NULL ? strdup(url) : NULL;
	return url != NULL && p->doc_url == NULL ? -1 : 0;
}

/* Tell whether the input was read although not well-formed. */
int
feed_parser_recovered(const struct feed_parser *p)
{
	return p->recovered;
}

/* Return the i-th warning, or NULL past the last. */
const char *
feed_parser_warning(const struct feed_parser *p, size_t i)
{
	return i < p->nwarnings ? p->warnings[i] : NULL;
}

/* Return the encoding in force. */
const char *
feed_parser_encoding(const struct feed_parser *p)
{
	if (p->http_ascii && !p->non_ascii)
		return "us-ascii";
	return p->encoding[0] != '\0' ? p->encoding : "utf-8";
}

/* Name a format. */
const char *
feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_FORMAT_RSS09X:
		return "rss0.9x";
	case FEED_FORMAT_RSS10:
		return "rss1.0";
	case FEED_FORMAT_RSS20:
		return "rss2.0";
	case FEED_FORMAT_ATOM03:
		return "atom0.3";
	case FEED_FORMAT_ATOM10:
		return "atom1.0";
	case FEED_FORMAT_JSONFEED:
		return "jsonfeed";
	case FEED_FORMAT_CDF:
		return "cdf";
	default:
		return "unknown";
	}
}

/* Parse a whole buffer. */
int
feed_parse_buffer(const char *data, size_t len, const char *content_type, feed_item_cb cb,
    void *arg, char *errbuf, size_t errlen)
{
	struct feed_parser *p;
	int rc;

	if ((p = feed_parser_new(NULL, content_type, cb, arg)) == NULL) {
		if (errbuf != NULL)
			snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	rc = feed_parser_write(p, data, len);
	if (rc == 0)
		rc = feed_parser_finish(p);
	if (rc == -1 && errbuf != NULL)
		snprintf(errbuf, errlen, "%s", feed_parser_error(p));
	feed_parser_free(p);
	return rc;
}
