"""Voice prompts: the screen's prompt is handed to the speech backend; no audio is ever checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config, Language, UiConfig
from kiosk.runtime import demo_config
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.screens.registry import SCREENS
from ui.voice import ESPEAK_VOICE, EspeakBackend, install_voice, prompt_of

MakeWindow = Callable[[Config], MainWindow]


class FakeBackend:
    name = "fake"

    def __init__(self) -> None:
        self.said: list[tuple[str, float]] = []
        self.stopped = 0

    def say(self, text: str, volume: float) -> None:
        self.said.append((text, volume))

    def stop(self) -> None:
        self.stopped += 1


@pytest.fixture
def make_window(make_runtime: MakeRuntime, qtbot: QtBot, tmp_path: Path) -> Callable[[Config], MainWindow]:
    def make(config: Config) -> MainWindow:
        w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), make_runtime(config))
        qtbot.addWidget(w)
        return w

    return make


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language(Language.ZH_CN)
    yield
    set_language(Language.ZH_CN)


def test_each_screen_speaks_its_prompt(
    make_window: MakeWindow, chinese: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(SCREENS, "progress")  # the coming-soon screen's prompt, for a tile without a screen
    window = make_window(demo_config(Config(ui=UiConfig(voice=True, volume=0.5))))
    backend = FakeBackend()
    install_voice(window, backend)
    window.open_service("progress")
    window.go_home()
    window.navigate("attract")
    assert [text for text, _ in backend.said] == [
        window.coming_soon.prompt,
        window.home.prompt,
        prompt_of(window.screens["attract"]),
    ]
    assert all(volume == 0.5 for _, volume in backend.said)
    assert "请轻触屏幕" in backend.said[-1][0]


def test_voice_off_by_config(make_window: MakeWindow, chinese: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(SCREENS, "progress")
    window = make_window(demo_config(Config(ui=UiConfig(voice=False))))
    backend = FakeBackend()
    voice = install_voice(window, backend)
    window.open_service("progress")
    assert backend.said == []
    assert voice.backend.name == "silent"


def test_no_chinese_prompt_in_english(make_window: MakeWindow, chinese: None) -> None:
    window = make_window(demo_config(Config()))
    backend = FakeBackend()
    install_voice(window, backend)
    set_language(Language.EN)
    window.open_service("progress")
    assert backend.said == []


def test_screen_without_prompt_is_silent(make_window: MakeWindow) -> None:
    window = make_window(demo_config(Config()))
    assert prompt_of(window.status_strip) == ""
    assert prompt_of(None) == ""


def test_espeak_uses_the_pinyin_mandarin_voice() -> None:
    args = EspeakBackend("espeak-ng").arguments("请刷卡", 0.8)
    assert args[:2] == ["-v", ESPEAK_VOICE] == ["-v", "cmn-latn-pinyin"]
    assert args[-1] == "请刷卡"
    assert args[args.index("-a") + 1] == "80"


def test_the_declaration_speaks_each_step_as_it_appears(qtbot: QtBot, make_window: MakeWindow, chinese: None) -> None:
    from kiosk.config import config_from_mapping
    from ui.screens.declare.wizard import STEP_PROMPTS, DeclareScreen

    config = config_from_mapping({"ui": {"voice": True}, "devices": {
        "idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}}})
    window = make_window(config)
    window.show()
    backend = FakeBackend()
    install_voice(window, backend)
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    try:
        # The simulated card is read; on 下一步 the new step is spoken too.
        qtbot.waitUntil(lambda: screen.resident is not None, timeout=15000)
        qtbot.waitUntil(screen.next_button.isEnabled)
        screen.next_button.click()
        assert screen.step == "service"
        spoken = [text for text, _ in backend.said]
        assert spoken == [STEP_PROMPTS["identify"], STEP_PROMPTS["service"]]
        window.go_home()
        screen.show_step("identify", read=False)  # a step change on a hidden screen stays silent
        assert [text for text, _ in backend.said][-1] == window.home.prompt
    finally:
        screen.shutdown()
        window.wipe_screens()


def test_progress_and_rating_have_prompts_that_name_no_grade() -> None:
    from ui.screens.progress import ProgressScreen
    from ui.screens.rating import RatingScreen

    assert "编号" in ProgressScreen.prompt
    assert not any(grade in RatingScreen.prompt for grade in ("满意", "不满意"))
