"""kiosk/crash.py: uncaught exceptions of any thread reach the kiosk log with their traceback, scrubbed;
typed failures are told from bugs; the systemd unit restarts the kiosk after `kiosk run` exits on one."""

from __future__ import annotations

import errno
import logging
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from drivers.errors import DeviceTimeout
from kiosk import crash
from kiosk.config import ConfigError
from kiosk.platform.errors import PlatformUnavailable
from offline_cache.errors import DiskFullError

ID = "330106199001010014"
PHONE = "13800138000"
REPO = Path(__file__).resolve().parents[3]


def _looks_up_resident(record: dict[str, str]) -> str:
    return record[f"resident {ID} phone {PHONE}"]


def _uncaught() -> tuple[type[BaseException], BaseException, Any]:
    try:
        _looks_up_resident({})
    except KeyError:
        info = sys.exc_info()
    assert info[0] is not None
    assert info[1] is not None
    return info[0], info[1], info[2]


def _assert_scrubbed_traceback(text: str, function: str, kind: str) -> None:
    assert "Traceback (most recent call last)" in text
    assert function in text
    assert kind in text
    assert ID not in text
    assert PHONE not in text
    assert "330106********0014" in text
    assert "138****8000" in text


def test_the_excepthook_writes_the_scrubbed_traceback_to_the_kiosk_log(
    crash_hooks: None, kiosk_log: Path, expected_logs: Any, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: KeyError")
    sys.excepthook(*_uncaught())
    _assert_scrubbed_traceback(kiosk_log.read_text(encoding="utf-8"), "_looks_up_resident", "KeyError")
    [record] = [r for r in caplog.records if r.name == "kiosk.crash"]
    assert record.levelno == logging.CRITICAL
    # The traceback is in the message, masked; no handler gets the exception to format on its own.
    assert record.exc_info is None
    _assert_scrubbed_traceback(record.getMessage(), "_looks_up_resident", "KeyError")
    err = capsys.readouterr().err
    assert "internal error (KeyError)" in err
    assert ID not in err
    assert PHONE not in err


def test_the_traceback_is_masked_before_any_handler_sees_it() -> None:
    # Without kiosk.logsetup's record factory too: an exception before logging is set up goes to
    # logging's last-resort handler, which masks nothing.
    _assert_scrubbed_traceback(crash.traceback_text(_uncaught()[1]), "_looks_up_resident", "KeyError")


def test_a_plain_thread_that_dies_leaves_its_scrubbed_traceback(
    crash_hooks: None, kiosk_log: Path, expected_logs: Any
) -> None:
    expected_logs("kiosk.crash", "uncaught exception in thread sync-engine")

    def sync_round() -> None:
        raise ValueError(f"no outbox item for {ID}, courier {PHONE}")

    thread = threading.Thread(target=sync_round, name="sync-engine")
    thread.start()
    thread.join()
    _assert_scrubbed_traceback(kiosk_log.read_text(encoding="utf-8"), "sync_round", "ValueError")


def test_a_thread_ending_itself_with_system_exit_is_not_a_bug(
    crash_hooks: None, caplog: pytest.LogCaptureFixture
) -> None:
    thread = threading.Thread(target=sys.exit, name="quits")
    thread.start()
    thread.join()
    assert not [r for r in caplog.records if r.name == "kiosk.crash"]


def test_ctrl_c_is_not_logged_as_a_bug(crash_hooks: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "kiosk.crash")
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "kiosk.crash"] == [
        (logging.INFO, "interrupted")]


def test_actions_run_after_the_log_line_and_only_inside_their_block(
    crash_hooks: None, caplog: pytest.LogCaptureFixture, expected_logs: Any
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: KeyError")
    expected_logs("kiosk.crash", "the action after an uncaught exception failed: RuntimeError")
    seen: list[tuple[str, int]] = []

    def restart(exc: BaseException) -> None:
        seen.append((type(exc).__name__, len(caplog.records)))

    def broken(_exc: BaseException) -> None:
        raise RuntimeError("the action itself is broken")

    with crash.on_uncaught(broken), crash.on_uncaught(restart):
        sys.excepthook(*_uncaught())
    # The failing action did not keep the next one from running, and the bug was logged before either.
    assert seen == [("KeyError", 2)]
    assert caplog.records[0].getMessage().startswith("uncaught exception: KeyError")
    sys.excepthook(*_uncaught())
    assert seen == [("KeyError", 2)]


@pytest.mark.parametrize("exc", [
    DeviceTimeout("the reader did not answer"),
    DiskFullError("database or disk is full"),
    PlatformUnavailable("timed out", code="timeout"),
    ConfigError(["ui.width: not a number"], "kiosk.toml"),
])
def test_typed_failures_are_expected(exc: Exception) -> None:
    assert crash.is_expected(exc)


@pytest.mark.parametrize("exc", [ZeroDivisionError(), KeyError("x"), AttributeError("x"), OSError(errno.ENOSPC, "")])
def test_anything_else_is_a_bug(exc: Exception) -> None:
    assert not crash.is_expected(exc)


def test_a_call_may_name_what_else_it_expects() -> None:
    disk_full = OSError(errno.ENOSPC, "No space left on device", "/media/usb/张三.zip")
    assert crash.is_expected(disk_full, (OSError,))
    assert not crash.is_expected(ZeroDivisionError(), (OSError,))


def test_error_codes_name_the_failure_never_its_message() -> None:
    assert crash.error_code(DeviceTimeout("the reader did not answer")) == "device.timeout"
    assert crash.error_code(OSError(errno.ENOSPC, "No space left", "/media/usb/张三.zip")) == "ENOSPC"
    assert crash.error_code(PlatformUnavailable("timed out", code="timeout")) == "timeout"
    assert crash.error_code(ZeroDivisionError()) == ""


def _unit_service_section() -> dict[str, str]:
    values: dict[str, str] = {}
    section = ""
    for line in (REPO / "packaging" / "kiosk.service").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = values.get(key, "") + " " + value
    return values


def test_the_unit_restarts_the_kiosk_after_it_exits_on_a_bug() -> None:
    service = _unit_service_section()
    # on-failure and always restart on an unclean exit code; on-abnormal and on-watchdog would not.
    assert service["Restart"].strip() in ("on-failure", "always")
    for key in ("SuccessExitStatus", "RestartPreventExitStatus"):
        assert str(crash.EXIT_BUG) not in service.get(key, "").split()
    assert crash.EXIT_BUG not in (0, 1, 2, 3, 4)  # success, Python's own, usage, configuration, display
