/*
 * newsdigest — look at feeds and digests as the daemon sees them.
 *
 *   newsdigest feed [--json] [--content-type TYPE] [--url URL]
 *           [--content-location URL] FILE|URL
 *   newsdigest digest [-c FILE] [--profile NAME] [--feed NAME] [--json] FILE|URL
 *   newsdigest summarize [--summary-chars N] [--tags N] [--language L] [--lead] --jsonl
 *   newsdigest cat [-c FILE] [-H HOST] [-p PORT] [--cafile FILE] [--cert FILE --key FILE]
 *                  [-u NAME [--password-file FILE]] [-t TOPIC]... [-C COUNT] [-W SECS]
 *                  [--dict FILE]... [--json]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <mosquitto.h>

#include "newsdigest/buf.h"
#include "newsdigest/config.h"
#include "newsdigest/date.h"
#include "newsdigest/digest.h"
#include "newsdigest/feed.h"
#include "newsdigest/json.h"
#include "newsdigest/log.h"
#include "newsdigest/mqtt.h"
#include "newsdigest/url.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"

#define CLI_MAX_BYTES ((int64_t)64 << 20)
#define CLI_MAX_TOPICS 16
#define CLI_MAX_DICTS 32

/* Print usage and exit. */
static void __attribute__((noreturn))
cli_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: newsdigest feed [--json] [--content-type TYPE] [--url URL]\n"
	    "           [--content-location URL] FILE|URL\n"
	    "       newsdigest digest [-c FILE] [--profile NAME] [--feed NAME] [--json] FILE|URL\n"
	    "       newsdigest summarize [--summary-chars N] [--tags N] [--language L] [--lead] --jsonl\n"
	    "       newsdigest cat [-c FILE] [-H HOST] [-p PORT] [--cafile FILE]\n"
	    "                      [--cert FILE --key FILE] [-u NAME [--password-file FILE]]\n"
	    "                      [-t TOPIC]... [-C COUNT] [-W SECS] [--dict FILE]... [--json]\n"
	    "       newsdigest --version\n");
	exit(status);
}

/* A feed being read from a file or URL, and how to make its parser. */
struct cli_reader {
	const char *src;	/* FILE or URL */
	const char *ctype;	/* --content-type, else the server's */
	const char *url;	/* --url, else src when it is a URL */
	const char *cloc;	/* --content-location, else the server's */
	feed_item_cb cb;
	void *arg;
	struct feed_parser *p;	/* made at the first byte */
	CURL *easy;		/* for a URL */
	int64_t bytes;
	int failed;
};

/*
 * Make r's parser, as the daemon does: with the Content-Type and the base
 * the headers give, unless the command line gave them. Returns 0 or -1.
 */
static int
cli_parser(struct cli_reader *r)
{
	struct curl_header *h;
	const char *ctype = r->ctype, *cloc = r->cloc, *url = r->url;
	struct buf base;
	int rc;

	if (r->easy != NULL) {
		if (ctype == NULL)
			curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ctype);
		if (cloc == NULL && curl_easy_header(r->easy, "Content-Location", 0,
		    CURLH_HEADER, -1, &h) == CURLHE_OK)
			cloc = h->value;
		if (r->url == NULL)
			curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url);
	}
	if ((r->p = feed_parser_new(NULL, ctype, r->cb, r->arg)) == NULL)
		return -1;
	buf_init(&base, 0);
	rc = url_document_base(&base, url, cloc) == 0 && base.len > 0 ?
	    feed_parser_set_url(r->p, buf_str(&base)) : 0;
	buf_free(&base);
	return rc;
}

/* Parse the next len bytes of r. Returns 0 or -1. */
static int
cli_write(struct cli_reader *r, const char *data, size_t len)
{
	r->bytes += (int64_t)len;
	if (r->bytes > CLI_MAX_BYTES)
		return -1;
	if (r->p == NULL && cli_parser(r) == -1)
		return -1;
	return feed_parser_write(r->p, data, len);
}

/* curl: body bytes into the parser. */
static size_t
cli_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct cli_reader *r = arg;
	size_t len = size * nmemb;

	if (cli_write(r, ptr, len) == -1) {
		r->failed = 1;
		return 0;
	}
	return len;
}

/*
 * Read the feed of r (src, cb and arg set; ctype, url, cloc optional)
 * into r->p. Returns 0, or -1 after printing why. Either way the caller
 * frees r->p with feed_parser_free().
 */
static int
cli_read(struct cli_reader *r)
{
	char chunk[65536], errbuf[CURL_ERROR_SIZE] = "";
	const char *src = r->src;
	CURLcode rc;
	ssize_t n;
	int fd;

	if (strstr(src, "://") == NULL) {
		if ((fd = open(src, O_RDONLY | O_CLOEXEC)) == -1) {
			fprintf(stderr, "newsdigest: %s: %s\n", src, strerror(errno));
			return -1;
		}
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (cli_write(r, chunk, (size_t)n) == -1)
				break;
		close(fd);
	} else {
		if ((r->easy = curl_easy_init()) == NULL)
			return -1;
		curl_easy_setopt(r->easy, CURLOPT_URL, src);
		curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, cli_write_cb);
		curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
		curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
		curl_easy_setopt(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(r->easy, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(r->easy, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "newsdigest/" ND_VERSION);
		curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(r->easy, CURLOPT_FAILONERROR, 1L);
		rc = curl_easy_perform(r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		if (rc != CURLE_OK && (r->p == NULL || feed_parser_error(r->p) == NULL)) {
			fprintf(stderr, "newsdigest: %s: %s\n", src,
			    r->bytes > CLI_MAX_BYTES ? "feed too large" :
			    errbuf[0] ? errbuf : curl_easy_strerror(rc));
			return -1;
		}
	}
	if (r->bytes > CLI_MAX_BYTES) {
		fprintf(stderr, "newsdigest: %s: feed too large\n", src);
		return -1;
	}
	/* Nothing read: the parser still says why ("empty document"). */
	if (r->p == NULL && cli_parser(r) == -1) {
		fprintf(stderr, "newsdigest: %s: out of memory\n", src);
		return -1;
	}
	if (feed_parser_error(r->p) == NULL && feed_parser_finish(r->p) == 0)
		return 0;
	fprintf(stderr, "newsdigest: %s: not a readable feed: %s\n", src,
	    feed_parser_error(r->p));
	return -1;
}

/* Append a date as a JSON number or null. */
static void
cli_json_date(struct buf *b, int64_t t)
{
	if (t == FEED_NO_DATE)
		buf_adds(b, "null");
	else
		buf_printf(b, "%lld", (long long)t);
}

/* Append a text field as a JSON string, paragraph breaks as spaces. */
static void
cli_json_text(struct buf *b, const char *s)
{
	size_t start = b->len + 1, i;

	json_string(b, s, strlen(s));
	/* json_string wrote "\n" escapes; a display shows one line. */
	for (i = start; i + 1 < b->len; i++) {
		if (b->data[i] == '\\' && b->data[i + 1] == 'n') {
			memmove(b->data + i + 1, b->data + i + 2, b->len - i - 2);
			b->data[i] = ' ';
			b->len--;
			b->data[b->len] = '\0';
		} else if (b->data[i] == '\\') {
			i++;
		}
	}
}

struct cli_feed {
	struct buf out;
	int json;
	size_t n;
};

/* Parser: print one item. */
static int
cli_feed_item_cb(void *arg, const struct feed_item *it)
{
	struct cli_feed *c = arg;
	struct buf *b = &c->out;
	size_t i;

	if (!c->json) {
		printf("- %s\n  id: %s\n  link: %s\n", it->title, it->id, it->link);
		if (it->published != FEED_NO_DATE)
			printf("  published: %lld\n", (long long)it->published);
		if (*it->author)
			printf("  author: %s\n", it->author);
		if (*it->source)
			printf("  source: %s\n", it->source);
		for (i = 0; i < it->ncategories; i++)
			printf("  category: %s\n", it->categories[i]);
		if (*it->summary)
			printf("  summary: %.200s%s\n", it->summary,
			    strlen(it->summary) > 200 ? "..." : "");
		return 0;
	}
	buf_adds(b, c->n++ > 0 ? "," : "");
	buf_adds(b, "{\"id\":");
	cli_json_text(b, it->id);
	buf_adds(b, ",\"title\":");
	cli_json_text(b, it->title);
	buf_adds(b, ",\"link\":");
	cli_json_text(b, it->link);
	buf_adds(b, ",\"published\":");
	cli_json_date(b, it->published);
	buf_adds(b, ",\"updated\":");
	cli_json_date(b, it->updated);
	buf_adds(b, ",\"author\":");
	cli_json_text(b, it->author);
	buf_adds(b, ",\"author_email\":");
	cli_json_text(b, it->author_email);
	buf_adds(b, ",\"source\":");
	cli_json_text(b, it->source);
	buf_adds(b, ",\"categories\":[");
	for (i = 0; i < it->ncategories; i++) {
		if (i > 0)
			buf_addc(b, ',');
		cli_json_text(b, it->categories[i]);
	}
	buf_adds(b, "],\"summary\":");
	cli_json_text(b, it->summary);
	buf_adds(b, ",\"content\":");
	cli_json_text(b, it->content);
	buf_addc(b, '}');
	return 0;
}

/* newsdigest feed */
static int
cli_feed(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "content-type", required_argument, NULL, 't' },
		{ "url", required_argument, NULL, 'u' },
		{ "content-location", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const struct feed_info *info;
	struct cli_reader r;
	struct feed_parser *p;
	struct cli_feed c;
	int ch, rc;

	memset(&c, 0, sizeof c);
	memset(&r, 0, sizeof r);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			c.json = 1;
		else if (ch == 't')
			r.ctype = optarg;
		else if (ch == 'u')
			r.url = optarg;
		else if (ch == 'l')
			r.cloc = optarg;
		else
			cli_usage(1);
	}
	if (optind + 1 != argc)
		cli_usage(1);
	buf_init(&c.out, 0);
	r.src = argv[optind];
	r.cb = cli_feed_item_cb;
	r.arg = &c;
	rc = cli_read(&r);
	if ((p = r.p) == NULL) {
		buf_free(&c.out);
		return 1;
	}
	info = feed_parser_info(p);
	if (rc == 0 && c.json) {
		struct buf h;
		const char *w;
		size_t i;

		/* The encoding and warnings come from the document: escape them. */
		buf_init(&h, 0);
		buf_printf(&h, "{\"format\":\"%s\",\"encoding\":",
		    feed_format_name(feed_parser_format(p)));
		json_string(&h, feed_parser_encoding(p), strlen(feed_parser_encoding(p)));
		buf_printf(&h, ",\"recovered\":%s,\"warnings\":[",
		    feed_parser_recovered(p) ? "true" : "false");
		for (i = 0; (w = feed_parser_warning(p, i)) != NULL; i++) {
			if (i > 0)
				buf_addc(&h, ',');
			json_string(&h, w, strlen(w));
		}
		if (feed_parser_truncated(p))
			buf_printf(&h, "%s\"more items than the limit; the rest ignored\"",
			    i > 0 ? "," : "");
		fputs(buf_str(&h), stdout);
		buf_free(&h);
		printf("],\"feed\":{\"title\":");
		c.n = 0;
		{
			struct buf f;

			buf_init(&f, 0);
			cli_json_text(&f, info->title);
			buf_adds(&f, ",\"link\":");
			cli_json_text(&f, info->link);
			buf_adds(&f, ",\"description\":");
			cli_json_text(&f, info->description);
			buf_adds(&f, ",\"language\":");
			cli_json_text(&f, info->language);
			buf_adds(&f, ",\"author\":");
			cli_json_text(&f, info->author);
			buf_adds(&f, ",\"author_email\":");
			cli_json_text(&f, info->author_email);
			buf_adds(&f, ",\"updated\":");
			cli_json_date(&f, info->updated);
			buf_adds(&f, ",\"categories\":[");
			for (i = 0; i < info->ncategories; i++) {
				if (i > 0)
					buf_addc(&f, ',');
				cli_json_text(&f, info->categories[i]);
			}
			buf_addc(&f, ']');
			fputs(buf_str(&f), stdout);
			buf_free(&f);
		}
		printf("},\"items\":[%s]}\n", buf_str(&c.out));
	} else if (rc == 0) {
		printf("%s (%s): %zu items%s\n", info->title,
		    feed_format_name(feed_parser_format(p)), feed_parser_items(p),
		    feed_parser_recovered(p) ? " (not well-formed; recovered)" : "");
	}
	feed_parser_free(p);
	buf_free(&c.out);
	return rc == 0 ? 0 : 1;
}

struct cli_digest {
	const struct digest_profile *profile;
	struct digest_reader reading;	/* made at the first item, when the feed's language is known */
	const char *lang;	/* the config's, or "auto" */
	const struct cli_reader *reader;
	const char *feed;
	int json;
	int64_t now;
	struct buf json_buf;
	struct buf payload;
	size_t n;
};

/* Parser: print the digest of one item. */
static int
cli_digest_item_cb(void *arg, const struct feed_item *it)
{
	struct cli_digest *c = arg;
	char id[DIGEST_ID_LEN + 1];
	cJSON *j, *v;
	int i;

	switch (digest_reader_for(&c->reading, c->lang, feed_parser_language(c->reader->p), it)) {
	case -1:
		fprintf(stderr, "newsdigest: out of memory\n");
		return -1;
	case 2:
		if (!c->json)
			printf("(articles read as %s%s)\n\n", c->reading.language,
			    strcmp(c->lang, "auto") == 0 ? ", language = auto" : "");
		break;
	default:
		break;
	}
	buf_reset(&c->json_buf);
	buf_reset(&c->payload);
	if (digest_build(&c->json_buf, c->profile, c->feed, it, c->now, c->reading.art, id) == -1 ||
	    digest_encode(&c->payload, c->profile, c->json_buf.data, c->json_buf.len) == -1) {
		fprintf(stderr, "newsdigest: item %s: cannot build its digest\n", it->id);
		return 0;
	}
	c->n++;
	if (c->json) {
		printf("%s\n", buf_str(&c->json_buf));
		return 0;
	}
	if ((j = cJSON_Parse(buf_str(&c->json_buf))) == NULL)
		return 0;
	printf("[%s] %s\n", id, cJSON_GetStringValue(cJSON_GetObjectItem(j, "title")));
	printf("  %s\n  tags:", cJSON_GetStringValue(cJSON_GetObjectItem(j, "summary")));
	v = cJSON_GetObjectItem(j, "tags");
	for (i = 0; i < cJSON_GetArraySize(v); i++)
		printf(" #%s", cJSON_GetStringValue(cJSON_GetArrayItem(v, i)));
	printf("\n  %s\n  %zu bytes of JSON, %zu bytes of payload\n\n",
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "url")), c->json_buf.len, c->payload.len);
	cJSON_Delete(j);
	return 0;
}

/* newsdigest digest */
static int
cli_digest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "profile", required_argument, NULL, 'P' },
		{ "feed", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg;
	struct cli_digest c;
	struct cli_reader r;
	struct buf errors;
	const char *conf = NULL, *pname = NULL;
	int ch, rc, loaded = 0;
	size_t i;

	memset(&c, 0, sizeof c);
	memset(&cfg, 0, sizeof cfg);
	c.feed = "feed";
	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (ch == 'j')
			c.json = 1;
		else if (ch == 'P')
			pname = optarg;
		else if (ch == 'f')
			c.feed = optarg;
		else if (ch == 'c')
			conf = optarg;
		else
			cli_usage(1);
	}
	if (optind + 1 != argc)
		cli_usage(1);
	buf_init(&errors, 0);
	if (conf != NULL) {
		if (config_load(&cfg, conf, &errors) > 0) {
			fputs(buf_str(&errors), stderr);
			buf_free(&errors);
			config_free(&cfg);
			return 1;
		}
		loaded = 1;
	} else {
		/* No file: the default profile of DESIGN §5. */
		config_parse(&cfg, "(defaults)", "", 0, &errors);
	}
	buf_free(&errors);
	c.profile = pname != NULL ? config_profile(&cfg, pname) : &cfg.profiles[0];
	if (c.profile == NULL) {
		fprintf(stderr, "newsdigest: no profile %s in %s\n", pname,
		    loaded ? conf : "the defaults");
		config_free(&cfg);
		return 1;
	}
	c.now = (int64_t)time(NULL);
	c.lang = "auto";
	for (i = 0; i < cfg.nfeeds; i++)
		if (strcmp(cfg.feeds[i].name, c.feed) == 0)
			c.lang = cfg.feeds[i].language;
	c.reader = &r;
	buf_init(&c.json_buf, 0);
	buf_init(&c.payload, 0);
	memset(&r, 0, sizeof r);
	r.src = argv[optind];
	r.cb = cli_digest_item_cb;
	r.arg = &c;
	rc = cli_read(&r);
	feed_parser_free(r.p);
	digest_reader_done(&c.reading);
	buf_free(&c.json_buf);
	buf_free(&c.payload);
	config_free(&cfg);
	return rc == 0 ? 0 : 1;
}

/* Return the string member key of JSON object j, or "". */
static const char *
cli_json_str(const cJSON *j, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, key));

	return v != NULL ? v : "";
}

/* Read a size option's value; exit with usage when it is not a number. */
static size_t
cli_size(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-')
		cli_usage(1);
	return (size_t)v;
}

/*
 * newsdigest summarize: one {"id","title","text"[,"categories"]} a line
 * in, one {"id","summary","tags"} a line out.
 */
static int
cli_summarize(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "summary-chars", required_argument, NULL, 's' },
		{ "tags", required_argument, NULL, 't' },
		{ "language", required_argument, NULL, 'l' },
		{ "lead", no_argument, NULL, 'L' },
		{ "jsonl", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cats[TAGS_MAX], *lang = "en", *text, *title;
	size_t chars = 280, ntags = 5, cap = 0, ncat, i, lineno = 0;
	int ch, jsonl = 0, lead = 0, rc = 0;
	struct article *art;
	struct tags tags;
	struct buf out, sum;
	char *line = NULL;
	ssize_t n;
	cJSON *j, *v;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			chars = cli_size(optarg);
		else if (ch == 't')
			ntags = cli_size(optarg);
		else if (ch == 'l')
			lang = optarg;
		else if (ch == 'L')
			lead = 1;
		else if (ch == 'j')
			jsonl = 1;
		else
			cli_usage(1);
	}
	if (optind != argc || !jsonl)
		cli_usage(1);
	if ((art = article_new(lang)) == NULL) {
		fprintf(stderr, "newsdigest: out of memory\n");
		return 1;
	}
	buf_init(&out, 0);
	buf_init(&sum, 0);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		if ((j = cJSON_ParseWithLength(line, (size_t)n)) == NULL || !cJSON_IsObject(j)) {
			fprintf(stderr, "newsdigest: stdin:%zu: not a JSON object\n", lineno);
			cJSON_Delete(j);
			rc = 1;
			continue;
		}
		title = cli_json_str(j, "title");
		text = cli_json_str(j, "text");
		ncat = 0;
		v = cJSON_GetObjectItemCaseSensitive(j, "categories");
		for (i = 0; i < (size_t)cJSON_GetArraySize(v) && ncat < TAGS_MAX; i++)
			if (cJSON_IsString(cJSON_GetArrayItem(v, (int)i)))
				cats[ncat++] = cJSON_GetStringValue(cJSON_GetArrayItem(v, (int)i));
		article_read(art, title, strlen(title), text, strlen(text));
		buf_reset(&sum);
		if (lead)
			summary_lead(&sum, text, strlen(text), chars);
		else
			summary_make(&sum, art, chars, 0);
		if (lead)
			tags_frequent(&tags, ntags, art);
		else
			tags_make(&tags, ntags, cats, ncat, art);
		buf_reset(&out);
		buf_adds(&out, "{\"id\":");
		v = cJSON_GetObjectItemCaseSensitive(j, "id");
		if (cJSON_IsString(v))
			json_string(&out, v->valuestring, strlen(v->valuestring));
		else if (cJSON_IsNumber(v))
			buf_printf(&out, "%.17g", v->valuedouble);
		else
			buf_adds(&out, "null");
		buf_adds(&out, ",\"summary\":");
		json_string(&out, buf_str(&sum), sum.len);
		buf_adds(&out, ",\"tags\":[");
		for (i = 0; i < tags.n; i++) {
			if (i > 0)
				buf_addc(&out, ',');
			json_string(&out, tags.tag[i], strlen(tags.tag[i]));
		}
		buf_adds(&out, "]}\n");
		fwrite(out.data, 1, out.len, stdout);
		cJSON_Delete(j);
	}
	free(line);
	buf_free(&out);
	buf_free(&sum);
	article_free(art);
	if (fflush(stdout) == EOF || ferror(stdin)) {
		fprintf(stderr, "newsdigest: summarize: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}

/* A preset dictionary cat knows: from a dict topic, or a --dict file. */
struct cli_dict {
	unsigned char *data;
	size_t len;
	uint32_t id;		/* of all of data */
	int file;		/* a file: its end may be what a profile used */
};

struct cli_cat {
	const struct config *cfg;	/* the broker's [mqtt]: host, port, TLS, login */
	struct mqtt_tls_note tls;	/* what libmosquitto said of a TLS failure */
	int connected;
	int json;
	long count;
	long seen;
	int failed;
	struct cli_dict dicts[CLI_MAX_DICTS];
	size_t ndicts;
	const char *topics[CLI_MAX_TOPICS];
	int ntopics;
	char *dict_filters[CLI_MAX_TOPICS];
	int ndict_filters;
	int dict_mids[CLI_MAX_TOPICS];
	int acked;		/* dictionary subscriptions acknowledged */
};

/* Remember a dictionary (copied); one already known by its id is skipped. Returns 1 when new. */
static int
cli_dict_add(struct cli_cat *c, const void *data, size_t len, int file)
{
	struct cli_dict *d;
	uint32_t id = digest_dict_id(data, len);
	size_t i;

	for (i = 0; i < c->ndicts; i++)
		if (c->dicts[i].id == id && c->dicts[i].len == len)
			return 0;
	if (c->ndicts == CLI_MAX_DICTS || len == 0 || (d = &c->dicts[c->ndicts],
	    d->data = malloc(len)) == NULL)
		return 0;
	memcpy(d->data, data, len);
	d->len = len;
	d->id = id;
	d->file = file;
	c->ndicts++;
	return 1;
}

/*
 * Find the dictionary with id for a stream whose window is 2^wbits: a
 * whole one, or the end of a file that the daemon cut to that window.
 * Returns 0 and sets *dict and *len, or -1.
 */
static int
cli_dict_find(const struct cli_cat *c, uint32_t id, int wbits, const unsigned char **dict,
    size_t *len)
{
	const unsigned char *p;
	size_t i, n;

	for (i = 0; i < c->ndicts; i++) {
		p = c->dicts[i].data;
		n = c->dicts[i].len;
		if (c->dicts[i].id != id && c->dicts[i].file)
			n = digest_dict_fit(&p, n, wbits);
		if (digest_dict_id(p, n) == id) {
			*dict = p;
			*len = n;
			return 0;
		}
	}
	return -1;
}

/* Read a --dict file into c. Returns 0, or -1 after saying why. */
static int
cli_dict_file(struct cli_cat *c, const char *path)
{
	struct buf b;
	char chunk[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "newsdigest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&b, DIGEST_DICT_MAX);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n == -1 || buf_failed(&b) || b.len == 0) {
		fprintf(stderr, "newsdigest: %s: %s\n", path, n == -1 ? strerror(errno) :
		    b.len == 0 ? "empty file" : "larger than 32768 bytes, the largest window");
		buf_free(&b);
		return -1;
	}
	cli_dict_add(c, b.data, b.len, 1);
	buf_free(&b);
	return 0;
}

/* Return 1 when a topic is a profile's dictionary: PREFIX/PROFILE/dict. */
static int
cli_is_dict_topic(const char *topic)
{
	const char *a = strchr(topic, '/'), *b = a != NULL ? strchr(a + 1, '/') : NULL;

	return b != NULL && strcmp(b, "/dict") == 0;
}

/* Print one decoded digest object in a readable way. */
static void
cli_print_digest(const cJSON *j)
{
	const cJSON *tags = cJSON_GetObjectItem(j, "tags");
	const cJSON *pub = cJSON_GetObjectItem(j, "published");
	char day[DATE_FORMAT_LEN], when[32] = "";
	int i;

	/* Not gmtime(): time_t may be 32 bits, and a wild number made it NULL. */
	if (cJSON_IsNumber(pub) && pub->valuedouble > -1e15 && pub->valuedouble < 1e15 &&
	    date_format(day, (int64_t)pub->valuedouble) == 0)
		snprintf(when, sizeof when, "%s UTC", day);
	printf("  %s  [%s] %s\n", when, cJSON_GetStringValue(cJSON_GetObjectItem(j, "feed")),
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "title")));
	printf("    %s\n    ", cJSON_GetStringValue(cJSON_GetObjectItem(j, "summary")));
	for (i = 0; i < cJSON_GetArraySize(tags); i++)
		printf("#%s ", cJSON_GetStringValue(cJSON_GetArrayItem(tags, i)));
	printf("%s\n", cJSON_GetStringValue(cJSON_GetObjectItem(j, "url")));
}

/* mosquitto: a message arrived. */
static void
cli_message_cb(struct mosquitto *mosq, void *arg, const struct mosquitto_message *msg)
{
	struct cli_cat *c = arg;
	const unsigned char *dict = NULL;
	size_t dictlen = 0;
	uint32_t id;
	struct buf b;
	cJSON *j, *e;
	int i, rc;

	if (cli_is_dict_topic(msg->topic)) {
		if (cli_dict_add(c, msg->payload, (size_t)msg->payloadlen, 0) && !c->json) {
			printf("%s (%d bytes%s): preset dictionary %08x\n", msg->topic,
			    msg->payloadlen, msg->retain ? ", retained" : "",
			    (unsigned)digest_dict_id(msg->payload, (size_t)msg->payloadlen));
			fflush(stdout);
		}
		return;
	}
	if (digest_payload_dict(msg->payload, (size_t)msg->payloadlen, &id) &&
	    cli_dict_find(c, id, (((const unsigned char *)msg->payload)[0] >> 4) + 8, &dict,
	    &dictlen) == -1) {
		const char *a = strchr(msg->topic, '/');
		int plen = a != NULL && strchr(a + 1, '/') != NULL ?
		    (int)(strchr(a + 1, '/') - msg->topic) : (int)strlen(msg->topic);

		fprintf(stderr, "newsdigest: %s: needs the preset dictionary %08x, which was not "
		    "published on %.*s/dict; give it with --dict FILE\n", msg->topic,
		    (unsigned)id, plen, msg->topic);
		c->failed = 1;
		return;
	}
	buf_init(&b, 0);
	rc = digest_decode_dict(&b, msg->payload, (size_t)msg->payloadlen, (size_t)16 << 20, dict,
	    dictlen);
	if (rc != 0) {
		fprintf(stderr, "newsdigest: %s: %d bytes that do not inflate\n", msg->topic,
		    msg->payloadlen);
		buf_free(&b);
		return;
	}
	if (c->json) {
		printf("%s\n", buf_str(&b));
	} else if ((j = cJSON_ParseWithLength(buf_str(&b), b.len)) == NULL) {
		printf("%s: %s\n", msg->topic, buf_str(&b));
	} else {
		printf("%s (%d bytes%s)\n", msg->topic, msg->payloadlen, msg->retain ? ", retained" : "");
		if (cJSON_IsArray(j))
			for (i = 0; i < cJSON_GetArraySize(j); i++) {
				e = cJSON_GetArrayItem(j, i);
				cli_print_digest(e);
			}
		else if (cJSON_GetObjectItem(j, "title") != NULL)
			cli_print_digest(j);
		else
			printf("  %s\n", buf_str(&b));
		cJSON_Delete(j);
	}
	fflush(stdout);
	buf_free(&b);
	if (c->count > 0 && ++c->seen >= c->count)
		mosquitto_disconnect(mosq);
}

/*
 * Subscribe to the dictionary topics PREFIX/+/dict of every topic
 * filter first; the others follow once those are acknowledged, so the
 * retained dictionaries arrive before the digests that need them.
 */
static void
cli_subscribe_dicts(struct mosquitto *mosq, struct cli_cat *c)
{
	struct buf f;
	size_t len;
	int i, k;

	for (i = 0; i < c->ntopics; i++) {
		buf_init(&f, 0);
		len = strcspn(c->topics[i], "/");
		if ((len == 1 && (c->topics[i][0] == '+' || c->topics[i][0] == '#')) ||
		    c->topics[i][len] == '\0')
			buf_adds(&f, "+/+/dict");
		else
			buf_printf(&f, "%.*s/+/dict", (int)len, c->topics[i]);
		for (k = 0; k < c->ndict_filters; k++)
			if (strcmp(c->dict_filters[k], buf_str(&f)) == 0)
				break;
		if (k < c->ndict_filters || buf_failed(&f)) {
			buf_free(&f);
			continue;
		}
		c->dict_filters[c->ndict_filters] = buf_steal(&f, NULL);
		mosquitto_subscribe(mosq, &c->dict_mids[c->ndict_filters],
		    c->dict_filters[c->ndict_filters], 1);
		c->ndict_filters++;
	}
}

/* mosquitto: the broker answered; ask for the dictionaries first, or say why not. */
static void
cli_connect_cb(struct mosquitto *mosq, void *arg, int rc)
{
	struct cli_cat *c = arg;
	char why[256];

	if (rc == 0) {
		c->connected = 1;
		cli_subscribe_dicts(mosq, c);
		return;
	}
	mqtt_refusal_why(c->cfg, rc, why, sizeof why);
	fprintf(stderr, "newsdigest: %s:%ld: %s\n", c->cfg->host, c->cfg->port, why);
	c->failed = 1;
	mosquitto_disconnect(mosq);
}

/* mosquitto: a line of its log; its TLS errors are kept to say why. */
static void
cli_log_cb(struct mosquitto *mosq, void *arg, int level, const char *str)
{
	struct cli_cat *c = arg;

	(void)mosq;
	mqtt_lib_log(&c->tls, level, str);
}

/* Say why the connection to the broker failed with rc (err: errno), and fail. */
static void
cli_broker_failed(struct cli_cat *c, int rc, int err)
{
	char why[256];

	fprintf(stderr, "newsdigest: %s:%ld: %s\n", c->cfg->host, c->cfg->port,
	    mqtt_failure_why(&c->tls, c->cfg, c->connected, rc, err, why, sizeof why));
	c->failed = 1;
}

/* mosquitto: a subscription is acknowledged; after the dictionaries', the topics. */
static void
cli_subscribe_cb(struct mosquitto *mosq, void *arg, int mid, int qos_count,
    const int *granted)
{
	struct cli_cat *c = arg;
	int i;

	(void)qos_count;
	(void)granted;
	for (i = 0; i < c->ndict_filters; i++)
		if (c->dict_mids[i] == mid && ++c->acked == c->ndict_filters) {
			for (i = 0; i < c->ntopics; i++)
				mosquitto_subscribe(mosq, NULL, c->topics[i], 1);
			return;
		}
}

/* The broker options of newsdigest cat, over the config's [mqtt]. */
struct cli_broker_opts {
	const char *conf;		/* -c FILE, or NULL */
	const char *host;
	long port;			/* 0: the config's, else 8883 with TLS, else 1883 */
	const char *files[4];		/* CLI_CAFILE...: the options, or NULL */
	const char *username;
};

enum { CLI_CAFILE, CLI_CERT, CLI_KEY, CLI_PASSWORD_FILE };

static const char *const cli_file_opts[] = { "--cafile", "--cert", "--key", "--password-file" };
static const char *const cli_file_keys[] = { "tls_ca_file", "tls_cert_file", "tls_key_file",
    "password_file" };

/* Replace the string *field (owned) with a copy of value. */
static void
cli_set(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL) {
		fprintf(stderr, "newsdigest: out of memory\n");
		exit(1);
	}
}

/*
 * Make cfg the broker settings of cat: the config o->conf names (or the
 * defaults), the options over it; check them and the files they name as
 * the daemon does, and read the password into pw (CONFIG_PASSWORD_MAX
 * bytes; "" without one; the caller wipes it). Returns 0, or -1 after
 * printing every problem; the caller frees cfg with config_free() either way.
 */
static int
cli_broker_config(struct config *cfg, const struct cli_broker_opts *o, char *pw)
{
	char **fields[] = { &cfg->tls_ca_file, &cfg->tls_cert_file, &cfg->tls_key_file,
	    &cfg->password_file };
	char where[4096];
	struct buf errors;
	int nerr = 0, i;

	buf_init(&errors, 0);
	pw[0] = '\0';
	if (o->conf != NULL) {
		if (config_load(cfg, o->conf, &errors) > 0)
			goto fail;
	} else {
		/* No file: the defaults, with no feed to complain of. */
		config_parse(cfg, "(defaults)", "", 0, &errors);
		buf_reset(&errors);
	}
	if (o->host != NULL)
		cli_set(&cfg->host, o->host);
	if (o->username != NULL)
		cli_set(&cfg->username, o->username);
	for (i = 0; i < 4; i++)
		if (o->files[i] != NULL)
			cli_set(fields[i], o->files[i]);
	if (o->port != 0)
		cfg->port = o->port;
	else if (cfg->port_default)
		cfg->port = cfg->tls_ca_file != NULL ? 8883 : 1883;
	/* The rules config_parse() applies to the keys, for the options. */
	if ((cfg->tls_cert_file == NULL) != (cfg->tls_key_file == NULL))
		buf_printf(&errors, "newsdigest: --cert and --key go together\n");
	if (cfg->tls_cert_file != NULL && cfg->tls_ca_file == NULL)
		buf_printf(&errors, "newsdigest: --cert needs --cafile: TLS is on only with a CA\n");
	if (cfg->password_file != NULL && cfg->username == NULL)
		buf_printf(&errors, "newsdigest: --password-file needs -u NAME\n");
	if (errors.len > 0)
		goto fail;
	for (i = 0; i < 4; i++) {
		if (*fields[i] == NULL)
			continue;
		if (o->files[i] != NULL)
			snprintf(where, sizeof where, "newsdigest: %s", cli_file_opts[i]);
		else
			config_key_where(cfg, cli_file_keys[i], where, sizeof where);
		if (i == CLI_PASSWORD_FILE)
			nerr += config_password_read(*fields[i], where, pw, CONFIG_PASSWORD_MAX,
			    &errors) == -1;
		else
			nerr += config_file_check(*fields[i], where, &errors) == -1;
	}
	if (nerr == 0) {
		buf_free(&errors);
		return 0;
	}
fail:
	fputs(buf_str(&errors), stderr);
	buf_free(&errors);
	explicit_bzero(pw, CONFIG_PASSWORD_MAX);
	return -1;
}

/* Read a number option's value, min to max; exit with usage when it is not one. */
static long
cli_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		cli_usage(1);
	return v;
}

/* newsdigest cat */
static int
cli_cat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dict", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "username", required_argument, NULL, 'u' },
		{ "cafile", required_argument, NULL, 'A' },
		{ "cert", required_argument, NULL, 'E' },
		{ "key", required_argument, NULL, 'K' },
		{ "password-file", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_broker_opts o;
	struct config cfg;
	struct cli_cat c;
	struct mosquitto *mosq;
	char pw[CONFIG_PASSWORD_MAX];
	struct buf deftopic;
	long wait = 0;
	int ch, rc, failed;
	size_t i;
	time_t end;

	memset(&c, 0, sizeof c);
	memset(&o, 0, sizeof o);
	memset(&cfg, 0, sizeof cfg);
	while ((ch = getopt_long(argc, argv, "c:u:H:p:t:C:W:", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			c.json = 1;
			break;
		case 'd':
			if (cli_dict_file(&c, optarg) == -1)
				return 1;
			break;
		case 'c':
			o.conf = optarg;
			break;
		case 'u':
			o.username = optarg;
			break;
		case 'A':
			o.files[CLI_CAFILE] = optarg;
			break;
		case 'E':
			o.files[CLI_CERT] = optarg;
			break;
		case 'K':
			o.files[CLI_KEY] = optarg;
			break;
		case 'P':
			o.files[CLI_PASSWORD_FILE] = optarg;
			break;
		case 'H':
			o.host = optarg;
			break;
		case 'p':
			o.port = cli_long(optarg, 1, 65535);
			break;
		case 't':
			if (c.ntopics == CLI_MAX_TOPICS)
				cli_usage(1);
			c.topics[c.ntopics++] = optarg;
			break;
		case 'C':
			c.count = cli_long(optarg, 0, LONG_MAX);
			break;
		case 'W':
			wait = cli_long(optarg, 0, INT_MAX);
			break;
		default:
			cli_usage(1);
		}
	}
	if (optind != argc)
		cli_usage(1);
	if (cli_broker_config(&cfg, &o, pw) == -1) {
		config_free(&cfg);
		return 1;
	}
	c.cfg = &cfg;
	buf_init(&deftopic, 0);
	if (c.ntopics == 0) {
		buf_printf(&deftopic, "%s/#", cfg.topic_prefix);
		c.topics[c.ntopics++] = buf_str(&deftopic);
	}
	mosquitto_lib_init();
	if ((mosq = mosquitto_new(NULL, true, &c)) == NULL) {
		fprintf(stderr, "newsdigest: cannot create an MQTT client\n");
		explicit_bzero(pw, sizeof pw);
		buf_free(&deftopic);
		config_free(&cfg);
		return 1;
	}
	mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION,
	    cfg.protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_log_callback_set(mosq, cli_log_cb);
	mosquitto_message_callback_set(mosq, cli_message_cb);
	mosquitto_connect_callback_set(mosq, cli_connect_cb);
	mosquitto_subscribe_callback_set(mosq, cli_subscribe_cb);
	rc = mqtt_client_setup(mosq, &cfg, cfg.password_file != NULL ? pw : NULL);
	/* libmosquitto has its copy; ours goes now. */
	explicit_bzero(pw, sizeof pw);
	end = wait > 0 ? time(NULL) + wait : 0;
	if (rc == -1) {
		c.failed = 1;
	} else if ((rc = mosquitto_connect(mosq, cfg.host, (int)cfg.port, 60)) != MOSQ_ERR_SUCCESS) {
		cli_broker_failed(&c, rc, errno);
	} else {
		while ((rc = mosquitto_loop(mosq, 200, 1)) == MOSQ_ERR_SUCCESS)
			if (end != 0 && time(NULL) >= end)
				break;
		/* A refusal is said already (cli_connect_cb), and the library hung up. */
		if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN && !c.failed)
			cli_broker_failed(&c, rc, errno);
	}
	mosquitto_destroy(mosq);
	mosquitto_lib_cleanup();
	failed = c.failed;
	for (i = 0; i < c.ndicts; i++)
		free(c.dicts[i].data);
	for (i = 0; i < (size_t)c.ndict_filters; i++)
		free(c.dict_filters[i]);
	buf_free(&deftopic);
	config_free(&cfg);
	return failed || (c.count > 0 && c.seen < c.count) ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const char *cmd;

	log_init("newsdigest", LOG_LEVEL_WARN);
	if (argc < 2)
		cli_usage(1);
	cmd = argv[1];
	if (strcmp(cmd, "--version") == 0) {
		printf("newsdigest %s\n", ND_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		cli_usage(0);
	argc--;
	argv++;
	if (strcmp(cmd, "feed") == 0)
		return cli_feed(argc, argv);
	if (strcmp(cmd, "digest") == 0)
		return cli_digest(argc, argv);
	if (strcmp(cmd, "cat") == 0)
		return cli_cat(argc, argv);
	if (strcmp(cmd, "summarize") == 0 || strcmp(cmd, "summarise") == 0)
		return cli_summarize(argc, argv);
	fprintf(stderr, "newsdigest: unknown command %s\n", cmd);
	cli_usage(1);
}
