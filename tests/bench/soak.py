#!/usr/bin/env python3
"""
A soak for make bench (figures, never pass/fail): many ordinary days of a
real newsdigestd compressed into a few minutes, to show that nothing grows
(memory, file descriptors, threads, the outbox journal, the seen-store).
A real mosquitto, a local HTTP server and a real mosquitto_sub
(tests/integration/harness.py), nothing else.

    python3 tests/bench/soak.py BUILD_DIR [--seconds N] [--outages N]

20 feeds polled every second (the shortest interval the config allows).
Each starts with 30 items and lists only its newest 30, so items fall
off as on a real site. 15 of them gain one new item on every request; the
other 5 gain one on every 4th request and answer the requests in between
with 304 Not Modified (3 through ETag / If-None-Match, 2 through
Last-Modified / If-Modified-Since), as most news sites do. seen_per_feed
is 40 (the feed's 30 and some margin): the seen-store is full after 10 s
on the busy feeds, 40 s on the quiet ones, and drops its oldest ids from
then on. A subscriber on news/# (persistent session) reads everything.
Half-way, the broker is stopped with SIGTERM for 10 s and started again on
the same port: the outbox fills and drains, and its journal compacts
(--outages N: N such outages, evenly spread).

Every 5 s: RssAnon and VmRSS (KiB), open file descriptors, threads, the
size of STATE_DIR/outbox.journal and of the other files in the state
directory (the per-feed seen-stores). After a 20 s warm-up, the slope of
RssAnon (least squares) in KiB per hour, and RssAnon before each outage.
At the end: items the server made vs the distinct digests the subscriber
got (and repeats, allowed by QoS 1 across an outage), the most seen ids
one feed kept, and the daemon's exit status after SIGTERM. Default: 120 s,
for make bench. Exits non-zero only when the daemon died or exited badly,
or when the harness itself failed.
"""
import argparse
import email.utils
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
import harness as h  # noqa: E402

NFEEDS = 20
QUIET = NFEEDS // 4     # feeds answering 304 most of the time
QUIET_EVERY = 4         # a quiet feed gains an item on every 4th request
LISTED = 30             # items a feed lists: the newest
SEEN_PER_FEED = 40
SAMPLE = 5.0            # seconds between samples
WARMUP = 20.0           # seconds left out of the slope
OUTAGE = 10.0           # seconds the broker is away, half-way
DRAIN = 30.0            # the longest wait for the last digests after the run
STAMP0 = 1_790_000_000  # pubDate and Last-Modified of item 0


# ---------------------------------------------------------------- the feeds

SENTENCES = (
    "The council approved the harbour budget on %s after a long debate.",
    "Ferry operators said %d crossings ran late because of the wind.",
    "Local schools will open the new science wing in %s, the board said.",
    "Rail services between the two towns resume after %d days of repairs.",
    "The museum expects %d visitors for the autumn exhibition of maps.",
    "Fishermen reported a record catch of herring off the coast in %s.",
)
MONTHS = ("March", "April", "May", "June", "July", "September")


def rss(name, first, last):
    """An RSS 2.0 feed of items first..last-1 of feed name, newest first."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           "<title>%s</title><link>https://%s.example/</link>"
           "<description>Soak feed %s</description>" % (name, name, name)]
    for i in range(last - 1, first - 1, -1):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] %
                        ((MONTHS[(i + k) % len(MONTHS)],) if "%s" in SENTENCES[(i + k) %
                         len(SENTENCES)] else (i % 97 + k,)) for k in range(3))
        out.append(
            "<item><title>%s report %06d on the harbour and the town</title>"
            "<link>https://%s.example/%06d</link><guid isPermaLink=\"false\">%s</guid>"
            "<pubDate>%s</pubDate><category>%s</category>"
            "<description>&lt;p&gt;%s&lt;/p&gt;</description></item>"
            % (name, i, name, i, guid(name, i), email.utils.formatdate(STAMP0 + 60 * i,
                                                                        usegmt=True),
               ("port", "schools", "rail", "weather")[i % 4], text))
    out.append("</channel></rss>\n")
    return "".join(out).encode("utf-8")


def guid(name, i):
    return "%s-%06d" % (name, i)


class SoakFeed:
    """A feed on a RouteServer that starts with LISTED items, gains one on
    every `every`-th request after the first and lists its newest LISTED.
    validator:
    None (always 200), "etag" or "modified": 304 when the request's
    If-None-Match or If-Modified-Since names the current version."""

    def __init__(self, server, name, every=1, validator=None):
        self.name = name
        self.every = every
        self.validator = validator
        self.items = LISTED
        self.requests = 0
        self.not_modified = 0
        self.frozen = False
        self._lock = threading.Lock()
        self.url = server.route("/%s.rss" % name, self._serve)

    def freeze(self):
        """No new items from now on."""
        with self._lock:
            self.frozen = True

    def ids(self):
        """The digest ids of every item it has had."""
        with self._lock:
            n = self.items
        return {h.item_id(self.name, guid(self.name, i)) for i in range(n)}

    def _serve(self, handler, req):
        with self._lock:
            if not self.frozen and self.requests > 0 and self.requests % self.every == 0:
                self.items += 1
            self.requests += 1
            n = self.items
        if self.validator == "etag":
            value = '"%s-%d"' % (self.name, n)
            headers, asked = [("ETag", value)], req.headers.get("if-none-match")
        elif self.validator == "modified":
            value = email.utils.formatdate(STAMP0 + 60 * n, usegmt=True)
            headers, asked = [("Last-Modified", value)], req.headers.get("if-modified-since")
        else:
            value, headers, asked = None, [], None
        if value is not None and asked == value:
            with self._lock:
                self.not_modified += 1
            handler.reply(304, headers=headers)
        else:
            handler.reply(200, rss(self.name, max(0, n - LISTED), n), headers=headers)


# ---------------------------------------------------------------- sampling

def proc_count(path):
    """How many entries a /proc directory has; None when the process is gone."""
    try:
        return len(os.listdir(path))
    except (FileNotFoundError, ProcessLookupError):
        return None


def file_size(path):
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def sample(pid, state_dir, t):
    """One sample of the daemon and its state directory; None if it is gone."""
    row = {"t": t}
    for key in ("RssAnon", "VmRSS", "Threads"):
        row[key] = h.proc_status_kib(pid, key)
    row["fds"] = proc_count("/proc/%d/fd" % pid)
    if None in row.values():
        return None
    names = os.listdir(state_dir) if os.path.isdir(state_dir) else []
    row["journal"] = file_size(os.path.join(state_dir, "outbox.journal"))
    row["state"] = sum(file_size(os.path.join(state_dir, n)) for n in names
                       if n != "outbox.journal")
    row["files"] = len(names)
    return row


def slope_per_hour(rows, key, since):
    """The least-squares slope of rows[key] over rows' t >= since, per hour."""
    pts = [(r["t"], r[key]) for r in rows if r["t"] >= since]
    if len(pts) < 2:
        return None
    tm = sum(t for t, _ in pts) / len(pts)
    ym = sum(y for _, y in pts) / len(pts)
    den = sum((t - tm) ** 2 for t, _ in pts)
    return sum((t - tm) * (y - ym) for t, y in pts) / den * 3600.0


def digest_ids(sub):
    """The ids of the digests a subscriber got, in order, repeats kept."""
    out = []
    for m in sub.messages:
        if m.topic.endswith("/digest"):
            data = zlib.decompress(m.payload) if m.encoding == "zlib" else m.payload
            out.append(json.loads(data.decode("utf-8"))["id"])
    return out


def seen_counts(state_dir):
    """The seen ids each feed's state file keeps, by feed name."""
    out = {}
    for n in os.listdir(state_dir):
        if n.endswith(".state"):
            with open(os.path.join(state_dir, n), encoding="utf-8", errors="replace") as f:
                out[n[:-len(".state")]] = sum(1 for line in f if line.startswith("seen "))
    return out


# ---------------------------------------------------------------- the run

COLUMNS = (("RssAnon", "RssAnon KiB"), ("VmRSS", "VmRSS KiB"), ("fds", "fds"),
           ("Threads", "threads"), ("journal", "journal B"), ("state", "state B"),
           ("files", "files"))


def print_row(r, note=""):
    """One sample as a line of the table (flushed: a long run shows as it goes)."""
    print("%6.0f " % r["t"] + " ".join("%11d" % r[k] for k, _ in COLUMNS) + note, flush=True)


def soak(build, workdir, seconds, outages):
    """Run the soak with broker outages at the (start, end) times outages;
    return the exit status."""
    broker = h.Broker(workdir, persist=True,
                      extra_conf=["max_queued_messages 0", "max_inflight_messages 0"]).start()
    routes = h.RouteServer()
    try:
        return soak_with(build, workdir, seconds, outages, broker, routes)
    finally:
        routes.stop()
        broker.stop()


def soak_with(build, workdir, seconds, outages, broker, routes):
    feeds = []
    for i in range(NFEEDS):
        if i < QUIET:
            feeds.append(SoakFeed(routes, "q%02d" % i, QUIET_EVERY,
                                  "etag" if i % 2 == 0 else "modified"))
        else:
            feeds.append(SoakFeed(routes, "f%02d" % i))
    sub = h.Subscriber(broker, ["news/#"], name="soak", session=True).start()
    state_dir = os.path.join(workdir, "state")
    conf = h.daemon_config(
        os.path.join(workdir, "soak.conf"), state_dir, broker.port,
        {f.name: {"url": f.url, "interval": "1s", "backlog": "all"} for f in feeds},
        client_id="bench-soak", daemon={"seen_per_feed": SEEN_PER_FEED})
    log = h.LogFile(os.path.join(workdir, "soak.log"))
    print("%d feeds every 1 s (%d gaining an item per request; %d gaining one every %d "
          "requests, 304 between), each listing its newest %d, seen_per_feed %d; %.0f s, "
          "the broker away %s" % (NFEEDS, NFEEDS - QUIET, QUIET, QUIET_EVERY, LISTED,
                                  SEEN_PER_FEED, seconds, ", ".join(
                                      "%.0f-%.0f s" % o for o in outages) or "never"),
          flush=True)
    proc = build.spawn_daemon(conf, log.path)
    try:
        status = run(proc, log, feeds, sub, broker, state_dir, seconds, outages)
    finally:
        h.stop_process(proc, timeout=15.0)
        sub.stop()
    return status


def outage_times(seconds, n):
    """(start, end) of n broker outages of OUTAGE s, evenly spread over the run."""
    return [(seconds * (i + 1) / (n + 1) - OUTAGE / 2, seconds * (i + 1) / (n + 1) + OUTAGE / 2)
            for i in range(n)]


def run(proc, log, feeds, sub, broker, state_dir, seconds, outages):
    t0 = time.monotonic()
    todo = list(outages)    # the outages not over yet
    away = False
    before = []             # RssAnon (t, KiB) of the last sample before each outage
    rows = []
    print("%6s " % "t (s)" + " ".join("%11s" % label for _, label in COLUMNS))
    k = 1                   # the first sample after SAMPLE s, once it started
    while True:
        now = time.monotonic() - t0
        if proc.poll() is not None:
            print("soak: the daemon exited with %s at %.0f s:\n%s"
                  % (proc.returncode, now, log.text()[-3000:]))
            return 1
        if todo and not away and now >= todo[0][0]:
            if rows:
                before.append((rows[-1]["t"], rows[-1]["RssAnon"]))
            broker.signal(signal.SIGTERM)
            away = True
        elif away and now >= todo[0][1]:
            broker.start()
            away = False
            todo.pop(0)
        if now >= k * SAMPLE:
            row = sample(proc.pid, state_dir, now)
            if row is None:
                continue    # gone: caught by poll() above
            rows.append(row)
            print_row(row, "  broker away" if away else "")
            k += 1
            if now >= seconds:
                break
        time.sleep(0.05)

    # No more items: wait (bounded) for the last digests, then stop the daemon.
    for f in feeds:
        f.freeze()
    made = set().union(*(f.ids() for f in feeds))
    end = time.monotonic()
    try:
        h.wait_until(lambda: made <= set(digest_ids(sub)), DRAIN, "every digest", 0.2)
        drained = "every digest in %.1f s" % (time.monotonic() - end)
    except AssertionError:
        drained = "gave up waiting after %.0f s" % DRAIN
    after = sample(proc.pid, state_dir, time.monotonic() - t0)
    rc = h.stop_process(proc, timeout=15.0)

    ids = digest_ids(sub)
    got = set(ids)
    quiet = sum(f.items for f in feeds if f.every > 1)
    requests = sum(f.requests for f in feeds)
    not_modified = sum(f.not_modified for f in feeds)
    slope = slope_per_hour(rows, "RssAnon", WARMUP)
    print("RssAnon slope after the %.0f s warm-up: %+.0f KiB/hour (least squares, %d samples)"
          % (WARMUP, slope, sum(1 for r in rows if r["t"] >= WARMUP)))
    if before:
        print("RssAnon KiB before each broker outage: %s; at the end: %d" % (
            ", ".join("%d (%.0f s)" % (a, t) for t, a in before), rows[-1]["RssAnon"]))
    for key, label in COLUMNS:
        vals = [r[key] for r in rows]
        print("%s: first %d, last %d, max %d" % (label, vals[0], vals[-1], max(vals)))
    seen = seen_counts(state_dir)
    print("seen ids kept per feed at the end: at most %d (seen_per_feed %d; most items a "
          "feed had: %d)" % (max(seen.values(), default=0), SEEN_PER_FEED,
                             max(f.items for f in feeds)))
    print("feeds: %d requests, %d answered 304; %d items made (%d on the %d quiet feeds)"
          % (requests, not_modified, len(made), quiet, QUIET))
    print("subscriber: %d distinct digests of %d items (%d missing, %d not made here), "
          "%d repeats" % (len(got), len(made), len(made - got), len(got - made),
                          len(ids) - len(got)))
    if after is not None:
        print("after the run (no new items, %s): RssAnon %d KiB, fds %d, journal %d B"
              % (drained, after["RssAnon"], after["fds"], after["journal"]))
    print("daemon exit status after SIGTERM: %s" % rc)
    return 0 if rc == 0 else 1


def main(argv):
    ap = argparse.ArgumentParser(prog="soak.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--seconds", type=float, default=120.0,
                    help="length of the run (default 120)")
    ap.add_argument("--outages", type=int, default=1,
                    help="broker outages of %.0f s, evenly spread (default 1, half-way)"
                    % OUTAGE)
    args = ap.parse_args(argv[1:])
    # Each stretch between outages at least the warm-up and one outage.
    least = (args.outages + 1) * (WARMUP + OUTAGE)
    if args.outages < 0 or args.seconds < least:
        ap.error("--seconds: at least %.0f for %d outage(s)" % (least, args.outages))
    build = h.Build(args.build_dir)
    workdir = tempfile.mkdtemp(prefix="nd-soak-")
    try:
        return soak(build, workdir, args.seconds, outage_times(args.seconds, args.outages))
    finally:
        h.kill_all()
        if os.environ.get("ND_E2E_KEEP"):
            print("soak: kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
