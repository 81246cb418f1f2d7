"""Every resident journey, walked by finger on every supported screen, in normal and elder mode.

Each screen size and mode is one kiosk (`kiosk demo --fullscreen`) on an X server of its own, walked
through every journey in turn by tests/ui/journeys/driver.py in a subprocess (this process is on the
offscreen platform, where windows have no real size). The configurations run side by side in the
background, a few at a time; each test waits for its own. A test fails with the size, mode, journey
and step, and what was wrong: a journey that could not be finished, the window not the screen, a
widget off the screen or cut by its parent, a text cut.

The screenshots of every step go to a temporary folder, or to JOURNEY_SHOTS=<folder> to keep them.
"""

from __future__ import annotations

import ctypes.util
import faulthandler
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.ui.journeys import JOURNEYS, MODES, SIZES
from tests.ui.journeys.driver import MARKER
from tests.ui.xvfb import xvfb

REPO = Path(__file__).resolve().parents[2]
DRIVER = REPO / "tests" / "ui" / "journeys" / "driver.py"
# Most of a walk is waiting (a print, a page lying still, the idle timeout): the kiosks share two cores
# without slowing each other much, and the whole matrix takes little longer than its longest walk.
AT_ONCE = 6
TIMEOUT_S = 420

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

CASES = [(size, mode, journey) for size in SIZES for mode in MODES for journey in JOURNEYS]


@dataclass
class Walk:
    """What one configuration's driver reported."""

    size: str
    mode: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    journeys: dict[str, dict[str, Any]] = field(default_factory=dict)
    code: int | None = None
    stderr: str = ""
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)


class Walks:
    """Runs the configurations in the background, AT_ONCE at a time, in the order the tests ask for them."""

    def __init__(self, configurations: list[tuple[str, str]], shots: Path) -> None:
        self.shots = shots
        self.walks = {config: Walk(*config) for config in configurations}
        self._queue = list(configurations)
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._work, name=f"journeys-{i}", daemon=True)
                         for i in range(min(AT_ONCE, len(configurations)))]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    return
                config = self._queue.pop(0)
            walk = self.walks[config]
            try:
                self._walk(walk)
            except BaseException as exc:  # noqa: BLE001 - reported by the tests that wait for this walk
                walk.stderr += f"\n{type(exc).__name__}: {exc}"
            finally:
                walk.done.set()

    def _walk(self, walk: Walk) -> None:
        started = time.monotonic()
        with xvfb(walk.size) as display:
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO))
            out = subprocess.run(
                [sys.executable, str(DRIVER), "--size", walk.size, "--mode", walk.mode, "--shots", str(self.shots)],
                capture_output=True, text=True, env=env, cwd=REPO, timeout=TIMEOUT_S, check=False,
            )
        walk.seconds = time.monotonic() - started
        walk.code = out.returncode
        walk.stderr = out.stderr
        for line in out.stdout.splitlines():
            if not line.startswith(MARKER):
                continue
            record = json.loads(line.removeprefix(MARKER))
            if record["kind"] == "step":
                walk.steps.append(record)
            else:
                walk.journeys[record["journey"]] = record

    def wait(self, size: str, mode: str) -> Walk:
        walk = self.walks[(size, mode)]
        walk.done.wait(TIMEOUT_S + 60)
        return walk


@pytest.fixture(scope="module")
def walks(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walks]:
    for tool in ("Xvfb", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (scripts/setup.sh --dev installs it)")
    if ctypes.util.find_library("Xtst") is None:
        pytest.skip("libXtst is not installed (scripts/setup.sh --dev installs libxtst6)")
    kept = os.environ.get("JOURNEY_SHOTS")
    shots = Path(kept) if kept else tmp_path_factory.mktemp("journey-shots")
    shots.mkdir(parents=True, exist_ok=True)
    # Only the configurations the selected tests need, in the order they come.
    wanted: list[tuple[str, str]] = []
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if item.module is request.module and spec is not None and "size" in spec.params:
            config = (spec.params["size"], spec.params["mode"])
            if config not in wanted:
                wanted.append(config)
    walks = Walks(wanted, shots)
    yield walks
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for walk in walks.walks.values():
                if walk.done.is_set():
                    notes = sum(len(step.get("notes", [])) for step in walk.steps)
                    reporter.write_line(f"journeys {walk.size} {walk.mode}: {len(walk.steps)} steps checked in "
                                        f"{walk.seconds:.0f} s" + (f" ({notes} notes)" if notes else ""))
            reporter.write_line(f"journeys: screenshots in {shots}")


def report(walk: Walk, journey: str) -> list[str]:
    lines = []
    for step in walk.steps:
        if step["journey"] == journey:
            for problem in step["problems"]:
                lines.append(f"{walk.size} {walk.mode} {journey} step {step['n']:02d} {step['step']}: {problem}"
                             f"\n    (screenshot {step['shot']})")
    return lines


@pytest.mark.parametrize(("size", "mode", "journey"), CASES, ids=["-".join(case) for case in CASES])
def test_journey(walks: Walks, size: str, mode: str, journey: str) -> None:
    # The first test of each walk waits for all of it (the walks run side by side): longer than the
    # suite's per-test watchdog (faulthandler_timeout), which would dump every thread's stack meanwhile.
    faulthandler.dump_traceback_later(TIMEOUT_S + 60)
    walk = walks.wait(size, mode)
    assert walk.done.is_set(), f"{size} {mode}: the walk did not end within {TIMEOUT_S} s"
    record = walk.journeys.get(journey)
    assert record is not None, (f"{size} {mode}: the driver never got to the {journey} journey "
                                f"(exit code {walk.code}):\n{walk.stderr[-4000:]}")
    problems = report(walk, journey)
    assert not problems, "\n".join(problems)
    assert record["finished"], record["error"]


def test_the_driver_knows_every_journey() -> None:
    from tests.ui.journeys.walks import WALKS

    assert tuple(WALKS) == JOURNEYS
