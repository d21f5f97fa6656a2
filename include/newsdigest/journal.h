/*
 * journal — the record format of the durable outbox.
 *
 * Pure core: records are encoded into and decoded from memory; the
 * outbox does the file I/O. A journal is a sequence of records, each
 *
 *   magic "NDj1" | type (1 byte) | body length (4 bytes) | CRC-32 (4 bytes) | body
 *
 * with integers little-endian and the CRC-32 (zlib's) over the type, the
 * length and the body. A PUT record holds one message for the broker; a
 * DONE record says the message with that sequence number left the outbox
 * (acknowledged, or dropped). A record that was torn by a crash or
 * damaged on disk fails its length or checksum and is skipped: the loader
 * looks for the next magic and reads on from there.
 */
#ifndef NEWSDIGEST_JOURNAL_H
#define NEWSDIGEST_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "newsdigest/buf.h"

#define JOURNAL_HEADER 13		/* magic, type, length, CRC */
#define JOURNAL_MAX_BODY ((size_t)1 << 20)	/* a larger length is damage */

enum journal_type {
	JOURNAL_PUT = 1,
	JOURNAL_DONE = 2,
};

/* Why a message left the outbox (DONE records). */
enum journal_reason {
	JOURNAL_ACKED = 0,	/* the broker acknowledged it */
	JOURNAL_DROPPED = 1,	/* a bound of the outbox was hit: the oldest went */
	JOURNAL_STALE = 2,	/* older than its expiry or the outbox's max age */
	JOURNAL_REPLACED = 3,	/* a newer state of the same retained topic came */
};

/* Content encodings a PUT can name. */
enum journal_encoding {
	JOURNAL_ENC_NONE = 0,
	JOURNAL_ENC_ZLIB = 1,
	JOURNAL_ENC_IDENTITY = 2,
};

/*
 * One record. Strings and the payload point into the decoded data (or
 * into the caller's memory when encoding); they are not NUL-terminated.
 */
struct journal_rec {
	enum journal_type type;
	uint64_t seq;		/* the message's number, rising */
	/* PUT */
	uint64_t article;	/* the article's id, 0 for a message of no article */
	int64_t created;	/* Unix seconds */
	uint32_t expiry;	/* message expiry in seconds, 0 = none */
	int retain;
	enum journal_encoding encoding;
	const char *feed;	/* the feed's name, "" for none */
	size_t feedlen;
	const char *topic;
	size_t topiclen;
	const void *payload;
	size_t len;
	/* DONE */
	enum journal_reason reason;
};

/*
 * Append the encoding of r to out. Returns 0, or -1 when out failed or a
 * field is too long for the format (feed or topic past 65535 bytes, body
 * past JOURNAL_MAX_BODY).
 */
int journal_encode(struct buf *out, const struct journal_rec *r);

/*
 * Decode the record at the start of data (len bytes) into r, whose
 * pointers then point into data. Returns the record's size, or 0 when no
 * sound record starts there: a wrong magic, a length past the end of data
 * or past JOURNAL_MAX_BODY, a checksum or body that does not match.
 */
size_t journal_decode(const char *data, size_t len, struct journal_rec *r);

/* Return the offset of the next magic in data after its first byte, or len. */
size_t journal_resync(const char *data, size_t len);

/*
 * Called for each sound record of a journal, in order, with its offset.
 * Return 0 to go on, -1 to stop.
 */
typedef int (*journal_rec_cb)(void *arg, const struct journal_rec *r, size_t off, size_t size);

/* Where a scan of a journal stands, between the pieces it is read in. */
struct journal_scan {
	size_t skipped;		/* bytes skipped as damage so far */
	size_t stretches;	/* damaged stretches they made */
	int skipping;		/* the last bytes looked at were skipped */
};

/*
 * Read the records at the start of data (len bytes), skipping what is
 * damaged, calling cb for each sound one with its offset in data. With
 * more set, more of the journal follows data: the scan stops where what is
 * left may be a record cut by the end of data, for the caller to read on
 * from there with more bytes. st (zeroed before the first piece) carries
 * the counts across pieces. Returns the number of bytes of data read, or
 * (size_t)-1 when cb stopped.
 */
size_t journal_scan(const char *data, size_t len, int more, journal_rec_cb cb, void *arg,
    struct journal_scan *st);

/* Return the name of an encoding ("zlib", "identity") or NULL for none. */
const char *journal_encoding_name(enum journal_encoding e);

#endif
