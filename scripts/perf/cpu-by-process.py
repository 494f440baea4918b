#!/usr/bin/env python3
"""CPU seconds per kind of process while a command runs (Chromium by process type, dotnet, postgres, ...).

    scripts/perf/cpu-by-process.py -- dotnet test HitlConsole.Tests -c Release --no-build --filter "FullyQualifiedName~ReviewQueueJourneyTests"

Samples /proc every half second. Processes alive before the command count only what they used during it; a process
that ends between two samples loses its last half second, so short-lived processes read slightly low.
"""
import collections
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def snapshot():
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])
        if "chrom" in name:
            try:
                with open(f"/proc/{pid}/cmdline") as f:
                    args = f.read().replace("\0", " ").split()  # Chromium rewrites its argv as one string
                kind = next((a[7:] for a in args if a.startswith("--type=")), "browser")
                name = f"chromium {kind}"
            except OSError:
                pass
        found[(pid, fields[19])] = (name, ticks)  # (pid, start time): a reused pid is another process
    return found


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    command = sys.argv[sys.argv.index("--") + 1:]
    before = snapshot()
    latest = dict(before)
    started = time.monotonic()
    process = subprocess.Popen(command)
    while process.poll() is None:
        latest.update(snapshot())
        time.sleep(0.5)
    latest.update(snapshot())
    used = collections.Counter()
    for key, (name, ticks) in latest.items():
        used[name] += (ticks - before.get(key, (name, 0))[1]) / TICK
    print(f"\n{time.monotonic() - started:.0f} s wall, exit {process.returncode}; CPU seconds by process:")
    for name, seconds in used.most_common(12):
        if seconds >= 0.5:
            print(f"  {name:28s} {seconds:8.1f}")
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
