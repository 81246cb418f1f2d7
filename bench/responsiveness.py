"""How late the GUI thread's ticks come while a card read of 2 s runs on a `DeviceWorker`.

The real serial backend reads from the byte-faithful simulator, told to answer the read command 2 s
late. A 10 ms QTimer on the GUI thread records how late each tick comes, first with the event loop
idle for the same time (the floor: what the platform and the machine give any Qt program), then with
the read running on the worker. Target: the longest gap under 100 ms, and not far above the floor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/responsiveness.py [--runs 5] [--delay 2.0]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from drivers.idcard.factory import SimulatedIdCardReader, open_reader  # noqa: E402
from drivers.idcard.simulator import READ, Fault  # noqa: E402
from ui.workers import DeviceWorker  # noqa: E402

TARGET_MS = 100.0
TICK_MS = 10


def gaps_while(start: Callable[[QEventLoop], None], *, limit_s: float) -> list[float]:
    """Gaps in ms between 10 ms ticks while the event loop runs until `start`'s work quits it."""
    loop = QEventLoop()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(int(limit_s * 1000))
    timer.start()
    ticks.append(time.monotonic())
    start(loop)
    loop.exec()
    ticks.append(time.monotonic())
    timer.stop()
    guard.stop()
    return [1000 * (b - a) for a, b in itertools.pairwise(ticks)]


def idle(delay_s: float) -> list[float]:
    def start(loop: QEventLoop) -> None:
        QTimer.singleShot(int(delay_s * 1000), loop.quit)

    return gaps_while(start, limit_s=delay_s + 5)


def reading(delay_s: float) -> list[float]:
    reader = open_reader("simulated", port="")
    assert isinstance(reader, SimulatedIdCardReader)
    reader.simulator.slow_delay_s = delay_s
    reader.simulator.inject(Fault.SLOW, command=READ)
    worker = DeviceWorker("idcard")
    results: list[object] = []
    try:
        def start(loop: QEventLoop) -> None:
            call = worker.submit(reader.read_card, delay_s + 3)
            call.finished.connect(lambda card: (results.append(card), loop.quit()))
            call.failed.connect(lambda exc: (results.append(exc), loop.quit()))

        gaps = gaps_while(start, limit_s=delay_s + 10)
    finally:
        worker.shutdown()
        reader.close()
    if not results or isinstance(results[0], BaseException):
        raise SystemExit(f"the card read did not complete: {results!r}")
    return gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the reader takes to answer")
    parser.add_argument("--quick", action="store_true", help="one run of 0.5 s")
    args = parser.parse_args()
    runs, delay = (1, 0.5) if args.quick else (args.runs, args.delay)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    floor = [max(idle(delay)) for _ in range(runs)]
    busy = [max(reading(delay)) for _ in range(runs)]
    worst_floor, worst = max(floor), max(busy)
    print(f"runs {runs}, reader answers after {delay:.1f} s, GUI timer every {TICK_MS} ms")
    print(f"longest gap, event loop idle (floor)     median {statistics.median(floor):6.1f} ms  "
          f"max {worst_floor:6.1f} ms")
    print(f"longest gap, card read on the worker     median {statistics.median(busy):6.1f} ms  max {worst:6.1f} ms")
    print(f"ratio to the floor                       {worst / worst_floor:6.2f}x")
    print(f"target: < {TARGET_MS:.0f} ms  ->  {'PASS' if worst < TARGET_MS else 'FAIL'}")
    del app


if __name__ == "__main__":
    main()
