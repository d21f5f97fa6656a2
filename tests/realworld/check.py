#!/usr/bin/env python3
"""
Check `newsdigest feed --json` on real-world feeds, and against rss-parser.

The feeds are test inputs of other feed readers (rss-parser, miniflux,
newsboat, feed-extractor), kept outside this repository: by default in
../shared/data/realworld relative to the repository root (its SOURCES.md
says where each folder comes from). Nothing from there is copied into the
repository; it is read at run time. When the folder is absent the tool
prints "../shared/data/realworld not found: skipped" and exits 0.

1. Every feed parses. The CLI runs once on every feed file: rss-parser's
   test/input/*, and the feed files (*.xml, *.rss, *.atom, *.json) of the
   other folders. Inputs that are not feeds at all are listed in NOT_FEEDS
   below, each with its reason; they are run too, for information, but not
   counted. Prints parsed / total, every failure with the CLI's message,
   and the feeds read with "recovered": true, with their warnings.

2. rss-parser's expected outputs. For each test/input/NAME.EXT that has a
   test/output/NAME.json ({"feed": <rss-parser's parse result>}), compares
   feed.title and feed.link, then the items in order: title, link, id
   (their guid, else their id; not checked where they have neither) and
   date (their isoDate as Unix seconds against our published, or our
   updated when we have no published; not checked where they have no
   isoDate). A check passes when the values are equal. A mismatch is put in
   one group:
     theirs is raw    equal once both sides are normalised (tags stripped,
                      entities decoded, white space collapsed; URLs: ends
                      stripped) and ours is unchanged by it: their value is
                      raw markup or padded, ours is what a display wants
     ours is raw      equal once normalised, but ours is not plain text
     theirs is relative  their URL is relative, ours is it made absolute
     theirs lost characters  their text has U+FFFD where ours has letters
                      (they decoded the bytes with the wrong charset)
     ours missing     they have a value, we have none
     no such item     we have fewer items than they do
     extra item       we have more items than they do (one title check each)
     feed not read    the CLI failed on the input: all its checks fail
     differs          anything else
   Items past our max_items limit (the CLI's "more items than the limit"
   warning) are not compared; the tool says how many.

Usage (from the repository root, after `make`):

    python3 tests/realworld/check.py [--bin build/newsdigest] [--data DIR]
        [-v] [--min-parse PCT] [--min-match PCT]

  --bin PATH       the CLI to check (default: build/newsdigest in the repo)
  --data DIR       the realworld folder (default: ../shared/data/realworld)
  -v               also print a per-file table and values in full
  --min-parse PCT  exit 1 when fewer than PCT % of the feeds parse
  --min-match PCT  exit 1 when fewer than PCT % of the rss-parser checks match

The last line is "N passed, M failed": feeds parsed plus rss-parser checks
matched, against feeds not parsed plus checks mismatched. This is an
evaluation tool first: the exit status is 0 whatever the counts, unless a
--min-* threshold is given and not met (1), or the CLI is missing (2).

Python 3 standard library only.
"""
import argparse
import collections
import concurrent.futures
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_SHOWN = "../shared/data/realworld"  # as the default is named in messages
DEFAULT_DATA = os.path.normpath(os.path.join(REPO_ROOT, DATA_SHOWN))
DEFAULT_BIN = os.path.join(REPO_ROOT, "build", "newsdigest")

TIMEOUT = 20  # seconds per CLI run
WORKERS = max(2, min(4, os.cpu_count() or 2))

RSS_PARSER_IN = "rss-parser/test/input"
RSS_PARSER_OUT = "rss-parser/test/output"
FEED_EXTS = (".xml", ".rss", ".atom", ".json")
NOT_INPUTS = ("LICENSE", "SOURCES.md")  # file names that are no test data

# Inputs that are not feeds, relative to the data folder, with the reason.
# Decided by reading each file; every other input under the data folder is
# a feed. These are run for information only and are not counted.
NOT_FEEDS = {
    # rss-parser's negative case: an HTML "Document Moved" page. rss-parser
    # has no output for it (its test expects "Feed not recognized").
    "rss-parser/test/input/unrecognized.rss":
        "HTML error page, rss-parser's 'not recognized' negative case",
    # newsboat's negative case for an empty document.
    "newsboat/test/data/empty.xml":
        "empty file, newsboat's negative case",
    # miniflux's charset detector tests: HTML pages with a <meta charset>.
    "miniflux/internal/reader/encoding/testdata/iso-8859-1.html":
        "HTML page, input of miniflux's charset detection tests",
    "miniflux/internal/reader/encoding/testdata/iso-8859-1-meta-after-1024.html":
        "HTML page, input of miniflux's charset detection tests",
    "miniflux/internal/reader/encoding/testdata/utf8.html":
        "HTML page, input of miniflux's charset detection tests",
    "miniflux/internal/reader/encoding/testdata/utf8-meta-after-1024.html":
        "HTML page, input of miniflux's charset detection tests",
    # miniflux's XML decoder tests: a generic <note> document, no feed.
    "miniflux/internal/reader/xml/testdata/iso88591.xml":
        "<note> document, input of miniflux's XML decoder tests",
    "miniflux/internal/reader/xml/testdata/iso88591_utf8_mismatch.xml":
        "<note> document, input of miniflux's XML decoder tests",
}

FIELDS = ("feed.title", "feed.link", "title", "link", "id", "date")


# ---------------------------------------------------------------------------
# Finding the inputs

def find_inputs(data):
    """
    Every input file under the data folder, relative to it, sorted, as
    (feeds, not_feeds, unknown, missing): unknown are files neither a feed
    by name nor listed in NOT_FEEDS, so that new data gets looked at;
    missing are NOT_FEEDS entries the folder does not have.
    """
    feeds, not_feeds, unknown = [], [], []
    for top, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(top, name), data).replace(os.sep, "/")
            if name in NOT_INPUTS or rel.startswith(RSS_PARSER_OUT + "/"):
                continue
            if rel in NOT_FEEDS:
                not_feeds.append(rel)
            elif rel.startswith(RSS_PARSER_IN + "/") or name.lower().endswith(FEED_EXTS):
                feeds.append(rel)
            else:
                unknown.append(rel)
    missing = sorted(set(NOT_FEEDS) - set(not_feeds))
    return feeds, not_feeds, unknown, missing


# ---------------------------------------------------------------------------
# Running the CLI

class Reading:
    """What the CLI made of one file: its JSON, or the error message."""

    def __init__(self, data=None, error=None):
        self.data = data
        self.error = error


def cli_message(stderr, path):
    """The CLI's first stderr line without its "newsdigest: PATH: " prefix."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    msg = lines[0] if lines else ""
    for prefix in ("newsdigest: " + path + ": ", "newsdigest: "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg


def run_cli(binary, path):
    """Run `feed --json` on one file."""
    try:
        p = subprocess.run([binary, "feed", "--json", path], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Reading(error="timed out after %d s" % TIMEOUT)
    msg = cli_message(p.stderr, path)
    if p.returncode < 0:
        try:
            sig = signal.Signals(-p.returncode).name
        except ValueError:
            sig = "signal %d" % -p.returncode
        return Reading(error=("CRASH: killed by %s: %s" % (sig, msg)).rstrip(": "))
    if p.returncode != 0:
        return Reading(error=msg or "exit %d, no message" % p.returncode)
    try:
        data = json.loads(p.stdout)
    except ValueError as e:
        return Reading(error="output is not JSON (%s)" % e)
    if not (isinstance(data, dict) and isinstance(data.get("feed"), dict)
            and isinstance(data.get("items"), list)):
        return Reading(error="JSON without feed/items")
    return Reading(data=data)


def truncated(data):
    """True when the CLI dropped items at its max_items limit."""
    return any("more items than the limit" in w for w in data.get("warnings", []))


# ---------------------------------------------------------------------------
# Text

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from displaytext import collapse, normalise as normalise_text  # noqa: E402


def normalise_url(s):
    """A URL or id: only the white space around it goes."""
    return s.strip()


def lost_characters(theirs, ours):
    """
    Their text has U+FFFD where ours has a character: they decoded bytes
    in a legacy charset as UTF-8 (one U+FFFD a byte), we did not.
    """
    if "\ufffd" not in theirs:
        return False
    pattern = ".".join(re.escape(p) for p in collapse(theirs).split("\ufffd"))
    return re.fullmatch(pattern, collapse(ours), re.S) is not None


def made_absolute(theirs, ours):
    """Their URL is relative, ours is it resolved to an absolute one."""
    t, o = theirs.strip(), ours.strip()
    if not t or urllib.parse.urlsplit(t).scheme or not urllib.parse.urlsplit(o).scheme:
        return False
    return o.endswith(t.lstrip("./")) or urllib.parse.urljoin(o, t) == o


# ---------------------------------------------------------------------------
# rss-parser's outputs

def load_expected(path):
    """
    rss-parser's output JSON. Most are UTF-8; encoding.json (from an
    ISO-8859-1 feed) was written as Latin-1, so that is the fallback.
    """
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return json.loads(text)["feed"]


def iso_seconds(s):
    """rss-parser's isoDate ("2015-11-12T21:16:39.000Z") -> Unix seconds."""
    d = datetime.datetime.fromisoformat(s.strip().replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


def iso_of(ts):
    """Unix seconds -> ISO 8601 UTC, for reports."""
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def compare_value(field, theirs, ours):
    """Compare one text/URL value; returns None on a match, else the mismatch group."""
    theirs = theirs if isinstance(theirs, str) else ""
    ours = ours if isinstance(ours, str) else ""
    if theirs == ours:
        return None
    is_text = field.endswith("title")
    norm = normalise_text if is_text else normalise_url
    if norm(theirs) == norm(ours):
        return "theirs is raw" if norm(ours) == ours else "ours is raw"
    if theirs.strip() and not ours.strip():
        return "ours missing"
    if not is_text and made_absolute(theirs, ours):
        return "theirs is relative"
    if is_text and lost_characters(theirs, ours):
        return "theirs lost characters"
    return "differs"


def compare_date(want, item):
    """
    (group or None, ours) for the date check: their date in Unix seconds
    against our published, or our updated when we have no published.
    """
    got = item.get("published")
    if got is None:
        got = item.get("updated")
    if got is None:
        return "ours missing", None
    return (None if got == want else "differs"), got


class Tally:
    """Checks of rss-parser's outputs: counts per field, mismatches, skips."""

    def __init__(self):
        self.by_field = collections.OrderedDict((f, [0, 0]) for f in FIELDS)
        self.by_file = collections.OrderedDict()
        self.mismatches = []   # dicts: file, item, field, group, theirs, ours
        self.skipped = collections.Counter()  # reason -> checks not made
        self.notes = []        # per-file remarks (item counts, limits)

    def add(self, name, field, group, item=None, theirs=None, ours=None):
        ok = group is None
        self.by_field[field][0] += ok
        self.by_field[field][1] += 1
        f = self.by_file.setdefault(name, [0, 0])
        f[0] += ok
        f[1] += 1
        if not ok:
            self.mismatches.append({"file": name, "item": item, "field": field,
                                    "group": group, "theirs": theirs, "ours": ours})

    def overall(self):
        return [sum(p for p, _ in self.by_field.values()),
                sum(n for _, n in self.by_field.values())]


def their_checks(t):
    """
    The checks one of their items makes, as (field, their value): title and
    link always, id where they have a guid or an id, date (Unix seconds)
    where they have an isoDate.
    """
    checks = [("title", t.get("title", "")), ("link", t.get("link", ""))]
    if "guid" in t or "id" in t:
        checks.append(("id", t["guid"] if "guid" in t else t["id"]))
    if "isoDate" in t:
        checks.append(("date", iso_seconds(t["isoDate"])))
    return checks


def check_rss_parser(name, expected, reading, tally):
    """
    Compare our reading of one rss-parser input with its expected output.
    When we did not read the feed at all, each of its checks fails.
    """
    if reading.data is None:
        tally.notes.append("%s: not read (%s): all its checks fail" % (name, reading.error))
        for field in ("feed.title", "feed.link"):
            tally.add(name, field, "feed not read", None, expected.get(field[5:]), None)
        for i, t in enumerate(expected.get("items", [])):
            for field, theirs in their_checks(t):
                tally.add(name, field, "feed not read", i, theirs, None)
        return
    data = reading.data
    ours_feed = data["feed"]
    for field in ("title", "link"):
        theirs, ours = expected.get(field, ""), ours_feed.get(field, "")
        tally.add(name, "feed." + field, compare_value("feed." + field, theirs, ours),
                  None, theirs, ours)

    theirs_items = expected.get("items", [])
    ours_items = data["items"]
    n = len(theirs_items)
    if len(ours_items) < n and truncated(data):
        tally.notes.append("%s: %d of their %d items are past our max_items limit (%d): "
                           "not compared" % (name, n - len(ours_items), n, len(ours_items)))
        tally.skipped["item past our max_items limit"] += n - len(ours_items)
        n = len(ours_items)
    elif len(ours_items) != n:
        tally.notes.append("%s: they have %d items, we have %d"
                           % (name, len(theirs_items), len(ours_items)))

    for i in range(n):
        t = theirs_items[i]
        o = ours_items[i] if i < len(ours_items) else None
        for field, theirs in their_checks(t):
            if o is None:
                group, ours = "no such item", None
            elif field == "date":
                group, ours = compare_date(theirs, o)
            else:
                ours = o.get(field, "")
                group = compare_value(field, theirs, ours)
            tally.add(name, field, group, i, theirs, ours)
        if "guid" not in t and "id" not in t:
            tally.skipped["id: they have no guid or id"] += 1
        if "isoDate" not in t:
            tally.skipped["date: they have a pubDate they could not parse (no isoDate)"
                          if "pubDate" in t else "date: they have no date"] += 1
    for i in range(n, len(ours_items)):
        tally.add(name, "title", "extra item", i, None, ours_items[i].get("title"))


# ---------------------------------------------------------------------------
# Reporting

def pct(p, n):
    """p of n as a percentage; 0 when n is 0."""
    return 100.0 * p / n if n else 0.0


def show(v, limit):
    """
    A value on one line: strings JSON-quoted with odd spaces and other
    characters that do not print escaped (so "a\\u00a0b" is not "a b"),
    dates (ints) as ISO 8601 and seconds, long values cut (limit 0: never).
    """
    if v is None:
        return "-"
    if isinstance(v, int):
        return "%s (%d)" % (iso_of(v), v)
    s = "".join(c if c.isprintable() else "\\u%04x" % ord(c)
                for c in json.dumps(v, ensure_ascii=False))
    return s if not limit or len(s) <= limit else s[:limit - 1] + "…"


def show_pair(m, limit):
    """Their value and ours, and for dates how far apart they are."""
    s = "theirs %s  ours %s" % (show(m["theirs"], limit), show(m["ours"], limit))
    if isinstance(m["theirs"], int) and isinstance(m["ours"], int):
        d = m["ours"] - m["theirs"]
        s += "  (ours %+d s = %+.2f h)" % (d, d / 3600.0)
    return s


def table(rows, head):
    """Rows of strings as aligned columns, the last column left loose."""
    rows = [head] + rows
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1]
            for r in rows]


def print_parse_report(feeds, not_feeds, readings, unknown, missing):
    """Part 1: parse rate, failures, recovered feeds, what was left out."""
    parsed = [f for f in feeds if readings[f].data is not None]
    failed = [f for f in feeds if readings[f].data is None]
    print("== 1. every feed parses")
    print("parsed %d/%d (%.1f%%)" % (len(parsed), len(feeds), pct(len(parsed), len(feeds))))
    by_src = collections.OrderedDict()
    for f in feeds:
        s = by_src.setdefault(f.split("/")[0], [0, 0])
        s[0] += readings[f].data is not None
        s[1] += 1
    print("by source: " + ", ".join("%s %d/%d" % (k, p, n) for k, (p, n) in by_src.items()))
    print()
    print("failures (%d):" % len(failed))
    for f in failed:
        print("  %s: %s" % (f, readings[f].error))
    rec = [f for f in parsed if readings[f].data.get("recovered")]
    print()
    print("recovered (%d):" % len(rec))
    for f in rec:
        print("  %s: %s" % (f, "; ".join(readings[f].data.get("warnings", [])) or "(no warning)"))
    warned = [f for f in parsed if not readings[f].data.get("recovered")
              and readings[f].data.get("warnings")]
    if warned:
        print()
        print("warnings, not recovered (%d):" % len(warned))
        for f in warned:
            print("  %s: %s" % (f, "; ".join(readings[f].data["warnings"])))
    print()
    print("not feeds, not counted (%d; see NOT_FEEDS), and what the CLI said:" % len(not_feeds))
    for f in not_feeds:
        r = readings[f]
        if r.data is not None:
            said = "read as %s, %d items" % (r.data.get("format"), len(r.data["items"]))
        else:
            said = r.error if r.error.startswith("CRASH") else "rejected: " + r.error
        print("  %s: %s -> %s" % (f, NOT_FEEDS[f], said))
    for f in unknown:
        print("note: %s is neither a feed by its name nor in NOT_FEEDS: not checked" % f)
    for f in missing:
        print("note: NOT_FEEDS names %s, which is not in the data" % f)
    return len(parsed), len(failed)


def print_match_report(tally, files, verbose):
    """Part 2: match rates per field, then every mismatch by group."""
    print("== 2. rss-parser's expected outputs")
    p, n = tally.overall()
    print("%d files with an expected output, %d checks" % (files, n))
    rows = [(f, str(a), str(b), "%5.1f%%" % pct(a, b)) for f, (a, b) in tally.by_field.items()]
    rows.append(("overall", str(p), str(n), "%5.1f%%" % pct(p, n)))
    print("\n".join(table(rows, ("field", "match", "checks", "%"))))
    if tally.skipped:
        print("not checked: " + "; ".join("%s: %d" % kv for kv in sorted(tally.skipped.items())))
    for note in tally.notes:
        print("note: " + note)
    if verbose:
        print()
        rows = [(f, str(a), str(b), "%5.1f%%" % pct(a, b)) for f, (a, b) in tally.by_file.items()]
        print("\n".join(table(rows, ("file", "match", "checks", "%"))))

    groups = collections.OrderedDict()
    for m in tally.mismatches:
        groups.setdefault(m["group"], []).append(m)
    print()
    groups = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    print("mismatches by group: " + (", ".join("%s %d" % (g, len(ms)) for g, ms in groups)
                                     or "none"))
    limit = 0 if verbose else 90
    for g, ms in groups:
        print()
        print("-- %s (%d)" % (g, len(ms)))
        rows = [(m["file"], "feed" if m["item"] is None else str(m["item"]), m["field"],
                 show_pair(m, limit)) for m in ms]
        print("\n".join(table(rows, ("file", "item", "field", "theirs / ours"))))
    return p, n - p


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--bin", default=DEFAULT_BIN, help="the CLI (default: %(default)s)")
    ap.add_argument("--data", help="the realworld folder (default: %s)" % DATA_SHOWN)
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="per-file table, values in full")
    ap.add_argument("--min-parse", type=float, metavar="PCT")
    ap.add_argument("--min-match", type=float, metavar="PCT")
    args = ap.parse_args()

    data_dir = args.data or DEFAULT_DATA
    if not os.path.isdir(data_dir):
        print("%s not found: skipped" % (args.data or DATA_SHOWN))
        return 0
    if not os.access(args.bin, os.X_OK):
        print("check.py: %s: no such executable (run make first)" % args.bin, file=sys.stderr)
        return 2

    feeds, not_feeds, unknown, missing = find_inputs(data_dir)
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {f: pool.submit(run_cli, args.bin, os.path.join(data_dir, f))
                   for f in feeds + not_feeds}
        readings = {f: fut.result() for f, fut in futures.items()}

    print("newsdigest on real-world feeds: %s" % data_dir)
    print("binary: %s" % args.bin)
    print()
    parsed, unparsed = print_parse_report(feeds, not_feeds, readings, unknown, missing)

    tally = Tally()
    files = 0
    out_dir = os.path.join(data_dir, RSS_PARSER_OUT)
    for f in feeds:
        if not f.startswith(RSS_PARSER_IN + "/"):
            continue
        name = os.path.splitext(os.path.basename(f))[0]
        out = os.path.join(out_dir, name + ".json")
        if not os.path.isfile(out):
            continue
        files += 1
        check_rss_parser(os.path.basename(f), load_expected(out), readings[f], tally)
    print()
    matched, mismatched = print_match_report(tally, files, args.verbose)

    status = 0
    print()
    for what, want, (p, n) in (("parse", args.min_parse, (parsed, parsed + unparsed)),
                               ("match", args.min_match, tally.overall())):
        if want is not None and pct(p, n) < want:
            print("FAIL: %s rate %.1f%% < %.1f%%" % (what, pct(p, n), want))
            status = 1
    print("%d passed, %d failed" % (parsed + matched, unparsed + mismatched))
    return status


if __name__ == "__main__":
    sys.exit(main())
