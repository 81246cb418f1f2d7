"""kiosk.platform.schedule: Retry-After is a floor of the next try, capped so a wrong header cannot stall delivery."""

from __future__ import annotations

import random

from kiosk.background import Backoff
from kiosk.platform.schedule import DrainSchedule


def schedule() -> DrainSchedule:
    return DrainSchedule(Backoff(base_s=2.0, cap_s=900.0), interval_s=30.0, rng=random.Random(1))


def test_retry_after_is_honoured_as_a_floor() -> None:
    s = schedule()
    assert s.after_failure(100.0, retry_after=120.0) >= 220.0


def test_retry_after_is_capped_at_the_backoff_cap() -> None:
    s = schedule()
    # A year: a wrong or hostile header must not keep the terminal from delivering for that long.
    assert s.after_failure(100.0, retry_after=365 * 86400.0) == 1000.0


def test_without_retry_after_the_backoff_stays_below_its_ceiling() -> None:
    s = schedule()
    for failures in range(1, 20):
        delay = s.after_failure(0.0)
        assert 0.0 <= delay <= Backoff(2.0, 900.0).ceiling(failures)
