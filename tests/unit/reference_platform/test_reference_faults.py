"""reference_platform.faults: switch updates and their effects, deterministic at rates 0 and 1."""

from __future__ import annotations

import pytest

from reference_platform.faults import Faults
from reference_platform.validation import ApiError


def test_rates_zero_and_one_are_deterministic() -> None:
    faults = Faults()
    assert faults.injected_error() is None
    assert not faults.should_drop("k")
    assert faults.should_malform() is None
    faults.update({"error_rate": 1, "drop_after_store": 1, "malformed_rate": 1, "malformed_kind": "missing_fields"})
    error = faults.injected_error()
    assert error is not None
    assert error.status in (500, 503)
    assert faults.should_drop("k")
    assert faults.should_malform() == "missing_fields"


def test_seed_makes_errors_repeatable() -> None:
    a, b = Faults(), Faults()
    for f in (a, b):
        f.update({"error_rate": 0.5, "seed": 42})
    outcomes_a = [None if (e := a.injected_error()) is None else e.status for _ in range(50)]
    outcomes_b = [None if (e := b.injected_error()) is None else e.status for _ in range(50)]
    assert outcomes_a == outcomes_b
    assert {None, 500, 503} == set(outcomes_a)


def test_drop_keys_fire_once() -> None:
    faults = Faults()
    faults.update({"drop_keys": ["ABC"]})
    assert faults.should_drop("abc")
    assert not faults.should_drop("abc")


def test_rejections_match_key_or_service() -> None:
    faults = Faults()
    faults.update({"reject": [{"idempotency_key": "K"}, {"service_code": "S", "status": 409, "code": "dup"}]})
    by_key = faults.rejection_for("k", "other")
    assert by_key is not None
    assert (by_key.status, by_key.code) == (422, "rejected")
    by_service = faults.rejection_for("x", "S")
    assert by_service is not None
    assert (by_service.status, by_service.code) == (409, "dup")
    assert faults.rejection_for("x", None) is None


def test_reset_and_invalid_updates() -> None:
    faults = Faults()
    faults.update({"latency_ms": 5, "error_rate": 0.1})
    with pytest.raises(ApiError):
        faults.update({"error_rate": 0.2, "latency_ms": "slow"})
    assert faults.as_dict()["error_rate"] == 0.1  # a refused update changes nothing
    faults.update({"reset": True})
    assert faults.as_dict()["latency_ms"] == 0.0
    assert faults.as_dict()["error_rate"] == 0.0
