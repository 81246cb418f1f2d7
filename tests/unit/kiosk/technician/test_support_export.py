"""The support bundle: recent log lines, secrets left out of the config, and an export that is either
complete or absent (a full drive leaves nothing behind)."""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Config, config_from_mapping
from kiosk.technician.audit import audit_log_for
from kiosk.technician.support_export import (
    REDACTED,
    ExportError,
    export_support_bundle,
    log_files,
    recent_audit_lines,
    recent_log_lines,
    redact_config,
    removable_targets,
    tail_lines,
    write_json_atomically,
)

TOKEN = "s3cr3t-platform-token-value"
NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def make_data_dir(tmp_path: Path) -> tuple[Path, Config]:
    data = tmp_path / "data"
    logs = data / "logs"
    logs.mkdir(parents=True)
    (logs / "kiosk.log").write_text("".join(f"2026 INFO kiosk: line {i}\n" for i in range(150, 300)), "utf-8")
    (logs / "kiosk.log.1").write_text("".join(f"2026 INFO kiosk: line {i}\n" for i in range(0, 150)), "utf-8")
    (logs / "kiosk.log.bak").write_text("not a rotated log\n", "utf-8")
    (data / "platform.token").write_text(TOKEN, "utf-8")
    audit_log_for(data).record("pin.accepted")
    audit_log_for(data).record("config.written", key="devices.idcard.port")
    config = config_from_mapping({
        "terminal": {"id": "T0042"},
        "platform": {"url": "https://platform.example", "token_file": "platform.token"},
    })
    return data, config


def test_log_files_are_current_then_rotated(tmp_path: Path) -> None:
    data, _ = make_data_dir(tmp_path)
    assert [p.name for p in log_files(data)] == ["kiosk.log", "kiosk.log.1"]
    assert log_files(tmp_path / "nowhere") == []


def test_recent_lines_reach_into_the_rotated_file(tmp_path: Path) -> None:
    data, _ = make_data_dir(tmp_path)
    lines = recent_log_lines(data, 200)
    assert len(lines) == 200
    assert lines[0].endswith("line 100")
    assert lines[-1].endswith("line 299")
    assert recent_log_lines(data, 10)[-1].endswith("line 299")


def test_tail_of_a_big_file_drops_the_cut_line(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_text("".join(f"{i:08d} {'x' * 100}\n" for i in range(5000)), "utf-8")
    lines = tail_lines(path, 3)
    assert [line[:8] for line in lines] == ["00004997", "00004998", "00004999"]
    assert all(len(line) == 109 for line in tail_lines(path, 10_000))
    assert tail_lines(tmp_path / "missing.log") == []


def test_recent_audit_lines_are_readable(tmp_path: Path) -> None:
    data, _ = make_data_dir(tmp_path)
    lines = recent_audit_lines(data)
    assert len(lines) == 2
    assert "pin.accepted" in lines[0]
    assert lines[1].endswith("config.written key=devices.idcard.port")


def test_redact_config_hides_secrets_but_shows_paths() -> None:
    raw = {"platform": {"token_file": "/etc/kiosk/token", "token": "abc", "url": "https://x"},
           "db": {"password": "pw", "Secret_Key": "k", "api_key": "a", "empty_token": ""}}
    red = redact_config(raw)
    assert red["platform"] == {"token_file": "/etc/kiosk/token", "token": REDACTED, "url": "https://x"}
    assert red["db"] == {"password": REDACTED, "Secret_Key": REDACTED, "api_key": REDACTED, "empty_token": ""}
    assert raw["platform"]["token"] == "abc"  # the caller's mapping is untouched


def test_export_writes_a_complete_bundle_without_the_token(tmp_path: Path) -> None:
    data, config = make_data_dir(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    result = export_support_bundle(stick, data_dir=data, config=config, clock=lambda: NOW,
                                   outbox={"pending": 2, "rejected": 1},
                                   rejected=[{"receipt_no": "T0042-000001", "reason": "bad code"}])
    assert result.path.parent == stick
    assert result.path.name.startswith("kiosk-support-T0042-")
    assert [p.name for p in stick.iterdir()] == [result.path.name]  # no temporary left
    names = sorted(str(p.relative_to(result.path)) for p in result.path.rglob("*") if p.is_file())
    assert names == ["audit.log", "config.json", "logs/kiosk.log", "logs/kiosk.log.1", "manifest.json",
                     "outbox-rejected.json"]
    everything = b"".join(p.read_bytes() for p in result.path.rglob("*") if p.is_file())
    assert TOKEN.encode() not in everything
    config_json = json.loads((result.path / "config.json").read_text("utf-8"))
    assert config_json["platform"]["token_file"] == "platform.token"
    assert config_json["terminal"]["id"] == "T0042"
    manifest = json.loads((result.path / "manifest.json").read_text("utf-8"))
    assert manifest["terminal_id"] == "T0042"
    assert manifest["outbox"] == {"pending": 2, "rejected": 1}
    assert manifest["version"]
    listed = {f["name"]: f["size"] for f in manifest["files"]}
    assert listed["logs/kiosk.log"] == (data / "logs" / "kiosk.log").stat().st_size
    assert "manifest.json" not in listed
    assert result.total_bytes > 0


def test_a_second_export_in_the_same_second_gets_its_own_folder(tmp_path: Path) -> None:
    data, config = make_data_dir(tmp_path)
    first = export_support_bundle(tmp_path, data_dir=data, config=config, clock=lambda: NOW)
    second = export_support_bundle(tmp_path, data_dir=data, config=config, clock=lambda: NOW)
    assert first.path != second.path
    assert first.path.is_dir()
    assert second.path.is_dir()


class FullDisk:
    """Opens files that accept `budget` bytes in total, then fail like a full USB stick."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.opened: list[Path] = []

    def __call__(self, path: Path) -> Any:
        self.opened.append(path)
        outer = self
        real = path.open("xb")

        class Handle:
            def __enter__(self) -> Handle:
                return self

            def __exit__(self, *exc: object) -> None:
                real.close()

            def write(self, data: bytes) -> int:
                if len(data) > outer.budget:
                    real.write(data[: outer.budget])
                    outer.budget = 0
                    raise OSError(errno.ENOSPC, "No space left on device")
                outer.budget -= len(data)
                return real.write(data)

            def flush(self) -> None:
                real.flush()

            def fileno(self) -> int:
                return real.fileno()

        return Handle()


@pytest.mark.parametrize("budget", [0, 3000, 6000])
def test_a_full_drive_leaves_nothing_behind(tmp_path: Path, budget: int) -> None:
    data, config = make_data_dir(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    disk = FullDisk(budget)
    with pytest.raises(ExportError) as caught:
        export_support_bundle(stick, data_dir=data, config=config, clock=lambda: NOW, opener=disk)
    assert caught.value.code == "disk_full"
    assert "空间不足" in caught.value.message
    assert "full" in caught.value.message
    assert disk.opened  # it did start writing
    assert list(stick.iterdir()) == []


def test_an_unwritable_folder_gives_a_clear_message(tmp_path: Path) -> None:
    data, config = make_data_dir(tmp_path)

    def refuse(path: Path) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(ExportError) as caught:
        export_support_bundle(stick, data_dir=data, config=config, clock=lambda: NOW, opener=refuse)
    assert caught.value.code == "not_writable"
    assert list(stick.iterdir()) == []


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    data, config = make_data_dir(tmp_path)
    with pytest.raises(ExportError) as caught:
        export_support_bundle(tmp_path / "unplugged", data_dir=data, config=config)
    assert caught.value.code == "missing"


def test_write_json_atomically(tmp_path: Path) -> None:
    path = write_json_atomically(tmp_path, "x.json", {"a": 1})
    assert json.loads(path.read_text("utf-8")) == {"a": 1}
    with pytest.raises(ExportError) as caught:
        write_json_atomically(tmp_path, "y.json", {"a": "x" * 100}, opener=FullDisk(10))
    assert caught.value.code == "disk_full"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_removable_targets_lists_mounted_folders_only(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "USB1").mkdir(parents=True)
    (media / "kiosk" / "STICK").mkdir(parents=True)
    (media / "notmounted").mkdir()
    run = tmp_path / "run" / "media" / "kiosk" / "DRIVE"
    run.mkdir(parents=True)
    mounted = {str(media / "USB1"), str(media / "kiosk" / "STICK"), str(run)}
    found = removable_targets((f"{media}/*", f"{media}/*/*", f"{tmp_path}/run/media/*/*"),
                              is_mount=lambda p: p in mounted)
    assert [str(p) for p in found] == sorted(mounted)
    assert removable_targets((f"{tmp_path}/absent/*",)) == []
