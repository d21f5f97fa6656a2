"""
Harness for newsdigest's end-to-end tests: the real parts, no mocks.

- Broker: a real mosquitto on a free loopback port, with its debug log
  captured, so a test can see what the broker received (QoS and retain
  flags as the publisher set them) and know when a subscriber is ready.
- FeedServer: a real HTTP server (http.server) in a thread, serving files
  from a directory the test may change between runs; it records requests.
- Subscriber: a real mosquitto_sub (MQTT v5) whose output format carries
  topic, QoS, retain flag, v5 properties and the payload in hex.
- Daemon: runs build/newsdigestd and build/newsdigest.
- Oracles computed independently of the daemon: fixture items parsed with
  ElementTree, FNV-1a 64 ids, a small ASCII fold, zlib header checks.

Every wait has a deadline, every process is tracked and killed at the end,
whatever happens. Python 3 standard library only.
"""
import email.utils
import functools
import html
import html.parser
import http.server
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
import unicodedata
import unittest
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from datetime import datetime

MOSQUITTO = "/usr/sbin/mosquitto"
MOSQUITTO_SUB = shutil.which("mosquitto_sub") or "/usr/bin/mosquitto_sub"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "feeds")


# ---------------------------------------------------------------- waiting

def wait_until(predicate, timeout, what, interval=0.02):
    """Poll predicate until it returns a true value; return that value.

    Raises AssertionError naming what was awaited when the deadline passes.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_accepts(port):
    """Tell whether something accepts TCP connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- processes

_PROCESSES = []
_PROCESSES_LOCK = threading.Lock()


def track(proc):
    """Remember a child process so that kill_all() ends it."""
    with _PROCESSES_LOCK:
        _PROCESSES.append(proc)
    return proc


def _close_pipes(proc):
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


def stop_process(proc, timeout=3.0, sig=signal.SIGTERM):
    """Stop one child: sig, then SIGKILL after timeout. Returns its status."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
    return proc.returncode


def kill_all():
    """Kill every tracked child that still runs (teardown of last resort)."""
    with _PROCESSES_LOCK:
        procs = list(_PROCESSES)
        _PROCESSES.clear()
    for p in procs:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        _close_pipes(p)


# ---------------------------------------------------------------- broker

# "1700000000: Received PUBLISH from ID (d0, q1, r0, m2, 'topic', ... (334 bytes))"
_PUBLISH_RE = re.compile(
    r"^\d+: Received PUBLISH from (\S+) \(d(\d), q(\d), r(\d), m(\d+), '([^']*)', "
    r"\.\.\. \((\d+) bytes\)\)$")


@dataclass
class BrokerPublish:
    """One PUBLISH as the broker received it: the publisher's own flags."""
    client: str
    qos: int
    retain: int
    topic: str
    length: int
    dup: int = 0            # 1: a resend of a message the broker may have had
    mid: int = 0            # the publisher's message id
    at: int = 0             # the broker's timestamp (Unix seconds)


class Broker:
    """A real mosquitto broker on 127.0.0.1, logging everything to a file.

    listener: lines for the one listener (cafile, certfile,
    require_certificate...); settings: more global lines (password_file...);
    anonymous=False refuses clients without a user name. persist=True keeps
    its state (sessions, queued messages) in workdir/mosquitto-PORT.db/,
    saved after every change, so that a restart, even after SIGKILL, finds
    what it had saved; extra_conf lines are added to its config. start() may
    be called again after stop() or signal(): the same port, the same log
    file.
    """

    def __init__(self, workdir, port=None, listener=(), anonymous=True, settings=(),
                 persist=False, extra_conf=()):
        self.workdir = workdir
        self.port = port or free_port()
        self.conf = os.path.join(workdir, "mosquitto-%d.conf" % self.port)
        self.logpath = os.path.join(workdir, "mosquitto-%d.log" % self.port)
        self.listener = list(listener)
        self.anonymous = anonymous
        self.settings = list(settings)
        self.persist = persist
        self.extra_conf = list(extra_conf)
        self.proc = None

    def start(self, timeout=5.0):
        """Start the broker and wait (bounded) until it accepts connections."""
        with open(self.conf, "w") as f:
            f.write("listener %d 127.0.0.1\n" % self.port)
            for line in self.listener:
                f.write(line + "\n")
            f.write("allow_anonymous %s\n" % ("true" if self.anonymous else "false"))
            for line in self.settings:
                f.write(line + "\n")
            if self.persist:
                db = os.path.join(self.workdir, "mosquitto-%d.db" % self.port)
                os.makedirs(db, exist_ok=True)
                f.write("persistence true\n")
                f.write("persistence_location %s/\n" % db)
                # Saved after each change: a SIGKILL loses at most the last.
                f.write("autosave_on_changes true\n")
                f.write("autosave_interval 1\n")
                if os.getuid() == 0:
                    # Stay root: its own user could not write in our temp dir.
                    f.write("user root\n")
            else:
                f.write("persistence false\n")
            for line in self.extra_conf:
                f.write(line + "\n")
            # mosquitto drops root for its own user: it cannot open a log
            # file in our temp dir, so it logs to the stderr we hand it.
            f.write("log_dest stderr\n")
            f.write("log_type all\n")
            f.write("connection_messages true\n")
        log = open(self.logpath, "ab")
        try:
            self.proc = track(subprocess.Popen(
                [MOSQUITTO, "-c", self.conf], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=log))
        finally:
            log.close()

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("mosquitto exited with %s:\n%s"
                                     % (self.proc.returncode, self.log()))
            return port_accepts(self.port)
        wait_until(ready, timeout, "mosquitto to accept connections on port %d" % self.port)
        return self

    def stop(self):
        """Stop the broker (SIGTERM, then SIGKILL)."""
        stop_process(self.proc)

    def signal(self, sig):
        """Send sig to the broker; for SIGTERM and SIGKILL, wait (bounded)
        until it has gone."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        if sig == signal.SIGTERM:
            # A broker stopped with SIGSTOP must run to act on SIGTERM.
            self.proc.send_signal(signal.SIGCONT)
        if sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                self.proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5.0)

    def log(self):
        """The broker's whole log so far."""
        try:
            with open(self.logpath, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def mark(self):
        """A position in the log; pass it as since= to look only after it."""
        return len(self.log())

    def lines(self, since=0):
        """Log lines after position since."""
        return self.log()[since:].splitlines()

    def publishes(self, client, since=0):
        """The PUBLISH packets the broker received from client after since."""
        out = []
        for line in self.lines(since):
            m = _PUBLISH_RE.match(line)
            if m and m.group(1) == client:
                out.append(BrokerPublish(client, int(m.group(3)), int(m.group(4)),
                                         m.group(6), int(m.group(7)), dup=int(m.group(2)),
                                         mid=int(m.group(5)),
                                         at=int(line.split(":", 1)[0])))
        return out

    def pubacks_to(self, client, since=0):
        """How many PUBACKs the broker sent to client after since."""
        needle = "Sending PUBACK to %s " % client
        return sum(1 for line in self.lines(since) if needle in line)

    def wait_subscribed(self, client, since, timeout=5.0):
        """Wait until the broker has sent SUBACK to client."""
        needle = "Sending SUBACK to %s" % client
        wait_until(lambda: any(line.endswith(needle) for line in self.lines(since)),
                   timeout, "the broker to acknowledge the subscription of %s" % client)

    def wait_subscription_to(self, topic_filter, since, timeout=5.0):
        """Wait until some client subscribed to topic_filter (and got its
        SUBACK) after since; return that client's id. For clients with an
        id chosen by the library, like `newsdigest cat`."""
        sub_re = re.compile(r"^\d+: (\S+) \d %s$" % re.escape(topic_filter))

        def find():
            lines = self.lines(since)
            for i, line in enumerate(lines):
                m = sub_re.match(line)
                if m and any(l.endswith("Sending SUBACK to " + m.group(1))
                             for l in lines[i:]):
                    return m.group(1)
            return None
        return wait_until(find, timeout, "a subscription to %s" % topic_filter)


# ---------------------------------------------------------------- HTTP feeds

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from the server's root; records requests; no log noise."""

    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map)
    extensions_map.update({".rss": "application/rss+xml", ".atom": "application/atom+xml"})

    def do_GET(self):
        self.server.record(self.path, dict(self.headers.items()))
        super().do_GET()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class FeedServer:
    """A real HTTP server on 127.0.0.1 in a thread, serving a temp dir."""

    # Files get explicit, increasing modification times, so that a replaced
    # file is always newer than the one before (never the same second).
    _MTIME_BASE = 1_790_000_000

    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.requests = []
        self._lock = threading.Lock()
        self._generation = 0
        handler = functools.partial(_QuietHandler, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.record = self._record
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def _record(self, path, headers):
        with self._lock:
            self.requests.append((path, headers))

    def requests_for(self, name):
        """The request headers of every GET of /name so far, in order."""
        with self._lock:
            return [h for p, h in self.requests if p == "/" + name]

    def url(self, name):
        return "http://127.0.0.1:%d/%s" % (self.port, name)

    def put_bytes(self, name, data):
        """Serve data as /name from now on."""
        path = os.path.join(self.root, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        self._generation += 1
        mtime = self._MTIME_BASE + 60 * self._generation
        os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)

    def put_fixture(self, name, fixture):
        """Serve tests/fixtures/feeds/fixture as /name from now on."""
        with open(os.path.join(FIXTURES, fixture), "rb") as f:
            self.put_bytes(name, f.read())

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@dataclass
class Request:
    """One request as a RouteServer saw it."""
    method: str
    path: str
    headers: dict           # header names lower-cased
    at: float               # time.monotonic() when it arrived
    info: dict = field(default_factory=dict)   # what the route noted (sent, closed_at...)


class _RouteHandler(http.server.BaseHTTPRequestHandler):
    """Dispatches GET PATH to the route of PATH (query string ignored)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.close_connection = True
        req = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()},
                      time.monotonic())
        self.server.owner._record(req)
        route = self.server.owner.route_for(self.path.split("?", 1)[0])
        try:
            if route is None:
                self.reply(404, b"not found\n", content_type="text/plain")
            else:
                route(self, req)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            req.info.setdefault("closed_at", time.monotonic())

    # -- helpers for routes

    def reply(self, status, body=b"", headers=(), content_type="application/rss+xml"):
        """A whole response with a Content-Length; no body for 304."""
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        if status != 304 and body:
            self.wfile.write(body)
            self.wfile.flush()

    def reply_chunked(self, status, chunks, headers=(), content_type="application/rss+xml"):
        """A response in chunked transfer encoding (no length known up front)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def redirect(self, status, location):
        self.reply(status, b"", headers=[("Location", location)], content_type="text/plain")

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class RouteServer:
    """A real HTTP/1.1 server on 127.0.0.1 in a thread whose paths behave as
    the test says: route(path, fn) makes GET path call fn(handler, request).
    Every request is recorded (path, headers, arrival time). Long-running
    routes should watch .stopping (a threading.Event) to end at teardown."""

    def __init__(self):
        self.requests = []
        self.routes = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RouteHandler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def route(self, path, fn):
        self.routes[path] = fn
        return self.url(path)

    def route_for(self, path):
        return self.routes.get(path)

    def _record(self, req):
        with self._lock:
            self.requests.append(req)

    def requests_for(self, path):
        """The Requests for path so far, in order of arrival."""
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def all_requests(self):
        with self._lock:
            return list(self.requests)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# ---------------------------------------------------------------- logs and /proc

class LogFile:
    """A log file some process writes; read it whole, wait for lines in it."""

    def __init__(self, path):
        self.path = path

    def text(self):
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def lines(self):
        return self.text().splitlines()

    def matching(self, regex):
        """The re.Match objects of the lines matching regex, in order."""
        r = re.compile(regex)
        return [m for m in (r.search(line) for line in self.lines()) if m]

    def wait_for(self, regex, timeout, what=None, count=1):
        """Wait until count lines match regex; return their matches."""
        return wait_until(lambda: (lambda ms: ms if len(ms) >= count else None)(
            self.matching(regex)), timeout, what or "%d log line(s) matching %r in %s"
            % (count, regex, self.path))


def proc_status_kib(pid, key):
    """A "kB" value of /proc/PID/status (VmHWM, VmRSS...) in KiB; None if gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


# ---------------------------------------------------------------- subscriber

# topic, QoS, retain flag, expiry, content type, user properties, payload hex
SUB_FORMAT = r"%t\t%q\t%r\t%E\t%C\t%P\t%x"


@dataclass
class Message:
    """One message as a subscriber received it."""
    topic: str
    qos: int
    retain: int
    expiry: object          # int, or None when the message had no expiry
    content_type: str
    user_props: dict
    payload: bytes
    received: float = field(default=0.0)

    @property
    def encoding(self):
        return self.user_props.get("content-encoding")

    def text(self):
        """The payload as text: inflated when it says zlib."""
        data = zlib.decompress(self.payload) if self.encoding == "zlib" else self.payload
        return data.decode("utf-8")


def parse_sub_line(line):
    """Parse one line of mosquitto_sub -F SUB_FORMAT."""
    topic, qos, retain, expiry, ctype, props, hexdata = line.split("\t")
    user = {}
    for pair in props.split(" ") if props else []:
        k, _, v = pair.partition(":")
        user[k] = v
    return Message(topic, int(qos), int(retain), int(expiry) if expiry else None, ctype, user,
                   bytes.fromhex(hexdata), time.monotonic())


class Subscriber:
    """A real mosquitto_sub (MQTT v5, QoS 1) collecting messages in a thread.

    session=True makes it a persistent session that never expires (-c):
    what is published for it while it is away (the broker restarting) is
    kept for it, and mosquitto_sub reconnects by itself. It then runs until
    stopped; otherwise it exits after `wait` seconds (-W).
    """

    _count = 0

    def __init__(self, broker, topics=("news/#",), name="sub", args=(), session=False,
                 wait=110):
        """args: more mosquitto_sub options (--cafile, -u, -P...); session:
        a persistent session (-c, the longest expiry); wait: seconds before
        mosquitto_sub gives up (-W) when not persistent."""
        Subscriber._count += 1
        self.broker = broker
        self.topics = list(topics)
        self.args = list(args)
        self.client_id = "e2e-%s-%d-%d" % (name, os.getpid(), Subscriber._count)
        self.session = session
        self.wait = wait
        self.proc = None
        self._messages = []
        self._errors = []
        self._lock = threading.Lock()
        self._thread = None

    def start(self, timeout=5.0):
        """Start and wait (bounded) until the broker acknowledged the subscription."""
        since = self.broker.mark()
        argv = [MOSQUITTO_SUB, "-h", "127.0.0.1", "-p", str(self.broker.port), "-V", "mqttv5",
                "-q", "1", "-i", self.client_id, "-F", SUB_FORMAT] + self.args
        if self.session:
            argv += ["-c", "-x", "4294967295"]
        else:
            argv += ["-W", str(self.wait)]
        for t in self.topics:
            argv += ["-t", t]
        # Its error messages land among the messages, reported as unparsable.
        self.proc = track(subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self.broker.wait_subscribed(self.client_id, since, timeout)
        return self

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            try:
                msg = parse_sub_line(line)
            except ValueError as e:
                with self._lock:
                    self._errors.append("%s: %r" % (e, line[:200]))
                continue
            with self._lock:
                self._messages.append(msg)

    @property
    def messages(self):
        with self._lock:
            if self._errors:
                raise AssertionError("unparsable subscriber output: %s" % self._errors)
            return list(self._messages)

    def live(self):
        """Messages published while subscribed (retain flag 0 on delivery)."""
        return [m for m in self.messages if not m.retain]

    def retained(self):
        """Messages the broker held and sent on subscription (retain flag 1)."""
        return [m for m in self.messages if m.retain]

    def wait_for(self, predicate, timeout, what):
        """Wait until predicate(messages) is true; return its value."""
        return wait_until(lambda: predicate(self.messages), timeout, what)

    def stop(self):
        stop_process(self.proc)
        if self._thread is not None:
            self._thread.join(timeout=3)
        if self.proc is not None:
            _close_pipes(self.proc)


def retained_snapshot(broker, topics=("news/#",), settle_topic=None, timeout=5.0):
    """What a device that boots now gets: the retained messages, by topic.

    Subscribes a fresh client and waits until settle_topic (or, without it,
    any message) arrived, then a short quiet moment for the rest of the
    burst the broker sends on subscription.
    """
    sub = Subscriber(broker, topics, name="snapshot").start()
    try:
        sub.wait_for(lambda ms: any(settle_topic in (None, m.topic) for m in ms), timeout,
                     "retained %s" % (settle_topic or "messages"))
        # The broker sends all retained messages in one go on subscription;
        # wait until nothing new arrived for a moment.
        last = -1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            n = len(sub.messages)
            if n == last:
                break
            last = n
            time.sleep(0.1)
        return {m.topic: m for m in sub.retained()}
    finally:
        sub.stop()


# ---------------------------------------------------------------- daemon

def _environ(more):
    """The environment for a child: ours, with more (a dict) on top; None: ours."""
    if not more:
        return None
    env = dict(os.environ)
    env.update(more)
    return env


@dataclass
class RunResult:
    rc: int
    stdout: str
    stderr: str
    elapsed: float

    def describe(self):
        return "exit %s after %.2fs\n--- stdout\n%s--- stderr\n%s" % (
            self.rc, self.elapsed, self.stdout, self.stderr)


class Build:
    """The programs under test in BUILD_DIR."""

    def __init__(self, build_dir):
        self.dir = os.path.abspath(build_dir)
        self.daemon = os.path.join(self.dir, "newsdigestd")
        self.cli = os.path.join(self.dir, "newsdigest")
        for p in (self.daemon, self.cli):
            if not os.access(p, os.X_OK):
                raise SystemExit("%s: not an executable; run make first" % p)

    def run(self, argv, timeout, env=None):
        """Run a program to its end (bounded); return a RunResult. env: more
        environment variables."""
        start = time.monotonic()
        proc = track(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, env=_environ(env)))
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=5)
            raise AssertionError("%s did not finish within %ss:\n%s" % (
                " ".join(argv), timeout, err.decode("utf-8", "replace")))
        return RunResult(proc.returncode, out.decode("utf-8", "replace"),
                         err.decode("utf-8", "replace"), time.monotonic() - start)

    def run_once(self, config, timeout=45.0, args=(), env=None):
        """newsdigestd -c config --once [ARGS] (its own bound is ~30 s)."""
        return self.run([self.daemon, "-c", config, "--once"] + list(args), timeout, env)

    def check(self, config, flag="-n", env=None):
        """newsdigestd -n -c config."""
        return self.run([self.daemon, flag, "-c", config], 10.0, env)

    def version(self):
        """The version newsdigestd --version prints."""
        return self.run([self.daemon, "--version"], 10.0).stdout.split()[-1]

    def spawn_daemon(self, config, logpath, once=False, args=(), env=None):
        """Start newsdigestd [ARGS] in the background, stderr to logpath."""
        argv = [self.daemon, "-c", config] + (["--once"] if once else []) + list(args)
        with open(logpath, "wb") as log:
            return track(subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                          stdout=log, stderr=subprocess.STDOUT,
                                          env=_environ(env)))

    def spawn_cat(self, args):
        """Start `newsdigest cat ARGS` in the background, output piped."""
        return track(subprocess.Popen([self.cli, "cat"] + list(args), stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))


def daemon_config(path, state_dir, port, feeds, profiles=None, client_id=None, daemon=None,
                  mqtt=None):
    """Write a newsdigestd config file and return its path.

    feeds and profiles map a section name to a dict of keys; profiles=None
    leaves the [profile] sections out (the built-in default profile).
    mqtt: more [mqtt] keys (a "host" there replaces 127.0.0.1).
    """
    lines = ["; written by tests/integration", "[daemon]", "state_dir = %s" % state_dir]
    for k, v in (daemon or {}).items():
        lines.append("%s = %s" % (k, v))
    mqtt = dict(mqtt or {})
    lines += ["", "[mqtt]", "host = %s" % mqtt.pop("host", "127.0.0.1"), "port = %d" % port]
    if client_id:
        lines.append("client_id = %s" % client_id)
    lines += ["%s = %s" % kv for kv in mqtt.items()]
    for name, keys in (profiles or {}).items():
        lines += ["", "[profile %s]" % name] + ["%s = %s" % kv for kv in keys.items()]
    for name, keys in feeds.items():
        lines += ["", "[feed %s]" % name] + ["%s = %s" % kv for kv in keys.items()]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def make_workdir(tag):
    return tempfile.mkdtemp(prefix="nd-e2e-%s-" % tag)


def remove_workdir(path):
    if path and not os.environ.get("ND_E2E_KEEP"):
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- oracles

def item_id(feed, guid):
    """The digest id DESIGN §2 defines: FNV-1a 64 of feed, NUL, guid; 16 hex."""
    h = 0xcbf29ce484222325
    for b in feed.encode("utf-8") + b"\0" + guid.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


class _TextOnly(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(markup):
    """HTML to plain text: tags out, entities decoded, white space collapsed."""
    p = _TextOnly()
    p.feed(markup)
    p.close()
    return " ".join(html.unescape("".join(p.parts)).split())


@dataclass
class FixtureItem:
    guid: str
    title: str
    link: str
    published: int
    categories: list
    text: str               # the article body as plain text
    author: str             # "" when none


_ATOM = "{http://www.w3.org/2005/Atom}"


def fixture_items(fixture):
    """The items of a fixture feed, in document order, read with ElementTree."""
    root = ET.parse(os.path.join(FIXTURES, fixture)).getroot()
    items = []
    if root.tag == "rss":
        for it in root.iter("item"):
            items.append(FixtureItem(
                guid=it.findtext("guid").strip(),
                title=" ".join(it.findtext("title").split()),
                link=it.findtext("link").strip(),
                published=int(email.utils.parsedate_to_datetime(it.findtext("pubDate"))
                              .timestamp()),
                categories=[c.text.strip() for c in it.findall("category")],
                text=plain_text(it.findtext("description") or ""),
                author=""))
    else:
        for e in root.iter(_ATOM + "entry"):
            link = [l for l in e.findall(_ATOM + "link") if l.get("rel", "alternate") ==
                    "alternate"][0].get("href")
            stamp = e.findtext(_ATOM + "published") or e.findtext(_ATOM + "updated")
            content = e.find(_ATOM + "content")
            body = content.text if content is not None and content.text else \
                e.findtext(_ATOM + "summary")
            author = e.find(_ATOM + "author")
            items.append(FixtureItem(
                guid=e.findtext(_ATOM + "id").strip(),
                title=" ".join(e.findtext(_ATOM + "title").split()),
                link=link,
                published=int(datetime.fromisoformat(stamp).timestamp()),
                categories=[c.get("term") for c in e.findall(_ATOM + "category")],
                text=plain_text(body),
                author=author.findtext(_ATOM + "name").strip() if author is not None else ""))
    return items


# Characters that NFKD does not take apart, as DESIGN §2 folds them.
_FOLD_EXTRA = {
    "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "Þ": "Th",
    "þ": "th", "Ð": "D", "ð": "d", "Ł": "L", "ł": "l", "\u00a0": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2026": "...",
}


def ascii_fold(s):
    """Fold text to printable ASCII the way DESIGN §2 describes (“ ” → ",
    é → e, — → -, … → ...). Raises ValueError on a character it does not
    know, so that the oracle never guesses."""
    out = []
    for ch in s:
        if " " <= ch <= "~":
            out.append(ch)
        elif ch in _FOLD_EXTRA:
            out.append(_FOLD_EXTRA[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                           if not unicodedata.combining(c))
            if not base or not all(" " <= c <= "~" for c in base):
                raise ValueError("ascii_fold: no folding known for %r" % ch)
            out.append(base)
    return "".join(out)


def zlib_window_bits(payload):
    """The window size (log2) a zlib stream's header asks for: CINFO + 8."""
    return (payload[0] >> 4) + 8


def is_zlib_stream(payload):
    """Tell whether payload starts with a valid zlib (RFC 1950) header."""
    return len(payload) >= 2 and payload[0] & 0x0F == 8 and \
        ((payload[0] << 8) | payload[1]) % 31 == 0


def inflate_exact(payload, window_bits):
    """Inflate a whole zlib stream with a window of 2^window_bits bytes.

    Fails unless the stream ends exactly at the end of the payload (checked
    Adler-32, no trailing bytes), as a device with that much RAM would need.
    """
    d = zlib.decompressobj(window_bits)
    out = d.decompress(payload)
    if not d.eof or d.unused_data:
        raise AssertionError("zlib stream not whole: eof=%s, %d trailing bytes" % (
            d.eof, len(d.unused_data)))
    return out


def feed_server(case):
    """A FeedServer on the www/ folder of a test class's workdir, stopped
    with the class."""
    server = FeedServer(os.path.join(case.workdir, "www"))
    case.addClassCleanup(server.stop)
    return server


class BrokerCase(unittest.TestCase):
    """A test class with its own temp dir (named by TAG) and mosquitto,
    both gone with the class, even when its setup fails half-way."""

    TAG = "case"

    @classmethod
    def setUpClass(cls):
        cls.workdir = make_workdir(cls.TAG)
        cls.addClassCleanup(remove_workdir, cls.workdir)
        cls.broker = Broker(cls.workdir).start()
        cls.addClassCleanup(cls.broker.stop)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.workdir, name)


# ---------------------------------------------------------------- runner

class CountingResult(unittest.TextTestResult):
    """Counts passes."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def load_suite(argv, module, classes):
    """The command line every suite takes, BUILD_DIR [TestClass[.test_method]
    ...]: set module.BUILD to the build and return the named tests, or the
    classes' in order; None (usage printed) when argv is not that."""
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: %s BUILD_DIR [TestClass[.test_method] ...]" % argv[0], file=sys.stderr)
        return None
    module.BUILD = Build(argv[1])
    loader = unittest.TestLoader()
    if argv[2:]:
        return loader.loadTestsFromNames(argv[2:], module)
    return unittest.TestSuite(loader.loadTestsFromTestCase(c) for c in classes)


def main(argv, module, classes):
    """The whole main of a suite with nothing to do around its tests:
    load_suite(), then run_suite(); returns the exit status."""
    suite = load_suite(argv, module, classes)
    return 2 if suite is None else run_suite(suite)


def run_suite(suite, before=None, after=None):
    """Run suite verbosely; print the time taken and the closing line
    "N passed, M failed, K skipped"; kill every process the harness
    started, even on failure. before/after run around it. Returns the exit
    status (1 when something failed)."""
    started = time.monotonic()
    result = None
    try:
        if before is not None:
            before()
        runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                         resultclass=CountingResult)
        result = runner.run(suite)
    finally:
        if after is not None:
            after()
        kill_all()
    failed = (len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses) +
              len(result.expectedFailures))
    print("suite took %.1fs" % (time.monotonic() - started))
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)),
          flush=True)
    return 1 if failed else 0
