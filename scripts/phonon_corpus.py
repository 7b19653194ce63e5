#!/usr/bin/env python3
"""Plays Phonon's own programs with kanonc and reports what happens to each.

Usage: scripts/phonon_corpus.py PHONON_DIR [--kanonc PATH] [--seconds S] [--samples DIR]

PHONON_DIR is a clone (or a checkout of a snapshot) of github.com/ekg/phonon. Every
`.ph`/`.phonon` file in it is checked with `kanonc check`, then rendered for S seconds
(default 8, no limiter); a program "plays" when its peak is above 1e-4. One line per
program (`compiled`, `plays`, `silent`, or `error: <first line>`), then a summary: all
programs, and the share of the programs Phonon itself plays (scripts/phonon/playable.txt,
150 programs measured by running Phonon's own parser, compiler and renderer at commit
5da66ef) that kanonc plays too.
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def peak(path):
    """The largest |sample| of a float or integer WAV file (any chunk layout)."""
    with open(path, "rb") as f:
        b = f.read()
    i, fmt, bits = 12, 3, 32
    while i + 8 <= len(b):
        cid, n = b[i:i + 4], struct.unpack("<I", b[i + 4:i + 8])[0]
        if cid == b"fmt ":
            fmt = struct.unpack("<H", b[i + 8:i + 10])[0]
            bits = struct.unpack("<H", b[i + 22:i + 24])[0]
            if fmt == 0xFFFE:
                fmt = struct.unpack("<H", b[i + 32:i + 34])[0]
        if cid == b"data":
            data = b[i + 8:i + 8 + n]
            if fmt == 3 and bits == 32:
                vals = struct.unpack("<%df" % (len(data) // 4), data[: len(data) // 4 * 4])
                return max((abs(v) for v in vals), default=0.0)
            if bits == 16:
                vals = struct.unpack("<%dh" % (len(data) // 2), data[: len(data) // 2 * 2])
                return max((abs(v) / 32768 for v in vals), default=0.0)
            raise SystemExit("unsupported WAV format in " + path)
        i += 8 + n + (n & 1)
    return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("phonon_dir")
    ap.add_argument("--kanonc", default=os.path.join(HERE, "..", "target", "release", "kanonc"))
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--samples", action="append", default=[])
    a = ap.parse_args()
    playable = set(open(os.path.join(HERE, "phonon", "playable.txt")).read().split())
    programs = []
    for root, _, files in os.walk(a.phonon_dir):
        if "/.git" in root or "/target" in root:
            continue
        for name in files:
            if name.endswith((".ph", ".phonon")):
                full = os.path.join(root, name)
                programs.append(os.path.relpath(full, a.phonon_dir))
    programs.sort()
    samples = sum((["--samples", s] for s in a.samples), [])
    counts = {"plays": 0, "silent": 0, "error": 0}
    plays_of_playable = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel in programs:
            src = os.path.join(a.phonon_dir, rel)
            out = os.path.join(tmp, "out.wav")
            r = subprocess.run(
                [a.kanonc, "render", src, "-o", out, "--seconds", str(a.seconds), "--no-limiter"] + samples,
                capture_output=True, text=True, timeout=300,
            )
            if r.returncode != 0:
                first = next((l for l in r.stderr.splitlines() if l.startswith("error")), r.stderr.strip()[:120])
                status = "error: " + first
                counts["error"] += 1
            elif peak(out) > 1e-4:
                status = "plays"
                counts["plays"] += 1
                plays_of_playable += rel in playable
            else:
                status = "silent"
                counts["silent"] += 1
            mark = " (Phonon plays it)" if rel in playable else ""
            print(f"{rel}: {status}{mark}")
    total = len(programs)
    n_playable = len([p for p in programs if p in playable])
    print(
        f"summary: {total} programs: {counts['plays']} play, {counts['silent']} compile but are silent, "
        f"{counts['error']} do not compile; of the {n_playable} Phonon plays, kanonc plays "
        f"{plays_of_playable} ({100.0 * plays_of_playable / max(n_playable, 1):.1f}%)"
    )


if __name__ == "__main__":
    sys.exit(main())
