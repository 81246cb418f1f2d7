"""The largest values the config loader lets through are values the screen layer can hold: a window of
the largest size and sessions with the longest timeouts start without an OverflowError (the issue met
one in ui/app.py for ui.width = 2**63-1 and in ui/session_ui.py for an idle timeout of 3,000,000 s)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config, ConfigError, SessionConfig, UiConfig, config_from_mapping
from kiosk.resident.session import SessionState
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window, show_main_window
from ui.session_ui import install_session

# QTimer.start takes milliseconds in a C int.
QT_INT_MAX = 2**31 - 1


def _maximum(cls: type[object], name: str) -> int:
    field = next(f for f in dataclasses.fields(cls) if f.name == name)  # type: ignore[arg-type]
    return int(field.metadata["max"])


def test_the_values_the_issue_found_are_refused() -> None:
    for raw in ({"ui": {"width": 2**63 - 1}}, {"session": {"idle_timeout_s": 3_000_000}},
                {"session": {"elder_idle_timeout_s": 3_000_000}}, {"ui": {"height": 2**63 - 1}}):
        with pytest.raises(ConfigError):
            config_from_mapping(raw)


@pytest.mark.parametrize("elder", [False, True])
def test_the_window_and_the_session_take_the_largest_allowed_values(
    qtbot: QtBot, make_runtime: MakeRuntime, tmp_path: Path, elder: bool,
) -> None:
    raw = {
        "ui": {"fullscreen": False, "voice": False, "width": _maximum(UiConfig, "width"),
               "height": _maximum(UiConfig, "height")},
        "session": {key: _maximum(SessionConfig, key)
                    for key in ("idle_timeout_s", "elder_idle_timeout_s", "countdown_s", "attract_after_s")},
    }
    config = config_from_mapping(raw)
    assert config != Config()
    runtime = make_runtime(config)
    window = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    show_main_window(window, config)
    controller = install_session(window)
    try:
        controller.session.set_elder_mode(elder)
        controller.tick()  # idle on the home screen: the attract timer, the longest of all
        assert 0 < controller._timer.interval() <= QT_INT_MAX
        controller.activity()
        assert controller.session.state is SessionState.ACTIVE
        assert 0 < controller._timer.interval() <= QT_INT_MAX
        assert controller._timer.isActive()
    finally:
        controller.stop()
