#!/usr/bin/env python3
"""
Integration tests of profiles with preset dictionaries (DESIGN §2, §3):
a real newsdigestd, a real mosquitto broker, a real HTTP server, and the
real `newsdigest cat`. Nothing is mocked.

    python3 tests/integration/test_payload.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped".

What is pinned: news/P/dict is published retained (raw bytes,
application/octet-stream) for each profile with a dictionary, cut to what
the profile's window reaches (2^window_bits - 262 bytes, its end kept);
payloads carry FDICT and the dictionary's Adler-32; they inflate with a
window of 2^window_bits and the dictionary, also raw as a small device
does; `newsdigest cat` decodes them with the published dictionary or with
--dict FILE, and says so clearly when it has neither.
"""
import json
import os
import subprocess
import sys
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

# A file dictionary of 3000 bytes: whole in a 2^15 window, cut in a 2^11 one.
WORDS = b"".join(b"word%04d " % i for i in range(334))[:3000]
PROFILES = {
    "tiny": {"window_bits": "9", "dictionary": "builtin"},
    "mid": {"window_bits": "11", "dictionary": "words.dict"},
    "wide": {"window_bits": "15", "dictionary": "words.dict"},
    "plain": {"window_bits": "12"},
    "small": {"window_bits": "9"},
    "lcd": {"compression": "none", "ascii": "yes", "headline_chars": "32"},
}
WINDOW = {"tiny": 9, "mid": 11, "wide": 15, "plain": 12, "small": 9}


def room(bits):
    """The dictionary bytes a window of 2^bits can reach."""
    return (1 << bits) - 262


def finish(proc, timeout=15):
    """Wait (bounded) for a `newsdigest cat`; return (rc, stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=5)
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


class Dictionaries(h.BrokerCase):
    """Six profiles, three with a dictionary; two feeds; one --once run."""

    TAG = "dict"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = h.feed_server(cls)
        cls.http.put_fixture("news2.xml", "news2.rss")
        cls.http.put_fixture("atom.xml", "news.atom")
        with open(cls.path("words.dict"), "wb") as f:
            f.write(WORDS)
        cls.conf = h.daemon_config(
            cls.path("dict.conf"), cls.path("state"), cls.broker.port,
            {"news": {"url": cls.http.url("news2.xml")},
             "atom": {"url": cls.http.url("atom.xml")}}, profiles=PROFILES)
        since = cls.broker.mark()
        port = str(cls.broker.port)
        # Subscribed before the run: live digests, the dictionary retained first.
        cls.cat = BUILD.spawn_cat(["-p", port, "-t", "news/tiny/+/digest", "-t",
                                   "news/wide/+/digest", "--json", "-C", "12", "-W", "30"])
        cls.addClassCleanup(h.stop_process, cls.cat)
        cls.broker.wait_subscription_to("news/wide/+/digest", since)
        sub = h.Subscriber(cls.broker, ["news/#"], name=cls.TAG).start()
        cls.addClassCleanup(sub.stop)
        cls.once = BUILD.run_once(cls.conf)
        sub.wait_for(lambda ms: any(m.topic == "news/status" and b"offline" in m.payload
                                    for m in ms), 10, "the offline status")
        cls.live = sub.live()
        cls.cat_result = finish(cls.cat)
        cls.retained = h.retained_snapshot(cls.broker, ["news/#"], settle_topic="news/status")

    def digests(self, profile):
        return [m for m in self.live if m.topic.startswith("news/%s/" % profile) and
                m.topic.endswith("/digest")]

    def test_run_succeeds(self):
        """The run fetched both feeds and every message was acknowledged."""
        self.assertEqual(self.once.rc, 0, self.once.describe())
        self.assertIn("profile tiny: preset dictionary of 250 bytes", self.once.stderr)

    def test_dictionaries_retained_and_cut_to_the_window(self):
        """news/P/dict is retained for each profile with a dictionary and no
        other, as raw bytes with content type application/octet-stream; a
        file longer than the window reaches is cut to its last
        2^window_bits - 262 bytes; the built-in one too."""
        dicts = {t: m for t, m in self.retained.items() if t.endswith("/dict")}
        self.assertEqual(sorted(dicts), ["news/mid/dict", "news/tiny/dict", "news/wide/dict"])
        for m in dicts.values():
            self.assertEqual(m.content_type, "application/octet-stream")
            self.assertEqual(m.qos, 1)
        self.assertEqual(dicts["news/wide/dict"].payload, WORDS)
        self.assertEqual(dicts["news/mid/dict"].payload, WORDS[-room(11):])
        tiny = dicts["news/tiny/dict"].payload
        self.assertEqual(len(tiny), room(9))
        self.assertTrue(tiny.endswith(b'{"v":1,"id":"'), tiny[-40:])

    def test_payloads_carry_the_dictionary_id(self):
        """Every digest and bundle of a dictionary profile is a zlib stream
        with FDICT, the dictionary's Adler-32 after the header, and the
        profile's window in CINFO; plain profiles have no FDICT."""
        for profile, bits in WINDOW.items():
            msgs = [m for m in self.live if m.topic.startswith("news/%s/" % profile) and
                    m.topic.split("/")[-1] in ("digest", "latest")]
            self.assertEqual(len(msgs), 4 + 2 + 2, profile)
            for m in msgs:
                p = m.payload
                self.assertTrue(h.is_zlib_stream(p))
                self.assertEqual(h.zlib_window_bits(p), bits)
                if "dictionary" not in PROFILES[profile]:
                    self.assertFalse(p[1] & 0x20)
                    continue
                self.assertTrue(p[1] & 0x20, m.topic)
                d = self.retained["news/%s/dict" % profile].payload
                self.assertEqual(int.from_bytes(p[2:6], "big"), zlib.adler32(d))

    def test_inflate_with_the_window_and_dictionary(self):
        """With a window of exactly 2^window_bits and the dictionary, zlib
        inflates each payload whole; raw inflate after skipping the 2-byte
        header and 4-byte id, the window pre-filled with the dictionary,
        gives the same JSON and leaves exactly the Adler-32 trailer, as on
        a device whose inflater rejects FDICT headers."""
        for profile in ("tiny", "mid", "wide"):
            bits = WINDOW[profile]
            d = self.retained["news/%s/dict" % profile].payload
            for m in self.digests(profile):
                z = zlib.decompressobj(bits, zdict=d)
                js = z.decompress(m.payload)
                self.assertTrue(z.eof and not z.unused_data)
                self.assertEqual(json.loads(js)["feed"], m.topic.split("/")[2])
                raw = zlib.decompressobj(-bits, zdict=d)
                self.assertEqual(raw.decompress(m.payload[6:]), js)
                self.assertEqual(raw.unused_data, zlib.adler32(js).to_bytes(4, "big"))
                # Without the dictionary, zlib refuses it.
                with self.assertRaises(zlib.error):
                    zlib.decompressobj(bits).decompress(m.payload)

    def test_dictionary_makes_payloads_smaller(self):
        """The same digests are smaller with the built-in dictionary than
        without, at the same window of 2^9 bytes."""
        tiny = sum(len(m.payload) for m in self.digests("tiny"))
        small = sum(len(m.payload) for m in self.digests("small"))
        self.assertLess(tiny, small)

    def test_cat_decodes_with_the_published_dictionary(self):
        """`newsdigest cat` subscribed before the run received the retained
        dictionaries first and printed every digest of both dictionary
        profiles as its JSON, then stopped at -C 12."""
        rc, out, err = self.cat_result
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        want = []
        for profile in ("tiny", "wide"):
            d = self.retained["news/%s/dict" % profile].payload
            want += [zlib.decompressobj(WINDOW[profile], zdict=d).decompress(m.payload)
                     .decode() for m in self.digests(profile)]
        self.assertEqual(sorted(out.splitlines()), sorted(want))

    def test_ascii_profile_beside_them(self):
        """The ascii, uncompressed profile runs beside the dictionary ones:
        plain JSON, printable ASCII only, headline within 32 characters."""
        msgs = self.digests("lcd")
        self.assertEqual(len(msgs), 6)
        for m in msgs:
            self.assertEqual(m.encoding, "identity")
            self.assertTrue(all(0x20 <= b < 0x7f for b in m.payload), m.payload)
            self.assertLessEqual(len(json.loads(m.payload)["title"]), 32)


class CatWithoutDictionary(h.BrokerCase):
    """`newsdigest cat` when the dictionary topic is gone: a clear message,
    or --dict FILE."""

    TAG = "nodict"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = h.feed_server(cls)
        cls.http.put_fixture("news1.xml", "news1.rss")
        with open(cls.path("words.dict"), "wb") as f:
            f.write(WORDS)
        profiles = {"mid": PROFILES["mid"], "tiny": PROFILES["tiny"]}
        cls.conf = h.daemon_config(cls.path("nodict.conf"), cls.path("state"),
                                   cls.broker.port, {"news": {"url": cls.http.url("news1.xml")}},
                                   profiles=profiles)
        cls.once = BUILD.run_once(cls.conf)
        cls.tiny_dict = h.retained_snapshot(cls.broker, ["news/tiny/dict"])["news/tiny/dict"]
        # Clear the retained dictionaries, as a broker that lost them would.
        for p in profiles:
            res = BUILD.run(["mosquitto_pub", "-p", str(cls.broker.port), "-t",
                             "news/%s/dict" % p, "-r", "-n", "-q", "1"], 10)
            assert res.rc == 0, res.describe()

    def cat(self, *args):
        return finish(BUILD.spawn_cat(["-p", str(self.broker.port), "-C", "1", "-W", "5",
                                       "--json"] + list(args)))

    def test_missing_dictionary_is_named(self):
        """Without the dictionary, cat names the topic, the dictionary id
        and where it should have come from, and exits 1."""
        self.assertEqual(self.once.rc, 0, self.once.describe())
        rc, out, err = self.cat("-t", "news/mid/news/latest")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        ident = zlib.adler32(WORDS[-room(11):])
        self.assertEqual(err, "newsdigest: news/mid/news/latest: needs the preset dictionary "
                         "%08x, which was not published on news/mid/dict; give it with "
                         "--dict FILE\n" % ident)

    def test_dict_file_cut_like_the_daemon(self):
        """--dict FILE with the file the config names: cat cuts it to the
        window of the payload, as the daemon did, and decodes the bundle."""
        rc, out, err = self.cat("-t", "news/mid/news/latest", "--dict", self.path("words.dict"))
        self.assertEqual((rc, err), (0, ""))
        bundle = json.loads(out)
        self.assertEqual(sorted(d["id"] for d in bundle),
                         sorted(h.item_id("news", it.guid) for it in h.fixture_items("news1.rss")))

    def test_dict_file_of_the_builtin(self):
        """The built-in dictionary, saved from its retained topic to a
        file, decodes with --dict too."""
        with open(self.path("tiny.dict"), "wb") as f:
            f.write(self.tiny_dict.payload)
        rc, out, err = self.cat("-t", "news/tiny/news/latest", "--dict", self.path("tiny.dict"))
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(len(json.loads(out)), 3)

    def test_dict_file_missing(self):
        """A --dict file that cannot be read is an error before connecting."""
        rc, out, err = self.cat("--dict", self.path("nope.dict"))
        self.assertEqual(rc, 1)
        self.assertEqual(err, "newsdigest: %s: No such file or directory\n"
                         % self.path("nope.dict"))


if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], (Dictionaries, CatWithoutDictionary)))
