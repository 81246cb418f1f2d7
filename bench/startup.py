"""Start-up: process start to the home screen painted, and resident memory after start.

Each run is a fresh process that goes through the real `kiosk demo` code path (`kiosk.cli.main.main`), with
an application event filter, installed before, that notes the first paint of the main window, prints
the time and VmRSS, and quits. The parent takes its clock reading just before spawning the process
(CLOCK_MONOTONIC is system-wide, so both sides read the same clock).

Two cases: a data directory used before (the usual start of a terminal) and a fresh one (the first
start, which also imports the bundled sample catalogue).

    .venv/bin/python bench/startup.py            # 15 runs of each case
    .venv/bin/python bench/startup.py --quick    # 3 runs of each

Targets (issue 8): under 350 ms median and under 150 MB RSS. Floors (perf-baselines row 1): a bare
PySide6 window paints in about 112 ms at 68 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(data_dir: str) -> int:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched.objectName() == "main_window":
                painted = time.monotonic()
                with open("/proc/self/status", encoding="ascii") as status:
                    rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
                heavy = sorted(m for m in ("cv2", "reportlab", "smartcard", "cups", "sane") if m in sys.modules)
                print(f"painted {painted:.6f} rss_kb {rss_kb} heavy {','.join(heavy) or '-'}", flush=True)
                app.removeEventFilter(self)
                app.quit()
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    from kiosk.cli import main as cli

    return cli.main(["--data-dir", data_dir, "demo"])


def run_once(data_dir: str) -> tuple[float, int, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, __file__, "--child", data_dir], capture_output=True, text=True, env=env, cwd=REPO,
        timeout=120, check=False,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("painted ")), None)
    if line is None:
        raise RuntimeError(f"child did not report a paint (exit {out.returncode}): {out.stderr[-2000:]}")
    parts = line.split()
    return (float(parts[1]) - started) * 1000, int(parts[3]), parts[5]


def report(name: str, runs: list[tuple[float, int, str]]) -> None:
    ms = sorted(r[0] for r in runs)
    rss = sorted(r[1] / 1024 for r in runs)
    print(f"{name}: n={len(runs)}  start→home painted median {statistics.median(ms):.0f} ms "
          f"(min {ms[0]:.0f}, max {ms[-1]:.0f})  RSS median {statistics.median(rss):.1f} MiB (max {rss[-1]:.1f})")
    print(f"  heavy modules loaded before the first paint: {runs[0][2]}")
    verdict = "OK" if statistics.median(ms) < 350 and rss[-1] < 150 else "MISSED"
    print(f"  target: < 350 ms median, < 150 MB: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", metavar="DATA_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    runs = 3 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        used = Path(tmp) / "used"
        run_once(str(used))  # prepare: the catalogue import of a first start
        report("data dir used before", [run_once(str(used)) for _ in range(runs)])
        report("fresh data dir (first start)", [run_once(str(Path(tmp) / f"fresh{n}")) for n in range(runs)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
