from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from kiosk.backoff import Backoff


def test_ceiling_doubles_up_to_the_cap() -> None:
    b = Backoff(base_s=2, cap_s=60)
    assert [b.ceiling(n) for n in range(0, 7)] == [0, 2, 4, 8, 16, 32, 60]
    assert b.ceiling(10_000) == 60


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=2**32))
def test_delay_within_bounds(failures: int, seed: int) -> None:
    b = Backoff(base_s=1.5, cap_s=300)
    d = b.delay(failures, random.Random(seed))
    assert 0 <= d <= b.ceiling(failures)


def test_jitter_spreads_over_the_whole_window() -> None:
    b = Backoff(base_s=2, cap_s=900)
    rng = random.Random(7)
    draws = [b.delay(30, rng) for _ in range(2000)]
    # Full jitter: roughly uniform, so each tenth of the window holds about a tenth of the draws.
    buckets = [0] * 10
    for d in draws:
        buckets[min(9, int(d / 90))] += 1
    assert min(buckets) > 120
    assert max(buckets) < 280
