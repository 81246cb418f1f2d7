"""Guide lookup screens: type-ahead by Chinese and pinyin initials, categories, detail, back, wipe.

Set KIOSK_SCREENSHOT_DIR (e.g. docs/screenshots) to also write guide-*.png in normal and elder mode.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.resident.print_jobs import PrintRequest
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens import registry
from ui.screens.guide.detail import GuideDetailScreen
from ui.screens.guide.search import GuideScreen

HUKOU_TOUKAO = "330000-GA-QR-0005"  # 户口迁移（投靠）: two materials may be supplied later (容缺)


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    w.close()


def open_guide(window: MainWindow, qtbot: QtBot) -> GuideScreen:
    qtbot.mouseClick(window.home.tiles["guide"], Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert isinstance(screen, GuideScreen)
    return screen


def type_query(screen: GuideScreen, qtbot: QtBot, text: str) -> None:
    field = screen.findChild(QLineEdit, "guide_search_field")
    assert field is screen.search_field
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        # Chinese arrives as an input method's commit (QTest cannot synthesise key presses for it).
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(field, event)
    # The debounce timer runs the search; wait for it rather than for a time.
    qtbot.waitUntil(lambda: not screen.debounce.isActive())


def names(screen: GuideScreen) -> list[str]:
    return [row.name for row in screen.rows_shown]


def visible_names(screen: GuideScreen) -> list[str]:
    return [b.name_label.text() for b in screen.row_buttons if b.isVisible()]


def test_home_tile_opens_the_popular_list(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    assert names(screen)[0] == "居民身份证换领"
    assert len(visible_names(screen)) == 20
    assert screen.caption.text().startswith("常办事项")


def test_search_by_chinese(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    type_query(screen, qtbot, "港澳")
    assert visible_names(screen)[:2] == ["往来港澳通行证签注（再次签注）", "往来港澳通行证签发"]
    assert "港澳" in screen.caption.text()


@pytest.mark.parametrize(("query", "first"), [("sfz", "居民身份证换领"), ("gatxz", "往来港澳通行证签注（再次签注）")])
def test_search_by_pinyin_initials(window: MainWindow, qtbot: QtBot, query: str, first: str) -> None:
    screen = open_guide(window, qtbot)
    type_query(screen, qtbot, query)
    assert visible_names(screen)[0] == first


def test_no_result_says_so_with_a_hint(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    type_query(screen, qtbot, "qqqxz")
    assert visible_names(screen) == []
    assert screen.empty_label.isVisible()
    assert "没有找到" in screen.empty_label.text()
    assert "sfz" in screen.empty_label.text()


def test_choosing_a_category_filters(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    qtbot.mouseClick(screen.category_button("婚姻"), Qt.MouseButton.LeftButton)
    assert sorted(names(screen)) == sorted([
        "结婚登记", "离婚登记", "补领结婚证", "补领离婚证", "婚姻档案查询".replace("婚姻档案", "婚姻登记档案"),
        "内地居民与港澳台居民结婚登记",
    ])
    assert screen.category_button("婚姻").isChecked()
    type_query(screen, qtbot, "港澳")
    assert names(screen) == ["内地居民与港澳台居民结婚登记"]
    qtbot.mouseClick(screen.category_button("法人办事"), Qt.MouseButton.LeftButton)
    assert names(screen) == []
    assert "法人办事" in screen.empty_label.text()
    qtbot.mouseClick(screen.category_button("全部"), Qt.MouseButton.LeftButton)
    assert names(screen)[0] == "往来港澳通行证签注（再次签注）"


def test_enterprise_category_lists_only_enterprise_items(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    qtbot.mouseClick(screen.category_button("法人办事"), Qt.MouseButton.LeftButton)
    assert screen.rows_shown
    assert all(row.details.endswith("法人") for row in screen.rows_shown)


def open_detail(window: MainWindow, qtbot: QtBot, query: str) -> tuple[GuideScreen, GuideDetailScreen]:
    screen = open_guide(window, qtbot)
    type_query(screen, qtbot, query)
    qtbot.mouseClick(screen.row_buttons[0], Qt.MouseButton.LeftButton)
    detail = window.current_screen()
    assert isinstance(detail, GuideDetailScreen)
    return screen, detail


def section_texts(detail: GuideDetailScreen) -> list[str]:
    return [label.text() for label in detail.sections_widget.findChildren(QLabel)]


def test_result_opens_the_detail_with_badge_and_waivable_marks(window: MainWindow, qtbot: QtBot) -> None:
    _, detail = open_detail(window, qtbot, "hkqytk")  # 户口迁移（投靠）
    assert detail.title_label.text() == "户口迁移（投靠）"
    assert detail.visits_badge.text() == "最多跑一次"
    assert detail.visits_badge.isVisible()
    assert detail.here_badge.text() == "本机不能申报"
    texts = section_texts(detail)
    for heading in ("办理条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理地点和时间", "咨询和投诉电话"):
        assert heading in texts
    assert sum("可容缺后补" in text for text in texts) == 2 + 1  # two marks and the explanation
    assert not detail.declare_button.isEnabled()
    assert "不能在本终端申报" in detail.note_label.text()


def test_zero_visit_item_shows_zero_visits(window: MainWindow, qtbot: QtBot) -> None:
    _, detail = open_detail(window, qtbot, "出生登记")
    assert detail.visits_badge.text() == "零跑动"


def test_back_returns_to_the_list_with_the_query_kept(window: MainWindow, qtbot: QtBot) -> None:
    screen, detail = open_detail(window, qtbot, "sfz")
    qtbot.mouseClick(detail.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is screen
    assert screen.search_field.text() == "sfz"
    assert visible_names(screen)[0] == "居民身份证换领"
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.home


def test_wipe_clears_the_query_and_results(window: MainWindow, qtbot: QtBot) -> None:
    screen, detail = open_detail(window, qtbot, "sfz")
    qtbot.mouseClick(screen.category_button("户籍"), Qt.MouseButton.LeftButton)
    window.wipe_screens()
    assert window.current_screen() is window.home
    assert screen.search_field.text() == ""
    assert visible_names(screen) == []
    assert screen.category.kind == "all"
    assert detail.detail is None
    assert "居民身份证" not in " ".join(section_texts(detail))


def test_print_hands_a_print_request_that_renders_the_guide(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    _, detail = open_detail(window, qtbot, "sfz")
    calls: list[tuple[str, Any]] = []
    window.context.navigate = lambda name, payload=None: calls.append((name, payload))
    assert detail.print_button.isEnabled()
    qtbot.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
    [(name, request)] = calls
    assert name == "print"
    assert isinstance(request, PrintRequest)
    assert "居民身份证换领" in request.title
    out = tmp_path / "guide.pdf"
    request.render(out)
    assert out.read_bytes().startswith(b"%PDF")


def test_declare_is_disabled_until_its_screen_exists(window: MainWindow, qtbot: QtBot) -> None:
    _, detail = open_detail(window, qtbot, "户籍证明开具")  # declarable here
    if "declare" not in registry.SCREENS:
        assert not detail.declare_button.isEnabled()
        assert "本终端暂不支持在线申报此事项" in detail.note_label.text()
    calls: list[tuple[str, Any]] = []
    window.context.navigate = lambda name, payload=None: calls.append((name, payload))
    registry.SCREENS.setdefault("declare", GuideDetailScreen)
    added = registry.SCREENS["declare"] is GuideDetailScreen
    try:
        detail.enter("330000-GA-QR-0012")
        assert detail.declare_button.isEnabled()
        qtbot.mouseClick(detail.declare_button, Qt.MouseButton.LeftButton)
        assert calls == [("declare", "330000-GA-QR-0012")]
    finally:
        if added:
            del registry.SCREENS["declare"]


@pytest.mark.skipif(not os.environ.get("KIOSK_SCREENSHOT_DIR"), reason="set KIOSK_SCREENSHOT_DIR to write screenshots")
def test_screenshots(window: MainWindow, qtbot: QtBot) -> None:
    out = Path(os.environ["KIOSK_SCREENSHOT_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    for elder in (False, True):
        window.status_strip.set_elder_mode(elder)
        window.set_elder_mode(elder)
        suffix = "-elder" if elder else ""
        window.wipe_screens()
        screen = open_guide(window, qtbot)
        type_query(screen, qtbot, "sfz")
        window.grab().save(str(out / f"guide-list{suffix}.png"))
        screen.search_field.clear()
        type_query(screen, qtbot, "qqqxz")
        window.grab().save(str(out / f"guide-empty{suffix}.png"))
        window.navigate("guide_detail", HUKOU_TOUKAO)
        detail = window.current_screen()
        assert isinstance(detail, GuideDetailScreen)
        window.grab().save(str(out / f"guide-detail{suffix}.png"))
        detail.area.verticalScrollBar().setValue(detail.area.verticalScrollBar().maximum() // 3)
        window.grab().save(str(out / f"guide-detail-materials{suffix}.png"))


def test_search_on_the_on_screen_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    assert screen.keyboard is not None
    assert not screen.keyboard.isVisible()
    qtbot.mouseClick(screen.search_field, Qt.MouseButton.LeftButton)
    assert screen.keyboard.isVisible()
    for letter in "gatxz":
        key = screen.keyboard.findChild(QPushButton, f"key_{letter}")
        assert key is not None, letter
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)
    assert screen.search_field.text() == "gatxz"
    qtbot.waitUntil(lambda: not screen.debounce.isActive())
    assert names(screen)[0].startswith("往来港澳通行证")
    # Opening a result puts the keyboard away; the detail screen has the room.
    qtbot.mouseClick(screen.row_buttons[0], Qt.MouseButton.LeftButton)
    assert not screen.keyboard.isVisible()


def test_category_chips_keep_their_whole_text_when_elder_mode_is_switched_on(window: MainWindow, qtbot: QtBot) -> None:
    screen = open_guide(window, qtbot)
    window.status_strip.set_elder_mode(True)  # the strip's button, on the guide screen
    qtbot.wait(10)
    cut = [key for key, chip in screen.category_buttons.items() if chip.width() < chip.sizeHint().width()]
    assert not cut


@pytest.mark.parametrize("elder", [False, True])
def test_a_chosen_theme_chip_keeps_its_whole_text(window: MainWindow, qtbot: QtBot, elder: bool) -> None:
    # The chosen chip takes the accent style (another role, repolished): sized for the outlined one, its
    # text was cut at both ends ("户籍 16" as "ㄅ籍 1(").
    window.status_strip.set_elder_mode(elder)
    screen = open_guide(window, qtbot)
    for label in ("户籍", "全部"):
        qtbot.mouseClick(screen.category_button(label), Qt.MouseButton.LeftButton)
        qtbot.wait(50)
        for button in screen.category_buttons.values():
            assert button.width() >= button.sizeHint().width(), button.text()
