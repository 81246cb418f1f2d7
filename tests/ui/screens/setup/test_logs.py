"""The setup screen's Logs page: recent kiosk and audit lines, and an export to a chosen folder that
carries no platform token and leaves nothing behind when it fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config, config_from_mapping
from kiosk.runtime import KioskRuntime
from kiosk.technician.audit import audit_log_for
from ui.context import AppContext
from ui.screens.setup.logs import LogsPage
from ui.theme import NORMAL, stylesheet

TOKEN = "platform-token-do-not-export"


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[QWidget]:
    """A window carrying the application's theme, holding the page as the setup screen will."""
    widget = QWidget()
    widget.setStyleSheet(stylesheet(NORMAL, ""))
    QVBoxLayout(widget)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    yield widget
    widget.close()


def seed(tmp_path: Path) -> Config:
    logs = tmp_path / "logs"
    logs.mkdir(exist_ok=True)
    lines = "".join(f"2026-01-01 INFO kiosk.platform.sync: round {i}\n" for i in range(500))
    (logs / "kiosk.log").write_text(lines, "utf-8")
    (tmp_path / "platform.token").write_text(TOKEN, "utf-8")
    audit_log_for(tmp_path).record("pin.accepted")
    return config_from_mapping({"platform": {"url": "https://platform.example", "token_file": "platform.token"}})


def make_page(qtbot: QtBot, host: QWidget, config: Config, runtime: KioskRuntime, tmp_path: Path) -> LogsPage:
    page = LogsPage(AppContext(config=config, data_dir=tmp_path, runtime=runtime), host)
    host.layout().addWidget(page)
    host.show()
    qtbot.waitExposed(host)
    return page


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_shows_the_last_lines_of_the_kiosk_log_and_the_audit_log(
        qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    page = make_page(qtbot, host, seed(tmp_path), runtime, tmp_path)
    qtbot.waitUntil(lambda: "round 499" in page.text())
    lines = page.text().splitlines()
    assert len(lines) == 200
    assert lines[0].endswith("round 300")
    assert page.view.isReadOnly()
    click(qtbot, page.audit_button)
    assert "pin.accepted" in page.text()
    click(qtbot, page.kiosk_button)
    assert "round 499" in page.text()


def test_an_empty_log_says_so(qtbot: QtBot, runtime: KioskRuntime, host: QWidget, tmp_path: Path) -> None:
    page = make_page(qtbot, host, runtime.config, runtime, tmp_path)
    qtbot.waitUntil(lambda: "日志为空" in page.text())


def test_export_writes_a_folder_without_the_token(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    page = make_page(qtbot, host, seed(tmp_path), runtime, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert not page.export_button.isEnabled()
    click(qtbot, page.chooser.keyboard_button)
    assert page.chooser.keyboard.isVisible()
    page.chooser.path_field.setText(str(stick))
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.last_export is not None)
    assert page.last_export is not None
    [bundle] = list(stick.iterdir())
    assert bundle == page.last_export.path
    files = {str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file()}
    assert {"logs/kiosk.log", "audit.log", "config.json", "manifest.json"} <= files
    assert all(TOKEN.encode() not in p.read_bytes() for p in bundle.rglob("*") if p.is_file())
    config = json.loads((bundle / "config.json").read_text("utf-8"))
    assert config["platform"]["token_file"] == "platform.token"
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    assert manifest["outbox"]["pending"] == 0
    assert "已导出" in page.message.text()
    assert audit_log_for(tmp_path).tail()[-1].action == "logs.exported"


def test_export_to_a_read_only_folder_leaves_nothing(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from kiosk.technician import support_export

    def refuse(path: Path) -> object:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(support_export, "_open_new", refuse)
    page = make_page(qtbot, host, seed(tmp_path), runtime, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    page.chooser.path_field.setText(str(stick))
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "无法写入" in page.message.text())
    assert page.message.property("setupRole") == "error"
    assert list(stick.iterdir()) == []
    assert page.export_button.isEnabled()


def test_drives_found_are_offered(qtbot: QtBot, runtime: KioskRuntime, host: QWidget, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    drive = tmp_path / "media" / "KINGSTON"
    drive.mkdir(parents=True)
    monkeypatch.setattr("ui.screens.setup.logs.removable_targets", lambda: [drive])
    page = make_page(qtbot, host, runtime.config, runtime, tmp_path)
    qtbot.waitUntil(lambda: len(page.chooser.drive_buttons) == 1)
    assert "KINGSTON" in page.chooser.drive_buttons[0].text()
    assert page.chooser.folder() == drive  # the only drive is chosen
    page.chooser.path_field.setText(str(tmp_path))
    assert not page.chooser.drive_buttons[0].isChecked()
    assert page.export_button.isEnabled()


def test_hiding_stops_the_worker_and_every_button_is_named(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
                                                           tmp_path: Path) -> None:
    page = make_page(qtbot, host, runtime.config, runtime, tmp_path)
    qtbot.waitUntil(lambda: page.text() != "")
    assert all(button.objectName() for button in page.findChildren(QPushButton))
    assert page._worker.running
    page.hide()
    assert not page._worker.running
