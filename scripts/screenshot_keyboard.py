"""Renders the on-screen keyboard's Chinese entry where residents meet it, the declaration form's 工作单位
field, to PNG in normal and elder mode: pinyin with its candidates ("gongsi" typed) and the handwriting
pad with 十 written. Prints the window's size on each (it must stay within the terminal's screen).

Run on an X server (the real xcb platform, as on a terminal), e.g. a private Xvfb:
    Xvfb :93 -screen 0 1280x800x24 -nolisten tcp &
    DISPLAY=:93 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot_keyboard.py --out docs/screenshots

Writes keyboard-pinyin-<mode>.png and keyboard-handwriting-<mode>.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from screenshot_declare import Stage
from shots import demo_window, settle, shot_parser, start

from ui.main_window import MainWindow
from ui.widgets.keyboard import HandwritingPad, OnScreenKeyboard


def _stroke(pad: HandwritingPad, start_at: tuple[float, float], end_at: tuple[float, float]) -> None:
    """A finger stroke across the writing box, from and to fractions of its sides."""
    box = pad.box()
    points = [QPoint(box.x() + round((start_at[0] + (end_at[0] - start_at[0]) * i / 12) * box.width()),
                     box.y() + round((start_at[1] + (end_at[1] - start_at[1]) * i / 12) * box.height()))
              for i in range(13)]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def main() -> int:
    app, args = start(shot_parser(__doc__))
    with demo_window(args.width, args.height) as (window, _runtime):
        for mode in ("normal", "elder"):
            window.status_strip.set_elder_mode(mode == "elder")
            stage = Stage(app, window)
            for step in (stage.identify, stage.identified, stage.service, stage.form):
                step()
                settle(app)
            form = stage._s().form_page
            line = form.editors["employer"].line
            assert line is not None
            line.setFocus()
            form.keyboard.open_for(line)
            keyboard = form.keyboard.keyboard
            assert isinstance(keyboard, OnScreenKeyboard)
            settle(app)
            for key in "gongsi":
                keyboard.tap(key)
            settle(app)
            shot(app, window, args.out / f"keyboard-pinyin-{mode}.png")
            keyboard.tap("mode_handwriting")
            settle(app)
            assert keyboard.pad is not None
            _stroke(keyboard.pad, (0.15, 0.45), (0.85, 0.45))
            _stroke(keyboard.pad, (0.5, 0.12), (0.5, 0.88))
            settle(app)
            shot(app, window, args.out / f"keyboard-handwriting-{mode}.png")
            keyboard.tap("mode_pinyin")
            form.keyboard.close_keyboard()
            window.wipe_screens()
            window.go_home()
            settle(app)
    return 0


def shot(app: QApplication, window: MainWindow, path: Path) -> None:
    settle(app, rounds=8)
    window.grab().save(str(path))
    print(path, f"window {window.width()}x{window.height()}")


if __name__ == "__main__":
    sys.exit(main())
