"""The setup screen's Sync page (同步): is the platform reachable, what is waiting, what was refused.

Top: online state, outbox depth (pending / sending / rejected), age of the oldest unsent item, last
contact, last error, catalogue version. 立即同步 Sync now wakes the sync engine and says what came of
it once the figures change (contact made, or a new error). Below: the items the platform rejected,
each with its receipt number, kind, service code, time and the platform's reason — never personal
data, which stays sealed in the outbox — with 重新发送 Retry per item, and 导出 Export of all of them
to a JSON file in a chosen folder (kiosk/technician/outbox_admin.py does the work and writes the audit lines).

Every database read and write runs on a DeviceWorker; a timer refreshes the figures every two
seconds. Both exist only while the page is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.status import NetworkState
from kiosk.technician.outbox_admin import (
    NoLongerRejected,
    RejectedRecord,
    SyncOverview,
    export_rejected,
    format_age,
    request_sync,
    retry_rejected,
    sync_outcome,
    sync_overview,
)
from kiosk.technician.support_export import ExportError, removable_targets
from ui.context import AppContext
from ui.screens.setup.devices import TouchScroll
from ui.screens.setup.logs import FolderChooser, show_message
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.labels import text_label
from ui.workers import LazyWorker

REFRESH_MS = 2000
# What the actions raise that the page explains: the export's own error, an item retried meanwhile, and
# the disk or USB stick refusing a write. Anything else is a bug (ui/workers.py).
_ACTION_ERRORS = (ExportError, NoLongerRejected, OSError)
_STYLE = """
QFrame[setupRole="rejected"] { background: #ffffff; border: 1px solid #4a5568; border-radius: 8px; }
QFrame[setupRole="rejected"] QLabel { background: transparent; border: none; }
QFrame#setup_sync_figures { background: #ffffff; border: 1px solid #4a5568; border-radius: 8px; }
QFrame#setup_sync_figures QLabel { background: transparent; }
QLabel[setupRole="key"] { font-weight: bold; }
QLabel[setupRole="message"] { padding: 4px 0px; }
QLabel[setupRole="error"] { color: #a3262b; font-weight: bold; padding: 4px 0px; }
QScrollArea#setup_sync_scroll { border: none; background: transparent; }
QWidget#setup_sync_scroll_body { background: transparent; }
"""

KIND_NAMES = {"submission": "申报 submission", "rating": "评价 rating", "heartbeat": "心跳 heartbeat"}


def _local(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def attempts_en(count: int) -> str:
    """The English line's count of sending attempts: "1 attempt", "3 attempts"."""
    return f"{count} attempt" if count == 1 else f"{count} attempts"


class RejectedRow(QFrame):
    """One rejected item: what it was, when and why, and a Retry button."""

    def __init__(self, record: RejectedRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.setObjectName(f"setup_sync_rejected_{record.receipt_no}")
        self.setProperty("setupRole", "rejected")
        box = QHBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        text = QVBoxLayout()
        text.setSpacing(2)
        kind = self.tr(KIND_NAMES.get(record.kind, record.kind))
        head = f"{record.receipt_no} · {kind}"
        if record.service_code:
            head += f" · {record.service_code}"
        title = text_label(self, "setup_sync_rejected_title", "body", head)
        title.setProperty("setupRole", "key")
        text.addWidget(title)
        text.addWidget(text_label(
            self, "setup_sync_rejected_time", "subtitle",
            self.tr("被拒绝于 Rejected {0} · 尝试 {1} 次").format(_local(record.rejected_at), record.attempts)
            + " · " + attempts_en(record.attempts)))
        self.reason = text_label(self, "setup_sync_rejected_reason", "body",
                                 self.tr("原因 Reason: {0}").format(record.reason or "—"))
        text.addWidget(self.reason)
        box.addLayout(text, 1)
        self.retry_button = QPushButton(self.tr("重新发送 Retry"), self)
        self.retry_button.setObjectName("setup_sync_retry_button")
        box.addWidget(self.retry_button)


class SyncPage(QWidget):
    """See the module docstring."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_sync_page")
        self.setStyleSheet(_STYLE)
        self._context = context
        self._worker = LazyWorker("setup-sync", self)
        self._refreshing = False
        self._busy = False
        self._before_sync: SyncOverview | None = None
        self.overview: SyncOverview | None = None
        self.last_export: Path | None = None
        self.rows: list[RejectedRow] = []
        self._timer = QTimer(self)
        self._timer.setObjectName("setup_sync_refresh_timer")
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = TouchScroll("setup_sync_scroll", self)
        outer.addWidget(self.scroll_area)
        content = self.scroll_area.body
        box = QVBoxLayout(content)
        box.setContentsMargins(16, 16, 32, 16)
        box.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(text_label(content, "setup_sync_title", "title", self.tr("同步 Sync")), 1)
        self.sync_button = QPushButton(self.tr("立即同步 Sync now"), content)
        self.sync_button.setObjectName("setup_sync_now_button")
        self.sync_button.clicked.connect(self.sync_now)
        top.addWidget(self.sync_button)
        box.addLayout(top)
        self.outcome = text_label(content, "setup_sync_outcome", "body")
        self.outcome.hide()
        box.addWidget(self.outcome)

        figures = QFrame(content)
        figures.setObjectName("setup_sync_figures")
        grid = QGridLayout(figures)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        rows = (
            ("network", self.tr("网络 Online state")),
            ("outbox", self.tr("待发送队列 Outbox")),
            ("oldest", self.tr("最早未发送 Oldest unsent")),
            ("contact", self.tr("最近联系 Last contact")),
            ("error", self.tr("最近错误 Last error")),
            ("catalog", self.tr("目录版本 Catalogue version")),
        )
        for index, (key, caption) in enumerate(rows):
            name = text_label(figures, f"setup_sync_{key}_caption", "body", caption)
            name.setProperty("setupRole", "key")
            grid.addWidget(name, index, 0, Qt.AlignmentFlag.AlignTop)
            value = text_label(figures, f"setup_sync_{key}_value", "body", "…")
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            grid.addWidget(value, index, 1, Qt.AlignmentFlag.AlignTop)
            self.values[key] = value
        grid.setColumnStretch(1, 1)
        box.addWidget(figures)

        header = QHBoxLayout()
        self.rejected_title = text_label(content, "setup_sync_rejected_header", "body",
                                         self.tr("被拒绝的项目 Rejected items"))
        self.rejected_title.setProperty("setupRole", "key")
        header.addWidget(self.rejected_title, 1)
        self.export_toggle = QPushButton(self.tr("导出 Export"), content)
        self.export_toggle.setObjectName("setup_sync_export_toggle")
        self.export_toggle.setProperty("role", "secondary")
        self.export_toggle.setCheckable(True)
        self.export_toggle.toggled.connect(self._toggle_export)
        header.addWidget(self.export_toggle)
        box.addLayout(header)

        self.export_panel = QWidget(content)
        self.export_panel.setObjectName("setup_sync_export_panel")
        panel = QVBoxLayout(self.export_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        self.chooser = FolderChooser("setup_sync", self.export_panel)
        self.chooser.refresh_button.clicked.connect(self.scan_drives)
        self.chooser.changed.connect(self._update_buttons)
        panel.addWidget(self.chooser)
        self.export_button = QPushButton(self.tr("导出全部被拒绝项目 Export all rejected items"), self.export_panel)
        self.export_button.setObjectName("setup_sync_export_button")
        self.export_button.clicked.connect(self.export)
        self.chooser.action_row.addWidget(self.export_button)
        self.export_panel.hide()
        box.addWidget(self.export_panel)
        self.message = text_label(content, "setup_sync_message", "body")
        self.message.hide()
        box.addWidget(self.message)

        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        box.addLayout(self._list)
        self.empty = text_label(content, "setup_sync_no_rejected", "subtitle",
                                self.tr("没有被拒绝的项目 No rejected items"))
        box.addWidget(self.empty)
        box.addStretch(1)
        self._update_buttons()

    # --- lifecycle ---------------------------------------------------------------------------------

    def enter(self) -> None:
        """Shown: refresh now and every two seconds while shown."""
        if self._timer.isActive():
            return
        self._timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.enter()

    def hideEvent(self, event: QHideEvent) -> None:
        # Qt may send a last hide while the Python side is already being torn down.
        if "_timer" in self.__dict__:
            self._timer.stop()
            self._worker.stop()
            self._refreshing = self._busy = False
            self._before_sync = None
        super().hideEvent(event)

    # --- figures -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        runtime = self._context.runtime
        if self._refreshing:
            return  # a slow disk: the previous read is still running
        self._refreshing = True
        call = self._worker.submit(sync_overview, runtime.cache, runtime.sync)
        call.finished.connect(self._on_overview)
        call.failed.connect(self._on_refresh_failed)

    def _on_refresh_failed(self, exc: object) -> None:
        self._refreshing = False
        if shown_as_bug(self, exc, self._context, "setup: reading the sync state"):
            return
        show_message(self.message, self.tr("无法读取同步状态 Cannot read the sync state: {0}").format(exc), error=True)

    def _on_overview(self, overview: object) -> None:
        assert isinstance(overview, SyncOverview)
        self._refreshing = False
        self.overview = overview
        self.values["network"].setText(self._network_text(overview))
        self.values["outbox"].setText(self.tr("待发送 {0} pending · 发送中 {1} sending · 被拒绝 {2} rejected")
                                      .format(overview.pending, overview.sending, overview.rejected))
        age = overview.oldest_unsent_age_s(datetime.now(UTC))
        self.values["oldest"].setText(self.tr("无 None") if age is None else format_age(age))
        self.values["contact"].setText(self.tr("从未 Never") if overview.last_contact is None
                                       else _local(overview.last_contact))
        if overview.last_error is None:
            self.values["error"].setText(self.tr("无 None"))
        else:
            self.values["error"].setText(f"{_local(overview.last_error_at)}  {overview.last_error}")
        self.values["catalog"].setText(self.tr("无 None") if overview.catalog_version is None
                                       else str(overview.catalog_version))
        self._show_rejected(overview.rejected_items)
        self._report_sync(overview)
        self._update_buttons()

    def _network_text(self, overview: SyncOverview) -> str:
        texts = {
            NetworkState.ONLINE: self.tr("在线 Online"),
            NetworkState.OFFLINE: self.tr("离线 Offline"),
            NetworkState.CREDENTIALS_REFUSED: self.tr(
                "终端凭据被拒绝，请检查终端凭据 Credentials refused: check the terminal's credentials"),
            NetworkState.UNKNOWN: self.tr("尚未联系 Not contacted yet"),
            NetworkState.DISABLED: self.tr("未配置平台，仅离线工作 No platform configured (offline only)"),
        }
        text = texts[overview.network]
        if overview.network is not NetworkState.DISABLED and not overview.running:
            text += self.tr("（同步服务未运行 sync service not running）")
        return text

    def _show_rejected(self, records: tuple[RejectedRecord, ...]) -> None:
        # Rebuilt only when the list changed, so a refresh does not reset a finger mid-scroll.
        if tuple(row.record for row in self.rows) == records:
            return
        for row in self.rows:
            self._list.removeWidget(row)
            row.deleteLater()
        self.rows = []
        parent = self.empty.parentWidget()
        for record in records:
            row = RejectedRow(record, parent)
            row.retry_button.clicked.connect(lambda _checked=False, r=record: self.retry(r))
            self._list.addWidget(row)
            self.rows.append(row)
        self.empty.setVisible(not records)
        self.rejected_title.setText(self.tr("被拒绝的项目 Rejected items ({0})").format(len(records)))

    def row_for(self, receipt_no: str) -> RejectedRow | None:
        return next((row for row in self.rows if row.record.receipt_no == receipt_no), None)

    # --- actions ------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.sync_button.setEnabled(not self._busy)
        has_rejected = bool(self.rows)
        self.export_button.setEnabled(not self._busy and has_rejected
                                      and self.chooser.folder() is not None)
        for row in self.rows:
            row.retry_button.setEnabled(not self._busy)

    def sync_now(self) -> None:
        runtime = self._context.runtime
        if self._busy:
            return
        self._busy = True
        self._update_buttons()
        show_message(self.outcome, self.tr("正在同步… Syncing…"))
        call = self._worker.submit(request_sync, runtime.cache, runtime.sync, self._context.data_dir,
                                   expected=_ACTION_ERRORS)
        call.finished.connect(self._on_sync_requested)
        call.failed.connect(self._on_action_failed)

    def _on_sync_requested(self, before: object) -> None:
        assert isinstance(before, SyncOverview)
        self._busy = False
        if before.network is NetworkState.DISABLED:
            show_message(self.outcome, self.tr("未配置平台，无法同步 No platform is configured: nothing to sync with"),
                         error=True)
        elif not before.running:
            show_message(self.outcome, self.tr("同步服务未运行 The sync service is not running"), error=True)
        else:
            self._before_sync = before
        self._update_buttons()
        self.refresh()

    def _report_sync(self, overview: SyncOverview) -> None:
        if self._before_sync is None:
            return
        outcome = sync_outcome(self._before_sync, overview)
        if outcome == "contact":
            self._before_sync = None
            show_message(self.outcome, self.tr("同步完成 Sync done: 待发送 {0} pending, 被拒绝 {1} rejected").format(
                overview.depth, overview.rejected))
        elif outcome == "error":
            self._before_sync = None
            show_message(self.outcome, self.tr("同步失败 Sync failed: {0}").format(overview.last_error), error=True)

    def retry(self, record: RejectedRecord) -> None:
        runtime = self._context.runtime
        if self._busy:
            return
        self._busy = True
        self._update_buttons()
        call = self._worker.submit(retry_rejected, runtime.cache, runtime.sync, record.uuid,
                                            self._context.data_dir, expected=_ACTION_ERRORS)
        call.finished.connect(self._on_retried)
        call.failed.connect(self._on_action_failed)

    def _on_retried(self, record: object) -> None:
        assert isinstance(record, RejectedRecord)
        self._busy = False
        show_message(self.message, self.tr("{0} 已重新排队发送 is queued again").format(record.receipt_no))
        self._update_buttons()
        self.refresh()

    def _on_action_failed(self, exc: object) -> None:
        self._busy = False
        if shown_as_bug(self, exc, self._context, "setup: a sync action"):
            text = ""
        elif isinstance(exc, ExportError):
            text = exc.message
        elif isinstance(exc, NoLongerRejected):
            text = self.tr("该项目已不在被拒绝列表中 This item is no longer rejected")
        else:
            text = self.tr("操作失败 The action failed: {0}").format(exc)
        show_message(self.message, text, error=True)
        self._update_buttons()
        self.refresh()

    def _toggle_export(self, shown: bool) -> None:
        self.export_panel.setVisible(shown)
        if shown:
            # The panel opens below the figures, past the fold: bring it (and its button) into view.
            self.scroll_area.reveal(self.export_panel)
            self.scan_drives()

    def scan_drives(self) -> None:
        call = self._worker.submit(removable_targets)
        call.finished.connect(lambda drives: self.chooser.set_drives(list(drives)))

    def export(self) -> None:
        runtime = self._context.runtime
        folder = self.chooser.folder()
        if folder is None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        cache, terminal_id, data_dir = runtime.cache, self._context.config.terminal.id, self._context.data_dir
        call = self._worker.submit(
            lambda: export_rejected(cache, folder, terminal_id=terminal_id, data_dir=data_dir),
            expected=_ACTION_ERRORS,
        )
        call.finished.connect(self._on_exported)
        call.failed.connect(self._on_action_failed)

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, tuple)
        path, count = result
        self._busy = False
        self.last_export = path
        show_message(self.message, self.tr("已导出 {0} 项到 Exported {0} items to {1}").format(count, path))
        self._update_buttons()
