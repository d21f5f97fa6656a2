/* hash_test — unit tests for daemon/hash.c: FNV-1a 64, ids and shards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "newsdigest/hash.h"

/* FNV-1a 64 matches the published test vectors. */
static void
hash_test_fnv1a(void **state)
{
	(void)state;
	assert_int_equal(hash_fnv1a(HASH_FNV_OFFSET, "", 0), 0xcbf29ce484222325ULL);
	assert_int_equal(hash_fnv1a(HASH_FNV_OFFSET, "a", 1), 0xaf63dc4c8601ec8cULL);
	assert_int_equal(hash_fnv1a(HASH_FNV_OFFSET, "foobar", 6), 0x85944171f73967e8ULL);
	/* Continuing a hash is hashing the concatenation. */
	assert_int_equal(hash_fnv1a(hash_fnv1a(HASH_FNV_OFFSET, "foo", 3), "bar", 3),
	    0x85944171f73967e8ULL);
}

/* A feed's shard is FNV-1a 64 of its name modulo N, the same everywhere. */
static void
hash_test_shard(void **state)
{
	static const struct {
		const char *name;
		unsigned long shard3;
	} cases[] = {
		/* fnv1a64("world") = 0x4f59ff5e730c8af3, and so on. */
		{ "world", 2 }, { "tech", 1 }, { "science", 0 }, { "sports", 2 },
	};
	unsigned long counts[3] = { 0, 0, 0 };
	char name[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(hash_shard(cases[i].name, 3), cases[i].shard3);
		assert_int_equal(hash_shard(cases[i].name, 1), 0);
		assert_int_equal(hash_shard(cases[i].name, 2),
		    hash_fnv1a(HASH_FNV_OFFSET, cases[i].name, strlen(cases[i].name)) % 2);
	}
	/* 300 names spread over 3 shards, none left nearly empty. */
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "feed%zu", i);
		counts[hash_shard(name, 3)]++;
	}
	for (i = 0; i < 3; i++)
		assert_true(counts[i] > 70 && counts[i] < 130);
}

/* A digest id is FNV-1a 64 of feed, NUL, guid, as 16 hex digits. */
static void
hash_test_item_id(void **state)
{
	char id[17], want[17];

	(void)state;
	hash_item_id(id, "world", "urn:1");
	snprintf(want, sizeof want, "%016llx", (unsigned long long)hash_fnv1a(
	    hash_fnv1a(HASH_FNV_OFFSET, "world", 6), "urn:1", 5));
	assert_string_equal(id, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_test_fnv1a),
		cmocka_unit_test(hash_test_shard),
		cmocka_unit_test(hash_test_item_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
