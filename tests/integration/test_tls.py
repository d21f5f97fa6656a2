#!/usr/bin/env python3
"""
newsdigestd and its broker: TLS, user name and password, sessions. Real
parts only: certificates made with the openssl command, real mosquitto
brokers with TLS listeners and a password file (mosquitto_passwd), real
mosquitto_sub subscribers over TLS, the real daemon.

    python3 tests/integration/test_tls.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped".
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()
OPENSSL = shutil.which("openssl")
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"

PASSWORD = "s3cret-Pa55word-for-newsdigest"      # the daemon's, on the broker
WRONG_PASSWORD = "not-the-Pa55word-at-all"
READER_PASSWORD = "reader-pw-7"                  # the test subscriber's
DIGEST_TOPIC = "news/default/local/digest"
ITEMS = 3                                        # in news1.rss


# ---------------------------------------------------------------- certificates

class Pki:
    """A CA, a server certificate for 127.0.0.1 and localhost, one for
    another name only, a client certificate, and a second, unrelated CA;
    all made with the openssl command in dir (EC P-256 keys, valid 2 days)."""

    def __init__(self, dir):
        self.dir = dir
        os.makedirs(dir, exist_ok=True)
        self.ca = self._ca("ca", "newsdigest test CA")
        self.other_ca = self._ca("other-ca", "an unrelated CA")
        self.server = self._leaf("server", "127.0.0.1",
                                 "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 "extendedKeyUsage=serverAuth\n")
        self.elsewhere = self._leaf("elsewhere", "broker.invalid",
                                    "subjectAltName=DNS:broker.invalid\n"
                                    "extendedKeyUsage=serverAuth\n")
        self.client = self._leaf("client", "newsdigestd", "extendedKeyUsage=clientAuth\n")

    def path(self, name):
        return os.path.join(self.dir, name)

    def _openssl(self, *args):
        res = subprocess.run([OPENSSL] + list(args), cwd=self.dir, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        if res.returncode != 0:
            raise AssertionError("openssl %s failed:\n%s" % (" ".join(args),
                                                             res.stdout.decode()))

    def _ca(self, name, cn):
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "2",
                      "-subj", "/CN=" + cn,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        return self.path(name + ".crt")

    def _leaf(self, name, cn, extensions):
        """A key and a certificate signed by the CA; returns (cert, key)."""
        with open(self.path(name + ".ext"), "w") as f:
            f.write(extensions)
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                      "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                      "-subj", "/CN=" + cn)
        self._openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                      "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", "2",
                      "-extfile", name + ".ext", "-out", name + ".crt")
        return self.path(name + ".crt"), self.path(name + ".key")


PKI = None      # made once by main()


def tls_listener(cert, require_certificate=False):
    """mosquitto listener lines: TLS with cert (a (cert, key) pair) and our CA."""
    lines = ["cafile %s" % PKI.ca, "certfile %s" % cert[0], "keyfile %s" % cert[1]]
    if require_certificate:
        lines.append("require_certificate true")
    return lines


def secret_file(path, text, mode=0o600):
    """Write text to path with mode (set before anything is written)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def key_where(conf, key):
    """How the daemon names [mqtt] key of the file conf: "CONF:LINE: [mqtt] KEY"."""
    with open(conf, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.split("=", 1)[0].strip() == key:
                return "%s:%d: [mqtt] %s" % (conf, n, key)
    raise AssertionError("%s: no %s" % (conf, key))


def retries(log, port, why):
    """The delays of the "mqtt: ...: WHY; retrying in Ns" lines of log."""
    r = re.compile(r"^newsdigestd: warning: mqtt: [^ ]+:%d: %s; retrying in (\d+)s$"
                   % (port, re.escape(why)))
    return [int(m.group(1)) for m in (r.match(l) for l in log.splitlines()) if m]


def connacks(broker, client):
    """(session present, reason) of every CONNACK the broker sent client."""
    r = re.compile(r"^\d+: Sending CONNACK to %s \((\d+), (\d+)\)$" % re.escape(client))
    return [(int(m.group(1)), int(m.group(2))) for m in map(r.match, broker.lines()) if m]


def connects(broker, client):
    """The "(p5, c0, k60, u'name')" flags of every CONNECT of client."""
    r = re.compile(r"^\d+: New client connected from \S+ as %s \(([^)]*)\)\.$"
                   % re.escape(client))
    return [m.group(1) for m in map(r.match, broker.lines()) if m]


class TlsCase(unittest.TestCase):
    """A temp dir, an HTTP server with news1.rss as /news.rss, and helpers
    to write configs and run the daemon."""

    TAG = "tls"

    @classmethod
    def setUpClass(cls):
        cls.workdir = h.make_workdir(cls.TAG)
        cls.addClassCleanup(h.remove_workdir, cls.workdir)
        # mosquitto drops root for its own user and must still reach our files.
        os.chmod(cls.workdir, 0o755)
        cls.feeds = h.feed_server(cls)
        cls.feeds.put_fixture("news.rss", "news1.rss")
        cls.runs = 0

    @classmethod
    def path(cls, name):
        return os.path.join(cls.workdir, name)

    @classmethod
    def config(cls, broker, client_id, **mqtt):
        """A config with one feed and a fresh state dir; mqtt: [mqtt] keys."""
        cls.runs += 1
        name = "run%d" % cls.runs
        return h.daemon_config(cls.path(name + ".conf"), cls.path(name + "-state"), broker.port,
                               {"local": {"url": cls.feeds.url("news.rss")}},
                               client_id=client_id, mqtt=mqtt)

    def spawn(self, conf, args=("-v",)):
        """Start the daemon (not --once), its log in a file; returns (proc, LogFile)."""
        self.__class__.runs += 1
        logpath = self.path("daemon%d.log" % self.runs)
        proc = BUILD.spawn_daemon(conf, logpath, args=args)
        self.addCleanup(h.stop_process, proc)
        return proc, h.LogFile(logpath)

    def assertStopsCleanly(self, proc, log):
        """SIGTERM ends the daemon with status 0: it never crashed meanwhile."""
        self.assertIsNone(proc.poll(), "the daemon exited:\n" + log.text())
        self.assertEqual(h.stop_process(proc, timeout=15), 0, log.text())
        self.assertNotRegex(log.text(), r"(?i)sanitizer|segmentation|fatal")


# ---------------------------------------------------------------- password broker

class PasswordBroker(TlsCase):
    """A broker with a TLS listener (certificate for 127.0.0.1 and
    localhost) that wants a user name and password."""

    TAG = "tls-pw"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pwfile = cls.path("mosquitto.passwd")
        for args in (["-c", pwfile, "newsdigest", PASSWORD], [pwfile, "reader", READER_PASSWORD]):
            subprocess.run([MOSQUITTO_PASSWD, "-b"] + args, check=True, timeout=10,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.chmod(pwfile, 0o644)     # for mosquitto's own user; ours is a test file
        cls.broker = h.Broker(cls.workdir, listener=tls_listener(PKI.server), anonymous=False,
                              settings=["password_file %s" % pwfile]).start()
        cls.addClassCleanup(cls.broker.stop)
        cls.pwfile = secret_file(cls.path("mqtt-password"), PASSWORD + "\n")

    def good(self, client_id, **more):
        """A config with the right CA, user name and password file."""
        keys = {"tls_ca_file": PKI.ca, "username": "newsdigest", "password_file": self.pwfile}
        keys.update(more)
        return self.config(self.broker, client_id, **keys)

    def subscriber(self):
        """A subscriber over TLS, as user reader."""
        return h.Subscriber(self.broker, [DIGEST_TOPIC], name="tls", args=[
            "--cafile", PKI.ca, "-u", "reader", "-P", READER_PASSWORD]).start()

    def once_with_subscriber(self, conf, args=("-v",), env=None):
        """Run --once with a TLS subscriber; return (RunResult, digests received)."""
        sub = self.subscriber()
        try:
            res = BUILD.run_once(conf, args=args, env=env)
            if res.rc == 0:
                sub.wait_for(lambda ms: len(ms) >= ITEMS, 10, "%d digests" % ITEMS)
            return res, sub.messages
        finally:
            sub.stop()

    def test_right_settings_deliver_digests_with_v5_properties(self):
        """With the broker's CA, the user name and the password from
        password_file, --once exits 0 and a subscriber over TLS gets the 3
        digests, each with the MQTT 5 properties: content type
        application/json, user property content-encoding zlib, and the
        profile's message expiry (1 d, counting down in the broker)."""
        res, msgs = self.once_with_subscriber(self.good("tls-good"))
        self.assertEqual(res.rc, 0, res.describe())
        self.assertEqual(len(msgs), ITEMS, msgs)
        for m in msgs:
            self.assertEqual((m.topic, m.qos), (DIGEST_TOPIC, 1))
            self.assertEqual(m.content_type, "application/json")
            self.assertEqual(m.user_props, {"content-encoding": "zlib"})
            self.assertIsNotNone(m.expiry)
            self.assertTrue(86400 - 60 <= m.expiry <= 86400, m.expiry)
            self.assertTrue(h.is_zlib_stream(m.payload))
        # The broker saw user newsdigest connect with clean start off.
        self.assertEqual(connects(self.broker, "tls-good"), ["p5, c0, k60, u'newsdigest'"])

    def test_password_never_in_the_log(self):
        """Even with -v (debug, every packet libmosquitto logs) the daemon's
        output never holds the password."""
        res, _ = self.once_with_subscriber(self.good("tls-nolog"))
        self.assertEqual(res.rc, 0, res.describe())
        out = res.stdout + res.stderr
        self.assertIn("sending CONNECT", out)       # debug was on
        self.assertNotIn(PASSWORD, out)
        self.assertNotIn(PASSWORD[:12], out)

    def test_host_name_localhost_verifies(self):
        """host = localhost: the certificate's DNS name is checked (and
        matches), not only its IP address."""
        res, msgs = self.once_with_subscriber(self.good("tls-localhost", host="localhost"))
        self.assertEqual(res.rc, 0, res.describe())
        self.assertEqual(len(msgs), ITEMS)

    def test_port_8883_is_the_tls_default(self):
        """With tls_ca_file and no port the daemon tries 8883 (nothing
        listens there in the test: it says so and retries)."""
        conf = self.good("tls-8883")
        with open(conf) as f:
            text = re.sub(r"(?m)^port = \d+\n", "", f.read())
        with open(conf, "w") as f:
            f.write(text)
        proc, log = self.spawn(conf)
        log.wait_for(r"mqtt: 127\.0\.0\.1:8883: .*; retrying in 1s$", 10)
        self.assertStopsCleanly(proc, log)

    def test_wrong_ca_is_refused_and_retried(self):
        """A CA that did not sign the broker's certificate: every attempt
        fails with "TLS handshake failed: certificate verify failed", and is
        retried with a growing delay (1 s, 2 s); the daemon keeps running
        and nothing reaches the broker's MQTT layer."""
        proc, log = self.spawn(self.good("tls-wrongca", tls_ca_file=PKI.other_ca))
        h.wait_until(lambda: len(retries(log.text(), self.broker.port,
                                         "TLS handshake failed: certificate verify failed")) >= 2,
                     15, "two failed attempts:\n" + log.text())
        self.assertEqual(retries(log.text(), self.broker.port,
                                 "TLS handshake failed: certificate verify failed")[:2], [1, 2])
        self.assertEqual(connects(self.broker, "tls-wrongca"), [])
        self.assertStopsCleanly(proc, log)

    def test_wrong_password_is_refused_and_never_logged(self):
        """A wrong password: "broker refused the connection: Not authorized
        (check username and password_file)" (mosquitto 2.0 answers a bad
        password with "not authorized"), retried 1 s then 2 s later;
        neither the wrong password nor the right one is in the log (-v)."""
        wrong = secret_file(self.path("wrong-password"), WRONG_PASSWORD + "\n")
        proc, log = self.spawn(self.good("tls-wrongpw", password_file=wrong))
        why = "broker refused the connection: Not authorized (check username and password_file)"
        h.wait_until(lambda: len(retries(log.text(), self.broker.port, why)) >= 2, 15,
                     "two refused attempts:\n" + log.text())
        self.assertEqual(retries(log.text(), self.broker.port, why)[:2], [1, 2])
        self.assertStopsCleanly(proc, log)
        self.assertIn("sending CONNECT", log.text())
        self.assertNotIn(WRONG_PASSWORD, log.text())
        self.assertNotIn(PASSWORD, log.text())

    def test_password_fixed_in_place_is_taken_on_reload(self):
        """The password file held a wrong password: refused, retried. The
        user writes the right one into the same file (the config itself
        unchanged) and sends SIGHUP: the daemon builds a new connection
        with it, logs in and the 3 digests arrive, without a restart."""
        pw = secret_file(self.path("rotated-password"), WRONG_PASSWORD + "\n")
        sub = self.subscriber()
        self.addCleanup(sub.stop)
        proc, log = self.spawn(self.good("tls-rotate", password_file=pw))
        why = "broker refused the connection: Not authorized (check username and password_file)"
        h.wait_until(lambda: len(retries(log.text(), self.broker.port, why)) >= 1, 15,
                     "a refused attempt:\n" + log.text())
        secret_file(pw, PASSWORD + "\n")
        proc.send_signal(signal.SIGHUP)
        log.wait_for(r"(?m)^newsdigestd: mqtt: connecting to 127\.0\.0\.1:%d as the "
                     r"configuration now says" % self.broker.port, 10)
        log.wait_for(r"(?m)^newsdigestd: mqtt: connected to 127\.0\.0\.1:%d"
                     % self.broker.port, 10)
        sub.wait_for(lambda ms: len(ms) >= ITEMS, 10, "%d digests" % ITEMS)
        self.assertEqual(len(sub.messages), ITEMS)
        self.assertRegex(log.text(), r"(?m)^newsdigestd: configuration reloaded: 1 feed ")
        self.assertStopsCleanly(proc, log)
        self.assertNotIn(WRONG_PASSWORD, log.text())
        self.assertNotIn(PASSWORD, log.text())

    def test_password_file_open_to_others_stops_the_start(self):
        """password_file with mode 0644: the daemon does not start (status
        1), and says which file and what to do; -n says the same."""
        loose = secret_file(self.path("loose-password"), PASSWORD + "\n", 0o644)
        conf = self.good("tls-loose", password_file=loose)
        expected = ("%s %s is open to its group or others (mode 0644): "
                    "run chmod 600 %s" % (key_where(conf, "password_file"), loose, loose))
        res = BUILD.run_once(conf, timeout=15)
        self.assertEqual(res.rc, 1, res.describe())
        self.assertIn(expected + "\n", res.stderr)
        self.assertNotIn(PASSWORD, res.stdout + res.stderr)
        check = BUILD.check(conf)
        self.assertEqual(check.rc, 1, check.describe())
        self.assertIn(expected + "\n", check.stderr)
        self.assertNotIn("configuration OK", check.stdout)
        self.assertEqual(connects(self.broker, "tls-loose"), [])

    def test_password_file_missing_stops_the_start(self):
        """A password_file that is not there: status 1, the file named."""
        missing = self.path("no-such-password")
        conf = self.good("tls-missing", password_file=missing)
        for res in (BUILD.run_once(conf, timeout=15), BUILD.check(conf)):
            self.assertEqual(res.rc, 1, res.describe())
            self.assertIn("%s %s: No such file or directory\n"
                          % (key_where(conf, "password_file"), missing), res.stderr)

    def test_password_from_systemd_credentials_directory(self):
        """password_file = ${CREDENTIALS_DIRECTORY}/mqtt-password reads the
        file systemd's LoadCredential= puts there; without the variable the
        check says what is missing."""
        creds = self.path("credentials")
        os.makedirs(creds, mode=0o700, exist_ok=True)
        secret_file(os.path.join(creds, "mqtt-password"), PASSWORD + "\n", 0o400)
        conf = self.good("tls-creds", password_file="${CREDENTIALS_DIRECTORY}/mqtt-password")
        res, msgs = self.once_with_subscriber(conf, env={"CREDENTIALS_DIRECTORY": creds})
        self.assertEqual(res.rc, 0, res.describe())
        self.assertEqual(len(msgs), ITEMS)
        env = {k: v for k, v in os.environ.items() if k != "CREDENTIALS_DIRECTORY"}
        proc = subprocess.run([BUILD.daemon, "-n", "-c", conf], env=env, timeout=10,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("[mqtt] password_file ${CREDENTIALS_DIRECTORY}/mqtt-password: "
                      "$CREDENTIALS_DIRECTORY is not set (systemd sets it for a unit with "
                      "LoadCredential=)", proc.stderr)

    def test_protocol_311_delivers(self):
        """protocol = 3.1.1 over TLS with a password: the digests arrive
        (without the v5 properties 3.1.1 cannot carry), and the daemon
        connected as 3.1.1 (mosquitto logs it as p2) with clean session off."""
        res, msgs = self.once_with_subscriber(self.good("tls-311", protocol="3.1.1"))
        self.assertEqual(res.rc, 0, res.describe())
        self.assertEqual(len(msgs), ITEMS)
        for m in msgs:
            self.assertEqual(m.content_type, "")
            self.assertEqual(m.user_props, {})
            self.assertIsNone(m.expiry)
            self.assertTrue(h.is_zlib_stream(m.payload))
        self.assertEqual(connects(self.broker, "tls-311"), ["p2, c0, k60, u'newsdigest'"])

    def sessions(self, client_id, **more):
        """Run --once twice with the same client id; return the broker's
        CONNACKs to it: (session present, reason) each."""
        for _ in range(2):
            res = BUILD.run_once(self.good(client_id, **more), timeout=30)
            self.assertEqual(res.rc, 0, res.describe())
        return connacks(self.broker, client_id)

    def test_v5_session_outlives_the_connection(self):
        """MQTT 5: the CONNECT carries a session expiry (default 1 d), so
        the broker keeps the session after the daemon disconnects: the
        second run with the same client id finds it (session present 1)."""
        self.assertEqual(self.sessions("tls-session"), [(0, 0), (1, 0)])

    def test_v5_session_expiry_zero(self):
        """session_expiry = 0: the session ends with the connection; the
        second run starts a new one (session present 0)."""
        self.assertEqual(self.sessions("tls-session0", session_expiry="0"), [(0, 0), (0, 0)])

    def test_v311_session_outlives_the_connection(self):
        """MQTT 3.1.1: clean session off; the broker keeps the session."""
        self.assertEqual(self.sessions("tls-session311", protocol="3.1.1"), [(0, 0), (1, 0)])

    # ------------------------------------------------------------ newsdigest cat

    def published(self, prefix):
        """Run --once with its own topic_prefix; return its config. The
        broker then holds two retained messages under PREFIX/#: the status
        and the latest bundle of the feed's 3 digests."""
        conf = self.good("tls-cat-" + prefix, topic_prefix=prefix)
        res = BUILD.run_once(conf)
        self.assertEqual(res.rc, 0, res.describe())
        return conf

    def assertCatsTheBundle(self, res, prefix):
        """cat --json -C 2 printed the status and the latest bundle of PREFIX."""
        self.assertEqual(res.rc, 0, res.describe())
        self.assertNotIn(PASSWORD, res.stdout + res.stderr)
        lines = [json.loads(l) for l in res.stdout.splitlines()]
        self.assertEqual(len(lines), 2, res.describe())
        bundles = [l for l in lines if isinstance(l, list)]
        self.assertEqual(len(bundles), 1, res.describe())
        self.assertEqual(len(bundles[0]), ITEMS)
        self.assertEqual({d["feed"] for d in bundles[0]}, {"local"})
        self.assertTrue(all(d["title"] and d["id"] for d in bundles[0]))

    def test_cat_with_the_daemon_config(self):
        """newsdigest cat -c CONF: the host, port, CA, user name and
        password file of the daemon's own [mqtt], and its topic_prefix for
        the default subscription PREFIX/#: the two retained messages arrive
        (status and the bundle of the 3 digests) and cat exits 0; the
        broker saw user newsdigest connect."""
        conf = self.published("catconf")
        mark = self.broker.mark()
        res = BUILD.run([BUILD.cli, "cat", "-c", conf, "-C", "2", "-W", "10", "--json"], 20)
        self.assertCatsTheBundle(res, "catconf")
        self.assertIn("u'newsdigest'", "\n".join(self.broker.lines(mark)))

    def test_cat_with_explicit_options(self):
        """Without a config: --cafile, -u, --password-file (user reader,
        its own password), -H localhost (the certificate's DNS name is
        checked) and -p. And over a config: an option replaces the
        config's key (a wrong password_file in CONF, the right one given)."""
        self.published("catflags")
        pw = secret_file(self.path("reader-password"), READER_PASSWORD + "\n")
        res = BUILD.run([BUILD.cli, "cat", "-H", "localhost", "-p", str(self.broker.port),
                         "--cafile", PKI.ca, "--username", "reader", "--password-file", pw,
                         "-t", "catflags/#", "-C", "2", "-W", "10", "--json"], 20)
        self.assertCatsTheBundle(res, "catflags")
        self.assertNotIn(READER_PASSWORD, res.stdout + res.stderr)
        wrong = secret_file(self.path("cat-wrong-password"), WRONG_PASSWORD + "\n")
        conf = self.good("tls-cat-override", topic_prefix="catflags", password_file=wrong)
        res = BUILD.run([BUILD.cli, "cat", "-c", conf, "--password-file", self.pwfile,
                         "-C", "2", "-W", "10", "--json"], 20)
        self.assertCatsTheBundle(res, "catflags")

    def test_cat_wrong_password(self):
        """A wrong password: cat says the broker refused it, as the daemon
        does, exits 1 at once (not after -W), and prints no password."""
        wrong = secret_file(self.path("cat-wrong-password"), WRONG_PASSWORD + "\n")
        conf = self.good("tls-cat-wrongpw", password_file=wrong)
        for args in (["-c", conf], ["-p", str(self.broker.port), "--cafile", PKI.ca,
                                    "-u", "newsdigest", "--password-file", wrong]):
            res = BUILD.run([BUILD.cli, "cat", "-W", "30"] + args, 20)
            self.assertEqual(res.rc, 1, res.describe())
            self.assertEqual(res.stderr, "newsdigest: %s:%d: broker refused the connection: "
                             "Not authorized (check username and password_file)\n"
                             % ("127.0.0.1" if "-c" in args else "localhost",
                                self.broker.port), res.describe())
            self.assertEqual(res.stdout, "")
            self.assertNotIn(WRONG_PASSWORD, res.stderr)
            self.assertLess(res.elapsed, 15)

    def test_cat_untrusted_ca(self):
        """A CA that did not sign the broker's certificate: "TLS handshake
        failed: certificate verify failed", exit 1."""
        conf = self.good("tls-cat-wrongca", tls_ca_file=PKI.other_ca)
        for args in (["-c", conf], ["-H", "127.0.0.1", "-p", str(self.broker.port),
                                    "--cafile", PKI.other_ca]):
            res = BUILD.run([BUILD.cli, "cat", "-W", "30"] + args, 20)
            self.assertEqual(res.rc, 1, res.describe())
            self.assertEqual(res.stderr, "newsdigest: 127.0.0.1:%d: TLS handshake failed: "
                             "certificate verify failed\n" % self.broker.port)
            self.assertLess(res.elapsed, 15)

    def test_cat_password_file_open_to_others(self):
        """A password file of mode 0644 is refused before any connection,
        with the daemon's words, naming where it was given: the config's
        key, or the option."""
        loose = secret_file(self.path("cat-loose-password"), PASSWORD + "\n", 0o644)
        conf = self.good("tls-cat-loose", password_file=loose)
        why = "is open to its group or others (mode 0644): run chmod 600 %s\n" % loose
        for args, where in ((["-c", conf], key_where(conf, "password_file")),
                            (["--cafile", PKI.ca, "-u", "newsdigest", "--password-file",
                              loose], "newsdigest: --password-file")):
            res = BUILD.run([BUILD.cli, "cat", "-W", "5"] + args, 20)
            self.assertEqual(res.rc, 1, res.describe())
            self.assertEqual(res.stderr, "%s %s %s" % (where, loose, why))
            self.assertNotIn(PASSWORD, res.stdout + res.stderr)
        self.assertEqual(connects(self.broker, "tls-cat-loose"), [])

    def test_cat_option_errors(self):
        """What cat refuses before connecting, each named: an unreadable
        CA, a certificate without its key, a password file without a user
        name; --cafile alone makes 8883 the port (nothing listens there),
        and so does --cafile over a config that gives no port and no TLS."""
        missing = self.path("no-such-ca.crt")
        plain = self.config(self.broker, "tls-cat-plain")
        with open(plain) as f:
            text = re.sub(r"(?m)^port = \d+\n", "", f.read())
        with open(plain, "w") as f:
            f.write(text)
        cases = [
            (["--cafile", missing],
             "newsdigest: --cafile %s: No such file or directory\n" % missing),
            (["--cafile", PKI.ca, "--cert", PKI.client[0]],
             "newsdigest: --cert and --key go together\n"),
            (["--password-file", self.pwfile], "newsdigest: --password-file needs -u NAME\n"),
            (["-H", "127.0.0.1", "--cafile", PKI.ca],
             "newsdigest: 127.0.0.1:8883: Connection refused\n"),
            (["-c", plain, "--cafile", PKI.ca],
             "newsdigest: 127.0.0.1:8883: Connection refused\n"),
        ]
        for args, expected in cases:
            res = BUILD.run([BUILD.cli, "cat", "-W", "5"] + args, 20)
            self.assertEqual((res.rc, res.stderr), (1, expected), res.describe())
            self.assertNotIn(PASSWORD, res.stdout + res.stderr)


# ---------------------------------------------------------------- wrong name

class NameMismatch(TlsCase):
    """A broker whose certificate (signed by our CA) is only for
    broker.invalid; the daemon connects as 127.0.0.1 and as localhost."""

    TAG = "tls-name"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.broker = h.Broker(cls.workdir, listener=tls_listener(PKI.elsewhere)).start()
        cls.addClassCleanup(cls.broker.stop)

    def test_certificate_for_another_name_is_refused(self):
        """The CA is right, the name is not: each attempt fails with "TLS
        handshake failed: the broker's certificate is not for HOST (host
        name verification failed)", retried with a growing delay."""
        runs = []
        for host in ("localhost", "127.0.0.1"):
            conf = self.config(self.broker, "tls-name-" + host, host=host,
                               tls_ca_file=PKI.ca)
            runs.append((host,) + self.spawn(conf))
        for host, proc, log in runs:
            why = ("TLS handshake failed: the broker's certificate is not for %s (host name "
                   "verification failed)" % host)
            h.wait_until(lambda: len(retries(log.text(), self.broker.port, why)) >= 2, 15,
                         "two failed attempts to %s:\n%s" % (host, log.text()))
            self.assertEqual(retries(log.text(), self.broker.port, why)[:2], [1, 2])
            self.assertStopsCleanly(proc, log)
            self.assertEqual(connects(self.broker, "tls-name-" + host), [])

    def test_cat_checks_the_host_name(self):
        """newsdigest cat checks the broker's name as the daemon does."""
        res = BUILD.run([BUILD.cli, "cat", "-H", "localhost", "-p", str(self.broker.port),
                         "--cafile", PKI.ca, "-W", "30"], 20)
        self.assertEqual(res.rc, 1, res.describe())
        self.assertEqual(res.stderr, "newsdigest: localhost:%d: TLS handshake failed: the "
                         "broker's certificate is not for localhost (host name verification "
                         "failed)\n" % self.broker.port)


# ---------------------------------------------------------------- client certificates

class ClientCertificate(TlsCase):
    """A broker that wants a client certificate signed by our CA."""

    TAG = "tls-cert"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.broker = h.Broker(cls.workdir, listener=tls_listener(
            PKI.server, require_certificate=True)).start()
        cls.addClassCleanup(cls.broker.stop)

    def test_client_certificate_connects(self):
        """tls_cert_file and tls_key_file: the daemon connects and the
        digests reach a subscriber that shows its own certificate."""
        conf = self.config(self.broker, "tls-client", tls_ca_file=PKI.ca,
                           tls_cert_file=PKI.client[0], tls_key_file=PKI.client[1])
        sub = h.Subscriber(self.broker, [DIGEST_TOPIC], name="tlscert", args=[
            "--cafile", PKI.ca, "--cert", PKI.client[0], "--key", PKI.client[1]]).start()
        try:
            res = BUILD.run_once(conf)
            self.assertEqual(res.rc, 0, res.describe())
            msgs = sub.wait_for(lambda ms: ms if len(ms) >= ITEMS else None, 10, "the digests")
            self.assertEqual(len(msgs), ITEMS)
        finally:
            sub.stop()

    def test_no_client_certificate_is_refused(self):
        """Without a client certificate the broker ends the handshake; the
        daemon says the TLS handshake failed and retries."""
        conf = self.config(self.broker, "tls-nocert", tls_ca_file=PKI.ca)
        proc, log = self.spawn(conf)
        line = log.wait_for(r"mqtt: 127\.0\.0\.1:%d: (.*); retrying in (\d+)s$"
                            % self.broker.port, 15, count=2)
        self.assertEqual([m.group(2) for m in line[:2]], ["1", "2"])
        # The broker's alert ("tlsv13 alert certificate required") when
        # OpenSSL queued it, else what libmosquitto leaves us.
        for m in line[:2]:
            self.assertIn(m.group(1), (
                "TLS handshake failed: tlsv13 alert certificate required",
                "TLS handshake failed: the broker ended the connection (is port %d a TLS "
                "listener? does it want a client certificate, tls_cert_file?)"
                % self.broker.port))
        self.assertStopsCleanly(proc, log)
        self.assertEqual(connects(self.broker, "tls-nocert"), [])


# ---------------------------------------------------------------- runner

ORDER = [PasswordBroker, NameMismatch, ClientCertificate]


def main(argv):
    global PKI
    suite = h.load_suite(argv, sys.modules[__name__], ORDER)
    if suite is None:
        return 2
    if OPENSSL is None:
        print("openssl not found: sh tests/deps.sh check installs it")
        print("0 passed, 1 failed, 0 skipped")
        return 1
    pki_dir = tempfile.mkdtemp(prefix="nd-e2e-pki-")
    os.chmod(pki_dir, 0o755)
    def before():
        global PKI
        PKI = Pki(pki_dir)
        for key in (PKI.server[1], PKI.elsewhere[1]):
            os.chmod(key, 0o644)     # for mosquitto's own user; test keys

    return h.run_suite(suite, before=before, after=lambda: h.remove_workdir(pki_dir))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
