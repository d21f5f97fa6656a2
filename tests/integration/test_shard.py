#!/usr/bin/env python3
"""
Integration test of sharding (`[daemon] shard = I/N`, DESIGN §8): three
real newsdigestd processes with the same feed list and shards 0/3, 1/3 and
2/3, one real mosquitto broker, one real HTTP server. Nothing is mocked.

    python3 tests/integration/test_shard.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped".

What is pinned: a feed belongs to shard fnv1a64(name) % N, computed here
in Python the way the README documents it; every feed's digests are
published by exactly one daemon, the one of its shard; each daemon's
client id gets the suffix -I (so they do not take each other's session)
and its own retained status topic news/status/I.
"""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

SHARDS = 3
CLIENT = "shardtest"
# Feed name -> fixture; the names spread over all three shards.
FEEDS = {"science": "news1.rss", "tech": "news2.rss", "world": "news.atom",
         "sports": "news1.rss", "arts": "news2.rss", "health": "news.atom"}


def shard_of(name, n):
    """The README's rule: FNV-1a 64 of the name's bytes, modulo N."""
    hval = 0xcbf29ce484222325
    for b in name.encode("utf-8"):
        hval ^= b
        hval = (hval * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return hval % n


class ThreeShards(h.BrokerCase):
    """Three daemons, shards 0/3, 1/3, 2/3, the same feeds, one broker."""

    TAG = "shard"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = h.feed_server(cls)
        for name, fixture in FEEDS.items():
            cls.http.put_fixture(name + ".xml", fixture)
        feeds = {name: {"url": cls.http.url(name + ".xml"), "backlog": "all"}
                 for name in FEEDS}
        sub = h.Subscriber(cls.broker, ["news/#"], name=cls.TAG).start()
        cls.addClassCleanup(sub.stop)
        since = cls.broker.mark()
        procs, cls.logs = [], []
        for i in range(SHARDS):
            conf = h.daemon_config(cls.path("shard%d.conf" % i), cls.path("state%d" % i),
                                   cls.broker.port, feeds, client_id=CLIENT,
                                   daemon={"shard": "%d/%d" % (i, SHARDS)})
            cls.logs.append(h.LogFile(cls.path("shard%d.log" % i)))
            procs.append(BUILD.spawn_daemon(conf, cls.logs[i].path, once=True))
        deadline = time.monotonic() + 45
        cls.rcs = []
        for p in procs:
            try:
                cls.rcs.append(p.wait(timeout=max(1, deadline - time.monotonic())))
            finally:
                h.stop_process(p)
        # Each daemon's last word is its offline status; after all three, the rest is in.
        sub.wait_for(lambda ms: len({m.topic for m in ms if m.topic.startswith("news/status/")
                                     and not m.retain and b"offline" in m.payload}) == SHARDS,
                     10, "the three daemons' offline status")
        cls.messages = sub.live()
        cls.publishes = {i: cls.broker.publishes("%s-%d" % (CLIENT, i), since)
                         for i in range(SHARDS)}

    def test_feeds_spread_over_every_shard(self):
        """The chosen names put at least one feed in each shard (the test
        would prove nothing otherwise), and each daemon logs how many of
        the configured feeds it handles."""
        for i in range(SHARDS):
            mine = [n for n in FEEDS if shard_of(n, SHARDS) == i]
            self.assertTrue(mine, "no feed in shard %d" % i)
            self.logs[i].wait_for(r"shard %d/%d: %d of the %d configured feeds, client id "
                                  r"%s-%d$" % (i, SHARDS, len(mine), len(FEEDS), CLIENT, i),
                                  5)

    def test_each_daemon_exits_cleanly(self):
        """Every daemon of the three fetched its feeds, got every digest
        acknowledged and exited 0."""
        self.assertEqual(self.rcs, [0] * SHARDS,
                         "\n".join(l.text() for l in self.logs))

    def test_every_feed_published_by_exactly_its_shard(self):
        """The broker received each feed's digests and bundle from exactly
        one client: the daemon of the feed's shard, with client id
        shardtest-I."""
        for name in FEEDS:
            senders = {i for i in range(SHARDS) for p in self.publishes[i]
                       if p.topic.startswith("news/default/%s/" % name)}
            self.assertEqual(senders, {shard_of(name, SHARDS)}, name)

    def test_every_digest_delivered_once(self):
        """A subscriber got each feed's digests exactly once: the ids of
        every item of every feed, no more, no fewer."""
        got = [json.loads(m.text())["id"] for m in self.messages if m.topic.endswith("/digest")]
        want = [h.item_id(name, it.guid) for name, fixture in FEEDS.items()
                for it in h.fixture_items(fixture)]
        self.assertEqual(sorted(got), sorted(want))

    def test_status_per_shard(self):
        """Each daemon keeps its own retained status, news/status/I, with
        its shard; none writes news/status, so that one daemon's will does
        not say that all are offline."""
        retained = h.retained_snapshot(self.broker, ["news/status/#", "news/status"],
                                       settle_topic="news/status/0")
        self.assertEqual(sorted(retained), ["news/status/%d" % i for i in range(SHARDS)])
        onlines = [json.loads(m.payload) for m in self.messages
                   if m.topic.startswith("news/status/") and b"online" in m.payload]
        self.assertEqual(sorted(s["shard"] for s in onlines),
                         ["%d/%d" % (i, SHARDS) for i in range(SHARDS)])
        for s in onlines:
            i = int(s["shard"].split("/")[0])
            self.assertEqual(s["feeds"], sum(1 for n in FEEDS if shard_of(n, SHARDS) == i))


if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], (ThreeShards,)))
