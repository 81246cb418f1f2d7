"""One service guide in full, readable at arm's length: badges, titled sections, and two big buttons.

Payload: the item code. The sections come ready from kiosk/resident/guides.py; this screen only lays them out.
Printing hands a `PrintRequest` (kiosk/resident/print_jobs.py) to the "print" screen; declaring opens the
"declare" screen. Either button is disabled, with a plain note, while its screen is not part of
this build, because navigating to an unregistered screen is logged as a bug.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.resident.guides import GuideDetail, Guides
from ui.context import AppContext
from ui.i18n.terms import term
from ui.i18n.texts import pick
from ui.widgets.kinetic import make_kinetic

# Fixed colours chosen for contrast in both themes: white on #0f7a55 is 5.5:1, #5c2600 on #ffe6a8 is 9:1.
_LOCAL_STYLE = """
QLabel[guideBadge="good"] { background: #0f7a55; color: #ffffff; font-weight: bold; padding: 6px 18px;
    border-radius: 10px; }
QLabel[guideBadge="plain"] { background: #ffffff; color: #1a1f29; padding: 4px 16px; border-radius: 10px;
    border: 2px solid #4a5568; }
QLabel[guideRole="heading"] { font-weight: bold; background: #e3ecf7; color: #000000; padding: 8px 14px;
    border-left: 8px solid #0b5cad; }
QLabel#guide_detail_note { color: #1f2933; }
QPushButton:disabled { background: #d5dae1; color: #2d3440; border-color: #d5dae1; }
QScrollArea#guide_detail_area { border: none; background: transparent; }
QScrollArea#guide_detail_area > QWidget > QWidget { background: transparent; }
"""
_MARK_HTML = '<span style="background:#ffe6a8; color:#5c2600; font-weight:bold;">{}</span>'


def _marked(mark: str) -> str:
    """A line's mark (可容缺后补) in its brackets: Chinese ones in Chinese, square ones in English."""
    return pick(f"【{mark}】", f"[{mark}] ")


class GuideDetailScreen(QWidget):
    """Registered as "guide_detail". Payload: the catalogue item code."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_detail_screen")
        self.setStyleSheet(_LOCAL_STYLE)
        self.context = context
        self.guides = Guides(context.runtime.cache)
        self.detail: GuideDetail | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.setSpacing(12)

        top = QHBoxLayout()
        top.setSpacing(24)
        self.back_button = QPushButton(self.tr("返回"), self)
        self.back_button.setObjectName("guide_detail_back_button")
        self.back_button.setProperty("role", "secondary")
        self.back_button.clicked.connect(self._go_back)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("guide_detail_title")
        self.title_label.setProperty("role", "title")
        self.title_label.setWordWrap(True)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title_label, 1)
        layout.addLayout(top)

        badges = QHBoxLayout()
        badges.setSpacing(12)
        self.visits_badge = self._badge("guide_detail_visits_badge")
        self.here_badge = self._badge("guide_detail_here_badge")
        self.online_badge = self._badge("guide_detail_online_badge")
        self.express_badge = self._badge("guide_detail_express_badge")
        for badge in (self.visits_badge, self.here_badge, self.online_badge, self.express_badge):
            badges.addWidget(badge)
        badges.addStretch(1)
        layout.addLayout(badges)

        self.area = QScrollArea(self)
        self.area.setObjectName("guide_detail_area")
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        make_kinetic(self.area)
        self.sections_widget = QWidget(self.area)
        self.sections_layout = QVBoxLayout(self.sections_widget)
        self.sections_layout.setContentsMargins(0, 0, 16, 0)
        self.sections_layout.setSpacing(8)
        self.area.setWidget(self.sections_widget)
        layout.addWidget(self.area, 1)

        self.note_label = QLabel(self)
        self.note_label.setObjectName("guide_detail_note")
        self.note_label.setProperty("role", "subtitle")
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        layout.addWidget(self.note_label)

        actions = QHBoxLayout()
        actions.setSpacing(24)
        self.bottom_back_button = QPushButton(self.tr("返回列表"), self)
        self.bottom_back_button.setObjectName("guide_detail_list_button")
        self.bottom_back_button.setProperty("role", "secondary")
        self.bottom_back_button.clicked.connect(self._go_back)
        self.print_button = QPushButton(self.tr("打印办事指南"), self)
        self.print_button.setObjectName("guide_detail_print_button")
        self.print_button.clicked.connect(self._print)
        self.declare_button = QPushButton(self.tr("在线申报"), self)
        self.declare_button.setObjectName("guide_detail_declare_button")
        self.declare_button.clicked.connect(self._declare)
        for button in (self.print_button, self.declare_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        actions.addWidget(self.bottom_back_button)
        actions.addWidget(self.print_button, 1)
        actions.addWidget(self.declare_button, 1)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        """Re-sets every text in the current language; a guide on screen is laid out again."""
        self.back_button.setText(self.tr("返回"))
        self.bottom_back_button.setText(self.tr("返回列表"))
        self.print_button.setText(self.tr("打印办事指南"))
        self.declare_button.setText(self.tr("在线申报"))
        if self.title_label.text():
            self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _badge(self, name: str) -> QLabel:
        badge = QLabel(self)
        badge.setObjectName(name)
        badge.setProperty("guideBadge", "plain")
        return badge

    # --- the navigator's hooks -------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        code = payload if isinstance(payload, str) else (self.detail.code if self.detail else "")
        self.detail = self.guides.detail(code) if code else None
        self._show()

    def wipe(self) -> None:
        """Nothing personal is shown here, but which guide a resident read is theirs: blank it all."""
        self.detail = None
        self._clear_sections()
        self.title_label.clear()
        for badge in (self.visits_badge, self.here_badge, self.online_badge, self.express_badge):
            badge.clear()
            badge.hide()
        self.note_label.clear()
        self.print_button.setEnabled(False)
        self.declare_button.setEnabled(False)

    # --- layout ----------------------------------------------------------------------------------

    def _clear_sections(self) -> None:
        while self.sections_layout.count():
            child = self.sections_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                # Off the screen now, not at the next event loop turn: wipe() must leave nothing readable.
                widget.setParent(None)
                widget.deleteLater()

    def _label(self, text: str, *, heading: bool = False, rich: bool = False) -> QLabel:
        label = QLabel(self.sections_widget)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setText(text)
        if heading:
            label.setProperty("guideRole", "heading")
        else:
            label.setProperty("role", "body")
            label.setContentsMargins(14, 0, 0, 0)
        self.sections_layout.addWidget(label)
        return label

    def _show(self) -> None:
        self._clear_sections()
        self.area.verticalScrollBar().setValue(0)
        detail = self.detail
        badges = (self.visits_badge, self.here_badge, self.online_badge, self.express_badge)
        if detail is None:
            self.title_label.setText(self.tr("没有找到这个事项"))
            for badge in badges:
                badge.hide()
            self._label(self.tr("这个事项可能已经调整，请返回重新查找，或咨询工作人员。"))
            self.sections_layout.addStretch(1)
            self._set_actions(None)
            return
        self.title_label.setText(detail.name)
        self._set_badge(self.visits_badge, term(detail.visits_badge), good=detail.visits <= 1)
        self._set_badge(self.here_badge, self.tr("本机可申报") if detail.declarable_here else self.tr("本机不能申报"),
                        good=detail.declarable_here)
        self._set_badge(self.online_badge, self.tr("可网上办"), good=False, shown=detail.online)
        self._set_badge(self.express_badge, self.tr("可快递送达"), good=False, shown=detail.express)
        for section in detail.sections:
            self._label(term(section.title), heading=True)
            for line in section.lines:
                if line.mark:
                    mark = _MARK_HTML.format(html.escape(_marked(term(line.mark))))
                    self._label(html.escape(term(line.prefix)) + mark + html.escape(term(line.text)), rich=True)
                else:
                    self._label(term(line.prefix) + term(line.text))
            self.sections_layout.addSpacing(12)
        self.sections_layout.addStretch(1)
        self._set_actions(detail)

    def _set_badge(self, badge: QLabel, text: str, *, good: bool, shown: bool = True) -> None:
        badge.setText(text)
        badge.setProperty("guideBadge", "good" if good else "plain")
        badge.style().unpolish(badge)
        badge.style().polish(badge)
        badge.setVisible(shown)

    def _set_actions(self, detail: GuideDetail | None) -> None:
        from ui.screens.registry import SCREENS  # here, not above: the registry imports this module

        notes: list[str] = []
        can_print = detail is not None and "print" in SCREENS
        if detail is not None and not can_print:
            notes.append(self.tr("本终端暂不支持打印办事指南。"))
        can_declare = detail is not None and detail.declarable_here and "declare" in SCREENS
        if detail is not None and not can_declare:
            notes.append(self.tr("此事项不能在本终端申报，请到窗口办理。") if not detail.declarable_here
                         else self.tr("本终端暂不支持在线申报此事项。"))
        self.print_button.setEnabled(can_print)
        self.declare_button.setEnabled(can_declare)
        self.note_label.setText("".join(notes))
        self.note_label.setVisible(bool(notes))

    # --- actions ---------------------------------------------------------------------------------

    def _print(self) -> None:
        detail = self.detail
        if detail is None:
            return
        # Imported on first use: the print job module pulls in the printer drivers.
        from kiosk.resident.print_jobs import PrintRequest

        item = detail.item
        station = self.context.config.terminal.station

        def render(path: Path) -> object:
            from kiosk.forms.guide_printout import render_guide  # reportlab loads only when printing

            return render_guide(item, path, station=station)

        self.context.navigate("print", PrintRequest(
            title=f"{item.name} 办事指南", title_en=f"Service guide: {item.name}", render=render,
            description="办事指南，可带回家阅读", description_en="A service guide to take home",
            back_to="guide_detail", back_payload=item.code, document=("办事指南", "guide"),
        ))

    def _declare(self) -> None:
        if self.detail is not None:
            self.context.navigate("declare", self.detail.code)

    def _go_back(self) -> None:
        self.context.navigate("guide", None)
