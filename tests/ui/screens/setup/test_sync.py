"""The setup screen's Sync page: figures, rejected items with their reasons and no personal data,
Retry back to pending, Export to a folder, "sync now", and no timer or thread left when hidden."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.runtime import KioskRuntime
from kiosk.technician.audit import audit_log_for
from ui.context import AppContext
from ui.screens.setup.sync import SyncPage
from ui.theme import NORMAL, stylesheet

NAME = "李四"
ID_NUMBER = "110101199003071234"


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


def reject(runtime: KioskRuntime, service_code: str, reason: str) -> str:
    outbox = runtime.cache.outbox
    item = outbox.add_submission(service_code, {"copies": 1}, {"name": NAME, "id_number": ID_NUMBER})
    outbox.mark_sending(item.uuid)
    outbox.mark_rejected(item.uuid, reason)
    return item.uuid


def make_page(qtbot: QtBot, host: QWidget, runtime: KioskRuntime, tmp_path: Path) -> SyncPage:
    page = SyncPage(AppContext(config=runtime.config, data_dir=tmp_path, runtime=runtime), host)
    host.layout().addWidget(page)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(lambda: page.overview is not None)
    return page


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def all_text(page: QWidget) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel))


def test_figures_and_a_rejected_item_with_its_reason(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    reject(runtime, "SVC-330100-01", "材料不全 attachment missing")
    runtime.cache.outbox.add_rating({"grade": 5})
    runtime.cache.sync_state.record_error("connection refused", datetime(2026, 1, 2, tzinfo=UTC))
    page = make_page(qtbot, host, runtime, tmp_path)
    assert "待发送 1 pending" in page.values["outbox"].text()
    assert "被拒绝 1 rejected" in page.values["outbox"].text()
    assert "connection refused" in page.values["error"].text()
    assert "未配置平台" in page.values["network"].text()
    assert page.values["oldest"].text() != "无 None"
    row = page.row_for("T0001-000001")
    assert row is not None
    assert "材料不全 attachment missing" in row.reason.text()
    text = all_text(page)
    assert "SVC-330100-01" in text
    assert NAME not in text
    assert ID_NUMBER not in text
    qtbot.waitUntil(lambda: row.retry_button.height() >= 64)  # laid out on the next pass


def test_retry_moves_the_item_back_to_pending(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    uuid = reject(runtime, "SVC-1", "bad")
    page = make_page(qtbot, host, runtime, tmp_path)
    row = page.row_for("T0001-000001")
    assert row is not None
    click(qtbot, row.retry_button)
    qtbot.waitUntil(lambda: not page.rows and page.empty.isVisible())
    assert runtime.cache.outbox.get(uuid).state == "pending"
    assert "已重新排队" in page.message.text()
    assert audit_log_for(tmp_path).tail()[-1].action == "sync.retry_rejected"


def test_export_writes_the_rejected_items(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    reject(runtime, "SVC-1", "reason one")
    reject(runtime, "SVC-2", "reason two")
    page = make_page(qtbot, host, runtime, tmp_path)
    qtbot.waitUntil(lambda: len(page.rows) == 2)
    click(qtbot, page.export_toggle)
    assert page.export_panel.isVisible()
    stick = tmp_path / "stick"
    stick.mkdir()
    assert not page.export_button.isEnabled()
    page.chooser.path_field.setText(str(stick))
    assert page.export_button.isEnabled()
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.last_export is not None)
    [written] = list(stick.iterdir())
    document = json.loads(written.read_text("utf-8"))
    assert [item["reason"] for item in document["items"]] == ["reason one", "reason two"]
    assert NAME not in written.read_text("utf-8")
    assert "已导出 2 项" in page.message.text()


def test_export_to_a_missing_folder_says_so(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    reject(runtime, "SVC-1", "reason")
    page = make_page(qtbot, host, runtime, tmp_path)
    qtbot.waitUntil(lambda: len(page.rows) == 1)
    click(qtbot, page.export_toggle)
    page.chooser.path_field.setText(str(tmp_path / "unplugged"))
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "不存在" in page.message.text())
    assert page.message.property("setupRole") == "error"
    assert page.export_button.isEnabled()


def test_sync_now_without_a_platform_says_so(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    page = make_page(qtbot, host, runtime, tmp_path)
    click(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: "未配置平台" in page.outcome.text())
    assert audit_log_for(tmp_path).tail()[-1].action == "sync.now"


def test_sync_now_reports_the_contact_when_it_comes(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.status import NetworkState
    from kiosk.technician import outbox_admin

    real = outbox_admin.sync_overview

    def running(cache: object, engine: object) -> outbox_admin.SyncOverview:
        # A started engine with a platform, without the network: only the figures matter here.
        overview = real(cache, engine)  # type: ignore[arg-type]
        return outbox_admin.SyncOverview(**{**overview.__dict__, "network": NetworkState.ONLINE, "running": True})

    monkeypatch.setattr("ui.screens.setup.sync.sync_overview", running)
    monkeypatch.setattr(outbox_admin, "sync_overview", running)
    page = make_page(qtbot, host, runtime, tmp_path)
    click(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: page.outcome.text() == "正在同步… Syncing…" and page.sync_button.isEnabled())
    runtime.cache.sync_state.record_contact(datetime.now(UTC))
    page.refresh()
    qtbot.waitUntil(lambda: "同步完成" in page.outcome.text())


def test_hiding_stops_the_timer_and_the_worker(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    page = make_page(qtbot, host, runtime, tmp_path)
    assert page._timer.isActive()
    page.hide()
    assert not page._timer.isActive()
    assert not page._worker.running
    page.show()
    qtbot.waitUntil(lambda: page._timer.isActive())


def test_every_button_has_a_name(qtbot: QtBot, runtime: KioskRuntime, host: QWidget,
        tmp_path: Path) -> None:
    reject(runtime, "SVC-1", "reason")
    page = make_page(qtbot, host, runtime, tmp_path)
    qtbot.waitUntil(lambda: len(page.rows) == 1)
    assert all(button.objectName() for button in page.findChildren(QPushButton))


def test_a_stale_retry_says_the_item_is_no_longer_rejected(
        qtbot: QtBot, runtime: KioskRuntime, host: QWidget, tmp_path: Path) -> None:
    uuid = reject(runtime, "SVC-1", "bad")
    page = make_page(qtbot, host, runtime, tmp_path)
    qtbot.waitUntil(lambda: len(page.rows) == 1)
    page._timer.stop()  # the list on screen goes stale: someone retried from the command line
    runtime.cache.outbox.requeue(uuid)
    click(qtbot, page.rows[0].retry_button)
    qtbot.waitUntil(lambda: "不在被拒绝列表" in page.message.text())
    qtbot.waitUntil(lambda: not page.rows)


def test_refused_credentials_are_shown_as_such_not_as_offline(
        qtbot: QtBot, runtime: KioskRuntime, host: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.status import NetworkState
    from kiosk.technician import outbox_admin

    real = outbox_admin.sync_overview

    def refused(cache: object, engine: object) -> outbox_admin.SyncOverview:
        overview = real(cache, engine)  # type: ignore[arg-type]
        return outbox_admin.SyncOverview(
            **{**overview.__dict__, "network": NetworkState.CREDENTIALS_REFUSED, "running": True})

    monkeypatch.setattr("ui.screens.setup.sync.sync_overview", refused)
    page = make_page(qtbot, host, runtime, tmp_path)
    shown = page.values["network"].text()
    assert "终端凭据被拒绝，请检查终端凭据" in shown
    assert "Credentials refused" in shown
    assert "离线" not in shown
