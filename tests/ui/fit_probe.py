"""Run by tests/ui/test_screen_fit.py on an X server of its own (xcb, no window manager, as on a terminal):
builds the kiosk as `kiosk run` / `kiosk demo --fullscreen` do (ui/app.py), walks the screens that once
pushed the window past the screen, and prints one JSON line per step: the screen's and the window's
geometry, and the keys of any open keyboard (in global coordinates).

    DISPLAY=:N QT_QPA_PLATFORM=xcb python tests/ui/fit_probe.py [--windowed] [--home-only]

With FIT_SHOTS=<folder> it also saves the window at each step as <step>.png there.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config, with_overrides
from kiosk.runtime import KioskRuntime, demo_config, ensure_catalog
from ui.app import create_main_window, show_main_window
from ui.main_window import MainWindow

PURCHASE = "330000-GJJ-GG-0001"  # a declaration whose form has digit and Chinese fields


def settle(app: QApplication, seconds: float = 0.3, until: Callable[[], bool] | None = None) -> None:
    """Lets the X server and the layouts finish (a window on xcb is resized asynchronously); with `until`,
    as long as that takes, up to 20 s."""
    deadline = time.monotonic() + (20.0 if until else seconds)
    while time.monotonic() < deadline and not (until and until()):
        app.processEvents()
        time.sleep(0.01)
    if until is not None and not until():
        raise TimeoutError("the screen did not get there")


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def global_rect(widget: QWidget) -> list[int]:
    return rect(QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size()))


def report(app: QApplication, window: MainWindow, step: str, keys: dict[str, QPushButton] | None = None,
           hide: QPushButton | None = None) -> None:
    settle(app)
    screen = window.screen()
    line: dict[str, object] = {
        "step": step,
        "screen": rect(screen.geometry()),
        "window": rect(window.frameGeometry()),
        "keys": {name: global_rect(key) for name, key in (keys or {}).items() if key.isVisible()},
    }
    if hide is not None:  # 收起键盘, and the size its two lines need
        line["hide"] = global_rect(hide)
        line["hide_hint"] = [hide.sizeHint().width(), hide.sizeHint().height()]
    shots = os.environ.get("FIT_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / f"{step}.png"))
    # A marker: libpinyin writes to stdout too, without a newline.
    print("\nFIT " + json.dumps(line), flush=True)  # noqa: T201 - the test reads this


def main() -> int:
    app = QApplication(sys.argv[:1])
    windowed = "--windowed" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        config = demo_config(Config())
        # A card on the reader, so the declaration gets past identification by itself.
        config = with_overrides(config, ui={"fullscreen": not windowed}, **{"devices.idcard": {"card_placed": True}})
        runtime = KioskRuntime(config, Path(tmp))
        ensure_catalog(runtime.cache)
        window = create_main_window(LaunchOptions(config=config, data_dir=Path(tmp), demo=True), runtime)
        try:
            show_main_window(window, config)
            settle(app, until=window.isVisible)
            report(app, window, "home")
            if "--home-only" in sys.argv:
                return 0

            # 办事指南 in elder mode, keyboard open, then back to normal mode.
            window.status_strip.set_elder_mode(True)
            window.open_service("guide")
            guide = window.current_screen()
            field = guide.findChild(QLineEdit, "guide_search_field") if guide else None
            assert guide is not None
            assert field is not None
            settle(app)
            QTest.mouseClick(field, Qt.MouseButton.LeftButton)
            keyboard = guide.keyboard  # type: ignore[attr-defined]
            report(app, window, "guide-elder-keyboard", keyboard.keys)
            window.status_strip.set_elder_mode(False)
            report(app, window, "guide-normal-keyboard", keyboard.keys)
            keyboard.hide()
            window.go_home()
            report(app, window, "home-after")

            # The declaration's form in elder mode: the digit pad, then pinyin with its candidate bar.
            window.status_strip.set_elder_mode(True)
            window.open_service("declare")
            declare = window.current_screen()
            assert declare is not None
            settle(app, until=lambda: declare.resident is not None)  # type: ignore[attr-defined]
            declare.show_step("service")  # type: ignore[attr-defined]
            declare.choose_item(PURCHASE)  # type: ignore[attr-defined]
            declare.next()  # type: ignore[attr-defined]
            form = declare.form_page  # type: ignore[attr-defined]
            phone = form.editors["phone"].line
            form.keyboard.open_for(phone)
            phone.setFocus()
            settle(app)
            hide = form.keyboard.hide_button
            report(app, window, "form-elder-digits", form.keyboard.keyboard.keys, hide)
            employer = form.editors["employer"].line
            form.keyboard.open_for(employer)
            employer.setFocus()
            for key in "gongsi":
                form.keyboard.keyboard.tap(key)
            report(app, window, "form-elder-pinyin", form.keyboard.keyboard.keys, hide)
        finally:
            window.close()
            runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
