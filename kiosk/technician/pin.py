"""The technician PIN: a salted scrypt hash on disk, checked in constant time, with a lockout.

The PIN opens the setup screen, where a technician can point the ID reader at another port or the
kiosk at another platform, so it is guarded like a password, not like a door code:

- stored as scrypt(PIN, 16 random bytes) in `technician_pin` (JSON, mode 0600) with its parameters,
  so a later release can raise them and still check PINs set before; the PIN itself is never written;
- no default: until `kiosk set-pin` has run, the pad refuses every PIN and says so;
- five wrong PINs in a row lock the pad for 30 s, each further wrong PIN doubles that up to an hour.
  The count and the end of the lock live in `technician_pin_lock` next to it, so pulling the power
  does not buy another five guesses; the right PIN clears them;
- every check and every change is one line of the audit log (kiosk/technician/audit.py), never the PIN.

Both files are replaced atomically (temp file in the same directory, fsync, os.replace): a crash
mid-write leaves the previous PIN, never half of one. Qt-free; the screen runs `verify` on a worker
thread because scrypt takes tens of milliseconds by design.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import itertools
import json
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.technician.audit import AuditLog, audit_log_for
from kiosk.technician.config_write import atomic_write

log = logging.getLogger("kiosk.technician.pin")

PIN_FILE = "technician_pin"
LOCK_FILE = "technician_pin_lock"

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

    # -- reading and writing the two files ---------------------------------------------------------

    def _load_hash(self) -> dict[str, Any] | None:
        """The stored hash record, or None when no PIN is set or the file cannot be trusted."""
        try:
            raw = json.loads(self.pin_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.error("technician PIN file unreadable (%s): run `kiosk set-pin` again", type(exc).__name__)
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

    def _load_lock(self) -> _LockState:
        try:
            raw = json.loads(self.lock_path.read_text(encoding="utf-8"))
            return _LockState(int(raw["failures"]), float(raw["locked_until"]), float(raw.get("lock_s", MAX_LOCK_S)))
        except FileNotFoundError:
            return _LockState()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Deleting or garbling the file must not buy a fresh five guesses: one left before a lock.
            log.warning("technician PIN lock file unreadable (%s)", type(exc).__name__)
            return _LockState(failures=FREE_FAILURES - 1)

    def _save_lock(self, state: _LockState) -> None:
        if state == _LockState():
            self.lock_path.unlink(missing_ok=True)
            return
        write_json_atomically(
            self.lock_path,
            {"failures": state.failures, "locked_until": state.locked_until, "lock_s": state.lock_s},
        )

    def _remaining(self, state: _LockState, now: float) -> float:
        # min(): a clock set back by hours must not stretch a 30 s lock into hours.
        return max(0.0, min(state.locked_until - now, state.lock_s))

    # -- public API ---------------------------------------------------------------------------------

    def is_set(self) -> bool:
        return self._load_hash() is not None

    def locked_for(self) -> float:
        """Seconds until the pad takes a PIN again; 0 when it is not locked."""
        with self._mutex:
            return self._remaining(self._load_lock(), self._clock())

    def attempts_left(self) -> int:
        """Wrong PINs still allowed before the next lock (0 while locked)."""
        with self._mutex:
            state = self._load_lock()
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
        with self._mutex:
            write_json_atomically(self.pin_path, record)
            self._save_lock(_LockState())
        self._audit.record("pin.set")  # not even the length: it would narrow a guess

    def verify(self, pin: str) -> VerifyResult:
        """Checks `pin` against the stored hash and updates the lockout; records one audit line.

        While locked the PIN is not even hashed, so guessing during a lock costs nothing and tells
        nothing. OSError from the lock file or the audit log propagates: the screen says it failed.
        """
        details: dict[str, str | int]
        with self._mutex:
            now = self._clock()
            stored = self._load_hash()
            if stored is None:
                result = VerifyResult(Outcome.NOT_SET)
                action, details = "pin.refused", {"reason": "not_set"}
            else:
                state = self._load_lock()
                remaining = self._remaining(state, now)
                if remaining > 0:
                    result = VerifyResult(Outcome.LOCKED, locked_for_s=remaining)
                    action, details = "pin.refused", {"reason": "locked", "locked_for_s": math.ceil(remaining)}
                else:
                    result, action, details = self._check(pin, stored, state, now)
        self._audit.record(action, **details)
        return result

    def _check(
        self, pin: str, stored: dict[str, Any], state: _LockState, now: float,
    ) -> tuple[VerifyResult, str, dict[str, str | int]]:
        candidate = (
            _scrypt(pin, stored["salt"], stored["n"], stored["r"], stored["p"], len(stored["hash"]))
            if pin.isascii() and pin.isdigit() and len(pin) <= MAX_LENGTH
            else b""
        )
        if hmac.compare_digest(candidate, stored["hash"]):
            self._save_lock(_LockState())
            return VerifyResult(Outcome.ACCEPTED), "pin.accepted", {}
        failures = state.failures + 1
        lock_s = lock_duration(failures)
        if lock_s > 0:
            self._save_lock(_LockState(failures, now + lock_s, lock_s))
            return (
                VerifyResult(Outcome.LOCKED, locked_for_s=lock_s),
                "pin.locked",
                {"failures": failures, "locked_for_s": math.ceil(lock_s)},
            )
        self._save_lock(_LockState(failures, 0.0, 0.0))
        left = FREE_FAILURES - failures
        return VerifyResult(Outcome.WRONG, attempts_left=left), "pin.refused", {
            "reason": "wrong", "failures": failures, "attempts_left": left,
        }
