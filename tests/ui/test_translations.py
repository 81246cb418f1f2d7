"""Qt translation files: the home screen switches to English and back, and the strip follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Language
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.i18n import I18N_DIR, current_language, set_language
from ui.main_window import MainWindow
from ui.screens.registry import SCREENS


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    try:
        yield w
    finally:
        set_language(Language.ZH_CN)  # the translator is application-wide


def test_compiled_translation_is_present() -> None:
    assert (I18N_DIR / "kiosk_en.qm").is_file(), "run scripts/update_translations.sh"


def test_language_button_switches_tile_titles(qtbot: QtBot, window: MainWindow) -> None:
    tiles = window.home.tiles
    assert tiles["guide"].title_label.text() == "办事指南"
    qtbot.mouseClick(window.home.language_button, Qt.MouseButton.LeftButton)
    assert current_language() is Language.EN
    assert tiles["guide"].title_label.text() == "Service guides"
    assert tiles["forms"].title_label.text() == "Print forms"
    assert tiles["guide"].subtitle_label.text() == "办事指南"
    assert window.home.language_button.text() == "中文"
    assert window.status_strip.elder_button.text() == "Elder mode"
    qtbot.mouseClick(window.home.language_button, Qt.MouseButton.LeftButton)
    assert current_language() is Language.ZH_CN
    assert tiles["guide"].title_label.text() == "办事指南"
    assert window.status_strip.elder_button.text() == "长辈模式 Elder"


def test_coming_soon_follows_the_language(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(SCREENS, "progress")
    window.open_service("progress")
    assert window.coming_soon.title_label.text() == "办件查询"
    set_language(Language.EN)
    assert window.coming_soon.title_label.text() == "Check progress"
    assert window.coming_soon.home_button.text() == "Home"


def test_configured_language_at_start(window: MainWindow) -> None:
    set_language("en")
    assert window.home.title_label.text() == "Hello, please choose a service"
