"""The setup screen's Terminal page: identity, platform and token, defaults; validated, written, applied."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.config import Language, load_config
from kiosk.runtime import read_token
from tests.demo_runtime import MakeRuntime
from ui.context import AppContext
from ui.screens.setup.terminal import TerminalPage

TOKEN = "tok-9f8e7d6c5b4a39281706"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text('[terminal]\nid = "T0001"\n\n[ui]\nvoice = false\n', encoding="utf-8")
    return path


@pytest.fixture
def page(qtbot: QtBot, tmp_path: Path, config_file: Path, make_runtime: MakeRuntime) -> Iterator[TerminalPage]:
    data = tmp_path / "data"
    data.mkdir()
    config = load_config(config_file)
    context = AppContext(config=config, data_dir=data, runtime=make_runtime(config, data), config_path=config_file)
    widget = TerminalPage(context)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def test_fields_are_saved_the_token_stored_0600_and_never_shown(
    qtbot: QtBot, page: TerminalPage, config_file: Path,
) -> None:
    data = page.context.data_dir
    assert page.terminal_id.text() == "T0001"
    assert page.token.placeholderText().startswith("未设置")
    page.station.setText("西山社区服务站")
    page.region_code.setText("330106")
    page.platform_url.setText("https://gov.example.cn/kiosk")
    page.token.setText(TOKEN)
    page.idle_timeout.setText("120")
    qtbot.mouseClick(page.elder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.language_buttons["en"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.volume_down, Qt.MouseButton.LeftButton)
    assert page.volume_label.text() == "70%"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_save is not None, timeout=10000)

    config = load_config(config_file)  # what the next start reads
    assert config.terminal.station == "西山社区服务站"
    assert config.terminal.region_code == "330106"
    assert config.platform.url == "https://gov.example.cn/kiosk"
    assert config.platform.token_file == "platform.token"
    assert config.session.idle_timeout_s == 120
    assert config.terminal.elder_mode is True
    assert config.terminal.language is Language.EN
    assert config.ui.volume == 0.7
    assert config.ui.voice is False  # a key the page does not touch is kept
    assert page.context.config == config

    token_path = data / "platform.token"
    assert stat.S_IMODE(token_path.stat().st_mode) == 0o600
    assert read_token(config, data) == TOKEN  # the runtime accepts it as written
    assert page.token.text() == ""
    assert TOKEN not in page.token.placeholderText()
    assert page.token.placeholderText().endswith(TOKEN[-4:])

    save = page.last_save
    assert save is not None
    assert "platform.url" not in save.restart  # the sync engine takes the new platform at once
    assert "terminal.region_code" not in save.restart
    assert "session.idle_timeout_s" in save.restart
    assert "重启后生效" in page.message_label.text()
    audit = (data / "audit.log").read_text(encoding="utf-8")
    assert TOKEN not in audit
    line = json.loads(audit.splitlines()[-1])
    assert line["action"] == "config.written"
    assert "platform.token" in str(line["keys"])
    assert "terminal.station" in str(line["keys"])


def test_bad_values_are_refused_and_nothing_is_written(
    qtbot: QtBot, page: TerminalPage, config_file: Path,
) -> None:
    before = config_file.read_bytes()
    page.region_code.setText("33A1")
    page.platform_url.setText("ftp://x")
    page.save()
    text = page.message_label.text()
    assert "region code: 6 digits" in text
    assert "https://" in text
    page.load()
    page.idle_timeout.setText("5")  # below the loader's minimum
    page.save()
    qtbot.waitUntil(lambda: "Not saved" in page.message_label.text(), timeout=10000)
    assert "session.idle_timeout_s: must be at least 15" in page.message_label.text()
    assert config_file.read_bytes() == before
    assert not (page.context.data_dir / "audit.log").exists()


def test_a_plain_http_platform_is_refused_with_a_bilingual_reason(
    page: TerminalPage, config_file: Path,
) -> None:
    # The token and every declaration would cross the network unencrypted.
    before = config_file.read_bytes()
    page.platform_url.setText("http://203.0.113.5:8080")
    page.token.setText(TOKEN)
    page.save()
    text = page.message_label.text()
    assert "平台地址须以 https:// 开头" in text
    assert "platform address must start with https://" in text
    assert config_file.read_bytes() == before
    assert not (page.context.data_dir / "platform.token").exists()


def test_the_reference_platform_on_loopback_is_accepted(qtbot: QtBot, page: TerminalPage, config_file: Path) -> None:
    page.platform_url.setText("http://127.0.0.1:8080")
    page.save()
    qtbot.waitUntil(lambda: page.last_save is not None, timeout=10000)
    assert load_config(config_file).platform.url == "http://127.0.0.1:8080"


def test_nothing_changed_writes_nothing(page: TerminalPage, config_file: Path) -> None:
    before = config_file.read_bytes()
    page.save()
    assert "Nothing to save" in page.message_label.text()
    assert config_file.read_bytes() == before
    page.token.setText("typed")
    page.wipe()
    assert page.token.text() == ""
