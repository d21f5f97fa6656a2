/*
 * tags — the key tags of an article, most important first.
 *
 * Pure core. Candidates are the article's proper-name phrases (Burkina
 * Faso, Sergey Lavrov), acronyms (ECOWAS) and runs of content words (oil
 * spill), each a sequence of stems, so that variants are one tag; a name
 * said in full once and short later (Sergey Lavrov, Lavrov) is one tag too.
 * They are ranked by PositionRank: a random walk over the graph of words
 * that stand near each other, biased towards words that come early. The
 * feed's categories are evidence: one the text talks about gains rank,
 * one it never mentions comes after the strong candidates; generic ones
 * ("News", "Uncategorized") are dropped.
 */
#ifndef NEWSDIGEST_TAGS_H
#define NEWSDIGEST_TAGS_H

#include <stddef.h>

#include "newsdigest/article.h"

#define TAGS_MAX 16
#define TAGS_MAX_LEN 64	/* bytes of one tag */

struct tags {
	size_t n;
	char tag[TAGS_MAX][TAGS_MAX_LEN + 1];
};

/*
 * Fill t with at most max (<= TAGS_MAX) tags for the article a has read,
 * given the feed's ncat categories. Tags are whole words, at most
 * TAGS_MAX_LEN bytes (a longer phrase is passed over, never cut) and
 * unique (case-insensitively for ASCII).
 */
void tags_make(struct tags *t, size_t max, const char *const *cats, size_t ncat,
    struct article *a);

/*
 * Fill t with at most max (<= TAGS_MAX) baseline tags, to measure
 * tags_make() against: the words a says most often (the headline counts
 * once), no stop word or number, the earlier first on a tie.
 */
void tags_frequent(struct tags *t, size_t max, const struct article *a);

#endif
