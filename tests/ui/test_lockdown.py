"""Lock-down in `kiosk run`: residents cannot close or leave the window; `kiosk demo` stays ordinary."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli import main as cli
from kiosk.cli.launch import LaunchOptions
from kiosk.resident.session import SessionState
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.lockdown import LockDown, apply_lockdown, is_blocked_key
from ui.main_window import MainWindow
from ui.session_ui import install_session

_M = Qt.KeyboardModifier
_K = Qt.Key


class MenuProbe(QWidget):
    """Records the context menus it is asked for instead of opening one."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("menu_probe")
        self.menus = 0

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menus += 1


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def locked(window: MainWindow) -> Iterator[LockDown]:
    lock = apply_lockdown(window, hide_cursor=False)
    window.show()
    try:
        yield lock
    finally:
        # Before qtbot closes the window: a locked one would refuse.
        lock.release()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def test_the_keys_that_leave_a_window_are_blocked() -> None:
    assert is_blocked_key(_K.Key_F4, _M.AltModifier)
    assert is_blocked_key(_K.Key_Escape, _M.NoModifier)
    assert is_blocked_key(_K.Key_Tab, _M.AltModifier)
    assert is_blocked_key(_K.Key_Q, _M.ControlModifier | _M.ShiftModifier)
    assert is_blocked_key(_K.Key_W, _M.ControlModifier)
    assert is_blocked_key(_K.Key_F11, _M.NoModifier)
    # What residents type stays theirs.
    assert not is_blocked_key(_K.Key_Q, _M.NoModifier)
    assert not is_blocked_key(_K.Key_Tab, _M.NoModifier)
    assert not is_blocked_key(_K.Key_F4, _M.NoModifier)


def test_locked_window_is_frameless_and_on_top(window: MainWindow, locked: LockDown) -> None:
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_close_is_refused_until_released(window: MainWindow, locked: LockDown) -> None:
    assert not window.close()
    assert window.isVisible()
    locked.release()
    assert window.close()
    assert not window.isVisible()


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [(_K.Key_F4, _M.AltModifier), (_K.Key_Escape, _M.NoModifier), (_K.Key_Q, _M.ControlModifier),
     (_K.Key_W, _M.ControlModifier), (_K.Key_F11, _M.NoModifier), (_K.Key_Tab, _M.AltModifier)],
)
def test_keys_do_not_reach_shortcuts_or_widgets(
    qtbot: QtBot, window: MainWindow, locked: LockDown, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    # A shortcut bound to the key would close the window, as a window manager or a forgotten
    # QAction might; with the lock-down neither the shortcut nor the window sees the key.
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence(key | modifiers), window)
    shortcut.activated.connect(lambda: fired.append(True))
    shortcut.activated.connect(window.close)
    before = locked.swallowed
    qtbot.keyClick(window, key, modifiers)
    assert fired == []
    assert window.isVisible()
    assert locked.swallowed > before


def test_context_menu_is_swallowed(window: MainWindow, locked: LockDown) -> None:
    probe = MenuProbe(window)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(1, 1), QPoint(1, 1))
    QApplication.sendEvent(probe, event)
    assert probe.menus == 0


def test_release_hands_everything_back(qtbot: QtBot, window: MainWindow, locked: LockDown) -> None:
    locked.release()
    probe = MenuProbe(window)
    QApplication.sendEvent(probe, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(1, 1), QPoint(1, 1)))
    assert probe.menus == 1
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence(_K.Key_F11), window)
    shortcut.activated.connect(lambda: fired.append(True))
    qtbot.keyClick(window, _K.Key_F11)
    assert fired == [True]


def test_cursor_is_hidden_when_asked_and_restored(window: MainWindow) -> None:
    lock = apply_lockdown(window, hide_cursor=True)
    try:
        cursor = QApplication.overrideCursor()
        assert cursor is not None
        assert cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        lock.release()
    assert QApplication.overrideCursor() is None


def test_without_a_touch_screen_the_cursor_stays(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    # Asked of Qt's input devices: a test that created a touch device earlier in the run would answer True.
    monkeypatch.setattr("ui.lockdown.touch_screen_present", lambda: False)
    lock = apply_lockdown(window)
    try:
        assert QApplication.overrideCursor() is None
    finally:
        lock.release()


def test_attract_screen_still_comes_in_a_locked_window(qtbot: QtBot, window: MainWindow, locked: LockDown) -> None:
    now = [50.0]
    controller = install_session(window, clock=lambda: now[0])
    try:
        now[0] += window.config.session.attract_after_s
        controller.tick()
        assert window.current_screen() is window.screens["attract"]
        qtbot.mouseClick(window.screens["attract"], Qt.MouseButton.LeftButton)
        assert controller.session.state is SessionState.ACTIVE
        assert window.current_screen() is window.home
    finally:
        controller.stop()


def _run_and_inspect(argv: list[str], inspect_window: object) -> int:
    def inspect() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        inspect_window(windows[0])  # type: ignore[operator]

    QTimer.singleShot(0, inspect)
    code = cli.main(argv)
    # Closing the last window posts a Quit event; left pending it would end a later test's wait.
    QCoreApplication.removePostedEvents(None, QEvent.Type.Quit)
    return code


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_kiosk_run_is_locked_and_still_exits_cleanly(
    qapp: QApplication, tmp_path: Path, restore_logging: None
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[ui]\nfullscreen = true\n"
        + "".join(f'[devices.{kind}]\nbackend = "simulated"\n'
                  for kind in ("idcard", "citizencard", "printer", "camera", "scanner")),
        encoding="utf-8",
    )
    seen: dict[str, object] = {}

    def inspect(window: MainWindow) -> None:
        seen["lockdown"] = window.findChild(LockDown) is not None
        seen["frameless"] = bool(window.windowFlags() & Qt.WindowType.FramelessWindowHint)
        seen["fullscreen"] = window.isFullScreen()
        seen["closed"] = window.close()

    # --self-test quits the loop once the home screen has painted: the lock-down must let it.
    code = _run_and_inspect(
        ["--config", str(config), "--data-dir", str(tmp_path / "data"), "run", "--self-test"], inspect
    )
    assert code == 0
    assert seen == {"lockdown": True, "frameless": True, "fullscreen": True, "closed": False}


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_quit_gets_through_the_lock(qapp: QApplication, tmp_path: Path, restore_logging: None) -> None:
    """What SIGTERM from systemd and Ctrl-C do: Qt 6's quit() gives up if a window refuses to close."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "".join(f'[devices.{kind}]\nbackend = "simulated"\n'
                for kind in ("idcard", "citizencard", "printer", "camera", "scanner")),
        encoding="utf-8",
    )
    seen: dict[str, object] = {}
    # Turns a refused quit into a failure instead of a hung test run.
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QCoreApplication.exit(99))

    def inspect(window: MainWindow) -> None:
        seen["closed"] = window.close()
        guard.start(60_000)
        qapp.quit()

    try:
        code = _run_and_inspect(["--config", str(config), "--data-dir", str(tmp_path / "data"), "run"], inspect)
    finally:
        guard.stop()
    assert seen == {"closed": False}
    assert code == 0


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_demo_is_not_locked_even_full_screen(qapp: QApplication, tmp_path: Path, restore_logging: None) -> None:
    seen: dict[str, object] = {}

    def inspect(window: MainWindow) -> None:
        seen["lockdown"] = window.findChild(LockDown) is not None
        seen["frameless"] = bool(window.windowFlags() & Qt.WindowType.FramelessWindowHint)
        seen["fullscreen"] = window.isFullScreen()

    code = _run_and_inspect(["--data-dir", str(tmp_path / "data"), "demo", "--fullscreen", "--self-test"], inspect)
    assert code == 0
    assert seen == {"lockdown": False, "frameless": False, "fullscreen": True}


def test_the_cursor_setting_maps_to_the_lock() -> None:
    from kiosk.config import config_from_mapping
    from ui.lockdown import cursor_setting

    assert cursor_setting(config_from_mapping({"ui": {"hide_cursor": "always"}}).ui.hide_cursor) is True
    assert cursor_setting(config_from_mapping({"ui": {"hide_cursor": "never"}}).ui.hide_cursor) is False
    assert cursor_setting(config_from_mapping({}).ui.hide_cursor) is None  # auto: a touch screen decides
