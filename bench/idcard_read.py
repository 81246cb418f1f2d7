"""Time from request to parsed card, over a pty, with the simulator pacing its output at 115200 baud.

A pty ignores the baud rate, so the simulator (`kiosk devices simulate idcard --pace-baud`) waits out
each request's wire time and releases each reply at 10 bits a byte. The figure is therefore the wire
time of every frame exchanged plus our software's overhead; the target is a median within 1.1x the
wire time of find -> select -> read. Prints figures only, asserts nothing.

    .venv/bin/python bench/idcard_read.py [--runs 200] [--baud 115200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from drivers.idcard.frames import build_request  # noqa: E402
from drivers.idcard.serial_reader import SerialIdCardReader, wire_time_s  # noqa: E402

REQUEST = len(build_request(0x20, 0x01))  # every command frame is 10 bytes
FIND_REPLY, SELECT_REPLY, READ_REPLY, NO_ADDRESS_REPLY = 15, 19, 1295, 11


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(reader: SerialIdCardReader, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if not reader.find_card():
            raise SystemExit("no card on the simulated reader")
        reader.read_found_card()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="idcard-bench-") as tmp, subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", tmp, "devices", "simulate", "idcard",
         "--pace-baud", str(args.baud)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as sim:
        assert sim.stdout is not None
        port = sim.stdout.readline().strip()
        try:
            rows = []
            for label, address, replies in (
                ("find+select+read (30 01)", False, FIND_REPLY + SELECT_REPLY + READ_REPLY),
                ("find+select+read+new address (30 03)", True,
                 FIND_REPLY + SELECT_REPLY + READ_REPLY + NO_ADDRESS_REPLY),
            ):
                with SerialIdCardReader(port, args.baud, additional_address=address) as reader:
                    measure(reader, 5)  # warm-up: port open, imports, first allocations
                    times = measure(reader, args.runs)
                requests = 4 if address else 3
                wire = wire_time_s(requests * REQUEST + replies, args.baud)
                rows.append((label, requests * REQUEST + replies, wire, times))
        finally:
            sim.terminate()
    print(f"ID-card read over a pty, simulator paced at {args.baud} baud 8N1 (10 bits/byte), {args.runs} runs")
    print(f"{'sequence':<40} {'bytes':>6} {'wire ms':>8} {'median ms':>10} {'p95 ms':>8} {'median/wire':>12}")
    for label, nbytes, wire, times in rows:
        median, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{label:<40} {nbytes:>6} {wire * 1e3:>8.2f} {median * 1e3:>10.2f} {p95 * 1e3:>8.2f} "
              f"{median / wire:>11.3f}x")
    print("target: median within 1.10x of the wire time of find+select+read")


if __name__ == "__main__":
    main()
