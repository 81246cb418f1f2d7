"""The technician PIN: a salted scrypt hash on disk, checked in constant time, with a lockout.

The PIN opens the setup screen, where a technician can point the ID reader at another port or the
kiosk at another platform, so it is guarded like a password, not like a door code:

- stored as scrypt(PIN, 16 random bytes) in `technician_pin` (JSON, mode 0600) with its parameters,
  so a later release can raise them and still check PINs set before; the PIN itself is never written;
- no default: until `kiosk set-pin` has run, the pad refuses every PIN and says so;
- five wrong PINs in a row lock the pad for 30 s, each further wrong PIN doubles that up to an hour.
  The count and the end of the lock live in the same record as the hash, so neither pulling the power
  nor deleting a file buys another five guesses: without the record there is no PIN and the pad
  refuses everything until `kiosk set-pin` (which needs the console) sets one. The right PIN clears them;
- every check and every change is one line of the audit log (kiosk/technician/audit.py), never the PIN.

The record is replaced atomically (temp file in the same directory, fsync, os.replace): a crash
mid-write leaves the previous PIN, never half of one. A check and `kiosk set-pin` in another process
take an advisory lock on the data directory, so a check's rewrite of the count never puts back the hash
a new PIN just replaced. Qt-free; the screen runs `verify` on a worker thread because scrypt takes tens
of milliseconds by design.

Why the record and not a file of its own or the database: the count used to live in
`technician_pin_lock`, and deleting it ended a running lock with five fresh guesses. Anyone who can
delete or roll back a file in the data directory could as well replace the hash, so no place there
is safer than the hash's own record, and this one has the property that matters: removing the count
removes the PIN with it, which leaves the pad shut, not open. (kiosk.db would add a second store to
keep consistent and would tie the PIN pad to the cache being open.)
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import enum
import fcntl
import hashlib
import hmac
import itertools
import json
import logging
import math
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.technician.audit import AuditLog, audit_log_for
from kiosk.technician.config_write import atomic_write

log = logging.getLogger("kiosk.technician.pin")

PIN_FILE = "technician_pin"
# Where the count lived before it moved into PIN_FILE: still read (the stricter of the two wins), so a
# terminal upgraded in the middle of a lock stays locked, and removed at the next write.
LOCK_FILE = "technician_pin_lock"
_LOCK_KEYS = ("failures", "locked_until", "lock_s")

MIN_LENGTH = 6
MAX_LENGTH = 12
FREE_FAILURES = 5  # wrong PINs in a row before the first lock
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 3600.0

# Today's cost: ~16 MiB and ~50-100 ms on a kiosk's CPU. Stored with each hash so it may change.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# A hand-edited file must not make the kiosk allocate gigabytes: parameters beyond these are refused.
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16

Clock = Callable[[], float]


class PinRuleError(ValueError):
    """A PIN `set_pin` refuses, with a stable `code` and a Chinese + English reason."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


def check_pin_rules(pin: str) -> None:
    """Raises PinRuleError naming why `pin` is too easy to guess; returns if it is acceptable."""
    if pin and not (pin.isascii() and pin.isdigit()):
        raise PinRuleError("not_digits", "PIN 只能由数字组成", "the PIN must be digits only")
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise PinRuleError(
            "length",
            f"PIN 须为 {MIN_LENGTH} 到 {MAX_LENGTH} 位数字",
            f"the PIN must be {MIN_LENGTH} to {MAX_LENGTH} digits long",
        )
    if len(set(pin)) == 1:
        raise PinRuleError("repeated", "PIN 不能全是同一个数字", "the PIN must not be one digit repeated")
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    # 123456, 654321 and the wrapping 890123 are the first guesses anyone tries.
    if steps in ({1}, {9}):
        raise PinRuleError(
            "sequence", "PIN 不能是连续的数字（如 123456、654321）",
            "the PIN must not be a straight run such as 123456 or 654321",
        )


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


@dataclass(frozen=True)
class VerifyResult:
    outcome: Outcome
    attempts_left: int = 0  # WRONG: wrong PINs still allowed before the pad locks
    locked_for_s: float = 0.0  # LOCKED: seconds until the pad takes a PIN again

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED


@dataclass(frozen=True)
class _LockState:
    failures: int = 0
    locked_until: float = 0.0  # wall-clock seconds: must survive a restart, so not monotonic
    lock_s: float = 0.0  # the length of the current lock, which bounds it if the clock jumps back


def lock_duration(failures: int) -> float:
    """Seconds the pad stays locked after `failures` consecutive wrong PINs (0 before the fifth)."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_LOCK_S * 2.0 ** min(failures - FREE_FAILURES, 32), MAX_LOCK_S)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # OpenSSL needs about 128·r·(n + p) bytes; the default 32 MiB cap would refuse a raised n.
    maxmem = 2 * 128 * r * (n + p) + (1 << 20)
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=maxmem)


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Replaces `path` with `data` as JSON, mode 0600; on any failure the old file is left intact."""
    atomic_write(path, json.dumps(data).encode("utf-8"), mode=0o600)


class TechnicianPin:
    """The technician PIN of the terminal whose data directory is `data_dir`; thread-safe."""

    def __init__(self, data_dir: Path, *, clock: Clock = time.time, audit: AuditLog | None = None) -> None:
        self.data_dir = data_dir
        self.pin_path = data_dir / PIN_FILE
        self.lock_path = data_dir / LOCK_FILE
        self._clock = clock
        self._audit = audit if audit is not None else audit_log_for(data_dir)
        self._mutex = threading.Lock()

    # -- reading and writing the record ----------------------------------------------------------

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This object's threads and other processes (`kiosk set-pin`) one at a time on the record."""
        with self._mutex:
            fd: int | None = None
            with contextlib.suppress(FileNotFoundError):  # no data directory: no record to race over
                fd = os.open(self.data_dir, os.O_RDONLY | os.O_DIRECTORY)
            if fd is None:
                yield
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing drops the lock

    def _read_record(self) -> dict[str, Any] | None:
        """The stored record as JSON, or None when no PIN is set or the file cannot be read."""
        try:
            raw = json.loads(self.pin_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.error("technician PIN file unreadable (%s): run `kiosk set-pin` again", type(exc).__name__)
            return None
        if not isinstance(raw, dict):
            log.error("technician PIN file malformed (not an object): run `kiosk set-pin` again")
            return None
        return raw

    def _parse_hash(self, raw: dict[str, Any] | None) -> dict[str, Any] | None:
        """The hash and its parameters from the record, or None when no PIN is set or it cannot be trusted."""
        if raw is None:
            return None
        try:
            if raw["algorithm"] != "scrypt":
                raise ValueError("algorithm")
            n, r, p = int(raw["n"]), int(raw["r"]), int(raw["p"])
            if not (1 < n <= _MAX_N and n & (n - 1) == 0 and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
                raise ValueError("parameters")
            salt = base64.b64decode(raw["salt"], validate=True)
            digest = base64.b64decode(raw["hash"], validate=True)
            if len(salt) < SALT_BYTES or not 16 <= len(digest) <= 64:
                raise ValueError("sizes")
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            log.error("technician PIN file malformed (%s): run `kiosk set-pin` again", exc)
            return None
        return {"n": n, "r": r, "p": p, "salt": salt, "hash": digest}

    def _load_hash(self) -> dict[str, Any] | None:
        return self._parse_hash(self._read_record())

    def _lock_of(self, raw: dict[str, Any] | None) -> _LockState:
        """The lockout: the record's, or the old lock file's when that one is stricter."""
        state = _LockState()
        if raw is not None and any(key in raw for key in _LOCK_KEYS):
            try:
                state = _LockState(int(raw["failures"]), float(raw["locked_until"]), float(raw["lock_s"]))
                if not (state.failures >= 0 and math.isfinite(state.locked_until) and math.isfinite(state.lock_s)):
                    raise ValueError("out of range")
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                # A garbled count must not buy a fresh five guesses: one left before a lock.
                log.warning("technician PIN lock state unreadable (%s)", type(exc).__name__)
                state = _LockState(failures=FREE_FAILURES - 1)
        legacy = self._legacy_lock()
        if (legacy.failures, legacy.locked_until) > (state.failures, state.locked_until):
            return legacy
        return state

    def _legacy_lock(self) -> _LockState:
        try:
            raw = json.loads(self.lock_path.read_text(encoding="utf-8"))
            return _LockState(int(raw["failures"]), float(raw["locked_until"]), float(raw.get("lock_s", MAX_LOCK_S)))
        except FileNotFoundError:
            return _LockState()
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("technician PIN lock file unreadable (%s)", type(exc).__name__)
            return _LockState(failures=FREE_FAILURES - 1)

    def _save_lock(self, raw: dict[str, Any], state: _LockState) -> None:
        """Writes `state` into the record `raw` (read under the same `_exclusive`) and drops the old file."""
        record = {key: value for key, value in raw.items() if key not in _LOCK_KEYS}
        if state != _LockState():
            record.update(failures=state.failures, locked_until=state.locked_until, lock_s=state.lock_s)
        if record != raw:
            write_json_atomically(self.pin_path, record)
        self.lock_path.unlink(missing_ok=True)

    def _remaining(self, state: _LockState, now: float) -> float:
        # min(): a clock set back by hours must not stretch a 30 s lock into hours.
        return max(0.0, min(state.locked_until - now, state.lock_s))

    # -- public API ---------------------------------------------------------------------------------

    def is_set(self) -> bool:
        return self._load_hash() is not None

    def locked_for(self) -> float:
        """Seconds until the pad takes a PIN again; 0 when it is not locked."""
        with self._mutex:
            return self._remaining(self._lock_of(self._read_record()), self._clock())

    def attempts_left(self) -> int:
        """Wrong PINs still allowed before the next lock (0 while locked)."""
        with self._mutex:
            state = self._lock_of(self._read_record())
            if self._remaining(state, self._clock()) > 0:
                return 0
            return max(1, FREE_FAILURES - state.failures)

    def set_pin(self, pin: str) -> None:
        """Checks the PIN rules, stores a fresh salted hash and clears any lock; raises PinRuleError.

        OSError (a read-only or full disk) propagates: the old PIN then still holds.
        """
        check_pin_rules(pin)
        salt = secrets.token_bytes(SALT_BYTES)
        digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
        record = {
            "version": 1,
            "algorithm": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": _b64(salt),
            "hash": _b64(digest),
            "set_at": datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds"),
        }
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            write_json_atomically(self.pin_path, record)
            self.lock_path.unlink(missing_ok=True)
        self._audit.record("pin.set")  # not even the length: it would narrow a guess

    def verify(self, pin: str) -> VerifyResult:
        """Checks `pin` against the stored hash and updates the lockout; records one audit line.

        While locked the PIN is not even hashed, so guessing during a lock costs nothing and tells
        nothing. OSError from the lock file or the audit log propagates: the screen says it failed.
        """
        details: dict[str, str | int]
        with self._exclusive():
            now = self._clock()
            raw = self._read_record()
            stored = self._parse_hash(raw)
            if raw is None or stored is None:
                result = VerifyResult(Outcome.NOT_SET)
                action, details = "pin.refused", {"reason": "not_set"}
            else:
                state = self._lock_of(raw)
                remaining = self._remaining(state, now)
                if remaining > 0:
                    result = VerifyResult(Outcome.LOCKED, locked_for_s=remaining)
                    action, details = "pin.refused", {"reason": "locked", "locked_for_s": math.ceil(remaining)}
                else:
                    result, action, details = self._check(pin, stored, raw, state, now)
        self._audit.record(action, **details)
        return result

    def _check(
        self, pin: str, stored: dict[str, Any], raw: dict[str, Any], state: _LockState, now: float,
    ) -> tuple[VerifyResult, str, dict[str, str | int]]:
        candidate = (
            _scrypt(pin, stored["salt"], stored["n"], stored["r"], stored["p"], len(stored["hash"]))
            if pin.isascii() and pin.isdigit() and len(pin) <= MAX_LENGTH
            else b""
        )
        if hmac.compare_digest(candidate, stored["hash"]):
            self._save_lock(raw, _LockState())
            return VerifyResult(Outcome.ACCEPTED), "pin.accepted", {}
        failures = state.failures + 1
        lock_s = lock_duration(failures)
        if lock_s > 0:
            self._save_lock(raw, _LockState(failures, now + lock_s, lock_s))
            return (
                VerifyResult(Outcome.LOCKED, locked_for_s=lock_s),
                "pin.locked",
                {"failures": failures, "locked_for_s": math.ceil(lock_s)},
            )
        self._save_lock(raw, _LockState(failures, 0.0, 0.0))
        left = FREE_FAILURES - failures
        return VerifyResult(Outcome.WRONG, attempts_left=left), "pin.refused", {
            "reason": "wrong", "failures": failures, "attempts_left": left,
        }
