#!/usr/bin/env python3
"""
End-to-end tests of newsdigestd and newsdigest cat, against a real mosquitto
broker, a real HTTP server serving the fixture feeds, and real MQTT v5
subscribers (mosquitto_sub). Nothing is mocked.

    python3 tests/integration/test_e2e.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped"; the exit status is
non-zero when M > 0. Tests of what later issues bring are skipped with the
issue named. Set ND_E2E_KEEP=1 to keep the temp dirs.

The contract tested is /work/shared/DESIGN.md (sections 2-6); each test's
docstring says which user-visible behaviour it pins.
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest
from collections import Counter
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

# The profiles of DESIGN §5 as the tests configure them. "default" is
# written as an empty [profile default] section: every value a default.
TINY = {"headline_chars": 24, "summary_chars": 60, "tags": 2, "ascii": "yes",
        "window_bits": 9}
RAW = {"compression": "none", "expiry": 0}
BUDGETS = {
    "default": {"headline_chars": 96, "summary_chars": 280, "tags": 5, "ascii": False,
                "compression": "zlib", "window_bits": 10, "expiry": 86400},
    "tiny": {"headline_chars": 24, "summary_chars": 60, "tags": 2, "ascii": True,
             "compression": "zlib", "window_bits": 9, "expiry": 86400},
    "raw": {"headline_chars": 96, "summary_chars": 280, "tags": 5, "ascii": False,
            "compression": "none", "window_bits": None, "expiry": 0},
}

# The sentences of each fixture article, split by a human reader: the
# oracle for "summary = whole lead sentences" (DESIGN §2). A test checks
# that they join to exactly the article's plain text.
SENTENCES = {
    "harbourline-local-20261117-004": [
        "The public library in Ørnvik will open on Sundays from Dec. 6.",
        "Opening hours on Saturdays will also be extended by two hours, until 6 p.m.",
        "The change costs about 38,000 euros a year and is paid for by a local foundation.",
        "“People asked for it, and now they have it,” said librarian Mrs. Tove Brekke.",
    ],
    "harbourline-local-20261116-001": [
        "Café owners on Rue Delacroix and the Harbourline town council have agreed on new "
        "rules for outdoor terraces.",
        "Tables may stay out until 11 p.m. on weekdays and midnight on Fridays and Saturdays.",
        "In return, owners will pay a seasonal fee of 4.5 euros per square metre.",
        "Mr. Henri Vasseur, who chairs the traders’ association, called the deal “fair to "
        "everyone.”",
    ],
    "harbourline-local-20261115-002": [
        "The Tidewater ferry between Harbourline and Skerry Point is running again after "
        "three weeks of repairs.",
        "A storm on Oct. 24 damaged the landing ramp at Skerry Point.",
        "The operator says crossings will run every 40 minutes from 6 a.m. until further "
        "notice.",
    ],
    "harbourline-local-20261114-003": [
        "Volunteers counted 1,240 common cranes resting at Hollin Marsh on Saturday morning.",
        "That is the highest number since records began in 2009.",
        "Dr. Ines Ravn of the regional bird society said mild weather had delayed the birds’ "
        "journey south.",
    ],
    "tag:kestrel.example.com,2026-11-19:/briefs/harbourline-led-street-lights": [
        "Harbourline has finished replacing 3,800 sodium street lights with LED fittings.",
        "The town council says its lighting bill fell by 41 percent in the first twelve "
        "months.",
        "Dr. Mira Solberg, the council’s energy officer, said the lamps also dim to 30 percent "
        "after 1 a.m.",
        "“Nobody has complained yet,” she said.",
    ],
    "urn:uuid:0c9e4b7a-51d2-4f38-b6a1-93e2d7f0a845": [
        "The volunteer team behind the Skylark weather station kit has released version 2.0.",
        "The kit now publishes readings over MQTT instead of a custom protocol.",
        "According to the developers, it runs for about a year on two AA batteries.",
        "The kit costs 59 euros, or approx. $64 in the U.S.",
    ],
}

NEW_GUID = "harbourline-local-20261117-004"   # the item news2.rss adds on top
OFFLINE = {"state": "offline"}
SENTENCE_END = (".", "!", "?", "\"", "'", "”", "’")


# ---------------------------------------------------------------- helpers

def digest_topic(profile, feed):
    return "news/%s/%s/digest" % (profile, feed)


def latest_topic(profile, feed):
    return "news/%s/%s/latest" % (profile, feed)


def split_topic(topic):
    """news/PROFILE/FEED/LEAF -> (PROFILE, FEED, LEAF); None for other topics."""
    parts = topic.split("/")
    return tuple(parts[1:]) if len(parts) == 4 and parts[0] == "news" else None


def decode_payload(msg, profile):
    """Decode a digest or bundle payload as a device of that profile would:
    check the encoding it announces and the zlib window, inflate, parse.
    Returns (object, json_text)."""
    b = BUDGETS[profile]
    if b["compression"] == "zlib":
        assert msg.encoding == "zlib", "%s: content-encoding %r" % (msg.topic, msg.encoding)
        assert h.is_zlib_stream(msg.payload), "%s: no zlib header" % msg.topic
        bits = h.zlib_window_bits(msg.payload)
        assert bits == b["window_bits"], "%s: zlib window 2^%d, profile says 2^%d" % (
            msg.topic, bits, b["window_bits"])
        text = h.inflate_exact(msg.payload, b["window_bits"]).decode("utf-8")
    else:
        assert msg.encoding == "identity", "%s: content-encoding %r" % (msg.topic, msg.encoding)
        text = msg.payload.decode("utf-8")
    return json.loads(text), text


def compact(obj):
    """The compact JSON text of obj (DESIGN §2: no insignificant white space)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def strings_of(d):
    """Every string value of a digest, tags included."""
    out = [v for v in d.values() if isinstance(v, str)]
    return out + [t for t in d.get("tags", []) if isinstance(t, str)]


def fixture_index(feeds):
    """{id: (feed name, FixtureItem)} for feeds = {feed name: fixture file}."""
    index = {}
    for feed, fixture in feeds.items():
        for item in h.fixture_items(fixture):
            index[h.item_id(feed, item.guid)] = (feed, item)
    return index


def assert_cut(tc, got, full, ellipsis, ctx):
    """got is full cut on a word boundary, with the ellipsis appended."""
    tc.assertTrue(got.endswith(ellipsis), "no %r at the end of a cut text: %s" % (ellipsis, ctx))
    stem = got[:-len(ellipsis)]
    tc.assertTrue(stem and not stem[-1].isspace(), "empty or space before the ellipsis: %s" % ctx)
    tc.assertTrue(full.startswith(stem), "%r is not a prefix of %r: %s" % (stem, full, ctx))
    rest = full[len(stem):]
    # The cut falls at white space; punctuation just before it may be dropped.
    tc.assertRegex(rest, r"^[,;:\-]*\s", "cut inside a word (%r|%r): %s" % (stem, rest, ctx))


def sentence_sets(sents):
    """Every run of 1-3 of the sentences, in article order, joined by a space."""
    out = []
    n = len(sents)
    for i in range(n):
        out.append(sents[i])
        for j in range(i + 1, n):
            out.append(sents[i] + " " + sents[j])
            for k in range(j + 1, n):
                out.append(" ".join((sents[i], sents[j], sents[k])))
    return out


def check_summary(tc, got, item, profile, ctx):
    """The summary is 1-3 whole sentences of the article, in article order,
    within the budget (DESIGN §2); only when no sentence fits may it be one
    sentence cut on a word boundary with an ellipsis."""
    b = BUDGETS[profile]
    fold = h.ascii_fold if b["ascii"] else (lambda s: s)
    sents = SENTENCES[item.guid]
    tc.assertTrue(got, "empty summary: %s" % ctx)
    whole = {fold(s): s for s in sentence_sets(sents)}
    if got in whole:
        tc.assertLessEqual(len(whole[got]), b["summary_chars"], ctx)
        tc.assertTrue(got.endswith(SENTENCE_END), "summary ends mid-sentence: %s" % ctx)
    else:
        tc.assertGreater(min(len(s) for s in sents), b["summary_chars"],
                         "summary is neither whole sentences nor a cut sentence "
                         "(which only sentences all over budget allow): %s" % ctx)
        tc.assertTrue(any(got.endswith("..." if b["ascii"] else "…") and
                          fold(s).startswith(got[:-3 if b["ascii"] else -1]) for s in sents),
                      "not a cut sentence: %s" % ctx)


def check_digest(tc, d, feed, item, profile):
    """Check every field of digest d of item (of feed) for profile (DESIGN §2)."""
    b = BUDGETS[profile]
    fold = h.ascii_fold if b["ascii"] else (lambda s: s)
    ellipsis = "..." if b["ascii"] else "…"
    ctx = "%s digest of %s %s: %s" % (profile, feed, item.guid, compact(d))
    keys = {"v", "id", "feed", "title", "summary", "tags", "url", "published"}
    tc.assertEqual(set(d), keys | ({"source"} if item.author else set()), ctx)
    tc.assertIs(type(d["v"]), int, ctx)
    tc.assertEqual(d["v"], 1, ctx)
    tc.assertRegex(d["id"], r"^[0-9a-f]{16}$", ctx)
    tc.assertEqual(d["id"], h.item_id(feed, item.guid), ctx)
    tc.assertEqual(d["feed"], feed, ctx)
    # Title: plain text; cut on a word boundary with an ellipsis when over budget.
    if len(item.title) <= b["headline_chars"]:
        tc.assertEqual(d["title"], fold(item.title), ctx)
    else:
        assert_cut(tc, d["title"], fold(item.title), ellipsis, ctx)
    if not b["ascii"]:
        # (ASCII profiles: see test_ascii_profile_keeps_its_budgets.)
        tc.assertLessEqual(len(d["title"]), b["headline_chars"], ctx)
        tc.assertLessEqual(len(d["summary"]), b["summary_chars"], ctx)
    check_summary(tc, d["summary"], item, profile, ctx)
    # Tags: from the article's words or the feed's categories (those in
    # their order), unique, at most the profile's count.
    tc.assertIsInstance(d["tags"], list, ctx)
    tc.assertLessEqual(len(d["tags"]), b["tags"], ctx)
    haystack = fold(item.title + " " + item.text).lower()
    cats = [fold(c) for c in item.categories]
    tc.assertEqual(len(set(d["tags"])), len(d["tags"]), "repeated tag: %s" % ctx)
    for tag in d["tags"]:
        tc.assertTrue(tag and (tag.lower() in haystack or tag in cats),
                      "tag %r neither from the article nor a category: %s" % (tag, ctx))
    got_cats = [t for t in d["tags"] if t in cats and t.lower() not in haystack]
    tc.assertEqual(got_cats, [c for c in cats if c in got_cats], ctx)
    tc.assertEqual(d["url"], item.link, ctx)
    tc.assertIs(type(d["published"]), int, ctx)
    tc.assertEqual(d["published"], item.published, ctx)
    if item.author:
        tc.assertEqual(d["source"], fold(item.author), ctx)
    # Strings never carry HTML or control characters; ascii: printable ASCII only.
    for s in strings_of(d):
        tc.assertFalse(any(ord(c) < 0x20 or ord(c) == 0x7f for c in s), "control char: %s" % ctx)
        tc.assertNotRegex(s, r"</?[A-Za-z][^>]*>|&(?:[a-z]+|#\d+);", "markup left: %s" % ctx)
        if b["ascii"]:
            tc.assertTrue(all(" " <= c <= "~" for c in s), "not printable ASCII: %r (%s)"
                          % (s, ctx))


@dataclass
class Run:
    """One daemon run as the outside world saw it."""
    result: h.RunResult
    live: list        # Messages published while the subscriber was there
    held: list        # retained Messages the subscriber got when subscribing
    publishes: list   # BrokerPublish: what the broker received from the daemon
    started: float    # wall clock, around the run
    ended: float

    def on(self, topic):
        return [m for m in self.live if m.topic == topic]

    def digests(self):
        return [m for m in self.live if m.topic.endswith("/digest")]

    def bundles(self):
        return [m for m in self.live if m.topic.endswith("/latest")]


class Scenario(h.BrokerCase):
    """A test class with its own broker, HTTP feed server and temp dir.

    setUpClass runs the scenario (the daemon runs) once and records what was
    seen; the test methods assert on the record. Everything started is
    stopped by class cleanups, even when the scenario fails half-way.
    """

    TAG = "scenario"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.feeds = h.feed_server(cls)
        cls.client_id = "nd-e2e-" + cls.TAG
        cls.scenario()

    @classmethod
    def scenario(cls):
        """The runs of this class; override."""

    @classmethod
    def serve_both(cls):
        """Serve news1.rss as news.rss, and news.atom; return their feed
        sections (local, tech) for config(), to add keys to."""
        cls.feeds.put_fixture("news.rss", "news1.rss")
        cls.feeds.put_fixture("news.atom", "news.atom")
        return {"url": cls.feeds.url("news.rss")}, {"url": cls.feeds.url("news.atom")}

    @classmethod
    def config(cls, name, feeds, profiles=None, state="state", port=None, **kw):
        return h.daemon_config(cls.path(name), cls.path(state), port or cls.broker.port, feeds,
                               profiles, client_id=cls.client_id, **kw)

    @classmethod
    def run_once(cls, config, topics=("news/#",), client_id=None):
        """Run newsdigestd --once with a subscriber listening; return a Run.

        After the daemon exits, wait (bounded) for its last word, the live
        {"state":"offline"}: messages of one publisher reach a subscriber in
        order, so everything it published before has then arrived too.
        """
        sub = h.Subscriber(cls.broker, topics, name=cls.TAG).start()
        try:
            since = cls.broker.mark()
            started = time.time()
            res = BUILD.run_once(config)
            ended = time.time()
            if res.rc in (0, 1):
                try:
                    sub.wait_for(lambda ms: any(
                        not m.retain and m.topic == "news/status" and m.payload ==
                        b'{"state":"offline"}' for m in ms), 5.0, "the offline status")
                except AssertionError:
                    pass    # the tests on the status say so; the others still run
            return Run(res, sub.live(), sub.retained(),
                       cls.broker.publishes(client_id or cls.client_id, since), started, ended)
        finally:
            sub.stop()

    def assertExit(self, run, code):
        self.assertEqual(run.result.rc, code, run.result.describe())


# ---------------------------------------------------------------- 1-3

class PublishAndDeduplicate(Scenario):
    """Runs 1-3 on one state dir: the first run with backlog = all and two
    profiles, a second run with nothing new, a third after news.rss gained
    one item (news1.rss -> news2.rss)."""

    TAG = "dedup"
    PROFILES = {"default": {}, "tiny": TINY}

    @classmethod
    def scenario(cls):
        local, tech = cls.serve_both()
        local["backlog"] = tech["backlog"] = "all"
        cls.conf = cls.config("newsdigest.conf", {"local": local, "tech": tech}, cls.PROFILES)
        cls.items1 = fixture_index({"local": "news1.rss", "tech": "news.atom"})
        cls.items3 = fixture_index({"local": "news2.rss", "tech": "news.atom"})
        cls.run1 = cls.run_once(cls.conf)
        cls.held1 = h.retained_snapshot(cls.broker, settle_topic="news/status")
        cls.run2 = cls.run_once(cls.conf)
        cls.feeds.put_fixture("news.rss", "news2.rss")
        cls.run3 = cls.run_once(cls.conf)
        cls.held3 = h.retained_snapshot(cls.broker, settle_topic="news/status")

    # -- run 1

    def test_run1_exits_0(self):
        """newsdigestd --once exits 0 when every feed was read and every
        digest acknowledged (DESIGN §6)."""
        self.assertExit(self.run1, 0)

    def test_run1_one_digest_per_item_and_profile(self):
        """The first run (backlog = all) publishes exactly one digest per
        article per profile on news/PROFILE/FEED/digest: 3 for news1.rss, 2
        for news.atom, in each of the two profiles; no other digest."""
        got = Counter((m.topic, decode_payload(m, split_topic(m.topic)[0])[0]["id"])
                      for m in self.run1.digests())
        want = Counter((digest_topic(p, feed), i) for i, (feed, _) in self.items1.items()
                       for p in self.PROFILES)
        self.assertEqual(got, want)
        self.assertEqual(len(self.run1.digests()), 10)

    def test_run1_digests_field_by_field(self):
        """Every field of every digest (DESIGN §2): v, id (FNV-1a 64 of feed
        NUL guid), feed, title (plain text / cut with an ellipsis for tiny,
        ASCII-folded), summary (whole lead sentences, or a cut first
        sentence when none fits), tags (the categories, at most N), url,
        published (Unix seconds of pubDate/updated), source (the author)."""
        self.assertTrue(self.run1.digests())
        for m in self.run1.digests():
            profile, feed, _ = split_topic(m.topic)
            d, _ = decode_payload(m, profile)
            self.assertIn(d.get("id"), self.items1, compact(d))
            self.assertEqual(self.items1[d["id"]][0], feed, "digest of another feed on " + m.topic)
            check_digest(self, d, feed, self.items1[d["id"]][1], profile)

    def test_run1_sample_values(self):
        """Spot values a person would read on a display: the café headline
        with its é and decoded &amp;, its tags, its date, and the ASCII
        form of the same digest."""
        cafe = h.item_id("local", "harbourline-local-20261116-001")
        by = {(m.topic, decode_payload(m, split_topic(m.topic)[0])[0]["id"]):
              decode_payload(m, split_topic(m.topic)[0])[0] for m in self.run1.digests()}
        d = by[(digest_topic("default", "local"), cafe)]
        self.assertEqual(d["title"],
                         "Café owners & council agree on new terrace rules for Rue Delacroix")
        # The headline's subject, a noun phrase, then the street: no verb in a tag.
        self.assertEqual(d["tags"][:2], ["café owners", "Rue Delacroix"])
        self.assertEqual(len(d["tags"]), 5)
        self.assertEqual(d["published"], 1794817800)    # Mon, 16 Nov 2026 08:30:00 GMT
        self.assertEqual(d["url"],
                         "https://news.example.org/local/2026/11/16/rue-delacroix-terrace-rules")
        self.assertNotIn("source", d)
        t = by[(digest_topic("tiny", "local"), cafe)]
        self.assertEqual(t["title"], "Cafe owners & council...")
        self.assertEqual(t["tags"], ["cafe owners", "Rue Delacroix"])
        led = h.item_id("tech", "tag:kestrel.example.com,2026-11-19:/briefs/"
                                "harbourline-led-street-lights")
        self.assertEqual(by[(digest_topic("default", "tech"), led)]["source"], "Ólafur Jónsson")
        self.assertEqual(by[(digest_topic("tiny", "tech"), led)]["source"], "Olafur Jonsson")
        self.assertEqual(by[(digest_topic("default", "tech"), led)]["published"],
                         1795082400)                    # 2026-11-19T10:00:00Z

    def test_run1_payloads_are_zlib_with_the_profile_window(self):
        """Digest and bundle payloads are whole zlib streams (RFC 1950) whose
        header asks for exactly the profile's window (CINFO = bits - 8:
        2^10 for default, 2^9 for tiny), inflate with that window alone,
        and hold compact JSON."""
        msgs = self.run1.digests() + self.run1.bundles()
        self.assertEqual(len(msgs), 14)
        for m in msgs:
            profile = split_topic(m.topic)[0]
            self.assertEqual(m.payload[0] >> 4, BUDGETS[profile]["window_bits"] - 8, m.topic)
            obj, text = decode_payload(m, profile)
            self.assertEqual(text, compact(obj), "JSON not compact on " + m.topic)

    def test_run1_digests_of_a_feed_arrive_oldest_first(self):
        """The digests of one feed are published oldest first, as the
        events happened (per profile)."""
        for p in self.PROFILES:
            for feed in ("local", "tech"):
                got = [decode_payload(m, p)[0]["id"] for m in self.run1.on(digest_topic(p, feed))]
                want = [i for i, _ in sorted(
                    ((i, it) for i, (f, it) in self.items1.items() if f == feed),
                    key=lambda x: x[1].published)]
                self.assertEqual(got, want, (p, feed))

    def test_run1_mqtt_flags_and_v5_properties(self):
        """As the broker received them: digests QoS 1 not retained, latest
        bundles and status QoS 1 retained. As a subscriber gets them (MQTT
        v5): content type application/json on all; user property
        content-encoding zlib on digests and bundles, identity on the
        status; a message expiry of 1 d (the default) on digests only."""
        flags = Counter((p.topic, p.qos, p.retain) for p in self.run1.publishes)
        want = Counter()
        for p in self.PROFILES:
            for feed, n in (("local", 3), ("tech", 2)):
                want[(digest_topic(p, feed), 1, 0)] = n
                want[(latest_topic(p, feed), 1, 1)] = 1
        want[("news/status", 1, 1)] = 2
        self.assertEqual(flags, want)
        self.assertEqual(len(self.run1.live), 16)
        for m in self.run1.live:
            self.assertEqual(m.qos, 1, m.topic)
            self.assertEqual(m.content_type, "application/json", m.topic)
            if m.topic == "news/status":
                self.assertEqual(m.user_props, {"content-encoding": "identity"})
                self.assertIsNone(m.expiry, m.topic)
            elif m.topic.endswith("/digest"):
                self.assertEqual(m.user_props, {"content-encoding": "zlib"}, m.topic)
                # The broker forwards the remaining lifetime: 86400 s, or
                # 86399 when a second boundary passed in between.
                self.assertIn(m.expiry, (86399, 86400), m.topic)
            else:
                self.assertEqual(m.user_props, {"content-encoding": "zlib"}, m.topic)
                self.assertIsNone(m.expiry, m.topic)

    def test_run1_latest_bundles(self):
        """news/P/FEED/latest is one retained message per profile and feed:
        a zlib JSON array of the feed's digests (the same objects as
        published), newest first; a subscriber arriving after the run gets
        exactly that as a retained message."""
        digests = {}
        for m in self.run1.digests():
            d = decode_payload(m, split_topic(m.topic)[0])[0]
            digests.setdefault(m.topic.rsplit("/", 1)[0], []).append(d)
        for p in self.PROFILES:
            for feed in ("local", "tech"):
                topic = latest_topic(p, feed)
                live = self.run1.on(topic)
                self.assertEqual(len(live), 1, topic)
                bundle = decode_payload(live[0], p)[0]
                want = sorted(digests["news/%s/%s" % (p, feed)], key=lambda d: -d["published"])
                self.assertEqual(bundle, want, topic)
                self.assertIn(topic, self.held1, "not retained: " + topic)
                self.assertEqual(self.held1[topic].retain, 1)
                self.assertEqual(self.held1[topic].payload, live[0].payload, topic)

    def test_run1_status_online_then_offline_and_retained(self):
        """news/status: {"state":"online",...} when the daemon connects (with
        its version, start time and feed count), {"state":"offline"} as its
        last message when --once ends; a subscriber arriving later gets the
        retained offline status."""
        status = self.run1.on("news/status")
        self.assertEqual(len(status), 2, [m.payload for m in status])
        online = json.loads(status[0].payload)
        self.assertIs(self.run1.live[0], status[0], "status online is not the first message")
        self.assertEqual(online["state"], "online")
        self.assertEqual(online["version"], BUILD.version())
        self.assertEqual(online["feeds"], 2)
        self.assertTrue(self.run1.started - 1 <= online["since"] <= self.run1.ended + 1, online)
        self.assertIs(self.run1.live[-1], status[1], "status offline is not the last message")
        self.assertEqual(json.loads(status[1].payload), OFFLINE)
        self.assertIn("news/status", self.held1)
        self.assertEqual(self.held1["news/status"].retain, 1)
        self.assertEqual(json.loads(self.held1["news/status"].payload), OFFLINE)

    def test_ascii_profile_keeps_its_budgets(self):
        """With ascii = yes the title and summary still fit headline_chars
        and summary_chars (DESIGN §2: cut "to the profile's budget with …";
        the brief: at most 24 characters, "…" folded to "..."): the cut
        makes room for the three dots the ellipsis becomes."""
        over = []
        for run in (self.run1, self.run3):
            for m in run.digests():
                p = split_topic(m.topic)[0]
                d = decode_payload(m, p)[0]
                if len(d["title"]) > BUDGETS[p]["headline_chars"]:
                    over.append((m.topic, "title", len(d["title"]), d["title"]))
                if len(d["summary"]) > BUDGETS[p]["summary_chars"]:
                    over.append((m.topic, "summary", len(d["summary"]), d["summary"]))
        self.assertEqual(over, [])

    def test_summaries_are_one_to_three_sentences(self):
        """A summary is 1-3 whole sentences of the article (DESIGN §2).

        KNOWN BUG (expected failure): summary_lead() has no sentence cap;
        the weather-kit article's default summary is all 4 of its
        sentences (exactly 280 characters)."""
        bad = []
        for run in (self.run1, self.run3):
            for m in run.on(digest_topic("default", "local")) + \
                    run.on(digest_topic("default", "tech")):
                d = decode_payload(m, "default")[0]
                guid = {**self.items1, **self.items3}[d["id"]][1].guid
                if d["summary"] not in sentence_sets(SENTENCES[guid]):
                    bad.append(d["summary"])
        self.assertEqual(bad, [])

    def test_fixture_oracle_matches_the_fixtures(self):
        """The hand-split sentences used as the summary oracle join to
        exactly each fixture article's plain text (guards the oracle)."""
        for fixture in ("news2.rss", "news.atom"):
            for item in h.fixture_items(fixture):
                self.assertEqual(" ".join(SENTENCES[item.guid]), item.text, item.guid)

    # -- run 2

    def test_run2_unchanged_feeds_publish_nothing(self):
        """A second run on the same state dir with unchanged feeds publishes
        no digest and no bundle (nothing repeated, DESIGN §4): only the
        status goes online and offline; exit 0."""
        self.assertExit(self.run2, 0)
        self.assertEqual([(p.topic, p.retain) for p in self.run2.publishes],
                         [("news/status", 1), ("news/status", 1)])
        self.assertEqual([m.topic for m in self.run2.live], ["news/status", "news/status"],
                         [(m.topic, m.payload, m.retain) for m in self.run2.live])
        self.assertEqual(json.loads(self.run2.live[-1].payload), OFFLINE)

    def test_run2_refetch_is_a_conditional_get(self):
        """Polite fetching (DESIGN §4): fetching an unchanged feed again, on
        the next run, is a conditional GET (If-Modified-Since from the
        server's Last-Modified, kept in the state directory)."""
        gets = self.feeds.requests_for("news.rss")
        self.assertGreaterEqual(len(gets), 2)
        headers = {k.lower() for k in gets[1]}
        self.assertTrue({"if-modified-since", "if-none-match"} & headers, gets[1])

    # -- run 3

    def test_run3_publishes_only_the_new_item(self):
        """After news.rss gained one item, the third run publishes exactly
        one digest per profile, for guid harbourline-local-20261117-004,
        field by field right; nothing for the other items or the atom feed;
        exit 0."""
        self.assertExit(self.run3, 0)
        new_id = h.item_id("local", NEW_GUID)
        got = sorted((m.topic, decode_payload(m, split_topic(m.topic)[0])[0]["id"])
                     for m in self.run3.digests())
        self.assertEqual(got, [(digest_topic("default", "local"), new_id),
                               (digest_topic("tiny", "local"), new_id)])
        for m in self.run3.digests():
            p = split_topic(m.topic)[0]
            check_digest(self, decode_payload(m, p)[0], "local", self.items3[new_id][1], p)
        self.assertEqual(sorted(m.topic for m in self.run3.bundles()),
                         [latest_topic("default", "local"), latest_topic("tiny", "local")])

    def test_run3_latest_bundle_has_the_new_item_first(self):
        """The retained latest bundle of the feed now holds the new item
        first, then the three older ones, newest first; the atom feed's
        bundle is unchanged."""
        order = [h.item_id("local", g) for g in (
            NEW_GUID, "harbourline-local-20261116-001", "harbourline-local-20261115-002",
            "harbourline-local-20261114-003")]
        for p in self.PROFILES:
            live = self.run3.on(latest_topic(p, "local"))
            self.assertEqual(len(live), 1)
            self.assertEqual([d["id"] for d in decode_payload(live[0], p)[0]], order, p)
            held = self.held3[latest_topic(p, "local")]
            self.assertEqual(held.retain, 1)
            self.assertEqual([d["id"] for d in decode_payload(held, p)[0]], order, p)
            self.assertEqual(self.held3[latest_topic(p, "tech")].payload,
                             self.held1[latest_topic(p, "tech")].payload, p)


# ---------------------------------------------------------------- 4

class BacklogOne(Scenario):
    """backlog = 1 on a fresh state dir, serving news2.rss (4 items)."""

    TAG = "backlog"
    PROFILES = {"default": {}, "tiny": TINY}

    @classmethod
    def scenario(cls):
        cls.feeds.put_fixture("news.rss", "news2.rss")
        cls.conf = cls.config("newsdigest.conf", {
            "local": {"url": cls.feeds.url("news.rss"), "backlog": 1}}, cls.PROFILES)
        cls.items = fixture_index({"local": "news2.rss"})
        cls.run1 = cls.run_once(cls.conf)
        cls.run2 = cls.run_once(cls.conf)
        # The same four articles under new guids: a CMS moved, say.
        with open(os.path.join(h.FIXTURES, "news2.rss"), "rb") as f:
            cls.feeds.put_bytes("news.rss", f.read().replace(b"harbourline-local-",
                                                             b"harbourline-moved-"))
        cls.run3 = cls.run_once(cls.conf)

    def test_first_fetch_publishes_only_the_newest_item(self):
        """On a feed's first fetch, backlog = 1 publishes only the newest
        article by date (guid ...-004), one digest per profile, and says in
        the log that the older ones were skipped; exit 0."""
        self.assertExit(self.run1, 0)
        new_id = h.item_id("local", NEW_GUID)
        got = sorted((m.topic, decode_payload(m, split_topic(m.topic)[0])[0]["id"])
                     for m in self.run1.digests())
        self.assertEqual(got, [(digest_topic("default", "local"), new_id),
                               (digest_topic("tiny", "local"), new_id)])
        for m in self.run1.digests():
            p = split_topic(m.topic)[0]
            check_digest(self, decode_payload(m, p)[0], "local", self.items[new_id][1], p)
        self.assertIn("feed local: 1 new article (older ones skipped: backlog)",
                      self.run1.result.stderr)
        for p in self.PROFILES:
            bundle = self.run1.on(latest_topic(p, "local"))
            self.assertEqual([d["id"] for d in decode_payload(bundle[0], p)[0]], [new_id])

    def test_skipped_items_count_as_seen(self):
        """The items the backlog skipped count as seen: the second run
        publishes nothing; exit 0."""
        self.assertExit(self.run2, 0)
        self.assertEqual(self.run2.digests(), [])
        self.assertEqual([p.topic for p in self.run2.publishes], ["news/status", "news/status"])

    def test_every_id_changed_is_no_flood(self):
        """Every article the feed lists is new (the same four under new
        guids): the backlog holds as on a first fetch, and the log asks
        whether its ids changed."""
        self.assertExit(self.run3, 0)
        moved = h.item_id("local", NEW_GUID.replace("-local-", "-moved-"))
        self.assertEqual(sorted(decode_payload(m, split_topic(m.topic)[0])[0]["id"]
                                for m in self.run3.digests()), [moved, moved])
        self.assertIn("feed local: 1 new article (older ones skipped: backlog; every "
                      "article the feed lists is new: did its ids change?)",
                      self.run3.result.stderr)


# ---------------------------------------------------------------- 5-6

class RawProfileAndCat(Scenario):
    """A compression = none profile next to a zlib one, watched by two
    `newsdigest cat` processes started before the daemon."""

    TAG = "raw"
    PROFILES = {"default": {}, "raw": RAW}

    @classmethod
    def scenario(cls):
        cls.feeds.put_fixture("news.rss", "news1.rss")
        cls.conf = cls.config("newsdigest.conf", {
            "local": {"url": cls.feeds.url("news.rss"), "backlog": "all"}}, cls.PROFILES)
        cls.items = fixture_index({"local": "news1.rss"})
        port = str(cls.broker.port)
        since = cls.broker.mark()
        cls.cat3 = BUILD.spawn_cat(["-p", port, "-t", "news/default/#", "-C", "3", "--json",
                                    "-W", "30"])
        cls.addClassCleanup(h.stop_process, cls.cat3)
        cls.broker.wait_subscription_to("news/default/#", since)
        since = cls.broker.mark()
        cls.cat6 = BUILD.spawn_cat(["-p", port, "-t", "news/+/local/digest", "-C", "6",
                                    "--json", "-W", "30"])
        cls.addClassCleanup(h.stop_process, cls.cat6)
        cls.broker.wait_subscription_to("news/+/local/digest", since)
        cls.run1 = cls.run_once(cls.conf)
        cls.cat3_out = cls._finish(cls.cat3)
        cls.cat6_out = cls._finish(cls.cat6)

    @staticmethod
    def _finish(proc):
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=5)
        return proc.returncode, out.decode("utf-8"), err.decode("utf-8")

    def decoded(self, profile):
        return [decode_payload(m, profile)[0] for m in self.run1.on(digest_topic(profile, "local"))]

    def test_raw_profile_payload_is_the_json_itself(self):
        """compression = none: the payload is the digest JSON itself (no
        zlib header), announced as content-encoding identity, with no
        message expiry (expiry = 0); the digests equal the zlib profile's
        (same budgets), field by field right; the bundle is plain JSON too."""
        self.assertExit(self.run1, 0)
        raw = self.run1.on(digest_topic("raw", "local"))
        self.assertEqual(len(raw), 3)
        for m in raw:
            self.assertFalse(h.is_zlib_stream(m.payload), m.payload[:20])
            self.assertEqual(m.user_props, {"content-encoding": "identity"})
            self.assertEqual(m.content_type, "application/json")
            self.assertIsNone(m.expiry)
            d = json.loads(m.payload.decode("utf-8"))
            self.assertEqual(m.payload.decode("utf-8"), compact(d))
            check_digest(self, d, "local", self.items[d["id"]][1], "raw")
        self.assertEqual(self.decoded("raw"), self.decoded("default"))
        bundle = self.run1.on(latest_topic("raw", "local"))
        self.assertEqual(len(bundle), 1)
        self.assertEqual(bundle[0].user_props, {"content-encoding": "identity"})
        self.assertEqual([d["id"] for d in json.loads(bundle[0].payload)],
                         [d["id"] for d in reversed(self.decoded("raw"))])

    def test_cat_json_prints_three_digests(self):
        """`newsdigest cat -p PORT -t 'news/default/#' -C 3 --json`, started
        before the daemon, prints the decoded JSON of the first 3 digests,
        one a line, and exits 0."""
        rc, out, err = self.cat3_out
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertEqual([json.loads(line) for line in lines], self.decoded("default"))
        self.assertEqual(lines, [compact(d) for d in self.decoded("default")])

    def test_cat_decodes_both_encodings(self):
        """`newsdigest cat --json` decodes zlib and identity payloads alike:
        for news/+/local/digest it prints the 6 digests of both profiles."""
        rc, out, err = self.cat6_out
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 6, out)
        got = sorted(lines)
        want = sorted(compact(d) for d in self.decoded("default") + self.decoded("raw"))
        self.assertEqual(got, want)


# ---------------------------------------------------------------- 7

# Not a feed at all: a web page where the feed was.
BROKEN_FEED = (b'<?xml version="1.0" encoding="utf-8"?>\n'
               b'<html><body><p>Moved</p></body></html>\n')

# A feed that breaks part-way (a raw '&' in its second item): the item
# before the break is read, and published.
PARTIAL_FEED = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                b'<rss version="2.0"><channel><title>Partial</title>\n'
                b'<item><title>Whole</title><guid>partial-1</guid></item>\n'
                b'<item><title>Fish & chips</title><guid>partial-2</guid></item>\n'
                b'</channel></rss>\n')


class FailingFeeds(Scenario):
    """A good feed next to one that answers 404, one that is not a feed,
    and one that breaks part-way."""

    TAG = "failing"

    @classmethod
    def scenario(cls):
        cls.feeds.put_fixture("news.rss", "news1.rss")
        cls.feeds.put_bytes("broken.rss", BROKEN_FEED)
        cls.feeds.put_bytes("partial.rss", PARTIAL_FEED)
        cls.conf = cls.config("newsdigest.conf", {
            "good": {"url": cls.feeds.url("news.rss"), "backlog": "all"},
            "missing": {"url": cls.feeds.url("missing.rss")},
            "broken": {"url": cls.feeds.url("broken.rss")},
            "partial": {"url": cls.feeds.url("partial.rss"), "backlog": "all"},
        })
        cls.run1 = cls.run_once(cls.conf)

    def test_good_feed_is_published_in_full(self):
        """A failing feed harms nothing else (DESIGN §4): the good feed's 3
        digests are all published; nothing on the failing feeds' topics."""
        got = sorted((m.topic, decode_payload(m, "default")[0]["id"])
                     for m in self.run1.digests() if "/partial/" not in m.topic)
        want = sorted((digest_topic("default", "good"), h.item_id("good", it.guid))
                      for it in h.fixture_items("news1.rss"))
        self.assertEqual(got, want)
        self.assertEqual([m.topic for m in self.run1.live
                          if "/missing/" in m.topic or "/broken/" in m.topic], [])

    def test_log_names_each_failing_feed_and_why(self):
        """The log has one line per failing feed naming it, its URL and the
        reason: "HTTP 404"; for the bad XML, where the parser stopped; and
        when it will try again (backoff: twice the interval after one failure)."""
        log = self.run1.result.stderr
        self.assertRegex(log, r"(?m)^newsdigestd: .*feed missing: %s: HTTP 404; "
                         r"next try in \d+s$" % re.escape(self.feeds.url("missing.rss")))
        self.assertRegex(log, r"(?m)^newsdigestd: .*feed broken: %s: not a readable feed: "
                         r"line 2, column \d+: not an RSS or Atom feed; "
                         r"next try in \d+s$" % re.escape(self.feeds.url("broken.rss")))

    def test_feed_broken_part_way_is_read_up_to_the_break(self):
        """A feed that breaks part-way is no dead feed: the item before the
        break is published; a warning says where it broke."""
        got = [decode_payload(m, "default")[0]["id"] for m in self.run1.live
               if m.topic == digest_topic("default", "partial")]
        self.assertEqual(got, [h.item_id("partial", "partial-1")])
        self.assertRegex(self.run1.result.stderr,
                         r"(?m)^newsdigestd: warning: feed partial: not well-formed, read "
                         r"anyway \(not well-formed at line 4 \(not well-formed \(invalid "
                         r"token\)\): read up to there\)$")

    def test_once_exits_1_when_a_feed_failed(self):
        """--once exits 1 when a feed failed (and everything else went
        well), after the status went offline."""
        self.assertExit(self.run1, 1)
        self.assertEqual(json.loads(self.run1.live[-1].payload), OFFLINE)


# ---------------------------------------------------------------- 8

class BrokerComesLate(Scenario):
    """The broker is down when newsdigestd --once starts and comes up on
    its port 2 seconds later."""

    TAG = "late"

    @classmethod
    def setUpClass(cls):
        # No broker of the base class: this one starts late, on its own port.
        cls.workdir = h.make_workdir(cls.TAG)
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        cls.feeds = h.feed_server(cls)
        cls.client_id = "nd-e2e-" + cls.TAG
        cls.broker = h.Broker(cls.workdir)       # its port is free, nothing listens
        cls.addClassCleanup(cls.broker.stop)
        cls.feeds.put_fixture("news.rss", "news1.rss")
        conf = cls.config("newsdigest.conf", {"local": {"url": cls.feeds.url("news.rss")}})
        started = time.monotonic()
        proc = BUILD.spawn_daemon(conf, cls.path("daemon.log"), once=True)
        cls.addClassCleanup(h.stop_process, proc)
        # The scenario itself: the broker comes 2 s after the daemon.
        time.sleep(max(0.0, started + 2.0 - time.monotonic()))
        cls.broker.start()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            pass
        cls.rc = proc.poll()
        cls.elapsed = time.monotonic() - started
        with open(cls.path("daemon.log"), encoding="utf-8") as f:
            cls.log = f.read()
        cls.held = h.retained_snapshot(cls.broker, settle_topic="news/status")

    def test_digests_arrive_once_the_broker_is_up(self):
        """The daemon retries the connection: once the broker is up, it
        receives the 3 digests (QoS 1) and the latest bundle holding them;
        --once exits 0, well within its 30 s bound."""
        self.assertEqual(self.rc, 0, self.log)
        self.assertLess(self.elapsed, 20, self.log)
        pubs = self.broker.publishes(self.client_id)
        self.assertEqual([(p.topic, p.qos) for p in pubs if p.topic.endswith("/digest")],
                         [(digest_topic("default", "local"), 1)] * 3)
        bundle = decode_payload(self.held[latest_topic("default", "local")], "default")[0]
        self.assertEqual(sorted(d["id"] for d in bundle),
                         sorted(h.item_id("local", it.guid) for it in h.fixture_items("news1.rss")))
        self.assertEqual(json.loads(self.held["news/status"].payload), OFFLINE)

    def test_log_shows_the_retries(self):
        """The log says the connection was refused and retried, then that it
        connected."""
        self.assertRegex(self.log, r"(?m)^newsdigestd: .*mqtt: 127\.0\.0\.1:%d: Connection "
                         r"refused; retrying in 1s$" % self.broker.port)
        self.assertRegex(self.log, r"(?m)^newsdigestd: mqtt: connected to 127\.0\.0\.1:%d$"
                         % self.broker.port)


def rotated_feed():
    """news1.rss with every item gone: its items have rotated out of the feed."""
    with open(os.path.join(h.FIXTURES, "news1.rss"), "rb") as f:
        return re.sub(rb"\s*<item>.*?</item>", b"", f.read(), flags=re.S)


class BrokerNeverComes(Scenario):
    """newsdigestd --once with no broker at all, twice (two state dirs).

    These runs take ~30 s (the --once bound), so main() starts them before
    the other tests and they overlap them; the tests here wait for them.
    Afterwards each state dir is run again against a live broker: one with
    the same feed, one with a feed whose items have rotated out.
    """

    TAG = "nobroker"
    _bg = None

    @classmethod
    def start_in_background(cls):
        """Start the two broker-less runs now (idempotent)."""
        if cls._bg is not None:
            return
        wd = h.make_workdir(cls.TAG + "-bg")
        bg = {"workdir": wd, "runs": {}, "feeds": None}
        cls._bg = bg
        bg["feeds"] = h.FeedServer(os.path.join(wd, "www"))
        bg["feeds"].put_fixture("news.rss", "news1.rss")
        bg["feeds"].put_bytes("rotated.rss", rotated_feed())
        bg["port"] = h.free_port()      # nothing listens there
        for name, feed in (("refetch", "news.rss"), ("outbox", "news.rss"),
                           ("empty", "rotated.rss")):
            run = {"state": os.path.join(wd, "state-" + name), "log": os.path.join(wd, name + ".log"),
                   "client": "nd-e2e-nobroker-" + name}
            conf = h.daemon_config(os.path.join(wd, name + ".conf"), run["state"], bg["port"],
                                   {"local": {"url": bg["feeds"].url(feed)}},
                                   client_id=run["client"])
            run["start"] = time.monotonic()
            run["proc"] = BUILD.spawn_daemon(conf, run["log"], once=True)
            run["done"] = threading.Event()

            def waiter(run=run):
                run["proc"].wait()
                run["elapsed"] = time.monotonic() - run["start"]
                run["done"].set()
            threading.Thread(target=waiter, daemon=True).start()
            bg["runs"][name] = run

    @classmethod
    def stop_background(cls):
        bg, cls._bg = cls._bg, None
        if bg is None:
            return
        for run in bg["runs"].values():
            h.stop_process(run["proc"])
        if bg["feeds"] is not None:
            bg["feeds"].stop()
        h.remove_workdir(bg["workdir"])

    @classmethod
    def scenario(cls):
        cls.start_in_background()       # a no-op when main() did it
        cls.addClassCleanup(cls.stop_background)
        cls.bg = cls._bg
        for run in cls.bg["runs"].values():
            left = run["start"] + 45 - time.monotonic()
            if not run["done"].wait(timeout=max(0.1, left)):
                h.stop_process(run["proc"], sig=signal.SIGKILL)
                run["done"].wait(timeout=5)
            with open(run["log"], encoding="utf-8") as f:
                run["output"] = f.read()

    def rerun(self, name, url):
        """Run the state dir of a broker-less run again, with the broker up."""
        run = self.bg["runs"][name]
        conf = h.daemon_config(self.path(name + "-again.conf"), run["state"], self.broker.port,
                               {"local": {"url": url}}, client_id=run["client"])
        return self.run_once(conf, client_id=run["client"])

    def test_once_exits_2_when_the_broker_never_comes(self):
        """With no broker, --once gives up after its bound (~30 s), says
        how many messages the broker did not acknowledge (3 digests and the
        bundle), and exits 2."""
        for name in ("refetch", "outbox"):
            run = self.bg["runs"][name]
            self.assertEqual(run["proc"].returncode, 2, run["output"])
            self.assertTrue(25 <= run["elapsed"] <= 40, (name, run["elapsed"]))
            self.assertIn("4 messages not acknowledged by the broker", run["output"])

    def test_once_with_nothing_to_send_waits_for_the_broker_too(self):
        """A feed with no items and no broker: --once has no digest to send
        but still waits (its bound) for the broker, to say online and
        offline on the status topic; then it names the broker it never
        reached and exits 2, so a cron job sees the broker is down."""
        run = self.bg["runs"]["empty"]
        self.assertEqual(run["proc"].returncode, 2, run["output"])
        self.assertTrue(25 <= run["elapsed"] <= 40, run["elapsed"])
        self.assertIn("newsdigestd: warning: the broker at 127.0.0.1:%d was never reached: "
                      "no status published" % self.bg["port"], run["output"])
        self.assertNotIn("not acknowledged", run["output"])

    def test_next_run_delivers_the_unacknowledged_digests(self):
        """Nothing lost (DESIGN §4): the next run, with the broker up and the
        feed unchanged, publishes the 3 digests that were never
        acknowledged, with the same ids; exit 0."""
        run = self.rerun("refetch", self.bg["feeds"].url("news.rss"))
        self.assertExit(run, 0)
        self.assertEqual(sorted(decode_payload(m, "default")[0]["id"] for m in run.digests()),
                         sorted(h.item_id("local", it.guid)
                                for it in h.fixture_items("news1.rss")))

    def test_unacknowledged_digests_wait_in_the_outbox(self):
        """Nothing lost, from the durable outbox (DESIGN §1 "outbox (durable
        queue, on disk)", §4, §6 "they stay in the outbox for the next
        run"): the 3 unacknowledged digests are delivered by the next run
        even though the feed no longer lists those items."""
        run = self.rerun("outbox", self.bg["feeds"].url("rotated.rss"))
        self.assertExit(run, 0)
        self.assertEqual(sorted(decode_payload(m, "default")[0]["id"] for m in run.digests()),
                         sorted(h.item_id("local", it.guid)
                                for it in h.fixture_items("news1.rss")))


class BrokerSlowToAnswer(Scenario):
    """newsdigestd --once with nothing new, against a broker that accepts
    the connection but answers only after the fetch is done (stopped with
    SIGSTOP, continued 2 s later)."""

    TAG = "slowbroker"

    @classmethod
    def scenario(cls):
        cls.feeds.put_bytes("empty.rss", rotated_feed())
        conf = cls.config("slow.conf", {"local": {"url": cls.feeds.url("empty.rss")}})
        sub = h.Subscriber(cls.broker, ("news/status",), name=cls.TAG).start()
        try:
            cls.broker.signal(signal.SIGSTOP)
            try:
                proc = BUILD.spawn_daemon(conf, cls.path("slow.log"), once=True)
                h.wait_until(lambda: cls.feeds.requests_for("empty.rss"), 10.0, "the fetch")
                time.sleep(2.0)
                cls.exited_early = proc.poll() is not None
            finally:
                cls.broker.signal(signal.SIGCONT)
            try:
                cls.rc = proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                h.stop_process(proc, sig=signal.SIGKILL)
                cls.rc = None
            try:
                sub.wait_for(lambda ms: any(m.payload == b'{"state":"offline"}' for m in ms),
                             5.0, "the offline status")
            except AssertionError:
                pass    # the test says what came
            cls.statuses = [json.loads(m.payload)["state"] for m in sub.live()]
        finally:
            sub.stop()
        with open(cls.path("slow.log"), encoding="utf-8") as f:
            cls.log = f.read()

    def test_waits_for_the_broker_and_says_online_and_offline(self):
        """With nothing to deliver, --once still waits for the broker's
        answer, publishes its status (online, then offline) and exits 0."""
        self.assertFalse(self.exited_early, self.log)
        self.assertEqual(self.rc, 0, self.log)
        self.assertEqual(self.statuses, ["online", "offline"])


# ---------------------------------------------------------------- 9

BAD_CONFIG = """\
; newsdigestd config with five errors
[daemon]
state_dir = {state}
colour = blue

[mqtt]
host = 127.0.0.1
keepalive = soon

[profile small]
window_bits = 20

[feed nourl]
interval = 5m

[widgets]
size = 3

[feed ok]
url = http://127.0.0.1/news.rss
"""


class ConfigCheck(unittest.TestCase):
    """newsdigestd -n / --check."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = h.make_workdir("config")
        cls.addClassCleanup(h.remove_workdir, cls.workdir)

    def test_check_reports_every_error_with_its_line(self):
        """-n on a config with an unknown key, a bad duration, window_bits =
        20, a feed without url and an unknown section prints each error as
        FILE:LINE: message, all of them in one run, and exits 1."""
        path = os.path.join(self.workdir, "bad.conf")
        with open(path, "w") as f:
            f.write(BAD_CONFIG.format(state=os.path.join(self.workdir, "state")))
        res = BUILD.check(path)
        self.assertEqual(res.rc, 1, res.describe())
        errors = [line for line in (res.stdout + res.stderr).splitlines()
                  if line.startswith(path + ":")]
        self.assertEqual(sorted(errors, key=lambda e: int(e.split(":")[1])), [
            '%s:4: unknown key "colour" in this section' % path,
            '%s:8: keepalive: "soon" is not a duration (like 90s, 15m, 1h, 1d)' % path,
            "%s:11: window_bits: 20 is out of range (9 to 15)" % path,
            "%s:13: feed nourl: url is missing" % path,
            "%s:16: unknown section [widgets]" % path,
        ], res.describe())
        self.assertIn("newsdigestd: 5 errors in the configuration", res.stderr)
        self.assertNotIn("configuration OK", res.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "state")))

    def test_check_names_the_line_of_the_key_that_needs_another(self):
        """A key that needs another (password_file without username, a
        dictionary with compression = none) is reported at its own line,
        not at the file's last, 20 lines further; a file without a feed is
        one error of the file, with no line."""
        pw = os.path.join(self.workdir, "mqtt-password")
        with open(pw, "w") as f:
            f.write("secret\n")
        os.chmod(pw, 0o600)
        head = ["[mqtt]", "host = 127.0.0.1", "password_file = " + pw,
                "[profile p]", "compression = none", "dictionary = builtin"]
        filler = ["; line %d" % (i + 1) for i in range(20)]
        for name, lines, want in (
                ("pairs.conf", head + ["[feed a]", "url = http://127.0.0.1/a.rss"] + filler,
                 ["{path}:3: [mqtt] password_file needs username",
                  "{path}:6: [profile p] dictionary needs compression = zlib, not none "
                  "(line 5)",
                  "newsdigestd: 2 errors in the configuration"]),
                ("nofeed.conf", ["[daemon]", "log_level = info"] + filler,
                 ["{path}: no [feed NAME] section: nothing to watch",
                  "newsdigestd: 1 error in the configuration"])):
            path = os.path.join(self.workdir, name)
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            res = BUILD.check(path)
            self.assertEqual(res.rc, 1, res.describe())
            self.assertEqual(res.stderr.splitlines(), [w.format(path=path) for w in want],
                             res.describe())

    def test_check_accepts_a_good_config(self):
        """-n and --check on a good config print "configuration OK" and exit
        0, touching nothing (no state dir made)."""
        state = os.path.join(self.workdir, "good-state")
        path = h.daemon_config(os.path.join(self.workdir, "good.conf"), state, 1883,
                               {"local": {"url": "http://127.0.0.1/news.rss", "backlog": "all"}},
                               {"default": {}, "tiny": TINY})
        for flag in ("-n", "--check"):
            res = BUILD.check(path, flag)
            self.assertEqual(res.rc, 0, res.describe())
            self.assertEqual(res.stdout, "configuration OK\n", flag)
            self.assertEqual(res.stderr, "", flag)
        self.assertFalse(os.path.exists(state))


class CatOptions(unittest.TestCase):
    """newsdigest cat's number options."""

    def test_a_bad_number_prints_the_usage(self):
        """-C, -W and -p with a value that is not a number, or out of
        range, print the usage and exit 1 at once, reaching for no broker
        (-C ten was read as 0: no limit, and cat went on for ever)."""
        for args in (["-C", "ten"], ["-C", "-1"], ["-W", "5s"], ["-W", ""], ["-p", "0"],
                     ["-p", "65536"]):
            res = BUILD.run([BUILD.cli, "cat", "-H", "127.0.0.1", "-p", "1"] + args, 10.0)
            self.assertEqual(res.rc, 1, res.describe())
            self.assertTrue(res.stderr.startswith("usage: newsdigest"), (args, res.describe()))
            self.assertNotIn("127.0.0.1:1", res.stderr, args)


# ---------------------------------------------------------------- 10

class DaemonMode(Scenario):
    """newsdigestd without --once (interval = 1h): stats, the retained
    online status, and SIGTERM."""

    TAG = "sigterm"

    @classmethod
    def scenario(cls):
        cls.feeds.put_fixture("news.rss", "news1.rss")
        conf = cls.config("newsdigest.conf", {
            "local": {"url": cls.feeds.url("news.rss"), "interval": "1h"}},
            daemon={"stats_interval": "1s"})
        cls.sub = h.Subscriber(cls.broker, name=cls.TAG).start()
        cls.addClassCleanup(cls.sub.stop)
        since = cls.broker.mark()
        cls.proc = BUILD.spawn_daemon(conf, cls.path("daemon.log"))
        cls.addClassCleanup(h.stop_process, cls.proc, 3.0, signal.SIGKILL)
        # Acknowledged: the broker sent PUBACK for the status, the 3
        # digests and the bundle.
        h.wait_until(lambda: cls.broker.pubacks_to(cls.client_id, since) >= 5, 10,
                     "the broker to acknowledge the daemon's digests")
        cls.stats = cls.sub.wait_for(lambda ms: [m for m in ms if m.topic == "news/stats" and
                                                 json.loads(m.payload)["digests"] == 3],
                                     5, "a news/stats message counting 3 digests")
        cls.held_running = h.retained_snapshot(cls.broker, settle_topic="news/status")
        cls.still_running = cls.proc.poll() is None
        cls.sigterm_at = time.monotonic()
        cls.proc.send_signal(signal.SIGTERM)
        try:
            cls.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        cls.rc = cls.proc.poll()
        cls.stop_time = time.monotonic() - cls.sigterm_at
        try:
            cls.sub.wait_for(lambda ms: any(m.topic == "news/status" and not m.retain and
                                            json.loads(m.payload) == OFFLINE for m in ms),
                             3, "the offline status")
        except AssertionError:
            pass
        cls.held_after = h.retained_snapshot(cls.broker, settle_topic="news/status")
        with open(cls.path("daemon.log"), encoding="utf-8") as f:
            cls.log = f.read()

    def test_publishes_digests_and_keeps_running(self):
        """Without --once the daemon publishes the feed's 3 digests and stays
        up (interval = 1h), with news/status retained as online (a device
        that boots meanwhile gets {"state":"online",...})."""
        self.assertTrue(self.still_running, self.log)
        self.assertEqual(len([m for m in self.sub.messages
                              if m.topic == digest_topic("default", "local")]), 3)
        status = self.held_running["news/status"]
        self.assertEqual(status.retain, 1)
        self.assertEqual(json.loads(status.payload)["state"], "online")

    def test_stats_every_interval(self):
        """news/stats (DESIGN §3): uncompressed JSON, QoS 0, not retained,
        every stats_interval, counting per-feed and total digests, nothing
        queued, no error."""
        m = self.stats[-1]
        s = json.loads(m.payload)
        self.assertEqual(m.qos, 0)
        self.assertEqual(m.retain, 0)
        self.assertEqual(m.user_props, {"content-encoding": "identity"})
        self.assertEqual(s["digests"], 3)
        self.assertEqual(s["queued"], 0)
        self.assertEqual([(f["name"], f["digests"], f["items"], f["last_error"])
                          for f in s["feeds"]], [("local", 3, 3, "")])
        self.assertIs(type(s["uptime"]), int)
        flags = {(p.qos, p.retain) for p in self.broker.publishes(self.client_id)
                 if p.topic == "news/stats"}
        self.assertEqual(flags, {(0, 0)})

    def test_sigterm_stops_cleanly(self):
        """SIGTERM once the digests are acknowledged: the daemon exits 0
        within 5 s and the status becomes offline (live and retained)."""
        self.assertEqual(self.rc, 0, self.log)
        self.assertLess(self.stop_time, 5.0)
        last_status = [m for m in self.sub.messages if m.topic == "news/status" and not m.retain]
        self.assertEqual(json.loads(last_status[-1].payload), OFFLINE)
        self.assertEqual(json.loads(self.held_after["news/status"].payload), OFFLINE)
        self.assertRegex(self.log, r"(?m)^newsdigestd: signal 15: stopping")


class SighupReload(Scenario):
    """SIGHUP after a feed was added to the config file."""

    TAG = "sighup"

    @classmethod
    def scenario(cls):
        local, tech = cls.serve_both()
        local["interval"] = tech["interval"] = "1h"
        conf = cls.config("newsdigest.conf", {"local": local})
        cls.sub = h.Subscriber(cls.broker, name=cls.TAG).start()
        cls.addClassCleanup(cls.sub.stop)
        cls.proc = BUILD.spawn_daemon(conf, cls.path("daemon.log"))
        cls.addClassCleanup(h.stop_process, cls.proc, 3.0, signal.SIGKILL)
        cls.sub.wait_for(lambda ms: len([m for m in ms if m.topic.endswith("/digest")]) >= 3,
                         10, "the first feed's digests")
        cls.config("newsdigest.conf", {"local": local, "tech": tech})
        cls.proc.send_signal(signal.SIGHUP)

    def test_sighup_adds_a_feed(self):
        """SIGHUP re-reads the config: a feed added to the file is watched
        without a restart (DESIGN §5), its 2 digests published within 10 s.
        (tests/integration/test_service.py tests reload in full.)"""
        self.sub.wait_for(lambda ms: len([m for m in ms if m.topic ==
                                          digest_topic("default", "tech")]) == 2,
                          10, "the added feed's digests")


class FeedLanguage(Scenario):
    """A German feed that declares its language (nachrichten.rss, de-DE)
    read twice: as "declared", whose config gives no language, and as
    "english", whose config says language = en."""

    TAG = "language"
    # German stop words English does not know.
    GERMAN_STOP = {"und", "die", "der", "nach", "ein", "wieder", "dass", "mit", "auch"}

    @classmethod
    def scenario(cls):
        cls.feeds.put_fixture("nachrichten.rss", "nachrichten.rss")
        url = cls.feeds.url("nachrichten.rss")
        cls.conf = cls.config("newsdigest.conf", {
            "declared": {"url": url, "backlog": "all"},
            "english": {"url": url, "backlog": "all", "language": "en"}})
        cls.run1 = cls.run_once(cls.conf)

    def tags(self, feed):
        """The tags of feed's digests, one list per article."""
        return [decode_payload(m, "default")[0]["tags"] for m in self.run1.digests()
                if m.topic == digest_topic("default", feed)]

    def test_declared_language_is_used(self):
        """With no language in its config the feed is read as the German it
        declares: no German stop word in any tag, and every tag starts with
        a capital (German nouns)."""
        self.assertExit(self.run1, 0)
        tags = self.tags("declared")
        self.assertEqual(len(tags), 2)
        for t in (t for ts in tags for t in ts):
            self.assertFalse(set(t.lower().split()) & self.GERMAN_STOP, t)
            self.assertTrue(t[0].isupper(), t)
        self.assertIn("Bibliothek", tags[1] + tags[0])

    def test_config_language_wins(self):
        """language = en in the config wins over the feed's declaration:
        the same articles read as English give other tags, some in lower
        case."""
        english = self.tags("english")
        self.assertEqual(len(english), 2)
        self.assertNotEqual(english, self.tags("declared"))
        self.assertTrue(any(not t[0].isupper() for ts in english for t in ts), english)

    def test_cli_digest_reads_the_same(self):
        """newsdigest digest FILE makes the digests the daemon published,
        says first what the articles are read in (the feed's declared
        language under auto; the config's with -c and --feed), and with
        --json prints the digests alone."""
        path = os.path.join(h.FIXTURES, "nachrichten.rss")
        auto = BUILD.run([BUILD.cli, "digest", "--feed", "declared", path], 10)
        self.assertEqual(auto.rc, 0, auto.describe())
        self.assertTrue(auto.stdout.startswith(
            "(articles read as de-DE, language = auto)\n\n"), auto.stdout)
        english = BUILD.run([BUILD.cli, "digest", "-c", self.conf, "--feed", "english",
                             path], 10)
        self.assertTrue(english.stdout.startswith("(articles read as en)\n\n"),
                        english.stdout)
        js = BUILD.run([BUILD.cli, "digest", "--json", "--feed", "declared", path], 10)
        lines = js.stdout.splitlines()
        self.assertEqual(len(lines), 2, js.stdout)
        def key(d):
            return (d["id"], d["summary"], d["tags"])
        published = [decode_payload(m, "default")[0] for m in self.run1.digests()
                     if m.topic == digest_topic("default", "declared")]
        self.assertEqual(sorted(key(json.loads(l)) for l in lines),
                         sorted(key(d) for d in published))

    def test_log_says_the_language(self):
        """The log says once per feed what its articles are read in, and
        whether the text chose it (language = auto)."""
        err = self.run1.result.stderr
        self.assertEqual(err.count("newsdigestd: feed declared: articles read as de-DE "
                                   "(language = auto)\n"), 1, err)
        self.assertEqual(err.count("newsdigestd: feed english: articles read as en\n"), 1, err)


# ---------------------------------------------------------------- runner

class FeedRemovedWhileStopped(Scenario):
    """Three --once runs on one state dir: feeds local and tech; then the
    config without tech (removed while the daemon was stopped); then the
    same again."""

    TAG = "orphan"

    @classmethod
    def scenario(cls):
        local, tech = cls.serve_both()
        local["backlog"] = tech["backlog"] = "all"
        both = cls.config("both.conf", {"local": local, "tech": tech})
        cls.run1 = cls.run_once(both)
        cls.held1 = h.retained_snapshot(cls.broker, settle_topic="news/status")
        alone = cls.config("alone.conf", {"local": local})
        cls.run2 = cls.run_once(alone)
        cls.held2 = h.retained_snapshot(cls.broker, settle_topic="news/status")
        cls.run3 = cls.run_once(alone)

    def test_removed_feeds_bundle_cleared(self):
        """The run after tech left the config clears its retained latest
        bundle, saying so; local's stays."""
        self.assertExit(self.run2, 0)
        self.assertIn(latest_topic("default", "tech"), self.held1)
        self.assertNotIn(latest_topic("default", "tech"), self.held2)
        self.assertIn(latest_topic("default", "local"), self.held2)
        self.assertIn("news/default/tech/latest: cleared (its feed or profile is gone)",
                      self.run2.result.stderr)

    def test_cleared_once(self):
        """The state of tech keeps no latest digests: the next run has
        nothing to clear and publishes nothing but its status."""
        self.assertExit(self.run3, 0)
        self.assertNotIn("cleared", self.run3.result.stderr)
        self.assertEqual([p.topic for p in self.run3.publishes], ["news/status", "news/status"])


ORDER = [ConfigCheck, CatOptions, PublishAndDeduplicate, BacklogOne, RawProfileAndCat, FailingFeeds,
         BrokerComesLate, DaemonMode, SighupReload, BrokerNeverComes, FeedLanguage,
         FeedRemovedWhileStopped, BrokerSlowToAnswer]


def main(argv):
    suite = h.load_suite(argv, sys.modules[__name__], ORDER)
    if suite is None:
        return 2
    def early():
        if argv[2:]:
            return
        try:
            BrokerNeverComes.start_in_background()
        except Exception as e:      # its setUpClass tries again and reports
            print("could not start the broker-less runs early: %s" % e)
            BrokerNeverComes.stop_background()

    return h.run_suite(suite, before=early, after=BrokerNeverComes.stop_background)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
