"""The setup screen's Logs page (日志): the recent kiosk log and audit log, and an export for support.

The page shows the last 200 lines of the kiosk log or of the technician audit log in a large,
read-only monospace view that scrolls with a finger. 导出 Export writes a support bundle (logs, audit
log, config without secrets, a manifest: kiosk/technician/support_export.py) to a folder the technician picks:
a mounted USB drive found under /media or /run/media, or a typed path.

Reading files and writing the bundle run on a DeviceWorker that exists only while the page is shown
(an export in progress is allowed to finish first). `FolderChooser` is shared with the Sync page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician.outbox_admin import export_support
from kiosk.technician.support_export import (
    ExportError,
    ExportResult,
    recent_audit_lines,
    recent_log_lines,
    removable_targets,
)
from ui.context import AppContext
from ui.screens.setup.devices import TouchScroll
from ui.theme import NORMAL
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.kinetic import make_kinetic
from ui.widgets.labels import text_label
from ui.workers import LazyWorker

LINES = 200
VIEW_LINES = 5  # the log view's least height, in lines
# Keys a path needs that the letters keyboard lacks.
PATH_KEYS = ("/", "-", "_", ".")
_STYLE = """
QPlainTextEdit#setup_logs_view {
    font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Liberation Mono", monospace;
    background: #ffffff; border: 1px solid #4a5568;
}
QLabel[setupRole="message"] { padding: 4px 0px; }
QLabel[setupRole="error"] { color: #a3262b; font-weight: bold; padding: 4px 0px; }
"""


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """A result line: plain for success, red and bold for a failure."""
    label.setProperty("setupRole", "error" if error else "message")
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)
    label.setVisible(bool(text))


class FolderChooser(QWidget):
    """Where to export: one button per mounted USB drive, and a path field with an on-screen keyboard.

    `set_drives(paths)` fills the drive buttons (the page scans on its worker); `folder()` is the
    chosen path or None; `changed` fires when it changes; `keyboard_shown(bool)` lets the page make
    room for the keyboard.
    """

    changed = Signal()
    keyboard_shown = Signal(bool)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_folder_chooser")
        self.setStyleSheet('QPushButton[setupRole="symbol"] { padding: 0px; }')
        self._name = name
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        # Drives: hidden while the keyboard is up (a typed path needs no drive buttons, and the room).
        self._drives = QWidget(self)
        self._drives.setObjectName(f"{name}_drives")
        self._drives_row = QHBoxLayout(self._drives)
        self._drives_row.setContentsMargins(0, 0, 0, 0)
        self._drives_row.setSpacing(8)
        self._drives_row.addWidget(text_label(self._drives, f"{name}_folder_caption", "body",
                                              self.tr("导出到 Export to:")))
        self._no_drive = text_label(
            self._drives, f"{name}_no_drive", "subtitle",
            self.tr("未发现U盘，请插入或输入文件夹 / No USB drive found: insert one or type a folder"),
        )
        self._drives_row.addWidget(self._no_drive, 1)
        self.refresh_button = QPushButton(self.tr("重新查找 Rescan"), self._drives)
        self.refresh_button.setObjectName(f"{name}_rescan_button")
        self.refresh_button.setProperty("role", "secondary")
        self._drives_row.addWidget(self.refresh_button)
        box.addWidget(self._drives)
        self.drive_buttons: list[QPushButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.path_field = QLineEdit(self)
        self.path_field.setObjectName(f"{name}_path_field")
        self.path_field.setPlaceholderText(self.tr("文件夹路径 Folder path, e.g. /media/usb"))
        self.path_field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # A mount point such as /media/kiosk/KINGSTON must be readable whole, not its last half.
        self.path_field.setMinimumWidth(420)
        self.path_field.textChanged.connect(self._typed)
        row.addWidget(self.path_field, 1)
        self.keyboard_button = QPushButton(self.tr("键盘 Keyboard"), self)
        self.keyboard_button.setObjectName(f"{name}_keyboard_button")
        self.keyboard_button.setProperty("role", "secondary")
        self.keyboard_button.setCheckable(True)
        self.keyboard_button.toggled.connect(self._toggle_keyboard)
        row.addWidget(self.keyboard_button)
        box.addLayout(row)
        # A mount point is typed in letters; the Chinese bar would only take a row from the page.
        self.keyboard = OnScreenKeyboard(self.path_field, "letters", self, hanzi=False)
        self.keyboard.hide()
        box.addWidget(self.keyboard)
        # Below the keyboard, like its bottom row: the path punctuation the letters keyboard lacks
        # (shown with it), then room for the page's own action (`action_row.addWidget`).
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(8)
        self._symbols: list[QPushButton] = []
        for symbol in PATH_KEYS:
            key = QPushButton(symbol, self)
            key.setObjectName(f"{name}_key_{'slash' if symbol == '/' else symbol}")
            key.setProperty("role", "secondary")
            key.setProperty("setupRole", "symbol")
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            key.clicked.connect(lambda _checked=False, s=symbol: self.path_field.insert(s))
            key.hide()
            self.action_row.addWidget(key)
            self._symbols.append(key)
        self.action_row.addStretch(1)
        box.addLayout(self.action_row)

    def showEvent(self, event: QShowEvent) -> None:
        # The path field is a touch target like the buttons beside it, in either mode.
        theme = getattr(self.window(), "theme", NORMAL)
        self.path_field.setMinimumHeight(theme.button_min_px)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.StyleChange and "path_field" in self.__dict__:
            self.path_field.setMinimumHeight(getattr(self.window(), "theme", NORMAL).button_min_px)
        super().changeEvent(event)

    def set_drives(self, drives: list[Path]) -> None:
        for button in self.drive_buttons:
            self._group.removeButton(button)
            button.deleteLater()
        self.drive_buttons = []
        for index, drive in enumerate(drives):
            button = QPushButton(self.tr("U盘 {0}").format(drive.name), self)
            button.setObjectName(f"{self._name}_drive_{index}")
            button.setProperty("role", "secondary")
            button.setCheckable(True)
            button.setToolTip(str(drive))
            button.clicked.connect(lambda _checked=False, d=drive: self.path_field.setText(str(d)))
            self._group.addButton(button)
            self._drives_row.insertWidget(index + 1, button)
            self.drive_buttons.append(button)
        self._no_drive.setVisible(not drives)
        if drives and not self.path_field.text().strip():
            self.drive_buttons[0].click()

    def folder(self) -> Path | None:
        text = self.path_field.text().strip()
        return Path(text).expanduser() if text else None

    def _typed(self, text: str) -> None:
        for button in self.drive_buttons:
            # A typed path that is no longer the drive's unmarks it; QButtonGroup needs non-exclusive for that.
            if button.isChecked() and button.toolTip() != text.strip():
                self._group.setExclusive(False)
                button.setChecked(False)
                self._group.setExclusive(True)
        self.changed.emit()

    def _toggle_keyboard(self, shown: bool) -> None:
        # The page makes room before the keyboard appears (and takes it back after it went), so the
        # window never grows past the screen, not even for a moment.
        if shown:
            self.keyboard_shown.emit(True)
        self._drives.setVisible(not shown)
        self.keyboard.setVisible(shown)
        for key in self._symbols:
            key.setVisible(shown)
        if shown:
            self.path_field.setFocus()
        else:
            self.keyboard_shown.emit(False)


class LogsPage(QWidget):
    """See the module docstring. `enter()` reloads the lines and rescans the drives."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_logs_page")
        self.setStyleSheet(_STYLE)
        self._context = context
        self._worker = LazyWorker("setup-logs", self)
        self._exporting = False
        self._active = False
        self._source = "kiosk"
        self.last_export: ExportResult | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Fits an elder-mode screen as it is; the scroll area is for a long result message on top.
        self.scroll_area = TouchScroll("setup_logs_scroll", self)
        outer.addWidget(self.scroll_area)
        body = self.scroll_area.body
        box = QVBoxLayout(body)
        box.setContentsMargins(16, 10, 32, 10)
        box.setSpacing(8)

        # No title row: the side navigation already says 日志 Logs, and the log view needs the height.
        tabs = QHBoxLayout()
        tabs.setSpacing(8)
        self.kiosk_button = QPushButton(self.tr("运行日志 Kiosk log"), body)
        self.kiosk_button.setObjectName("setup_logs_kiosk_button")
        self.audit_button = QPushButton(self.tr("操作记录 Audit log"), body)
        self.audit_button.setObjectName("setup_logs_audit_button")
        group = QButtonGroup(self)
        for button, source in ((self.kiosk_button, "kiosk"), (self.audit_button, "audit")):
            button.setCheckable(True)
            button.setProperty("role", "secondary")
            group.addButton(button)
            button.clicked.connect(lambda _checked=False, s=source: self.show_source(s))
            tabs.addWidget(button)
        self.kiosk_button.setChecked(True)
        tabs.addStretch(1)
        self.reload_button = QPushButton(self.tr("刷新 Reload"), body)
        self.reload_button.setObjectName("setup_logs_reload_button")
        self.reload_button.setProperty("role", "secondary")
        self.reload_button.clicked.connect(self.reload)
        tabs.addWidget(self.reload_button)
        self._tabs = QWidget(body)
        self._tabs.setObjectName("setup_logs_tabs")
        self._tabs.setLayout(tabs)
        tabs.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._tabs)

        self.view = QPlainTextEdit(body)
        self.view.setObjectName("setup_logs_view")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.view.setPlaceholderText(self.tr("正在读取… Loading…"))
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        make_kinetic(self.view)
        box.addWidget(self.view, 1)

        self.chooser = FolderChooser("setup_logs", body)
        self.chooser.refresh_button.clicked.connect(self.scan_drives)
        self.chooser.changed.connect(self._update_buttons)
        self.chooser.keyboard_shown.connect(self._make_room)
        box.addWidget(self.chooser)
        self.export_button = QPushButton(self.tr("导出日志和配置\nExport logs and config"), body)
        self.export_button.setObjectName("setup_logs_export_button")
        self.export_button.clicked.connect(self.export)
        self.chooser.action_row.addWidget(self.export_button)
        self.message = text_label(body, "setup_logs_message", "body")
        self.message.hide()
        box.addWidget(self.message)
        box.addStretch(0)  # takes the room only while the log view steps aside for the keyboard
        self._lines: dict[str, list[str]] = {"kiosk": [], "audit": []}
        self._update_buttons()

    # --- lifecycle ---------------------------------------------------------------------------------

    def enter(self) -> None:
        """Shown: read the logs again and look for USB drives (once per showing, whoever calls first)."""
        if self._active:
            return
        self._active = True
        self.reload()
        self.scan_drives()

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_view()
        super().showEvent(event)
        self.enter()

    def hideEvent(self, event: QHideEvent) -> None:
        # Qt may send a last hide while the Python side is already being torn down.
        if "_worker" in self.__dict__:
            self._active = False
            # An export in progress finishes and reports; otherwise no thread is kept for a hidden page.
            if not self._exporting:
                self._worker.stop()
        super().hideEvent(event)

    # --- reading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        data_dir = self._context.data_dir
        call = self._worker.submit(
            lambda: {"kiosk": recent_log_lines(data_dir, LINES), "audit": recent_audit_lines(data_dir, LINES)},
            expected=(OSError,),
        )
        call.finished.connect(self._on_lines)
        call.failed.connect(self._on_read_failed)

    def _on_read_failed(self, exc: object) -> None:
        if shown_as_bug(self, exc, self._context, "setup: reading the logs"):
            self._show_lines([])
            return
        self._show_lines([self.tr("无法读取日志 Cannot read the log: {0}").format(exc)])

    def _on_lines(self, lines: object) -> None:
        assert isinstance(lines, dict)
        self._lines = lines
        self.show_source(self._source)

    def show_source(self, source: str) -> None:
        """"kiosk" or "audit": which log the view shows."""
        self._source = source
        (self.kiosk_button if source == "kiosk" else self.audit_button).setChecked(True)
        lines = self._lines.get(source, [])
        if not lines:
            lines = [self.tr("（日志为空）(the log is empty)")]
        self._show_lines(lines)

    def _show_lines(self, lines: list[str]) -> None:
        self.view.setPlainText("\n".join(lines))
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest line is what a technician looks for first

    def text(self) -> str:
        return self.view.toPlainText()

    def _make_room(self, keyboard: bool) -> None:
        # The keyboard and the log do not both fit the screen: while a path is typed, the log steps aside.
        self._tabs.setVisible(not keyboard)
        self.view.setVisible(not keyboard)

    def _fit_view(self) -> None:
        # Several lines of the log at the theme's text size, however little room the rest leaves.
        self.view.ensurePolished()
        frame = 2 * self.view.frameWidth() + 2 * round(self.view.document().documentMargin())
        self.view.setMinimumHeight(VIEW_LINES * self.view.fontMetrics().lineSpacing() + frame)

    def changeEvent(self, event: QEvent) -> None:
        # The window's style sheet changes with elder mode, and the text size with it.
        if event.type() == QEvent.Type.StyleChange and "view" in self.__dict__:  # not while being built
            self._fit_view()
        super().changeEvent(event)

    # --- exporting ----------------------------------------------------------------------------------

    def scan_drives(self) -> None:
        call = self._worker.submit(removable_targets)
        call.finished.connect(lambda drives: self.chooser.set_drives(list(drives)))

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(not self._exporting and self.chooser.folder() is not None)

    def export(self) -> None:
        folder = self.chooser.folder()
        if folder is None or self._exporting:
            return
        # Typing is done: the keyboard goes, so the log and the result line have the room.
        self.chooser.keyboard_button.setChecked(False)
        runtime = self._context.runtime
        self._exporting = True
        self._update_buttons()
        show_message(self.message, self.tr("正在导出… Exporting…"))
        cache, engine = runtime.cache, runtime.sync
        config, data_dir = self._context.config, self._context.data_dir
        call = self._worker.submit(
            lambda: export_support(cache, engine, folder, config=config, data_dir=data_dir),
            expected=(ExportError, OSError),
        )
        call.finished.connect(self._on_exported)
        call.failed.connect(self._on_export_failed)

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.last_export = result
        self._export_done()
        show_message(self.message, self.tr("已导出 {0} 个文件到 Exported {0} files to {1}").format(
            len(result.files), result.path))
        self.scroll_area.reveal(self.message)
        if self.isVisible():
            self.reload()  # the audit log has a new line

    def _on_export_failed(self, exc: object) -> None:
        self._export_done()
        if shown_as_bug(self, exc, self._context, "setup: exporting the logs"):
            show_message(self.message, "")
            return
        text = exc.message if isinstance(exc, ExportError) else self.tr("导出失败 Export failed: {0}").format(exc)
        show_message(self.message, text, error=True)
        self.scroll_area.reveal(self.message)

    def _export_done(self) -> None:
        self._exporting = False
        self._update_buttons()
        if not self.isVisible():
            self._worker.stop()
