"""The setup screen's Devices page (设备): per role, what is assigned, its live status, discovery,
a test, and 保存并应用 (save & apply) without restarting the app.

Everything that touches a device or the disk runs on the page's `DeviceWorker`: discovery
(kiosk/devices/discovery.py), the test (kiosk/technician/device_tests.py) and the save
(kiosk/technician/setup_apply.py). A test shows the card holder masked; `wipe()` clears it.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import ConfigError
from kiosk.devices.discovery import ROLES, Candidate, Discovery, discover, manual_serial
from kiosk.status import DeviceState, DeviceStatus
from kiosk.technician.audit import audit_log_for
from kiosk.technician.config_write import apply_changes
from kiosk.technician.device_tests import TestOutcome, run_test
from kiosk.technician.setup_apply import SaveOutcome, save_and_apply
from ui.context import AppContext
from ui.device_bridge import DeviceBridge
from ui.i18n.texts import pick
from ui.theme import Theme
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.kinetic import make_kinetic
from ui.widgets.labels import text_label
from ui.widgets.type_size import ThemeWatcher
from ui.workers import Call, LazyWorker

log = logging.getLogger("kiosk.ui.setup")

# role -> (Chinese, English) as on the role buttons.
ROLE_TEXT = {
    "idcard": ("身份证读卡器", "ID card reader"),
    "citizencard": ("社保卡读卡器", "Citizen card reader"),
    "printer": ("打印机", "Printer"),
    "camera": ("高拍仪", "Document camera"),
    "scanner": ("扫描仪", "Scanner"),
    "barcode": ("扫码器", "QR / barcode"),
}
# Shorter, one line, for the role buttons.
ROLE_BUTTON = {
    "idcard": ("身份证", "ID card"), "citizencard": ("社保卡", "Citizen card"), "printer": ("打印机", "Printer"),
    "camera": ("高拍仪", "Camera"), "scanner": ("扫描仪", "Scanner"), "barcode": ("扫码器", "QR code"),
}
# The config key a candidate's name goes into, per role.
NAME_KEY = {"idcard": "port", "citizencard": "reader", "printer": "queue", "camera": "source",
            "scanner": "device", "barcode": "port"}
TEST_TEXT = {
    "idcard": ("测试：读卡", "Test: read a card"), "citizencard": ("测试：读卡", "Test: read a card"),
    "printer": ("测试：打印测试页", "Test: print a test page"), "camera": ("测试：拍摄", "Test: capture"),
    "scanner": ("测试：扫描", "Test: scan a page"), "barcode": ("测试", "Test"),
}
STATE_TEXT = {
    DeviceState.OK: ("正常", "OK"), DeviceState.BUSY: ("使用中", "busy"),
    DeviceState.DEGRADED: ("不稳定", "unstable"), DeviceState.OFFLINE: ("离线", "offline"),
    DeviceState.NOT_CONFIGURED: ("未配置", "not configured"), DeviceState.UNKNOWN: ("检查中", "checking"),
}


def both(pair: tuple[str, str], separator: str = " ") -> str:
    """A (Chinese, English) pair of the tables above: both in Chinese, the English alone in English."""
    return pick(f"{pair[0]}{separator}{pair[1]}", pair[1])


def assignment(context: AppContext, role: str) -> tuple[str, str]:
    """(backend, name) of the role in the running configuration."""
    section = getattr(context.config.devices, role)
    return section.backend, str(getattr(section, NAME_KEY[role]))


def changes_for(role: str, candidate: Candidate) -> dict[str, Any]:
    """The config keys a chosen candidate sets; a simulator keeps the role's name key as it was."""
    changes: dict[str, Any] = {f"devices.{role}.backend": candidate.backend}
    if candidate.name and candidate.backend != "simulated":
        changes[f"devices.{role}.{NAME_KEY[role]}"] = candidate.name
    return changes


class DevicesPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_devices_page")
        # Elder mode swaps the window's theme: restyle what the theme's sheet has no rule for.
        self._theme = ThemeWatcher(self, self._restyle)
        self.context = context
        self.role = ROLES[0]
        self.pending: dict[str, dict[str, Any]] = {}  # role -> changes not saved yet
        self.candidates: dict[str, Discovery] = {}
        self.statuses: dict[str, DeviceStatus] = {}
        self.last_outcome: TestOutcome | None = None
        self.last_save: SaveOutcome | None = None
        self._worker = LazyWorker("setup-devices", self)
        self._calls: set[Call] = set()
        self._bridge: DeviceBridge | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The role choice and the details scroll; the actions stay in a bar below them, always in view.
        self.scroll_area = TouchScroll("setup_devices_scroll", self)
        outer.addWidget(self.scroll_area, 1)
        body = self.scroll_area.body
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 20, 24, 16)
        layout.setSpacing(12)

        # Six roles as a compact 3 × 2 grid: in one column they filled an elder-mode screen. Where three
        # do not fit across (a 1080-px portrait screen in elder type cut their names), two (_arrange_roles).
        self.roles = roles = QGridLayout()
        roles.setHorizontalSpacing(12)
        roles.setVerticalSpacing(10)
        self.role_group = QButtonGroup(self)
        self.role_group.setExclusive(True)
        self.role_buttons: dict[str, QPushButton] = {}
        for index, role in enumerate(ROLES):
            button = QPushButton(both(ROLE_BUTTON[role]), body)
            button.setObjectName(f"setup_role_{role}")
            button.setCheckable(True)
            button.clicked.connect(functools.partial(self.select_role, role))
            self.role_group.addButton(button)
            self.role_buttons[role] = button
            roles.addWidget(button, index // 3, index % 3)
        self.role_columns = 3
        self.body_margins = layout.contentsMargins()
        layout.addLayout(roles)
        self.scroll_area.viewport().installEventFilter(self)

        self.current_label = self._label("setup_device_current", "body")
        self.status_label = self._label("setup_device_status", "body")
        self.pending_label = self._label("setup_device_pending", "body")
        layout.addWidget(self.current_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.pending_label)

        self.message_label = self._label("setup_device_message", "body")
        self.card_label = self._label("setup_test_card", "body")
        layout.addWidget(self.message_label)
        layout.addWidget(self.card_label)

        self.discover_note = self._label("setup_discover_note", "subtitle")
        layout.addWidget(self.discover_note)
        self.candidate_list = QListWidget(body)
        self.candidate_list.setObjectName("setup_candidates")
        self.candidate_list.setWordWrap(True)
        self.candidate_list.setMinimumHeight(150)
        self.candidate_list.itemClicked.connect(self._on_candidate)
        self.candidate_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        make_kinetic(self.candidate_list)
        layout.addWidget(self.candidate_list, 1)

        manual = QHBoxLayout()
        self.manual_entry = QLineEdit(body)
        self.manual_entry.setObjectName("setup_manual_entry")
        self.manual_entry.setPlaceholderText(self.tr("或手动输入 Or type it"))
        self.manual_button = self._button("setup_manual_button", self.tr("使用 Use"), self.use_manual, body)
        self.manual_button.setProperty("role", "secondary")
        manual.addWidget(self.manual_entry, 1)
        manual.addWidget(self.manual_button)
        layout.addLayout(manual)

        bar = QFrame(self)
        bar.setObjectName("setup_devices_actions")
        tools = QHBoxLayout(bar)
        tools.setContentsMargins(32, 10, 32, 14)
        tools.setSpacing(16)
        self.discover_button = self._button("setup_discover_button", self.tr("发现\nDiscover"), self.discover, bar)
        self.discover_button.setProperty("role", "secondary")
        self.test_button = self._button("setup_test_button", self.tr("测试\nTest"), self.test, bar)
        self.test_button.setProperty("role", "secondary")
        self.apply_button = self._button("setup_apply_button", self.tr("保存并应用\nSave && apply"), self.save, bar)
        tools.addWidget(self.discover_button)
        tools.addWidget(self.test_button)
        tools.addStretch(1)
        tools.addWidget(self.apply_button)
        bar.setStyleSheet("QFrame#setup_devices_actions { border-top: 1px solid #4a5568; }")
        outer.addWidget(bar)

        self.statuses = context.runtime.devices.statuses()
        self._bridge = DeviceBridge(context.runtime.devices, self)
        self._bridge.statuses_changed.connect(self.show_statuses)
        self.select_role(self.role)

    # --- building blocks ---------------------------------------------------------------------

    def _label(self, name: str, role: str, text: str = "") -> QLabel:
        label = text_label(self, name, role, text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return label

    def _button(self, name: str, text: str, slot: Any, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _submit(self, fn: Any, done: Any) -> Call:
        # Disk and device-node errors (a full disk, a reader unplugged mid-probe) are the technician's to read.
        call = self._worker.submit(fn, expected=(OSError,))
        self._calls.add(call)
        call.finished.connect(functools.partial(self._settle, call, done))
        call.failed.connect(functools.partial(self._settle, call, self._failed))
        return call

    def _settle(self, call: Call, handler: Any, value: object) -> None:
        self._calls.discard(call)
        handler(value)

    @property
    def busy(self) -> bool:
        return bool(self._calls)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.discover_button, self.test_button, self.apply_button, self.manual_button):
            button.setEnabled(not busy)

    def _restyle(self, theme: Theme) -> None:
        # List rows are touch targets too: as tall as the theme's buttons.
        self.candidate_list.setStyleSheet(
            f"QListWidget::item {{ min-height: {theme.button_min_px}px; padding: 4px 8px; }}"
            f"QListWidget::item:selected {{ background: {theme.accent}; color: {theme.accent_text}; }}")
        for button in self.role_buttons.values():
            button.setStyleSheet(choice_style(theme))
        self.manual_entry.setMinimumHeight(theme.button_min_px)
        self._arrange_roles()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange_roles()
        return super().eventFilter(watched, event)

    def _arrange_roles(self) -> None:
        """Three roles to a row where the three widest names fit side by side, else two."""
        room = self.scroll_area.viewport().width() - self.body_margins.left() - self.body_margins.right()
        widths = sorted(button.sizeHint().width() for button in self.role_buttons.values())
        three = sum(widths[-3:]) + 2 * self.roles.horizontalSpacing() <= room
        columns = 3 if three else 2
        if columns == self.role_columns:
            return
        self.role_columns = columns
        for button in self.role_buttons.values():
            self.roles.removeWidget(button)
        for index, button in enumerate(self.role_buttons.values()):
            self.roles.addWidget(button, index // columns, index % columns)

    # --- the role shown ------------------------------------------------------------------------

    def enter(self) -> None:
        self.refresh()

    def select_role(self, role: str) -> None:
        self.role = role
        self.role_buttons[role].setChecked(True)
        self.test_button.setToolTip(both(TEST_TEXT[role]))
        self.message_label.clear()
        self.card_label.clear()
        self.manual_entry.clear()
        self.refresh()

    def refresh(self) -> None:
        backend, name = assignment(self.context, self.role)
        # A simulator ignores the port/queue key: showing it would suggest it is used.
        shown = f" · {name}" if name and backend not in ("simulated", "none") else ""
        self.current_label.setText(self.tr("当前 Current: ") + backend + shown)
        self._show_status()
        pending = self.pending.get(self.role)
        if pending:
            shown = ", ".join(f"{k.rsplit('.', 1)[1]} = {v}" for k, v in pending.items())
            self.pending_label.setText(self.tr("待保存 To save: ") + shown)
        else:
            self.pending_label.setText(self.tr("未更改 No change"))
        self._fill_candidates()

    def show_statuses(self, statuses: object) -> None:
        if isinstance(statuses, dict):
            self.statuses = dict(statuses)
            self._show_status()

    def _show_status(self) -> None:
        status = self.statuses.get(self.role)
        if status is None:
            text = self.tr("状态 Status: —")
        else:
            state = STATE_TEXT.get(status.state, (status.state.value, status.state.value))
            detail = f" ({status.detail})" if status.detail and status.state is not DeviceState.OK else ""
            text = self.tr("状态 Status: ") + both(state) + detail
        self.status_label.setText(text)

    def _fill_candidates(self) -> None:
        self.candidate_list.clear()
        found = self.candidates.get(self.role)
        if found is None:
            self.discover_note.setText(self.tr("按“发现设备”查找已连接的设备  Press Discover"))
            return
        for candidate in found.candidates:
            text = f"{candidate.backend} · {candidate.name}" if candidate.name else candidate.backend
            if candidate.detail:
                text += f"\n{candidate.detail}"
            item = QListWidgetItem(text, self.candidate_list)
            item.setData(Qt.ItemDataRole.UserRole, candidate)
        note = self.tr("找到 %n 个", "", len(found.candidates)) + f" · {len(found.candidates)} found"
        if found.reasons:
            note += "\n" + "\n".join(found.reasons)
        self.discover_note.setText(note)

    # --- actions (results on the GUI thread) -----------------------------------------------------

    def discover(self) -> None:
        role = self.role
        self._set_busy(True)
        self.discover_note.setText(self.tr("正在查找… Discovering…"))
        self._submit(functools.partial(discover, role), functools.partial(self._on_discovered, role))

    def _on_discovered(self, role: str, found: object) -> None:
        self._set_busy(False)
        if isinstance(found, Discovery):
            self.candidates[role] = found
            audit_line(self.context, "device.discovered", role=role, found=len(found.candidates))
        if role == self.role:
            self._fill_candidates()
            self.scroll_area.reveal(self.candidate_list)

    def _on_candidate(self, item: QListWidgetItem) -> None:
        candidate = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(candidate, Candidate):
            self.choose(candidate)

    def choose(self, candidate: Candidate) -> None:
        """Marks `candidate` for the shown role; nothing is written until 保存并应用."""
        self.pending[self.role] = changes_for(self.role, candidate)
        self.refresh()

    def use_manual(self) -> None:
        text = self.manual_entry.text().strip()
        try:
            if self.role in ("idcard", "barcode"):
                candidate = manual_serial(text)
            elif not text:
                raise ValueError(self.tr("请输入名称 Enter a name"))
            else:
                backend = {"citizencard": "pcsc", "printer": "cups", "camera": "opencv", "scanner": "sane"}[self.role]
                candidate = Candidate(text, "手动输入 / entered by hand", backend)
        except ValueError as exc:
            self._say(False, str(exc))
            return
        self.choose(candidate)

    def _changes(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for changes in self.pending.values():
            merged.update(changes)
        return merged

    def test(self) -> None:
        """Tests the shown role as it would be after saving (pending changes included)."""
        try:
            config = apply_changes(self.context.config, self.pending.get(self.role, {}))
        except ConfigError as exc:
            self._say(False, str(exc))
            return
        role = self.role
        job = functools.partial(run_test, role, config, self.context.data_dir,
                                manager=self.context.runtime.devices, live=self.context.config)
        self._set_busy(True)
        self.card_label.clear()
        self.message_label.setText(both(TEST_TEXT[role]) + " …")
        self._submit(job, functools.partial(self._on_tested, role))

    def _on_tested(self, role: str, outcome: object) -> None:
        self._set_busy(False)
        if not isinstance(outcome, TestOutcome):
            return
        self.last_outcome = outcome
        audit_line(self.context, "device.tested", role=role, ok=outcome.ok)
        if outcome.masked:
            self.card_label.setText(
                self.tr("姓名 Name: ") + outcome.masked.get("name", "")
                + "\n" + self.tr("证件号码 ID number: ") + outcome.masked.get("id_number", ""))
        self._say(outcome.ok, both((outcome.zh, outcome.en), "  "))

    def save(self) -> None:
        changes = self._changes()
        if not changes:
            self._say(True, self.tr("没有需要保存的更改  Nothing to save"))
            return
        context = self.context
        job = functools.partial(save_and_apply, changes, config=context.config, data_dir=context.data_dir,
                                config_path=context.config_path, runtime=context.runtime)
        self._set_busy(True)
        self.message_label.setText(self.tr("正在保存… Saving…"))
        self._submit(job, self._on_saved)

    def _on_saved(self, outcome: object) -> None:
        self._set_busy(False)
        if not isinstance(outcome, SaveOutcome):
            return
        self.last_save = outcome
        self.context.config = outcome.config
        self.pending.clear()
        self.refresh()
        self._say(True, describe_save(self, outcome))

    def _failed(self, exc: object) -> None:
        self._set_busy(False)
        if shown_as_bug(self, exc, self.context, "setup: devices"):
            self.message_label.clear()
        else:
            self._say(False, describe_save_failure(exc))

    def _say(self, ok: bool, text: str) -> None:
        self.message_label.setText(("✔ " if ok else "✘ ") + text)
        # The actions sit below the page: what they did must not stay scrolled away.
        self.scroll_area.reveal(self.card_label if self.card_label.text() else self.message_label)

    # --- lifetime -------------------------------------------------------------------------------

    def wipe(self) -> None:
        """Drops the masked card of the last test (and the message that went with it)."""
        self.card_label.clear()
        self.last_outcome = None
        self.message_label.clear()

    def shutdown(self) -> None:
        """Stops the worker and the status listener (application exit, tests)."""
        if self._bridge is not None:
            self.context.runtime.devices.remove_listener(self._bridge._on_statuses)
            self._bridge = None
        for call in list(self._calls):
            call.cancel()
        self._calls.clear()
        self._worker.stop()


def choice_style(theme: Theme) -> str:
    """A checkable button not chosen looks like a secondary button; the chosen one keeps the accent."""
    return (f"QPushButton:!checked {{ background: {theme.surface}; color: {theme.text}; "
            f"border: {max(2, theme.border_px)}px solid {theme.text}; }}")


def describe_save(widget: QWidget, outcome: SaveOutcome) -> str:
    """What the technician reads after a save: where, what is live, what waits for a restart."""
    lines = [widget.tr("已保存到 Saved to ") + str(outcome.path)]
    if outcome.fallback:
        lines.append(widget.tr("（启动时未指定配置文件；下次启动时自动读取此文件）"
                               " Started without --config: the kiosk reads this file at its next start."))
    if outcome.apply_error:
        lines.append(widget.tr("设备正在使用，稍后再按一次应用  A device is in use; apply again: ")
                     + outcome.apply_error)
    elif outcome.restart:
        lines.append(widget.tr("重启后生效 After a restart: ") + ", ".join(outcome.restart))
    else:
        lines.append(widget.tr("已生效，无需重启  In effect now, no restart needed"))
    return "\n".join(lines)


def describe_save_failure(exc: object) -> str:
    """Why a save did not happen: the settings' own problems, the disk, or anything else by its name."""
    # One translation context for both pages: lupdate cannot attribute `widget.tr` here to a class.
    if isinstance(exc, ConfigError):
        return QCoreApplication.translate("SetupSave", "设置有误，未保存  Not saved: ") + "; ".join(exc.problems)
    if isinstance(exc, OSError):
        return QCoreApplication.translate("SetupSave", "无法写入  Cannot write: ") + str(exc)
    return f"{type(exc).__name__}: {exc}"


def audit_line(context: AppContext, action: str, **details: str | int | bool) -> None:
    """One technician action in the audit log; a full disk must not take the setup screen down."""
    try:
        audit_log_for(context.data_dir).record(action, **details)
    except OSError as exc:
        log.warning("setup: the audit log cannot be written (%s)", exc.strerror or exc)


# The scroll bar itself (wide enough to see and to drag, dark on a light track) comes from the theme.
_SCROLL_STYLE = """
QScrollArea#{name}, QWidget#{name}_body {{ background: transparent; border: none; }}
"""


class TouchScroll(QScrollArea):
    """A page body (`body`) that a finger drags, with a scroll bar wide enough to notice and to drag.

    `reveal(widget)` scrolls a widget of the body into view once the layout has placed it.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet(_SCROLL_STYLE.format(name=name))
        # Touch screens have no wheel: a finger drags the page; a tap on a button still clicks at once.
        make_kinetic(self)
        self.body = QWidget(self)
        self.body.setObjectName(f"{name}_body")
        self.setWidget(self.body)

    def reveal(self, widget: QWidget) -> None:
        QTimer.singleShot(0, lambda: self._reveal_now(widget))

    def _reveal_now(self, widget: QWidget) -> None:
        try:
            if widget.isVisible() and self.body.isAncestorOf(widget):
                self.ensureWidgetVisible(widget, 0, 16)
        except RuntimeError:
            pass  # the page was deleted in the meantime
