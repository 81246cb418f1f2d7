"""Writing the config file: the loader's validation, atomicity under injected failures, mode, kept keys."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import Config, ConfigError, Language, example_toml, load_config
from kiosk.technician import config_write
from kiosk.technician.config_write import (
    ConfigWriteError,
    apply_changes,
    changed_keys,
    config_target,
    mask_secret,
    render,
    resolve_secret_path,
    write_config,
    write_secret,
)

REPO = Path(__file__).resolve().parents[4]

HAND_WRITTEN = """\
# Terminal of the Xishan community centre; maintained by the county IT office.
[terminal]
id = "T0042"  # issued by the platform
station = "西山社区"

[devices.idcard]
backend = "serial"
port = "/dev/ttyUSB0"   # the grey reader

[devices.printer]
queue = "Front"
"""


def test_changes_are_written_and_other_keys_and_comments_kept(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = write_config(path, {"devices.idcard.port": "/dev/ttyS1", "devices.camera.backend": "simulated"})
    text = path.read_text(encoding="utf-8")
    assert "# Terminal of the Xishan community centre" in text
    assert 'id = "T0042"  # issued by the platform' in text
    config = load_config(path)
    assert config == result.config
    assert config.devices.idcard.port == "/dev/ttyS1"
    assert config.devices.camera.backend == "simulated"
    assert config.terminal.station == "西山社区"
    assert config.devices.printer.queue == "Front"
    assert result.changed == ("devices.idcard.port", "devices.camera.backend")


def test_a_new_file_is_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "kiosk.toml"
    result = write_config(path, {"terminal.language": Language.EN, "ui.volume": 0.5})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert result.config.terminal.language is Language.EN
    assert result.config.ui.volume == 0.5
    assert not [p for p in path.parent.iterdir() if p.name != "kiosk.toml"]  # no temporary file left


def test_an_existing_file_becomes_0600(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    path.chmod(0o644)
    write_config(path, {"terminal.station": "东山"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_bad_value_gives_the_loaders_message_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ConfigError) as info:
        write_config(path, {"session.idle_timeout_s": 3})
    assert "session.idle_timeout_s: must be at least 15, got 3" in str(info.value)
    assert str(path) in str(info.value)
    with pytest.raises(ConfigError, match=r"devices\.idcard\.backend: expected"):
        write_config(path, {"devices.idcard.backend": "usb"})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml"]


@pytest.mark.parametrize("victim", ["replace", "fsync", "write"])
def test_a_failure_during_the_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, victim: str,
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if victim == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, handle: object) -> None:
                self.handle = handle

            def __enter__(self) -> Failing:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()  # type: ignore[attr-defined]

            def fileno(self) -> int:
                return self.handle.fileno()  # type: ignore[attr-defined,no-any-return]

            def write(self, data: bytes) -> None:
                self.handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
                boom()

        monkeypatch.setattr(config_write.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(config_write.os, victim, boom)
    with pytest.raises(ConfigWriteError, match="No space left on device"):
        write_config(path, {"devices.idcard.port": "/dev/ttyS9"})
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml"]


def test_the_written_file_passes_kiosk_config_check(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(example_toml(), encoding="utf-8")
    write_config(path, {"devices.idcard.port": '/dev/serial/by-id/usb-"odd" name\\x', "terminal.station": '站"二\\'})
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "config", "check", str(path)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "configuration OK" in done.stdout
    assert load_config(path).devices.idcard.port == '/dev/serial/by-id/usb-"odd" name\\x'
    assert load_config(path).terminal.station == '站"二\\'


def test_a_line_break_in_a_value_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    # A station name is printed on every receipt: a line break there is a mistake, not a format.
    path = tmp_path / "kiosk.toml"
    path.write_text(example_toml(), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"terminal\.station: only printable characters .* U\+000A"):
        write_config(path, {"terminal.station": "站\n二"})
    assert path.read_text(encoding="utf-8") == example_toml()


def test_files_the_line_editor_cannot_follow_are_rewritten_whole(tmp_path: Path) -> None:
    text = 'devices.idcard = { port = "/dev/ttyS0" }\nterminal = { id = "T9" }\n'
    new = render(text, {"devices.idcard.port": "/dev/ttyS3"})
    path = tmp_path / "k.toml"
    path.write_text(new, encoding="utf-8")
    config = load_config(path)
    assert config.devices.idcard.port == "/dev/ttyS3"
    assert config.terminal.id == "T9"


def test_apply_changes_and_changed_keys() -> None:
    old = Config()
    new = apply_changes(old, {"devices.printer.queue": "KioskPDF", "ui.volume": 0.8})
    assert new.devices.printer.queue == "KioskPDF"
    assert changed_keys(old, new) == ("devices.printer.queue",)
    with pytest.raises(ConfigError, match=r"ui\.volume: must be at most 1\.0"):
        apply_changes(old, {"ui.volume": 2.0})


def test_target_falls_back_to_the_data_dir(tmp_path: Path) -> None:
    assert config_target(tmp_path / "a.toml", tmp_path / "data") == (tmp_path / "a.toml", False)
    assert config_target(None, tmp_path / "data") == (tmp_path / "data" / "kiosk.toml", True)


def test_secret_is_written_0600_and_masked(tmp_path: Path) -> None:
    path = resolve_secret_path("platform.token", tmp_path)
    assert path == (tmp_path / "platform.token").resolve()
    write_secret(path, "tok-0123456789abcdef\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == "tok-0123456789abcdef\n"
    assert mask_secret("tok-0123456789abcdef") == "••••••••cdef"
    assert mask_secret("short") == "••••••••"
    assert mask_secret("") == ""
    assert resolve_secret_path(str(tmp_path / "keys" / "token"), tmp_path) == (tmp_path / "keys" / "token").resolve()


@pytest.mark.parametrize("token_file", ["../../../../etc/shadow", "/etc/kiosk/token", "keys/../../outside"])
def test_the_token_is_never_written_outside_the_data_dir(tmp_path: Path, token_file: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(ConfigError, match=r"platform\.token_file: must stay inside the data directory"):
        resolve_secret_path(token_file, data)


def test_a_symlink_out_of_the_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "platform.token").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match=r"platform\.token_file: must stay inside"):
        resolve_secret_path("platform.token", data)
    assert not (tmp_path / "elsewhere").exists()
