/* json — compact JSON writing. */
#include <string.h>

#include "newsdigest/json.h"

/* Append a quoted, escaped JSON string. */
int
json_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	unsigned char c;
	char esc[7];

	buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			buf_add(out, "\\\"", 2);
			break;
		case '\\':
			buf_add(out, "\\\\", 2);
			break;
		case '\n':
			buf_add(out, "\\n", 2);
			break;
		case '\t':
			buf_add(out, "\\t", 2);
			break;
		case '\r':
			buf_add(out, "\\r", 2);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_add(out, esc, 6);
			break;
		}
	}
	buf_add(out, s + run, len - run);
	return buf_addc(out, '"');
}

/* Append a key with its colon. */
int
json_key(struct buf *out, const char *key, int first)
{
	if (!first)
		buf_addc(out, ',');
	json_string(out, key, strlen(key));
	return buf_addc(out, ':');
}
