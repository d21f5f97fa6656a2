#!/usr/bin/env python3
"""
newsdigestd as a service: systemd's notify protocol, SIGHUP reload, logging
for the journal, the unit file and `make install`. Real parts only: a real
mosquitto, a real HTTP server, a unix datagram socket standing in for
systemd's notify socket, systemd-analyze where it is installed.

    python3 tests/integration/test_service.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped".
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()

NEW_GUID = "harbourline-local-20261117-004"   # the item news2.rss adds to news1.rss
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
GROFF = shutil.which("groff")


class NotifySocket:
    """A unix datagram socket where systemd's would be: bound to a path or
    an abstract "@name", it records every datagram with its arrival time."""

    def __init__(self, address):
        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + address[1:] if address.startswith("@") else address)
        self.sock.settimeout(0.1)
        self._datagrams = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._datagrams.append((time.monotonic(), data.decode("utf-8", "replace")))

    def datagrams(self):
        """(arrival time, text) of every datagram so far."""
        with self._lock:
            return list(self._datagrams)

    def states(self):
        """(arrival time, KEY, VALUE) of every line of every datagram, in order."""
        out = []
        for t, text in self.datagrams():
            for line in text.split("\n"):
                k, _, v = line.partition("=")
                out.append((t, k, v))
        return out

    def times(self, key, value=None):
        """Arrival times of KEY (=VALUE)."""
        return [t for t, k, v in self.states() if k == key and value in (None, v)]

    def values(self, key):
        return [v for _, k, v in self.states() if k == key]

    def wait_for(self, key, value=None, count=1, timeout=10.0):
        """Wait until KEY (=VALUE) arrived count times; return the arrival times."""
        return h.wait_until(lambda: (lambda ts: ts if len(ts) >= count else None)(
            self.times(key, value)), timeout, "%d notify datagram(s) %s%s" % (
                count, key, "" if value is None else "=" + value))

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


def clean_env(**extra):
    """The environment for a daemon: ours without systemd's variables, plus extra."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM")}
    env.update(extra)
    return env


def spawn(config, logpath, env, args=(), journal=False):
    """Start newsdigestd -c config [ARGS] with env, stderr to logpath. With
    journal, JOURNAL_STREAM names logpath's device and inode, as systemd
    sets it for a service whose stderr is the journal."""
    with open(logpath, "wb") as log:
        if journal:
            st = os.fstat(log.fileno())
            env = dict(env, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
        return h.track(subprocess.Popen([BUILD.daemon, "-c", config] + list(args),
                                        stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, env=env))


def digest_ids(messages, feed):
    """The ids of the digests of feed (profile default), in arrival order."""
    return [json.loads(m.text())["id"] for m in messages
            if m.topic == "news/default/%s/digest" % feed and not m.retain]


# ---------------------------------------------------------------- notify

class Notify(unittest.TestCase):
    """Type=notify: the daemon starts while the broker is down, with
    NOTIFY_SOCKET (a path), WATCHDOG_USEC=400000 and its stderr the
    "journal" (JOURNAL_STREAM matches it), and -v; the broker comes 1.5 s
    later; then SIGTERM."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = h.make_workdir("notify")
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        cls.broker = h.Broker(cls.workdir)
        cls.addClassCleanup(cls.broker.stop)
        cls.feeds = h.feed_server(cls)
        cls.feeds.put_fixture("news.rss", "news1.rss")
        conf = h.daemon_config(os.path.join(cls.workdir, "newsdigest.conf"),
                               os.path.join(cls.workdir, "state"), cls.broker.port,
                               {"local": {"url": cls.feeds.url("news.rss"), "interval": "1h"}},
                               client_id="nd-notify", daemon={"stats_interval": "1s"})
        cls.notify = NotifySocket(os.path.join(cls.workdir, "notify.sock"))
        cls.addClassCleanup(cls.notify.close)
        cls.logpath = os.path.join(cls.workdir, "daemon.log")
        cls.proc = spawn(conf, cls.logpath, clean_env(NOTIFY_SOCKET=cls.notify.address,
                                                      WATCHDOG_USEC="400000"),
                         args=["-v"], journal=True)
        cls.addClassCleanup(h.stop_process, cls.proc, 3.0, signal.SIGKILL)
        # Pinged while the broker is away: the loop turns, not ready yet.
        cls.notify.wait_for("WATCHDOG", "1", count=3, timeout=5)
        h.wait_until(lambda: any("unreachable" in v for v in cls.notify.values("STATUS")), 5,
                     "a STATUS saying the broker is unreachable")
        cls.ready_before_broker = cls.notify.times("READY")
        cls.broker_at = time.monotonic()
        cls.broker.start()
        cls.notify.wait_for("READY", "1", timeout=10)
        cls.connected_status = "connected to 127.0.0.1:%d, 1 feed, 0 queued" % cls.broker.port
        h.wait_until(lambda: cls.connected_status in cls.notify.values("STATUS"), 10,
                     "STATUS=" + cls.connected_status)
        cls.pings_before_stop = len(cls.notify.times("WATCHDOG"))
        cls.sigterm_at = time.monotonic()
        cls.proc.send_signal(signal.SIGTERM)
        try:
            cls.rc = cls.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.rc = None
        cls.log = h.LogFile(cls.logpath).text()

    def test_ready_only_after_the_broker_connected(self):
        """READY=1 is sent once, after the broker came up and the session
        was established, never while it was unreachable; it carries the
        status line."""
        self.assertEqual(self.ready_before_broker, [])
        ready = self.notify.times("READY", "1")
        self.assertEqual(len(ready), 1, self.notify.datagrams())
        self.assertGreater(ready[0], self.broker_at)
        texts = [text for _, text in self.notify.datagrams() if text.startswith("READY=1")]
        self.assertEqual(texts, ["READY=1\nSTATUS=connected to 127.0.0.1:%d, 1 feed, %s queued"
                                 % (self.broker.port, re.search(r"(\d+) queued$",
                                                                texts[0]).group(1))])
        self.assertRegex(self.log, r"(?m)^<6>mqtt: connected to 127\.0\.0\.1:%d$"
                         % self.broker.port)

    def test_status_lines(self):
        """STATUS= says what the daemon is doing: connecting, the broker
        unreachable with the reason, then connected with feeds and queue;
        each sent only when it changed."""
        statuses = self.notify.values("STATUS")
        self.assertEqual(statuses[0], "connecting to 127.0.0.1:%d" % self.broker.port)
        self.assertIn("broker 127.0.0.1:%d unreachable: Connection refused; 0 queued"
                      % self.broker.port, statuses)
        self.assertIn(self.connected_status, statuses)
        # Only changes are sent (the READY datagram repeats the current one).
        plain = [text for _, text in self.notify.datagrams() if text.startswith("STATUS=")]
        self.assertFalse(any(a == b for a, b in zip(plain, plain[1:])), plain)

    def test_watchdog_pings_from_the_loop(self):
        """With WATCHDOG_USEC=400000 the loop sends WATCHDOG=1 every 0.2 s,
        before and after READY=1."""
        pings = self.notify.times("WATCHDOG", "1")
        ready = self.notify.times("READY", "1")[0]
        self.assertGreaterEqual(len([t for t in pings if t < ready]), 3)
        self.assertGreaterEqual(len([t for t in pings if t > ready]), 1)

    def test_stopping_on_sigterm(self):
        """SIGTERM: STOPPING=1 is sent, the daemon exits 0."""
        self.assertEqual(self.rc, 0, self.log)
        stopping = self.notify.times("STOPPING", "1")
        self.assertEqual(len(stopping), 1)
        self.assertGreater(stopping[0], self.sigterm_at)
        self.assertIn("stopping, 0 queued", self.notify.values("STATUS"))

    def test_journal_lines_carry_the_priority(self):
        """With JOURNAL_STREAM naming stderr, every line is "<N>message":
        the syslog priority, no program name (the journal adds it)."""
        lines = self.log.splitlines()
        self.assertTrue(lines)
        bad = [l for l in lines if not re.match(r"<[3467]>\S", l)]
        self.assertEqual(bad, [])
        self.assertRegex(self.log, r"(?m)^<4>mqtt: 127\.0\.0\.1:%d: Connection refused; "
                         r"retrying in 1s$" % self.broker.port)
        self.assertRegex(self.log, r"(?m)^<6>signal 15: stopping")

    def test_library_messages_go_through_our_log(self):
        """libmosquitto's and libcurl's own messages come through our log at
        debug level (-v), with the journal prefix."""
        self.assertRegex(self.log, r"(?m)^<7>mosquitto: Client nd-notify sending CONNECT$")
        self.assertRegex(self.log, r"(?m)^<7>curl: .*127\.0\.0\.1")


class WatchdogOfAnotherProcess(unittest.TestCase):
    """WATCHDOG_PID names another process: the watchdog is not ours."""

    def test_no_pings_when_watchdog_pid_is_another(self):
        """With WATCHDOG_PID=1 the daemon sends READY=1 but no WATCHDOG=1
        in the 1.2 s after it (3 intervals of 0.4 s); without
        JOURNAL_STREAM its log keeps the terminal format."""
        workdir = h.make_workdir("wdpid")
        self.addCleanup(h.remove_workdir, workdir)
        broker = h.Broker(workdir).start()
        self.addCleanup(broker.stop)
        url = "file://" + os.path.join(h.FIXTURES, "news.atom")
        conf = h.daemon_config(os.path.join(workdir, "c.conf"), os.path.join(workdir, "state"),
                               broker.port, {"tech": {"url": url, "interval": "1h"}})
        notify = NotifySocket("@nd-test-wdpid-%d" % os.getpid())
        self.addCleanup(notify.close)
        logpath = os.path.join(workdir, "daemon.log")
        proc = spawn(conf, logpath, clean_env(NOTIFY_SOCKET=notify.address,
                                              WATCHDOG_USEC="400000", WATCHDOG_PID="1",
                                              JOURNAL_STREAM="1:1"))
        self.addCleanup(h.stop_process, proc, 3.0, signal.SIGKILL)
        ready = notify.wait_for("READY", "1")[0]
        h.wait_until(lambda: time.monotonic() > ready + 1.2, 3, "1.2 s")
        self.assertEqual(notify.times("WATCHDOG"), [])
        self.assertEqual(h.stop_process(proc), 0)
        log = h.LogFile(logpath).text()
        self.assertRegex(log, r"(?m)^newsdigestd: mqtt: connected to 127\.0\.0\.1:%d$"
                         % broker.port)
        self.assertNotRegex(log, r"(?m)^<\d>")


# ---------------------------------------------------------------- reload

class Reload(unittest.TestCase):
    """SIGHUP with a real broker and HTTP server, four times:

    v1: local (news1.rss, 1h), steady (news.atom, 1h), gone (news1.rss, 1s)
    v2: local now on news2.rss; steady as it was; gone removed; extra
        (news.atom under another name, 1s) added       -> taken
    v3: v2 with two errors, extra removed, never added  -> refused
    v4: v2 with another state_dir, later added          -> refused
    """

    @classmethod
    def conf(cls, name, feeds, state="state", extra_lines=()):
        path = h.daemon_config(os.path.join(cls.workdir, name), os.path.join(cls.workdir, state),
                               cls.broker.port, feeds, client_id="nd-reload")
        if extra_lines:
            with open(path, "a", encoding="utf-8") as f:
                f.write("\n".join(extra_lines) + "\n")
        shutil.copyfile(path, cls.confpath)
        return path

    @classmethod
    def hup(cls):
        """Send SIGHUP; wait for the READY=1 that ends the reload."""
        n = len(cls.notify.times("READY", "1"))
        cls.proc.send_signal(signal.SIGHUP)
        cls.notify.wait_for("READY", "1", count=n + 1)

    @classmethod
    def gets(cls, name):
        return len(cls.feeds.requests_for(name))

    @classmethod
    def setUpClass(cls):
        cls.workdir = h.make_workdir("reload")
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        cls.broker = h.Broker(cls.workdir).start()
        cls.addClassCleanup(cls.broker.stop)
        cls.feeds = h.feed_server(cls)
        for name, fixture in (("one.rss", "news1.rss"), ("two.rss", "news2.rss"),
                              ("tech.atom", "news.atom"), ("gone.rss", "news1.rss"),
                              ("extra.atom", "news.atom"), ("never.rss", "news1.rss"),
                              ("later.rss", "news1.rss")):
            cls.feeds.put_fixture(name, fixture)
        u = cls.feeds.url
        local1 = {"url": u("one.rss"), "interval": "1h"}
        steady = {"url": u("tech.atom"), "interval": "1h"}
        gone = {"url": u("gone.rss"), "interval": "1s"}
        cls.v2 = {"local": {"url": u("two.rss"), "interval": "1h"}, "steady": steady,
                  "extra": {"url": u("extra.atom"), "interval": "1s"}}
        cls.confpath = os.path.join(cls.workdir, "newsdigest.conf")
        cls.conf("v1.conf", {"local": local1, "steady": steady, "gone": gone})
        cls.sub = h.Subscriber(cls.broker, name="reload").start()
        cls.addClassCleanup(cls.sub.stop)
        cls.notify = NotifySocket("@nd-test-reload-%d" % os.getpid())
        cls.addClassCleanup(cls.notify.close)
        cls.logpath = os.path.join(cls.workdir, "daemon.log")
        cls.log = h.LogFile(cls.logpath)
        cls.proc = spawn(cls.confpath, cls.logpath, clean_env(NOTIFY_SOCKET=cls.notify.address))
        cls.addClassCleanup(h.stop_process, cls.proc, 3.0, signal.SIGKILL)
        cls.sub.wait_for(lambda ms: len(digest_ids(ms, "local")) == 3 and
                         len(digest_ids(ms, "steady")) == 2 and len(digest_ids(ms, "gone")) == 3,
                         15, "the digests of v1")
        h.wait_until(lambda: cls.gets("gone.rss") >= 2, 10, "gone.rss fetched again")

        # v2: taken.
        cls.v1_ids = {f: digest_ids(cls.sub.messages, f) for f in ("local", "steady", "gone")}
        cls.conf("v2.conf", cls.v2)
        cls.hup_at = time.monotonic()
        cls.hup()
        cls.log.wait_for(r"configuration reloaded", 5)
        cls.gone_gets_at_reload = cls.gets("gone.rss")
        cls.steady_gets_at_reload = cls.gets("tech.atom")
        cls.sub.wait_for(lambda ms: len(digest_ids(ms, "extra")) == 2 and
                         len(digest_ids(ms, "local")) == 4, 10, "the digests of v2")
        h.wait_until(lambda: cls.gets("extra.atom") >= 3, 10, "extra.atom fetched 3 times")
        cls.v2_ids = {f: digest_ids(cls.sub.messages, f) for f in ("local", "steady", "gone",
                                                                    "extra")}
        cls.gone_gets_later = cls.gets("gone.rss")
        cls.steady_gets_later = cls.gets("tech.atom")

        # v3: errors, refused.
        feeds3 = dict(cls.v2)
        del feeds3["extra"]
        feeds3["never"] = {"url": u("never.rss"), "interval": "soon"}
        path3 = cls.conf("v3.conf", feeds3, extra_lines=["bogus = 1"])
        with open(path3, encoding="utf-8") as f:
            text = f.read().splitlines()
        cls.v3_lines = (text.index("interval = soon") + 1, text.index("bogus = 1") + 1)
        extra_before = cls.gets("extra.atom")
        cls.hup()
        cls.log.wait_for(r"configuration not reloaded: 2 errors", 5)
        h.wait_until(lambda: cls.gets("extra.atom") >= extra_before + 2, 10,
                     "extra.atom still fetched after the refused config")

        # v4: state_dir changed, refused.
        feeds4 = dict(cls.v2)
        feeds4["later"] = {"url": u("later.rss"), "interval": "1s"}
        cls.conf("v4.conf", feeds4, state="state2")
        extra_before = cls.gets("extra.atom")
        cls.hup()
        cls.log.wait_for(r"configuration not reloaded: \[daemon\] state_dir changed", 5)
        h.wait_until(lambda: cls.gets("extra.atom") >= extra_before + 2, 10,
                     "extra.atom still fetched after the state_dir change")
        cls.alive = cls.proc.poll() is None
        cls.rc = h.stop_process(cls.proc, 10.0)
        cls.final_ids = {f: digest_ids(cls.sub.messages, f) for f in
                         ("local", "steady", "gone", "extra", "never", "later")}

    def test_added_feed_starts(self):
        """A feed added to the file is fetched and its 2 digests published."""
        self.assertEqual(len(self.v2_ids["extra"]), 2)
        self.assertEqual(len(set(self.v2_ids["extra"]) & set(self.v1_ids["steady"])), 0)
        self.assertRegex(self.log.text(), r"(?m)^newsdigestd: feed extra: added$")

    def test_changed_feed_restarts_with_its_state(self):
        """local moved to a URL serving one more item: it is fetched again
        at once and only that item is published; the 3 it had already
        published stay seen."""
        ids = self.v2_ids["local"]
        self.assertEqual(ids[:3], self.v1_ids["local"])
        self.assertEqual(ids[3:], [h.item_id("local", NEW_GUID)])
        self.assertEqual(len(self.feeds.requests_for("two.rss")), 1)
        self.assertRegex(self.log.text(), r"(?m)^newsdigestd: feed local: changed, fetching "
                         r"it again$")
        # The old URL's validators are not sent to the new one.
        headers = self.feeds.requests_for("two.rss")[0]
        self.assertNotIn("If-Modified-Since", headers)
        self.assertNotIn("If-None-Match", headers)

    def test_unchanged_feed_keeps_its_timer(self):
        """steady (interval 1h) is not fetched again by a reload, and
        publishes nothing new."""
        self.assertEqual(self.steady_gets_at_reload, 1)
        self.assertEqual(self.steady_gets_later, 1)
        self.assertEqual(self.final_ids["steady"], self.v1_ids["steady"])

    def test_removed_feed_stops(self):
        """gone (interval 1s) is not fetched after the reload took effect."""
        self.assertEqual(self.gone_gets_later, self.gone_gets_at_reload)
        self.assertEqual(self.final_ids["gone"], self.v1_ids["gone"])
        self.assertRegex(self.log.text(), r"(?m)^newsdigestd: feed gone: removed$")
        self.assertRegex(self.log.text(), r"(?m)^newsdigestd: configuration reloaded: 3 feeds "
                         r"\(1 added, 1 changed, 1 removed\)$")

    def test_broken_config_is_refused_with_every_error(self):
        """A config with errors: each is logged as FILE:LINE: message, the
        reload is refused and the running config stays (extra still
        fetched, never not started)."""
        text = self.log.text()
        path = re.escape(self.confpath)
        self.assertRegex(text, r"(?m)^newsdigestd: warning: %s:%d: interval: \"soon\" is not a "
                         r"duration" % (path, self.v3_lines[0]))
        self.assertRegex(text, r"(?m)^newsdigestd: warning: %s:%d: unknown key \"bogus\""
                         % (path, self.v3_lines[1]))
        self.assertRegex(text, r"(?m)^newsdigestd: warning: configuration not reloaded: 2 "
                         r"errors; the running one stays$")
        self.assertEqual(self.feeds.requests_for("never.rss"), [])
        self.assertEqual(self.final_ids["never"], [])

    def test_state_dir_change_needs_a_restart(self):
        """A changed state_dir is refused with a line saying a restart is
        needed; nothing of that file is applied (later not started)."""
        self.assertRegex(self.log.text(), r"(?m)^newsdigestd: warning: configuration not "
                         r"reloaded: \[daemon\] state_dir changed; restart newsdigestd to apply "
                         r"that$")
        self.assertEqual(self.feeds.requests_for("later.rss"), [])
        self.assertEqual(len(re.findall(r"mqtt: connected", self.log.text())), 1)

    def test_keeps_running_and_stops_cleanly(self):
        """After all this the daemon still runs and stops with 0; no
        digest was published twice."""
        self.assertTrue(self.alive)
        self.assertEqual(self.rc, 0, self.log.text())
        for feed, ids in self.final_ids.items():
            self.assertEqual(len(ids), len(set(ids)), feed)

    def test_reloading_then_ready_on_the_notify_socket(self):
        """Each SIGHUP sends RELOADING=1 (with MONOTONIC_USEC) and, when done
        (taken or refused), READY=1, to an abstract notify socket."""
        texts = [text for _, text in self.notify.datagrams()
                 if text.startswith(("RELOADING=", "READY="))]
        self.assertEqual(len(texts), 7, texts)
        self.assertTrue(texts[0].startswith("READY=1"))
        for i in range(3):
            self.assertRegex(texts[1 + 2 * i], r"^RELOADING=1\nMONOTONIC_USEC=\d+$")
            self.assertTrue(texts[2 + 2 * i].startswith("READY=1\nSTATUS=connected to "))
        self.assertIn("connected to 127.0.0.1:%d, 3 feeds, 0 queued" % self.broker.port,
                      self.notify.values("STATUS"))


class ReloadWhileBrokerAway(unittest.TestCase):
    """A feed removed while its digests wait for the broker."""

    def test_removed_feeds_digests_still_go_out(self):
        """The broker is down; feed a's 3 digests wait in the outbox; a
        reload removes a; when the broker comes, the 3 digests are
        published all the same (removing a feed loses nothing queued),
        and b's 2 as well."""
        workdir = h.make_workdir("reload-away")
        self.addCleanup(h.remove_workdir, workdir)
        broker = h.Broker(workdir)
        self.addCleanup(broker.stop)
        fixture = lambda name: "file://" + os.path.join(h.FIXTURES, name)  # noqa: E731
        a = {"url": fixture("news1.rss"), "interval": "1h"}
        b = {"url": fixture("news.atom"), "interval": "1h"}
        confpath = os.path.join(workdir, "newsdigest.conf")
        h.daemon_config(confpath, os.path.join(workdir, "state"), broker.port,
                        {"a": a, "b": b}, client_id="nd-away")
        logpath = os.path.join(workdir, "daemon.log")
        log = h.LogFile(logpath)
        proc = spawn(confpath, logpath, clean_env())
        self.addCleanup(h.stop_process, proc, 3.0, signal.SIGKILL)
        log.wait_for(r"feed a: 3 new articles", 10)
        h.daemon_config(confpath, os.path.join(workdir, "state"), broker.port, {"b": b},
                        client_id="nd-away")
        proc.send_signal(signal.SIGHUP)
        log.wait_for(r"configuration reloaded: 1 feed \(0 added, 0 changed, 1 removed\)", 5)
        broker.start()
        h.wait_until(lambda: len([p for p in broker.publishes("nd-away")
                                  if p.topic.endswith("/digest")]) >= 5, 20,
                     "the 5 digests at the broker")
        topics = sorted(p.topic for p in broker.publishes("nd-away")
                        if p.topic.endswith("/digest"))
        self.assertEqual(topics, ["news/default/a/digest"] * 3 + ["news/default/b/digest"] * 2)
        self.assertEqual(h.stop_process(proc, 10.0), 0, log.text())


class LiveReload(unittest.TestCase):
    """A daemon whose feed local (one.rss on a real HTTP server, news1.rss
    at first) is fetched every second; the tests rewrite its config file
    (write()) and send SIGHUP."""

    CLIENT_ID = None

    @classmethod
    def prepare(cls, tag, nbrokers=1):
        """Make the workdir, nbrokers brokers and the feed server; return the brokers."""
        cls.workdir = h.make_workdir(tag)
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        brokers = []
        for _ in range(nbrokers):
            brokers.append(h.Broker(cls.workdir).start())
            cls.addClassCleanup(brokers[-1].stop)
        cls.feeds = h.feed_server(cls)
        cls.feeds.put_fixture("one.rss", "news1.rss")
        cls.confpath = os.path.join(cls.workdir, "newsdigest.conf")
        return brokers

    @classmethod
    def write(cls, broker, feeds=("local",), **keys):
        """Write the config for broker, each of feeds reading one.rss;
        keys as h.daemon_config() takes them."""
        h.daemon_config(cls.confpath, os.path.join(cls.workdir, "state"), broker.port,
                        {f: {"url": cls.feeds.url("one.rss"), "interval": "1s"} for f in feeds},
                        client_id=cls.CLIENT_ID, **keys)

    @classmethod
    def start(cls, args=()):
        """Start the daemon on the config written last; its log is cls.log."""
        logpath = os.path.join(cls.workdir, "daemon.log")
        cls.log = h.LogFile(logpath)
        cls.proc = spawn(cls.confpath, logpath, clean_env(), args=args)
        cls.addClassCleanup(h.stop_process, cls.proc, 3.0, signal.SIGKILL)

    @classmethod
    def stop(cls):
        """Stop the daemon; note whether it still ran, its status and its log."""
        cls.alive = cls.proc.poll() is None
        cls.rc = h.stop_process(cls.proc, 10.0)
        cls.text = cls.log.text()


class ReloadToAnotherBroker(LiveReload):
    """SIGHUP after [mqtt] moved to another broker (the port changed, the
    rest kept), three times:

    v2: old -> new, a digest unacknowledged by old (stopped with SIGSTOP:
        its socket takes the bytes and nothing answers)
    v3: new -> old, both answering: a clean handover
    v4: a password_file that does not exist   -> refused
    """

    CLIENT_ID = "nd-move"

    @classmethod
    def setUpClass(cls):
        cls.old, cls.new = cls.prepare("reload-mqtt", 2)
        cls.write(cls.old)
        cls.sub_old = h.Subscriber(cls.old, name="move-old").start()
        cls.addClassCleanup(cls.sub_old.stop)
        cls.sub_new = h.Subscriber(cls.new, name="move-new").start()
        cls.addClassCleanup(cls.sub_new.stop)
        cls.start(("-v",))
        cls.sub_old.wait_for(lambda ms: len(digest_ids(ms, "local")) == 3, 10,
                             "the 3 digests at the old broker")
        published = r"published \d+ bytes to news/default/local/digest"
        cls.log.wait_for(published, 5, count=3)

        # The old broker stops answering; a fourth item comes and is handed to it.
        cls.old.signal(signal.SIGSTOP)
        cls.feeds.put_fixture("one.rss", "news2.rss")
        cls.log.wait_for(published, 10, count=4)

        # v2: the other broker.
        cls.write(cls.new)
        cls.proc.send_signal(signal.SIGHUP)
        cls.log.wait_for(r"configuration reloaded", 5)
        cls.sub_new.wait_for(lambda ms: h.item_id("local", NEW_GUID) in digest_ids(ms, "local"),
                             10, "the fourth digest at the new broker")
        cls.old.signal(signal.SIGCONT)

        # v3: back to the old broker, which answers again.
        cls.write(cls.old)
        cls.proc.send_signal(signal.SIGHUP)
        cls.log.wait_for(r"mqtt: connected to 127\.0\.0\.1:%d" % cls.old.port, 5, count=2)
        cls.status_old = h.retained_snapshot(cls.old, ("news/status",), "news/status")
        cls.status_new = h.retained_snapshot(cls.new, ("news/status",), "news/status")

        # v4: the password file named cannot be read: refused.
        cls.write(cls.old, mqtt={"username": "nd",
                                 "password_file": os.path.join(cls.workdir, "missing")})
        cls.proc.send_signal(signal.SIGHUP)
        cls.log.wait_for(r"configuration not reloaded: 1 error", 5)
        cls.gets_after_v3 = len(cls.feeds.requests_for("one.rss"))
        h.wait_until(lambda: len(cls.feeds.requests_for("one.rss")) >= cls.gets_after_v3 + 2,
                     10, "one.rss still fetched after the refused config")
        cls.stop()

    def test_moves_to_the_new_broker(self):
        """The reload is taken (no restart), says where it connects and
        that what the old connection held goes out again; the new broker
        gets the unacknowledged digest, with the daemon's client id."""
        self.assertRegex(self.text, r"(?m)^newsdigestd: mqtt: connecting to 127\.0\.0\.1:%d as "
                         r"the configuration now says; \d+ messages? unacknowledged on the old "
                         r"connection go(es)? out again$" % self.new.port)
        self.assertRegex(self.text, r"(?m)^newsdigestd: mqtt: connected to 127\.0\.0\.1:%d"
                         % self.new.port)
        self.assertIn("news/default/local/digest",
                      [p.topic for p in self.new.publishes("nd-move")])

    def test_nothing_lost_on_the_way(self):
        """Every item's digest reached one broker or the other: the 3 at
        the old, the fourth at the new."""
        got = set(digest_ids(self.sub_old.messages, "local")) | set(
            digest_ids(self.sub_new.messages, "local"))
        self.assertEqual(len(got), 4, got)
        self.assertIn(h.item_id("local", NEW_GUID), digest_ids(self.sub_new.messages, "local"))

    def test_broker_left_keeps_offline(self):
        """After the handover back, the broker left behind keeps offline as
        the retained status (the daemon said so before it left: a clean
        disconnect fires no will), the one it went to online."""
        self.assertEqual(json.loads(self.status_new["news/status"].text()), {"state": "offline"})
        self.assertEqual(json.loads(self.status_old["news/status"].text())["state"], "online")
        self.assertEqual(len(re.findall(r"as the configuration now says", self.text)), 2)

    def test_unreadable_password_file_is_refused(self):
        """A password_file that cannot be read: the reload is refused with
        the file named, the connection stays (no third "connecting to ...
        as the configuration now says"), the
        feed is still fetched and the daemon stops with 0."""
        missing = os.path.join(self.workdir, "missing")
        self.assertRegex(self.text, r"(?m)^newsdigestd: warning: .*password_file %s"
                         % re.escape(missing))
        self.assertRegex(self.text, r"(?m)^newsdigestd: warning: configuration not reloaded: 1 "
                         r"error; the running one stays$")
        self.assertEqual(len(re.findall(r"as the configuration now says", self.text)), 2)
        # The handover back: what is unacknowledged then, if anything, is counted.
        self.assertRegex(self.text, r"(?m)^newsdigestd: mqtt: connecting to 127\.0\.0\.1:%d as "
                         r"the configuration now says(; [1-9]\d* messages? unacknowledged on "
                         r"the old connection go(es)? out again)?$" % self.old.port)
        self.assertTrue(self.alive)
        self.assertEqual(self.rc, 0, self.text)


class ReloadProfiles(LiveReload):
    """SIGHUP with changed profiles, while a feed runs:

    v1: default (latest 10), lcd (latest 2), frame (a dictionary); feeds
        local (3 items) and other
    v2: default with summary_chars 40; lcd and frame removed; epaper added
        (tags 1); other removed; local gains a fourth item
    """

    @classmethod
    def bundle(cls, profile, feed="local"):
        """The last latest bundle of feed for profile: its digests' ids."""
        msgs = [m for m in cls.sub.messages if m.topic == "news/%s/%s/latest" % (profile, feed)]
        return [d["id"] for d in json.loads(msgs[-1].text())] if msgs else None

    @classmethod
    def digests(cls, profile):
        return [json.loads(m.text()) for m in cls.sub.messages
                if m.topic == "news/%s/local/digest" % profile]

    CLIENT_ID = "nd-profiles"

    @classmethod
    def setUpClass(cls):
        cls.broker, = cls.prepare("reload-profiles")
        cls.write(cls.broker, ("local", "other"), profiles={
            "default": {}, "lcd": {"latest": 2, "compression": "none"},
            "frame": {"dictionary": "builtin"}})
        cls.sub = h.Subscriber(cls.broker, name="profiles").start()
        cls.addClassCleanup(cls.sub.stop)
        cls.start()
        bundles = {"news/%s/%s/latest" % (p, f) for p in ("default", "lcd", "frame")
                   for f in ("local", "other")}
        cls.sub.wait_for(lambda ms: bundles <= {m.topic for m in ms}, 10, "the v1 bundles")
        cls.v1 = {p: cls.bundle(p) for p in ("default", "lcd")}
        cls.held1 = h.retained_snapshot(cls.broker, settle_topic="news/status")

        cls.write(cls.broker, profiles={"default": {"summary_chars": 40},
                                        "epaper": {"tags": 1, "compression": "none"}})
        cls.proc.send_signal(signal.SIGHUP)
        cls.log.wait_for(r"configuration reloaded", 5)
        cls.feeds.put_fixture("one.rss", "news2.rss")
        cls.new_id = h.item_id("local", NEW_GUID)
        cls.sub.wait_for(lambda ms: cls.bundle("epaper") is not None and
                         cls.new_id in (cls.bundle("default") or []), 10, "the v2 bundles")
        cls.held2 = h.retained_snapshot(cls.broker, settle_topic="news/status")
        cls.stop()

    def test_latest_bundle_holds_the_profiles_count(self):
        """v1: each profile's bundle holds its own latest count, newest
        first: default all 3, lcd 2 (the state keeps as many as the
        largest count)."""
        self.assertEqual(len(self.v1["default"]), 3)
        self.assertEqual(self.v1["lcd"], self.v1["default"][:2])

    def test_reload_taken_without_restart(self):
        """The new profiles are taken by a reload, which says so; no
        restart, the daemon stops with 0."""
        self.assertRegex(self.text, r"(?m)^newsdigestd: profiles changed: new articles get "
                         r"digests for default, epaper$")
        self.assertNotIn("not reloaded", self.text)
        self.assertTrue(self.alive)
        self.assertEqual(self.rc, 0, self.text)

    def test_new_article_follows_the_new_profiles(self):
        """The fourth item gets a digest for default (summary within its new
        40 characters) and for epaper (one tag), none for lcd."""
        new = [d for d in self.digests("default") if d["id"] == self.new_id]
        self.assertEqual(len(new), 1)
        self.assertLessEqual(len(new[0]["summary"]), 40)
        old = [d for d in self.digests("default") if d["id"] != self.new_id]
        self.assertTrue(any(len(d["summary"]) > 40 for d in old), old)
        epaper = self.digests("epaper")
        self.assertEqual([d["id"] for d in epaper], [self.new_id])
        self.assertLessEqual(len(epaper[0]["tags"]), 1)
        self.assertNotIn(self.new_id, [d["id"] for d in self.digests("lcd")])

    def test_retained_topics_of_what_is_gone_cleared(self):
        """What v1 had retained and v2 no longer publishes is gone from the
        broker, each clearing logged: the bundles of lcd and frame, of
        feed other, frame's dictionary. What v2 publishes stays."""
        gone = ["news/%s/%s/latest" % (p, f) for p in ("lcd", "frame") for f in ("local", "other")]
        gone += ["news/default/other/latest", "news/frame/dict"]
        for t in gone:
            self.assertIn(t, self.held1)
            self.assertNotIn(t, self.held2)
            self.assertRegex(self.text, r"(?m)^newsdigestd: %s: cleared \(its feed or profile "
                             r"is gone\)$" % re.escape(t))
        self.assertEqual(sorted(t for t in self.held2 if t.endswith(("latest", "dict"))),
                         ["news/default/local/latest", "news/epaper/local/latest"])

    def test_state_kept_across_the_reload(self):
        """default's bundle goes on from what it held (the new item first,
        then the 3 of v1); epaper's starts with the new item; no digest of
        v1 was made again."""
        self.assertEqual(self.bundle("default"), [self.new_id] + self.v1["default"])
        self.assertEqual(self.bundle("epaper"), [self.new_id])
        ids = [d["id"] for d in self.digests("default")]
        self.assertEqual(len(ids), 4)
        self.assertEqual(len(set(ids)), 4)


# ---------------------------------------------------------------- install and unit

class Install(unittest.TestCase):
    """make install DESTDIR=tmp, then the installed files, the man pages,
    and the unit with systemd-analyze."""

    PREFIX = "/usr/local"
    SYSCONFDIR = "/etc"
    STATEDIR = "/var/lib/newsdigest"
    OWN_BUILD = False   # True: build afresh in a build dir of its own

    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="nd-install-")
        cls.addClassCleanup(h.remove_workdir, cls.dest)
        build = BUILD.dir
        args = []
        if cls.OWN_BUILD:
            build = tempfile.mkdtemp(prefix="nd-install-build-")
            cls.addClassCleanup(h.remove_workdir, build)
            args = ["SYSCONFDIR=" + cls.SYSCONFDIR, "STATEDIR=" + cls.STATEDIR]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
        cls.res = subprocess.run(["make", "-s", "-C", h.REPO, "install", "DESTDIR=" + cls.dest,
                                  "PREFIX=" + cls.PREFIX, "BUILD=" + build] + args,
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=300, env=env)
        cls.conf = cls.SYSCONFDIR + "/newsdigest/newsdigest.conf"

    def at(self, path):
        return os.path.join(self.dest, path.lstrip("/"))

    def read(self, path):
        with open(self.at(path)) as f:
            return f.read()

    def test_every_file_in_its_place(self):
        """The binaries, the unit, the example config, the README and the
        three man pages land where DESTDIR and PREFIX say, with their
        modes."""
        self.assertEqual(self.res.returncode, 0, self.res.stderr)
        want = {
            "/usr/local/sbin/newsdigestd": 0o755,
            "/usr/local/bin/newsdigest": 0o755,
            "/lib/systemd/system/newsdigestd.service": 0o644,
            self.conf + ".example": 0o644,
            "/usr/local/share/doc/newsdigest/README.md": 0o644,
            "/usr/local/share/man/man8/newsdigestd.8": 0o644,
            "/usr/local/share/man/man1/newsdigest.1": 0o644,
            "/usr/local/share/man/man5/newsdigest.conf.5": 0o644,
        }
        got = {}
        for root, _, files in os.walk(self.dest):
            for f in files:
                p = os.path.join(root, f)
                got["/" + os.path.relpath(p, self.dest)] = os.stat(p).st_mode & 0o777
        self.assertEqual(got, want)

    def test_unit_has_the_paths_filled_in(self):
        """The installed unit checks and runs the installed daemon on the
        config in SYSCONFDIR, its state in STATEDIR (StateDirectory= is
        relative to /var/lib, ConfigurationDirectory= to /etc)."""
        unit = self.read("/lib/systemd/system/newsdigestd.service")
        self.assertRegex(unit, r"(?m)^ExecStartPre=/usr/local/sbin/newsdigestd -n -c %s$"
                         % re.escape(self.conf))
        self.assertRegex(unit, r"(?m)^ExecStart=/usr/local/sbin/newsdigestd -c %s$"
                         % re.escape(self.conf))
        self.assertEqual(re.findall(r"(?m)^ConfigurationDirectory=.*", unit),
                         ["ConfigurationDirectory=newsdigest"]
                         if self.SYSCONFDIR == "/etc" else [])
        for key in ("Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID",
                    "WatchdogSec=60s", "DynamicUser=yes",
                    "StateDirectory=" + os.path.relpath(self.STATEDIR, "/var/lib"),
                    "ProtectSystem=strict", "NoNewPrivileges=yes",
                    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                    "SystemCallFilter=@system-service", "MemoryMax=64M"):
            self.assertRegex(unit, r"(?m)^%s$" % re.escape(key))

    def test_installed_files_name_the_chosen_paths(self):
        """The unit, the three man pages and the example config have every
        @PLACEHOLDER@ filled in and name the config in SYSCONFDIR and the
        state in STATEDIR, and no other."""
        pages = ["/usr/local/share/man/" + p for p in
                 ("man8/newsdigestd.8", "man1/newsdigest.1", "man5/newsdigest.conf.5")]
        for path in ["/lib/systemd/system/newsdigestd.service", self.conf + ".example"] + pages:
            text = self.read(path)
            self.assertEqual(re.findall(r"@[A-Z]+@", text), [], path)
            for other in {"/etc/newsdigest", "/var/lib/newsdigest"} - {
                    self.SYSCONFDIR + "/newsdigest", self.STATEDIR}:
                self.assertNotIn(other, text, path)
        # A man page writes "-" as "\-": a hyphen would not paste as one.
        conf, state = (p.replace("-", "\\-") for p in (self.conf, self.STATEDIR))
        for page in pages:
            self.assertIn(conf, self.read(page), page)
        self.assertRegex(self.read(pages[0]), r"(?m)^\.I %s$" % re.escape(state))
        self.assertRegex(self.read(pages[2]), r'(?m)^\.BI state_dir " = %s"$'
                         % re.escape(state))
        self.assertRegex(self.read(self.conf + ".example"),
                         r"(?m)^state_dir = %s$" % re.escape(self.STATEDIR))

    def test_daemon_defaults_to_the_chosen_config(self):
        """The installed newsdigestd's usage names SYSCONFDIR's config as
        the default, -n without -c reads that one, and the binary holds
        STATEDIR as the default state_dir."""
        daemon = self.at("/usr/local/sbin/newsdigestd")
        res = subprocess.run([daemon, "-h"], capture_output=True, text=True, timeout=10)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("  -c FILE     configuration (default %s)\n" % self.conf, res.stdout)
        if not os.path.exists(self.conf):
            res = subprocess.run([daemon, "-n"], capture_output=True, text=True, timeout=10)
            self.assertEqual((res.returncode, res.stderr),
                             (1, "%s: No such file or directory\n"
                              "newsdigestd: 1 error in the configuration\n" % self.conf))
        with open(daemon, "rb") as f:
            self.assertIn(b"\0" + self.STATEDIR.encode() + b"\0", f.read())

    def test_man_pages_format_without_warnings(self):
        """groff -man -ww formats each page without a warning, and each names
        its program and section in .TH and NAME."""
        if GROFF is None:
            self.skipTest("groff is not installed")
        for page, th in (("man8/newsdigestd.8", "NEWSDIGESTD 8"),
                         ("man1/newsdigest.1", "NEWSDIGEST 1"),
                         ("man5/newsdigest.conf.5", "NEWSDIGEST.CONF 5")):
            path = self.at("/usr/local/share/man/" + page)
            res = subprocess.run([GROFF, "-man", "-ww", "-Tutf8", "-z", path],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual((res.returncode, res.stderr), (0, ""), page)
            with open(path) as f:
                text = f.read()
            self.assertRegex(text, r'(?m)^\.TH %s ' % re.escape(th))
            self.assertRegex(text, r"(?m)^\.SH NAME\n%s \\- " % re.escape(
                os.path.basename(page).rsplit(".", 1)[0]))

    def unit_for_analyze(self):
        """A copy of the installed unit whose programs are the ones in
        DESTDIR, since systemd-analyze verify checks they exist."""
        with open(self.at("/lib/systemd/system/newsdigestd.service")) as f:
            unit = f.read().replace("/usr/local/sbin/", self.at("/usr/local/sbin/"))
        d = tempfile.mkdtemp(prefix="nd-unit-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "newsdigestd.service")
        with open(path, "w") as f:
            f.write(unit)
        return path

    def analyze(self, *args):
        env = dict(os.environ, MANPATH=self.at("/usr/local/share/man"), SYSTEMD_PAGER="",
                   SYSTEMD_COLORS="0")
        return subprocess.run([SYSTEMD_ANALYZE] + list(args), capture_output=True, text=True,
                              timeout=120, env=env, stdin=subprocess.DEVNULL)

    def test_systemd_analyze_verify(self):
        """systemd-analyze verify accepts the unit (its man pages found in
        the installed MANPATH) without a word."""
        if SYSTEMD_ANALYZE is None:
            self.skipTest("systemd-analyze is not installed")
        res = self.analyze("verify", self.unit_for_analyze())
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertNotIn("newsdigestd", res.stdout + res.stderr)

    def test_systemd_analyze_security_at_most_2(self):
        """systemd-analyze security --offline=yes rates the unit's exposure
        2.0 or lower (it prints the figure)."""
        if SYSTEMD_ANALYZE is None:
            self.skipTest("systemd-analyze is not installed")
        res = self.analyze("security", "--offline=yes", self.unit_for_analyze())
        m = re.search(r"Overall exposure level for newsdigestd\.service: (\d+\.\d+)",
                      res.stdout)
        self.assertIsNotNone(m, res.stdout + res.stderr)
        print("\n  systemd-analyze security exposure: %s" % m.group(1), end=" ", flush=True)
        self.assertLessEqual(float(m.group(1)), 2.0, res.stdout)


class InstallElsewhere(Install):
    """make install SYSCONFDIR=/opt/... STATEDIR=/var/lib/... in a build
    dir of its own: the daemon's default config, the unit, the man pages
    and the example config all name the new places."""

    SYSCONFDIR = "/opt/nd-test-etc"
    STATEDIR = "/var/lib/nd-test-state"
    OWN_BUILD = True


# ---------------------------------------------------------------- runner

ORDER = [Notify, WatchdogOfAnotherProcess, Reload, ReloadWhileBrokerAway, ReloadToAnotherBroker,
         ReloadProfiles, Install, InstallElsewhere]


if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], ORDER))
