"""The kiosk as systemd runs it, and the PyInstaller bundle (dist/kiosk, built by scripts/build).

The systemd contract (packaging/kiosk.service) is checked on the checkout's `python -m kiosk` and, when
the bundle exists, on the bundle: READY=1 after the home screen, WATCHDOG=1 pings, and SIGTERM ending
in STOPPING=1 and exit 0. The bundle tests are skipped unless it was built: building takes about half a
minute and is CI's job (scripts/ci_bundle.sh, after the test suite); run `bash scripts/build` first.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "kiosk" / "kiosk"
needs_bundle = pytest.mark.skipif(not BUNDLE.exists(), reason="no bundle: run `bash scripts/build` first")

pytestmark = pytest.mark.slow

COMMANDS = {
    "source": [sys.executable, "-m", "kiosk"],
    "bundle": [str(BUNDLE)],
}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # As systemd would start it: no venv on PATH, a home of its own, offscreen instead of the X session.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "XDG_RUNTIME_DIR": str(tmp_path)}
    return env | extra


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BUNDLE), "--data-dir", str(tmp_path / "data"), *args], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False)


@needs_bundle
def test_bundle_self_test_shows_the_home_screen(tmp_path: Path) -> None:
    result = _run(tmp_path, "demo", "--self-test")
    assert result.returncode == 0, result.stderr
    assert "self-test: ok, home screen shown" in result.stdout
    # The print font is the bundle's own copy, not whatever the system has.
    assert f"{BUNDLE.parent}/_internal/fonts/" in result.stdout


@needs_bundle
def test_bundle_renders_a_form_and_checks_a_config(tmp_path: Path) -> None:
    example = _run(tmp_path, "config", "example")
    assert example.returncode == 0, example.stderr
    config = tmp_path / "kiosk.toml"
    config.write_text(example.stdout, encoding="utf-8")
    assert _run(tmp_path, "config", "check", str(config)).returncode == 0
    rendered = _run(tmp_path, "forms", "render", "shengyu_dengji", "--out", str(tmp_path / "form.pdf"))
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "form.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["source", pytest.param("bundle", marks=needs_bundle)])
def test_systemd_contract_ready_pings_and_a_clean_sigterm(tmp_path: Path, kind: str) -> None:
    if len(str(tmp_path)) > 90:
        pytest.skip("tmp_path too long for an AF_UNIX socket path")
    notify = tmp_path / "notify"
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(notify))
    # Generous: the first message waits for the whole start-up on a loaded CI machine.
    systemd.settimeout(60)
    config = tmp_path / "kiosk.toml"
    # `run` with every device simulated: the lock-down is on, and SIGTERM must still get through it.
    config.write_text(
        "".join(f'[devices.{k}]\nbackend = "simulated"\n' for k in ("idcard", "citizencard", "printer",
                                                                  "camera", "scanner")),
        encoding="utf-8",
    )
    # WatchdogSec=2 s: a ping every second.
    env = _env(tmp_path, NOTIFY_SOCKET=str(notify), WATCHDOG_USEC="2000000")
    if kind == "source":
        env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [*COMMANDS[kind], "--config", str(config), "--data-dir", str(tmp_path / "data"), "run"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert systemd.recv(4096).startswith(b"READY=1")
        assert systemd.recv(4096) == b"WATCHDOG=1"
        # WATCHDOG_PID is not set, so any process may ping; systemd sets it to the main PID.
        process.send_signal(signal.SIGTERM)
        while (message := systemd.recv(4096)) == b"WATCHDOG=1":
            pass
        assert message == b"STOPPING=1"
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        systemd.close()
