"""The one notice every screen shows for a bug, and the check every failure handler starts with."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from drivers.errors import DeviceTimeout
from kiosk.config import Language
from kiosk.runtime import KioskRuntime
from ui.context import AppContext
from ui.i18n import set_language
from ui.widgets.bug_notice import BugNotice, shown_as_bug
from ui.workers import Bug

ID = "330106199001010014"


@pytest.fixture
def opened() -> list[tuple[str, Any]]:
    return []


@pytest.fixture
def context(tmp_path: Path, opened: list[tuple[str, Any]], runtime: KioskRuntime) -> AppContext:
    return AppContext(config=runtime.config, data_dir=tmp_path, runtime=runtime,
                      navigate=lambda name, payload=None: opened.append((name, payload)))


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    widget.setObjectName("some_screen")
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    set_language(Language.ZH_CN)


def _notices(host: QWidget) -> list[BugNotice]:
    return [n for n in host.findChildren(BugNotice) if n.isVisibleTo(host)]


def test_a_bug_covers_the_screen_until_it_is_left(qtbot: QtBot, host: QWidget, context: AppContext) -> None:
    assert shown_as_bug(host, Bug(ZeroDivisionError()), context, "test")
    [notice] = _notices(host)
    assert notice.geometry() == host.rect()
    assert notice.text_label.text() == "出错了，请联系工作人员\nSomething went wrong, please ask staff"
    assert notice.help_button.accessibleName() == "呼叫工作人员 Call staff"
    host.resize(1080, 1920)
    assert notice.geometry() == host.rect()
    # A second bug on the same screen: still one notice.
    assert shown_as_bug(host, Bug(KeyError("x")), context, "test")
    assert _notices(host) == [notice]
    host.hide()
    assert _notices(host) == []
    host.show()
    assert _notices(host) == []


@pytest.mark.parametrize(("button", "navigated"), [("help_button", [("help", None)]), ("back_button", [])])
def test_call_staff_opens_the_help_screen_and_back_shows_the_screen_again(
    qtbot: QtBot, host: QWidget, context: AppContext, opened: list[tuple[str, Any]], button: str,
    navigated: list[tuple[str, Any]],
) -> None:
    shown_as_bug(host, Bug(ZeroDivisionError()), context, "test")
    [notice] = _notices(host)
    qtbot.mouseClick(getattr(notice, button), Qt.MouseButton.LeftButton)
    assert opened == navigated
    assert _notices(host) == []


def test_nothing_is_left_on_a_screen_the_resident_has_left(host: QWidget, context: AppContext) -> None:
    host.hide()
    assert shown_as_bug(host, Bug(ZeroDivisionError()), context, "test")
    host.show()
    assert _notices(host) == []


def test_the_notice_speaks_english_when_the_terminal_does(host: QWidget, context: AppContext) -> None:
    shown_as_bug(host, Bug(ZeroDivisionError()), context, "test")
    [notice] = _notices(host)
    set_language(Language.EN)
    assert notice.text_label.text() == "Something went wrong, please ask staff"
    assert notice.help_button.text() == "Call staff"
    assert notice.back_button.text() == "Back"


@pytest.mark.parametrize(("failure", "logged"), [
    (DeviceTimeout(f"no answer while reading {ID}"), "card read failed: DeviceTimeout (device.timeout)"),
    (OSError(errno.ENOSPC, "No space left on device", f"/media/usb/{ID}.zip"), "card read failed: OSError (ENOSPC)"),
])
def test_an_expected_failure_is_logged_by_type_and_code_and_left_to_the_screen(
    host: QWidget, context: AppContext, caplog: pytest.LogCaptureFixture, failure: Exception, logged: str
) -> None:
    caplog.set_level(logging.INFO, "kiosk.ui.failure")
    assert not shown_as_bug(host, failure, context, "card read")
    assert _notices(host) == []
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(logging.INFO, logged)]
