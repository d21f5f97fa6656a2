/* hash — FNV-1a 64 for stable ids and shards. */
#include <stdio.h>
#include <string.h>

#include "newsdigest/hash.h"

/* Continue an FNV-1a 64 hash over len bytes. */
uint64_t
hash_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	while (len-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Write the digest id of an article. */
void
hash_item_id(char out[17], const char *feed, const char *item_id)
{
	uint64_t h;

	h = hash_fnv1a(HASH_FNV_OFFSET, feed, strlen(feed) + 1);
	h = hash_fnv1a(h, item_id, strlen(item_id));
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Return the shard of a feed. */
unsigned long
hash_shard(const char *feed, unsigned long n)
{
	return (unsigned long)(hash_fnv1a(HASH_FNV_OFFSET, feed, strlen(feed)) % n);
}
