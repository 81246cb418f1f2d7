"""What the journey harness asserts after every step, on the window as the X server shows it.

- The window is the screen: its frame geometry equals the screen's geometry.
- Nothing visible lies outside the window or is cut by the widget it sits in. "Visible" means shown
  (`isVisible`) with some part left once every scroll area above it has clipped it to its viewport:
  a row scrolled out of a list is not on screen, and a chip half under a strip's edge is meant to be
  swiped (the part a scroll area hides is never counted as cut).
- No label or button text is cut or elided: the room the text needs in its font (QFontMetrics for
  plain text, the label's own text document for rich text; one line per "\\n" of a two-line bilingual
  button; the height for the width where a label wraps) against the room the widget gives it (a
  label's contents rect less its margin and indent, a button's contents rect inside its border and
  padding as the style sheet sets them: the style clips a button's text to that rect). Lines may
  overflow by the blank part of their line boxes (above the tallest glyph, below the lowest), not by
  a pixel of ink.

Each check returns plain sentences that name the widget (its object name path), its text, and what
was needed against what was there.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

# Anti-aliasing and rounding differ by a pixel between what a layout gave and what the font measures.
SLACK_PX = 1


def describe(widget: QWidget) -> str:
    """The widget's object name with its named ancestors: declare/declare_pages/declare_next_button."""
    own = widget.objectName() if widget.objectName() and not widget.objectName().startswith("qt_") else ""
    names: list[str] = [own or f"<{type(widget).__name__}>"]
    current = widget.parentWidget()
    while current is not None and len(names) < 3:
        if current.objectName() and not current.objectName().startswith("qt_"):
            names.append(current.objectName())
        current = current.parentWidget()
    return "/".join(reversed(names))


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def viewport_of(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def seen_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of `widget` (window coordinates) that the scroll areas above it let be seen; empty when
    none. Only viewports clip here: whatever else cuts a widget is what the checks look for."""
    rect = window_rect(widget, window)
    current = widget.parentWidget()
    while current is not None and current is not window:
        if viewport_of(current):
            rect = rect.intersected(window_rect(current, window))
            if rect.isEmpty():
                return rect
        current = current.parentWidget()
    return rect


def shown_widgets(window: QWidget) -> list[tuple[QWidget, QRect]]:
    """Every widget a person can see now, with the part of it that can be seen."""
    shown: list[tuple[QWidget, QRect]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        rect = seen_rect(widget, window)
        if not rect.isEmpty():
            shown.append((widget, rect))
    return shown


def window_is_the_screen(window: QWidget) -> list[str]:
    screen = window.screen().geometry()
    frame = window.frameGeometry()
    if frame != screen:
        return [f"the window is {_rect(frame)}, the screen {_rect(screen)}"]
    return []


def _rect(rect: QRect) -> str:
    return f"{rect.width()}×{rect.height()} at ({rect.x()}, {rect.y()})"


def placement_problems(window: QWidget, shown: list[tuple[QWidget, QRect]]) -> list[str]:
    """Widgets outside the window, or cut by the widget they sit in (a layout squeezed below its minimum
    pushes children past their parent's edge, where the parent clips them)."""
    problems: list[str] = []
    inside = window.rect()
    for widget, rect in shown:
        if not inside.contains(rect):
            problems.append(f"{describe(widget)} {_text_of(widget)}lies outside the window: {_rect(rect)}")
            continue
        parent = widget.parentWidget()
        if parent is None or parent is window or viewport_of(parent) or _scroll_area_part(widget):
            continue
        room = seen_rect(parent, window)
        if not room.contains(rect):
            problems.append(f"{describe(widget)} {_text_of(widget)}is cut by {describe(parent)}: "
                            f"{_rect(rect)} in {_rect(room)}")
    return problems


def _scroll_area_part(widget: QWidget) -> bool:
    """A scroll area's own scroll bars and their containers, which it places over its edges."""
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) or widget.objectName().startswith("qt_scrollarea")


def _text_of(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"«{_one_line(text)}» " if text else ""


def _one_line(text: str) -> str:
    plain = re.sub(r"<[^>]+>", "", text) if "<" in text else text
    flat = " / ".join(line.strip() for line in plain.splitlines() if line.strip())
    return flat if len(flat) <= 60 else flat[:57] + "…"


def text_problems(shown: list[tuple[QWidget, QRect]]) -> list[str]:
    problems: list[str] = []
    for widget, _rect_seen in shown:
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = button_problem(widget)
        if problem:
            problems.append(problem)
    return problems


def _rich(label: QLabel) -> bool:
    kind = label.textFormat()
    return kind == Qt.TextFormat.RichText or (kind == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text()))


def label_room(label: QLabel) -> QRect:
    room = label.contentsRect()
    margin = label.margin()
    room.adjust(margin, margin, -margin, -margin)
    indent = label.indent()
    if indent > 0 and label.text():
        alignment = label.alignment()
        if alignment & Qt.AlignmentFlag.AlignLeft or alignment & Qt.AlignmentFlag.AlignRight:
            room.setWidth(room.width() - indent)
        if alignment & Qt.AlignmentFlag.AlignTop or alignment & Qt.AlignmentFlag.AlignBottom:
            room.setHeight(room.height() - indent)
    return room


def label_needs(label: QLabel, width: int) -> tuple[int, int]:
    """The width and height `label`'s text takes when laid out in `width` pixels (a wrapped label) or
    on its own lines (a label that does not wrap)."""
    text = label.text()
    wrap = label.wordWrap()
    if _rich(label):
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        if wrap:
            document.setTextWidth(width)
            size = document.size()
            return int(document.idealWidth() + 0.999), int(size.height() + 0.999)
        size = document.size()
        return int(size.width() + 0.999), int(size.height() + 0.999)
    metrics = QFontMetrics(label.font())
    flags = int(label.alignment()) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    if not label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse:
        flags |= int(Qt.TextFlag.TextShowMnemonic) if label.buddy() is not None else 0
    bounds = metrics.boundingRect(QRect(0, 0, width if wrap else 0, 1_000_000), flags, text)
    return bounds.width(), bounds.height()


def glyphs_fit(metrics: QFontMetrics, text: str, lines: int, room: QRect, alignment: Qt.AlignmentFlag) -> bool:
    """Whether every glyph of `lines` lines of `text`, placed in `room` as the label or the style places
    them (the block of line boxes aligned in the room), lies inside the room: a line box may overflow by
    its blank part (above the tallest glyph, below the lowest), not by ink."""
    block = metrics.lineSpacing() * (lines - 1) + metrics.height()
    if alignment & Qt.AlignmentFlag.AlignTop:
        top = 0
    elif alignment & Qt.AlignmentFlag.AlignBottom:
        top = room.height() - block
    else:
        top = (room.height() - block) // 2
    rows = text.split("\n")
    first = metrics.tightBoundingRect(rows[0] if len(rows) == lines else text)
    last = metrics.tightBoundingRect(rows[-1] if len(rows) == lines else text)
    ink_top = top + metrics.ascent() + first.top()
    ink_bottom = top + metrics.lineSpacing() * (lines - 1) + metrics.ascent() + last.bottom()
    return ink_top >= -SLACK_PX and ink_bottom <= room.height() + SLACK_PX


def label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    room = label_room(label)
    width, height = label_needs(label, room.width())
    metrics = QFontMetrics(label.font())
    if width <= room.width() + SLACK_PX and (height <= room.height() + SLACK_PX or (
            not _rich(label) and glyphs_fit(metrics, text, max(1, round(
                (height - metrics.height()) / metrics.lineSpacing()) + 1), room, label.alignment()))):
        return None
    how = "wraps into" if label.wordWrap() else "needs"
    return (f"{describe(label)} «{_one_line(text)}» is cut: the text {how} {width}×{height} px, "
            f"the label has {room.width()}×{room.height()}")


def button_room(button: QAbstractButton) -> QRect:
    """Where the style draws the button's text: inside its border and padding."""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    style = button.style()
    if isinstance(button, QCheckBox):
        return style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button)
    if isinstance(button, QRadioButton):
        return style.subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, button)
    if isinstance(button, QPushButton) and button.isFlat():
        option.features |= QStyleOptionButton.ButtonFeature.Flat
    return style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)


def button_needs(button: QAbstractButton) -> tuple[int, int]:
    metrics = QFontMetrics(button.font())
    lines = button.text().replace("&&", "&").split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)
    if not button.icon().isNull():
        width += button.iconSize().width() + 4
    height = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
    return width, height


def button_problem(button: QAbstractButton) -> str | None:
    text = button.text()
    if not text.strip():
        return None
    room = button_room(button)
    width, height = button_needs(button)
    lines = text.count("\n") + 1
    if width <= room.width() + SLACK_PX and (height <= room.height() + SLACK_PX or glyphs_fit(
            QFontMetrics(button.font()), text, lines, room, Qt.AlignmentFlag.AlignVCenter)):
        return None
    return (f"{describe(button)} «{_one_line(text)}» is cut: the text needs {width}×{height} px, "
            f"the button has {room.width()}×{room.height()} inside its border and padding")


def widget_problems(window: QWidget) -> list[str]:
    """What is cut or off the window among the widgets on screen (also on the offscreen platform)."""
    shown = shown_widgets(window)
    return placement_problems(window, shown) + text_problems(shown)


def step_problems(window: QWidget) -> list[str]:
    """Everything wrong with the window as it stands on a real screen."""
    return window_is_the_screen(window) + widget_problems(window)
