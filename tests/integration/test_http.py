#!/usr/bin/env python3
"""
Integration tests of newsdigestd's HTTP side (daemon/fetch.c, daemon/watch.c)
against a real local HTTP/1.1 server whose paths behave as each test needs
(harness.RouteServer), a real mosquitto broker and real MQTT subscribers.
Nothing is mocked.

    python3 tests/integration/test_http.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped"; the exit status is
non-zero when M > 0. Set ND_E2E_KEEP=1 to keep the temp dirs.

What is pinned: conditional GET (ETag / Last-Modified, 304), gzip and
deflate transfer encodings, redirect chains (at most 5, "moved permanently"
logged once), failure backoff and Retry-After, RSS ttl and Cache-Control
max-age, the size cap (plain, chunked, gzip bomb), the transfer time limit,
the news/stats counters, and the User-Agent.

The daemons of DaemonMode run side by side (one broker, one HTTP server),
so that their waits overlap; each test waits (bounded) for its own
condition.
"""
import email.utils
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()
VERSION = None  # what newsdigestd --version says, set by main()

ETAG = '"news1-v1"'
LAST_MODIFIED = "Mon, 16 Nov 2026 09:00:00 GMT"


def fixture(name):
    with open(os.path.join(h.FIXTURES, name), "rb") as f:
        return f.read()


NEWS1 = fixture("news1.rss")
NEWS1_ITEMS = h.fixture_items("news1.rss")
GUIDS = sorted(it.guid for it in NEWS1_ITEMS)


# One item whose link is relative.
RELATIVE = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
            b'<item><title>Relative link</title><guid>rel-1</guid><link>a.html</link>'
            b'<description>A story with a relative link.</description></item>'
            b'</channel></rss>')


def ids_of(feed):
    """The digest ids news1.rss gives under feed name feed, sorted."""
    return sorted(h.item_id(feed, g) for g in GUIDS)


def with_channel_extra(body, extra):
    """news1.rss with extra inserted right after <channel>."""
    return body.replace(b"<channel>", b"<channel>\n    " + extra, 1)


def oversized_body(size):
    """A well-formed start of news1.rss padded with an XML comment to size
    bytes: a parser reading it sees nothing wrong before the size cap."""
    head = with_channel_extra(NEWS1, b"<!-- ")
    cut = head.index(b"<!-- ") + 5
    return head[:cut] + b"x" * (size - cut)


def gzip_bomb(inflated=50 << 20):
    """A gzip stream of an RSS start and ~50 MB of spaces (~50 KB on the wire)."""
    head = (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            b"<title>Bomb</title>")
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [c.compress(head)]
    block = b" " * (1 << 20)
    left = inflated - len(head)
    while left > 0:
        parts.append(c.compress(block[:min(left, len(block))]))
        left -= len(block)
    parts.append(c.flush())
    return b"".join(parts)


# ---------------------------------------------------------------- routes
# Each returns fn(handler, request) for RouteServer.route(); fn notes what
# it answered in request.info.

def conditional(body, etag=None, last_modified=None, extra_headers=()):
    """200 with the validators given; 304 when the request's If-None-Match
    carries the ETag, or (without If-None-Match, RFC 9110 13.2.2) when
    If-Modified-Since equals the Last-Modified."""
    def fn(hd, req):
        inm, ims = req.headers.get("if-none-match"), req.headers.get("if-modified-since")
        if etag is not None and inm is not None:
            fresh = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        else:
            fresh = last_modified is not None and inm is None and ims == last_modified
        hdrs = list(extra_headers)
        if etag:
            hdrs.append(("ETag", etag))
        if last_modified:
            hdrs.append(("Last-Modified", last_modified))
        req.info["status"] = 304 if fresh else 200
        hd.reply(req.info["status"], b"" if fresh else body, hdrs)
    return fn


def encoded(body, coding):
    """body in Content-Encoding coding (gzip or deflate) when the request
    accepts it, else plain."""
    def fn(hd, req):
        accepted = [c.split(";")[0].strip().lower()
                    for c in req.headers.get("accept-encoding", "").split(",")]
        if coding in accepted:
            data = gzip.compress(body) if coding == "gzip" else zlib.compress(body)
            req.info["encoding"] = coding
            hd.reply(200, data, [("Content-Encoding", coding)])
        else:
            req.info["encoding"] = "identity"
            hd.reply(200, body)
    return fn


def redirect_chain(server, prefix, statuses, body):
    """Routes PREFIX/0 .. PREFIX/n-1 redirecting with statuses[i] to the
    next, the last to PREFIX/final serving body. Returns (start URL, final URL)."""
    paths = ["%s/%d" % (prefix, i) for i in range(len(statuses))] + [prefix + "/final"]
    for i, status in enumerate(statuses):
        def fn(hd, req, status=status, to=server.url(paths[i + 1])):
            req.info["status"] = status
            hd.redirect(status, to)
        server.route(paths[i], fn)
    server.route(paths[-1], lambda hd, req: hd.reply(200, body))
    return server.url(paths[0]), server.url(paths[-1])


def status_only(status, headers=()):
    """Always status, with headers (each a (name, value or callable) pair)."""
    def fn(hd, req):
        hd.reply(status, b"<html><body>no</body></html>\n",
                 [(k, v() if callable(v) else v) for k, v in headers],
                 content_type="text/html")
    return fn


def trickle(body, every=0.1, stopping=None, limit=20.0):
    """200 with the whole Content-Length, then one byte every `every` seconds
    (10 bytes a second); notes when the client hung up (closed_at)."""
    def fn(hd, req):
        hd.send_response(200)
        hd.send_header("Content-Type", "application/rss+xml")
        hd.send_header("Content-Length", str(len(body)))
        hd.send_header("Connection", "close")
        hd.end_headers()
        hd.wfile.flush()
        end = time.monotonic() + limit
        for i in range(len(body)):
            if time.monotonic() > end or (stopping is not None and stopping.is_set()):
                return
            try:
                hd.wfile.write(body[i:i + 1])
                hd.wfile.flush()
            except OSError:
                req.info["closed_at"] = time.monotonic()
                return
            req.info["sent"] = i + 1
            time.sleep(every)
    return fn


def chunked(body, size=1024):
    def fn(hd, req):
        hd.reply_chunked(200, [body[i:i + size] for i in range(0, len(body), size)])
    return fn


def raw_bytes(data, headers=()):
    def fn(hd, req):
        try:
            hd.reply(200, data, headers)
            req.info["sent"] = len(data)
        except OSError:
            req.info["closed_at"] = time.monotonic()
    return fn


# ---------------------------------------------------------------- helpers

def decode(msg):
    """A default-profile digest: zlib JSON."""
    return json.loads(zlib.decompress(msg.payload))


def digests_of(messages, feed):
    return [decode(m) for m in messages if m.topic == "news/default/%s/digest" % feed]


def without_identity(d):
    return {k: v for k, v in d.items() if k not in ("id", "feed")}


def try_lines(log, feed):
    """(url, reason, seconds) of each "feed NAME: URL: REASON; next try in Ns" line."""
    return [(m.group(1), m.group(2), int(m.group(3))) for m in log.matching(
        r"^newsdigestd: warning: feed %s: (\S+): (.*); next try in (\d+)s$" % re.escape(feed))]


class TextLog(h.LogFile):
    """A LogFile over text already read (a finished run's stderr)."""

    def __init__(self, text):
        super().__init__(None)
        self._text = text

    def text(self):
        return self._text


class OnceRun:
    """One newsdigestd --once run as the outside world saw it."""

    def __init__(self, result, messages):
        self.result = result
        self.messages = messages
        self.log = TextLog(result.stderr)

    def digests(self, feed):
        return digests_of(self.messages, feed)

    def all_digests(self):
        return [m for m in self.messages if m.topic.endswith("/digest")]


class HttpScenario(h.BrokerCase):
    """A test class with its own temp dir, broker and RouteServer."""

    TAG = "http"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = h.RouteServer()
        cls.addClassCleanup(cls.http.stop)
        cls.scenario()

    @classmethod
    def config(cls, name, feeds, state, client_id, daemon=None, port=None):
        return h.daemon_config(cls.path(name), cls.path(state), port or cls.broker.port, feeds,
                               client_id=client_id, daemon=daemon)

    @classmethod
    def run_once(cls, config, args=()):
        """newsdigestd --once with a subscriber on news/#; waits (bounded)
        for the offline status, its last word, before collecting."""
        sub = h.Subscriber(cls.broker, ("news/#",), name=cls.TAG).start()
        try:
            res = BUILD.run_once(config, args=args)
            if res.rc in (0, 1):
                try:
                    sub.wait_for(lambda ms: any(m.topic == "news/status" and not m.retain and
                                                m.payload == b'{"state":"offline"}'
                                                for m in ms), 5.0, "the offline status")
                except AssertionError:
                    pass
            return OnceRun(res, sub.live())
        finally:
            sub.stop()

    def assertUserAgent(self):
        """Every request the daemon made carries User-Agent newsdigestd/VERSION."""
        reqs = self.http.all_requests()
        self.assertTrue(reqs)
        want = "newsdigestd/" + VERSION
        self.assertEqual({r.headers.get("user-agent") for r in reqs}, {want})


# ---------------------------------------------------------------- 1, 9

class ConditionalGet(HttpScenario):
    """Two --once runs on one state dir against feeds with both validators,
    an ETag only, and a Last-Modified only; the second run with -v."""

    TAG = "http-cond"
    FEEDS = {"both": (ETAG, LAST_MODIFIED), "etag": ('W/"e-42"', None),
             "lm": (None, "Sun, 15 Nov 2026 18:00:00 GMT")}

    @classmethod
    def scenario(cls):
        feeds = {}
        for name, (etag, lm) in cls.FEEDS.items():
            url = cls.http.route("/%s.rss" % name, conditional(NEWS1, etag, lm))
            feeds[name] = {"url": url, "backlog": "all"}
        conf = cls.config("cond.conf", feeds, "state", "nd-http-cond")
        cls.run1 = cls.run_once(conf)
        cls.run2 = cls.run_once(conf, args=["-v"])

    def test_first_run_publishes_every_feed(self):
        """Sanity: the first run reads every feed (200) and publishes its 3
        digests; exit 0."""
        self.assertEqual(self.run1.result.rc, 0, self.run1.result.describe())
        for name in self.FEEDS:
            self.assertEqual(sorted(d["id"] for d in self.run1.digests(name)), ids_of(name))
            self.assertEqual(self.http.requests_for("/%s.rss" % name)[0].info["status"], 200)

    def test_second_request_carries_the_validators(self):
        """The second run's request carries If-None-Match equal to the ETag
        and If-Modified-Since equal to the Last-Modified the server sent
        (each only when the server sent it); the first carries neither."""
        for name, (etag, lm) in self.FEEDS.items():
            reqs = self.http.requests_for("/%s.rss" % name)
            self.assertEqual(len(reqs), 2, name)
            self.assertNotIn("if-none-match", reqs[0].headers, name)
            self.assertNotIn("if-modified-since", reqs[0].headers, name)
            self.assertEqual(reqs[1].headers.get("if-none-match"), etag, name)
            self.assertEqual(reqs[1].headers.get("if-modified-since"), lm, name)

    def test_304_publishes_nothing_and_exits_0(self):
        """The server answers the second requests 304: the run publishes no
        digest and no bundle (only the status), and exits 0."""
        self.assertEqual(self.run2.result.rc, 0, self.run2.result.describe())
        for name in self.FEEDS:
            self.assertEqual(self.http.requests_for("/%s.rss" % name)[1].info["status"], 304)
        self.assertEqual([m.topic for m in self.run2.messages], ["news/status", "news/status"])

    def test_log_says_not_modified(self):
        """With -v the log says "feed NAME: not modified" once per feed, and
        reports no failure."""
        for name in self.FEEDS:
            self.assertEqual(len(self.run2.log.matching(
                r"^newsdigestd: debug: feed %s: not modified$" % name)), 1,
                self.run2.result.stderr)
        self.assertNotIn("next try in", self.run2.result.stderr)

    def test_user_agent(self):
        """User-Agent: newsdigestd/VERSION (the version --version prints)."""
        self.assertUserAgent()


# ---------------------------------------------------------------- 2, 3

class EncodingsAndRedirects(HttpScenario):
    """One --once run: a plain feed, the same served gzip- and
    deflate-encoded, redirect chains of 3 (302, 301, 302), 5 and 6 hops
    (302s) and one 308."""

    TAG = "http-xfer"

    @classmethod
    def scenario(cls):
        s = cls.http
        cls.urls = {
            "plain": s.route("/plain.rss", lambda hd, req: hd.reply(200, NEWS1)),
            "gz": s.route("/gz.rss", encoded(NEWS1, "gzip")),
            "defl": s.route("/defl.rss", encoded(NEWS1, "deflate")),
        }
        cls.chains = {
            "hop3": redirect_chain(s, "/hop3", [302, 301, 302], NEWS1),
            "hop5": redirect_chain(s, "/hop5", [302] * 5, NEWS1),
            "hop6": redirect_chain(s, "/hop6", [302] * 6, NEWS1),
            "perm": redirect_chain(s, "/perm", [308], NEWS1),
        }
        for name, (start, _) in cls.chains.items():
            cls.urls[name] = start
        # Relative links: against the URL after redirects, or Content-Location.
        s.route("/deep/feed.rss", lambda hd, req: hd.reply(200, RELATIVE))
        cls.urls["rel"] = s.route("/relstart.rss",
                                  lambda hd, req: hd.redirect(302, s.url("/deep/feed.rss")))
        cls.urls["cloc"] = s.route("/cloc.rss", lambda hd, req: hd.reply(
            200, RELATIVE, [("Content-Location", "http://cdn.example.net/news/feed.rss")]))
        cls.urls["unsafe"] = s.route("/unsafe/feed.rss", lambda hd, req: hd.reply(
            200, RELATIVE, [("Content-Location", "javascript:alert(1)")]))
        conf = cls.config("xfer.conf", {n: {"url": u, "backlog": "all"}
                                        for n, u in cls.urls.items()}, "state", "nd-http-xfer")
        cls.run1 = cls.run_once(conf)

    def test_gzip_requested_and_read(self):
        """The request's Accept-Encoding lists gzip; the body goes out
        gzip-encoded; the digests are those of the plain feed (same guids,
        titles, summaries... only the feed name differs)."""
        req = self.http.requests_for("/gz.rss")[0]
        self.assertIn("gzip", req.headers.get("accept-encoding", ""), req.headers)
        self.assertEqual(req.info["encoding"], "gzip")
        got = self.run1.digests("gz")
        self.assertEqual(sorted(d["id"] for d in got), ids_of("gz"))
        self.assertEqual(sorted(map(json.dumps, map(without_identity, got))),
                         sorted(map(json.dumps, map(without_identity, self.run1.digests("plain")))))
        self.assertEqual(len(got), 3)

    def test_deflate_requested_and_read(self):
        """The same with Content-Encoding: deflate (a zlib stream)."""
        req = self.http.requests_for("/defl.rss")[0]
        self.assertIn("deflate", req.headers.get("accept-encoding", ""), req.headers)
        self.assertEqual(req.info["encoding"], "deflate")
        got = self.run1.digests("defl")
        self.assertEqual(sorted(d["id"] for d in got), ids_of("defl"))
        self.assertEqual(sorted(map(json.dumps, map(without_identity, got))),
                         sorted(map(json.dumps, map(without_identity, self.run1.digests("plain")))))

    def test_redirect_chain_of_3_is_followed(self):
        """302, 301, 302: every hop requested in order, the feed read and
        its 3 digests published."""
        self.assertEqual([len(self.http.requests_for(p)) for p in
                          ("/hop3/0", "/hop3/1", "/hop3/2", "/hop3/final")], [1, 1, 1, 1])
        self.assertEqual(sorted(d["id"] for d in self.run1.digests("hop3")), ids_of("hop3"))

    def test_moved_permanently_logged_once_with_the_final_url(self):
        """A 301 (or 308) on the way logs once "feed NAME: URL moved
        permanently to NEWURL; please update the config" naming the final
        URL; chains of 302s only log nothing of the kind."""
        for name in ("hop3", "perm"):
            start, final = self.chains[name]
            lines = self.run1.log.matching(r"feed %s: .*moved permanently" % name)
            self.assertEqual([m.string for m in lines], [
                "newsdigestd: warning: feed %s: %s moved permanently to %s; please update the "
                "config" % (name, start, final)], self.run1.result.stderr)
        for name in ("hop5", "hop6", "plain"):
            self.assertEqual(self.run1.log.matching(r"feed %s: .*moved permanently" % name), [])
        self.assertEqual(sorted(d["id"] for d in self.run1.digests("perm")), ids_of("perm"))

    def test_relative_links_resolved_against_the_final_url(self):
        """A relative item link resolves against the URL the body came from
        after redirects, or against its Content-Location when that is an
        http(s) URL; a javascript: one is ignored."""
        want = {"rel": self.http.url("/deep/a.html"),
                "cloc": "http://cdn.example.net/news/a.html",
                "unsafe": self.http.url("/unsafe/a.html")}
        for name, link in want.items():
            got = self.run1.digests(name)
            self.assertEqual([d.get("url") for d in got], [link], name)

    def test_five_redirects_are_fine(self):
        """At most 5 redirects are followed: a chain of exactly 5 is read."""
        self.assertEqual(len(self.http.requests_for("/hop5/final")), 1)
        self.assertEqual(sorted(d["id"] for d in self.run1.digests("hop5")), ids_of("hop5"))

    def test_six_redirects_fail_the_feed(self):
        """A 6th redirect fails the fetch: never followed to the end, a log
        line "feed hop6: URL: ...redirect...; next try in Ns", nothing
        published for it; the run exits 1 (a feed failed)."""
        self.assertEqual(self.run1.result.rc, 1, self.run1.result.describe())
        self.assertEqual(len(self.http.requests_for("/hop6/5")), 1)
        self.assertEqual(self.http.requests_for("/hop6/final"), [])
        lines = try_lines(self.run1.log, "hop6")
        self.assertEqual(len(lines), 1, self.run1.result.stderr)
        url, reason, _ = lines[0]
        self.assertEqual(url, self.urls["hop6"])
        self.assertRegex(reason, r"(?i)redirect")
        self.assertEqual(self.run1.digests("hop6"), [])

    def test_other_feeds_unaffected(self):
        """Only hop6 failed: every other feed has its 3 digests and no
        failure line."""
        for name in self.urls:
            if name not in ("hop6", "rel", "cloc", "unsafe"):
                self.assertEqual(len(self.run1.digests(name)), 3, name)
                self.assertEqual(try_lines(self.run1.log, name), [], name)

    def test_user_agent(self):
        """User-Agent: newsdigestd/VERSION on every request, redirects too."""
        self.assertUserAgent()


# ---------------------------------------------------------------- 4-8

class Daemon:
    """One newsdigestd (no --once) with its log."""

    def __init__(self, proc, log, client_id, feeds):
        self.proc = proc
        self.log = log
        self.client_id = client_id
        self.feeds = feeds


class DaemonMode(HttpScenario):
    """Daemons without --once, side by side, stats_interval = 1s, one
    subscriber on news/# (digests, and news/stats of them all):

    - back: a feed always answering 500 (interval 1s) first, a good feed, a
      conditional feed and a 301 chain (interval 1s);
    - lim: max_feed_size = 4k, fetch_timeout = 2s: a trickling server, a
      64 KiB body (with Content-Length and chunked), a good feed;
    - retry: 429/503 with Retry-After (seconds, HTTP date, less than the
      backoff, more than a day), Cache-Control max-age, RSS <ttl>
      (interval 60s);
    - bomb: max_feed_size = 1M: a gzip bomb, a good feed;
    - pend: a conditional feed (interval 1s) while the daemon's broker is
      down; that broker comes up 2 s later.
    """

    TAG = "http-daemon"
    BOMB = None

    @classmethod
    def scenario(cls):
        s = cls.http
        cls.sub = h.Subscriber(cls.broker, ("news/#",), name=cls.TAG).start()
        cls.addClassCleanup(cls.sub.stop)
        cls.daemons = {}
        small = with_channel_extra(NEWS1, b"")
        cls.big_len = 64 << 10
        now = time.time()
        cls.retry_after = {"r-429": 7200, "r-503date": 10800, "r-429b": 3600, "r-503b": 5000}
        date_3h = email.utils.formatdate(now + 10800, usegmt=True)
        cls.chain = redirect_chain(s, "/moved", [302, 301, 302], NEWS1)
        cls.bomb = cls.BOMB or gzip_bomb()
        cls.specs = {
            "back": ({"daemon": {"stats_interval": "1s"}}, {
                "b-fail": {"url": s.route("/fail.rss", status_only(500)), "interval": "1s"},
                "b-good": {"url": s.route("/good-b.rss", lambda hd, r: hd.reply(200, NEWS1)),
                           "interval": "1h", "backlog": "all"},
                "b-cond": {"url": s.route("/cond-b.rss", conditional(NEWS1, ETAG, LAST_MODIFIED)),
                           "interval": "1s", "backlog": "all"},
                "b-moved": {"url": cls.chain[0], "interval": "1s", "backlog": "all"},
            }),
            "lim": ({"daemon": {"stats_interval": "1s", "max_feed_size": "4k",
                                "fetch_timeout": "2s"}}, {
                "l-trickle": {"url": s.route("/trickle.rss", trickle(small, 0.1, s.stopping)),
                              "interval": "1h"},
                "l-big": {"url": s.route("/big.rss", raw_bytes(oversized_body(cls.big_len))),
                          "interval": "1h"},
                "l-bigchunk": {"url": s.route("/bigchunk.rss",
                                              chunked(oversized_body(cls.big_len))),
                               "interval": "1h"},
                "l-good": {"url": s.route("/good-l.rss", lambda hd, r: hd.reply(200, NEWS1)),
                           "interval": "1h", "backlog": "all"},
            }),
            "retry": ({"daemon": {"stats_interval": "1s"}}, {
                "r-429": {"url": s.route("/429.rss", status_only(
                    429, [("Retry-After", "7200")])), "interval": "60s"},
                "r-503date": {"url": s.route("/503.rss", status_only(
                    503, [("Retry-After", date_3h)])), "interval": "60s"},
                "r-503small": {"url": s.route("/503small.rss", status_only(
                    503, [("Retry-After", "5")])), "interval": "60s"},
                "r-429huge": {"url": s.route("/429huge.rss", status_only(
                    429, [("Retry-After", "200000")])), "interval": "60s"},
                "r-maxage": {"url": s.route("/maxage.rss", conditional(
                    NEWS1, extra_headers=[("Cache-Control", "public, max-age=5400")])),
                    "interval": "60s"},
                "r-ttl": {"url": s.route("/ttl.rss", lambda hd, r: hd.reply(
                    200, with_channel_extra(NEWS1, b"<ttl>120</ttl>"))), "interval": "60s"},
                "r-429b": {"url": s.route("/429b.rss", status_only(
                    429, [("Retry-After", "3600")])), "interval": "60s"},
                "r-503b": {"url": s.route("/503b.rss", status_only(
                    503, [("Retry-After", "5000")])), "interval": "60s"},
            }),
            "bomb": ({"daemon": {"stats_interval": "1s", "max_feed_size": "1M"}}, {
                "z-bomb": {"url": s.route("/bomb.rss", raw_bytes(
                    cls.bomb, [("Content-Encoding", "gzip")])), "interval": "1h"},
                "z-good": {"url": s.route("/good-z.rss", lambda hd, r: hd.reply(200, NEWS1)),
                           "interval": "1h", "backlog": "all"},
            }),
            "pend": ({"daemon": {"stats_interval": "1s"}}, {
                "p-pend": {"url": s.route("/pend.rss", conditional(NEWS1, ETAG, LAST_MODIFIED)),
                           "interval": "1s", "backlog": "all"},
            }),
        }
        # The pend daemon's broker: its port chosen now, started 2 s later.
        cls.late = h.Broker(cls.workdir)
        cls.addClassCleanup(cls.late.stop)
        cls.late_error = []
        cls.late_started = threading.Event()
        cls.started = time.monotonic()
        for name, (kw, feeds) in cls.specs.items():
            client = "nd-http-" + name
            conf = cls.config(name + ".conf", feeds, "state-" + name, client,
                              daemon=kw["daemon"],
                              port=cls.late.port if name == "pend" else None)
            log = h.LogFile(cls.path(name + ".log"))
            proc = BUILD.spawn_daemon(conf, log.path)
            cls.addClassCleanup(h.stop_process, proc, 3.0)
            cls.daemons[name] = Daemon(proc, log, client, feeds)

        def late_start():
            time.sleep(2.0)
            try:
                cls.late.start()
                cls.late_at = time.monotonic()
            except Exception as e:      # reported by the test
                cls.late_error.append(e)
            cls.late_started.set()
        t = threading.Thread(target=late_start, daemon=True)
        t.start()
        cls.addClassCleanup(t.join, 10)

    # -- helpers

    def remaining(self, total):
        """Seconds left of a budget of total seconds since the daemons started."""
        return max(0.5, self.started + total - time.monotonic())

    def stats_of(self, feed):
        """Every news/stats entry of feed so far, in order."""
        out = []
        for m in self.sub.messages:
            if m.topic == "news/stats":
                for f in json.loads(m.payload)["feeds"]:
                    if f["name"] == feed:
                        out.append(f)
        return out

    def wait_stats(self, feed, pred, total, what):
        """Wait (bounded by total s since start) for a stats entry of feed
        with pred true; return it."""
        return h.wait_until(lambda: next((f for f in reversed(self.stats_of(feed)) if pred(f)),
                                         None),
                            self.remaining(total), "news/stats of %s with %s" % (feed, what))

    def wait_digests(self, feed, n, total):
        return self.sub.wait_for(lambda ms: (lambda ds: ds if len(ds) >= n else None)(
            digests_of(ms, feed)), self.remaining(total), "%d digests of %s" % (n, feed))

    def wait_try_lines(self, daemon, feed, n, total):
        log = self.daemons[daemon].log
        return h.wait_until(lambda: (lambda ls: ls if len(ls) >= n else None)(
            try_lines(log, feed)), self.remaining(total),
            "%d failure line(s) of %s in %s" % (n, feed, log.path))

    def assertGoodFeed(self, feed, total=15):
        """feed published its 3 digests (exactly), and reports no failure."""
        got = self.wait_digests(feed, 3, total)
        self.assertEqual(sorted(d["id"] for d in got), ids_of(feed))
        st = self.wait_stats(feed, lambda f: f["digests"] >= 3, total, "3 digests")
        self.assertEqual((st["failures"], st["last_error"], st["items"]), (0, "", 3))

    # -- back

    def test_backoff_doubles_after_each_failure(self):
        """interval = 1s and HTTP 500 every time: "feed b-fail: URL: HTTP
        500; next try in 2s", then 4s, then 8s (the interval doubled per
        failure in a row); the server sees the fetches 2 s and 4 s apart."""
        lines = self.wait_try_lines("back", "b-fail", 3, 15)
        url = self.daemons["back"].feeds["b-fail"]["url"]
        self.assertEqual(lines[:3], [(url, "HTTP 500", 2), (url, "HTTP 500", 4),
                                     (url, "HTTP 500", 8)])
        at = [r.at for r in self.http.requests_for("/fail.rss")]
        self.assertGreaterEqual(len(at), 3)
        self.assertAlmostEqual(at[1] - at[0], 2.0, delta=0.6)
        self.assertAlmostEqual(at[2] - at[1], 4.0, delta=0.6)

    def test_backoff_in_stats(self):
        """news/stats of b-fail: failures counted, last_error "HTTP 500", and
        next_fetch - last_fetch = 2^failures s (no jitter below 10 s)."""
        # 2 or 3 failures: delays of 4 and 8 s, below the 10 s where jitter starts.
        st = self.wait_stats("b-fail", lambda f: f["failures"] in (2, 3), 12, "2 or 3 failures")
        self.assertEqual(st["last_error"], "HTTP 500")
        self.assertEqual(st["fetches"], st["failures"])
        self.assertIn(st["next_fetch"] - st["last_fetch"],
                      (2 ** st["failures"], 2 ** st["failures"] + 1), st)

    def test_good_feed_next_to_a_failing_one(self):
        """The good feed of the same daemon is published in full, with no
        failure of its own."""
        self.assertGoodFeed("b-good")

    def test_not_modified_counted(self):
        """interval = 1s, a feed that honours validators: the first fetch
        publishes 3 digests; the next ones send If-None-Match and get 304;
        news/stats counts them in not_modified; nothing is published again."""
        st = self.wait_stats("b-cond", lambda f: f["not_modified"] >= 1, 12, "not_modified >= 1")
        self.assertEqual((st["failures"], st["items"]), (0, 3))
        reqs = self.http.requests_for("/cond-b.rss")
        self.assertEqual(reqs[0].info["status"], 200)
        cond = [i for i, r in enumerate(reqs) if "if-none-match" in r.headers]
        self.assertTrue(cond, [r.headers for r in reqs])
        first = reqs[cond[0]]
        self.assertEqual(first.headers.get("if-none-match"), ETAG)
        self.assertEqual(first.headers.get("if-modified-since"), LAST_MODIFIED)
        self.assertEqual(first.info["status"], 304)
        self.assertEqual({r.info["status"] for r in reqs[cond[0]:]}, {304})
        self.assertEqual(len(digests_of(self.sub.messages, "b-cond")), 3)

    def test_moved_logged_once_over_several_fetches(self):
        """A feed behind 302, 301, 302 fetched 3 times (interval 1s): "moved
        permanently to FINAL" is logged once, not at each fetch."""
        self.wait_stats("b-moved", lambda f: f["fetches"] >= 3, 15, "fetches >= 3")
        self.assertGreaterEqual(len(self.http.requests_for("/moved/final")), 3)
        lines = [m.string for m in self.daemons["back"].log.matching(
            r"feed b-moved: .*moved permanently")]
        self.assertEqual(lines, [
            "newsdigestd: warning: feed b-moved: %s moved permanently to %s; please update the "
            "config" % self.chain])
        self.assertEqual(len(digests_of(self.sub.messages, "b-moved")), 3)

    # -- lim

    def test_trickle_cut_off_by_fetch_timeout(self):
        """fetch_timeout = 2s, a server sending 10 bytes a second: the client
        hangs up ~2 s after the request; the log says "feed l-trickle: URL:
        ...timed out...; next try in Ns"; news/stats counts a timeout."""
        lines = self.wait_try_lines("lim", "l-trickle", 1, 12)
        self.assertRegex(lines[0][1], r"(?i)timed? ?out", lines)
        req = self.http.requests_for("/trickle.rss")[0]
        h.wait_until(lambda: "closed_at" in req.info, 3, "the server to see the hang-up")
        self.assertGreater(req.info["closed_at"] - req.at, 1.5)
        self.assertLess(req.info["closed_at"] - req.at, 3.5)
        st = self.wait_stats("l-trickle", lambda f: f["timeouts"] >= 1, 12, "timeouts >= 1")
        self.assertEqual((st["failures"], st["too_big"], st["items"]), (1, 0, 0))
        self.assertRegex(st["last_error"], r"(?i)timed? ?out")

    def test_oversized_body_refused(self):
        """max_feed_size = 4k, a 64 KiB body sent with a Content-Length: "feed
        l-big: URL: body larger than 4096 bytes: refused; next try in Ns";
        news/stats too_big = 1."""
        lines = self.wait_try_lines("lim", "l-big", 1, 12)
        self.assertEqual(lines[0][1], "body larger than 4096 bytes: refused", lines)
        st = self.wait_stats("l-big", lambda f: f["fetches"] >= 1, 12, "a fetch")
        self.assertEqual((st["too_big"], st["failures"], st["items"]), (1, 1, 0), st)

    def test_oversized_chunked_body_refused(self):
        """The same 64 KiB body in chunked encoding (no length up front):
        refused with the same message, too_big = 1."""
        lines = self.wait_try_lines("lim", "l-bigchunk", 1, 12)
        self.assertEqual(lines[0][1], "body larger than 4096 bytes: refused", lines)
        st = self.wait_stats("l-bigchunk", lambda f: f["too_big"] >= 1, 12, "too_big >= 1")
        self.assertEqual((st["too_big"], st["failures"], st["items"]), (1, 1, 0), st)

    def test_good_feed_next_to_limits(self):
        """The good feed (2.4 KB, under the cap) of the same daemon is
        published in full."""
        self.assertGoodFeed("l-good")

    # -- retry

    # The log gives the delay as scheduled: with the tenth of jitter the
    # daemon adds, but never below a Retry-After and never above a day.

    def assertDelay(self, line, reason, low, high):
        self.assertEqual(line[1], reason, line)
        self.assertTrue(low <= line[2] <= high, (line, low, high))

    def test_retry_after_seconds(self):
        """429 with Retry-After: 7200 (interval 60s, backoff 120s): "next try
        in Ns", 7200 <= N <= 7200 + a tenth."""
        lines = self.wait_try_lines("retry", "r-429", 1, 12)
        self.assertDelay(lines[0], "HTTP 429", 7200, 7920)

    def test_retry_after_http_date(self):
        """503 with Retry-After as an HTTP date 3 h ahead: "next try in Ns",
        N at least 10800 (less the seconds the run took), at most a tenth more."""
        lines = self.wait_try_lines("retry", "r-503date", 1, 12)
        self.assertDelay(lines[0], "HTTP 503", 10800 - 5, 11880)

    def test_retry_after_below_the_backoff(self):
        """Retry-After: 5 is less than the backoff (2 x 60s): "next try in
        Ns", N = 120 give or take a tenth."""
        lines = self.wait_try_lines("retry", "r-503small", 1, 12)
        self.assertDelay(lines[0], "HTTP 503", 108, 132)

    def test_retry_after_capped_at_a_day(self):
        """Retry-After: 200000 (2.3 days): "next try in 86400s" (24 h at most)."""
        lines = self.wait_try_lines("retry", "r-429huge", 1, 12)
        self.assertEqual(lines[0][1:], ("HTTP 429", 86400))

    def test_next_fetch_not_before_retry_after(self):
        """The fetch is really scheduled no sooner than the Retry-After: in
        news/stats, next_fetch - last_fetch >= Retry-After for each of four
        feeds (7200, 10800 as a date, 3600, 5000 s)."""
        early = []
        for feed, ra in self.retry_after.items():
            st = self.wait_stats(feed, lambda f: f["failures"] >= 1, 12, "a failure")
            if st["next_fetch"] - st["last_fetch"] < ra - (2 if feed == "r-503date" else 0):
                early.append((feed, ra, st["next_fetch"] - st["last_fetch"]))
        self.assertEqual(early, [], "(feed, Retry-After, next_fetch - last_fetch)")

    def test_max_age_and_ttl_lengthen_the_interval(self):
        """After a success the next fetch is after the interval (60s) or
        longer when the feed asks: Cache-Control max-age=5400 -> 5400 s,
        RSS <ttl>120</ttl> (minutes) -> 7200 s, give or take the tenth of
        jitter the daemon adds."""
        for feed, want in (("r-maxage", 5400), ("r-ttl", 7200)):
            st = self.wait_stats(feed, lambda f: f["fetches"] >= 1, 12, "a fetch")
            self.assertEqual(st["failures"], 0, st)
            got = st["next_fetch"] - st["last_fetch"]
            self.assertTrue(want * 0.9 - 1 <= got <= want * 1.1 + 2, (feed, got, st))

    # -- bomb

    def test_gzip_bomb_refused_with_small_memory(self):
        """max_feed_size = 1M, a ~50 KB gzip body inflating to 50 MB: "body
        larger than 1048576 bytes: refused"; too_big = 1; the daemon's peak
        RSS (VmHWM) stays under 32 MiB and it keeps running."""
        self.assertLess(len(self.bomb), 100 << 10)
        lines = self.wait_try_lines("bomb", "z-bomb", 1, 12)
        self.assertEqual(lines[0][1], "body larger than 1048576 bytes: refused", lines)
        st = self.wait_stats("z-bomb", lambda f: f["too_big"] >= 1, 12, "too_big >= 1")
        self.assertEqual((st["failures"], st["items"]), (1, 0))
        proc = self.daemons["bomb"].proc
        hwm = h.proc_status_kib(proc.pid, "VmHWM")
        self.assertIsNone(proc.poll(), self.daemons["bomb"].log.text())
        self.assertIsNotNone(hwm)
        self.assertLess(hwm, 32 << 10, "VmHWM %d KiB" % hwm)

    def test_good_feed_next_to_the_bomb(self):
        self.assertGoodFeed("z-good")

    # -- pend

    def test_validators_kept_once_the_outbox_has_the_articles(self):
        """Validators are stored as soon as every article of the body is on
        disk in the outbox (DESIGN §4: seen once in the durable outbox):
        while the broker is down, the first fetch is unconditional and the
        next ones (interval 1s) carry If-None-Match and get 304; once the
        broker is up, the 3 digests are published, once each."""
        self.assertTrue(self.late_started.wait(self.remaining(10)), "the late broker")
        self.assertEqual(self.late_error, [])
        before = [r for r in self.http.requests_for("/pend.rss") if r.at < self.late_at]
        self.assertGreaterEqual(len(before), 2)
        self.assertNotIn("if-none-match", before[0].headers)
        for r in before[1:]:
            self.assertEqual(r.headers.get("if-none-match"), '"news1-v1"', r.headers)
            self.assertEqual(r.info.get("status"), 304)
        h.wait_until(lambda: any(r.info.get("status") == 304
                                 for r in self.http.requests_for("/pend.rss")),
                     self.remaining(20), "a conditional fetch answered 304")
        cid = self.daemons["pend"].client_id
        h.wait_until(lambda: self.late.pubacks_to(cid) >= 5, 5, "the acknowledgements")
        pubs = [p.topic for p in self.late.publishes(cid) if p.topic.endswith("/digest")]
        self.assertEqual(pubs, ["news/default/p-pend/digest"] * 3)

    # -- all

    def test_user_agent(self):
        """User-Agent: newsdigestd/VERSION on every request of every daemon."""
        self.assertUserAgent()

    def test_z_sigterm_stops_every_daemon(self):
        """(Runs last.) SIGTERM: every daemon, the bomb's included, is still
        running and exits 0 within 5 s."""
        alive = {n: d.proc.poll() for n, d in self.daemons.items()}
        self.assertEqual(alive, {n: None for n in self.daemons})
        for d in self.daemons.values():
            d.proc.send_signal(signal.SIGTERM)
        for n, d in self.daemons.items():
            try:
                d.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.assertEqual({n: d.proc.poll() for n, d in self.daemons.items()},
                         {n: 0 for n in self.daemons},
                         {n: d.log.text()[-2000:] for n, d in self.daemons.items()})


# ---------------------------------------------------------------- runner

ORDER = [ConditionalGet, EncodingsAndRedirects, DaemonMode]


def main(argv):
    suite = h.load_suite(argv, sys.modules[__name__], ORDER)
    if suite is None:
        return 2
    global VERSION
    VERSION = BUILD.version()
    return h.run_suite(suite)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
