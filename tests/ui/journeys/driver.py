"""The journey harness's driver: one kiosk, one screen size, one mode, every resident journey by finger.

tests/ui/test_journeys.py runs it once per supported screen (1280×800, 1920×1080, 1080×1920) and mode
(normal, elder), each on an X server of its own (Xvfb, no window manager, as on a terminal). By hand:

    Xvfb :61 -screen 0 1080x1920x24 -nolisten tcp &
    DISPLAY=:61 QT_QPA_PLATFORM=xcb PYTHONPATH=. .venv/bin/python tests/ui/journeys/driver.py \\
        --size 1080x1920 --mode elder --shots /tmp/shots [--journey guide ...]

The kiosk is started exactly as `kiosk demo --fullscreen` starts it (kiosk.cli.main, so ui/app.py's run_app
builds the window, the session, the demo's card keys and the devices), with a fresh data directory and a
config file that changes only what a journey needs: a short idle timeout for the idle wipe (20 s, the
last 5 counted down; should a wait for the kiosk in another journey outlast 15 s on a slow machine, the
resident taps 继续 and the step notes it), no voice, and the
document camera looking at a picture on the "desk" (tests/ui/journeys/desk.py) that the harness swaps:
a page to photograph, later the printed receipt whose QR code is scanned. The technician PIN is set as
`kiosk set-pin` sets it (there is no default PIN; the harness's is walks.PIN). The walk starts once the
kiosk has finished starting (the guides loaded, the devices looked at), as a resident would find it.

The journeys (tests/ui/journeys/walks.py) run one after another inside the kiosk's event loop. Every
touch is an event at screen coordinates on a widget found by what is written on it or its accessible
name, checked with QApplication.widgetAt to be the widget (or inside it) at that point, so a covered or
off-screen target fails the step (tests/ui/journeys/hand.py): taps and drags through the X server (XTEST,
tests/ui/journeys/xtest.py: a panel that reports as a mouse) or Qt's touch input (QTest.touchEvent with
a touch screen: a panel that reports touches); swipes both ways; typing only on the kiosk's own keys
(letters, pinyin with its candidate bar, the digit pads); the demo's ID card placed with its F5 key.
After every step the window is checked (tests/ui/journeys/checks.py: the window is the screen, nothing
lies outside it or is cut by its parent, no text is cut or elided; and nothing logged at WARNING or
above) and saved as <size>-<mode>-<journey>-<nn>-<step>.png in --shots. Between journeys the resident
finishes as a resident does (完成, 返回首页). A journey that cannot go on is reported, the screens are
wiped and the next journey starts.

Output: one JSON line per step and per journey on stdout, each after the marker "JOURNEY " (the pinyin
library writes to stdout too, without a newline):

    {"kind": "step", "journey": "declare", "n": 7, "step": "form", "problems": [...], "shot": "...", ...}
    {"kind": "journey", "journey": "declare", "finished": true, "error": "", "steps": 42, "seconds": 31.0}
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.cli.main import main as kiosk_main
from kiosk.devices.demo_cards import DemoCards
from kiosk.technician.pin import TechnicianPin
from tests.ui.journeys import JOURNEYS
from tests.ui.journeys.checks import step_problems
from tests.ui.journeys.desk import lay_page
from tests.ui.journeys.hand import Hand, JourneyError
from tests.ui.journeys.walks import PIN, WALKS
from ui.main_window import MainWindow

MARKER = "JOURNEY "


def write_config(folder: Path, desk: Path) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(
        "[session]\nidle_timeout_s = 20\nelder_idle_timeout_s = 20\ncountdown_s = 5\n\n"
        "[ui]\nvoice = false\n\n"
        f"[devices.camera]\nsource = {json.dumps(str(desk))}\n",
        encoding="utf-8",
    )
    return path


class LogRecords(logging.Handler):
    """What the kiosk logs at WARNING or above while a journey runs: a bug logged and carried on (the demo
    does that) is a failed step."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"the kiosk logged {record.levelname} {record.name}: {record.getMessage()}")

    def drain(self) -> list[str]:
        records, self.records = self.records, []
        return records


class Run:
    """One kiosk window walked through every journey; `step` checks and records what is on screen."""

    def __init__(self, window: MainWindow, *, size: str, mode: str, shots: Path, data_dir: Path,
                 desk: Path) -> None:
        self.window = window
        self.size = size
        self.mode = mode
        self.shots = shots
        self.data_dir = data_dir
        self.desk = desk
        self.hand = Hand(window, self.settle)
        self.hand.before_touch = self.keep_alive
        self.cards = DemoCards(window.context.runtime.devices)
        self.journey = ""
        self.n = 0
        self.pending: list[str] = []
        self.notes: list[str] = []
        self.log = LogRecords()
        logging.getLogger().addHandler(self.log)
        # What each journey typed or was given: none of it may be on any screen after the idle wipe.
        self.typed: list[str] = []
        self.receipt = ""
        self.steps = 0
        self.started = time.monotonic()

    # --- recording -------------------------------------------------------------------------------

    def settle(self, seconds: float) -> None:
        """Lets the kiosk run: events, timers, layouts and deferred deletes (QTest.qWait)."""
        QTest.qWait(max(1, round(seconds * 1000)))

    def emit(self, record: dict[str, Any]) -> None:
        line = json.dumps({"size": self.size, "mode": self.mode, **record}, ensure_ascii=False)
        print("\n" + MARKER + line, flush=True)  # noqa: T201 - the test reads this

    def check(self, ok: bool, problem: str) -> None:
        """A finding that does not stop the journey: reported with the next step."""
        if not ok:
            self.pending.append(problem)

    def step(self, name: str) -> None:
        self.settle(0.15)
        self.n += 1
        self.steps += 1
        problems = self.pending + step_problems(self.window) + self.log.drain()
        notes, self.pending, self.notes = self.notes, [], []
        shot = f"{self.size}-{self.mode}-{self.journey}-{self.n:02d}-{name}.png"
        self.window.grab().save(str(self.shots / shot), "PNG", 80)
        self.emit({"kind": "step", "journey": self.journey, "n": self.n, "step": name, "problems": problems,
                   "notes": notes, "shot": shot, "t": round(time.monotonic() - self.started, 2)})

    def keep_alive(self) -> None:
        """The idle timeout is short here (the idle journey waits it out): where a long wait for the kiosk
        (a print, a scan, a slow machine) brought its countdown up in another journey, the resident taps
        继续 before going on, and the step says so."""
        banner = self.window.findChild(QWidget, "countdown_banner")
        if self.journey == "idle" or banner is None or not banner.isVisible():
            return
        button = banner.findChild(QPushButton, "countdown_continue_button")
        if button is not None:
            self.hand.click(self.hand.spot(button))
            self.settle(0.2)
            self.notes.append("the idle countdown came up while waiting for the kiosk: 继续 tapped")

    # --- what is on screen -------------------------------------------------------------------------

    def current(self) -> QWidget | None:
        return self.window.current_screen()

    def on(self, object_name: str) -> bool:
        screen = self.current()
        return screen is not None and screen.objectName() == object_name

    def wait_screen(self, object_name: str, wait_s: float = 15.0) -> None:
        self.hand.wait_for(f"the {object_name} screen", lambda: self.on(object_name), wait_s)

    def elder(self) -> bool:
        return self.window.theme.name == "elder"

    def ensure_mode(self) -> None:
        """At the start of a journey: the resident who wants large type taps 长辈模式 (the last session's
        end put the terminal's default back)."""
        want = self.mode == "elder"
        if self.elder() != want:
            self.hand.tap(self.window.status_strip.elder_button)
            self.check(self.elder() == want, f"长辈模式 did not switch {'on' if want else 'off'}")
            self.step("elder-mode-on" if want else "elder-mode-off")

    # --- the walk ----------------------------------------------------------------------------------

    def walk(self, names: list[str]) -> None:
        self.settle(0.5)
        self.hand.wait_for("the window to fill the screen", lambda: self.window.isVisible()
                           and self.window.frameGeometry() == self.window.screen().geometry(), 10)
        # A resident comes to a kiosk that has started: the guides loaded (a background thread imports the
        # sample catalogue after the first paint) and the devices looked at (the strip says so).
        catalog = self.window.context.runtime.cache.catalog
        self.hand.wait_for("the kiosk to finish starting", lambda: catalog.version() is not None
                           and "未检测" not in self.window.status_strip.devices_label.text(), 60)
        for name in names:
            self.journey, self.n = name, 0
            self.started = started = time.monotonic()
            error = ""
            try:
                WALKS[name](self)
            except JourneyError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - reported as the journey's failure, then the next one
                error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"
            if error:
                self.check(False, f"the journey could not be finished: {error}")
                self.step("failed")
                self.recover()
            self.emit({"kind": "journey", "journey": name, "finished": not error, "error": error, "steps": self.n,
                       "seconds": round(time.monotonic() - started, 1)})

    def recover(self) -> None:
        """After a failed journey: let go of the mouse, take the cards away, wipe every screen."""
        self.hand.let_go()
        for role in ("idcard", "citizencard"):
            if self.cards.placed(role):
                self.cards.toggle(role)
        self.window.wipe_screens()
        self.window.status_strip.set_elder_mode(self.window.config.terminal.elder_mode)
        self.settle(0.5)
        self.log.drain()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True, help="the screen's size, for the names (1280x800)")
    parser.add_argument("--mode", choices=("normal", "elder"), required=True)
    parser.add_argument("--shots", type=Path, required=True, help="folder for the screenshots")
    parser.add_argument("--journey", action="append", choices=JOURNEYS, help="only these (default: all)")
    args = parser.parse_args(argv)
    args.shots.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])  # run_app takes the one that exists
    with tempfile.TemporaryDirectory(prefix="journeys-") as tmp:
        folder = Path(tmp)
        data_dir = folder / "data"
        data_dir.mkdir()
        desk = folder / "desk.png"
        lay_page(desk)
        config = write_config(folder, desk)
        TechnicianPin(data_dir).set_pin(PIN)
        outcome: dict[str, int] = {}

        def start() -> None:
            window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
            run = Run(window, size=args.size, mode=args.mode, shots=args.shots, data_dir=data_dir, desk=desk)
            try:
                run.walk(list(args.journey or JOURNEYS))
                outcome["steps"] = run.steps
            finally:
                app.quit()

        QTimer.singleShot(0, guarded(start))
        code = kiosk_main(["--config", str(config), "--data-dir", str(data_dir), "demo", "--fullscreen"])
    if "steps" not in outcome:
        print("the walk did not run to its end", file=sys.stderr)  # noqa: T201
        return 1
    return code


def guarded(fn: Callable[[], None]) -> Callable[[], None]:
    def call() -> None:
        try:
            fn()
        except BaseException:  # noqa: BLE001 - whatever stops the walk is printed, and the kiosk quits
            traceback.print_exc()
            QApplication.quit()

    return call


if __name__ == "__main__":
    sys.exit(main())
