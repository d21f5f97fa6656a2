/*
 * text — plain text out of feed markup; UTF-8 helpers.
 *
 * Pure core: no I/O, no globals, no locale. Every function takes a
 * (pointer, length) pair, never assumes a NUL, and appends its result to a
 * caller-owned struct buf. Output is always valid UTF-8 with no control
 * characters other than '\n' where TEXT_PARAGRAPHS asks for it.
 */
#ifndef NEWSDIGEST_TEXT_H
#define NEWSDIGEST_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/buf.h"

/* Flags for text_from_html() and text_clean(). */
#define TEXT_PARAGRAPHS	0x1	/* block boundaries become "\n", else a space */

/*
 * Append the readable text of an HTML fragment: tags dropped (script,
 * style, head and their content too), block elements (p, div, br, li,
 * h1-h6, tr, blockquote, ...) turned into paragraph breaks, entities
 * decoded (numeric, and the HTML named set), double-escaped markup
 * ("&lt;b&gt;") decoded and stripped as markup, invalid UTF-8 replaced by
 * U+FFFD, control characters dropped, white space collapsed to single
 * spaces and trimmed at both ends. With TEXT_PARAGRAPHS, paragraphs are
 * separated by a single '\n'.
 * Returns 0, or -1 when out grew past its cap.
 */
int text_from_html(struct buf *out, const char *in, size_t len, unsigned flags);

/*
 * Append plain text with entities decoded, invalid UTF-8 replaced,
 * control characters dropped and white space collapsed and trimmed; tags
 * are kept as text. For fields that are declared plain text.
 * With TEXT_PARAGRAPHS a blank line (two or more line breaks) separates
 * paragraphs; a single line break is a space, as hard-wrapped text wants.
 * Returns 0 or -1 (out failed).
 */
int text_clean(struct buf *out, const char *in, size_t len, unsigned flags);

/*
 * Decode one entity at in[0] == '&' (named, &#NNN; or &#xHH;, with or
 * without the ';' where HTML allows it). Stores the code point in *cp and
 * returns the number of bytes consumed, or 0 when in does not start a
 * known entity.
 */
size_t text_entity(const char *in, size_t len, uint32_t *cp);

/*
 * Append the bytes base64 text (RFC 4648, white space ignored, padding
 * optional) encodes; decoding stops at the first other character.
 * Returns 0 or -1 (out failed).
 */
int text_base64(struct buf *out, const char *in, size_t len);

/* Append the UTF-8 encoding of cp (U+FFFD for invalid ones). Returns 0 or -1. */
int text_put_utf8(struct buf *out, uint32_t cp);

/*
 * Decode the UTF-8 sequence at in; store the code point in *cp and return
 * its length (1-4). An invalid or truncated sequence yields cp = U+FFFD
 * and length 1. len must be > 0.
 */
size_t text_utf8_next(const char *in, size_t len, uint32_t *cp);

/* Return 1 when in[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int text_utf8_valid(const char *in, size_t len);

/* Return the number of code points in valid UTF-8 text. */
size_t text_utf8_chars(const char *in, size_t len);

/*
 * Return 1 when cp is Chinese or Japanese: an ideograph, a kana, a CJK
 * mark or a full-width form. Such text has no spaces, between sentences
 * either.
 */
int text_cp_cjk(uint32_t cp);
/*
 * Return 1 when cp is of a script written without spaces between words:
 * text_cp_cjk(), or Thai, Lao, Khmer, Burmese (these do space sentences).
 */
int text_cp_unspaced(uint32_t cp);

/*
 * Append in, cut to at most max_chars code points: when it is longer, cut
 * at the last white space that leaves room for "…" (U+2026) and append
 * "…"; when there is no white space in the first half, cut mid-word on a
 * code point boundary. Trailing punctuation and spaces before the "…" are
 * dropped. in must be valid UTF-8. Returns 1 when it cut, 0 when it
 * fitted, -1 when out failed.
 */
int text_cut(struct buf *out, const char *in, size_t len, size_t max_chars);

/*
 * Append in folded to printable ASCII: typographic quotes and dashes to
 * ' " -, "…" to "...", accented Latin letters to their base letter (ß to
 * ss, æ to ae, ...), other known symbols to a readable form (€ to EUR,
 * © to (c)), and anything else to '?'. in must be valid UTF-8.
 * Returns 0 or -1.
 */
int text_ascii_fold(struct buf *out, const char *in, size_t len);

#endif
