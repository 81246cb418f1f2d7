"""The rating screen (好差评): no grade preselected, five equal neutral buttons, reasons only for a low
grade, the rating stored in the outbox off the GUI thread, and nothing left after a wipe."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.runtime import KioskRuntime
from offline_cache.outbox import OutboxItem
from tests.ui.portrait import settle, to_portrait
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.rating import RatingScreen
from ui.widgets.bug_notice import BugNotice

PHONE = "13912345678"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, runtime: KioskRuntime) -> Iterator[MainWindow]:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.wipe_screens()


def open_rating(window: MainWindow, payload: object = None) -> RatingScreen:
    if payload is None:
        window.open_service("rating")
    else:
        window.navigate("rating", payload)
    screen = window.current_screen()
    assert isinstance(screen, RatingScreen)
    return screen


def ratings(runtime: KioskRuntime, data_dir: Path) -> list[OutboxItem]:
    # A rating tied to a receipt is not due before its submission is accepted: look in the table.
    conn = sqlite3.connect(data_dir / "kiosk.db")
    try:
        uuids = [row[0] for row in conn.execute("SELECT uuid FROM outbox_item WHERE kind = 'rating'")]
    finally:
        conn.close()
    return [runtime.cache.outbox.get(uuid) for uuid in uuids]


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_no_grade_is_preselected_and_all_five_look_alike(qtbot: QtBot, window: MainWindow) -> None:
    screen = open_rating(window)
    buttons = screen.grade_buttons
    assert [b.title for b in buttons] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert not any(b.isChecked() for b in buttons)
    assert screen.grade is None
    assert not screen.submit_button.isEnabled()
    assert len({b.size().toTuple() for b in buttons}) == 1
    assert len({(b.property("role"), b.property("ratingRole"), b.styleSheet()) for b in buttons}) == 1
    palettes = {b.palette().color(b.backgroundRole()).name() for b in buttons}
    assert len(palettes) == 1
    images = {b.grab().toImage().pixelColor(8, b.height() // 2).name() for b in buttons}
    assert len(images) == 1  # rendered alike: no colour says which answer is "right"
    assert all(b.height() >= 64 and b.width() >= 64 for b in buttons)
    assert not screen.details_area.isVisible()


def test_a_low_grade_shows_the_reasons_and_a_higher_one_hides_them(qtbot: QtBot, window: MainWindow) -> None:
    screen = open_rating(window)
    click(qtbot, screen.grade_buttons[3])  # 不满意
    assert screen.grade == 2
    assert screen.reasons_box.isVisible()
    assert len(screen.reason_boxes) >= 5
    screen.reason_boxes["等候时间过长"].setChecked(True)
    click(qtbot, screen.grade_buttons[1])  # 满意
    assert screen.grade == 4
    assert not screen.reasons_box.isVisible()
    assert not any(box.isChecked() for box in screen.reason_boxes.values())
    assert [b.isChecked() for b in screen.grade_buttons] == [False, True, False, False, False]


def test_submit_stores_the_rating_and_says_thank_you(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, tmp_path: Path,
) -> None:
    submission = runtime.cache.outbox.add_submission("S001", {"reason": "换领"}, {"name": "张三"})
    screen = open_rating(window, submission.receipt_no)
    assert submission.receipt_no in screen.receipt_label.text()
    click(qtbot, screen.grade_buttons[4])  # 非常不满意
    overall_1 = screen.score_buttons["overall"][0]
    screen.details_area.ensureWidgetVisible(overall_1)
    click(qtbot, overall_1)  # a tap inside the kinetic scroll area reaches the button
    assert screen.scores == {"overall": 1}
    screen.set_score("attitude", 2)
    screen.set_score("attitude", 2)  # tapped again: cleared
    screen.set_score("efficiency", 3)
    reason = screen.reason_boxes["多次跑腿"]
    screen.details_area.ensureWidgetVisible(reason)
    qtbot.mouseClick(reason, Qt.MouseButton.LeftButton, pos=reason.rect().topRight() + QPoint(-4, 4))
    assert reason.isChecked()  # the whole cell is the touch target, not only the little box
    screen.open_keyboard(screen.comment_field)
    assert screen.comment_keyboard.layout_name == "pinyin"  # a comment is written in Chinese
    for key in "chuangkoushao":
        screen.comment_keyboard.tap(key)
    bar = screen.comment_keyboard.bar
    assert bar is not None
    screen.comment_keyboard.choose(bar.candidates.index("窗口少"))
    screen.open_keyboard(screen.phone_field)
    assert screen.phone_keyboard.isVisible()
    for digit in PHONE:
        screen.phone_keyboard.tap(digit)
    screen.phone_keyboard.tap("X")  # not a digit: the field refuses it
    assert screen.phone_field.text() == PHONE
    click(qtbot, screen.submit_button)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.thanks_page, timeout=5000)
    assert "139****5678" in screen.thanks_detail.text()
    assert PHONE not in screen.thanks_detail.text()

    [item] = ratings(runtime, tmp_path)
    assert item.rated_receipt_no == submission.receipt_no
    fields = runtime.cache.outbox.read_fields(item.uuid)
    assert fields["grade"] == 1
    assert fields["channel"] == "onsite"
    assert fields["indicators"] == {"overall": 1, "efficiency": 3}
    assert fields["reasons"] == ["多次跑腿"]
    assert fields["comment"] == "窗口少"
    assert PHONE not in repr(fields)
    assert runtime.cache.outbox.read_personal(item.uuid) == {"phone": PHONE}

    home = screen.findChild(type(screen.submit_button), "rating_thanks_home_button")
    assert home is not None
    click(qtbot, home)
    assert window.current_screen() is window.home
    # The next visit starts blank, not on the thank-you.
    screen = open_rating(window)
    assert screen.pages.currentWidget() is screen.form_page
    assert screen.grade is None


def test_a_bad_phone_is_refused_on_screen(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, tmp_path: Path,
) -> None:
    screen = open_rating(window)
    click(qtbot, screen.grade_buttons[0])
    screen.phone_field.setText("1391234")
    click(qtbot, screen.submit_button)
    assert screen.error_label.isVisible()
    assert "11位" in screen.error_label.text()
    assert screen.pages.currentWidget() is screen.form_page
    assert ratings(runtime, tmp_path) == []


def test_wipe_clears_everything(qtbot: QtBot, window: MainWindow) -> None:
    screen = open_rating(window, "T0001-20261127-0001")
    click(qtbot, screen.grade_buttons[3])
    screen.set_score("overall", 2)
    screen.reason_boxes["其他"].setChecked(True)
    screen.comment_field.setText("意见")
    screen.phone_field.setText(PHONE)
    screen.open_keyboard(screen.phone_field)
    window.wipe_screens()
    assert screen.grade is None
    assert screen.scores == {}
    assert screen.receipt_no is None
    assert screen.receipt_label.text() == ""
    assert not any(b.isChecked() for b in screen.grade_buttons)
    assert not any(b.isChecked() for buttons in screen.score_buttons.values() for b in buttons)
    assert not any(box.isChecked() for box in screen.reason_boxes.values())
    assert screen.comment_field.text() == ""
    assert screen.phone_field.text() == ""
    assert not screen.phone_keyboard.isVisible()
    assert not screen.submit_button.isEnabled()
    assert window.current_screen() is window.home


def test_a_bug_while_storing_is_logged_and_shown_as_one_not_as_a_storage_fault(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, monkeypatch: pytest.MonkeyPatch, kiosk_log: Path,
    expected_logs: Any,
) -> None:
    expected_logs("kiosk.ui.workers", "bug in the rating worker")

    def add_rating_with_a_bug(*_args: object, **_kwargs: object) -> object:
        raise AttributeError("'Rating' object has no attribute 'grade_code'")

    monkeypatch.setattr(runtime.cache.outbox, "add_rating", add_rating_with_a_bug)
    screen = open_rating(window)
    click(qtbot, screen.grade_buttons[0])
    click(qtbot, screen.submit_button)
    qtbot.waitUntil(lambda: any(n.isVisible() for n in screen.findChildren(BugNotice)), timeout=5000)
    assert "add_rating_with_a_bug" in kiosk_log.read_text(encoding="utf-8")
    assert "评价未能保存" not in screen.error_label.text()
    assert not screen.error_label.isVisible()
    assert screen.submit_button.isEnabled()  # under the notice the form is as it was, ready to try again


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_portrait_screen_the_grades_stack_and_no_line_is_cut(qtbot: QtBot, window: MainWindow,
                                                                  elder: bool) -> None:
    to_portrait(window, elder=elder)
    screen = open_rating(window)
    settle()
    buttons = screen.grade_buttons
    assert len({b.width() for b in buttons}) == 1  # still exactly alike
    assert len({b.height() for b in buttons}) == 1
    assert buttons[0].width() >= screen.grade_row.width() - 2
    assert all(a.y() < b.y() for a, b in pairwise(buttons))
    for button in buttons:
        for label in (button.title_label, button.english_label):
            # One line each: a wrapped English line was cut at the button's bottom edge.
            assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), label.text()


def test_on_a_portrait_screen_every_score_and_reason_is_in_view_in_elder_type(qtbot: QtBot,
                                                                              window: MainWindow) -> None:
    to_portrait(window, elder=True)
    screen = open_rating(window)
    settle()
    click(qtbot, screen.grade_buttons[3])  # 不满意: the scores and the reasons
    settle()
    viewport = screen.details_area.viewport()
    widgets = [b for buttons in screen.score_buttons.values() for b in buttons]
    widgets += screen.reason_boxes.values()
    widgets += [label for label in screen.details.findChildren(QLabel) if label.isVisible()]
    for widget in widgets:
        right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
        assert right <= viewport.width(), widget.objectName()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_portrait_screen_the_phone_pad_spans_the_width_and_the_field_stays_in_view(
        qtbot: QtBot, window: MainWindow, elder: bool) -> None:
    to_portrait(window, elder=elder)
    screen = open_rating(window)
    click(qtbot, screen.grade_buttons[-1])  # 非常不满意: the reasons make the details long
    settle()
    click(qtbot, screen.phone_field)
    settle()
    keyboard = screen.phone_keyboard
    assert keyboard.isVisible()
    keys = [keyboard.keys[str(digit)] for digit in range(10)]
    assert keys[0].parentWidget().width() >= keyboard.width() - 8 >= window.width() - 200
    assert all(k.height() >= window.theme.portrait_pad_key_px for k in keys)
    # The whole field above the keys, not its lower half under them.
    field = screen.phone_field
    assert field.visibleRegion().boundingRect().size() == field.size()
