"""Session end in the real window: after the idle timeout no widget shows any part of the resident."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.privacy import mask_id_number, mask_name
from kiosk.resident.session import SessionState
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.screens import registry
from ui.session_ui import SessionController, install_session

NAME = "龚鹤翔"
ID_NUMBER = "330106199001017533"


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


class ResidentScreen(QWidget):
    """Shows a resident every way a real screen might: label, field, button, list."""

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("resident_screen")
        layout = QVBoxLayout(self)
        self.name_label = QLabel(self)
        self.id_field = QLineEdit(self)
        self.confirm = QLabel(self)
        self.list = QListWidget(self)
        for w in (self.name_label, self.id_field, self.confirm, self.list):
            layout.addWidget(w)

    def enter(self, payload: Any) -> None:
        name, id_number = payload
        self.name_label.setText(f"姓名：{mask_name(name)}")
        self.id_field.setText(id_number)
        self.confirm.setText(f"尾号 {id_number[-4:]}")
        self.list.addItems([name, mask_id_number(id_number)])

    def wipe(self) -> None:
        self.name_label.clear()
        self.id_field.clear()
        self.confirm.clear()
        self.list.clear()


@pytest.fixture
def resident_registered() -> Iterator[None]:
    registry.SCREENS["resident_test"] = ResidentScreen
    try:
        yield
    finally:
        del registry.SCREENS["resident_test"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    return w


@pytest.fixture
def controller(window: MainWindow, clock: FakeClock) -> SessionController:
    return install_session(window, clock=clock)


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            # columnCount is private on list models; an invalid index marks the last column.
            column = 0
            while (index := model.index(row, column, parent)).isValid():
                value = model.data(index, Qt.ItemDataRole.DisplayRole)
                if value is not None:
                    texts.append(str(value))
                if column == 0:
                    walk(index)
                column += 1

    walk(QModelIndex())
    return texts


def all_visible_texts() -> list[str]:
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
            texts.append(widget.placeholderText())
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QAbstractItemView):
            texts.extend(_model_texts(widget))
        texts.append(widget.toolTip())
        texts.append(widget.accessibleName())
    return texts


def pieces_of_the_resident() -> list[str]:
    return [NAME, *NAME, ID_NUMBER, ID_NUMBER[-4:], mask_id_number(ID_NUMBER), mask_name(NAME)]


def test_after_idle_timeout_nothing_of_the_resident_is_shown(
    window: MainWindow, controller: SessionController, clock: FakeClock, resident_registered: None
) -> None:
    window.show()
    controller.activity()
    window.navigate("resident_test", (NAME, ID_NUMBER))
    shown = "\n".join(all_visible_texts())
    # Without these the check below would prove nothing.
    assert NAME in shown
    assert ID_NUMBER in shown

    timeout = window.config.session.idle_timeout_s
    clock.now += timeout - window.config.session.countdown_s
    controller.tick()
    assert controller.session.state is SessionState.COUNTDOWN
    assert controller.banner.isVisible()
    assert "还剩 15 秒" in controller.banner.message.text()

    clock.now += window.config.session.countdown_s
    controller.tick()
    assert controller.session.state is SessionState.IDLE
    assert window.current_screen() is window.home
    assert not controller.banner.isVisible()
    shown = "\n".join(all_visible_texts())
    for piece in pieces_of_the_resident():
        assert piece not in shown, piece


def test_touch_during_countdown_keeps_the_resident(
    qtbot: QtBot, window: MainWindow, controller: SessionController, clock: FakeClock, resident_registered: None
) -> None:
    window.show()
    controller.activity()
    window.navigate("resident_test", (NAME, ID_NUMBER))
    clock.now += 80
    controller.tick()
    assert controller.banner.isVisible()
    qtbot.mouseClick(controller.banner.continue_button, Qt.MouseButton.LeftButton)
    assert controller.session.state is SessionState.ACTIVE
    assert not controller.banner.isVisible()
    assert window.current_screen() is window.screens["resident_test"]


def test_any_touch_counts_as_activity(
    qtbot: QtBot, window: MainWindow, controller: SessionController, clock: FakeClock
) -> None:
    window.show()
    assert controller.session.state is SessionState.IDLE
    qtbot.mouseClick(window.status_strip, Qt.MouseButton.LeftButton)
    assert controller.session.state is SessionState.ACTIVE


def test_attract_after_long_idle_and_touch_returns_home(
    qtbot: QtBot, window: MainWindow, controller: SessionController, clock: FakeClock
) -> None:
    window.show()
    clock.now += window.config.session.attract_after_s
    controller.tick()
    assert window.current_screen() is window.screens["attract"]
    assert not controller._timer.isActive()
    qtbot.mouseClick(window.screens["attract"], Qt.MouseButton.LeftButton)
    assert controller.session.state is SessionState.ACTIVE
    assert window.current_screen() is window.home


def test_finish_from_a_screen_wipes(
    window: MainWindow, controller: SessionController, resident_registered: None
) -> None:
    controller.activity()
    window.navigate("resident_test", (NAME, ID_NUMBER))
    assert window.context.session is controller.session
    window.context.session.finish()
    assert window.current_screen() is window.home
    assert NAME not in "\n".join(all_visible_texts())


def test_elder_mode_lengthens_the_timeout(window: MainWindow, controller: SessionController, clock: FakeClock) -> None:
    window.status_strip.set_elder_mode(True)
    controller.activity()
    clock.now += window.config.session.idle_timeout_s
    controller.tick()
    assert controller.session.state is SessionState.ACTIVE


def test_card_events_from_the_watcher_thread_start_and_end_the_session(
    qtbot: QtBot, window: MainWindow, controller: SessionController
) -> None:
    import threading

    def from_watcher(present: bool) -> None:
        # As kiosk.devices.card_watch does: the signal is emitted on the watcher's own thread.
        thread = threading.Thread(target=controller.card_changed.emit, args=("idcard", present))
        thread.start()
        thread.join()

    from_watcher(True)
    qtbot.waitUntil(lambda: controller.session.state is SessionState.ACTIVE, timeout=2000)
    ended: list[object] = []
    controller.session.add_wipe_callback(ended.append)
    controller.session.require_card(True)
    from_watcher(False)
    qtbot.waitUntil(lambda: bool(ended), timeout=2000)
    assert str(ended[0]) == "card_removed"
    assert window.current_screen() is window.home
