"""`kiosk config check` and every command's start refuse the configurations that broke the kiosk later:
exit 3 with a message naming the key, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main as cli

REPO = Path(__file__).resolve().parents[4]

# The values the issue found `config check` saying OK to, and the key each message must name.
BAD_CONFIGS = [
    ("[platform]\nurl = \"https://p.example\"\nconnect_timeout_s = nan\n", "platform.connect_timeout_s",
     "must be a finite number"),
    ("[sync]\ninterval_s = nan\n", "sync.interval_s", "must be a finite number"),
    ("[sync]\nheartbeat_interval_s = inf\n", "sync.heartbeat_interval_s", "must be a finite number"),
    ("[ui]\nwidth = 9223372036854775807\n", "ui.width", "must be at most 8192"),
    ("[session]\nidle_timeout_s = 3000000\n", "session.idle_timeout_s", "must be at most 3600"),
    ('[terminal]\nid = "T\\u00000001"\n', "terminal.id", "only printable characters"),
    ('[platform]\ntoken_file = "../../../../etc/shadow"\n', "platform.token_file",
     "must stay inside the data directory"),
    ('[platform]\nurl = "http://203.0.113.5:8080"\ntoken_file = "platform.token"\n', "platform.url",
     "plain http://"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "x (line 1)", "nested too deeply"),
]


@pytest.mark.parametrize(("text", "key", "why"), BAD_CONFIGS, ids=[key for _, key, _ in BAD_CONFIGS])
def test_config_check_refuses_and_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, why: str,
) -> None:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["--data-dir", str(tmp_path / "data"), "config", "check", str(path)]) == cli.EXIT_CONFIG
    captured = capsys.readouterr()
    assert f"invalid configuration: {path}" in captured.err
    problem = next(line for line in captured.err.splitlines() if key in line)
    assert why in problem
    assert "configuration OK" not in captured.out


@pytest.mark.parametrize(("text", "key", "why"), BAD_CONFIGS, ids=[key for _, key, _ in BAD_CONFIGS])
def test_every_command_refuses_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, why: str,
) -> None:
    # `sync now` met connect_timeout_s = nan with a ValueError traceback; now it never gets that far.
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["--config", str(path), "--data-dir", str(tmp_path / "data"), "sync", "now"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert key in err
    assert why in err


@pytest.mark.parametrize("text", [text for text, _, _ in BAD_CONFIGS[3:5]], ids=["ui.width", "session.idle_timeout_s"])
def test_kiosk_run_refuses_before_any_window(tmp_path: Path, text: str) -> None:
    # A process of its own: before the loader knew these bounds, this reached Qt and ended in an
    # OverflowError traceback (ui/app.py, ui/session_ui.py).
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path), "--data-dir", str(tmp_path / "data"), "run"],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == cli.EXIT_CONFIG, done.stderr
    assert "invalid configuration" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_lab_override_is_accepted_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.toml"
    path.write_text('[platform]\nurl = "http://203.0.113.5:8080"\nallow_insecure_http = true\n', encoding="utf-8")
    assert cli.main(["--data-dir", str(tmp_path), "config", "check", str(path)]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "configuration OK" in captured.out
    assert "WARNING: platform.allow_insecure_http = true" in captured.err
    assert "203.0.113.5" in captured.err


def test_loopback_http_needs_no_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.toml"
    path.write_text('[platform]\nurl = "http://127.0.0.1:8080"\ntoken_file = "platform.token"\n', encoding="utf-8")
    assert cli.main(["--data-dir", str(tmp_path), "config", "check", str(path)]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "configuration OK" in captured.out
    assert captured.err == ""


def test_a_token_file_linked_out_of_the_data_dir_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "platform.token").symlink_to("/etc/shadow")
    path = tmp_path / "k.toml"
    path.write_text('[platform]\ntoken_file = "platform.token"\n', encoding="utf-8")
    assert cli.main(["--data-dir", str(data), "config", "check", str(path)]) == cli.EXIT_CONFIG
    assert "platform.token_file: must stay inside the data directory" in capsys.readouterr().err
