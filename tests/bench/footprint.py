#!/usr/bin/env python3
"""
The daemon's footprint with 100 feeds, for make bench (figures, never
pass/fail): a real newsdigestd, a real mosquitto and a local HTTP server
(tests/integration/harness.py), nothing else.

    python3 tests/bench/footprint.py BUILD_DIR

The 100 feeds are the repo's sample feeds (config/samples, and
tests/fixtures/feeds), served under 100 names by a Python HTTP server that
answers conditional GETs (Last-Modified, 304) as most news sites do.

Run 1 (interval 10s): peak and steady memory (RssAnon: the daemon's own
pages; VmRSS: with the shared library pages it maps), CPU seconds of the
first cycle (start-up, parsing, every digest made and published) and per
later cycle (all 100 feeds polled, 304 Not Modified).
Run 2 (interval 1h): the daemon idle after its first cycle; its wake-ups
are the context switches (voluntary + involuntary, every thread) over a
30 s window, scaled to a minute.
Then the stripped binaries' sizes.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
import harness as h  # noqa: E402

NFEEDS = 100
CYCLES = 3              # later cycles measured in run 1
IDLE_WINDOW = 30.0      # seconds of idle watched in run 2
TICKS = os.sysconf("SC_CLK_TCK")


def status(pid):
    """RssAnon, VmRSS and VmHWM of a process in KiB, and its context switches."""
    out = {"ctxt": 0}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, val = line.partition(":")
            if key in ("RssAnon", "VmRSS", "VmHWM"):
                out[key] = int(val.split()[0])
    for t in glob.glob("/proc/%d/task/*/status" % pid):
        with open(t) as f:
            for line in f:
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    out["ctxt"] += int(line.split()[1])
    return out


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Sampler:
    """Samples a process's memory every 50 ms in a thread; keeps the peaks."""

    def __init__(self, pid):
        self.pid = pid
        self.peak_anon = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                s = status(self.pid)
            except (FileNotFoundError, ProcessLookupError):
                return
            self.peak_anon = max(self.peak_anon, s.get("RssAnon", 0))
            self.peak_rss = max(self.peak_rss, s.get("VmRSS", 0), s.get("VmHWM", 0))
            self._stop.wait(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)


def sample_feeds():
    files = sorted(glob.glob(os.path.join(REPO, "config", "samples", "*")))
    files += sorted(glob.glob(os.path.join(REPO, "tests", "fixtures", "feeds", "*.rss")))
    files += sorted(glob.glob(os.path.join(REPO, "tests", "fixtures", "feeds", "*.atom")))
    return files


def start_daemon(build, workdir, broker, http, tag, interval):
    feeds = {"f%03d" % i: {"url": http.url("f%03d.xml" % i), "interval": interval}
             for i in range(NFEEDS)}
    conf = h.daemon_config(os.path.join(workdir, tag + ".conf"),
                           os.path.join(workdir, tag + "-state"), broker.port, feeds,
                           client_id="bench-" + tag)
    return build.spawn_daemon(conf, os.path.join(workdir, tag + ".log"))


def wait_requests(http, n, timeout):
    h.wait_until(lambda: len(http.requests) >= n, timeout, "%d feed requests" % n, 0.05)


def main(argv):
    if len(argv) != 2:
        print("usage: footprint.py BUILD_DIR", file=sys.stderr)
        return 2
    build = h.Build(argv[1])
    workdir = tempfile.mkdtemp(prefix="nd-bench-")
    broker = http = proc = sampler = None
    try:
        broker = h.Broker(workdir).start()
        http = h.FeedServer(os.path.join(workdir, "www"))
        files = sample_feeds()
        for i in range(NFEEDS):
            http.put_bytes("f%03d.xml" % i, open(files[i % len(files)], "rb").read())
        print("%d feeds (%d sample feeds, each under %d names), one mosquitto, one HTTP "
              "server, all local" % (NFEEDS, len(files), -(-NFEEDS // len(files))))

        # Run 1: polling every 10 s.
        proc = start_daemon(build, workdir, broker, http, "poll", "10s")
        sampler = Sampler(proc.pid)
        wait_requests(http, NFEEDS, 30)
        time.sleep(2)    # the digests of the last feeds made and acknowledged
        first = cpu_seconds(proc.pid)
        base = len(http.requests)
        mark = (base + NFEEDS - 1) // NFEEDS * NFEEDS
        wait_requests(http, mark, 30)
        t0, c0 = time.monotonic(), cpu_seconds(proc.pid)
        wait_requests(http, mark + CYCLES * NFEEDS, 30 + CYCLES * 15)
        time.sleep(1)
        t1, c1 = time.monotonic(), cpu_seconds(proc.pid)
        steady = status(proc.pid)
        sampler.stop()
        peak_anon, peak_rss = sampler.peak_anon, sampler.peak_rss
        h.stop_process(proc)
        print("memory, KiB: RssAnon peak %d, steady %d; VmRSS (with shared libraries) "
              "peak %d, steady %d" % (peak_anon, steady["RssAnon"], peak_rss, steady["VmRSS"]))
        print("CPU seconds: first cycle (start-up, %d feeds parsed, digests made and "
              "published) %.2f; later cycles (%d feeds polled, 304) %.3f per cycle "
              "(%d cycles over %.0f s)" % (NFEEDS, first, NFEEDS, (c1 - c0) / CYCLES, CYCLES,
                                            t1 - t0))

        # Run 2: idle after the first cycle.
        http.requests.clear()
        proc = start_daemon(build, workdir, broker, http, "idle", "1h")
        wait_requests(http, NFEEDS, 30)
        time.sleep(3)
        s0, c0 = status(proc.pid), cpu_seconds(proc.pid)
        time.sleep(IDLE_WINDOW)
        s1, c1 = status(proc.pid), cpu_seconds(proc.pid)
        h.stop_process(proc)
        wakeups = (s1["ctxt"] - s0["ctxt"]) * 60.0 / IDLE_WINDOW
        print("idle: %.0f wake-ups per minute (context switches over %.0f s, scaled), "
              "%.2f CPU seconds; its timers: the keepalive check every 15 s, stats every 60 s"
              % (wakeups, IDLE_WINDOW, c1 - c0))

        for name in ("newsdigestd", "newsdigest"):
            stripped = os.path.join(workdir, name + ".stripped")
            subprocess.run(["strip", "-o", stripped, os.path.join(build.dir, name)], check=True)
            size = os.path.getsize(stripped)
            print("stripped %s: %d bytes (%.0f KiB)" % (name, size, size / 1024))
        print("targets: RssAnon < 4096 KiB: %s; binary < 300 KiB: %s" % (
            "met" if peak_anon < 4096 else "not met",
            "met" if os.path.getsize(os.path.join(workdir, "newsdigestd.stripped")) <
            300 * 1024 else "not met"))
    finally:
        if sampler is not None:
            sampler.stop()
        if proc is not None:
            h.stop_process(proc)
        if http is not None:
            http.stop()
        if broker is not None:
            broker.stop()
        h.kill_all()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
