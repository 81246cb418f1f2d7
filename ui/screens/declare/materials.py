"""The declaration wizard's materials step: one card per material, and the capture widget for one of them.

Each row says where the material stands (已拍摄 or 已扫描 N页 / 已通过读卡核验 / 已在线填写 / 容缺·稍后补交 / 未提交)
and offers 拍照 Camera and 扫描 Scanner (and 容缺·稍后补交 where the catalogue allows it). Capturing is the
`MaterialCapture` widget (ui/widgets/material_capture.py), imported the first time a capture starts so that
the wizard opens without loading the camera stack; `capture_class` is the one place that names it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.resident.declaration import (
    Declaration,
    Material,
    MaterialRow,
    MaterialState,
    capture_note,
    captured_text,
    later_terms,
)
from kiosk.resident.materials import MaterialAttachment
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.texts import keep, keep_made, pick
from ui.screens.declare.widgets import ScrollColumn, button, clear_layout
from ui.widgets.labels import text_label
from ui.widgets.page_stack import PageStack

_ROW = "MaterialRowWidget"


def capture_class() -> Any:
    """The capture widget's class, imported on first use (tests replace this function with a fake)."""
    from ui.widgets.material_capture import MaterialCapture

    return MaterialCapture


def status_text(row: MaterialRow) -> tuple[str, str]:
    """(Chinese, English) of a material's state."""
    if row.state is MaterialState.ATTACHED:
        return captured_text(row.device, row.pages)
    if row.state is MaterialState.BY_CARD:
        return "已通过读卡核验", "Verified by your card"
    if row.state is MaterialState.BY_FORM:
        return "已在线填写", "Filled in online in the form step"
    if row.state is MaterialState.WAIVED:
        terms = later_terms(row.material)
        # The terms are the catalogue's words (Chinese in both languages).
        return (f"容缺·稍后补交{('：' + terms) if terms else '，请按规定时间补交'}",
                f"To be handed in later: {terms}" if terms else "To be handed in later, within the stated time")
    if row.optional:
        return "选填，未提交", "Optional, not given"
    return "未提交", "Not given yet"


class MaterialRowWidget(QWidget):
    """One material as a card: its name, then its state, then the note, each on a full-width line that
    wraps (never cut, even in elder type), and the buttons on their own row below."""

    def __init__(self, page: MaterialsPage, index: int, row: MaterialRow) -> None:
        super().__init__(page.area.body)
        self.setObjectName(f"declare_material_{index}")
        self.setProperty("declareRole", "card")
        # A plain QWidget paints no style-sheet background or border without this.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.row = row
        material = row.material
        texts = QVBoxLayout(self)
        texts.setContentsMargins(16, 8, 16, 10)
        texts.setSpacing(2)

        def tags() -> str:
            if row.optional:
                return self.tr("（选填 optional）")
            return self.tr("（可容缺后补）") if material.waivable else ""

        self.name_label = text_label(self, f"declare_material_{index}_name", "body")
        keep_made(self.name_label, lambda: f"{index + 1}. {material.name}{tags()}")
        self.name_label.setStyleSheet("font-weight: bold;")
        zh, en = status_text(row)
        self.status_label = text_label(self, f"declare_material_{index}_status", "body")
        keep_made(self.status_label, lambda: pick(f"{zh} · {en}", en))
        self.status_label.setProperty("declareState", row.state.value if not row.blocking else "blocking")
        texts.addWidget(self.name_label)
        texts.addWidget(self.status_label)
        self.note_label: QLabel | None = None
        note_zh, note_en = capture_note(material)
        if note_zh and row.capturable:
            # Ours in both languages, or the catalogue's note as it is.
            self.note_label = text_label(self, f"declare_material_{index}_note", "subtitle")
            keep_made(self.note_label, lambda: pick(f"{note_zh} · {note_en}", note_en) if note_en else note_zh)
            texts.addWidget(self.note_label)
        self.camera_button: QPushButton | None = None
        self.scanner_button: QPushButton | None = None
        self.skip_button: QPushButton | None = None
        if row.capturable:
            buttons = QHBoxLayout()
            buttons.setContentsMargins(0, 6, 0, 0)
            buttons.setSpacing(16)
            again = row.state is MaterialState.ATTACHED
            self.camera_button = button(self, f"declare_material_{index}_camera", "",
                                        lambda: page.start_capture(material, "camera"))
            keep(self.camera_button, _ROW, QT_TRANSLATE_NOOP("MaterialRowWidget", "重拍 Retake") if again
                 else QT_TRANSLATE_NOOP("MaterialRowWidget", "拍照 Camera"))
            self.scanner_button = button(self, f"declare_material_{index}_scanner", "",
                                         lambda: page.start_capture(material, "scanner"), secondary=True)
            keep(self.scanner_button, _ROW, QT_TRANSLATE_NOOP("MaterialRowWidget", "扫描 Scanner"))
            buttons.addWidget(self.camera_button)
            buttons.addWidget(self.scanner_button)
            if material.waivable and row.state is MaterialState.MISSING:
                self.skip_button = button(self, f"declare_material_{index}_skip", "", lambda: page.waive(material),
                                          secondary=True)
                keep(self.skip_button, _ROW, QT_TRANSLATE_NOOP("MaterialRowWidget", "容缺·稍后补交 Hand in later"))
            buttons.addStretch(1)
            texts.addLayout(buttons)
            self.buttons_row = buttons
            if self.skip_button is not None:
                self.skip_row = QHBoxLayout()
                self.skip_row.addStretch(1)
                texts.addLayout(self.skip_row)
                self.place_skip(getattr(page.window(), "orientation", "landscape"))

    def place_skip(self, orientation: str) -> None:
        """容缺·稍后补交 beside 拍照 and 扫描, or on a row of its own on a portrait screen: there it was cut
        in elder type beside them, and the height is to spare."""
        if self.skip_button is None:
            return
        self.buttons_row.removeWidget(self.skip_button)
        self.skip_row.removeWidget(self.skip_button)
        portrait = orientation == "portrait"
        # Empty in landscape, the row must take no height there.
        self.skip_row.setContentsMargins(0, 6 if portrait else 0, 0, 0)
        if portrait:
            self.skip_row.insertWidget(0, self.skip_button)
        else:
            self.buttons_row.insertWidget(2, self.skip_button)


class MaterialsPage(QWidget):
    """The materials step. `load(declaration)` fills it; the screen asks `complete()` before 下一步;
    `changed` follows every material attached or put off."""

    changed = Signal()

    def __init__(self, parent: QWidget, owner: Any) -> None:
        super().__init__(parent)
        self.setObjectName("declare_materials_page")
        self.owner = owner
        self.declaration: Declaration | None = None
        self.rows: list[MaterialRowWidget] = []
        self.capture: Any = None
        self.capturing: Material | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The list or the capture, each at its own size: back at the list, the capture's (taller in elder
        # type) must not stay the step's minimum.
        self.inner = PageStack(self)
        self.inner.setObjectName("declare_materials_inner")
        layout.addWidget(self.inner)
        self.list_page = QWidget(self.inner)
        self.list_page.setObjectName("declare_materials_list_page")
        column = QVBoxLayout(self.list_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.heading = text_label(self.list_page, "declare_materials_heading", "body")
        keep_made(self.heading, lambda: bilingual(self.tr("请逐项拍照或扫描提交材料"),
                                                  "Capture each: camera or scanner", " · "))
        column.addWidget(self.heading)
        self.area = ScrollColumn(self.list_page, "declare_materials_area")
        column.addWidget(self.area, 1)
        self.summary = text_label(self.list_page, "declare_materials_summary", "body")
        column.addWidget(self.summary)
        self.inner.addWidget(self.list_page)
        self.capture_holder = QWidget(self.inner)
        self.capture_holder.setObjectName("declare_capture_holder")
        self.capture_box = QVBoxLayout(self.capture_holder)
        self.capture_box.setContentsMargins(0, 0, 0, 0)
        self.capture_title = text_label(self.capture_holder, "declare_capture_title", "body")
        self.capture_box.addWidget(self.capture_title)
        self.inner.addWidget(self.capture_holder)

    def set_orientation(self, orientation: str) -> None:
        """The screen turned (ui/screen_fit.py): the rows take the new layout now."""
        for row in self.rows:
            row.place_skip(orientation)

    @property
    def in_capture(self) -> bool:
        return self.inner.currentWidget() is self.capture_holder

    def load(self, declaration: Declaration) -> None:
        self.declaration = declaration
        self.refresh()
        self.inner.setCurrentWidget(self.list_page)
        self.area.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        clear_layout(self.area.column)
        self.rows = []
        if self.declaration is None:
            keep_made(self.summary, None)
            return
        for index, row in enumerate(self.declaration.material_rows()):
            widget = MaterialRowWidget(self, index, row)
            self.rows.append(widget)
            self.area.column.addWidget(widget)
        self.area.column.addStretch(1)
        blocking = [r.row.material.name for r in self.rows if r.row.blocking]
        count = str(len(blocking))
        if blocking:
            # A count, one line: each card says which (未提交, in red), and the list needs its room.
            keep_made(self.summary, lambda: bilingual(self.tr("还需提交%1项必需材料").replace("%1", count),
                                                      f"{count} required still needed", " · "))
        else:
            keep_made(self.summary, lambda: bilingual(self.tr("必需的材料已齐，可以点“下一步”。"),
                                                      "All required materials are in.", " · "))
        self.owner.update_nav()
        self.changed.emit()

    def complete(self) -> bool:
        return self.declaration is not None and self.declaration.materials_complete() and not self.in_capture

    def missing(self) -> list[str]:
        """The names of the materials still needed, in the list's order."""
        return [r.row.material.name for r in self.rows if r.row.blocking]

    def reveal_missing(self) -> list[str]:
        """A refused 下一步: scrolls to the first material still needed and returns the names of all of
        them, so the resident is shown which, not left with a button that does nothing."""
        missing = [r for r in self.rows if r.row.blocking]
        if missing:
            self.area.reveal(missing[0])
        return [r.row.material.name for r in missing]

    def row_for(self, name: str) -> MaterialRowWidget:
        return next(r for r in self.rows if r.row.material.name == name)

    # capture

    def start_capture(self, material: Material, source: str) -> None:
        if self.declaration is None:
            return
        if self.capture is None:
            self.capture = capture_class()(self.owner.context, self.capture_holder)
            self.capture.attached.connect(self._attached)
            self.capture.skip_requested.connect(self._skipped)
            self.capture.cancelled.connect(self.stop_capture)
            self.capture_box.addWidget(self.capture, 1)
        self.capturing = material
        self.capture_title.setText(f"{material.name} · {material.copies}" if material.copies else material.name)
        self.inner.setCurrentWidget(self.capture_holder)
        self.owner.update_nav()
        # The wizard cannot get here without its first step's card read: every page is card-identified.
        self.capture.begin(self.declaration.item, material, identified_by_card=True, source=source)

    def stop_capture(self) -> None:
        if self.capture is not None:
            self.capture.stop()
        self.capturing = None
        self.inner.setCurrentWidget(self.list_page)
        self.owner.update_nav()

    def _attached(self, attachment: object) -> None:
        if self.declaration is not None and isinstance(attachment, MaterialAttachment):
            self.declaration.attach(attachment)
        self.stop_capture()
        self.refresh()

    def _skipped(self) -> None:
        material = self.capturing
        self.stop_capture()
        if material is not None and material.waivable:
            self.waive(material)

    def waive(self, material: Material) -> None:
        if self.declaration is not None and material.waivable:
            self.declaration.waive(material.name)
            self.refresh()

    def wipe(self) -> None:
        if self.capture is not None:
            self.capture.stop()
            self.capture.wipe()
        self.capturing = None
        self.declaration = None
        clear_layout(self.area.column)
        self.rows = []
        keep_made(self.summary, None)
        self.capture_title.clear()
        self.inner.setCurrentWidget(self.list_page)

