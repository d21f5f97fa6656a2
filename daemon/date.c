/*
 * date — dates as feeds write them, to Unix seconds.
 *
 * Two readers: date_iso() for the digit-first ISO 8601 / W3C-DTF family,
 * and date_text() for everything with words in it (RFC 822 and its
 * relatives, asctime, localised forms), which works on a short token list.
 * Both are single linear passes over a bounded input and allocate nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "newsdigest/date.h"

/* Token kinds beyond the single punctuation characters. */
#define DATE_NUM	256
#define DATE_WORD	257

/* Separators seen before a token. */
#define DATE_SPACE	0x1
#define DATE_COMMA	0x2

/* No date has more tokens; more means this is not a date. */
#define DATE_MAXTOK	32

/* Numbers longer than this do not fit a field and keep no value. */
#define DATE_MAXDIG	9

/* One token of date_text(): a number, a word or a punctuation character. */
struct date_tok {
	const char	*p;
	size_t		 len;
	int		 kind;	/* DATE_NUM, DATE_WORD or the character */
	int		 gap;	/* DATE_SPACE, DATE_COMMA: what came before it */
	int		 val;	/* DATE_NUM: the value, -1 when too long */
};

/* The fields of a date as read, before the check and the conversion. */
struct date_tm {
	int	year, mon, day, hour, min, sec;
	int	yday;	/* ordinal day instead of mon and day, or 0 */
	int	off;	/* zone offset east of UTC, in minutes */
	int	zone;	/* a zone was given */
	int	ampm;	/* 0, 1 for a.m., 2 for p.m. */
	int	kst;	/* Korean words: local time is Korea's */
};

/* A month or weekday name and the shortest prefix of it that may be used. */
struct date_name {
	const char	*name;
	int		 val;
	int		 min;	/* code points; 0 when only the whole name will do */
};

/* A zone abbreviation and its offset east of UTC, in minutes. */
struct date_zone {
	const char	*name;
	int		 off;
};

/*
 * Month names in the spellings feeds use. Names are compared after
 * date_fold(), so case and accents do not matter and the Greek genitive
 * ("Ιουλίου", as in "11 Ιουλίου 2004") needs its own line.
 */
static const struct date_name date_months[] = {
	/* Any prefix of three letters or more: "Sep", "Sept", "September". */
	{ "january", 1, 3 },
	{ "february", 2, 3 },
	{ "march", 3, 3 },
	{ "april", 4, 3 },
	{ "may", 5, 3 },
	{ "june", 6, 3 },
	{ "july", 7, 3 },
	{ "august", 8, 3 },
	{ "september", 9, 3 },
	{ "october", 10, 3 },
	{ "november", 11, 3 },
	{ "december", 12, 3 },
	/* Hungarian; január, február, november, december match the English. */
	{ "március", 3, 3 },
	{ "április", 4, 3 },
	{ "május", 5, 3 },
	{ "június", 6, 3 },
	{ "július", 7, 3 },
	{ "augusztus", 8, 3 },
	{ "szeptember", 9, 3 },
	{ "október", 10, 3 },
	/* Greek, nominative and genitive; June and July share "Ιου". */
	{ "Ιανουάριος", 1, 3 },
	{ "Ιανουαρίου", 1, 3 },
	{ "Φεβρουάριος", 2, 3 },
	{ "Φεβρουαρίου", 2, 3 },
	{ "Μάρτιος", 3, 3 },
	{ "Μαρτίου", 3, 3 },
	{ "Απρίλιος", 4, 3 },
	{ "Απριλίου", 4, 3 },
	{ "Μάιος", 5, 3 },
	{ "Μαΐου", 5, 3 },
	{ "Ιούνιος", 6, 4 },
	{ "Ιουνίου", 6, 4 },
	{ "Ιούλιος", 7, 4 },
	{ "Ιουλίου", 7, 4 },
	{ "Αύγουστος", 8, 3 },
	{ "Αυγούστου", 8, 3 },
	{ "Σεπτέμβριος", 9, 3 },
	{ "Σεπτεμβρίου", 9, 3 },
	{ "Οκτώβριος", 10, 3 },
	{ "Οκτωβρίου", 10, 3 },
	{ "Νοέμβριος", 11, 3 },
	{ "Νοεμβρίου", 11, 3 },
	{ "Δεκέμβριος", 12, 3 },
	{ "Δεκεμβρίου", 12, 3 },
};

/* Weekday names; a date's weekday is skipped, never checked. */
static const struct date_name date_wdays[] = {
	{ "sunday", 0, 3 },
	{ "monday", 1, 3 },
	{ "tuesday", 2, 3 },
	{ "wednesday", 3, 3 },
	{ "thursday", 4, 3 },
	{ "friday", 5, 3 },
	{ "saturday", 6, 3 },
	{ "Κυριακή", 0, 3 },
	{ "Δευτέρα", 1, 3 },
	{ "Τρίτη", 2, 3 },
	{ "Τετάρτη", 3, 3 },
	{ "Πέμπτη", 4, 3 },
	{ "Παρασκευή", 5, 3 },
	{ "Σάββατο", 6, 3 },
	/* Hungarian and Korean only whole: their short forms clash with months. */
	{ "vasárnap", 0, 0 },
	{ "hétfő", 1, 0 },
	{ "kedd", 2, 0 },
	{ "szerda", 3, 0 },
	{ "csütörtök", 4, 0 },
	{ "péntek", 5, 0 },
	{ "szombat", 6, 0 },
	{ "일요일", 0, 0 },
	{ "월요일", 1, 0 },
	{ "화요일", 2, 0 },
	{ "수요일", 3, 0 },
	{ "목요일", 4, 0 },
	{ "금요일", 5, 0 },
	{ "토요일", 6, 0 },
};

/*
 * Zone abbreviations. RFC 822 and the North American ones first, with the
 * forms without S/D ("ET") that feeds use; then those common enough in
 * feeds to be unambiguous. IST (India? Ireland? Israel?) is left out on
 * purpose.
 */
static const struct date_zone date_zones[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "uct", 0 },
	{ "edt", -240 }, { "est", -300 }, { "et", -300 },
	{ "cdt", -300 }, { "cst", -360 }, { "ct", -360 },
	{ "mdt", -360 }, { "mst", -420 }, { "mt", -420 },
	{ "pdt", -420 }, { "pst", -480 }, { "pt", -480 },
	{ "adt", -180 }, { "ast", -240 }, { "at", -240 },
	{ "akdt", -480 }, { "akst", -540 }, { "hst", -600 },
	{ "ndt", -150 }, { "nst", -210 },
	{ "wet", 0 }, { "west", 60 }, { "bst", 60 },
	{ "met", 60 }, { "mest", 120 }, { "cet", 60 }, { "cest", 120 },
	{ "mez", 60 }, { "mesz", 120 }, { "eet", 120 }, { "eest", 180 },
	{ "msk", 180 },
	{ "hkt", 480 }, { "sgt", 480 }, { "awst", 480 },
	{ "jst", 540 }, { "kst", 540 },
	{ "acst", 570 }, { "acdt", 630 }, { "aest", 600 }, { "aedt", 660 },
	{ "nzst", 720 }, { "nzdt", 780 },
};

/* Accent-free lower case of U+00C0..U+00FF by (c & 31); '.' keeps it. */
static const char date_latin[] = "aaaaaa.ceeeeiiii.nooooo.ouuuuy..";

static const int date_mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* Tell whether c is an ASCII digit. */
static int
date_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/* Tell whether c is an ASCII letter. */
static int
date_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Tell whether c is ASCII white space. */
static int
date_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Tell whether the byte may be part of a word: a letter or UTF-8. */
static int
date_isword(int c)
{
	return date_isalpha(c) || (c & 0x80) != 0;
}

/* Return c in ASCII lower case. */
static int
date_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* Tell whether year is a Gregorian leap year. */
static int
date_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Return the number of days of a month. */
static int
date_days(int year, int mon)
{
	return date_mdays[mon - 1] + (mon == 2 && date_leap(year));
}

/* Map a two-digit year as RFC 2822 does: 00-49 are 20xx, 50-99 19xx. */
static int
date_yy(int yy)
{
	return yy < 50 ? 2000 + yy : 1900 + yy;
}

/* Count the digits at p, at most 99. */
static int
date_run(const char *p, const char *e)
{
	int n = 0;

	while (p < e && date_isdigit((unsigned char)*p) && n < 99) {
		p++;
		n++;
	}
	return n;
}

/* Read exactly n (at most DATE_MAXDIG) digits at *pp into *v. */
static int
date_fixed(const char **pp, const char *e, int n, int *v)
{
	const char *p = *pp;
	int x = 0;

	if (n > DATE_MAXDIG || e - p < n)
		return -1;
	while (n-- > 0) {
		if (!date_isdigit((unsigned char)*p))
			return -1;
		x = x * 10 + (*p++ - '0');
	}
	*pp = p;
	*v = x;
	return 0;
}

/* Read a whole run of min to max digits at *pp into *v. */
static int
date_num(const char **pp, const char *e, int min, int max, int *v)
{
	int n = date_run(*pp, e);

	if (n < min || n > max)
		return -1;
	return date_fixed(pp, e, n, v);
}

/* Read a three-digit ordinal day at *pp; day 000 does not exist. */
static int
date_ordinal(const char **pp, const char *e, struct date_tm *tm)
{
	if (date_fixed(pp, e, 3, &tm->yday) == -1 || tm->yday == 0)
		return -1;
	return 0;
}

/* Decode one UTF-8 code point at *pp, or return -1 when it is not one. */
static long
date_utf8(const char **pp, const char *e)
{
	const unsigned char *p = (const unsigned char *)*pp;
	long c = p[0];
	int i, n;

	if (c < 0x80)
		n = 0;
	else if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		c &= 0x07;
	} else
		return -1;
	if (e - *pp <= n)
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (p[i] & 0x3f);
	}
	*pp += n + 1;
	return c;
}

/* Return a code point in lower case without its accent, for name matching. */
static long
date_fold(long c)
{
	if (c < 0x80)
		return date_lower((int)c);
	if (c >= 0xc0 && c <= 0xff)
		return date_latin[c & 31] != '.' ? date_latin[c & 31] : c == 0xdf ? c : c | 0x20;
	/* Hungarian ő and ű. */
	if (c == 0x150 || c == 0x151)
		return 'o';
	if (c == 0x170 || c == 0x171)
		return 'u';
	if (c >= 0x391 && c <= 0x3a9)
		c += 0x20;
	switch (c) {
	case 0x386: case 0x3ac:
		return 0x3b1;	/* α */
	case 0x388: case 0x3ad:
		return 0x3b5;	/* ε */
	case 0x389: case 0x3ae:
		return 0x3b7;	/* η */
	case 0x38a: case 0x390: case 0x3aa: case 0x3af: case 0x3ca:
		return 0x3b9;	/* ι */
	case 0x38c: case 0x3cc:
		return 0x3bf;	/* ο */
	case 0x38e: case 0x3ab: case 0x3b0: case 0x3cb: case 0x3cd:
		return 0x3c5;	/* υ */
	case 0x38f: case 0x3ce:
		return 0x3c9;	/* ω */
	case 0x3c2:
		return 0x3c3;	/* final ς is σ */
	}
	return c;
}

/* Tell whether the word (p, len) abbreviates name as its table entry allows. */
static int
date_prefix(const char *p, size_t len, const struct date_name *nm)
{
	const char *e = p + len, *q = nm->name, *qe = q + strlen(q);
	long a, b;
	int n = 0;

	while (p < e) {
		if (q == qe)
			return 0;
		if ((a = date_utf8(&p, e)) == -1 || (b = date_utf8(&q, qe)) == -1)
			return 0;
		if (date_fold(a) != date_fold(b))
			return 0;
		n++;
	}
	return nm->min == 0 ? q == qe : n >= nm->min;
}

/* Return the value of the name the word abbreviates, or -1. */
static int
date_lookup(const char *p, size_t len, const struct date_name *tab, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (date_prefix(p, len, &tab[i]))
			return tab[i].val;
	return -1;
}

/* Tell whether (p, len) is lit, ASCII case aside. */
static int
date_eq(const char *p, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || date_lower((unsigned char)p[i]) != (unsigned char)lit[i])
			return 0;
	return lit[len] == '\0';
}

/* Look a zone abbreviation up; return 0 with *off set, or -1. */
static int
date_zname(const char *p, size_t len, int *off)
{
	size_t i;

	for (i = 0; i < sizeof(date_zones) / sizeof(date_zones[0]); i++) {
		if (date_eq(p, len, date_zones[i].name)) {
			*off = date_zones[i].off;
			return 0;
		}
	}
	return -1;
}

/* Check the fields and store the Unix time they name in *out. */
static int
date_make(struct date_tm *tm, int64_t *out)
{
	int m;

	if (tm->year < 1 || tm->year > 9999)
		return -1;
	if (tm->yday != 0) {
		if (tm->yday > 365 + date_leap(tm->year))
			return -1;
		tm->day = tm->yday;
		for (m = 1; tm->day > date_days(tm->year, m); m++)
			tm->day -= date_days(tm->year, m);
		tm->mon = m;
	}
	if (tm->mon < 1 || tm->mon > 12 || tm->day < 1 || tm->day > date_days(tm->year, tm->mon))
		return -1;
	if (tm->hour > 24 || tm->min > 59 || tm->sec > 60)
		return -1;
	/* 24:00 is the end of the day, which date_from_civil() makes the next. */
	if (tm->hour == 24 && (tm->min != 0 || tm->sec != 0))
		return -1;
	/* No leap second table here: 23:59:60 is taken as 23:59:59. */
	if (tm->sec == 60)
		tm->sec = 59;
	*out = date_from_civil(tm->year, tm->mon, tm->day, tm->hour, tm->min, tm->sec) -
	    (int64_t)tm->off * 60;
	return 0;
}

/* Read a numeric zone, +hh, +hhmm or +hh:mm, at *pp into *off. */
static int
date_isooff(const char **pp, const char *e, int *off)
{
	const char *p = *pp;
	int sign = *p++ == '-' ? -1 : 1, n, hh, mm = 0;

	n = date_run(p, e);
	if (n == 4) {
		if (date_fixed(&p, e, 2, &hh) == -1 || date_fixed(&p, e, 2, &mm) == -1)
			return -1;
	} else if (n == 2) {
		if (date_fixed(&p, e, 2, &hh) == -1)
			return -1;
		if (p < e && *p == ':') {
			p++;
			if (date_num(&p, e, 2, 2, &mm) == -1)
				return -1;
		}
	} else
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 60 + mm);
	*pp = p;
	return 0;
}

/* Read the time and zone that may follow an ISO 8601 date. */
static int
date_isotime(const char *p, const char *e, struct date_tm *tm)
{
	const char *q;
	int basic = 0, n, sec = 0;

	if (*p == 'T' || *p == 't') {
		p++;
		basic = 1;
	} else if (date_isspace((unsigned char)*p)) {
		while (p < e && date_isspace((unsigned char)*p))
			p++;
	} else
		return -1;
	n = date_run(p, e);
	if ((n == 1 || n == 2) && p + n < e && p[n] == ':') {
		if (date_fixed(&p, e, n, &tm->hour) == -1)
			return -1;
		p++;
		if (date_num(&p, e, 2, 2, &tm->min) == -1)
			return -1;
		if (p < e && *p == ':') {
			p++;
			if (date_num(&p, e, 2, 2, &tm->sec) == -1)
				return -1;
			sec = 1;
		}
	} else if (basic && (n == 2 || n == 4 || n == 6)) {
		/* The basic format, "T101455". */
		if (date_fixed(&p, e, 2, &tm->hour) == -1 ||
		    (n >= 4 && date_fixed(&p, e, 2, &tm->min) == -1) ||
		    (n == 6 && date_fixed(&p, e, 2, &tm->sec) == -1))
			return -1;
		sec = n == 6;
	} else
		return -1;
	if (sec && p < e && (*p == '.' || *p == ',')) {
		/* Fractions of a second are dropped: the result is whole seconds. */
		if (++p == e || !date_isdigit((unsigned char)*p))
			return -1;
		while (p < e && date_isdigit((unsigned char)*p))
			p++;
	}
	while (p < e && date_isspace((unsigned char)*p))
		p++;
	if (p == e)
		return 0;
	if (*p == '+' || *p == '-') {
		if (date_isooff(&p, e, &tm->off) == -1)
			return -1;
		return p == e ? 0 : -1;
	}
	for (q = p; q < e && date_isalpha((unsigned char)*q); q++)
		;
	if (q != e || date_zname(p, (size_t)(q - p), &tm->off) == -1)
		return -1;
	return 0;
}

/*
 * Read the digit-first forms: ISO 8601 extended and basic, ordinal and
 * truncated (two-digit year) dates, W3C-DTF partial dates, a month name in
 * place of the month number ("2004-július-13"), and a time after 'T' or
 * white space.
 */
static int
date_iso(const char *p, const char *e, int64_t *out)
{
	struct date_tm tm;
	const char *q;
	int full = 1, n;

	memset(&tm, 0, sizeof(tm));
	tm.mon = tm.day = 1;
	if (*p == '-') {
		/* Truncated "-YYMM" and "-YY-MM", no time. */
		p++;
		if (date_fixed(&p, e, 2, &tm.year) == -1)
			return -1;
		tm.year = date_yy(tm.year);
		if (p < e && *p == '-')
			p++;
		if (date_num(&p, e, 2, 2, &tm.mon) == -1 || p != e)
			return -1;
		return date_make(&tm, out);
	}
	switch ((n = date_run(p, e))) {
	case 8:
		if (date_fixed(&p, e, 4, &tm.year) == -1 || date_fixed(&p, e, 2, &tm.mon) == -1 ||
		    date_fixed(&p, e, 2, &tm.day) == -1)
			return -1;
		break;
	case 7:
		if (date_fixed(&p, e, 4, &tm.year) == -1 || date_ordinal(&p, e, &tm) == -1)
			return -1;
		break;
	case 6:
		if (date_fixed(&p, e, 2, &tm.year) == -1 || date_fixed(&p, e, 2, &tm.mon) == -1 ||
		    date_fixed(&p, e, 2, &tm.day) == -1)
			return -1;
		tm.year = date_yy(tm.year);
		break;
	case 5:
		/*
		 * "YYDDD" or a five-digit year? A year is never written with
		 * a leading zero, so only "0DDDD" is read as a truncated
		 * ordinal date ("03335"); "22013" is a year past 9999.
		 */
		if (*p != '0' || date_fixed(&p, e, 2, &tm.year) == -1 ||
		    date_ordinal(&p, e, &tm) == -1)
			return -1;
		tm.year = date_yy(tm.year);
		break;
	case 4:
		if (date_fixed(&p, e, 4, &tm.year) == -1)
			return -1;
		if (p == e) {
			full = 0;
			break;
		}
		if (*p++ != '-' || p == e)
			return -1;
		if (date_isword((unsigned char)*p)) {
			for (q = p; q < e && date_isword((unsigned char)*q); q++)
				;
			tm.mon = date_lookup(p, (size_t)(q - p), date_months,
			    sizeof(date_months) / sizeof(date_months[0]));
			p = q;
			if (tm.mon == -1 || p == e || *p++ != '-' ||
			    date_num(&p, e, 1, 2, &tm.day) == -1)
				return -1;
			break;
		}
		n = date_run(p, e);
		if (n == 3 && p + 3 < e && p[3] == '-' && *p == '0') {
			/* "2003-012-31": a month with a zero too many, seen in the wild. */
			p++;
			n = 2;
		} else if (n == 3) {
			if (date_ordinal(&p, e, &tm) == -1)
				return -1;
			break;
		}
		if (date_num(&p, e, 1, 2, &tm.mon) == -1)
			return -1;
		if (p < e && *p == '-') {
			p++;
			if (date_num(&p, e, 1, 2, &tm.day) == -1)
				return -1;
		} else
			full = 0;
		break;
	case 2:
		/* Truncated "YY-MM-DD" and "YY-DDD". */
		if (date_fixed(&p, e, 2, &tm.year) == -1 || p == e || *p++ != '-')
			return -1;
		tm.year = date_yy(tm.year);
		if (date_run(p, e) == 3) {
			if (date_ordinal(&p, e, &tm) == -1)
				return -1;
			break;
		}
		if (date_num(&p, e, 2, 2, &tm.mon) == -1 || p == e || *p++ != '-' ||
		    date_num(&p, e, 2, 2, &tm.day) == -1)
			return -1;
		break;
	default:
		return -1;
	}
	if (p != e) {
		/* Partial dates (2003, 2003-12) take no time. */
		if (!full || date_isotime(p, e, &tm) == -1)
			return -1;
	}
	return date_make(&tm, out);
}

/* Split (p, e) into tokens; return their number, or -1. */
static int
date_lex(const char *p, const char *e, struct date_tok *t, int max)
{
	int c, gap = 0, n = 0;

	while (p < e) {
		c = (unsigned char)*p;
		if (date_isspace(c) || c == ',') {
			gap |= c == ',' ? DATE_COMMA : DATE_SPACE;
			p++;
			continue;
		}
		/* U+00A0, the no-break space that HTML-minded feeds put in dates. */
		if (c == 0xc2 && e - p > 1 && (unsigned char)p[1] == 0xa0) {
			gap |= DATE_SPACE;
			p += 2;
			continue;
		}
		if (n == max)
			return -1;
		t[n].p = p;
		t[n].gap = gap;
		t[n].val = 0;
		gap = 0;
		if (date_isdigit(c)) {
			t[n].kind = DATE_NUM;
			while (p < e && date_isdigit((unsigned char)*p)) {
				if (p - t[n].p < DATE_MAXDIG)
					t[n].val = t[n].val * 10 + (*p - '0');
				p++;
			}
			if (p - t[n].p > DATE_MAXDIG)
				t[n].val = -1;
		} else if (date_isword(c)) {
			t[n].kind = DATE_WORD;
			while (p < e && date_isword((unsigned char)*p) &&
			    !((unsigned char)*p == 0xc2 && e - p > 1 &&
			    (unsigned char)p[1] == 0xa0))
				p++;
		} else {
			switch (c) {
			case ':': case '-': case '+': case '/': case '.': case '(': case ')':
				t[n].kind = c;
				p++;
				break;
			default:
				return -1;
			}
		}
		t[n].len = (size_t)(p - t[n].p);
		n++;
	}
	return n;
}

/* Tell whether token i exists, is of kind and touches the one before. */
static int
date_adj(const struct date_tok *t, int n, int i, int kind)
{
	return i < n && t[i].kind == kind && !t[i].gap;
}

/* Tell whether token i is a number of min to max digits. */
static int
date_isnum(const struct date_tok *t, int n, int i, int min, int max)
{
	return i < n && t[i].kind == DATE_NUM && t[i].len >= (size_t)min &&
	    t[i].len <= (size_t)max;
}

/* Tell whether token i is the word lit, ASCII case aside. */
static int
date_isw(const struct date_tok *t, int n, int i, const char *lit)
{
	return i < n && t[i].kind == DATE_WORD && date_eq(t[i].p, t[i].len, lit);
}

/* Return the month token i names, or -1. */
static int
date_tmonth(const struct date_tok *t, int n, int i)
{
	if (i >= n || t[i].kind != DATE_WORD)
		return -1;
	return date_lookup(t[i].p, t[i].len, date_months,
	    sizeof(date_months) / sizeof(date_months[0]));
}

/* Return the year a number token stands for, or -1. */
static int
date_tyear(const struct date_tok *t)
{
	switch (t->len) {
	case 2:
		return date_yy(t->val);
	case 3:
		/* RFC 2822 4.3: three-digit years count from 1900. */
		return 1900 + t->val;
	case 4:
		return t->val;
	}
	return -1;
}

/* Skip an English ordinal suffix touching token i-1 ("7th"). */
static int
date_tsuffix(const struct date_tok *t, int n, int i)
{
	if (date_adj(t, n, i, DATE_WORD) && (date_isw(t, n, i, "st") || date_isw(t, n, i, "nd") ||
	    date_isw(t, n, i, "rd") || date_isw(t, n, i, "th")))
		return i + 1;
	return i;
}

/*
 * Read the date at token *ip: "07 Sep 2002", "Sep 7 2002", "Jan  4" (the
 * year comes later, as in asctime), "2006/09/15", "2004-05-25" and
 * "2004년 05월 28일". Return 1, 0 when the year is still to come, or -1.
 */
static int
date_tdate(const struct date_tok *t, int n, int *ip, struct date_tm *tm)
{
	int i = *ip;

	if (date_isnum(t, n, i, 1, 4) && date_isw(t, n, i + 1, "년") && !t[i + 1].gap &&
	    date_isnum(t, n, i + 2, 1, 2) && date_isw(t, n, i + 3, "월") && !t[i + 3].gap &&
	    date_isnum(t, n, i + 4, 1, 2) && date_isw(t, n, i + 5, "일") && !t[i + 5].gap) {
		tm->year = date_tyear(&t[i]);
		tm->mon = t[i + 2].val;
		tm->day = t[i + 4].val;
		tm->kst = 1;
		*ip = i + 6;
		return 1;
	}
	if (date_isnum(t, n, i, 4, 4) && i + 1 < n && (t[i + 1].kind == '/' ||
	    t[i + 1].kind == '-') && !t[i + 1].gap && date_isnum(t, n, i + 2, 1, 2) &&
	    !t[i + 2].gap && date_adj(t, n, i + 3, t[i + 1].kind) &&
	    date_isnum(t, n, i + 4, 1, 2) && !t[i + 4].gap) {
		tm->year = t[i].val;
		tm->mon = t[i + 2].val;
		tm->day = t[i + 4].val;
		*ip = i + 5;
		return 1;
	}
	if (date_isnum(t, n, i, 1, 2)) {
		tm->day = t[i].val;
		i = date_tsuffix(t, n, i + 1);
		if (date_adj(t, n, i, '.'))
			i++;
		if (i < n && t[i].kind == '-')
			i++;
		if ((tm->mon = date_tmonth(t, n, i)) == -1)
			return -1;
		if (date_adj(t, n, ++i, '.'))
			i++;
		if (i < n && t[i].kind == '-')
			i++;
		/* A number touching a ':' is the time: the year is missing. */
		if (!date_isnum(t, n, i, 2, 4) || date_adj(t, n, i + 1, ':'))
			return -1;
		tm->year = date_tyear(&t[i]);
		*ip = i + 1;
		return 1;
	}
	if ((tm->mon = date_tmonth(t, n, i)) != -1) {
		if (date_adj(t, n, ++i, '.'))
			i++;
		if (!date_isnum(t, n, i, 1, 2))
			return -1;
		tm->day = t[i].val;
		i = date_tsuffix(t, n, i + 1);
		if (date_isnum(t, n, i, 4, 4) && !date_adj(t, n, i + 1, ':')) {
			tm->year = t[i].val;
			*ip = i + 1;
			return 1;
		}
		*ip = i;
		return 0;
	}
	return -1;
}

/* Read a time, h:mm[:ss[.fff]], at token *ip. Return 1, 0 when none is there, or -1. */
static int
date_ttime(const struct date_tok *t, int n, int *ip, struct date_tm *tm)
{
	int i = *ip;

	if (!date_isnum(t, n, i, 1, 2) || !date_adj(t, n, i + 1, ':'))
		return 0;
	tm->hour = t[i].val;
	if (!date_isnum(t, n, i + 2, 2, 2) || t[i + 2].gap)
		return -1;
	tm->min = t[i + 2].val;
	i += 3;
	if (date_adj(t, n, i, ':')) {
		if (!date_isnum(t, n, i + 1, 2, 2) || t[i + 1].gap)
			return -1;
		tm->sec = t[i + 1].val;
		i += 2;
		if (date_adj(t, n, i, '.') && date_adj(t, n, i + 1, DATE_NUM))
			i += 2;
	}
	/* "1:2:3:4" is not a time. */
	if (date_adj(t, n, i, ':'))
		return -1;
	*ip = i;
	return 1;
}

/* Read a numeric zone, +hhmm, +hh:mm or +h, at the sign token *ip. */
static int
date_toff(const struct date_tok *t, int n, int *ip, int *off)
{
	int i = *ip, sign = t[i].kind == '-' ? -1 : 1, hh, mm = 0;

	if (!date_adj(t, n, ++i, DATE_NUM))
		return -1;
	if (t[i].len == 4) {
		hh = t[i].val / 100;
		mm = t[i].val % 100;
		i++;
	} else if (t[i].len <= 2) {
		hh = t[i++].val;
		if (date_adj(t, n, i, ':')) {
			if (!date_isnum(t, n, i + 1, 2, 2) || t[i + 1].gap)
				return -1;
			mm = t[i + 1].val;
			i += 2;
		}
	} else
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 60 + mm);
	*ip = i;
	return 0;
}

/* Skip the comment that may follow a zone, "+0200 (CEST)"; return the next token or -1. */
static int
date_tcomment(const struct date_tok *t, int n, int i)
{
	if (i >= n || t[i].kind != '(')
		return i;
	for (i++; i < n && t[i].kind == DATE_WORD; i++)
		;
	if (i == n || t[i].kind != ')')
		return -1;
	return i + 1;
}

/* Read a zone name that is in no table; return 0 with *off set, or -1. */
static int
date_tother(const struct date_tok *w, int *off)
{
	size_t i;
	int c;

	if (w->len == 1 && date_isalpha((unsigned char)w->p[0])) {
		/*
		 * Military letters as feedparser reads them: A, M, N and Y
		 * with RFC 822's signs (backwards, says RFC 1123), the rest
		 * as UTC, which is what RFC 1123 says to assume of them all.
		 */
		c = date_lower((unsigned char)w->p[0]);
		*off = c == 'a' ? -60 : c == 'm' ? -720 : c == 'n' ? 60 : c == 'y' ? 720 : 0;
		return 0;
	}
	/* An unknown abbreviation is taken as UTC, as feedparser does. */
	if (w->len < 2 || w->len > 5)
		return -1;
	for (i = 0; i < w->len; i++)
		if (!date_isalpha((unsigned char)w->p[i]))
			return -1;
	*off = 0;
	return 0;
}

/*
 * Read a zone at token *ip: numeric, an abbreviation, "GMT+hh:mm",
 * "Etc/GMT", a military letter. Return 1, 0 when none is there, or -1.
 */
static int
date_tzone(const struct date_tok *t, int n, int *ip, int *off)
{
	const struct date_tok *w = &t[*ip];
	int i = *ip, etc = 0, k;

	if (w->kind == '+' || w->kind == '-') {
		if (date_toff(t, n, &i, off) == -1)
			return -1;
		/* The offset says it all in "+0000 GMT" and "-0500 EST". */
		if (i < n && t[i].kind == DATE_WORD && t[i].gap &&
		    date_zname(t[i].p, t[i].len, &k) == 0)
			i++;
		if ((i = date_tcomment(t, n, i)) == -1)
			return -1;
		*ip = i;
		return 1;
	}
	if (w->kind != DATE_WORD)
		return 0;
	if (date_isw(t, n, i, "etc") && date_adj(t, n, i + 1, '/') &&
	    date_adj(t, n, i + 2, DATE_WORD)) {
		etc = 1;
		i += 2;
		w = &t[i];
	}
	i++;
	if ((date_eq(w->p, w->len, "gmt") || date_eq(w->p, w->len, "utc") ||
	    date_eq(w->p, w->len, "ut")) && i < n && (t[i].kind == '+' || t[i].kind == '-') &&
	    !t[i].gap) {
		if (date_toff(t, n, &i, off) == -1)
			return -1;
		/* The tz database's Etc/GMT+5 is five hours behind, POSIX style. */
		if (etc)
			*off = -*off;
	} else if (date_zname(w->p, w->len, off) == -1 && (etc || date_tother(w, off) == -1))
		return -1;
	if ((i = date_tcomment(t, n, i)) == -1)
		return -1;
	*ip = i;
	return 1;
}

/* Return 1 for an a.m. word, 2 for p.m., else 0; note Korean. */
static int
date_tampm(const struct date_tok *t, int n, int i, struct date_tm *tm)
{
	if (date_isw(t, n, i, "am"))
		return 1;
	if (date_isw(t, n, i, "pm"))
		return 2;
	if (date_isw(t, n, i, "오전") || date_isw(t, n, i, "오후")) {
		tm->kst = 1;
		return date_isw(t, n, i, "오전") ? 1 : 2;
	}
	return 0;
}

/*
 * Read the forms with words: RFC 822/1123/2822 and their broken variants,
 * asctime and Unix date(1), Perforce, and the localised forms. The parts
 * come in this order, each but the date optional: weekday, date, a.m./p.m.,
 * time, a.m./p.m., zone, year (when the date had none).
 */
static int
date_text(const char *p, const char *e, int64_t *out)
{
	struct date_tok t[DATE_MAXTOK];
	struct date_tm tm;
	int i = 0, n, hasyear, r;

	memset(&tm, 0, sizeof(tm));
	if ((n = date_lex(p, e, t, DATE_MAXTOK)) <= 0)
		return -1;
	/*
	 * A weekday, or any word before a comma: feeds write weekdays in
	 * languages whose month names they then give in English.
	 */
	if (t[0].kind == DATE_WORD && (date_lookup(t[0].p, t[0].len, date_wdays,
	    sizeof(date_wdays) / sizeof(date_wdays[0])) != -1 ||
	    (n > 1 && (t[1].gap & DATE_COMMA) && date_tmonth(t, n, 0) == -1))) {
		i = 1;
		if (date_adj(t, n, i, '.'))
			i++;
	}
	if ((hasyear = date_tdate(t, n, &i, &tm)) == -1)
		return -1;
	if ((tm.ampm = date_tampm(t, n, i, &tm)) != 0)
		i++;
	if ((r = date_ttime(t, n, &i, &tm)) == -1 || (r == 0 && tm.ampm != 0))
		return -1;
	if (r == 1) {
		if (tm.ampm == 0 && (tm.ampm = date_tampm(t, n, i, &tm)) != 0)
			i++;
		if (i < n && (tm.zone = date_tzone(t, n, &i, &tm.off)) == -1)
			return -1;
	}
	if (!hasyear) {
		if (!date_isnum(t, n, i, 4, 4))
			return -1;
		tm.year = t[i++].val;
	}
	if (i != n)
		return -1;
	if (tm.ampm != 0) {
		if (tm.hour < 1 || tm.hour > 12)
			return -1;
		tm.hour = tm.hour % 12 + (tm.ampm == 2 ? 12 : 0);
	}
	/* Korean feeds give local time without saying so. */
	if (tm.kst && !tm.zone)
		tm.off = 540;
	return date_make(&tm, out);
}

/* Parse a feed date into Unix seconds; see date.h. */
int
date_parse(const char *in, size_t len, int64_t *out)
{
	const char *p, *e;

	if (in == NULL || out == NULL)
		return -1;
	p = in;
	e = in + len;
	while (p < e && date_isspace((unsigned char)*p))
		p++;
	while (e > p && date_isspace((unsigned char)e[-1]))
		e--;
	if (p == e)
		return -1;
	if ((date_isdigit((unsigned char)*p) || *p == '-') && date_iso(p, e, out) == 0)
		return 0;
	return date_text(p, e, out);
}

/* Return the Unix time of a proleptic Gregorian UTC calendar time. */
int64_t
date_from_civil(int year, int month, int day, int hour, int min, int sec)
{
	int64_t y = year, m = (int64_t)month - 1, era, yoe, doy, doe;

	/* Fold a month outside 1..12 into the year, so every input is defined. */
	y += m / 12;
	m %= 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	m++;
	/* Count from March, so that the leap day ends the year. */
	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400 + (int64_t)hour * 3600 +
	    (int64_t)min * 60 + sec;
}

/* Write the UTC calendar time of t as "YYYY-MM-DD HH:MM". */
int
date_format(char out[DATE_FORMAT_LEN], int64_t t)
{
	int64_t days, secs, era, doe, yoe, doy, mp, y, m;
	char s[64];

	out[0] = '\0';
	if (t < date_from_civil(0, 1, 1, 0, 0, 0) || t > date_from_civil(9999, 12, 31, 23, 59, 59))
		return -1;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* date_from_civil() backwards: eras of 400 years from 0000-03-01. */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	/* The fields are in range; the room is for the compiler, which cannot tell. */
	snprintf(s, sizeof s, "%04d-%02d-%02d %02d:%02d", (int)y, (int)m,
	    (int)(doy - (153 * mp + 2) / 5 + 1), (int)(secs / 3600), (int)(secs / 60 % 60));
	memcpy(out, s, DATE_FORMAT_LEN - 1);
	out[DATE_FORMAT_LEN - 1] = '\0';
	return 0;
}
