/*
 * hash — stable 64-bit hashes for ids and shards.
 *
 * FNV-1a, 64 bit (offset 0xcbf29ce484222325, prime 0x100000001b3): simple,
 * fast, identical on every platform and release, and documented so that a
 * device or another daemon can compute the same value. Not for security.
 */
#ifndef NEWSDIGEST_HASH_H
#define NEWSDIGEST_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_OFFSET 0xcbf29ce484222325ULL

/* Continue an FNV-1a 64 hash h over len bytes. Start with HASH_FNV_OFFSET. */
uint64_t hash_fnv1a(uint64_t h, const void *p, size_t len);

/*
 * Write the 16-hex-digit digest id of an article into out (17 bytes with
 * the NUL): FNV-1a 64 of the feed name, one NUL byte, and the item's id.
 */
void hash_item_id(char out[17], const char *feed, const char *item_id);

/*
 * Return the shard (0..n-1) a feed belongs to: FNV-1a 64 of the bytes of
 * its name (no NUL), modulo n. n must be at least 1.
 */
unsigned long hash_shard(const char *feed, unsigned long n);

#endif
