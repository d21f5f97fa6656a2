#!/usr/bin/env python3
"""
Score `newsdigest feed --json` against the feedparser test cases (the oracle).

The oracle is a folder outside this repository (by default
../shared/data/feedparser-cases relative to the repository root; see its
README.md). Its cases.jsonl holds one assertion a line about one feed file:
"feed.title of files/wellformed/rss/x.xml == 'Example'", "bozo == false", ...
This tool runs the CLI once per feed file, maps each assertion's field onto
the CLI's JSON (docs: DESIGN.md §6), compares, and prints pass rates: overall,
per field, for well-formed vs not well-formed XML and per top-level folder.
Nothing from the oracle is copied into the repository: it is read at run time.

Usage (from the repository root, after `make`):

    python3 tests/feedcases/score.py [--cases DIR] [--bin build/newsdigest]
        [--failures FILE] [--min-overall PCT] [--min-illformed PCT] [-v]

  --cases DIR          the oracle folder; when absent the tool prints
                       "feedparser-cases not found at DIR: skipped" and exits 0
  --bin PATH           the CLI to score (default: build/newsdigest in the repo)
  --failures FILE      write every failure there, grouped by reason
  --min-overall PCT    exit 1 when the overall pass rate is below PCT
  --min-illformed PCT  exit 1 when the rate on not-well-formed XML is below PCT
  -v                   print every failure to stdout as well

Text is compared as the oracle's README says, on both sides alike: tags
stripped (block-level tags count as a space), HTML entities decoded, runs of
white space (Python's idea of it: Unicode, so no-break spaces too) collapsed
to one space, ends stripped. Our side is plain text already; the summary
counts the passes that hold only because it was normalised as well.

Python 3 standard library only.
"""
import argparse
import collections
import concurrent.futures
import datetime
import email.utils
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CASES = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "data", "feedparser-cases"))
DEFAULT_BIN = os.path.join(REPO_ROOT, "build", "newsdigest")

TIMEOUT = 10  # seconds per CLI run
WORKERS = max(2, min(4, os.cpu_count() or 2))

# Our `format` -> the feedparser `version` names it stands for. rss0.9x is
# coarser than feedparser: it matches any of the 0.9x names. A `version` key
# in our output, when present, is used as is instead.
FORMAT_MAP = {
    "rss2.0": ("rss20",),
    "rss1.0": ("rss10",),
    "rss0.9x": ("rss090", "rss091n", "rss091u", "rss092", "rss093", "rss094"),
    "atom1.0": ("atom10",),
    "atom0.3": ("atom03",),
    "jsonfeed": ("json1", "json11"),
}

# Oracle field -> key of one of our items (entries[entry_index]).
ITEM_TEXT_FIELDS = {
    "title": "title",
    "link": "link",
    "id": "id",
    "summary": "summary",
    "content": "content",
    "author": "author",          # feedparser's author string: "name (email)"
    "author_name": "author",     # feedparser's author_detail.name
    "author_email": "author_email",
}
FEED_TEXT_FIELDS = {
    "feed.title": "title",
    "feed.link": "link",
    "feed.description": "description",  # feedparser: description/subtitle/tagline
    "feed.author": "author",            # feedparser: author or author_detail.name
}

# ---------------------------------------------------------------------------
# Text normalisation

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from displaytext import collapse, normalise  # noqa: E402


# ---------------------------------------------------------------------------
# Dates

def date_parts(ts):
    """Unix seconds -> [Y, M, D, h, m, s] in UTC, as the oracle's *_parsed."""
    return list(time.gmtime(ts)[:6])


def parse_date_string(s):
    """An RFC 822 or ISO 8601 date string -> Unix seconds, or None."""
    s = s.strip()
    try:
        d = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        d = None
    if d is None:
        try:
            d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            return None
    if d.tzinfo is None:  # no zone given: UTC, as feedparser assumes
        d = d.replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


# ---------------------------------------------------------------------------
# Running the CLI

class Reading:
    """What the CLI made of one feed file: its JSON, or why there is none."""

    def __init__(self, data=None, error=None):
        self.data = data      # the parsed JSON object, or None
        self.error = error    # reason every case of the file fails with, or None


def first_line(b):
    """The first line of a process's stderr, as text."""
    lines = b.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else ""


# Where feedparser's own test harness served these files from: relative
# links in the "docuri" cases resolve against it.
DOC_URL = "http://127.0.0.1:8097/"


def header_of(headers, name):
    """The value of header name in a case's http_headers (any key case), or None."""
    for k, v in (headers or {}).items():
        if k.lower() == name:
            return v
    return None


def http_of(headers):
    """What the CLI is told of a case's HTTP response: (Content-Type, Content-Location)."""
    return header_of(headers, "content-type"), header_of(headers, "content-location")


def run_cli(binary, path, rel, http):
    """Run `feed --json` on one file as if served at DOC_URL + rel; classify the outcome."""
    content_type, content_location = http
    cmd = [binary, "feed", "--json", "--url", DOC_URL + rel]
    if content_type is not None:
        cmd += ["--content-type", content_type]
    if content_location is not None:
        cmd += ["--content-location", content_location]
    cmd.append(path)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Reading(error="parse failed: timed out after %d s" % TIMEOUT)
    err = first_line(p.stderr)
    if p.returncode < 0:
        try:
            sig = signal.Signals(-p.returncode).name
        except ValueError:
            sig = "signal %d" % -p.returncode
        return Reading(error=("parse failed: killed by %s: %s" % (sig, err)).rstrip(": "))
    # The CLI exits 1 and prints no JSON when the XML is not well-formed:
    # not a crash, the feed simply was not read. Its output counts as absent.
    if p.returncode == 1 and "not a readable feed" in err:
        return Reading(error="no output: feed rejected: " + err.split("not a readable feed: ", 1)[-1])
    if p.returncode != 0:
        return Reading(error="parse failed: exit %d: %s" % (p.returncode, err))
    try:
        data = json.loads(p.stdout)
    except ValueError as e:
        return Reading(error=("parse failed: output is not JSON (%s): %s" % (e, err)).rstrip(": "))
    if not (isinstance(data, dict) and isinstance(data.get("feed"), dict)
            and isinstance(data.get("items"), list)):
        return Reading(error="parse failed: JSON without feed/items")
    return Reading(data=data)


# ---------------------------------------------------------------------------
# Judging one case

class Fail(Exception):
    """The case cannot be compared: reason says why, got what we had."""

    def __init__(self, reason, got=None):
        super().__init__(reason)
        self.reason = reason
        self.got = got


def our_value(case, data):
    """
    The value of ours the case is about, as (kind, value); raises Fail.
    kind: "text", "bool", "parts" (a [Y,M,D,h,m,s] list), "stamp" (Unix
    seconds, for raw date strings), "encoding" or "format" (our format name).
    """
    field = case["field"]
    feed = data["feed"]
    if field == "feed.author" and "author_detail" in case["expect_src"]:
        return "text", feed.get("author", "")
    if field == "feed.author":
        # feedparser's author string is "name (email)" when it has both.
        name, mail = feed.get("author", ""), feed.get("author_email", "")
        return "text", ("%s (%s)" % (name, mail) if name and mail else name or mail)
    if field in FEED_TEXT_FIELDS:
        return "text", feed.get(FEED_TEXT_FIELDS[field], "")
    if field == "feed.category":
        sub = case["sub_index"] or 0
        cats = feed.get("categories", [])
        if sub >= len(cats):
            raise Fail("no such feed category", cats)
        return "text", cats[sub]
    if field in ("feed.updated", "feed.updated_parsed"):
        if "updated" not in feed:
            raise Fail("not supported: no feed.updated")
        return date_kind(field, feed["updated"])
    if field == "bozo":
        return "bool", data.get("recovered")
    if field == "encoding":
        if "encoding" not in data:
            raise Fail("not supported: no encoding key")
        return "encoding", data["encoding"]
    if field == "format":
        if "version" in data:
            return "format", data["version"]
        return "format", data.get("format")

    # Item fields.
    idx = case["entry_index"] or 0
    items = data["items"]
    if idx >= len(items):
        raise Fail("no such item", "%d items" % len(items))
    item = items[idx]
    if field == "author":
        # feedparser's author string is "name (email)" when it has both.
        name, mail = item.get("author", ""), item.get("author_email", "")
        return "text", ("%s (%s)" % (name, mail) if name and mail else name or mail)
    if field in ITEM_TEXT_FIELDS:
        return "text", item.get(ITEM_TEXT_FIELDS[field], "")
    if field == "category":
        sub = case["sub_index"] or 0
        cats = item.get("categories", [])
        if sub >= len(cats):
            raise Fail("no such category", cats)
        return "text", cats[sub]
    if field in ("published", "published_parsed", "updated", "updated_parsed"):
        return date_kind(field, item.get(field.replace("_parsed", "")))
    raise Fail("not supported: unknown field " + field)


def date_kind(field, ts):
    """A date of ours as the kind the field wants; raises Fail when absent."""
    if ts is None:
        raise Fail("missing value")
    if field.endswith("_parsed"):
        return "parts", date_parts(ts)
    return "stamp", ts


def expected_for(kind, case):
    """The expected value in the form of `kind`; raises Fail."""
    exp = case["expected_value"]
    if kind == "text":
        return normalise(exp)
    if kind == "stamp":
        ts = parse_date_string(exp)
        if ts is None:
            raise Fail("raw date string not kept")
        return ts
    if kind == "encoding":
        return exp.lower()
    return exp


def compare(op, kind, exp, got):
    """Apply the case's op. `format` matches when exp is any of our names."""
    if kind == "format":
        same = exp in FORMAT_MAP.get(got, (got,))
    elif kind == "encoding":
        same = exp == (got or "").lower()
    else:
        same = exp == got
    if op == "eq":
        return same
    if op == "ne":
        return not same
    inside = isinstance(got, (str, list, tuple)) and exp in got
    if op == "contains":
        return inside
    if op == "not_contains":
        return not inside
    raise Fail("not supported: op " + op)


def judge(case, reading):
    """
    Returns (ok, got, reason, lenient). lenient is True for a text pass that
    holds only because our plain text was normalised too (entity decoding or
    tag stripping of our output); `reason` is None on a pass.
    """
    if reading.data is None:
        return False, None, reading.error, False
    try:
        kind, got = our_value(case, reading.data)
        exp = expected_for(kind, case)
        if kind == "text":
            # Ours is display text already (the contract of `feed --json`):
            # only its white space is collapsed; the oracle's HTML is
            # normalised to what a display shows.
            raw = got if isinstance(got, str) else ""
            if compare(case["op"], kind, exp, collapse(raw)):
                return True, got, None, False
            # A plain-text value of the oracle's ("History of the <blink>
            # tag", type text/plain) equal to ours as written.
            if case["op"] == "eq" and isinstance(case["expected_value"], str) and \
                    collapse(case["expected_value"]) == collapse(raw):
                return True, got, None, False
            if compare(case["op"], kind, exp, normalise(raw)):
                return False, got, "wrong value: our text keeps markup a display would show", \
                    False
            if exp and not collapse(raw):
                return False, got, "missing value", False
            if looks_unresolved(exp, raw):
                return False, got, "wrong value: relative URL not resolved", False
            return False, got, "wrong value", False
        if compare(case["op"], kind, exp, got):
            return True, got, None, False
        if kind == "bool":
            return False, got, "wrong value: recovered flag", False
        return False, got, "wrong value" + created_note(case), False
    except Fail as f:
        return False, f.got, f.reason + created_note(case), False


def created_note(case):
    """
    Some published* cases of the oracle assert feedparser's `created`, a
    date we do not keep apart from `published`: say so in their reason.
    """
    if case["field"].startswith("published") and "created" in case["expect_src"]:
        return " (oracle asserts created)"
    return ""


def looks_unresolved(exp, got):
    """Expected an absolute URL and we have a relative one for its tail."""
    u = urllib.parse.urlsplit(exp)
    got = got.strip()
    return (u.scheme in ("http", "https") and got and "://" not in got
            and exp.endswith(got.lstrip("./")))


# ---------------------------------------------------------------------------
# Reporting

def pct(p, n):
    """p of n as a percentage; 0 when n is 0."""
    return 100.0 * p / n if n else 0.0


def rate_table(title, groups):
    """groups: {name: [passed, total]} -> lines, biggest group first."""
    rows = sorted(groups.items(), key=lambda kv: (-kv[1][1], str(kv[0])))
    width = max([len(title)] + [len(str(k)) for k, _ in rows])
    out = ["%-*s  %6s  %6s  %6s" % (width, title, "pass", "total", "%")]
    for k, (p, n) in rows:
        out.append("%-*s  %6d  %6d  %5.1f%%" % (width, k, p, n, pct(p, n)))
    return out


def show(v, limit=70):
    """A value on one line: JSON-quoted strings, long ones cut."""
    s = json.dumps(v, ensure_ascii=False) if v is not None else "-"
    return s if len(s) <= limit else s[:limit - 1] + "…"


def category(reason):
    """The part of a reason failures are grouped by: up to a colon or a note."""
    return re.split(r"[:(]", reason, 1)[0].strip()


def failure_report(failures):
    """Failures as text tables, one per reason category, biggest first."""
    by_cat = collections.defaultdict(list)
    for f in failures:
        by_cat[category(f["reason"])].append(f)
    out = []
    for cat, fs in sorted(by_cat.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append("== %s (%d)" % (cat, len(fs)))
        rows = [("file", "field", "idx", "expected", "got", "reason")]
        for f in sorted(fs, key=lambda f: (f["reason"], f["file"], f["field"])):
            idx = "" if f["entry"] is None else str(f["entry"])
            if f["sub"] is not None:
                idx += "/%d" % f["sub"]
            rows.append((f["file"], f["field"], idx, show(f["expected"]), show(f["got"]),
                         f["reason"]))
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        for r in rows:
            out.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[5])
        out.append("")
    return out


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--cases", default=DEFAULT_CASES, help="oracle folder (default: %(default)s)")
    ap.add_argument("--bin", default=DEFAULT_BIN, help="the CLI (default: %(default)s)")
    ap.add_argument("--failures", metavar="FILE", help="write every failure to FILE")
    ap.add_argument("--min-overall", type=float, metavar="PCT")
    ap.add_argument("--min-illformed", type=float, metavar="PCT")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = ap.parse_args()

    cases_file = os.path.join(args.cases, "cases.jsonl")
    if not os.path.isfile(cases_file):
        print("feedparser-cases not found at %s: skipped" % args.cases)
        return 0
    if not os.access(args.bin, os.X_OK):
        print("score.py: %s: no such executable (run make first)" % args.bin, file=sys.stderr)
        return 2

    with open(cases_file, encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]

    # One CLI run per file, with the file's HTTP headers (shared by its cases).
    https = {}
    for c in cases:
        h = http_of(c["http_headers"])
        if https.setdefault(c["file"], h) != h:
            print("warning: %s: cases disagree on HTTP headers; using %r"
                  % (c["file"], https[c["file"]]), file=sys.stderr)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {f: pool.submit(run_cli, args.bin, os.path.join(args.cases, f), f, h)
                   for f, h in https.items()}
        readings = {f: fut.result() for f, fut in futures.items()}
    wall = time.monotonic() - t0

    overall = [0, 0]
    by_field = collections.defaultdict(lambda: [0, 0])
    by_wf = collections.defaultdict(lambda: [0, 0])
    by_dir = collections.defaultdict(lambda: [0, 0])
    failures = []
    lenient = []
    for c in cases:
        ok, got, reason, soft = judge(c, readings[c["file"]])
        if soft:
            lenient.append(c)
        wf = "well-formed XML" if c["wellformed_xml"] else "not well-formed XML"
        for tally in (overall, by_field[c["field"]], by_wf[wf], by_dir[c["dir"].split("/")[0]]):
            tally[0] += ok
            tally[1] += 1
        if not ok:
            failures.append({"file": c["file"], "field": c["field"], "entry": c["entry_index"],
                             "sub": c["sub_index"], "expected": c["expected_value"],
                             "got": got, "reason": reason})

    nofile = sum(1 for r in readings.values() if r.data is None)
    print("newsdigest vs feedparser cases: %s" % args.cases)
    print("%d cases, %d files (%d without output), %d workers, %.1f s"
          % (overall[1], len(readings), nofile, WORKERS, wall))
    print("format mapping: " + "; ".join("%s -> %s" % (k, "|".join(v)) for k, v in FORMAT_MAP.items())
          + " (a `version` key in our output wins)")
    print()
    print("OVERALL  %d/%d  %.1f%%" % (overall[0], overall[1], pct(*overall)))
    print()
    for title, groups in (("field", by_field), ("xml", by_wf), ("dir", by_dir)):
        print("\n".join(rate_table(title, groups)))
        print()
    if lenient:
        # Either ours holds markup or escapes it should not (a hidden bug), or
        # the oracle's text is plain and its normalisation strips "<tag>"s.
        print("note: %d text passes hold only because our output was normalised too "
              "(tags stripped / entities decoded in our plain text); check them:" % len(lenient))
        for c in lenient:
            print("  %s %s %s" % (c["file"], c["field"], show(c["expected_value"])))
    reasons = collections.Counter(category(f["reason"]) for f in failures)
    print("failures by reason: " + ", ".join("%s %d" % kv for kv in reasons.most_common()))

    report = failure_report(failures)
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as fh:
            fh.write("\n".join(report) + "\n")
        print("failures written to %s" % args.failures)
    if args.verbose:
        print()
        print("\n".join(report))

    status = 0
    for name, want, (p, n) in (("overall", args.min_overall, overall),
                               ("not well-formed XML", args.min_illformed,
                                by_wf["not well-formed XML"])):
        if want is not None and pct(p, n) < want:
            print("FAIL: %s pass rate %.1f%% < %.1f%%" % (name, pct(p, n), want))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
