"""The setup screen's Terminal page (终端): this terminal's identity, its platform and its defaults.

Terminal id, station name, region code, platform address and token, idle timeout, elder mode by
default, language and volume. The token field never shows a stored token: only a masked hint of it;
a token typed in is written to `platform.token_file` with mode 0600. Checking the formats is
kiosk/technician/setup_apply.py's `terminal_changes`; saving (validate, write atomically, apply, audit) is its
`save_and_apply`, on the page's worker. The page says which changes wait for a restart.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician.setup_apply import SaveOutcome, TerminalForm, save_and_apply, stored_token_hint, terminal_changes
from ui.context import AppContext
from ui.screens.setup.devices import TouchScroll, choice_style, describe_save, describe_save_failure
from ui.theme import Theme
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.labels import text_label
from ui.widgets.type_size import ThemeWatcher
from ui.workers import Call, LazyWorker

VOLUME_STEP = 0.1


class TerminalPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_terminal_page")
        # Elder mode swaps the window's theme: restyle what the theme's sheet has no rule for.
        self._theme = ThemeWatcher(self, self._restyle)
        self.context = context
        self.volume = context.config.ui.volume
        self.last_save: SaveOutcome | None = None
        self._worker = LazyWorker("setup-terminal", self)
        self._call: Call | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The title and 保存并应用 stay in view; the fields below them scroll.
        head = QFrame(self)
        head.setObjectName("setup_terminal_header")
        head.setStyleSheet("QFrame#setup_terminal_header { border-bottom: 1px solid #4a5568; }")
        header = QHBoxLayout(head)
        header.setContentsMargins(32, 16, 32, 12)
        header.setSpacing(16)
        header.addWidget(text_label(head, "setup_terminal_title", "title", self.tr("终端 Terminal")), 1)
        self.reset_button = self._button("setup_terminal_reset", self.tr("撤销\nUndo"), self.load, head)
        self.reset_button.setProperty("role", "secondary")
        self.save_button = self._button("setup_terminal_save", self.tr("保存并应用\nSave && apply"), self.save, head)
        header.addWidget(self.reset_button)
        header.addWidget(self.save_button)
        outer.addWidget(head)
        self.scroll_area = TouchScroll("setup_terminal_scroll", self)
        outer.addWidget(self.scroll_area, 1)
        body = self.scroll_area.body
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 16, 24, 24)
        layout.setSpacing(14)
        self.message_label = text_label(body, "setup_terminal_message", "body")
        layout.addWidget(self.message_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        self._row = 0

        def add(zh_en: str, field: QWidget | QHBoxLayout, name: str) -> None:
            label = text_label(body, f"{name}_label", "body", zh_en)
            grid.addWidget(label, self._row, 0, Qt.AlignmentFlag.AlignVCenter)
            if isinstance(field, QHBoxLayout):
                grid.addLayout(field, self._row, 1)
            else:
                grid.addWidget(field, self._row, 1)
            self._row += 1

        self.terminal_id = self._edit("setup_terminal_id", body)
        self.station = self._edit("setup_station", body)
        self.region_code = self._edit("setup_region_code", body)
        self.platform_url = self._edit("setup_platform_url", body)
        self.platform_url.setPlaceholderText("https://…")
        self.token = self._edit("setup_platform_token", body)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.idle_timeout = self._edit("setup_idle_timeout", body)
        self.idle_timeout.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        add(self.tr("终端编号 Terminal ID"), self.terminal_id, "setup_terminal_id")
        add(self.tr("站点名称 Station"), self.station, "setup_station")
        add(self.tr("区划代码 Region code"), self.region_code, "setup_region_code")
        add(self.tr("平台地址 Platform"), self.platform_url, "setup_platform_url")
        add(self.tr("平台令牌 Token"), self.token, "setup_platform_token")
        add(self.tr("空闲超时(秒) Idle timeout (s)"), self.idle_timeout, "setup_idle_timeout")

        self.elder_button = QPushButton(body)
        self.elder_button.setObjectName("setup_elder_default")
        self.elder_button.setCheckable(True)
        self.elder_button.setProperty("role", "secondary")
        self.elder_button.toggled.connect(self._show_elder)
        elder_row = QHBoxLayout()
        elder_row.addWidget(self.elder_button)
        elder_row.addStretch(1)
        add(self.tr("默认长辈模式 Elder mode"), elder_row, "setup_elder_default")

        self.language_group = QButtonGroup(self)
        language_row = QHBoxLayout()
        language_row.setSpacing(16)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, text in (("zh_CN", "中文"), ("en", "English")):
            button = QPushButton(text, body)
            # Each language named in itself, as on the home screen's switch: 中文 stays 中文 in English.
            button.setProperty("otherLanguage", code != "en")
            button.setObjectName(f"setup_language_{code}")
            button.setCheckable(True)
            self.language_group.addButton(button)
            self.language_buttons[code] = button
            language_row.addWidget(button)
        language_row.addStretch(1)
        add(self.tr("默认语言 Language"), language_row, "setup_language")

        volume_row = QHBoxLayout()
        self.volume_down = self._button("setup_volume_down", "−", lambda: self._step_volume(-VOLUME_STEP), body)
        self.volume_label = text_label(body, "setup_volume_value", "body")
        self.volume_label.setMinimumWidth(100)
        self.volume_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.volume_up = self._button("setup_volume_up", "+", lambda: self._step_volume(VOLUME_STEP), body)
        for button in (self.volume_down, self.volume_up):
            button.setProperty("role", "secondary")
        volume_row.addWidget(self.volume_down)
        volume_row.addWidget(self.volume_label)
        volume_row.addWidget(self.volume_up)
        volume_row.addStretch(1)
        add(self.tr("音量 Volume"), volume_row, "setup_volume")
        layout.addLayout(grid)

        layout.addStretch(1)
        self.load()

    # --- building blocks ---------------------------------------------------------------------

    def _restyle(self, theme: Theme) -> None:
        for button in (self.elder_button, *self.language_buttons.values()):
            button.setStyleSheet(choice_style(theme))
        # Text fields are touch targets like buttons.
        for edit in (self.terminal_id, self.station, self.region_code, self.platform_url, self.token,
                     self.idle_timeout):
            edit.setMinimumHeight(theme.button_min_px)


    def _edit(self, name: str, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName(name)
        return edit

    def _button(self, name: str, text: str, slot: Any, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _show_elder(self, on: bool) -> None:
        self.elder_button.setText(self.tr("开 On") if on else self.tr("关 Off"))

    def _step_volume(self, delta: float) -> None:
        self.volume = min(1.0, max(0.0, round(self.volume + delta, 2)))
        self.volume_label.setText(f"{round(self.volume * 100)}%")

    # --- the form ------------------------------------------------------------------------------

    def enter(self) -> None:
        self.load()

    def load(self) -> None:
        """Shows the running configuration (drops what was typed and not saved)."""
        config = self.context.config
        self.terminal_id.setText(config.terminal.id)
        self.station.setText(config.terminal.station)
        self.region_code.setText(config.terminal.region_code)
        self.platform_url.setText(config.platform.url)
        self.token.clear()
        hint = stored_token_hint(config, self.context.data_dir)
        self.token.setPlaceholderText(self.tr("已保存 Stored ") + hint if hint else self.tr("未设置 Not set"))
        self.idle_timeout.setText(str(config.session.idle_timeout_s))
        self.elder_button.setChecked(config.terminal.elder_mode)
        self._show_elder(config.terminal.elder_mode)
        self.language_buttons[config.terminal.language.value].setChecked(True)
        self.volume = config.ui.volume
        self._step_volume(0.0)
        self.message_label.clear()
        self.message_label.setVisible(False)

    def form(self) -> TerminalForm:
        language = next((code for code, b in self.language_buttons.items() if b.isChecked()), "zh_CN")
        return TerminalForm(
            self.terminal_id.text(), self.station.text(), self.region_code.text(), self.platform_url.text(),
            self.idle_timeout.text(), self.elder_button.isChecked(), language, self.volume,
        )

    def save(self) -> None:
        if self._call is not None:
            return
        changes, problems = terminal_changes(self.form(), self.context.config)
        if problems:
            self._say(False, "\n".join(problems))
            return
        token = self.token.text().strip() or None
        if not changes and token is None:
            self._say(True, self.tr("没有需要保存的更改  Nothing to save"))
            return
        context = self.context
        job = functools.partial(save_and_apply, changes, config=context.config, data_dir=context.data_dir,
                                config_path=context.config_path, runtime=context.runtime, token=token)
        self.save_button.setEnabled(False)
        self._say(True, self.tr("正在保存… Saving…"))
        call = self._worker.submit(job, expected=(OSError,))
        call.finished.connect(self._on_saved)
        call.failed.connect(self._on_failed)
        self._call = call

    def _on_saved(self, outcome: object) -> None:
        self._call = None
        self.save_button.setEnabled(True)
        if not isinstance(outcome, SaveOutcome):
            return
        self.last_save = outcome
        self.context.config = outcome.config
        self.load()
        self._say(True, describe_save(self, outcome))

    def _on_failed(self, exc: object) -> None:
        self._call = None
        self.save_button.setEnabled(True)
        if shown_as_bug(self, exc, self.context, "setup: saving the terminal settings"):
            self.message_label.hide()
        else:
            self._say(False, describe_save_failure(exc))

    def _say(self, ok: bool, text: str) -> None:
        self.message_label.setText(("✔ " if ok else "✘ ") + text)
        self.message_label.setVisible(True)
        self.scroll_area.reveal(self.message_label)

    def wipe(self) -> None:
        """A typed token must not outlive the technician's visit."""
        self.token.clear()

    def shutdown(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None
        self._worker.stop()
