/*
 * tags — the key tags of an article, most important first.
 *
 * Pure core. The feed's own categories win when it gives them; else the
 * names the text keeps coming back to: runs of capitalised words
 * ("Burkina Faso", "European Central Bank") and acronyms ("ECOWAS"),
 * ranked by how often they occur and how early they first appear.
 */
#ifndef NEWSDIGEST_TAGS_H
#define NEWSDIGEST_TAGS_H

#include <stddef.h>

#define TAGS_MAX 16
#define TAGS_MAX_LEN 64	/* bytes of one tag */

struct tags {
	size_t n;
	char tag[TAGS_MAX][TAGS_MAX_LEN + 1];
};

/*
 * Fill t with at most max (<= TAGS_MAX) tags for an article: its
 * categories (ncat of them) when there are any, else names found in the
 * title and text. Tags are cleaned, cut on a character boundary to
 * TAGS_MAX_LEN bytes and unique (case-insensitively for ASCII).
 */
void tags_make(struct tags *t, size_t max, const char *const *cats, size_t ncat,
    const char *title, const char *text, size_t len);

#endif
