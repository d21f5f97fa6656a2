#!/usr/bin/env python3
"""
The world at its worst, against the real daemon (DESIGN §4): hostile feed
servers and feeds, a broker that never answers, another client taking our
client id again and again, and a full disk. Nothing is mocked: mosquitto,
mosquitto_sub, local HTTP and TCP servers, build/newsdigestd.

    python3 tests/integration/test_hostile.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped". Set ND_E2E_KEEP=1
to keep the temp dirs.

All the daemons of a class run side by side, so that their waits overlap;
each test waits (bounded) for its own condition. What test_http.py already
pins (the trickle, oversized bodies, the gzip bomb, six redirects,
Retry-After as seconds, as a date, small and huge) is not repeated here.
The disk-full case needs root (a 64 KiB tmpfs); it is skipped otherwise.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
import test_http as th  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def rss(items, prolog=b""):
    """An RSS 2.0 document of items (bytes each), after prolog (a DOCTYPE)."""
    return (RSS_HEAD + prolog + b'<rss version="2.0"><channel><title>T</title>' +
            b"".join(items) + b"</channel></rss>")


def item(title, guid=None, link=None, text=b"A short story. It has two sentences."):
    """One RSS item; no <guid> or <link> when None."""
    out = b"<item><title>" + title + b"</title>"
    if guid is not None:
        out += b"<guid>" + guid + b"</guid>"
    if link is not None:
        out += b"<link>" + link + b"</link>"
    return out + b"<description>" + text + b"</description></item>"


def deflate_bomb(inflated=50 << 20):
    """A zlib stream (Content-Encoding: deflate) of an RSS start and ~50 MB
    of spaces: ~50 KB on the wire."""
    c = zlib.compressobj(9)
    parts = [c.compress(RSS_HEAD + b'<rss version="2.0"><channel><title>Bomb</title>')]
    block = b" " * (1 << 20)
    for _ in range(inflated >> 20):
        parts.append(c.compress(block))
    parts.append(c.flush())
    return b"".join(parts)


def close_mid_body(body):
    """Promise len(body) * 2 bytes, send half of body, and close."""
    def fn(hd, req):
        hd.send_response(200)
        hd.send_header("Content-Type", "application/rss+xml")
        hd.send_header("Content-Length", str(len(body) * 2))
        hd.end_headers()
        hd.wfile.write(body[:len(body) // 2])
        hd.wfile.flush()
        hd.connection.shutdown(socket.SHUT_RDWR)
    return fn


def mute(stopping):
    """Read the request, answer nothing, hold the connection (until teardown)."""
    def fn(hd, req):
        stopping.wait(30)
    return fn


def cpu_ticks(pid):
    """utime + stime of pid in clock ticks, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def stop_at_once(proc):
    """SIGTERM twice (the second stops at once: no 10 s drain for digests a
    broker never took), SIGKILL after 5 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.1)
    return h.stop_process(proc, 5.0)


class SilentBroker:
    """A TCP listener on 127.0.0.1 that accepts connections and never says a
    word: a broker that hangs, or something else on its port. Notes the
    time of each connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self._conns = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)
            self.accepted.append(time.monotonic())

    def stop(self):
        self.sock.close()
        for c in self._conns:
            c.close()
        self._thread.join(timeout=3)


class Running:
    """One newsdigestd (no --once) and its log."""

    def __init__(self, proc, log):
        self.proc = proc
        self.log = log


class Hostile(th.HttpScenario):
    """Daemons side by side, one broker, one HTTP server:

    - feeds: max_feed_size = 64k, fetch_timeout = 2s, stats every second,
      every feed fetched once (interval 1h): an empty 200, a 204, a 302 to
      ftp:// and to file://, a redirect loop, Retry-After negative and
      garbage, a 304 to a first request, an HTML page, a body cut half-way,
      a server that never answers, a deflate bomb, an external entity, a
      duplicated guid, items with neither guid nor link; and a good feed;
    - silent: a broker port that accepts and never answers (keepalive 5s);
    - clash: a good broker, and a mosquitto_sub taking the daemon's client
      id back a second after each time the daemon takes it;
    - drain: SIGTERM while its one feed's server never answers.
    """

    TAG = "hostile"

    @classmethod
    def scenario(cls):
        cls.started = time.monotonic()
        cls.daemons = {}
        s = cls.http
        xxe = b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "%s">]>' % s.url("/xxe-target").encode()
        html = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>"
        cls.feeds = {
            "empty": lambda hd, r: hd.reply(200, b""),
            "nocontent": lambda hd, r: hd.reply(204, b""),
            "toftp": lambda hd, r: hd.redirect(302, "ftp://127.0.0.1:1/feed.rss"),
            "tofile": lambda hd, r: hd.redirect(302, "file:///etc/hostname"),
            "loop": lambda hd, r: hd.redirect(302, s.url("/loop")),
            "ra-neg": th.status_only(429, [("Retry-After", "-5")]),
            "ra-junk": th.status_only(503, [("Retry-After", "soon, maybe")]),
            "only304": lambda hd, r: hd.reply(304),
            "html": lambda hd, r: hd.reply(200, html, content_type="text/html"),
            "cut": close_mid_body(th.NEWS1),
            "mute": mute(s.stopping),
            "dbomb": th.raw_bytes(deflate_bomb(), [("Content-Encoding", "deflate")]),
            "xxe": lambda hd, r: hd.reply(200, rss([item(b"X &xxe; Y", b"x1")], xxe)),
            "dups": lambda hd, r: hd.reply(200, rss([item(b"First", b"same"),
                                                     item(b"Second", b"same"),
                                                     item(b"Third", b"same")])),
            "noid": lambda hd, r: hd.reply(200, rss([item(b"No id one"),
                                                     item(b"No id two")])),
            "good": lambda hd, r: hd.reply(200, th.NEWS1),
        }
        feeds = {name: {"url": s.route("/" + name, fn), "interval": "1h", "backlog": "all"}
                 for name, fn in cls.feeds.items()}
        cls.sub = h.Subscriber(cls.broker, ("news/#",), name=cls.TAG).start()
        cls.addClassCleanup(cls.sub.stop)
        # First, so that its 10 s drain overlaps the rest.
        cls.spawn("drain", {"d-mute": feeds["mute"]})
        h.wait_until(lambda: s.requests_for("/mute"), 10, "the drain daemon's fetch")
        cls.daemons["drain"].proc.send_signal(signal.SIGTERM)
        cls.spawn("feeds", feeds, daemon={"stats_interval": "1s", "max_feed_size": "64k",
                                          "fetch_timeout": "2s"})

        cls.silent = SilentBroker()
        cls.addClassCleanup(cls.silent.stop)
        cls.spawn("silent", {"s-good": feeds["good"]}, port=cls.silent.port,
                  mqtt={"keepalive": "5s"})

        cls.clash_id = "nd-hostile-clash"
        cls.spawn("clash", {"c-good": feeds["good"]}, client_id=cls.clash_id)
        h.LogFile(cls.daemons["clash"].log.path).wait_for(
            r"mqtt: connected to", 10, "the clash daemon to connect")
        cls.thief = h.track(subprocess.Popen(
            [h.MOSQUITTO_SUB, "-h", "127.0.0.1", "-p", str(cls.broker.port), "-V", "mqttv5",
             "-i", cls.clash_id, "-t", "nobody/listens/here"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        cls.addClassCleanup(h.stop_process, cls.thief)
        cls.clash_cpu0 = cpu_ticks(cls.daemons["clash"].proc.pid)
        cls.clash_t0 = time.monotonic()

    @classmethod
    def spawn(cls, name, feeds, daemon=None, port=None, client_id=None, mqtt=None):
        conf = h.daemon_config(cls.path(name + ".conf"), cls.path("state-" + name),
                               port or cls.broker.port, feeds,
                               client_id=client_id or "nd-hostile-" + name,
                               daemon=daemon, mqtt=mqtt)
        log = h.LogFile(cls.path(name + ".log"))
        proc = BUILD.spawn_daemon(conf, log.path)
        cls.addClassCleanup(stop_at_once, proc)
        cls.daemons[name] = Running(proc, log)

    # -- helpers

    def remaining(self, total):
        """Seconds left of a budget of total seconds since the daemons started."""
        return max(0.5, self.started + total - time.monotonic())

    def stats_of(self, feed):
        """The last news/stats entry of feed, or None."""
        for m in reversed(self.sub.messages):
            if m.topic == "news/stats":
                for f in json.loads(m.payload)["feeds"]:
                    if f["name"] == feed:
                        return f
        return None

    def all_fetched(self, total=20):
        """Wait until every feed of the feeds daemon was fetched once (its
        stats say so); return {feed: stats}."""
        def done():
            st = {n: self.stats_of(n) for n in self.feeds}
            return st if all(f is not None and f["fetches"] >= 1 for f in st.values()) \
                else None
        return h.wait_until(done, self.remaining(total), "one fetch of every feed in news/stats")

    def try_line(self, feed, total=20):
        """(reason, seconds) of feed's "feed NAME: URL: REASON; next try in Ns" line."""
        log = self.daemons["feeds"].log
        lines = h.wait_until(lambda: th.try_lines(log, feed), self.remaining(total),
                             "the failure line of %s in %s" % (feed, log.path))
        return lines[0][1], lines[0][2]

    def digests(self, feed):
        return th.digests_of(self.sub.messages, feed)

    # -- feeds

    def test_empty_body_fails_the_feed_alone(self):
        """An empty 200 (and a 204) is not a feed: "not a readable feed" in
        the log and in news/stats; the daemon keeps running (it crashed
        with SIGSEGV on an empty body)."""
        st = self.all_fetched()
        self.assertIsNone(self.daemons["feeds"].proc.poll(), self.daemons["feeds"].log.text())
        for feed in ("empty", "nocontent"):
            reason, _ = self.try_line(feed)
            self.assertTrue(reason.startswith("not a readable feed: "), reason)
            self.assertEqual((st[feed]["failures"], st[feed]["last_error"]), (1, reason))

    def test_redirect_to_another_scheme_refused_and_named(self):
        """A 302 to ftp:// or file:// is not followed, and the log says where
        it led and that only http and https are followed."""
        for feed, to in (("toftp", "ftp://127.0.0.1:1/feed.rss"),
                         ("tofile", "file:///etc/hostname")):
            reason, _ = self.try_line(feed)
            self.assertEqual(reason, "redirected to %s: only http and https are followed" % to)
        self.assertEqual(self.digests("tofile"), [])

    def test_redirect_loop_stops(self):
        """A URL redirecting to itself is requested 6 times (5 redirects
        followed), then the feed fails."""
        reason, _ = self.try_line("loop")
        self.assertEqual(reason, "Maximum (5) redirects followed")
        self.assertEqual(len(self.http.requests_for("/loop")), 6)

    def test_retry_after_negative_or_garbage_is_ignored(self):
        """Retry-After: -5 and "soon, maybe" count for nothing: the next try
        is the backoff, twice the interval (7200 s) give or take a tenth."""
        for feed in ("ra-neg", "ra-junk"):
            reason, delay = self.try_line(feed)
            self.assertRegex(reason, r"^HTTP (429|503)$")
            self.assertTrue(6480 <= delay <= 7920, delay)

    def test_304_to_a_first_request(self):
        """A 304 to a request without validators: nothing published, no
        failure, counted as not modified."""
        st = self.all_fetched()["only304"]
        self.assertEqual((st["failures"], st["not_modified"], st["items"]), (0, 1, 0))

    def test_html_page_is_not_a_feed(self):
        reason, _ = self.try_line("html")
        self.assertEqual(reason, "not a readable feed: line 1, column 15: not an RSS or Atom feed")

    def test_body_cut_half_way(self):
        """A connection closed mid-body fails the feed, publishes nothing
        of it (the next fetch reads it whole)."""
        reason, _ = self.try_line("cut")
        self.assertRegex(reason, r"^transfer closed with \d+ bytes remaining to read$")
        self.all_fetched()
        self.assertEqual(self.digests("cut"), [])

    def test_server_that_never_answers(self):
        """Connected, request sent, no answer: fetch_timeout (2s) ends it,
        counted in timeouts."""
        reason, _ = self.try_line("mute")
        self.assertRegex(reason, r"^Operation timed out after 2\d\d\d milliseconds with 0 bytes")
        self.assertEqual(self.all_fetched()["mute"]["timeouts"], 1)

    def test_deflate_bomb_refused(self):
        """Content-Encoding: deflate inflating to 50 MB: refused at 64 KiB,
        too_big counted, the daemon's memory stays small."""
        reason, _ = self.try_line("dbomb")
        self.assertEqual(reason, "body larger than 65536 bytes: refused")
        self.assertEqual(self.all_fetched()["dbomb"]["too_big"], 1)
        hwm = h.proc_status_kib(self.daemons["feeds"].proc.pid, "VmHWM")
        self.assertLess(hwm, 32 * 1024)

    def test_external_entity_never_fetched(self):
        """An external entity is neither fetched nor expanded: the item is
        published with its title as written around it."""
        self.all_fetched()
        got = self.sub.wait_for(lambda ms: th.digests_of(ms, "xxe"), self.remaining(20),
                                "the digest of xxe")
        self.assertEqual([d["title"] for d in got], ["X Y"])
        self.assertEqual(self.http.requests_for("/xxe-target"), [])

    def test_duplicate_guids_publish_once(self):
        """Three items with one guid: one digest, the first."""
        got = self.sub.wait_for(lambda ms: th.digests_of(ms, "dups"), self.remaining(20),
                                "the digest of dups")
        self.all_fetched()
        self.assertEqual([(d["id"], d["title"]) for d in self.digests("dups")],
                         [(h.item_id("dups", "same"), "First")])

    def test_items_without_guid_or_link_are_told_apart(self):
        """Two items with neither guid nor link: two digests, two ids."""
        got = self.sub.wait_for(lambda ms: (lambda ds: ds if len(ds) >= 2 else None)(
            th.digests_of(ms, "noid")), self.remaining(20), "2 digests of noid")
        self.assertEqual(sorted(d["title"] for d in got), ["No id one", "No id two"])
        self.assertEqual(len({d["id"] for d in got}), 2)

    def test_good_feed_unharmed(self):
        """The good feed beside them all: its 3 digests, no failure."""
        got = self.sub.wait_for(lambda ms: (lambda ds: ds if len(ds) >= 3 else None)(
            th.digests_of(ms, "good")), self.remaining(20), "3 digests of good")
        self.assertEqual(sorted(d["id"] for d in got), th.ids_of("good"))
        st = self.all_fetched()["good"]
        self.assertEqual((st["failures"], st["last_error"]), (0, ""))

    def test_sigterm_during_a_fetch_that_never_ends(self):
        """SIGTERM while a fetch hangs: the daemon waits its 10 s for it,
        says what was left (it said "0 messages unacknowledged", as if
        that were why it waited) and exits 0."""
        proc, log = self.daemons["drain"].proc, self.daemons["drain"].log
        h.wait_until(lambda: proc.poll() is not None, self.remaining(20), "the drain daemon's exit")
        self.assertEqual(proc.returncode, 0, log.text())
        self.assertTrue(log.matching(r"^newsdigestd: warning: stopping with 0 messages "
                                     r"unacknowledged and 1 fetch unfinished$"), log.text())

    # -- broker

    def test_broker_that_never_answers_is_named(self):
        """A broker port that accepts and never sends CONNACK: after the
        keepalive (5 s) the log says so, in words (it said "Unknown error."),
        and the daemon tries again."""
        log = self.daemons["silent"].log
        m = log.wait_for(r"mqtt: 127\.0\.0\.1:%d: (.*); retrying in (\d+)s$" % self.silent.port,
                         self.remaining(20))[0]
        self.assertEqual(m.group(1), "the broker accepted the connection but did not answer "
                         "within the keepalive (5s)")
        h.wait_until(lambda: len(self.silent.accepted) >= 2, self.remaining(20),
                     "a second connection attempt")
        self.assertIsNone(self.daemons["silent"].proc.poll())

    def test_client_id_taken_over_backs_off(self):
        """Another client connecting with our client id (mosquitto 2.0 just
        closes our connection): the log asks whether that is it, naming the
        client id, and the tries back off (1 s, 2 s, 4 s...) instead of
        taking the id back every second for ever; the CPU stays idle."""
        log = self.daemons["clash"].log
        lines = log.wait_for(r"mqtt: 127\.0\.0\.1:\d+: (.*); retrying in (\d+)s$",
                             self.remaining(25), count=3)
        self.assertRegex(lines[0].group(1), r"^connection lost \d+s after the broker accepted "
                         r"it \(does another client use client_id %s\? give each its own\)$"
                         % self.clash_id)
        self.assertEqual([int(m.group(2)) for m in lines[:3]], [1, 2, 4])
        ticks = cpu_ticks(self.daemons["clash"].proc.pid) - self.clash_cpu0
        secs = time.monotonic() - self.clash_t0
        self.assertLess(ticks, 10 + secs * 5, "%d ticks in %.1f s" % (ticks, secs))


# ---------------------------------------------------------------- disk full

def can_mount_tmpfs():
    return os.getuid() == 0 and os.path.exists("/bin/mount")


def small_state_dir(cls, name):
    """Give cls a workdir and in it a state directory on a 64 KiB tmpfs
    (root only: the test skips otherwise), both gone at class cleanup."""
    if not can_mount_tmpfs():
        raise unittest.SkipTest("needs root to mount a small tmpfs")
    cls.workdir = h.make_workdir(name)
    cls.addClassCleanup(h.remove_workdir, cls.workdir)
    cls.state = os.path.join(cls.workdir, "state")
    os.makedirs(cls.state)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", cls.state],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise unittest.SkipTest("cannot mount a tmpfs: %s" % r.stderr.strip())
    cls.addClassCleanup(subprocess.run, ["umount", "-l", cls.state], capture_output=True)


def fill_disk(directory):
    """Fill the file system of directory to the last block with a file
    "ballast" there; return its path."""
    path = os.path.join(directory, "ballast")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"x" * 4096) > 0:
            pass
    except OSError:
        pass
    os.close(fd)
    return path


def run_one_feed(cls, name, fn):
    """Start, for cls (with its workdir and state), a broker, an HTTP server
    answering the feed NAME with fn (every second, backlog all), a
    subscriber to its digests and the daemon; all stopped at class cleanup."""
    cls.broker = h.Broker(cls.workdir).start()
    cls.addClassCleanup(cls.broker.stop)
    cls.http = h.RouteServer()
    cls.addClassCleanup(cls.http.stop)
    feeds = {name: {"url": cls.http.route("/" + name, fn), "interval": "1s",
                    "backlog": "all"}}
    cls.conf = conf = h.daemon_config(os.path.join(cls.workdir, "d.conf"), cls.state,
                                      cls.broker.port, feeds, client_id="nd-hostile-" + name)
    cls.sub = h.Subscriber(cls.broker, ("news/+/%s/digest" % name,), name=name).start()
    cls.addClassCleanup(cls.sub.stop)
    cls.log = h.LogFile(os.path.join(cls.workdir, "d.log"))
    cls.proc = BUILD.spawn_daemon(conf, cls.log.path)
    cls.addClassCleanup(h.stop_process, cls.proc, 5.0)


class DiskChecks:
    """What every disk-full class checks: cls.log, cls.sub (its digests),
    cls.rc (the exit status) and want(), the ids that must come."""

    def test_disk_was_full(self):
        """The scenario did fill the disk: the log says so."""
        self.assertTrue(self.log.matching(r"No space left on device"), self.log.text())

    def test_every_item_delivered_once(self):
        got = [json.loads(m.text())["id"] for m in self.sub.messages]
        self.assertEqual(self.want() - set(got), set(), self.log.text()[-3000:])
        self.assertEqual(len(got), len(set(got)))

    def test_stops_cleanly(self):
        self.assertEqual(self.rc, 0)


class DiskFull(DiskChecks, unittest.TestCase):
    """The state directory on a 64 KiB tmpfs: the feed lists 150 items, then
    (once they are delivered) 150 more, more than the disk holds at once.
    The journal of the first 150, all acknowledged, must make room for the
    next (the daemon was stuck for ever, the disk full of dead records)."""

    N = 150

    @classmethod
    def setUpClass(cls):
        small_state_dir(cls, "diskfull")
        cls.phase = [0]
        text = b"A sentence that fills the journal a little. " * 8

        def fn(hd, req):
            base = cls.phase[0] * cls.N
            hd.reply(200, rss([item(b"Story %d of the day" % i, b"full-%d" % i, text=text)
                               for i in range(base, base + cls.N)]))
        run_one_feed(cls, "full", fn)
        cls.ids = lambda: {json.loads(m.text())["id"] for m in cls.sub.messages}
        h.wait_until(lambda: len(cls.ids()) >= cls.N, 20, "the first %d digests" % cls.N)
        cls.phase[0] = 1
        try:
            h.wait_until(lambda: len(cls.ids()) >= 2 * cls.N, 20, "all %d digests" % (2 * cls.N))
        except AssertionError:
            pass    # the test says what came
        cls.rc = h.stop_process(cls.proc, 15)

    def want(self):
        return {h.item_id("full", "full-%d" % i) for i in range(2 * self.N)}


class DiskStaysFull(DiskChecks, unittest.TestCase):
    """The disk fills up (a ballast file) for several fetches, then frees:
    each file that cannot be written is said once until a write works (the
    seen-store said it at every fetch of every feed), and every item the
    feed still lists is delivered afterwards, once."""

    WINDOW, STEP = 12, 2   # the feed lists its newest 12 items, 2 new a fetch

    @classmethod
    def setUpClass(cls):
        small_state_dir(cls, "diskstays")
        cls.newest = [0]        # items served so far; frozen once the disk frees
        cls.grow = [True]

        def fn(hd, req):
            if cls.grow[0]:
                cls.newest[0] += cls.STEP
            n = cls.newest[0]
            hd.reply(200, rss([item(b"Harbour note %d" % i, b"stays-%d" % i)
                               for i in range(max(0, n - cls.WINDOW), n)]))
        run_one_feed(cls, "stays", fn)
        ids = lambda: {json.loads(m.text())["id"] for m in cls.sub.messages}
        h.wait_until(lambda: len(ids()) >= cls.STEP, 10, "the first digests")
        # Fill the disk to the last block, for four fetches or more.
        ballast = fill_disk(cls.state)
        start = cls.newest[0]
        h.wait_until(lambda: cls.newest[0] >= start + 4 * cls.STEP, 15, "four fetches")
        os.unlink(ballast)
        freed = cls.newest[0]
        h.wait_until(lambda: cls.newest[0] >= freed + 2 * cls.STEP, 10, "two fetches more")
        cls.grow[0] = False
        cls.served = cls.newest[0]
        try:
            h.wait_until(lambda: len(ids()) >= cls.served, 15, "every digest")
        except AssertionError:
            pass    # the test says what came
        cls.rc = h.stop_process(cls.proc, 15)

    def want(self):
        return {h.item_id("stays", "stays-%d" % i) for i in range(self.served)}

    def test_full_disk_said_once(self):
        failing = set()
        for line in self.log.text().splitlines():
            m = re.search(r"(\S+?)(?:\.tmp)?(?:: write)?: No space left on device", line)
            if m:
                self.assertNotIn(m.group(1), failing, "said twice: %s" % line)
                failing.add(m.group(1))
            m = re.search(r"(\S+): (?:saved|written) again", line)
            if m:
                failing.discard(m.group(1))
        self.assertEqual(failing, set(), "said failing, never said working again")



class DiskFullAtStart(unittest.TestCase):
    """The daemon stops with 20 digests delivered (dead records in the
    journal) and 20 waiting; the disk fills; it starts again. It could not
    rewrite the journal and exited 1; now it goes on with the journal as it
    is and delivers the 20."""

    N = 20

    @classmethod
    def setUpClass(cls):
        small_state_dir(cls, "diskstart")
        cls.phase = [0]

        def fn(hd, req):
            first = cls.phase[0] * cls.N
            hd.reply(200, rss([item(b"Pier log %d" % i, b"start-%d" % i)
                               for i in range(first, first + cls.N)]))
        run_one_feed(cls, "start", fn)
        ids = lambda sub: {json.loads(m.text())["id"] for m in sub.messages}
        h.wait_until(lambda: len(ids(cls.sub)) >= cls.N, 10, "the first %d digests" % cls.N)
        cls.broker.stop()
        cls.phase[0] = 1
        h.wait_until(lambda: len(cls.log.matching(r"feed start: %d new articles" % cls.N)) >= 2,
                     10, "the next ones queued")
        cls.first_rc = stop_at_once(cls.proc)
        fill_disk(cls.state)
        cls.broker.start()
        cls.sub2 = h.Subscriber(cls.broker, ("news/+/start/digest",), name="start2").start()
        cls.addClassCleanup(cls.sub2.stop)
        cls.log2 = h.LogFile(os.path.join(cls.workdir, "d2.log"))
        cls.proc2 = BUILD.spawn_daemon(cls.conf, cls.log2.path)
        cls.addClassCleanup(h.stop_process, cls.proc2, 5.0)
        try:
            h.wait_until(lambda: len(ids(cls.sub2)) >= cls.N, 15, "the %d waiting" % cls.N)
        except AssertionError:
            pass    # the tests say what came
        cls.running = cls.proc2.poll() is None
        cls.got = ids(cls.sub2)

    def test_keeps_running_on_a_full_disk(self):
        self.assertTrue(self.running, self.log2.text())
        self.assertTrue(self.log2.matching(r"outbox.journal: kept as it is"), self.log2.text())

    def test_waiting_digests_delivered(self):
        want = {h.item_id("start", "start-%d" % i) for i in range(self.N, 2 * self.N)}
        self.assertEqual(want - self.got, set(), self.log2.text())


ORDER = [Hostile, DiskFull, DiskStaysFull, DiskFullAtStart]

if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], ORDER))
