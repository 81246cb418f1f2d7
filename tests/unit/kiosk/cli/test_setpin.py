"""`kiosk set-pin`: scripted with --stdin, interactive with getpass, and refusing bad PINs."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from kiosk.cli import setpin as cli_setpin
from kiosk.technician.pin import PIN_FILE, TechnicianPin

REPO = Path(__file__).resolve().parents[4]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    replies: Iterator[str] = iter(answers)
    monkeypatch.setattr(cli_setpin.getpass, "getpass", lambda prompt="": next(replies))


def test_set_pin_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, "480713\n")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin", "--stdin"]) == cli_setpin.EXIT_OK
    out = capsys.readouterr().out
    assert "已设置" in out
    assert "set" in out
    assert "480713" not in out
    assert TechnicianPin(tmp_path).verify("480713").accepted
    assert "480713" not in (tmp_path / PIN_FILE).read_text(encoding="utf-8")


def test_set_pin_interactively_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    _typed(monkeypatch, "480713", "480713")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin"]) == cli_setpin.EXIT_OK
    _typed(monkeypatch, "592604", "592604")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin"]) == cli_setpin.EXIT_OK
    assert "已更换" in capsys.readouterr().out
    assert TechnicianPin(tmp_path).verify("592604").accepted


def test_mismatch_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _typed(monkeypatch, "480713", "480731")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin"]) == cli_setpin.EXIT_USAGE
    assert "不一致" in capsys.readouterr().err
    assert not TechnicianPin(tmp_path).is_set()


@pytest.mark.parametrize(("pin", "reason"), [("123456", "123456"), ("12345", "6 to 12"), ("111111", "repeated"),
                                             ("48 0713", "digits only")])
def test_invalid_pin_is_refused_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], pin: str, reason: str) -> None:
    _stdin(monkeypatch, pin + "\n")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin", "--stdin"]) == cli_setpin.EXIT_USAGE
    err = capsys.readouterr().err
    assert "PIN 不符合要求" in err
    assert reason in err
    assert not TechnicianPin(tmp_path).is_set()


def test_empty_stdin_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin", "--stdin"]) == cli_setpin.EXIT_USAGE


def test_an_unwritable_data_dir_fails_and_keeps_the_old_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    TechnicianPin(tmp_path).set_pin("480713")

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.technician.config_write.os.replace", no_space)
    _stdin(monkeypatch, "592604\n")
    assert cli.main(["--data-dir", str(tmp_path), "set-pin", "--stdin"]) == cli_setpin.EXIT_FAILED
    assert "No space left" in capsys.readouterr().err
    monkeypatch.undo()
    assert TechnicianPin(tmp_path).verify("480713").accepted


def test_console_command_without_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from kiosk.cli import main as cli\n"
        f"rc = cli.main(['--data-dir', {str(tmp_path)!r}, 'set-pin', '--stdin'])\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input="480713\n", capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    assert TechnicianPin(tmp_path).is_set()


def test_run_as_root_the_files_go_to_the_data_dir_owner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kiosk runs as its own user: a root-owned 0600 PIN file would lock it out of its own PIN.
    TechnicianPin(tmp_path).set_pin("480713")
    pin_file, audit = tmp_path / PIN_FILE, tmp_path / "audit.log"
    real_stat = Path.stat
    owners = {tmp_path: 1001, pin_file: 0, audit: 0}

    class Owned:
        def __init__(self, uid: int) -> None:
            self.st_uid, self.st_gid = uid, uid

    def fake_stat(self: Path, **kwargs: object) -> object:
        return Owned(owners[self]) if self in owners else real_stat(self)

    chowned: list[tuple[Path, int, int]] = []
    monkeypatch.setattr(cli_setpin.os, "geteuid", lambda: 0)
    monkeypatch.setattr(cli_setpin.os, "chown", lambda p, u, g: chowned.append((p, u, g)))
    monkeypatch.setattr(Path, "stat", fake_stat)
    cli_setpin.hand_over_to_data_dir_owner(tmp_path, [pin_file, audit, tmp_path / "missing"])
    assert chowned == [(pin_file, 1001, 1001), (audit, 1001, 1001)]
    chowned.clear()
    monkeypatch.setattr(cli_setpin.os, "geteuid", lambda: 1001)
    cli_setpin.hand_over_to_data_dir_owner(tmp_path, [pin_file, audit])
    assert chowned == []
