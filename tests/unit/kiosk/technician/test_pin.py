"""The technician PIN: hashed with scrypt, never stored in clear, locked after repeated failures."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.technician.audit import audit_log_for
from kiosk.technician.pin import (
    FREE_FAILURES,
    LOCK_FILE,
    PIN_FILE,
    Outcome,
    PinRuleError,
    TechnicianPin,
    check_pin_rules,
    lock_duration,
)

PIN = "480713"


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> TechnicianPin:
    pin = TechnicianPin(tmp_path, clock=clock)
    pin.set_pin(PIN)
    return pin


def _fail_until_locked(store: TechnicianPin) -> None:
    for _ in range(FREE_FAILURES):
        store.verify("000001")


def test_hash_format_carries_its_parameters_and_never_the_pin(store: TechnicianPin, tmp_path: Path) -> None:
    raw = json.loads((tmp_path / PIN_FILE).read_text(encoding="utf-8"))
    assert raw["algorithm"] == "scrypt"
    assert (raw["n"], raw["r"], raw["p"]) == (2**14, 8, 1)
    salt = base64.b64decode(raw["salt"])
    assert len(salt) == 16
    expected = hashlib.scrypt(PIN.encode(), salt=salt, n=raw["n"], r=raw["r"], p=raw["p"], dklen=32)
    assert base64.b64decode(raw["hash"]) == expected
    assert stat.S_IMODE((tmp_path / PIN_FILE).stat().st_mode) == 0o600
    for path in tmp_path.iterdir():  # the PIN file, the audit log: the PIN appears in none
        assert PIN not in path.read_text(encoding="utf-8")


def test_each_set_uses_a_fresh_salt(store: TechnicianPin, tmp_path: Path) -> None:
    first = json.loads((tmp_path / PIN_FILE).read_text(encoding="utf-8"))
    store.set_pin(PIN)
    second = json.loads((tmp_path / PIN_FILE).read_text(encoding="utf-8"))
    assert first["salt"] != second["salt"]
    assert first["hash"] != second["hash"]


def test_right_pin_is_accepted_and_wrong_counts_down(store: TechnicianPin) -> None:
    assert store.verify(PIN).outcome is Outcome.ACCEPTED
    wrong = store.verify("480714")
    assert wrong.outcome is Outcome.WRONG
    assert wrong.attempts_left == FREE_FAILURES - 1
    assert store.verify("not digits").attempts_left == FREE_FAILURES - 2


def test_five_wrong_lock_and_the_right_pin_is_refused_while_locked(store: TechnicianPin, clock: FakeClock) -> None:
    results = [store.verify("111112") for _ in range(FREE_FAILURES)]
    assert [r.attempts_left for r in results[:-1]] == [4, 3, 2, 1]
    assert results[-1].outcome is Outcome.LOCKED
    assert results[-1].locked_for_s == 30
    assert store.locked_for() == 30
    assert store.verify(PIN).outcome is Outcome.LOCKED  # not even checked
    clock.now += 10
    assert store.locked_for() == 20
    clock.now += 20
    assert store.locked_for() == 0
    assert store.verify(PIN).accepted


def test_delays_double_after_each_further_failure_up_to_an_hour(store: TechnicianPin, clock: FakeClock) -> None:
    _fail_until_locked(store)
    seen = []
    for _ in range(9):
        clock.now += store.locked_for()
        result = store.verify("111112")
        assert result.outcome is Outcome.LOCKED
        seen.append(result.locked_for_s)
    assert seen == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert lock_duration(4) == 0
    assert lock_duration(5) == 30


def test_lockout_survives_a_restart(store: TechnicianPin, tmp_path: Path, clock: FakeClock) -> None:
    for _ in range(3):
        store.verify("111112")
    again = TechnicianPin(tmp_path, clock=clock)
    assert again.attempts_left() == 2
    again.verify("111112")
    again.verify("111112")
    third = TechnicianPin(tmp_path, clock=clock)
    assert third.locked_for() == 30
    assert third.verify(PIN).outcome is Outcome.LOCKED


def test_the_right_pin_resets_the_count(store: TechnicianPin, tmp_path: Path) -> None:
    for _ in range(4):
        store.verify("111112")
    assert store.verify(PIN).accepted
    assert not (tmp_path / LOCK_FILE).exists()
    assert store.verify("111112").attempts_left == FREE_FAILURES - 1


def test_setting_a_new_pin_clears_a_lock(store: TechnicianPin) -> None:
    _fail_until_locked(store)
    store.set_pin("592604")
    assert store.locked_for() == 0
    assert store.verify("592604").accepted
    assert store.verify(PIN).outcome is Outcome.WRONG


def test_a_clock_set_back_does_not_stretch_the_lock(store: TechnicianPin, clock: FakeClock) -> None:
    _fail_until_locked(store)
    clock.now -= 86_400
    assert store.locked_for() == 30


def test_a_damaged_lock_file_leaves_one_attempt(
    store: TechnicianPin, tmp_path: Path, expected_logs: Any,
) -> None:
    expected_logs("kiosk.technician.pin", "lock file unreadable")
    (tmp_path / LOCK_FILE).write_text("{garbage", encoding="utf-8")
    assert store.attempts_left() == 1
    assert store.verify("111112").outcome is Outcome.LOCKED


def test_no_pin_set_refuses_everything(tmp_path: Path) -> None:
    store = TechnicianPin(tmp_path)
    assert not store.is_set()
    for guess in ("000000", "123456", "", PIN):
        assert store.verify(guess).outcome is Outcome.NOT_SET
    assert not (tmp_path / PIN_FILE).exists()


def test_a_damaged_pin_file_counts_as_not_set(tmp_path: Path, expected_logs: Any) -> None:
    expected_logs("kiosk.technician.pin", "malformed")
    (tmp_path / PIN_FILE).write_text(json.dumps({"algorithm": "scrypt", "n": 2**40, "r": 8, "p": 1,
                                                  "salt": "AAAA", "hash": "AAAA"}), encoding="utf-8")
    store = TechnicianPin(tmp_path)
    assert not store.is_set()
    assert store.verify(PIN).outcome is Outcome.NOT_SET


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("12345", "length"),
        ("1234567890123", "length"),
        ("", "length"),
        ("12a456", "not_digits"),
        ("４８０７１３", "not_digits"),  # full-width digits are digits to Python, not to the pad
        ("000000", "repeated"),
        ("777777777", "repeated"),
        ("123456", "sequence"),
        ("654321", "sequence"),
        ("890123", "sequence"),
        ("3456789012", "sequence"),
    ],
)
def test_pin_rules_name_the_reason(pin: str, code: str) -> None:
    with pytest.raises(PinRuleError) as info:
        check_pin_rules(pin)
    assert info.value.code == code
    assert info.value.message_zh
    assert info.value.message_en


@pytest.mark.parametrize("pin", ["480713", "112233", "135790", "000001", "123456789012"[:11] + "0"])
def test_pin_rules_accept_reasonable_pins(pin: str) -> None:
    check_pin_rules(pin)


def test_an_invalid_pin_is_not_stored(tmp_path: Path) -> None:
    store = TechnicianPin(tmp_path)
    with pytest.raises(PinRuleError):
        store.set_pin("123456")
    assert not store.is_set()


def test_a_failed_replace_leaves_the_old_pin(
    store: TechnicianPin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = (tmp_path / PIN_FILE).read_bytes()

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.technician.config_write.os.replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        store.set_pin("592604")
    monkeypatch.undo()
    assert (tmp_path / PIN_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PIN_FILE, "audit.log"])  # no temp file left
    assert store.verify(PIN).accepted


def test_every_check_is_audited_without_the_pin(store: TechnicianPin, tmp_path: Path) -> None:
    store.verify(PIN)
    for _ in range(FREE_FAILURES):
        store.verify("592604")
    store.verify(PIN)
    actions = [e.action for e in audit_log_for(tmp_path).tail()]
    assert actions == ["pin.set", "pin.accepted"] + ["pin.refused"] * 4 + ["pin.locked", "pin.refused"]
    text = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert PIN not in text
    assert "592604" not in text
    assert os.stat(tmp_path / "audit.log").st_mode & 0o077 == 0


# -- the lockout cannot be reset by deleting a file --------------------------------------------------


def test_deleting_the_lock_file_mid_lockout_changes_nothing(
    store: TechnicianPin, tmp_path: Path, clock: FakeClock,
) -> None:
    _fail_until_locked(store)
    (tmp_path / LOCK_FILE).unlink(missing_ok=True)
    assert store.locked_for() == 30
    assert store.attempts_left() == 0
    assert store.verify(PIN).outcome is Outcome.LOCKED
    restarted = TechnicianPin(tmp_path, clock=clock)
    assert restarted.locked_for() == 30
    assert restarted.verify(PIN).outcome is Outcome.LOCKED
    # When the lock ends the count goes on: the next wrong PIN locks again, for twice as long.
    clock.now += 31
    (tmp_path / LOCK_FILE).unlink(missing_ok=True)
    again = TechnicianPin(tmp_path, clock=clock).verify("111112")
    assert again.outcome is Outcome.LOCKED
    assert again.locked_for_s == 60


def test_deleting_the_lock_file_mid_count_keeps_the_count(store: TechnicianPin, tmp_path: Path) -> None:
    for _ in range(3):
        store.verify("111112")
    (tmp_path / LOCK_FILE).unlink(missing_ok=True)
    assert TechnicianPin(tmp_path).attempts_left() == FREE_FAILURES - 3


def test_deleting_the_pin_record_shuts_the_pad(store: TechnicianPin, tmp_path: Path) -> None:
    _fail_until_locked(store)
    (tmp_path / PIN_FILE).unlink()
    for guess in (PIN, "592604"):
        assert store.verify(guess).outcome is Outcome.NOT_SET


def test_a_lock_file_from_before_the_upgrade_is_honoured_then_folded_in(
    store: TechnicianPin, tmp_path: Path, clock: FakeClock,
) -> None:
    (tmp_path / LOCK_FILE).write_text(
        json.dumps({"failures": 5, "locked_until": clock.now + 30, "lock_s": 30}), encoding="utf-8")
    assert store.locked_for() == 30
    assert store.verify(PIN).outcome is Outcome.LOCKED
    clock.now += 31
    assert store.verify("111112").locked_for_s == 60  # the old count went on
    assert not (tmp_path / LOCK_FILE).exists()
    assert json.loads((tmp_path / PIN_FILE).read_text(encoding="utf-8"))["failures"] == 6


def test_a_garbled_count_in_the_record_leaves_one_attempt(
    store: TechnicianPin, tmp_path: Path, expected_logs: Any,
) -> None:
    expected_logs("kiosk.technician.pin", "lock state unreadable")
    store.verify("111112")
    record = json.loads((tmp_path / PIN_FILE).read_text(encoding="utf-8"))
    record["failures"] = "none"
    (tmp_path / PIN_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert store.attempts_left() == 1
    assert store.verify("111112").outcome is Outcome.LOCKED


def test_the_right_pin_writes_nothing_when_nothing_was_counted(store: TechnicianPin, tmp_path: Path) -> None:
    before = (tmp_path / PIN_FILE).stat().st_mtime_ns, (tmp_path / PIN_FILE).read_bytes()
    assert store.verify(PIN).accepted
    assert ((tmp_path / PIN_FILE).stat().st_mtime_ns, (tmp_path / PIN_FILE).read_bytes()) == before


def test_a_pin_set_during_a_check_is_not_undone_by_the_check(
    store: TechnicianPin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `kiosk set-pin` at the console while someone tries a PIN at the pad: the check rewrites the record
    # with its count, and must not put back the hash the new PIN has just replaced.
    from kiosk.technician import pin as pin_module

    console = TechnicianPin(tmp_path)
    setter = threading.Thread(target=console.set_pin, args=("592604",))
    waiting = threading.Event()
    real_flock, real_scrypt = pin_module.fcntl.flock, pin_module._scrypt

    def flock(fd: int, operation: int) -> None:
        if threading.current_thread() is setter:
            waiting.set()  # the console is about to wait for the check to finish
        real_flock(fd, operation)

    def scrypt(*args: Any) -> bytes:
        if threading.current_thread() is threading.main_thread() and not setter.is_alive():
            setter.start()
            assert waiting.wait(10)
        return real_scrypt(*args)

    monkeypatch.setattr(pin_module.fcntl, "flock", flock)
    monkeypatch.setattr(pin_module, "_scrypt", scrypt)
    assert store.verify("111112").outcome is Outcome.WRONG
    setter.join(10)
    assert not setter.is_alive()
    monkeypatch.undo()
    assert store.verify("592604").accepted
    assert store.attempts_left() == FREE_FAILURES
