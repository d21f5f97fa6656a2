/* date_fuzz — libFuzzer target for date_parse(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse one input from an exactly sized copy, so that ASan sees any over-read. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	int64_t t;

	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	if (date_parse(buf, size, &t) == 0) {
		/* Every date read lies within years 1..9999, give or take a day of zone. */
		if (t < date_from_civil(0, 12, 30, 0, 0, 0) ||
		    t > date_from_civil(10000, 1, 2, 0, 0, 0))
			abort();
	}
	free(buf);
	return 0;
}
