/*
 * date — dates as feeds write them, to Unix seconds.
 *
 * Pure core: no clock, no locale, no time zone database, no globals.
 */
#ifndef NEWSDIGEST_DATE_H
#define NEWSDIGEST_DATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse a date in any form found in feeds: RFC 822/1123/2822 with the
 * zone forms seen in the wild (GMT, UT, UTC, Z, EST/EDT/CST/CDT/MST/MDT/
 * PST/PDT, military letters, +hhmm, +hh:mm, none = UTC), two- and
 * four-digit years, missing weekday or seconds; RFC 3339 / ISO 8601
 * (basic and extended, fractions, week-less ordinal dates, date only);
 * W3C-DTF partial dates (YYYY, YYYY-MM); and the common broken variants
 * (see ../shared/data/feedparser-cases/dates.jsonl), including the
 * localised month and weekday names found there.
 * in need not be NUL-terminated. Stores seconds since the epoch (UTC) in
 * *out. Returns 0, or -1 when in is not a date.
 */
int date_parse(const char *in, size_t len, int64_t *out);

/* Return the Unix time of a UTC calendar time (proleptic Gregorian). */
int64_t date_from_civil(int year, int month, int day, int hour, int min, int sec);

#define DATE_FORMAT_LEN 17	/* "YYYY-MM-DD HH:MM" and the NUL */
/*
 * Write the UTC calendar time of Unix time t as "YYYY-MM-DD HH:MM" into
 * out (DATE_FORMAT_LEN bytes). Unlike gmtime(3) it does not depend on the
 * width of time_t, 32 bits on Debian 12's armhf and i386, where a date
 * after 2038-01-19 would wrap to 1901. Returns 0, or -1 (out is "") when
 * t is not in the years 0 to 9999.
 */
int date_format(char out[DATE_FORMAT_LEN], int64_t t);

#endif
