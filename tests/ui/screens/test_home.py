from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping
from kiosk.runtime import KioskRuntime, demo_config
from kiosk.status import DeviceState, DeviceStatus, NetworkState, SystemStatus
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.home import SERVICES
from ui.screens.registry import SCREENS
from ui.theme import ELDER, FIELD_BACKGROUND, NORMAL, PLACEHOLDER, SCROLL_TRACK, SELECTED_FILL, Theme

TILE_NAMES = ["tile_guide", "tile_forms", "tile_declare", "tile_progress", "tile_rating"]


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_home_shows_every_service_tile(window: MainWindow) -> None:
    assert window.current_screen() is window.home
    for name in TILE_NAMES:
        tile = window.findChild(QPushButton, name)
        assert tile is not None, name
        assert tile.isVisible()
        # 15 mm on a 21.5" 1080p panel is about 60 px: every tile is far above it.
        assert tile.width() >= 200
        assert tile.height() >= 150
    titles = [window.findChild(QPushButton, n).title_label.text() for n in TILE_NAMES]  # type: ignore[union-attr]
    assert titles == ["办事指南", "表格打印", "网上申报", "办件查询", "服务评价"]


def test_unbuilt_service_says_so_and_leads_home(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every home tile has its screen now; take one away to see what a tile without one does.
    monkeypatch.delitem(SCREENS, "declare")
    qtbot.mouseClick(window.home.tiles["declare"], Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.coming_soon
    assert window.coming_soon.title_label.text() == "网上申报"
    message = window.findChild(QLabel, "coming_soon_message")
    assert message is not None
    assert "暂未开通" in message.text()
    back = window.findChild(QPushButton, "coming_soon_home_button")
    assert back is not None
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.home


def test_elder_mode_enlarges_text_and_targets(window: MainWindow, qtbot: QtBot) -> None:
    title = window.home.tiles["guide"].title_label
    normal_px = title.fontInfo().pixelSize()
    qtbot.mouseClick(window.status_strip.elder_button, Qt.MouseButton.LeftButton)
    assert window.theme is ELDER
    assert title.fontInfo().pixelSize() > normal_px
    body = window.findChild(QLabel, "home_title")
    assert body is not None
    assert body.fontInfo().pixelSize() >= 30
    assert window.status_strip.elder_button.height() >= 60
    qtbot.mouseClick(window.status_strip.elder_button, Qt.MouseButton.LeftButton)
    assert window.theme is NORMAL


def test_elder_mode_from_config(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> None:
    config = demo_config(config_from_mapping({"terminal": {"elder_mode": True}}))
    w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), make_runtime(config))
    qtbot.addWidget(w)
    assert w.theme is ELDER
    assert w.status_strip.elder_button.isChecked()


def test_chinese_font_is_selected(window: MainWindow) -> None:
    assert window.font_family in ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
    assert window.home.tiles["guide"].title_label.fontInfo().family() == window.font_family


def test_status_strip_never_claims_untested_devices_work(window: MainWindow) -> None:
    assert window.status_strip.devices_label.text() == "设备：未检测"
    assert window.status_strip.network_label.text() == "离线模式"
    window.show_status(
        SystemStatus(
            network=NetworkState.OFFLINE,
            devices={"printer": DeviceStatus(DeviceState.OFFLINE), "idcard": DeviceStatus(DeviceState.OK)},
        )
    )
    assert window.status_strip.devices_label.text() == "设备故障：打印机"
    assert "离线" in window.status_strip.network_label.text()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", [NORMAL, ELDER], ids=["normal", "elder"])
def test_theme_contrast_and_sizes(theme: Theme) -> None:
    minimum = 4.5
    assert _contrast(theme.text, theme.background) >= minimum
    assert _contrast(theme.muted, theme.background) >= minimum
    assert _contrast(theme.accent_text, theme.accent) >= minimum
    for colour in theme.tile_colours():
        assert _contrast("#ffffff", colour) >= minimum, colour
    assert _contrast(PLACEHOLDER, FIELD_BACKGROUND) >= minimum
    assert _contrast(theme.text, SELECTED_FILL) >= minimum  # the text on a chosen choice
    # What is not text but must be seen: 3:1 (WCAG 1.4.11).
    assert _contrast(SELECTED_FILL, theme.surface) >= 3
    assert _contrast(SELECTED_FILL, theme.background) >= 3
    assert _contrast(theme.muted, FIELD_BACKGROUND) >= 3  # field borders
    assert _contrast(theme.text, theme.surface) >= 3  # check-box borders
    assert _contrast(theme.accent, FIELD_BACKGROUND) >= 3  # the focused field's border
    assert _contrast(theme.muted, SCROLL_TRACK) >= 3  # the scroll handle on its track
    assert theme.scrollbar_px >= (60 if theme is ELDER else 44)
    assert theme.small_px >= 18
    if theme is ELDER:
        assert theme.text_px >= 30
        assert theme.button_min_px >= 60
        assert _contrast(theme.text, theme.background) >= 7


def test_every_service_has_a_tile() -> None:
    assert [f"tile_{s.key}" for s in SERVICES] == TILE_NAMES


def test_status_strip_tells_refused_credentials_from_offline(window: MainWindow) -> None:
    window.show_status(SystemStatus(network=NetworkState.CREDENTIALS_REFUSED))
    text = window.status_strip.network_label.text()
    assert "终端凭据被拒绝" in text
    assert "离线" not in text
