"""`kiosk licences list` against the reference platform, as a technician would run it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from reference_platform import samples
from reference_platform.runner import RunningPlatform
from tests.integration import conftest_platform
from tests.integration.test_cli_sync import write_config

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin


def run(config: Path, tmp_path: Path, *args: str) -> int:
    return cli.main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "licences", "list", *args])


def test_lists_masked_and_records_the_technicians_consent(
    tmp_path: Path, reference_platform: RunningPlatform, platform_admin: conftest_platform.Admin,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    assert run(config, tmp_path, "--id-number", samples.DEMO_RESIDENT, "--name", "测试样例") == 0
    out = capsys.readouterr().out
    assert "330106********0014 **样例" in out  # four characters: the last two shown
    assert "居民户口簿  ********0123  可用 usable  2019-05-20 – 长期  杭州市公安局西湖分局" in out
    assert "不可用 not usable (revoked)" in out
    assert "no PDF" in out
    assert "PDF of ofd" in out
    assert "6 项 / licence(s)" in out
    for secret in (samples.DEMO_RESIDENT, "测试样例", "330106000123"):
        assert secret not in out
    # The consent the command gave is the technician's, scope "list", stored by the platform and audited.
    audit = [json.loads(line) for line in (tmp_path / "data" / "audit.log").read_text().splitlines()]
    [entry] = [e for e in audit if e["action"] == "licences.list"]
    assert (entry["scope"], entry["given_by"]) == ("list", "technician")
    stored = platform_admin.consent(entry['consent_id'])
    assert (stored["body"]["scope"], stored["body"]["given_by"]) == ("list", "technician")
    assert samples.DEMO_RESIDENT not in (tmp_path / "data" / "audit.log").read_text()


def test_shows_personal_data_only_when_asked_and_json(
    tmp_path: Path, reference_platform: RunningPlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    assert run(config, tmp_path, "--id-number", samples.X_CHECK.lower(), "--json", "--show-personal-data") == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["holder"] == samples.X_CHECK
    assert [(row["name"], row["number"], row["usable_today"]) for row in answer["licences"]] == [
        ("居民户口簿", "330106000789", True)]
    assert run(config, tmp_path, "--id-number", samples.X_CHECK, "--json") == 0
    masked = json.loads(capsys.readouterr().out)
    assert masked["holder"] == "330106********002X"
    assert masked["licences"][0]["number"] == "********0789"


def test_a_resident_without_licences(
    tmp_path: Path, reference_platform: RunningPlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    assert run(config, tmp_path, "--id-number", "CAN330019800101") == 0
    assert "没有电子证照 / no licences" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id-number", "330106199003070015"], "argument --id-number: not an ID number"),
        (["--id-number", "12345"], "argument --id-number: not an ID number"),
        (["--id-number", samples.DEMO_RESIDENT, "--name", ""], "argument --name: a name of 1 to 100"),
        (["--id-number", samples.DEMO_RESIDENT, "--name", "a\x1bb"], "argument --name: a name of 1 to 100"),
        ([], "the following arguments are required: --id-number"),
    ],
)
def test_bad_arguments_exit_2_without_repeating_the_number(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    with pytest.raises(SystemExit) as stopped:
        run(config, tmp_path, *args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "330106199003070015" not in err


def test_the_platform_refusing_or_missing_is_exit_1_with_the_reason(
    tmp_path: Path, reference_platform: RunningPlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, reference_platform.url)
    assert run(config, tmp_path, "--id-number", samples.DEMO_RESIDENT, "--name", "别人") == 1
    assert "平台拒绝 / the platform refused: holder_mismatch" in capsys.readouterr().err
    wrong_token = write_config(tmp_path, reference_platform.url, token="wrong")
    assert run(wrong_token, tmp_path, "--id-number", samples.DEMO_RESIDENT) == 1
    assert "credentials refused" in capsys.readouterr().err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    nobody = write_config(tmp_path, f"http://127.0.0.1:{port}")
    assert run(nobody, tmp_path, "--id-number", samples.DEMO_RESIDENT) == 1
    assert "平台不可达 / platform not reachable" in capsys.readouterr().err
    offline = tmp_path / "offline.toml"
    offline.write_text('[terminal]\nid = "T0001"\n', encoding="utf-8")
    assert run(offline, tmp_path, "--id-number", samples.DEMO_RESIDENT) == 1
    assert "no platform configured" in capsys.readouterr().err
