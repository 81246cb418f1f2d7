"""scripts/atspi_walk.py reads and drives the kiosk over the accessibility bus at every supported screen size.

The walker runs under the system Python (/usr/bin/python3, where python3-pyatspi lives) and starts its
own Xvfb, session bus, AT-SPI bus and `kiosk demo --fullscreen` with this test's Python. The four walks
start together and run side by side, and each test waits for its own, so the whole costs about the
longest of them (on two cores the kiosks' own work sets the pace: about 100 s).

The walker's checks themselves are tested first, on made-up accessibility trees.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WALKER = REPO / "scripts" / "atspi_walk.py"
SYSTEM_PYTHON = "/usr/bin/python3"
SCREENS = "guide,forms,declare,progress,rating,help"
# Every screen at every size, elder mode's at 1280x800; the switches (elder mode, language) once in
# landscape and elder mode once more on the portrait screen, and staying past the idle timeout, which is
# size-independent and mostly waiting, in a walk of their own beside the screens.
WALKS = {
    "1280x800-normal": ["--size", "1280x800", "--journeys", SCREENS],
    "1920x1080-normal": ["--size", "1920x1080", "--journeys", SCREENS],
    "1080x1920-normal": ["--size", "1080x1920", "--journeys", f"{SCREENS},elder"],
    "1280x800-elder": ["--size", "1280x800", "--elder", "--journeys", SCREENS],
    "1280x800-switches": ["--size", "1280x800", "--journeys", "elder,language,activity"],
}

# What the walk finds and is known, each tied to the journey that finds it (none now); an entry must still be
# found, so it goes once it is fixed.
KNOWN: dict[str, tuple[str, str]] = {}  # what the walk prints: (the journey that finds it, where and why)


# --- the checks, on made-up trees ---------------------------------------------------------------------


@functools.cache
def load_walker() -> ModuleType:
    """The script as a module (it imports pyatspi only when it walks, so this Python can load it)."""
    spec = importlib.util.spec_from_file_location("atspi_walk", WALKER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while they are made
    spec.loader.exec_module(module)
    return module


class Box:
    def __init__(self, x: int, y: int, w: int, h: int) -> None:
        self.x, self.y, self.width, self.height = x, y, w, h


class Fake:
    """An accessible as pyatspi hands it over (its camelCase names), with only what the walker reads."""

    def __init__(self, role: str, name: str = "", rect: tuple[int, int, int, int] = (0, 0, 0, 0),
                 children: tuple[Fake, ...] = (), states: tuple[str, ...] = ("showing", "visible", "enabled")
                 ) -> None:
        self.role, self.name, self.rect, self.children, self.states = role, name, rect, children, states

    def getState(self) -> Any:
        states = self.states
        return type("States", (), {"getStates": lambda _self: list(states)})()

    def getRoleName(self) -> str:
        return self.role

    def queryComponent(self) -> Fake:
        return self

    def getExtents(self, _coords: int) -> Box:
        return Box(*self.rect)

    @property
    def childCount(self) -> int:
        return len(self.children)

    def getChildAtIndex(self, index: int) -> Fake:
        return self.children[index]


class PyAtspi:
    DESKTOP_COORDS = 0

    @staticmethod
    def stateToString(state: str) -> str:
        return state


class Running:
    def kiosk_alive(self) -> bool:
        return True


def inspect(frame: Fake, elder: bool = False) -> list[tuple[str, str, str]]:
    """What the walker reports for a window `frame` on a 1280×800 screen: (kind, name, what) each."""
    walker = load_walker()
    strip = Fake("panel", rect=(0, 0, 1280, 80), children=(
        Fake("check box", "长辈模式 Elder", (900, 6, 150, 70),
             states=("showing", "visible", "enabled", *(("checked",) if elder else ()))),))
    frame.children = (strip, *frame.children)
    kiosk = walker.Kiosk(None, PyAtspi, Running(), (1280, 800), screenshots=None, verbose=False)
    kiosk.app = Fake("application", "gov-kiosk", children=(frame,), states=())
    kiosk.inspect("a screen")
    return [(p.kind, p.name, p.what) for p in kiosk.problems]


def frame(*children: Fake, rect: tuple[int, int, int, int] = (0, 0, 1280, 800)) -> Fake:
    return Fake("frame", "kiosk", rect, (Fake("filler", "", rect, children),))


def scroll_area(rect: tuple[int, int, int, int], content_height: int, *rows: Fake) -> Fake:
    """As Qt shows a QScrollArea: the area, its view, the content (taller than the view) in it."""
    x, y, w, _ = rect
    content = Fake("filler", "", (x, y, w, content_height), rows)
    return Fake("filler", "", rect, (Fake("filler", "", rect, (content,)),))


def test_a_clean_screen_has_nothing_to_report() -> None:
    assert inspect(frame(Fake("push button", "办事指南", (48, 237, 367, 228)),
                         Fake("text", "搜索办事指南", (372, 108, 868, 83)))) == []


def test_a_window_that_is_not_the_screen_is_reported() -> None:
    found = inspect(frame(rect=(0, 0, 1280, 912)))
    assert [kind for kind, _, _ in found] == ["window"]


def test_a_control_without_a_name_is_reported_even_scrolled_out_of_view() -> None:
    found = inspect(frame(scroll_area((40, 300, 1200, 400), 1200,
                                      Fake("text", "", (40, 1000, 1100, 70)),
                                      Fake("push button", "提交", (40, 320, 300, 76)))))
    assert found == [("name", "", "no accessible name")]


def test_rows_scrolled_out_of_a_scroll_area_are_not_off_screen_but_a_control_past_the_edge_is() -> None:
    found = inspect(frame(scroll_area((40, 300, 1200, 400), 3000, Fake("push button", "第20行", (40, 2800, 1100, 94))),
                          Fake("push button", "下一步", (1200, 700, 180, 76)),
                          Fake("push button", "更多", (1300, 700, 100, 76))))
    assert ("offscreen", "下一步", "partly outside the screen") in found
    assert ("offscreen", "更多", "outside the screen") in found
    assert len(found) == 2


def test_targets_under_44_px_and_under_60_in_elder_mode_are_reported() -> None:
    small = (Fake("push button", "清除", (1000, 100, 40, 40)), Fake("check box", "1", (100, 100, 50, 50)))
    assert [(kind, name) for kind, name, _ in inspect(frame(*small))] == [("size", "清除")]
    assert [(kind, name) for kind, name, _ in inspect(frame(*small), elder=True)] == [
        ("size", "清除"), ("size", "1")]


def test_a_name_is_found_by_the_words_it_starts_with() -> None:
    walker = load_walker()
    assert walker.matches("返回 Back", ("返回",))
    assert walker.matches("生育登记表\n生育登记", ("生育登记表",))
    assert not walker.matches("返回首页", ("返回",))


# --- the walks ----------------------------------------------------------------------------------------


def _missing() -> str | None:
    """Why the walk cannot run here, or None."""
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True) \
        if os.access(SYSTEM_PYTHON, os.X_OK) else None
    if probe is None or probe.returncode != 0:
        return f"{SYSTEM_PYTHON} has no pyatspi: install python3-pyatspi gir1.2-atspi-2.0"
    for tool, package in (("Xvfb", "xvfb"), ("dbus-daemon", "dbus-daemon")):
        if shutil.which(tool) is None:
            return f"{tool} is missing: install {package}"
    if not os.access("/usr/libexec/at-spi-bus-launcher", os.X_OK):
        return "the AT-SPI bus launcher is missing: install at-spi2-core"
    return None


class Walk:
    def __init__(self, name: str, args: list[str]) -> None:
        self.name = name
        self.began = time.monotonic()
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(WALKER), "--python", sys.executable, *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
        )
        self.output = ""
        self.seconds = 0.0

    def finish(self, timeout: float) -> None:
        if self.process.returncode is not None:
            return
        try:
            self.output, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The walker stops its kiosk, buses and X server on SIGTERM.
            self.process.terminate()
            self.output, _ = self.process.communicate(timeout=30)
            self.output += f"\n(stopped after {timeout:.0f} s)"
        self.seconds = time.monotonic() - self.began


@pytest.fixture(scope="module")
def walks() -> Iterator[dict[str, Walk]]:
    reason = _missing()
    if reason is not None:
        pytest.skip(reason)
    started = {name: Walk(name, args) for name, args in WALKS.items()}
    try:
        yield started
    finally:
        for walk in started.values():
            if walk.process.poll() is None:
                walk.process.kill()
                walk.process.wait()


def problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("[")]


@pytest.mark.xvfb
@pytest.mark.slow
@pytest.mark.parametrize("name", list(WALKS))
def test_the_walk_over_the_accessibility_bus_finds_nothing(walks: dict[str, Walk], name: str) -> None:
    walk = walks[name]
    walk.finish(timeout=420)
    report = f"{name}, {walk.seconds:.0f} s:\n{walk.output}"
    assert walk.process.returncode in (0, 1), report
    assert re.search(r"^summary: .* \d+ screens", walk.output, re.MULTILINE), report
    found = problems(walk.output)
    unknown = [line for line in found if not any(re.search(rx, line) for rx in KNOWN)]
    assert not unknown, report
    journeys = WALKS[name][WALKS[name].index("--journeys") + 1].split(",")
    gone = [why for rx, (journey, why) in KNOWN.items()
            if journey in journeys and not any(re.search(rx, line) for line in found)]
    assert not gone, f"no longer found, remove from KNOWN: {gone}\n{report}"
    assert walk.process.returncode == (1 if found else 0), report
