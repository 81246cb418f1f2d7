"""`kiosk sync now|status` against the reference platform, as a technician would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from offline_cache.outbox import CapturedPage
from offline_cache.store import OfflineCache
from offline_cache.timeutil import utc_now
from reference_platform.runner import RunningPlatform
from tests.conftest import ExpectedLogs
from tests.integration import conftest_platform
from tests.integration.conftest_platform import TERMINAL, TOKEN, Admin, catalog_item

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin


def write_config(tmp_path: Path, url: str, token: str = TOKEN, mode: int = 0o600) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    token_file = data / "platform.token"
    token_file.write_text(token + "\n", encoding="utf-8")
    token_file.chmod(mode)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[terminal]\nid = "{TERMINAL}"\n[platform]\nurl = "{url}"\ntoken_file = "platform.token"\n'
        "read_timeout_s = 10\n",
        encoding="utf-8",
    )
    return config


def queue(data: Path, count: int) -> list[str]:
    cache = OfflineCache.open(data, terminal_id=TERMINAL)
    try:
        uuids = []
        for n in range(count):
            page = CapturedPage(f"scan {n}".encode() * 100, "image/jpeg", "scanner", utc_now(), False)
            item = cache.outbox.add_submission(
                "330000-GA-XK-0001", {"form": {}, "attachments": [{"material": "居民户口簿"}]},
                {"name": "王五", "id_number": "330106197001011235"}, [page],
            )
            uuids.append(item.uuid)
        return uuids
    finally:
        cache.close()


def run(config: Path, tmp_path: Path, *args: str) -> int:
    return cli.main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])


def test_sync_now_delivers_and_status_reports(
    tmp_path: Path, reference_platform: RunningPlatform, platform_admin: Admin, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    uuids = queue(tmp_path / "data", 3)
    assert run(config, tmp_path, "sync", "status", "--json") == 0
    before = json.loads(capsys.readouterr().out)
    assert before["outbox_depth"] == 3
    assert before["network"] == "unknown"

    assert run(config, tmp_path, "sync", "now") == 0
    assert "sent 4" in capsys.readouterr().out  # three submissions and a heartbeat
    assert platform_admin.stats()["submissions"] == 3
    assert all(platform_admin.submission(u)["answer"]["case_no"] for u in uuids)

    assert run(config, tmp_path, "sync", "status") == 0
    out = capsys.readouterr().out
    assert "online" in out
    assert "queued:       0" in out


def test_sync_now_delivers_past_a_catalogue_update_it_refuses(
    tmp_path: Path, reference_platform: RunningPlatform, platform_admin: Admin, capsys: pytest.CaptureFixture[str],
    expected_logs: ExpectedLogs,
) -> None:
    expected_logs("kiosk.platform.sync", "from the platform refused")
    config = write_config(tmp_path, reference_platform.url)
    platform_admin.publish(upsert=[catalog_item("330000-GA-XK-0009", "临时居民身份证申领", popularity=2**70)])
    uuids = queue(tmp_path / "data", 2)
    assert run(config, tmp_path, "sync", "now") == 0
    assert "sent 3" in capsys.readouterr().out
    assert all(platform_admin.submission(u)["answer"]["case_no"] for u in uuids)
    cache = OfflineCache.open(tmp_path / "data", terminal_id=TERMINAL)
    try:
        assert cache.catalog.get("330000-GA-XK-0009") is None
    finally:
        cache.close()


def test_sync_now_reports_an_unreachable_platform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    queue(tmp_path / "data", 1)
    assert run(config, tmp_path, "sync", "now") == 2
    assert "not reachable" in capsys.readouterr().out
    assert run(config, tmp_path, "sync", "status", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["network"] == "offline"
    assert report["outbox_depth"] == 2


def test_rejected_items_are_listed_with_their_reason(
    tmp_path: Path, reference_platform: RunningPlatform, platform_admin: Admin, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    [bad] = queue(tmp_path / "data", 1)
    platform_admin.faults(reject=[{"idempotency_key": bad, "code": "service_closed", "message": "事项已停办"}])
    assert run(config, tmp_path, "sync", "now") == 0
    capsys.readouterr()
    assert run(config, tmp_path, "sync", "status") == 0
    out = capsys.readouterr().out
    assert "rejected:     1" in out
    assert "service_closed: 事项已停办" in out


def test_token_file_readable_by_others_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9", mode=0o644)
    assert run(config, tmp_path, "sync", "now") == 1
    assert "chmod 600" in capsys.readouterr().err


def test_without_a_platform_nothing_is_sent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queue(tmp_path / "data", 1)
    assert cli.main(["--data-dir", str(tmp_path / "data"), "sync", "now"]) == 2
    assert "no platform configured" in capsys.readouterr().out


def test_refused_credentials_are_a_state_of_their_own(
    tmp_path: Path, reference_platform: RunningPlatform, capsys: pytest.CaptureFixture[str],
    expected_logs: ExpectedLogs,
) -> None:
    expected_logs("kiosk.platform.sync", "refused this terminal's credentials")
    config = write_config(tmp_path, reference_platform.url, token="a-token-the-platform-never-issued")
    queue(tmp_path / "data", 1)
    assert run(config, tmp_path, "sync", "now") == 2
    out = capsys.readouterr().out
    assert "终端凭据被拒绝，请检查终端凭据" in out
    assert "credentials refused" in out
    assert "not reachable" not in out
    assert run(config, tmp_path, "sync", "status", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["network"] == "credentials_refused"
    assert report["outbox_depth"] == 2  # nothing quarantined: the items are not at fault
    assert run(config, tmp_path, "sync", "status") == 0
    assert "credentials refused" in capsys.readouterr().out
