"""The kiosk fills the screen it is given and never grows past it, on every supported screen.

Each size gets an X server of its own (Xvfb with no window manager, as a terminal's bare session), and
the kiosk runs in a subprocess on it (tests/ui/fit_probe.py): this process is on the offscreen platform,
where windows have no real size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.xvfb import xvfb

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "tests" / "ui" / "fit_probe.py"
SIZES = ("1280x800", "1920x1080", "1080x1920")

pytestmark = [pytest.mark.xvfb]

Steps = dict[str, dict[str, Any]]


@pytest.fixture(scope="module", params=SIZES)
def display(request: pytest.FixtureRequest) -> Iterator[str]:
    with xvfb(request.param) as name:
        yield name


def run_probe(display: str, *args: str) -> Steps:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, env=env, cwd=REPO,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [json.loads(line.split("FIT ", 1)[1]) for line in out.stdout.splitlines() if "FIT " in line]
    return {line["step"]: line for line in lines}


@pytest.fixture(scope="module")
def fullscreen(display: str) -> Steps:
    return run_probe(display)


def inside(outer: list[int], inner: list[int]) -> bool:
    x, y, w, h = outer
    a, b, c, d = inner
    return x <= a and y <= b and a + c <= x + w and b + d <= y + h


def overlap(one: list[int], two: list[int]) -> bool:
    across = one[0] < two[0] + two[2] and two[0] < one[0] + one[2]
    down = one[1] < two[1] + two[3] and two[1] < one[1] + one[3]
    return across and down


def check_keys(seen: dict[str, Any]) -> None:
    """Every key on the screen, and none squeezed under the 60-dp floor for a finger (MIIT)."""
    outside = [name for name, where in seen["keys"].items() if not inside(seen["screen"], where)]
    assert not outside, f"keys off the screen: {outside}"
    small = [name for name, where in seen["keys"].items() if min(where[2], where[3]) < 60]
    assert not small, f"keys squeezed under 60 px: {small}"
    keys = sorted(seen["keys"].items())
    piled = [(a, b) for i, (a, one) in enumerate(keys) for b, two in keys[i + 1:] if overlap(one, two)]
    assert not piled, f"keys on top of each other: {piled}"


def test_fullscreen_window_is_the_screen_without_a_window_manager(fullscreen: Steps) -> None:
    home = fullscreen["home"]
    assert home["window"] == home["screen"]


@pytest.mark.parametrize("step", ["guide-elder-keyboard", "guide-normal-keyboard", "home-after"])
def test_guide_keyboard_in_elder_mode_keeps_the_window_the_screen(fullscreen: Steps, step: str) -> None:
    seen = fullscreen[step]
    assert seen["window"] == seen["screen"]
    check_keys(seen)
    if step != "home-after":
        assert {"s", "f", "z", "clear", "switch"} <= set(seen["keys"])


@pytest.mark.parametrize("step", ["form-elder-digits", "form-elder-pinyin"])
def test_declaration_form_keyboards_in_elder_mode_keep_the_window_the_screen(fullscreen: Steps, step: str) -> None:
    seen = fullscreen[step]
    assert seen["window"] == seen["screen"]
    check_keys(seen)
    assert inside(seen["screen"], seen["hide"])
    assert not [name for name, where in seen["keys"].items() if overlap(where, seen["hide"])]
    # 收起键盘 / Hide keyboard: both lines whole, not "e keybo".
    assert seen["hide"][2] >= seen["hide_hint"][0]
    assert seen["hide"][3] >= seen["hide_hint"][1]


def test_windowed_demo_fits_a_portrait_screen() -> None:
    """`kiosk demo` is 1280 px wide by default: on a 1080-px wide screen it turns to portrait."""
    with xvfb("1080x1920") as name:
        home = run_probe(name, "--windowed", "--home-only")["home"]
    assert inside(home["screen"], home["window"])
    assert home["window"][3] > home["window"][2]
