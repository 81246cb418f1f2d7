"""Fault switches: what the reference platform does wrong on purpose, set at start and at run time.

All switches apply to `/api/v1/...` requests only, never to `/admin/...`. See docs/platform-api.md, "Fault
switches", for the JSON accepted by `POST /admin/faults`.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from reference_platform.validation import ApiError

MALFORMED_KINDS = ("invalid_json", "missing_fields")


@dataclass(frozen=True)
class Rejection:
    """Answer chosen submissions with a 4xx instead of storing them."""

    idempotency_key: str | None = None
    service_code: str | None = None
    status: int = 422
    code: str = "rejected"
    message: str = "rejected by the platform (injected fault)"

    def matches(self, key: str, service_code: str | None) -> bool:
        return (self.idempotency_key is not None and self.idempotency_key == key) or (
            self.service_code is not None and self.service_code == service_code
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "service_code": self.service_code,
            "status": self.status,
            "code": self.code,
            "message": self.message,
        }


def _rate(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ApiError(422, "validation_failed", f"{name}: a number between 0 and 1", extra={"field": name})
    return float(value)


def _rejection(value: Any) -> Rejection:
    if not isinstance(value, dict):
        raise ApiError(422, "validation_failed", "reject: a list of objects", extra={"field": "reject"})
    key, service = value.get("idempotency_key"), value.get("service_code")
    status = value.get("status", 422)
    if (key is None) == (service is None) or not isinstance(key or service, str):
        raise ApiError(
            422,
            "validation_failed",
            "reject: each entry names exactly one of idempotency_key, service_code",
            extra={"field": "reject"},
        )
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 499:
        raise ApiError(422, "validation_failed", "reject.status: a 4xx status", extra={"field": "reject"})
    code = value.get("code", Rejection.code)
    message = value.get("message", Rejection.message)
    if not isinstance(code, str) or not code or not isinstance(message, str):
        raise ApiError(422, "validation_failed", "reject.code/message: strings", extra={"field": "reject"})
    return Rejection(
        idempotency_key=key.lower() if isinstance(key, str) else None,
        service_code=service,
        status=status,
        code=code,
        message=message,
    )


@dataclass
class Faults:
    """The current switches; reads and writes go through one lock (requests come from many threads)."""

    error_rate: float = 0.0
    latency_ms: float = 0.0
    drop_after_store: float = 0.0
    drop_keys: set[str] = field(default_factory=set)
    malformed_rate: float = 0.0
    malformed_kind: str = "invalid_json"
    reject: list[Rejection] = field(default_factory=list)
    seed: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _random: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._random.seed(self.seed)

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update (validated as a whole first); `{"reset": true}` clears everything first."""
        unknown = set(changes) - {
            "reset",
            "error_rate",
            "latency_ms",
            "drop_after_store",
            "drop_keys",
            "malformed_rate",
            "malformed_kind",
            "reject",
            "seed",
        }
        if unknown:
            raise ApiError(422, "validation_failed", f"unknown fault switch(es): {', '.join(sorted(unknown))}")
        new: dict[str, Any] = {}
        for name in ("error_rate", "drop_after_store", "malformed_rate"):
            if name in changes:
                new[name] = _rate(changes[name], name)
        if "latency_ms" in changes:
            latency = changes["latency_ms"]
            if isinstance(latency, bool) or not isinstance(latency, int | float) or not 0 <= latency <= 600_000:
                raise ApiError(422, "validation_failed", "latency_ms: a number between 0 and 600000")
            new["latency_ms"] = float(latency)
        if "malformed_kind" in changes:
            if changes["malformed_kind"] not in MALFORMED_KINDS:
                raise ApiError(422, "validation_failed", f"malformed_kind: one of {', '.join(MALFORMED_KINDS)}")
            new["malformed_kind"] = changes["malformed_kind"]
        if "drop_keys" in changes:
            keys = changes["drop_keys"]
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                raise ApiError(422, "validation_failed", "drop_keys: a list of idempotency keys")
            new["drop_keys"] = {k.lower() for k in keys}
        if "reject" in changes:
            if not isinstance(changes["reject"], list):
                raise ApiError(422, "validation_failed", "reject: a list of objects")
            new["reject"] = [_rejection(r) for r in changes["reject"]]
        if "seed" in changes:
            seed = changes["seed"]
            if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
                raise ApiError(422, "validation_failed", "seed: null or an integer")
            new["seed"] = seed
        with self._lock:
            if changes.get("reset"):
                self.error_rate = self.latency_ms = self.drop_after_store = self.malformed_rate = 0.0
                self.malformed_kind = "invalid_json"
                self.drop_keys = set()
                self.reject = []
            for name, value in new.items():
                setattr(self, name, value)
            if "seed" in new:
                self._random.seed(new["seed"])

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "error_rate": self.error_rate,
                "latency_ms": self.latency_ms,
                "drop_after_store": self.drop_after_store,
                "drop_keys": sorted(self.drop_keys),
                "malformed_rate": self.malformed_rate,
                "malformed_kind": self.malformed_kind,
                "reject": [r.as_dict() for r in self.reject],
                "seed": self.seed,
            }

    def _roll(self, rate: float) -> bool:
        if rate <= 0.0:
            return False
        if rate >= 1.0:
            return True
        with self._lock:
            return self._random.random() < rate

    def injected_error(self) -> ApiError | None:
        """A random 500 or 503 (with Retry-After), at `error_rate`."""
        if not self._roll(self.error_rate):
            return None
        with self._lock:
            unavailable = self._random.random() < 0.5
        if unavailable:
            return ApiError(
                503, "unavailable", "the platform is unavailable (injected fault)", headers={"Retry-After": "1"}
            )
        return ApiError(500, "internal_error", "internal error (injected fault)")

    def should_drop(self, key: str) -> bool:
        """Whether to close the connection without an answer after storing this submission."""
        with self._lock:
            if key in self.drop_keys:
                self.drop_keys.discard(key)
                return True
        return self._roll(self.drop_after_store)

    def should_malform(self) -> str | None:
        return self.malformed_kind if self._roll(self.malformed_rate) else None

    def rejection_for(self, key: str, service_code: str | None) -> Rejection | None:
        with self._lock:
            return next((r for r in self.reject if r.matches(key, service_code)), None)
