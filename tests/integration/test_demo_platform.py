"""`kiosk demo --platform`: the reference platform starts beside the demo on 127.0.0.1, with this terminal's
token and the sample catalogue, the demo's config points at it, and it stops when the demo exits."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

import ui.app
from kiosk.cli import demo_platform
from kiosk.cli import main as cli
from kiosk.cli.demo_platform import DemoPlatform
from kiosk.cli.launch import LaunchOptions
from kiosk.platform.client import PlatformClient
from tests.ui import test_demo_command

restore_logging = test_demo_command.restore_logging


def catalog_size(url: str, token_file: Path) -> int:
    token = token_file.read_text(encoding="utf-8")
    with PlatformClient(url, "T0001", token, timeout=(5.0, 10.0)) as client:
        return len(client.get_catalog().items)


def refused(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
    except requests.ConnectionError:
        return True
    return False


def test_the_helper_starts_the_platform_on_127_0_0_1_and_stops_it(tmp_path: Path) -> None:
    platform = DemoPlatform(tmp_path / "platform", "T0001")
    url = platform.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        assert (platform.token_file.stat().st_mode & 0o077) == 0
        assert catalog_size(url, platform.token_file) >= 150  # the bundled sample catalogue
    finally:
        platform.stop()
    assert refused(url)


def test_kiosk_demo_platform_points_the_demo_at_it_and_stops_it_on_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_logging: None,
) -> None:
    seen: dict[str, object] = {}

    def run_app(options: LaunchOptions) -> int:
        platform = options.config.platform
        seen["url"] = platform.url
        seen["catalogue"] = catalog_size(platform.url, Path(platform.token_file))
        return 0

    monkeypatch.setattr(ui.app, "run_app", run_app)
    assert cli.main(["--data-dir", str(tmp_path / "data"), "demo", "--platform"]) == 0
    assert str(seen["url"]).startswith("http://127.0.0.1:")
    assert isinstance(seen["catalogue"], int)
    assert seen["catalogue"] >= 150
    assert refused(str(seen["url"]))


def test_without_the_reference_platform_demo_platform_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], restore_logging: None,
) -> None:
    monkeypatch.setattr(demo_platform, "platform_available", lambda: False)
    assert cli.main(["--data-dir", str(tmp_path / "data"), "demo", "--platform"]) == cli.EXIT_CONFIG
    assert "source checkout" in capsys.readouterr().err
