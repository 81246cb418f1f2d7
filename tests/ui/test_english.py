"""In English mode every screen a resident reaches shows English: no Chinese left over outside the
catalogue's own content (service names, departments, materials, the forms' official field names), the
station name and the labels that deliberately show the other language (the 中文 switch, the Chinese
line under an English title, marked `otherLanguage=True`). And no text shows the same English twice.

The screens are built in Chinese and then switched, as after a session the language goes back to the
terminal's default while the screens stay built: each must re-translate itself on LanguageChange.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QWidget,
)
from pytestqt.qtbot import QtBot

from drivers.idcard.demo_card import DEMO_CARD
from kiosk.config import Language, sample_catalog_path
from kiosk.runtime import KioskRuntime
from offline_cache.store import DB_FILE, KEY_FILE
from tests.demo_runtime import MakeRuntime, demo_runtime
from tests.ui.screen_walk import (
    JOURNEY_STATES,
    PURCHASE_FORM,
    STATES,
    Step,
    close_window,
    make_window,
    visible_widgets,
)
from ui.i18n import set_language
from ui.main_window import MainWindow

# Han ideographs, CJK punctuation (。，、「」) and full-width forms (：（）).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
TEMPLATES = Path(__file__).resolve().parents[2] / "kiosk" / "forms" / "templates"

# States not yet in English (none: finding 13 of issue 15 is done). Strict, so a gap named here stays visible.
NOT_YET: dict[str, str] = {}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def catalogue_content() -> tuple[str, ...]:
    """Every Chinese text the catalogue and the official forms bring, longest first (so a name is
    removed whole before a shorter name inside it)."""
    found = set(_strings(json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]))
    for path in TEMPLATES.glob("*.toml"):
        found.update(_strings(tomllib.loads(path.read_text(encoding="utf-8"))))
    return tuple(sorted((s for s in found if CJK.search(s)), key=len, reverse=True))


def shown_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    for widget in visible_widgets(root):
        if widget.property("otherLanguage"):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget, widget.text()
        elif isinstance(widget, QLineEdit):
            yield widget, widget.placeholderText()


# The resident's own data, never translated: the demo card's values and what the walk types into the form.
# Shown masked ("**样例", "浙江省杭州市******"), so any run of Chinese inside one of them is theirs.
PERSONAL = tuple(v for v in (*DEMO_CARD.values(), *PURCHASE_FORM.values()) if isinstance(v, str) and CJK.search(v))
CJK_RUN = re.compile(f"(?:{CJK.pattern})+")


def leftover_chinese(text: str, station: str) -> str:
    for name in (station, *catalogue_content()):
        if name and name in text:
            text = text.replace(name, " ")
    runs = [run for run in CJK_RUN.findall(text) if not any(run in value for value in PERSONAL)]
    return "".join(runs)


def _words(segment: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", segment.lower())


def repeats_itself(text: str) -> bool:
    """Two parts of one text that say nearly the same in English ("Step 2 of 7 · 选择事项 Step 2 of 7",
    "Choose the form to print  Choose a form to print")."""
    english = CJK.sub("|", text.replace("·", "|").replace("\n", "|"))
    segments = [_words(s) for s in english.split("|")]
    segments = [s for s in segments if len(s) >= 3]
    for i, first in enumerate(segments):
        for second in segments[i + 1:]:
            shared = len(set(first) & set(second)) / len(set(first) | set(second))
            if shared >= 0.6:
                return True
    # One segment holding the same phrase twice ("Choose the form to print  Choose a form to print").
    for segment in english.split("|"):
        halves = re.split(r"\s{2,}", segment.strip())
        if len(halves) == 2 and len(_words(halves[0])) >= 3:
            a, b = set(_words(halves[0])), set(_words(halves[1]))
            if a and len(a & b) / len(a | b) >= 0.6:
                return True
    return False


# The supported screens (issue 15): the layout each one gets, as ui/screen_fit.py chooses it.
SIZES: dict[str, tuple[int, int, str]] = {
    "1280x800": (1280, 800, "landscape"),
    "1920x1080": (1920, 1080, "landscape"),
    "1080x1920": (1080, 1920, "portrait"),
}
EVERY_STATE = {**STATES, **JOURNEY_STATES}


@pytest.fixture(scope="module")
def catalogue_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the sample catalogue imported, once: importing it was most of each test's time."""
    folder = tmp_path_factory.mktemp("catalogue")
    with demo_runtime(folder):
        pass
    return folder


@pytest.fixture
def runtime(catalogue_data: Path, make_runtime: MakeRuntime, tmp_path: Path) -> KioskRuntime:
    """`kiosk demo`'s runtime over tmp_path (tests/demo_runtime.py), its catalogue copied in, not imported."""
    for name in (DB_FILE, KEY_FILE):  # the database's outbox is sealed with its key
        shutil.copy2(catalogue_data / name, tmp_path / name)
    return make_runtime()


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    w = make_window(runtime, qtbot, tmp_path)
    try:
        yield w
    finally:
        close_window(w)
        set_language(Language.ZH_CN)  # the translator is application-wide


def on_screen(window: MainWindow, size: str) -> None:
    width, height, orientation = SIZES[size]
    window.set_orientation(orientation)
    window.resize(width, height)
    settle()


def settle() -> None:
    """Widgets a screen re-creates show, and a changed text is laid out, over a few turns of the loop."""
    for _ in range(4):
        QApplication.processEvents()


def english_screen(window: MainWindow, qtbot: QtBot, state: str, *, switched: bool = True) -> list[tuple[QWidget, str]]:
    """The texts of `state` in English: reached in Chinese and then switched, or (not `switched`)
    reached with English already on."""
    if not switched:
        set_language(Language.EN)
    EVERY_STATE[state](window, qtbot)
    set_language(Language.EN)
    qtbot.wait(50)  # widgets a screen re-creates show at the next turn of the event loop
    settle()
    return list(shown_texts(window))


def _where(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName() or '(unnamed)'}"


SLACK = 2  # px: anti-aliasing and rounding between the font's metrics and what is drawn


def _lines(text: str) -> list[str]:
    return text.replace("&&", "&").split("\n")


def clipped_text_is_checked(text: str) -> bool:
    """Only texts with English in them: a Chinese text cut (a catalogue option on a narrow button) is the
    layout's business for both languages (tests/ui/screens), not the English one's."""
    return re.search(r"[A-Za-z]", text) is not None


def clipped(widget: QWidget, text: str) -> str:
    """Why `text` does not fit `widget` as it is laid out now ("" when it fits): wider than the room a
    button, a check box, a field or an unwrapped label gives it, or a line or more taller (a wrapped label
    laid out a line short, a word longer than the label is wide)."""
    if not text.strip() or not clipped_text_is_checked(text):
        return ""
    metrics = QFontMetrics(widget.font())
    if isinstance(widget, QLabel):
        rich = widget.textFormat() == Qt.TextFormat.RichText or text.lstrip().startswith("<")
        if rich or not widget.pixmap().isNull():
            return ""
        room = widget.contentsRect().adjusted(widget.margin(), widget.margin(), -widget.margin(), -widget.margin())
        flags = int(widget.alignment().value) | (int(Qt.TextFlag.TextWordWrap.value) if widget.wordWrap() else 0)
        needed = metrics.boundingRect(0, 0, room.width(), 100000, flags, text)
        width, height = needed.width(), needed.height()
    else:
        width, height, room = _control_text(widget, text, metrics)
        if room is None:
            return ""
    # A line's leading may overlap a tight box without cutting a glyph: half a line short is a line cut.
    if width > room.width() + SLACK or height > room.height() + metrics.height() // 2:
        return f"needs {width}×{height} px, has {room.width()}×{room.height()}"
    return ""


def _control_text(widget: QWidget, text: str, metrics: QFontMetrics) -> tuple[int, int, QRect | None]:
    """The size `text` needs on a button, check box or field, and the room the style leaves it."""
    style = widget.style()
    if isinstance(widget, QCheckBox):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, widget)
    elif isinstance(widget, QPushButton):
        if widget.findChildren(QLabel):  # its text is in its labels, measured as labels
            return 0, 0, None
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
    elif isinstance(widget, QLineEdit):
        if widget.text():  # the hint shows only in an empty field
            return 0, 0, None
        option = QStyleOptionFrame()
        widget.initStyleOption(option)
        room = style.subElementRect(QStyle.SubElement.SE_LineEditContents, option, widget)
    else:
        return 0, 0, None
    width = max(metrics.horizontalAdvance(line) for line in _lines(text))
    return width, len(_lines(text)) * metrics.height(), room


def _params(states: dict[str, Step], not_yet: dict[str, str]) -> list[Any]:
    return [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=not_yet[s])) if s in not_yet else s
            for s in states]


def glued(text: str) -> bool:
    """English words glued to a bracket, as where a Chinese line's full-width bracket needed no space:
    "Common services(showing the first 20…)"."""
    return re.search(r"[a-z]\(", CJK.sub(" ", text)) is not None


def problems(texts: list[tuple[QWidget, str]], station: str) -> list[str]:
    found = [f"Chinese: {_where(w)}: {t!r}" for w, t in texts if leftover_chinese(t, station)]
    found += [f"twice: {_where(w)}: {t!r}" for w, t in texts if repeats_itself(t)]
    found += [f"no space before a bracket: {_where(w)}: {t!r}" for w, t in texts if glued(t)]
    found += [f"cut ({why}): {_where(w)}: {t!r}" for w, t in texts if (why := clipped(w, t))]
    return found


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", _params(EVERY_STATE, NOT_YET))
def test_every_screen_in_english_at_every_size(qtbot: QtBot, window: MainWindow, state: str, size: str) -> None:
    """Reached in Chinese, then switched: no Chinese left, no English twice, no English cut; and the same
    once the resident taps 长辈模式 there (the elder type is larger: English that fitted may not)."""
    on_screen(window, size)
    station = window.context.runtime.config.terminal.station
    texts = english_screen(window, qtbot, state)
    assert texts, "nothing visible"
    found = problems(texts, station)
    window.status_strip.set_elder_mode(True)
    settle()
    found += [f"elder mode, {problem}" for problem in problems(list(shown_texts(window)), station)]
    assert not found, f"{state} at {size}:\n" + "\n".join(found)


@pytest.mark.parametrize("state", _params(EVERY_STATE, NOT_YET))
def test_every_screen_reached_in_english(qtbot: QtBot, window: MainWindow, state: str) -> None:
    """Reached with English on (texts made as the screen is built or as things happen): the same."""
    station = window.context.runtime.config.terminal.station
    texts = english_screen(window, qtbot, state, switched=False)
    found = [f"Chinese: {_where(w)}: {t!r}" for w, t in texts if leftover_chinese(t, station)]
    found += [f"twice: {_where(w)}: {t!r}" for w, t in texts if repeats_itself(t)]
    found += [f"no space before a bracket: {_where(w)}: {t!r}" for w, t in texts if glued(t)]
    assert not found, f"{state}:\n" + "\n".join(found)


def test_the_checks_catch_what_they_look_for() -> None:
    assert leftover_chinese("Service guides", "示例社区服务中心") == ""
    assert leftover_chinese("示例社区服务中心 · 居民身份证换领", "示例社区服务中心") == ""
    assert leftover_chinese("表格打印", "") == "表格打印"
    assert leftover_chinese("Applicant: **样例 330106********0014", "") == ""
    assert leftover_chinese("Applicant: **样例 （已识别）", "") == "（已识别）"
    assert clipped_text_is_checked("Pick up at the window\n各派出所户籍窗口")
    assert not clipped_text_is_checked("购买商品住房")
    assert repeats_itself("Step 2 of 7 · 选择事项 Step 2 of 7")
    assert repeats_itself("Choose the form to print  Choose a form to print")
    assert not repeats_itself("Step 2 of 7 · Choose a service")
    assert glued("Common services(showing the first 20)")
    assert not glued("Common services (showing the first 20)")
    assert not glued("住房公积金提取（购房）")
