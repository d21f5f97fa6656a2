/* digest — build the digest JSON and compress it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "newsdigest/article.h"
#include "newsdigest/digest.h"
#include "newsdigest/hash.h"
#include "newsdigest/json.h"
#include "newsdigest/lang.h"
#include "newsdigest/summary.h"
#include "newsdigest/tags.h"
#include "newsdigest/text.h"

/* The deflate memLevel: 2^(memLevel+9) bytes of state; small for small boxes. */
#define DIGEST_MEM_LEVEL 4

/*
 * The built-in preset dictionary: text a digest is likely to repeat.
 * deflate finds a match more cheaply the nearer it is, and a small window
 * keeps only the end, so the order is: frequent English words and phrases
 * of news first, then link and date fragments, then the frame of a digest
 * in the order digest_build() writes it, last. Written for this project.
 */
static const char digest_dict_text[] =
	" government officials  ministers  announced  according to  spokesperson "
	" investigation  reported  international  national  president  company "
	" market  prices  economy  election  police  court  health  climate  energy "
	" technology  research  university  researchers  scientists  football "
	" season  million  billion  percent  people  children  between  against "
	" during  including  however, because  although  expected to  plans to "
	" more than  less than  at least  about  after  before  since  until  while "
	" would  could  should  which  where  their  there  these  those  first "
	" last  year  years  week  month  today  yesterday  on Monday  on Tuesday "
	" on Wednesday  on Thursday  on Friday  on Saturday  on Sunday  in January "
	" in February  in March  in April  in May  in June  in July  in August "
	" in September  in October  in November  in December  United States  Europe "
	" said in a statement.  told reporters  said on  said that  it is  it was "
	" has been  have been  had been  will be  would be  was  were  are  is  not "
	" also  but  as  an  a  he  she  they  we  who  what  when  new  world "
	"The  A  In  It  He  She  They  This  "
	/* Links, and the ends of cut text ("\u2026" folds to "..."). */
	"/index.html?utm_source=rss .html /article/ /news/ /2026/ .com/ .org/ "
	"\xe2\x80\xa6 ... \\\" "
	" of the  in the  to the  on the  for the  at the  by the  with the  from the "
	" and the  that the  and  the  of  to  in  for  on  with  that  from  by "
	/* The frame of a digest, ending where every digest starts. */
	"{\"v\":1,\"id\":\"\",\"feed\":\"news\",\"title\":\"The \","
	"\"summary\":\"The \",\"tags\":[\"World\",\"Politics\",\"Business\","
	"\"Technology\",\"Science\",\"Health\",\"Sports\"],"
	"\"url\":\"https://www.\",\"published\":17,\"source\":\"\"},{\"v\":1,\"id\":\"";

/* Append s as a JSON string, folded to ASCII when the profile asks. */
static void
digest_put_string(struct buf *out, struct buf *tmp, const struct digest_profile *profile,
    const char *s, size_t len)
{
	if (profile->ascii) {
		buf_reset(tmp);
		text_ascii_fold(tmp, s, len);
		json_string(out, buf_str(tmp), tmp->len);
	} else {
		json_string(out, s, len);
	}
}

/* Fold what out holds from start on to ASCII, in place ("…" to "..."). */
static void
digest_fold_tail(struct buf *out, struct buf *tmp, size_t start)
{
	buf_reset(tmp);
	text_ascii_fold(tmp, out->data + start, out->len - start);
	buf_truncate(out, start);
	buf_add(out, tmp->data, tmp->len);
}

/*
 * Append to out the headline s within max characters. For an ASCII
 * profile the text is folded first, and a cut leaves room for the three
 * characters "..." that "…" becomes.
 */
static void
digest_headline(struct buf *out, struct buf *tmp, const struct digest_profile *profile,
    const char *s, size_t len, size_t max)
{
	size_t start = out->len;

	if (profile->ascii) {
		buf_reset(tmp);
		text_ascii_fold(tmp, s, len);
		s = buf_str(tmp);
		len = tmp->len;
	}
	if (text_cut(out, s, len, max) != 1 || !profile->ascii)
		return;
	buf_truncate(out, start);
	text_cut(out, s, len, max > 2 ? max - 2 : 0);
	digest_fold_tail(out, tmp, start);
}

/*
 * Append to out the summary of the article art has read, within max
 * characters; text that art read is already folded for an ASCII profile,
 * so only a cut's "…" is left to fold, with room made for it.
 */
static void
digest_summary(struct buf *out, struct buf *tmp, const struct digest_profile *profile,
    const struct article *art, size_t max)
{
	size_t start = out->len;

	summary_make(out, art, max, 0);
	if (!profile->ascii || text_utf8_chars(out->data + start, out->len - start) ==
	    out->len - start)
		return;
	buf_truncate(out, start);
	summary_make(out, art, max > 2 ? max - 2 : 0, 0);
	digest_fold_tail(out, tmp, start);
}

/* Return when an item was published, or now where the feed says nothing plausible. */
int64_t
digest_published(const struct feed_item *item, int64_t now)
{
	/* FEED_NO_DATE is below 0. */
	if (item->published >= 0 && item->published <= now + DIGEST_AHEAD)
		return item->published;
	if (item->updated >= 0 && item->updated <= now + DIGEST_AHEAD)
		return item->updated;
	return now;
}

/* Build a profile's topic. */
void
digest_topic(char *out, size_t len, const char *prefix, const char *profile, const char *feed,
    const char *leaf)
{
	if (feed != NULL)
		snprintf(out, len, "%s/%s/%s/%s", prefix, profile, feed, leaf);
	else
		snprintf(out, len, "%s/%s/%s", prefix, profile, leaf);
}

/* Choose the language to read a feed's item in. */
const char *
digest_language(const struct lang_guesser *g, const char *configured, const char *declared,
    const struct feed_item *item, const char *known, int *clear)
{
	struct buf text;
	const char *guessed, *body;

	*clear = 0;
	if (g == NULL || (configured != NULL && strcmp(configured, "auto") != 0))
		return lang_choose(configured, declared, known);
	body = *item->content != '\0' ? item->content : item->summary;
	buf_init(&text, 0);
	buf_printf(&text, "%s\n%s", item->title, body);
	guessed = buf_failed(&text) ? NULL : lang_guess(g, text.data, text.len);
	buf_free(&text);
	if (guessed != NULL)
		*clear = 1;
	else
		guessed = known;
	return lang_choose(configured, declared, guessed);
}

/* Make or keep r's reader for an item of a feed. */
int
digest_reader_for(struct digest_reader *r, const char *configured, const char *declared,
    const struct feed_item *item)
{
	const char *lang;
	int guess, clear, other;

	if (r->art != NULL && (r->settled || r->tries >= DIGEST_LANG_TRIES))
		return 0;
	guess = configured == NULL || strcmp(configured, "auto") == 0;
	/* The guesser's table is made once a body, and only to guess. */
	if (guess && r->guesser == NULL)
		r->guesser = lang_guesser_new();
	lang = digest_language(r->guesser, configured, declared, item,
	    r->known[0] != '\0' ? r->known : NULL, &clear);
	r->tries++;
	r->settled = clear || !guess;
	if (clear)
		snprintf(r->known, sizeof r->known, "%s", lang);
	other = strncmp(r->language, lang, sizeof r->language - 1) != 0;
	if (r->art != NULL && !other)
		return 0;
	article_free(r->art);
	if ((r->art = article_new(lang)) == NULL)
		return -1;
	snprintf(r->language, sizeof r->language, "%s", lang);
	return other ? 2 : 1;
}

/* Drop r's reader at the end of a feed's body; keep what its text said. */
void
digest_reader_done(struct digest_reader *r)
{
	article_free(r->art);
	r->art = NULL;
	lang_guesser_free(r->guesser);
	r->guesser = NULL;
	r->settled = 0;
	r->tries = 0;
}

/*
 * Return the length of a headline without the source a news aggregator
 * appends to it ("… health care bill - CNN", with source "CNN"): the
 * item's source says it already, and a display's line is short.
 */
static size_t
digest_title_len(const char *title, const char *source)
{
	size_t tlen = strlen(title), slen = strlen(source), end;

	if (slen == 0 || tlen < slen + 4 || strcasecmp(title + tlen - slen, source) != 0)
		return tlen;
	end = tlen - slen;
	if (title[end - 1] != ' ')
		return tlen;
	end--;
	if (title[end - 1] == '-' || title[end - 1] == '|')
		end--;
	else if (end >= 3 && memcmp(title + end - 3, "\xe2\x80\x94", 3) == 0)	/* — */
		end -= 3;
	else
		return tlen;
	while (end > 0 && title[end - 1] == ' ')
		end--;
	return end > 0 ? end : tlen;
}

/* Build the digest JSON of an item. */
int
digest_build(struct buf *out, const struct digest_profile *profile, const char *feed,
    const struct feed_item *item, int64_t now, struct article *art,
    char id[DIGEST_ID_LEN + 1])
{
	struct buf tmp, text, ftitle, fbody;
	struct article *own = NULL;
	struct tags tags;
	const char *body, *title, *source;
	size_t blen, tlen, hlen;
	int64_t when;
	size_t i;

	if (art == NULL && (art = own = article_new(NULL)) == NULL)
		return -1;
	buf_init(&tmp, 0);
	buf_init(&text, 0);
	buf_init(&ftitle, 0);
	buf_init(&fbody, 0);
	hash_item_id(id, feed, item->id);
	when = digest_published(item, now);
	/* The full content when the feed has it; the description is often a teaser. */
	body = *item->content != '\0' ? item->content : item->summary;
	blen = strlen(body);
	title = item->title;
	tlen = hlen = digest_title_len(title, item->source);
	if (profile->ascii) {
		text_ascii_fold(&ftitle, title, tlen);
		text_ascii_fold(&fbody, body, blen);
		title = buf_str(&ftitle);
		tlen = ftitle.len;
		body = buf_str(&fbody);
		blen = fbody.len;
	}
	article_read(art, title, tlen, body, blen);

	buf_printf(out, "{\"v\":%d", DIGEST_VERSION);
	json_key(out, "id", 0);
	json_string(out, id, DIGEST_ID_LEN);
	json_key(out, "feed", 0);
	digest_put_string(out, &tmp, profile, feed, strlen(feed));

	json_key(out, "title", 0);
	digest_headline(&text, &tmp, profile, item->title, hlen, profile->headline_chars);
	json_string(out, buf_str(&text), text.len);

	json_key(out, "summary", 0);
	buf_reset(&text);
	digest_summary(&text, &tmp, profile, art, profile->summary_chars);
	json_string(out, buf_str(&text), text.len);

	json_key(out, "tags", 0);
	tags_make(&tags, profile->tags, item->categories, item->ncategories, art);
	buf_addc(out, '[');
	for (i = 0; i < tags.n; i++) {
		if (i > 0)
			buf_addc(out, ',');
		digest_put_string(out, &tmp, profile, tags.tag[i], strlen(tags.tag[i]));
	}
	buf_addc(out, ']');

	json_key(out, "url", 0);
	digest_put_string(out, &tmp, profile, item->link, strlen(item->link));
	json_key(out, "published", 0);
	buf_printf(out, "%lld", (long long)when);
	/* The site an aggregator names, else the author. */
	source = *item->source != '\0' ? item->source : item->author;
	if (*source != '\0') {
		json_key(out, "source", 0);
		digest_put_string(out, &tmp, profile, source, strlen(source));
	}
	buf_addc(out, '}');
	buf_free(&tmp);
	buf_free(&text);
	buf_free(&ftitle);
	buf_free(&fbody);
	article_free(own);
	return buf_failed(out) ? -1 : 0;
}

/* Compress json into out as the profile says. */
int
digest_encode(struct buf *out, const struct digest_profile *profile, const void *json,
    size_t len)
{
	z_stream z;
	uLong bound;
	char *space;
	int rc;

	if (profile->compression == DIGEST_NONE)
		return buf_add(out, json, len);
	memset(&z, 0, sizeof z);
	/*
	 * zlib cannot make a stream with a 256-byte window (windowBits 8 is
	 * silently raised to 9 in the header), so 9 is our lowest.
	 */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, profile->window_bits,
	    DIGEST_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	if (profile->dict != NULL && deflateSetDictionary(&z, profile->dict,
	    (uInt)profile->dict_len) != Z_OK) {
		deflateEnd(&z);
		return -1;
	}
	bound = deflateBound(&z, (uLong)len);
	if ((space = buf_space(out, bound)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)json;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)space;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		buf_commit(out, bound - z.avail_out);
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* Tell whether p starts with a zlib header: CM 8, the two bytes a multiple of 31. */
static int
digest_is_zlib(const unsigned char *p, size_t len)
{
	return len >= 2 && (p[0] & 0x0f) == 8 && ((p[0] << 8) | p[1]) % 31 == 0;
}

/* Find the dictionary id of an FDICT stream. */
int
digest_payload_dict(const void *payload, size_t len, uint32_t *id)
{
	const unsigned char *p = payload;

	if (!digest_is_zlib(p, len) || !(p[1] & 0x20) || len < 6)
		return 0;
	*id = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
	return 1;
}

/* Inflate or copy a payload. */
int
digest_decode(struct buf *out, const void *payload, size_t len, size_t max)
{
	return digest_decode_dict(out, payload, len, max, NULL, 0) == 0 ? 0 : -1;
}

/* Inflate or copy a payload, with a preset dictionary when it needs one. */
int
digest_decode_dict(struct buf *out, const void *payload, size_t len, size_t max,
    const void *dict, size_t dictlen)
{
	unsigned char chunk[4096];
	uint32_t want;
	z_stream z;
	int rc;

	if (!digest_is_zlib(payload, len))
		return len <= max ? buf_add(out, payload, len) : -1;
	if (digest_payload_dict(payload, len, &want) &&
	    (dict == NULL || digest_dict_id(dict, dictlen) != want))
		return -2;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)payload;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_NEED_DICT)
			rc = inflateSetDictionary(&z, dict, (uInt)dictlen) == Z_OK ? Z_OK :
			    Z_DATA_ERROR;
		if (rc != Z_OK && rc != Z_STREAM_END)
			break;
		if (z.total_out > max || buf_add(out, chunk, sizeof chunk - z.avail_out) == -1) {
			rc = Z_MEM_ERROR;
			break;
		}
	} while (rc != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* Return the dictionary bytes a window of 2^window_bits can reach. */
size_t
digest_dict_room(int window_bits)
{
	return ((size_t)1 << window_bits) - DIGEST_DICT_LOOKAHEAD;
}

/* Keep the end of a dictionary that does not fit the window. */
size_t
digest_dict_fit(const unsigned char **dict, size_t len, int window_bits)
{
	size_t room = digest_dict_room(window_bits);

	if (len > room) {
		*dict += len - room;
		len = room;
	}
	return len;
}

/* Compute the Adler-32 that names a dictionary. */
uint32_t
digest_dict_id(const void *dict, size_t len)
{
	return (uint32_t)adler32(adler32(0L, Z_NULL, 0), dict, (uInt)len);
}

/* Return the built-in dictionary. */
const unsigned char *
digest_dict_builtin(size_t *len)
{
	*len = sizeof digest_dict_text - 1;
	return (const unsigned char *)digest_dict_text;
}
