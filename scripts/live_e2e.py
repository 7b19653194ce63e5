#!/usr/bin/env python3
"""The real audio path of `kanonc run`, against a JACK dummy server.

  scripts/live_e2e.py edits [--edits 200]   200 edits at random intervals; checks that no
                                            kanonc callback missed its deadline (jackd log;
                                            --strict: no xrun at all, also the dummy
                                            driver's own timer misses), every edit swapped,
                                            finite output; reports save-to-swap latency.
  scripts/live_e2e.py load                  callback CPU load at 256-frame buffers for a few
                                            programs (5 s each).

The script starts its own JACK server (`jackd --no-realtime -d dummy -r 48000 -p 256`,
or with realtime scheduling with `--realtime`) under a private server name and stops it
by PID. Without realtime scheduling on a busy machine, the dummy driver itself misses
deadlines now and then (xruns with an idle callback), so for the zero-xrun check use
`--realtime` where the system allows it. Use a release build for figures:
`--kanonc target/release/kanonc`.

Save-to-swap latency: the writer takes the wall clock (CLOCK_REALTIME) right after the
edit's write (or rename) returns; `kanonc run --log-swaps` logs the wall-clock moment the
audio callback installed that edit (matched by the first line, `-- edit N`). So it covers
notification, reading, compiling, the commit, and the wait for the next callback (both
ways of saving here end with a close or a rename, which kanonc takes as the end of the
save without the 3 ms quiet period it waits for otherwise).
"""

import argparse
import os
import random
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_jack(name, period, realtime=False):
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_AUDIO_RESERVATION="1")
    log = open(os.path.join(tempfile.gettempdir(), f"{name}.log"), "w")
    p = subprocess.Popen(
        ["jackd", "-n", name] + ([] if realtime else ["--no-realtime"])
        + ["-d", "dummy", "-r", "48000", "-p", str(period)],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    subprocess.run(["jack_wait", "-w", "-t", "10"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return p, env, log.name


def jack_xruns(logname):
    """(driver timer xruns, clients not finished in time) from the jackd log."""
    text = open(logname).read()
    return (text.count("JackTimedDriver::Process XRun"),
            len(re.findall(r"XRun: client = \S+ was not finished", text)))


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def read_f32_wav(path):
    data = open(path, "rb").read()
    i = 12
    while i < len(data):
        cid, size = data[i:i + 4], struct.unpack("<I", data[i + 4:i + 8])[0]
        if cid == b"data":
            body = data[i + 8:i + 8 + size]
            return struct.unpack(f"<{len(body) // 4}f", body)
        i += 8 + size + (size & 1)
    return ()


def program(i, rng):
    """An edit: the same patch with constants changed, sometimes a bus more or less."""
    f = 110 + (i % 7) * 0.5
    cut = 600 + (i * 37) % 1400
    dt = 0.1 + (i % 5) * 0.01
    extra = f"~shim: tri {1 + i % 3} * 0.05\no2: ~shim\n" if i % 4 == 0 else ""
    return (f"-- edit {i}\n"
            f"~lfo: sine 0.25\n"
            f"~bass: saw 55 # lpf (~lfo * {cut // 2} + {cut}) 0.8\n"
            f"~fm: sine ({f * 2} + sine {f} * {200 + i % 50}) * 0.2\n"
            f"~fb: ~mix # delay (lag {dt:.3f} 0.05) * 0.4\n"
            f"~mix: ~bass * 0.2 + ~fm + ~fb\n"
            f"{extra}"
            f"out: ~mix * 0.5\n")


def save(path, text, how):
    if how == "rename":
        tmp = path + ".tmp~"
        with open(tmp, "w") as fh:
            fh.write(text)
        os.rename(tmp, path)
    else:
        with open(path, "w") as fh:
            fh.write(text)
    return time.time_ns()


def run_kanonc(kanonc, env, path, extra, seconds=None):
    args = [kanonc, "run", "--host", "jack", "--log-swaps", path] + extra
    if seconds:
        args += ["--seconds", str(seconds)]
    p = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, env=env)
    # Wait for the stream to play.
    while True:
        line = p.stderr.readline()
        if not line:
            raise SystemExit("kanonc run ended before playing:\n" + (p.stderr.read() or ""))
        if line.startswith("playing"):
            return p


def summary(text):
    m = re.search(r"^summary: (.*)$", text, re.M)
    if not m:
        return {}
    toks = m.group(1).split()
    out = {}
    i = 0
    while i < len(toks):
        if toks[i] == "block_us":
            out["block_p50"], out["block_p95"], out["block_p99"] = (
                float(toks[i + 2]), float(toks[i + 4]), float(toks[i + 6]))
            i += 7
        elif toks[i] == "max_us":
            out["block_max"] = float(toks[i + 1])
            i += 2
        else:
            out[toks[i]] = toks[i + 1]
            i += 2
    return out


# How soon a next save may replace an edit for the edit to count as coalesced (--ci).
COALESCE_MS = 150


def edits(a):
    rng = random.Random(a.seed)
    name = f"kanon_e2e_{os.getpid()}"
    jack, env, jlog = start_jack(name, 256, a.realtime)
    tmp = tempfile.mkdtemp(prefix="kanon-e2e-")
    path = os.path.join(tmp, "live.kn")
    rec = os.path.join(tmp, "rec.wav")
    save(path, program(0, rng).replace("-- edit 0", "-- start"), "write")
    try:
        k = run_kanonc(a.kanonc, env, path, ["--record", rec])
        time.sleep(0.5)
        written = {}
        for i in range(1, a.edits + 1):
            how = "rename" if i % 2 else "write"
            written[f"-- edit {i}"] = save(path, program(i, rng), how)
            time.sleep(rng.uniform(a.min_ms, a.max_ms) / 1e3)
        time.sleep(1.0)
        k.send_signal(signal.SIGINT)
        _, err = k.communicate(timeout=60)
    finally:
        stop(jack)
    driver_xruns, late = jack_xruns(jlog)
    swaps = {}
    superseded = 0
    for m in re.finditer(r"^swap gen (\d+) (ran|superseded) at_unix_ns (\d+) .* tag (.*)$", err, re.M):
        if m.group(2) == "ran":
            swaps[m.group(4).strip()] = int(m.group(3))
        else:
            superseded += 1
    lat = sorted((swaps[t] - w) / 1e6 for t, w in written.items() if t in swaps)
    s = summary(err)
    samples = read_f32_wav(rec)
    finite = all(x == x and abs(x) != float("inf") for x in samples)
    missing = [t for t in written if t not in swaps]
    print(f"edits {len(written)}, swapped {len(lat)}, superseded {superseded}, missing {len(missing)}")
    # An edit overwritten by the next save before kanonc read the file is coalesced, as
    # it should be: the newer text is what plays. On a loaded machine kanonc may read
    # late, so an edit the next save replaced within COALESCE_MS may be missing; one that
    # stayed on disk longer, or the final edit, may not.
    tags = list(written)
    lost = []
    for t in missing:
        i = tags.index(t)
        gap_ms = (written[tags[i + 1]] - written[t]) / 1e6 if i + 1 < len(tags) else None
        print(f"missing {t!r}: next save {'never' if gap_ms is None else f'{gap_ms:.0f} ms later'}")
        if gap_ms is None or gap_ms > COALESCE_MS:
            lost.append(t)
    print(f"xruns reported to kanonc {s.get('xruns')} (jackd log: dummy driver timer late "
          f"{driver_xruns}, kanonc callback not finished {late}), stream errors {s.get('stream_errors')}, swaps {s.get('swaps')}, "
          f"non-finite blocks {s.get('nonfinite')}, callbacks {s.get('callbacks')}")
    print(f"recorded {len(samples)} samples, all finite: {finite}, "
          f"peak {max((abs(x) for x in samples), default=0):.3f}")
    if lat:
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
        print(f"save-to-swap latency: median {statistics.median(lat):.2f} ms, p99 {p99:.2f} ms, "
              f"max {lat[-1]:.2f} ms (buffer 256 frames = 5.33 ms)")
    print(f"callback: cpu mean {s.get('cpu_mean')}, block p50/p95/p99 "
          f"{s.get('block_p50')}/{s.get('block_p95')}/{s.get('block_p99')} us, "
          f"max {s.get('block_max')} us")
    strict = s.get("xruns") == "0"
    if a.ci:
        # What kanonc answers for on a shared machine: every edit swapped, finite output,
        # no stream errors, and callbacks far inside their deadline. xruns are reported
        # above; on a VM the dummy driver's own realtime thread is late now and then too.
        p99 = s.get("block_p99") or 0.0
        deadline_us = 256 / 48000 * 1e6
        ok = (not lost and finite and samples and s.get("stream_errors") == "0"
              and p99 < 0.25 * deadline_us)
        print(f"ci: callback p99 {p99:.1f} us against a deadline of {deadline_us:.0f} us")
    else:
        ok = ((strict or not a.strict) and late == 0 and not missing and finite and samples
              and s.get("stream_errors") == "0")
    if not ok:
        sys.stderr.write(err[-4000:])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


LOAD_PROGRAMS = {
    "sine440": "out: 0.5 * sine 440",
    "fm": "out: 0.5 * sin (tau * phasor 110 + 2.5 * sine (110 * 1.618))",
    "sawlpf": "out: 0.5 * (saw 110 # lpf (1500 + 1000 * sine 0.25) 0.8)",
    "fbdelay": "~y: 0.3 * sine 220 + 0.5 * (~y # delay 0.1)\nout: ~y",
    "lorenz": ("~x: ~x + 10 * (~y - ~x) * 0.005 init 0.1\n"
               "~y: ~y + (~x * (28 - ~z) - ~y) * 0.005 init 0.1\n"
               "~z: ~z + (~x * ~y - 8/3 * ~z) * 0.005 init 0.1\nout: ~x * 0.05"),
    "bank100": "out: sum i 0..100: sine (55 * (i + 1)) * 0.01",
    "bank1000": "out: sum i 0..1000: sine (55 * (i + 1)) * 0.001",
    "voices500": "out: 0.002 * (sum i 0..500: saw (55 + 1.1 * i) # onepole 0.05)",
}


def load(a):
    name = f"kanon_load_{os.getpid()}"
    jack, env, jlog = start_jack(name, 256, a.realtime)
    tmp = tempfile.mkdtemp(prefix="kanon-load-")
    try:
        print(f"{'program':10} {'cpu mean':>9} {'p50 us':>8} {'p95 us':>8} {'p99 us':>8} {'xruns':>6}"
              f" {'drv/late':>9}")
        for key, text in LOAD_PROGRAMS.items():
            if a.only and key not in a.only.split(","):
                continue
            path = os.path.join(tmp, f"{key}.kn")
            save(path, text + "\n", "write")
            k = run_kanonc(a.kanonc, env, path, [], seconds=a.seconds)
            d0, l0 = jack_xruns(jlog)
            _, err = k.communicate(timeout=a.seconds + 60)
            s = summary(err)
            d1, l1 = jack_xruns(jlog)
            print(f"{key:10} {s.get('cpu_mean', '?'):>9} {s.get('block_p50', 0):8.1f} "
                  f"{s.get('block_p95', 0):8.1f} {s.get('block_p99', 0):8.1f} {s.get('xruns', '?'):>6}"
                  f" {d1 - d0:>4}/{l1 - l0:<4}")
    finally:
        stop(jack)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["edits", "load"])
    ap.add_argument("--kanonc", default=os.path.join(ROOT, "target", "release", "kanonc"))
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--min-ms", type=float, default=40)
    ap.add_argument("--max-ms", type=float, default=250)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ci", action="store_true",
                    help="edits: pass on what kanonc controls (swaps, finite output, callback p99 < 25%% "
                         "of the period) and only report xruns")
    ap.add_argument("--strict", action="store_true",
                    help="edits: fail on any xrun, also the dummy driver's own timer misses")
    ap.add_argument("--only", help="load: comma-separated program names")
    ap.add_argument("--realtime", action="store_true",
                    help="run jackd with realtime scheduling (the default is --no-realtime)")
    a = ap.parse_args()
    sys.exit(edits(a) if a.mode == "edits" else load(a))


if __name__ == "__main__":
    main()
