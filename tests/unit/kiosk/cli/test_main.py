from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.cli import main as cli

REPO = Path(__file__).resolve().parents[4]


def test_config_check_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "check", str(REPO / "docs" / "kiosk.example.toml")]) == 0
    assert "configuration OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[devices.printer]\nqueu = "Office"\n', "devices.printer.queu"),
        ("[session]\nidle_timeout_s = \"ninety\"\n", "session.idle_timeout_s"),
    ],
)
def test_config_check_rejects_and_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["config", "check", str(path)]) == cli.EXIT_CONFIG
    assert key in capsys.readouterr().err


def test_bad_config_stops_run_before_any_window(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.toml"
    path.write_text("[ui]\nwidth = 10\n", encoding="utf-8")
    assert cli.main(["--config", str(path), "run"]) == cli.EXIT_CONFIG
    assert "ui.width" in capsys.readouterr().err


def test_console_script_version_without_qt() -> None:
    # A subprocess, so we can see that `kiosk --version` and `config check` never load Qt.
    code = (
        "import sys; from kiosk.cli import main as cli\n"
        "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == f"kiosk {__version__}"


def test_no_display_is_reported_not_aborted(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "demo"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )
    assert out.returncode == 4
    assert "no display" in out.stderr


def test_devices_list_shows_each_role_and_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "k.toml"
    config.write_text('[devices.printer]\nbackend = "simulated"\nqueue = "Front"\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path), "devices", "list", "--json"]) == 0
    rows = {row["role"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["printer"]["backend"] == "simulated"
    assert rows["printer"]["settings"]["queue"] == "Front"
    assert rows["idcard"]["backend"] == "serial"


def test_config_saved_in_the_data_dir_is_read_without_config_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The setup screen saves to <data dir>/kiosk.toml when the kiosk was started without --config.
    (tmp_path / "kiosk.toml").write_text('[devices.printer]\nbackend = "none"\n', encoding="utf-8")
    assert cli.saved_config_path(tmp_path) == tmp_path / "kiosk.toml"
    assert cli.main(["--data-dir", str(tmp_path), "devices", "list"]) == 0
    printer = next(line for line in capsys.readouterr().out.splitlines() if "printer" in line)
    assert "none" in printer


def test_no_saved_config_means_defaults(tmp_path: Path) -> None:
    assert cli.saved_config_path(tmp_path) is None


def test_a_bug_in_any_command_leaves_its_traceback_in_the_kiosk_log(tmp_path: Path) -> None:
    # A separate process: the hook acts only on what nothing caught, at the very top of the interpreter.
    script = (
        "import kiosk.cli.sync\n"
        "def sync_status_with_a_bug(*args):\n"
        "    return 1 / 0\n"
        "kiosk.cli.sync.run = sync_status_with_a_bug\n"
        "from kiosk.cli.main import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'sync', 'status'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60,
                          check=False)
    assert done.returncode == 1
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "CRITICAL kiosk.crash: uncaught exception: ZeroDivisionError" in log
    assert "sync_status_with_a_bug" in log
    # The person at the console is told where to look; the traceback itself went to the log only.
    assert "internal error (ZeroDivisionError)" in done.stderr
    assert "Traceback" not in done.stderr
