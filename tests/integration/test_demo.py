#!/usr/bin/env python3
"""
Integration test of the demo behind `make run` (tests/demo.sh): the
newcomer's first run. The real script, its real mosquitto, newsdigestd
and `newsdigest cat`; Ctrl-C is a SIGINT to the script's process group,
as a terminal sends it.

    python3 tests/integration/test_demo.py BUILD_DIR [TestClass[.test_method] ...]

The last line printed is "N passed, M failed, K skipped".

What is pinned: every sample item is shown once with its headline, and
the daemon's online status; on Ctrl-C the daemon stops first, so the
subscriber shows its offline status, exactly once; then the subscriber
and the broker stop, the temporary directory is removed, the script
says "demo stopped" and exits 0, and no process of it is left.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BUILD = None  # harness.Build of BUILD_DIR, set by main()
SAMPLES = os.path.join(h.REPO, "config", "samples")
ATOM = "{http://www.w3.org/2005/Atom}"


def sample_titles():
    """The headlines of every item of the sample feeds, read with ElementTree
    (an Atom title of type html as plain text)."""
    titles = []
    for name in sorted(os.listdir(SAMPLES)):
        root = ET.parse(os.path.join(SAMPLES, name)).getroot()
        for item in root.iter("item"):
            titles.append(h.plain_text(item.findtext("title")))
        for entry in root.iter(ATOM + "entry"):
            title = entry.find(ATOM + "title")
            text = title.text or ""
            titles.append(h.plain_text(text) if title.get("type") == "html" else text.strip())
    return titles


def processes_under(path):
    """Pids of the processes whose command line names path."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if path.encode() in f.read():
                    pids.append(int(pid))
        except OSError:
            pass
    return pids


class CtrlC(unittest.TestCase):
    """make run's demo from start to Ctrl-C."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="nd-demo-")
        cls.tmpdir = os.path.join(cls.tmp, "tmp")
        os.mkdir(cls.tmpdir)
        cls.out = os.path.join(cls.tmp, "demo.out")
        env = dict(os.environ, TMPDIR=cls.tmpdir)
        with open(cls.out, "wb") as out:
            cls.proc = h.track(subprocess.Popen(
                ["bash", "tests/demo.sh", BUILD.dir], cwd=h.REPO, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True))
        cls.titles = sample_titles()
        try:
            # Every sample item shown, then Ctrl-C.
            h.wait_until(lambda: all(t in cls.text() for t in cls.titles), 30,
                         "the demo showing every sample item")
            cls.before = cls.text()
            os.killpg(cls.proc.pid, signal.SIGINT)
            cls.rc = cls.proc.wait(timeout=20)
            cls.left = processes_under(cls.tmpdir)
        finally:
            for pid in processes_under(cls.tmpdir):
                os.kill(pid, signal.SIGKILL)
            if cls.proc.poll() is None:
                os.killpg(cls.proc.pid, signal.SIGKILL)
                cls.proc.wait(timeout=5)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def text(cls):
        with open(cls.out, encoding="utf-8", errors="replace") as f:
            return f.read()

    def test_every_item_shown_once(self):
        """Each sample item's headline is shown exactly once, with the
        online status of the daemon before Ctrl-C."""
        for t in self.titles:
            self.assertEqual(self.before.count(t), 1, t)
        self.assertIn('"state":"online"', self.before)

    def test_offline_shown_once_after_ctrl_c(self):
        """Ctrl-C stops the daemon before the subscriber and the broker:
        its offline status is shown, once."""
        text = self.text()
        self.assertEqual(text.count('{"state":"offline"}'), 1, text)
        self.assertGreater(text.index('{"state":"offline"}'), text.index('"state":"online"'))

    def test_stops_cleanly(self):
        """The script exits 0 saying so, its temporary directory is gone and
        no process of it (broker, daemon, subscriber) is left."""
        self.assertEqual(self.rc, 0, self.text())
        self.assertEqual(self.text().rstrip().splitlines()[-1], "demo stopped")
        self.assertEqual(os.listdir(self.tmpdir), [])
        self.assertEqual(self.left, [])

    def test_tells_how_to_watch(self):
        """The script names the broker's port and a mosquitto_sub command
        line for it, which is the port the subscriber uses."""
        port = re.search(r"mosquitto on 127\.0\.0\.1:(\d+)", self.text())
        self.assertIsNotNone(port, self.text())
        self.assertIn("mosquitto_sub -p %s" % port.group(1), self.text())


if __name__ == "__main__":
    sys.exit(h.main(sys.argv, sys.modules[__name__], (CtrlC,)))
