/* date_test — unit tests for date_parse(), date_from_civil() and date_format(). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdigest/date.h"

#ifndef ND_SRCDIR
#define ND_SRCDIR "."
#endif

#define DATE_TEST_JSONL	ND_SRCDIR "/../shared/data/feedparser-cases/dates.jsonl"

/* One input and what it means: ok 0 means "not a date". */
struct date_test_case {
	const char	*in;
	int		 ok;
	int		 y, mo, d, h, mi, s;
};

/* Write the UTC calendar time of t as "Y-M-D h:m:s" into buf. */
static void
date_test_civil(int64_t t, char *buf, size_t size)
{
	int64_t days, secs, z, era, doe, yoe, y, doy, mp, d, m;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* The inverse of days-from-civil, kept apart from the code under test. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(buf, size, "%" PRId64 "-%02" PRId64 "-%02" PRId64 " %02" PRId64 ":%02" PRId64
	    ":%02" PRId64, y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

/*
 * date_format(): the calendar time of 64-bit seconds, past 2038 too (a
 * 32-bit time_t's gmtime() wraps there), and back through
 * date_from_civil() to the minute over 10,000 years.
 */
static void
date_test_format(void **state)
{
	static const struct {
		int64_t t;
		const char *want;
	} tc[] = {
		{ 0, "1970-01-01 00:00" },
		{ -1, "1969-12-31 23:59" },
		{ 951782400, "2000-02-29 00:00" },
		{ INT32_MAX, "2038-01-19 03:14" },
		{ (int64_t)INT32_MAX + 1, "2038-01-19 03:14" },
		{ (int64_t)UINT32_MAX + 1, "2106-02-07 06:28" },
		{ 4102444799, "2099-12-31 23:59" },
		{ -62167219200, "0000-01-01 00:00" },
		{ 253402300799, "9999-12-31 23:59" },
	};
	char out[DATE_FORMAT_LEN], want[64];
	int64_t t;
	size_t i;
	int y, mo, d, h, mi;

	(void)state;
	for (i = 0; i < sizeof tc / sizeof tc[0]; i++) {
		assert_int_equal(date_format(out, tc[i].t), 0);
		assert_string_equal(out, tc[i].want);
	}
	assert_int_equal(date_format(out, -62167219201), -1);
	assert_string_equal(out, "");
	assert_int_equal(date_format(out, 253402300800), -1);
	assert_int_equal(date_format(out, INT64_MIN), -1);
	for (t = -62167219200; t <= 253402300799; t += 7777777 * 60 + 59) {
		assert_int_equal(date_format(out, t), 0);
		assert_int_equal(sscanf(out, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5);
		assert_int_equal(date_from_civil(y, mo, d, h, mi, 0), t - (t % 60 + 60) % 60);
		/* The test's own inverse writes the year unpadded. */
		date_test_civil(t, want, sizeof want);
		if (y >= 1000)
			assert_memory_equal(out, want, DATE_FORMAT_LEN - 1);
	}
}

/* Run a table of cases, print each failure, and fail when there was one. */
static void
date_test_table(const struct date_test_case *tc, size_t n)
{
	char want[64], got[64];
	int64_t t, exp;
	size_t i;
	int r, bad = 0;

	for (i = 0; i < n; i++) {
		t = INT64_MIN;
		r = date_parse(tc[i].in, strlen(tc[i].in), &t);
		if (!tc[i].ok) {
			if (r != -1) {
				date_test_civil(t, got, sizeof(got));
				print_error("\"%s\": expected not a date, got %s\n", tc[i].in, got);
				bad++;
			}
			continue;
		}
		exp = date_from_civil(tc[i].y, tc[i].mo, tc[i].d, tc[i].h, tc[i].mi, tc[i].s);
		if (r != 0 || t != exp) {
			date_test_civil(exp, want, sizeof(want));
			if (r == 0)
				date_test_civil(t, got, sizeof(got));
			else
				snprintf(got, sizeof(got), "not a date");
			print_error("\"%s\": expected %s, got %s\n", tc[i].in, want, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Convert calendar times to known Unix times. */
static void
date_test_from_civil(void **state)
{
	(void)state;
	assert_true(date_from_civil(1970, 1, 1, 0, 0, 0) == 0);
	assert_true(date_from_civil(2002, 9, 7, 0, 0, 1) == INT64_C(1031356801));
	assert_true(date_from_civil(2000, 2, 29, 0, 0, 0) == INT64_C(951782400));
	assert_true(date_from_civil(2038, 1, 19, 3, 14, 8) == INT64_C(2147483648));
	assert_true(date_from_civil(1969, 12, 31, 23, 59, 59) == -1);
	assert_true(date_from_civil(1900, 1, 1, 0, 0, 0) == INT64_C(-2208988800));
	assert_true(date_from_civil(1600, 3, 1, 0, 0, 0) == INT64_C(-11670912000));
	assert_true(date_from_civil(1000, 1, 1, 0, 0, 0) == INT64_C(-30610224000));
	assert_true(date_from_civil(1, 1, 1, 0, 0, 0) == INT64_C(-62135596800));
	assert_true(date_from_civil(9999, 12, 31, 23, 59, 59) == INT64_C(253402300799));
	/* Out-of-range fields carry over. */
	assert_true(date_from_civil(2003, 12, 31, 24, 0, 0) == INT64_C(1072915200));
	assert_true(date_from_civil(2003, 13, 1, 0, 0, 0) == INT64_C(1072915200));
	assert_true(date_from_civil(2004, 0, 1, 0, 0, 0) == INT64_C(1070236800));
}

/* Parse RFC 822, 1123 and 2822 dates and their common variants. */
static void
date_test_rfc822(void **state)
{
	static const struct date_test_case tc[] = {
		{ "Sat, 07 Sep 2002 00:00:01 GMT", 1, 2002, 9, 7, 0, 0, 1 },
		{ "07 Sep 2002 00:00:01 GMT", 1, 2002, 9, 7, 0, 0, 1 },
		{ "Sat, 07 Sep 2002 09:30 GMT", 1, 2002, 9, 7, 9, 30, 0 },
		{ "Sat, 07 Sep 2002", 1, 2002, 9, 7, 0, 0, 0 },
		{ "Sat, 07 Sep 02 00:00:01 GMT", 1, 2002, 9, 7, 0, 0, 1 },
		{ "Tue, 07 Sep 99 00:00:01 GMT", 1, 1999, 9, 7, 0, 0, 1 },
		{ "07 Sep 49 12:00:00 GMT", 1, 2049, 9, 7, 12, 0, 0 },
		{ "07 Sep 50 12:00:00 GMT", 1, 1950, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 UT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 UTC", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 Z", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 EST", 1, 2002, 9, 7, 17, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 EDT", 1, 2002, 9, 7, 16, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 CST", 1, 2002, 9, 7, 18, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 CDT", 1, 2002, 9, 7, 17, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 MST", 1, 2002, 9, 7, 19, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 MDT", 1, 2002, 9, 7, 18, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 PST", 1, 2002, 9, 7, 20, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 pdt", 1, 2002, 9, 7, 19, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 CEST", 1, 2002, 9, 7, 10, 0, 0 },
		/* Military letters as feedparser reads them; unknown names are UTC. */
		{ "Sat, 07 Sep 2002 12:00:00 A", 1, 2002, 9, 7, 13, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 N", 1, 2002, 9, 7, 11, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 M", 1, 2002, 9, 8, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 Y", 1, 2002, 9, 7, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 B", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 XYZ", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 +0200", 1, 2002, 9, 7, 10, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 -0530", 1, 2002, 9, 7, 17, 30, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 +02:00", 1, 2002, 9, 7, 10, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 UTC+5", 1, 2002, 9, 7, 7, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 Etc/GMT+5", 1, 2002, 9, 7, 17, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 +0000 (UTC)", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 -0500 EST", 1, 2002, 9, 7, 17, 0, 0 },
		/* An unknown weekday before a comma is skipped. */
		{ "Sa, 07 Sep 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "  Sat,\t07  Sep   2002\n 12:00:00   GMT  ", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat,07 Sep, 2002, 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07-Sep-2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "saturday, 07 sep 2002 12:00:00 gmt", 1, 2002, 9, 7, 12, 0, 0 },
		{ "SAT, 07 SEP 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 September 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sept 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep. 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 7 Sep 2002 12:00:00.250 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Sat, 07 Sep 2002 23:59:60 GMT", 1, 2002, 9, 7, 23, 59, 59 },
		{ "Sat, 07 Sep 2002 24:00:00 GMT", 1, 2002, 9, 8, 0, 0, 0 },
		{ "Fri, 29 Feb 2008 12:00:00 GMT", 1, 2008, 2, 29, 12, 0, 0 },
		{ "Sat, 01 Jan 1000 00:00:00 GMT", 1, 1000, 1, 1, 0, 0, 0 },
		{ "Mon, 01 Jan 1900 12:00:00 +0100", 1, 1900, 1, 1, 11, 0, 0 },
	};

	(void)state;
	date_test_table(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Parse the asctime, date(1), JavaScript, US and Perforce forms. */
static void
date_test_other(void **state)
{
	static const struct date_test_case tc[] = {
		{ "Sat Sep  7 12:00:01 2002", 1, 2002, 9, 7, 12, 0, 1 },
		{ "Sat Sep  7 12:00:01 EDT 2002", 1, 2002, 9, 7, 16, 0, 1 },
		{ "Sat Sep 07 12:00:01 +0000 2002", 1, 2002, 9, 7, 12, 0, 1 },
		{ "Sat Sep 07 2002 14:00:01 GMT+0200 (Central European Summer Time)", 1,
		    2002, 9, 7, 12, 0, 1 },
		{ "September 7, 2002", 1, 2002, 9, 7, 0, 0, 0 },
		{ "September 7th, 2002 10:15 PM", 1, 2002, 9, 7, 22, 15, 0 },
		{ "Sep 7 2002 12:30 am", 1, 2002, 9, 7, 0, 30, 0 },
		{ "7th September 2002 12:00 PM", 1, 2002, 9, 7, 12, 0, 0 },
		{ "2002/09/07 12:00:01", 1, 2002, 9, 7, 12, 0, 1 },
		{ "Sat, 2002/09/07 08:00:01 EDT", 1, 2002, 9, 7, 12, 0, 1 },
		{ "2002-09-07 10:00:01 PM", 1, 2002, 9, 7, 22, 0, 1 },
	};

	(void)state;
	date_test_table(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Parse RFC 3339, ISO 8601 and W3C-DTF dates. */
static void
date_test_iso(void **state)
{
	static const struct date_test_case tc[] = {
		{ "2003-12-31T10:14:55Z", 1, 2003, 12, 31, 10, 14, 55 },
		{ "2003-12-31T10:14:55.123+01:00", 1, 2003, 12, 31, 9, 14, 55 },
		{ "2003-12-31T10:14:55,5-08:00", 1, 2003, 12, 31, 18, 14, 55 },
		{ "2003-12-31T10:14Z", 1, 2003, 12, 31, 10, 14, 0 },
		{ "2003-12-31", 1, 2003, 12, 31, 0, 0, 0 },
		{ "20031231T101455Z", 1, 2003, 12, 31, 10, 14, 55 },
		{ "20031231T1014+0100", 1, 2003, 12, 31, 9, 14, 0 },
		{ "20031231", 1, 2003, 12, 31, 0, 0, 0 },
		{ "2003-12", 1, 2003, 12, 1, 0, 0, 0 },
		{ "2003", 1, 2003, 1, 1, 0, 0, 0 },
		{ "2003-335", 1, 2003, 12, 1, 0, 0, 0 },
		{ "2004-335", 1, 2004, 11, 30, 0, 0, 0 },
		{ "2004-366T12:00Z", 1, 2004, 12, 31, 12, 0, 0 },
		{ "2003335", 1, 2003, 12, 1, 0, 0, 0 },
		{ "2003-12-31 10:14:55", 1, 2003, 12, 31, 10, 14, 55 },
		{ "2003-12-31t10:14:55z", 1, 2003, 12, 31, 10, 14, 55 },
		{ "2003-12-31T24:00:00Z", 1, 2004, 1, 1, 0, 0, 0 },
		{ "2003-12-31T24:00Z", 1, 2004, 1, 1, 0, 0, 0 },
		{ "2016-12-31T23:59:60Z", 1, 2016, 12, 31, 23, 59, 59 },
		{ "2003-12-31T10:14:55+01", 1, 2003, 12, 31, 9, 14, 55 },
		{ "2003-12-31T10:14:55+0100", 1, 2003, 12, 31, 9, 14, 55 },
		{ "2003-12-31T10:14:55 -00:20", 1, 2003, 12, 31, 10, 34, 55 },
		{ "2003-12-31T10:14:55 GMT", 1, 2003, 12, 31, 10, 14, 55 },
		{ "2003-12-31T00:30:00+01:00", 1, 2003, 12, 30, 23, 30, 0 },
		{ "2004-7-8T9:05Z", 1, 2004, 7, 8, 9, 5, 0 },
		{ "1969-12-31T23:59:59Z", 1, 1969, 12, 31, 23, 59, 59 },
		{ "1000-01-01T00:00:00Z", 1, 1000, 1, 1, 0, 0, 0 },
		{ "9999-12-31T23:59:59Z", 1, 9999, 12, 31, 23, 59, 59 },
		{ "031231", 1, 2003, 12, 31, 0, 0, 0 },
		{ "03-12-31", 1, 2003, 12, 31, 0, 0, 0 },
		{ "-0312", 1, 2003, 12, 1, 0, 0, 0 },
		{ "-03-12", 1, 2003, 12, 1, 0, 0, 0 },
		{ "03335", 1, 2003, 12, 1, 0, 0, 0 },
		{ "2003-012-31T10:14:55Z", 1, 2003, 12, 31, 10, 14, 55 },
		{ "\n\t 2003-12-31T10:14:55Z \r\n", 1, 2003, 12, 31, 10, 14, 55 },
	};

	(void)state;
	date_test_table(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Parse dates with Greek, Hungarian and Korean names. */
static void
date_test_local(void **state)
{
	static const struct date_test_case tc[] = {
		{ "Σάβ, 07 Σεπ 2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
		{ "Τρίτη, 02 Μαρτίου 2004 12:00:00 +0200", 1, 2004, 3, 2, 10, 0, 0 },
		{ "ΤΡΙ, 02 ΜΑΡ 2004 12:00:00 GMT", 1, 2004, 3, 2, 12, 0, 0 },
		{ "Πεμ, 01 Ιουν 2006 12:00:00 GMT", 1, 2006, 6, 1, 12, 0, 0 },
		{ "Παρ, 07 Μαΐου 2004 12:00:00 GMT", 1, 2004, 5, 7, 12, 0, 0 },
		{ "2002-szeptember-07T10:00Z", 1, 2002, 9, 7, 10, 0, 0 },
		{ "2002-március-07", 1, 2002, 3, 7, 0, 0, 0 },
		{ "2002년 9월 7일 09:00:01", 1, 2002, 9, 7, 0, 0, 1 },
		{ "2002년 9월 7일", 1, 2002, 9, 6, 15, 0, 0 },
		{ "2002-09-07 오전 9:00:01", 1, 2002, 9, 7, 0, 0, 1 },
		{ "2002-09-07 오후 12:00:00", 1, 2002, 9, 7, 3, 0, 0 },
		{ "2002-09-07 오후 1:00:00 +0000", 1, 2002, 9, 7, 13, 0, 0 },
		{ "07\xc2\xa0Sep\xc2\xa0" "2002 12:00:00 GMT", 1, 2002, 9, 7, 12, 0, 0 },
	};

	(void)state;
	date_test_table(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Reject what is not a date or names a time that does not exist. */
static void
date_test_reject(void **state)
{
	static const struct date_test_case tc[] = {
		{ "", 0, 0, 0, 0, 0, 0, 0 },
		{ " \t\r\n", 0, 0, 0, 0, 0, 0, 0 },
		{ "garbage", 0, 0, 0, 0, 0, 0, 0 },
		{ "today", 0, 0, 0, 0, 0, 0, 0 },
		{ "12:00:00", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-13-01", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-00-01", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-32", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-02-29", 0, 0, 0, 0, 0, 0, 0 },
		{ "2004-02-30", 0, 0, 0, 0, 0, 0, 0 },
		{ "1900-02-29", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T25:00:00Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:60:00Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:14:61Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T24:00:01Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:14:55+01:60", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:14:55+24:00", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:14:55.Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12-31T10:14:55Z junk", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-12T10:00Z", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-000", 0, 0, 0, 0, 0, 0, 0 },
		{ "2003-366", 0, 0, 0, 0, 0, 0, 0 },
		{ "0000-01-01", 0, 0, 0, 0, 0, 0, 0 },
		{ "10000-01-01", 0, 0, 0, 0, 0, 0, 0 },
		{ "12345", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 32 Sep 2002 12:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 31 Sep 2002 12:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Foo 2002 12:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Se 2002 12:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 25:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:60:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 GMT GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 +2400", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 2002 12:00:00 Europe", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat, 07 Sep 12:00:00 GMT", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sat Sep  7 12:00:01", 0, 0, 0, 0, 0, 0, 0 },
		{ "Sep 7 2002 13:00 PM", 0, 0, 0, 0, 0, 0, 0 },
		{ "2002-09-07 오후", 0, 0, 0, 0, 0, 0, 0 },
		{ "Ιου 2002", 0, 0, 0, 0, 0, 0, 0 },
		/* More tokens than any date has. */
		{ "Sat, 07 Sep 2002 12:00:00 GMT 1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 1 2 3 4 5",
		    0, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	date_test_table(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Read no byte past len, and accept no NULL. */
static void
date_test_bounds(void **state)
{
	static const char text[] = "2003-12-31T10:14:55Zjunk";
	char one[1] = { '7' };
	int64_t t = 0;

	(void)state;
	assert_int_equal(date_parse(text, 20, &t), 0);
	assert_true(t == date_from_civil(2003, 12, 31, 10, 14, 55));
	assert_int_equal(date_parse(text, 7, &t), 0);
	assert_true(t == date_from_civil(2003, 12, 1, 0, 0, 0));
	assert_int_equal(date_parse(text, 4, &t), 0);
	assert_true(t == date_from_civil(2003, 1, 1, 0, 0, 0));
	assert_int_equal(date_parse(text, 0, &t), -1);
	assert_int_equal(date_parse(text, sizeof(text) - 1, &t), -1);
	assert_int_equal(date_parse(one, sizeof(one), &t), -1);
	assert_int_equal(date_parse(NULL, 0, &t), -1);
	assert_int_equal(date_parse(text, 20, NULL), -1);
	/* A NUL inside the length is a byte like any other: not a date. */
	assert_int_equal(date_parse("2003-12-31\0T10:00Z", 18, &t), -1);
}

/* Append code point c to out as UTF-8; return the new length, or -1. */
static int
date_test_put(char *out, size_t cap, size_t n, unsigned long c)
{
	unsigned char b[4];
	size_t k, i;

	if (c < 0x80) {
		b[0] = (unsigned char)c;
		k = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		k = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | c >> 18);
		b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		k = 4;
	}
	if (n + k >= cap)
		return -1;
	for (i = 0; i < k; i++)
		out[n + i] = (char)b[i];
	return (int)(n + k);
}

/* Read four hex digits at p into *c. */
static int
date_test_hex4(const char *p, unsigned long *c)
{
	int i, d;

	*c = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		*c = *c << 4 | (unsigned long)d;
	}
	return 0;
}

/* Read the JSON string at *pp into out (UTF-8, NUL-ended); store its length. */
static int
date_test_jstr(const char **pp, char *out, size_t cap, size_t *lenp)
{
	const char *p = *pp;
	unsigned long c, lo;
	int n = 0;

	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		if (*p == '\0')
			return -1;
		if (*p != '\\') {
			if ((size_t)n + 1 >= cap)
				return -1;
			out[n++] = *p++;
			continue;
		}
		p++;
		switch (*p++) {
		case '"': c = '"'; break;
		case '\\': c = '\\'; break;
		case '/': c = '/'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (date_test_hex4(p, &c) == -1)
				return -1;
			p += 4;
			if (c >= 0xd800 && c <= 0xdbff) {
				if (p[0] != '\\' || p[1] != 'u' ||
				    date_test_hex4(p + 2, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
					return -1;
				p += 6;
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			}
			break;
		default:
			return -1;
		}
		if ((n = date_test_put(out, cap, (size_t)n, c)) == -1)
			return -1;
	}
	out[n] = '\0';
	*lenp = (size_t)n;
	*pp = p + 1;
	return 0;
}

/* Skip JSON white space. */
static const char *
date_test_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Read an array of six integers, or null (*has = 0), at *pp. */
static int
date_test_jarr(const char **pp, int *has, int v[6])
{
	const char *p = *pp;
	char *end;
	long x;
	int i;

	if (strncmp(p, "null", 4) == 0) {
		*has = 0;
		*pp = p + 4;
		return 0;
	}
	if (*p++ != '[')
		return -1;
	for (i = 0; i < 6; i++) {
		p = date_test_ws(p);
		x = strtol(p, &end, 10);
		if (end == p || x < -100000 || x > 100000)
			return -1;
		v[i] = (int)x;
		p = date_test_ws(end);
		if (*p != (i == 5 ? ']' : ','))
			return -1;
		p++;
	}
	*has = 1;
	*pp = p;
	return 0;
}

/*
 * Read one line, {"parser": "...", "input": "...", "expected_utc": [...] | null},
 * keys in any order.
 */
static int
date_test_line(const char *p, char *parser, size_t pcap, char *in, size_t icap, size_t *ilen,
    int *has, int v[6])
{
	char key[32];
	size_t klen, plen;
	int seen = 0;

	p = date_test_ws(p);
	if (*p++ != '{')
		return -1;
	for (;;) {
		p = date_test_ws(p);
		if (date_test_jstr(&p, key, sizeof(key), &klen) == -1)
			return -1;
		p = date_test_ws(p);
		if (*p++ != ':')
			return -1;
		p = date_test_ws(p);
		if (strcmp(key, "parser") == 0) {
			if (date_test_jstr(&p, parser, pcap, &plen) == -1)
				return -1;
			seen |= 1;
		} else if (strcmp(key, "input") == 0) {
			if (date_test_jstr(&p, in, icap, ilen) == -1)
				return -1;
			seen |= 2;
		} else if (strcmp(key, "expected_utc") == 0) {
			if (date_test_jarr(&p, has, v) == -1)
				return -1;
			seen |= 4;
		} else
			return -1;
		p = date_test_ws(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return -1;
	}
	return seen == 7 ? 0 : -1;
}

/* Check every date string of feedparser's cases, when they are there. */
static void
date_test_jsonl(void **state)
{
	char parser[64], in[1024], want[64], got[64];
	char *line = NULL;
	size_t cap = 0, ilen;
	int v[6], has = 0, r, lines = 0, pass = 0;
	int64_t t;
	FILE *f;

	(void)state;
	if ((f = fopen(DATE_TEST_JSONL, "r")) == NULL) {
		printf("dates.jsonl not found at %s: skipped\n", DATE_TEST_JSONL);
		skip();
		return;
	}
	while (getline(&line, &cap, f) != -1) {
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		lines++;
		if (date_test_line(line, parser, sizeof(parser), in, sizeof(in), &ilen, &has,
		    v) == -1) {
			print_error("dates.jsonl:%d: cannot read the line\n", lines);
			continue;
		}
		t = 0;
		r = date_parse(in, ilen, &t);
		if (r == 0)
			date_test_civil(t, got, sizeof(got));
		else
			snprintf(got, sizeof(got), "not a date");
		if (has) {
			snprintf(want, sizeof(want), "%d-%02d-%02d %02d:%02d:%02d", v[0], v[1],
			    v[2], v[3], v[4], v[5]);
			if (r == 0 && t == date_from_civil(v[0], v[1], v[2], v[3], v[4], v[5])) {
				pass++;
				continue;
			}
		} else {
			snprintf(want, sizeof(want), "not a date");
			if (r == -1) {
				pass++;
				continue;
			}
		}
		print_error("dates.jsonl:%d: %s \"%s\": expected %s, got %s\n", lines, parser,
		    in, want, got);
	}
	free(line);
	fclose(f);
	printf("dates.jsonl: %d/%d passed\n", pass, lines);
	assert_true(lines > 0);
	assert_int_equal(pass, lines);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_test_from_civil),
		cmocka_unit_test(date_test_rfc822),
		cmocka_unit_test(date_test_other),
		cmocka_unit_test(date_test_iso),
		cmocka_unit_test(date_test_local),
		cmocka_unit_test(date_test_reject),
		cmocka_unit_test(date_test_bounds),
		cmocka_unit_test(date_test_format),
		cmocka_unit_test(date_test_jsonl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
