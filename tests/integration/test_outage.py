#!/usr/bin/env python3
"""
Tests that break things: a real broker stopped and killed, the real daemon
killed with SIGKILL, its state files torn and corrupted, its memory watched
while the broker is away, and valgrind over many poll cycles. Nothing is
mocked: mosquitto, mosquitto_sub, an HTTP feed server and build/newsdigestd.

    python3 tests/integration/test_outage.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped". Set ND_E2E_KEEP=1
to keep the temp dirs, ND_CRASH_SEED=N to replay the kill moments of a run
(each run prints its seed), ND_QUEUE_ITEMS=N to queue N items in the memory
test (3,000 in make check; make bench runs it with 10,000).

The feed of these tests is a live one: its items come over time, and like
a real feed it lists only the newest of them. The daemon must deliver each
item it saw, whatever happens to the broker or to itself.

Oracles are independent of the daemon: item ids are computed here (FNV-1a
of feed and guid), and the outbox journal and the seen-store are read with
a decoder written here from the formats documented in
include/newsdigest/journal.h and daemon/store.c.
"""
import email.utils
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import unittest
import zlib
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

FEED = "wire"
DIGESTS = "news/+/%s/digest" % FEED
WINDOW = 32             # MAIN_WINDOW in daemon/main.c: messages handed to libmosquitto at once
MIB = 1024 * 1024

# "published 312 bytes to news/default/wire/digest (message 17, article 0123456789abcdef)"
PUBLISHED_RE = re.compile(
    r"published (\d+) bytes to (\S+) \(message (\d+), article ([0-9a-f]{16})\)")


# ---------------------------------------------------------------- the feed

def guid(i):
    return "wire-%05d" % i


def item_id(i):
    return h.item_id(FEED, guid(i))


def rss(first, last):
    """An RSS 2.0 feed of items first..last-1, newest first, as a news
    site writes them: each with its own date, a few sentences, a category."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           "<title>Wire</title><link>https://wire.example/</link>"
           "<description>Items as they come</description>"]
    for i in range(last - 1, first - 1, -1):
        date = email.utils.formatdate(1_790_000_000 + 60 * i, usegmt=True)
        out.append(
            "<item><title>Report %d from the harbour wire</title>"
            "<link>https://wire.example/%d</link><guid isPermaLink=\"false\">%s</guid>"
            "<pubDate>%s</pubDate><category>%s</category>"
            "<description>&lt;p&gt;The harbour office published report %d on Monday. "
            "Ferries ran %d minutes late on average, the office said. "
            "Crews expect calmer weather by the end of the week.&lt;/p&gt;</description>"
            "</item>" % (i, i, guid(i), date, ("ferries", "weather", "port")[i % 3], i, i % 40))
    out.append("</channel></rss>\n")
    return "".join(out).encode("utf-8")


class GrowingFeed:
    """A feed on a RouteServer whose items come over time, listing only the
    newest `listed` of them. Items come at `rate` per second from grow(),
    or `per_fetch` more at each request, up to `total`."""

    def __init__(self, server, listed, total, path="/wire.rss"):
        self.listed = listed
        self.total = total
        self.fetches = 0
        self._lock = threading.Lock()
        self._base = 0
        self._rate = 0.0
        self._per_fetch = 0
        self._t0 = time.monotonic()
        self.url = server.route(path, self._serve)

    def grow(self, rate=0.0, per_fetch=0, base=None):
        """Items from now on: base (default: as many as now), then rate per
        second or per_fetch more at each request."""
        with self._lock:
            self._base = self._count() if base is None else base
            self._t0 = time.monotonic()
            self._rate = rate
            self._per_fetch = per_fetch

    def freeze(self):
        """No more items."""
        self.grow()

    def _count(self):
        n = self._base + int(self._rate * (time.monotonic() - self._t0))
        return min(self.total, n)

    def count(self):
        """How many items there are now."""
        with self._lock:
            return self._count()

    def _serve(self, handler, req):
        with self._lock:
            self.fetches += 1
            if self._per_fetch:
                self._base = min(self.total, self._base + self._per_fetch)
            n = self._count()
        handler.reply(200, rss(max(0, n - self.listed), n))


# ---------------------------------------------------------------- state on disk

JOURNAL_MAGIC = b"NDj1"
PUT, DONE = 1, 2


def journal_decode(data, off):
    """The record at data[off:] as a dict, or None when no sound record
    starts there (journal.h: magic, type, length, CRC-32 of type, length
    and body; a PUT's body: seq, article, created, expiry, retain,
    encoding, feed, topic, payload; a DONE's: seq, reason)."""
    if data[off:off + 4] != JOURNAL_MAGIC or len(data) - off < 13:
        return None
    rtype = data[off + 4]
    blen, crc = struct.unpack_from("<II", data, off + 5)
    body = data[off + 13:off + 13 + blen]
    if blen < 8 or blen > 1 << 20 or len(body) != blen:
        return None
    if zlib.crc32(data[off + 4:off + 9] + body) != crc:
        return None
    rec = {"type": rtype, "seq": struct.unpack_from("<Q", body)[0], "off": off,
           "size": 13 + blen}
    p = 8
    if rtype == PUT:
        if blen - p < 22:
            return None
        rec["article"], rec["created"], rec["expiry"] = struct.unpack_from("<QqI", body, p)
        rec["retain"], enc = body[p + 20], body[p + 21]
        if enc > 2:
            return None
        p += 22
        for name, n in (("feed", 2), ("topic", 2), ("payload", 4)):
            if blen - p < n:
                return None
            flen = int.from_bytes(body[p:p + n], "little")
            p += n
            if blen - p < flen:
                return None
            rec[name] = body[p:p + flen]
            p += flen
        if not rec["topic"]:
            return None
    elif rtype == DONE:
        if blen - p < 1 or body[p] > 3:
            return None
        rec["reason"] = body[p]
        p += 1
    else:
        return None
    return rec if p == blen else None


def journal_scan(data):
    """(records, damaged bytes, damaged stretches) of a whole journal,
    resynchronising on the next magic after damage."""
    recs, skipped, stretches, off, skipping = [], 0, 0, 0, False
    while off < len(data):
        rec = journal_decode(data, off)
        if rec is not None:
            recs.append(rec)
            off += rec["size"]
            skipping = False
            continue
        nxt = data.find(JOURNAL_MAGIC, off + 1)
        nxt = len(data) if nxt < 0 else nxt
        skipped += nxt - off
        stretches += 0 if skipping else 1
        skipping = True
        off = nxt
    return recs, skipped, stretches


def journal_live(data):
    """The PUT records of a journal not ended by a DONE, in order."""
    live = {}
    for rec in journal_scan(data)[0]:
        if rec["type"] == PUT:
            live[rec["seq"]] = rec
        else:
            live.pop(rec["seq"], None)
    return [live[s] for s in sorted(live)]


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError):
        return b""


def live_articles(state_dir):
    """The ids (hex) of the articles the outbox in state_dir holds."""
    return {"%016x" % r["article"]
            for r in journal_live(read_bytes(os.path.join(state_dir, "outbox.journal")))
            if r["article"]}


def state_records(state_dir):
    """The records of the seen-store of FEED in state_dir whose CRC-32 holds
    (format 2: each line after the first ends in " %08x" of what precedes)."""
    text = read_bytes(os.path.join(state_dir, FEED + ".state")).decode("utf-8", "replace")
    out = []
    for line in text.split("\n")[1:]:
        body, _, crc = line.rpartition(" ")
        if body and "%08x" % zlib.crc32(body.encode("utf-8", "surrogateescape")) == crc:
            out.append(body)
    return out


def seen_ids(state_dir):
    """The ids the seen-store of FEED in state_dir holds."""
    return {r.split(" ")[1] for r in state_records(state_dir) if r.startswith("seen ")}


def payload_id(payload):
    """The id of a digest payload (zlib or plain JSON)."""
    try:
        payload = zlib.decompress(payload)
    except zlib.error:
        pass
    return json.loads(payload.decode("utf-8"))["id"]


# ---------------------------------------------------------------- helpers

def daemon_conf(path, state, port, url, client_id, **daemon):
    keys = {"stats_interval": "1h"}
    keys.update(daemon)
    return h.daemon_config(path, state, port, {FEED: {"url": url, "interval": "1s",
                                                      "backlog": "all"}},
                           client_id=client_id, daemon=keys)


def digest_ids(sub):
    """The ids of the digests a subscriber received, in order, repeats kept."""
    return [payload_id(m.payload) for m in sub.messages if m.topic.endswith("/digest")]


def published(log):
    """(mid, article) of each digest the daemon handed to libmosquitto."""
    return [(int(m.group(3)), m.group(4)) for m in log.matching(PUBLISHED_RE.pattern)
            if m.group(2).endswith("/digest")]


def wait_ids(sub, want, timeout, what):
    """Wait until the subscriber has every id of want."""
    want = set(want)
    try:
        h.wait_until(lambda: want <= set(digest_ids(sub)), timeout, what)
    except AssertionError:
        missing = want - set(digest_ids(sub))
        raise AssertionError("%s: %d of %d ids missing, e.g. %s" % (
            what, len(missing), len(want), sorted(missing)[:5]))


def wait_count(sub, n, timeout, what):
    h.wait_until(lambda: len(set(digest_ids(sub))) >= n, timeout, what)


def stop_daemon(proc, timeout=15.0):
    """SIGTERM and wait (bounded); returns the exit status."""
    return h.stop_process(proc, timeout=timeout)


class Case(unittest.TestCase):
    """A test class with its own temp dir and HTTP server."""

    TAG = "outage"

    @classmethod
    def setUpClass(cls):
        cls.workdir = h.make_workdir(cls.TAG)
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        cls.routes = h.RouteServer()
        cls.addClassCleanup(cls.routes.stop)
        cls.scenario()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.workdir, name)

    @classmethod
    def persistent_session(cls):
        """Start cls.broker, one that keeps sessions and queued messages
        across restarts, with no cap on what it queues or has in flight for
        a subscriber (its defaults, 1,000 queued and 20 in flight, would
        drop or hold back messages for reasons that are the broker's, not
        the daemon's); and cls.sub, a subscriber to the digests with a
        persistent session on it."""
        cls.broker = h.Broker(cls.workdir, persist=True,
                              extra_conf=["max_queued_messages 0", "max_inflight_messages 0"])
        cls.broker.start()
        cls.addClassCleanup(cls.broker.stop)
        cls.sub = h.Subscriber(cls.broker, [DIGESTS], name=cls.TAG, session=True).start()
        cls.addClassCleanup(cls.sub.stop)


# ---------------------------------------------------------------- 1. broker outage

class BrokerOutage(Case):
    """A feed of 1,000 items arriving at 50 a second, listed 250 at a time.
    The broker is down before the first publish and comes up 3 s later; at
    about 400 items delivered it is stopped with SIGTERM for 2 s; at about
    700 it is frozen (SIGSTOP) until the daemon has handed it messages it
    will never read, then killed with SIGKILL and restarted 2 s later. The
    subscriber has a persistent session on a broker that saves its state
    after every change, so what the broker acknowledged reaches it.

    "Never republishes": the daemon's debug log names the article of every
    message it hands to libmosquitto (and the message id libmosquitto gave
    it); the daemon runs throughout, so each of the 1,000 articles must be
    handed over exactly once. Resends are libmosquitto's own, of what was
    in flight when the connection broke: the broker log shows them with the
    DUP flag (d1) and their original message id; at most the daemon's
    window (32) per outage.
    """

    TAG = "outage"
    TOTAL = 1000
    CLIENT = "nd-outage"

    @classmethod
    def scenario(cls):
        cls.persistent_session()
        # The session is saved; from here the daemon finds no broker.
        cls.broker.signal(signal.SIGTERM)
        cls.feed = GrowingFeed(cls.routes, listed=250, total=cls.TOTAL)
        cls.state = cls.path("state")
        conf = daemon_conf(cls.path("d.conf"), cls.state, cls.broker.port, cls.feed.url,
                           cls.CLIENT, max_items=1000)
        cls.log = h.LogFile(cls.path("daemon.log"))
        cls.feed.grow(rate=50)
        cls.daemon = BUILD.spawn_daemon(conf, cls.log.path, args=["-v"])
        cls.addClassCleanup(h.stop_process, cls.daemon)
        cls.log.wait_for(r"feed wire: \d+ new articles", 10, "the first articles queued")
        cls.queued_before_broker = len(cls.log.matching(r"feed wire: \d+ new article"))
        cls.published_before_broker = len(published(cls.log))
        time.sleep(3)
        cls.broker.start()
        wait_count(cls.sub, 400, 40, "400 digests")
        cls.broker.signal(signal.SIGTERM)
        time.sleep(2)
        cls.broker.start()
        wait_count(cls.sub, 700, 40, "700 digests")
        cls.broker.signal(signal.SIGSTOP)

        def in_flight():
            """Handed to libmosquitto, never received: the frozen broker
            reads nothing now. (A daemon behind hands over nothing new:
            its window is full of what is in flight.)"""
            return len({a for _, a in published(cls.log)} - set(digest_ids(cls.sub)))
        time.sleep(0.5)     # what the broker sent before it froze arrives
        try:
            h.wait_until(lambda: in_flight() > 0, 5, "a message in flight to the frozen broker")
        except AssertionError:
            pass    # test_in_flight_at_the_kill says so
        cls.in_flight_at_kill = in_flight()
        cls.broker.signal(signal.SIGKILL)
        time.sleep(2)
        cls.broker.start()
        wait_ids(cls.sub, [item_id(i) for i in range(cls.TOTAL)], 60, "all 1,000 digests")
        # Anything still to come (a late repeat) comes now.
        h.wait_until(lambda: not live_articles(cls.state), 10, "the outbox to drain")
        time.sleep(1)
        cls.ids = digest_ids(cls.sub)
        cls.rc = stop_daemon(cls.daemon)
        cls.publishes = [p for p in cls.broker.publishes(cls.CLIENT)
                         if p.topic.endswith("/digest")]

    def test_broker_was_down_before_the_first_publish(self):
        """The daemon queued articles before it could publish any."""
        self.assertGreater(self.queued_before_broker, 0)
        self.assertEqual(self.published_before_broker, 0)
        self.assertTrue(self.log.matching(r"mqtt: 127\.0\.0\.1:\d+: .*retrying in"))

    def test_every_id_arrives(self):
        """The subscriber gets every one of the 1,000 ids, and nothing else."""
        self.assertEqual(set(self.ids), {item_id(i) for i in range(self.TOTAL)})

    def test_each_article_handed_over_exactly_once(self):
        """Each article's digest went to libmosquitto once, with its own
        message id: never again after a lost connection (MOSQ_ERR_NO_CONN
        means libmosquitto kept it)."""
        pubs = published(self.log)
        counts = Counter(a for _, a in pubs)
        self.assertEqual(set(counts), {item_id(i) for i in range(self.TOTAL)})
        self.assertEqual([a for a, n in counts.items() if n > 1], [])
        self.assertEqual(len({mid for mid, _ in pubs}), len(pubs))

    def test_in_flight_at_the_kill(self):
        """The SIGKILL came with messages in flight: handed to the frozen
        broker, never read by it."""
        self.assertGreater(self.in_flight_at_kill, 0)

    def test_resends_are_libmosquittos_own_and_bounded(self):
        """The broker received each message id the daemon used; a message
        id it received again came with DUP set (libmosquitto resending what
        was in flight), after a restart, at most 32 per outage."""
        pubs = published(self.log)
        mids = {mid for mid, _ in pubs}
        by_mid = defaultdict(list)
        for p in self.publishes:
            by_mid[p.mid].append(p)
        self.assertEqual(set(by_mid), mids)
        for mid, ps in by_mid.items():
            self.assertLessEqual(sum(1 for p in ps if not p.dup), 1, (mid, ps))
        resent = sum(len(ps) - 1 for ps in by_mid.values())
        dups = sum(1 for p in self.publishes if p.dup)
        self.assertLessEqual(dups, WINDOW * 2, "resends: %d" % dups)
        self.assertGreaterEqual(dups, resent)
        print("\n  outage: %d resends with DUP by libmosquitto, %d in flight at the SIGKILL"
              % (dups, self.in_flight_at_kill), end=" ")

    def test_repeats_only_of_messages_in_flight(self):
        """Ids the subscriber got twice: at most the window per outage
        (the broker's resend to the subscriber and libmosquitto's to the
        broker each bounded by what was in flight)."""
        repeats = len(self.ids) - len(set(self.ids))
        print("\n  outage: %d digests received, %d repeats" % (len(self.ids), repeats),
              end=" ")
        self.assertLessEqual(repeats, 2 * WINDOW * 2)

    def test_daemon_stops_cleanly(self):
        self.assertEqual(self.rc, 0, self.log.text()[-2000:])


class BrokerGoneUnnoticed(Case):
    """The broker dies while the daemon has a fetch to finish first: the
    daemon is held (SIGSTOP) while the feed's answer (5 new items) reaches
    it and the broker is killed; on SIGCONT it reads the feed before it
    notices the loss, and hands the new digests to libmosquitto on a
    connection that is gone. The first write goes out into the void, the
    next fail with EPIPE: libmosquitto keeps each of those messages all
    the same (QoS 1) and resends it after reconnecting. The daemon must not
    hand any of them over a second time: the broker receives exactly one
    message id per article, and the subscriber each id once."""

    TAG = "unnoticed"
    CLIENT = "nd-unnoticed"

    @classmethod
    def scenario(cls):
        cls.persistent_session()
        cls.count = 5
        cls.arrived = threading.Event()
        cls.release = threading.Event()
        cls.release.set()

        def serve(handler, req):
            n = cls.count
            cls.arrived.set()
            cls.release.wait(10)
            handler.reply(200, rss(0, n))
        url = cls.routes.route("/held.rss", serve)
        conf = daemon_conf(cls.path("d.conf"), cls.path("state"), cls.broker.port, url,
                           cls.CLIENT)
        cls.log = h.LogFile(cls.path("daemon.log"))
        proc = BUILD.spawn_daemon(conf, cls.log.path, args=["-v"])
        cls.addClassCleanup(h.stop_process, proc)
        wait_ids(cls.sub, [item_id(i) for i in range(5)], 10, "the first 5 digests")
        # The next fetch brings 5 new items; hold its answer.
        cls.release.clear()
        cls.arrived.clear()
        cls.count = 10
        if not cls.arrived.wait(10):
            raise AssertionError("no fetch came")
        proc.send_signal(signal.SIGSTOP)
        cls.release.set()
        time.sleep(0.3)
        cls.broker.signal(signal.SIGKILL)
        time.sleep(0.3)
        cls.resumed = len(cls.log.lines())
        proc.send_signal(signal.SIGCONT)
        cls.log.wait_for(r"mqtt: .*(connection lost|Connection reset|Broken pipe)", 10,
                         "the daemon to notice the loss")
        cls.broker.start()
        wait_ids(cls.sub, [item_id(i) for i in range(10)], 30, "all 10 digests")
        h.wait_until(lambda: not live_articles(cls.path("state")), 10, "the outbox to drain")
        time.sleep(1)
        cls.ids = digest_ids(cls.sub)
        cls.publishes = [p for p in cls.broker.publishes(cls.CLIENT)
                         if p.topic.endswith("/digest")]
        cls.rc = stop_daemon(proc)

    def test_handed_over_while_the_broker_was_gone(self):
        """The scenario did what it says: digests went to libmosquitto
        after SIGCONT, before the daemon saw the connection was lost."""
        after = self.log.lines()[self.resumed:]
        lost = next(i for i, line in enumerate(after)
                    if re.search(r"mqtt: .*(connection lost|Connection reset|Broken pipe)",
                                 line))
        self.assertTrue(any(PUBLISHED_RE.search(line) for line in after[:lost]),
                        "\n".join(after[:lost + 1]))

    def test_one_message_id_per_article(self):
        mids = {p.mid for p in self.publishes}
        self.assertEqual(len(mids), 10, self.publishes)

    def test_each_id_once(self):
        self.assertEqual(sorted(self.ids), sorted(item_id(i) for i in range(10)))


# ---------------------------------------------------------------- 2. daemon crash

class DaemonCrash(Case):
    """kill -9 of the daemon at 50 random moments (seeded RNG) while the
    feed grows by 8 items a second, restarting it each time on the same
    state dir; the broker is up throughout. Half the kills come 0.2-1.5 s
    after the start, half 0-50 ms after a fetch was answered, when the
    daemon queues, syncs, saves and publishes.

    "Acknowledged before a kill" is read from the daemon's durable state
    right after each kill, with this file's own decoders: an article in the
    seen-store whose digest the outbox journal no longer holds was
    acknowledged (its DONE record written) — exactly what the next run
    starts from. The next run's debug log names every article it hands to
    libmosquitto: none of those may be among them. And from outside: an id
    the subscriber got more than once must have been in the outbox (in
    flight) at a kill for each repeat.
    """

    TAG = "crash"
    KILLS = 50
    CLIENT = "nd-crash"

    @classmethod
    def scenario(cls):
        cls.seed = int(os.environ.get("ND_CRASH_SEED") or time.time())
        print("\n  crash: seed %d (ND_CRASH_SEED=%d replays the kill moments)"
              % (cls.seed, cls.seed), end=" ", flush=True)
        rng = random.Random(cls.seed)
        cls.broker = h.Broker(cls.workdir).start()
        cls.addClassCleanup(cls.broker.stop)
        cls.sub = h.Subscriber(cls.broker, [DIGESTS], name="crash", wait=600).start()
        cls.addClassCleanup(cls.sub.stop)
        cls.feed = GrowingFeed(cls.routes, listed=100, total=100000)
        cls.state = cls.path("state")
        conf = daemon_conf(cls.path("d.conf"), cls.state, cls.broker.port, cls.feed.url,
                           cls.CLIENT)
        cls.feed.grow(rate=8)
        cls.kills = []      # per kill: acked, live (article sets) after it
        cls.logs = []
        for k in range(cls.KILLS + 1):
            log = h.LogFile(cls.path("daemon-%02d.log" % k))
            cls.logs.append(log)
            proc = BUILD.spawn_daemon(conf, log.path, args=["-v"])
            if k == cls.KILLS:
                break
            if k % 2 == 0:
                time.sleep(rng.uniform(0.2, 1.5))
            else:
                # Right after a fetch is answered: while the daemon queues,
                # syncs, saves and publishes what it brought.
                fetches = cls.feed.fetches
                h.wait_until(lambda: cls.feed.fetches > fetches, 5, "a fetch")
                time.sleep(rng.uniform(0, 0.05))
            at = time.monotonic()
            proc.kill()
            proc.wait(timeout=10)
            live = live_articles(cls.state)
            cls.kills.append({"acked": seen_ids(cls.state) - live, "live": live,
                              "rc": proc.returncode, "at": at})
        cls.total = cls.feed.count()
        cls.feed.freeze()
        cls.addClassCleanup(h.stop_process, proc)
        wait_ids(cls.sub, [item_id(i) for i in range(cls.total)], 60,
                 "every item after the last restart")
        h.wait_until(lambda: not live_articles(cls.state), 10, "the outbox to drain")
        time.sleep(0.5)
        cls.ids = digest_ids(cls.sub)
        cls.received = [(m.received, payload_id(m.payload)) for m in cls.sub.messages]
        cls.rc = stop_daemon(proc)

    def test_each_kill_was_a_sigkill(self):
        self.assertEqual([k["rc"] for k in self.kills], [-signal.SIGKILL] * self.KILLS)

    def test_every_item_delivered_at_least_once(self):
        self.assertEqual(set(self.ids), {item_id(i) for i in range(self.total)})

    def test_nothing_acknowledged_is_published_again(self):
        """No run hands over an article acknowledged before the kill that
        ended the run before it."""
        tested = 0
        for k, kill in enumerate(self.kills):
            again = {a for _, a in published(self.logs[k + 1])} & kill["acked"]
            self.assertEqual(again, set(), "run %d republished articles acknowledged "
                             "before kill %d" % (k + 1, k))
            tested += len(kill["acked"])
        self.assertGreater(tested, 0)

    def test_what_was_delivered_is_recorded_done(self):
        """From outside: of the articles the subscriber had before a kill,
        the outbox still held (as not acknowledged) at most the window:
        what the broker acknowledged, the daemon recorded, but for the
        messages in flight at the kill."""
        worst = 0
        for k, kill in enumerate(self.kills):
            before = {a for t, a in self.received if t < kill["at"]}
            pending = before & kill["live"]
            worst = max(worst, len(pending))
            self.assertLessEqual(len(pending), WINDOW, "kill %d" % k)
        print("\n  crash: at most %d delivered articles not yet recorded done at a kill"
              % worst, end=" ")

    def test_no_run_hands_an_article_over_twice(self):
        for k, log in enumerate(self.logs):
            counts = Counter(a for _, a in published(log))
            self.assertEqual([a for a, n in counts.items() if n > 1], [], "run %d" % k)

    def test_repeats_only_of_what_was_in_flight(self):
        """Each repeat at the subscriber is of an article the outbox still
        held at a kill; at most the window per kill."""
        counts = Counter(self.ids)
        held = Counter(a for kill in self.kills for a in kill["live"])
        for a, n in counts.items():
            self.assertLessEqual(n - 1, held[a], "%s received %d times" % (a, n))
        repeats = len(self.ids) - len(counts)
        print("\n  crash: %d kills, %d items, %d digests received, %d repeats; %d "
              "articles acknowledged by the last kill" % (
                  len(self.kills), self.total, len(self.ids), repeats,
                  len(self.kills[-1]["acked"])), end=" ")
        self.assertLessEqual(repeats, WINDOW * len(self.kills))

    def test_last_run_stops_cleanly(self):
        self.assertEqual(self.rc, 0, self.logs[-1].text()[-2000:])


# ---------------------------------------------------------------- 3. torn state

class TornState(Case):
    """The state a daemon left (20 digests queued while the broker was
    away, 20 ids seen), then damaged as a crash, a bad disk or a hand might
    damage it. Each time the daemon starts on it (--once, broker up, the
    feed now with a 21st item), says what it skipped, and delivers every
    digest the journal still holds sound, and the new item."""

    TAG = "torn"
    ITEMS = 20

    @classmethod
    def scenario(cls):
        cls.broker = h.Broker(cls.workdir).start()
        cls.addClassCleanup(cls.broker.stop)
        cls.feed = GrowingFeed(cls.routes, listed=100, total=cls.ITEMS + 1)
        cls.feed.grow(base=cls.ITEMS)
        cls.base = cls.path("base")
        conf = daemon_conf(cls.path("base.conf"), cls.base, h.free_port(), cls.feed.url,
                           "nd-torn")
        log = h.LogFile(cls.path("base.log"))
        proc = BUILD.spawn_daemon(conf, log.path)
        cls.addClassCleanup(h.stop_process, proc)
        log.wait_for(r"feed wire: 20 new articles", 10)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)    # again: stop now, the broker will not come
        proc.wait(timeout=10)
        cls.feed.grow(base=cls.ITEMS + 1)
        cls.runs = 0

    def setUp(self):
        type(self).runs += 1
        self.state = self.path("state-%d" % self.runs)
        shutil.copytree(self.base, self.state)

    def file(self, name):
        return os.path.join(self.state, name)

    def run_daemon(self):
        """--once on self.state with a subscriber; returns (result, ids)."""
        conf = daemon_conf(self.path("run-%d.conf" % self.runs), self.state, self.broker.port,
                           self.feed.url, "nd-torn-%d" % self.runs)
        sub = h.Subscriber(self.broker, [DIGESTS], name="torn").start()
        try:
            res = BUILD.run_once(conf)
            if res.rc == 0:
                wait_ids(sub, [item_id(self.ITEMS)], 5, "the new item")
                time.sleep(0.2)
            return res, digest_ids(sub)
        finally:
            sub.stop()

    def sound(self):
        """The ids of the digests the journal holds sound, by this file's decoder."""
        return {payload_id(r["payload"]) for r in journal_live(read_bytes(
            self.file("outbox.journal"))) if r["topic"].endswith(b"/digest")}

    def check_delivers(self, expect_log=None, expect_sound=None):
        sound = self.sound()
        if expect_sound is not None:
            self.assertEqual(len(sound), expect_sound)
        res, ids = self.run_daemon()
        self.assertEqual(res.rc, 0, res.describe())
        self.assertLessEqual(sound | {item_id(self.ITEMS)}, set(ids), res.describe())
        if expect_log is not None:
            self.assertRegex(res.stderr, expect_log)
            said = [line for line in res.stderr.splitlines() if re.search(expect_log, line)]
            print("\n  torn: %s" % said[0].split("/")[-1], end=" ")
        self.assertNotRegex(res.stderr, r"(?i)sanitizer|segmentation|core dumped")
        return res, ids

    def test_base_state_is_what_it_should_be(self):
        """The undamaged state: 20 digests and a bundle in the journal,
        20 ids seen; delivered as they are."""
        recs = journal_live(read_bytes(self.file("outbox.journal")))
        self.assertEqual(len(recs), self.ITEMS + 1)
        self.assertEqual(seen_ids(self.state), {item_id(i) for i in range(self.ITEMS)})
        res, ids = self.check_delivers(expect_sound=self.ITEMS)
        self.assertNotIn("damaged", res.stderr)
        self.assertEqual(sorted(ids), sorted(item_id(i) for i in range(self.ITEMS + 1)))

    def test_journal_cut_mid_record(self):
        """A torn tail (cut in the middle of the last digest): the torn
        record is skipped, the 19 before it go out."""
        data = read_bytes(self.file("outbox.journal"))
        last = journal_scan(data)[0][-2]
        with open(self.file("outbox.journal"), "wb") as f:
            f.write(data[:last["off"] + last["size"] // 2])
        self.check_delivers(r"outbox\.journal: \d+ damaged bytes? skipped in 1 place",
                            self.ITEMS - 1)

    def test_journal_bytes_overwritten_in_the_middle(self):
        """Eight bytes in the middle of the 10th record overwritten: that
        record fails its checksum and is skipped; the others go out."""
        data = bytearray(read_bytes(self.file("outbox.journal")))
        rec = journal_scan(bytes(data))[0][9]
        mid = rec["off"] + rec["size"] // 2
        data[mid:mid + 8] = b"\xa5" * 8
        with open(self.file("outbox.journal"), "wb") as f:
            f.write(data)
        self.check_delivers(r"outbox\.journal: \d+ damaged bytes skipped in 1 place",
                            self.ITEMS - 1)

    def test_journal_of_random_garbage(self):
        with open(self.file("outbox.journal"), "wb") as f:
            f.write(random.Random(5).randbytes(4096))
        self.check_delivers(r"outbox\.journal: 4096 damaged bytes skipped", 0)

    def test_journal_empty(self):
        open(self.file("outbox.journal"), "wb").close()
        res, _ = self.check_delivers(expect_sound=0)
        self.assertNotIn("damaged", res.stderr)

    def test_journal_is_a_directory(self):
        """Not a crash: a clear error naming the file, exit status 1."""
        os.remove(self.file("outbox.journal"))
        os.mkdir(self.file("outbox.journal"))
        res, _ = self.run_daemon()
        self.assertEqual(res.rc, 1, res.describe())
        self.assertIn("outbox.journal: cannot open the outbox to read and write: "
                      "Is a directory", res.stderr)

    def test_state_cut_mid_line(self):
        """A seen-store cut in its last line: that record is skipped, said
        so; the outbox is delivered (the article whose id was lost may come
        twice, never not at all)."""
        data = read_bytes(self.file(FEED + ".state"))
        with open(self.file(FEED + ".state"), "wb") as f:
            f.write(data[:len(data) - 7])
        self.check_delivers(r"wire\.state: 1 damaged record skipped", self.ITEMS)

    def test_state_bytes_overwritten_in_the_middle(self):
        """Eight bytes in the middle of the seen-store overwritten (inside
        a digest of the latest bundle): that record is skipped, said so,
        and what the daemon writes back is sound: every latest digest one
        JSON object, nothing of the damage passed on to devices."""
        data = bytearray(read_bytes(self.file(FEED + ".state")))
        mid = len(data) // 2
        self.assertTrue(data.rfind(b"\nlatest ", 0, mid) > data.rfind(b"\nseen ", 0, mid))
        data[mid:mid + 8] = b"\x00\xff" * 4
        with open(self.file(FEED + ".state"), "wb") as f:
            f.write(data)
        self.check_delivers(r"wire\.state: 1 damaged record skipped", self.ITEMS)
        text = read_bytes(self.file(FEED + ".state")).decode("utf-8")
        latest = [r.split(" ", 2)[2] for r in state_records(self.state)
                  if r.startswith("latest ")]
        # Every line as written is sound: none lacks its checksum.
        self.assertEqual(len(latest), len([line for line in text.splitlines()
                                           if line.startswith("latest ")]))
        self.assertEqual(len(latest), 10)
        for js in latest:
            self.assertIsInstance(json.loads(js), dict)

    def test_state_of_random_garbage(self):
        with open(self.file(FEED + ".state"), "wb") as f:
            f.write(random.Random(7).randbytes(4096))
        self.check_delivers(r"wire\.state: not a state file, ignored", self.ITEMS)

    def test_state_empty(self):
        open(self.file(FEED + ".state"), "wb").close()
        self.check_delivers(expect_sound=self.ITEMS)

    def test_state_is_a_directory(self):
        """The seen-store cannot be read or written: said so, and the
        daemon goes on with what the outbox holds (no crash)."""
        os.remove(self.file(FEED + ".state"))
        os.mkdir(self.file(FEED + ".state"))
        res, _ = self.check_delivers(r"wire\.state: cannot read, starting afresh: Is a "
                                     r"directory", self.ITEMS)
        self.assertIn("wire.state", res.stderr)


# ---------------------------------------------------------------- 4. memory

def queue_items():
    return int(os.environ.get("ND_QUEUE_ITEMS") or 3000)


class MemoryWhileBrokerAway(Case):
    """The broker is away (its port closed) while N items arrive, 1,000 a
    fetch (N = 3,000 in make check, 10,000 in make bench). The daemon's
    memory is read from /proc/PID/status every 20 ms: the outbox keeps an
    index in memory and the payloads on disk, so the journal grows and
    RssAnon barely does. Then the broker comes back and a subscriber
    (persistent session, subscribed before) gets every digest."""

    TAG = "memory"
    CLIENT = "nd-memory"
    BATCH = 1000

    @classmethod
    def scenario(cls):
        cls.n = queue_items()
        cls.persistent_session()
        cls.broker.signal(signal.SIGTERM)
        cls.feed = GrowingFeed(cls.routes, listed=cls.BATCH, total=cls.n)
        cls.feed.grow(per_fetch=cls.BATCH)
        cls.state = cls.path("state")
        conf = daemon_conf(cls.path("d.conf"), cls.state, cls.broker.port, cls.feed.url,
                           cls.CLIENT, max_items=2 * cls.BATCH, seen_per_feed=2 * cls.n)
        log = h.LogFile(cls.path("daemon.log"))
        proc = BUILD.spawn_daemon(conf, log.path)
        cls.addClassCleanup(h.stop_process, proc)
        samples = []            # (batches queued, RssAnon KiB, VmHWM KiB)
        fetches = r"feed wire: 1000 new articles"
        deadline = time.monotonic() + 30 + cls.n / 200
        while True:
            done = len(log.matching(fetches))
            anon = h.proc_status_kib(proc.pid, "RssAnon")
            hwm = h.proc_status_kib(proc.pid, "VmHWM")
            if anon is None or proc.poll() is not None:
                raise AssertionError("the daemon died:\n" + log.text()[-3000:])
            samples.append((done, anon, hwm))
            if done * cls.BATCH >= cls.n or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        time.sleep(0.2)
        samples.append((len(log.matching(fetches)), h.proc_status_kib(proc.pid, "RssAnon"),
                        h.proc_status_kib(proc.pid, "VmHWM")))
        cls.samples = samples
        cls.journal = os.path.getsize(os.path.join(cls.state, "outbox.journal"))
        cls.queued = len(live_articles(cls.state))
        cls.log_text = log.text()
        cls.broker.start()
        t0 = time.monotonic()
        wait_ids(cls.sub, [item_id(i) for i in range(cls.n)], 60 + cls.n / 100,
                 "every digest once the broker is back")
        cls.drain = time.monotonic() - t0
        cls.ids = digest_ids(cls.sub)
        cls.rc = stop_daemon(proc)

    def anon_at(self, batches):
        return max(a for d, a, _ in self.samples if d == batches)

    def test_all_queued_on_disk(self):
        """N digests held in the outbox while the broker was away."""
        self.assertEqual(self.samples[-1][0] * self.BATCH, self.n, self.log_text[-2000:])
        self.assertEqual(self.queued, self.n)
        self.assertNotIn("dropped", self.log_text)

    def test_memory_bounded_journal_grows(self):
        """From 1,000 queued to N queued, RssAnon grows by less than 300
        bytes per message (the in-memory index: a 72-byte entry with its
        topic and feed name, ~110 bytes with the allocator's share, and
        the id in the seen-set, 8 bytes, twice that while the set grows by
        doubling; measured 82 to 221, the rest being what the allocator
        keeps of the parser's buffers as the feed grows) and by less than
        each message's record in the journal:
        the payloads are on disk, not in memory. The peak
        VmHWM stays under 24 MiB (shared libraries included; the daemon is
        ~11 MiB with 100 feeds, README Measuring)."""
        first = self.anon_at(1)
        last = self.samples[-1][1]
        peak = max(w for _, _, w in self.samples)
        growth = (last - first) * 1024
        per_msg = growth / (self.n - self.BATCH)
        print("\n  memory: %d queued, journal %.1f MiB; RssAnon %d KiB at 1,000, %d KiB at "
              "%d (%.0f bytes per message); VmHWM %d KiB; all delivered %.1f s after the broker "
              "came back" % (
                  self.n, self.journal / MIB, first, last, self.n, per_msg, peak, self.drain),
              end=" ")
        self.assertLess(per_msg, 300)
        self.assertLess(per_msg, self.journal / self.n)
        self.assertLess(peak, 24 * 1024)

    def test_every_digest_delivered_when_the_broker_is_back(self):
        self.assertEqual(set(self.ids), {item_id(i) for i in range(self.n)})
        self.assertEqual(self.rc, 0)


# ---------------------------------------------------------------- 5. valgrind

VALGRIND = shutil.which("valgrind")


@unittest.skipIf(VALGRIND is None, "valgrind not installed (Debian package valgrind)")
class Valgrind(Case):
    """The daemon under valgrind --leak-check=full for 20 poll cycles (1 s
    interval), with new items in some of them, a broker outage in between
    (SIGTERM, back 3 s later), then SIGTERM: no error, no leak (valgrind
    exits 99 on either)."""

    TAG = "valgrind"
    CLIENT = "nd-valgrind"
    CYCLES = 20

    @classmethod
    def scenario(cls):
        cls.persistent_session()
        cls.feed = GrowingFeed(cls.routes, listed=50, total=1000)
        cls.feed.grow(base=5, rate=0.5)
        conf = daemon_conf(cls.path("d.conf"), cls.path("state"), cls.broker.port,
                           cls.feed.url, cls.CLIENT)
        cls.vglog = cls.path("valgrind.log")
        cls.log = h.LogFile(cls.path("daemon.log"))
        argv = ["--leak-check=full", "--show-leak-kinds=definite,indirect,possible",
                "--errors-for-leak-kinds=definite,indirect,possible", "--error-exitcode=99",
                "--log-file=" + cls.vglog, BUILD.daemon, "-c", conf]
        with open(cls.log.path, "wb") as out:
            proc = h.track(subprocess.Popen([VALGRIND] + argv, stdin=subprocess.DEVNULL,
                                              stdout=out, stderr=subprocess.STDOUT))
        cls.addClassCleanup(h.stop_process, proc)
        h.wait_until(lambda: cls.feed.fetches >= 5, 60, "5 cycles under valgrind")
        cls.broker.signal(signal.SIGTERM)
        time.sleep(3)
        cls.broker.start()
        h.wait_until(lambda: cls.feed.fetches >= cls.CYCLES, 60,
                     "%d cycles under valgrind" % cls.CYCLES)
        cls.total = cls.feed.count()
        cls.feed.freeze()
        wait_ids(cls.sub, [item_id(i) for i in range(cls.total)], 30, "every digest")
        cls.rc = stop_daemon(proc, timeout=60)
        with open(cls.vglog, encoding="utf-8", errors="replace") as f:
            cls.report = f.read()

    def test_no_error_no_leak(self):
        self.assertEqual(self.rc, 0, self.report[-4000:])
        self.assertIn("ERROR SUMMARY: 0 errors", self.report)

    def test_the_run_did_the_work(self):
        """Cycles with new items, and the outage, happened."""
        self.assertGreaterEqual(len(self.log.matching(r"feed wire: \d+ new article")), 3)
        self.assertTrue(self.log.matching(r"mqtt: connected to .* again"))


# ---------------------------------------------------------------- runner

ORDER = [TornState, BrokerOutage, BrokerGoneUnnoticed, DaemonCrash, MemoryWhileBrokerAway, Valgrind]


if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], ORDER))
