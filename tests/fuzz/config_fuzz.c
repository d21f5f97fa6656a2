/*
 * config_fuzz — libFuzzer target for the INI reader: the input is a
 * config file, read by config_parse() as newsdigestd -n reads it. Every
 * error is one "PATH:LINE: message" (or "PATH: message") line, as many
 * lines as the count returned; a file without errors has a feed, and
 * each of this daemon's feeds a URL; the same text parses to the same
 * errors twice.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/buf.h"
#include "newsdigest/config.h"
#include "newsdigest/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CONFIG_FUZZ_PATH "fuzz.conf"

/* Check that each line of errors starts with the path and a colon; return how many. */
static size_t
config_fuzz_lines(const struct buf *errors)
{
	const char *s = buf_str(errors), *nl;
	size_t n = 0, plen = strlen(CONFIG_FUZZ_PATH);

	for (; *s != '\0'; s = nl + 1, n++) {
		if ((nl = strchr(s, '\n')) == NULL || strncmp(s, CONFIG_FUZZ_PATH, plen) != 0 ||
		    s[plen] != ':')
			abort();
	}
	return n;
}

/* Parse one input from an exactly sized copy, so that ASan sees any over-read. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, again;
	struct buf errors, errors2;
	char *copy;
	size_t i;
	int nerr, nerr2;

	/* What a config says is logged at info: not a finding. */
	log_level = LOG_LEVEL_ERROR;
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	buf_init(&errors, 0);
	buf_init(&errors2, 0);
	nerr = config_parse(&cfg, CONFIG_FUZZ_PATH, copy, size, &errors);
	if (nerr < 0 || config_fuzz_lines(&errors) != (size_t)nerr)
		abort();
	if (nerr == 0) {
		if (cfg.nfeeds_all == 0)
			abort();
		for (i = 0; i < cfg.nfeeds; i++)
			if (cfg.feeds[i].url == NULL || cfg.feeds[i].url[0] == '\0')
				abort();
	}
	nerr2 = config_parse(&again, CONFIG_FUZZ_PATH, copy, size, &errors2);
	if (nerr2 != nerr || strcmp(buf_str(&errors), buf_str(&errors2)) != 0)
		abort();
	config_free(&cfg);
	config_free(&again);
	buf_free(&errors);
	buf_free(&errors2);
	free(copy);
	return 0;
}
