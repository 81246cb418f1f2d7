from __future__ import annotations

import random
import threading
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kiosk.background import BackgroundThread, Backoff


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


def test_background_thread_runs_the_loop_until_stopped_and_can_start_again() -> None:
    worker = BackgroundThread("test-loop")
    rounds: list[threading.Event] = []

    def loop() -> None:
        entered = threading.Event()
        rounds.append(entered)
        entered.set()
        while not worker.stopping.is_set():
            worker.wake.wait(10.0)  # only `stop` (through `wake`) ends this wait in time
            worker.wake.clear()

    worker.start(loop)
    worker.start(loop)  # already running: no second thread
    assert worker.alive
    assert worker.stop(timeout_s=2.0)
    assert not worker.started
    assert not worker.alive
    worker.start(loop)
    assert worker.stop(timeout_s=2.0)
    assert len(rounds) == 2
    assert all(entered.is_set() for entered in rounds)


def test_background_thread_that_ignores_stop_is_reported_not_waited_for(expected_logs: Any) -> None:
    expected_logs("kiosk.background", r"test-stuck: the thread did not stop within 0 s")
    release = threading.Event()
    worker = BackgroundThread("test-stuck")
    worker.start(lambda: release.wait(10.0))
    try:
        assert not worker.stop(timeout_s=0.05)
    finally:
        release.set()
