"""The session state machine, driven by a fake clock: start, countdown, cancel, end, wipe, attract."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.config import Config, SessionConfig
from kiosk.resident.session import EndReason, Session, SessionState


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Session:
    config = Config(session=SessionConfig(idle_timeout_s=90, elder_idle_timeout_s=180, countdown_s=15,
                                          attract_after_s=300))
    return Session(config, clock=clock)


def test_touch_starts_a_session(session: Session) -> None:
    assert session.state is SessionState.IDLE
    session.touch()
    assert session.state is SessionState.ACTIVE


def test_card_starts_a_session(session: Session) -> None:
    session.card_presented()
    assert session.state is SessionState.ACTIVE


def test_countdown_then_timeout_wipes(session: Session, clock: FakeClock) -> None:
    reasons: list[EndReason] = []
    session.add_wipe_callback(reasons.append)
    session.touch()
    clock.advance(74)
    session.tick()
    assert session.state is SessionState.ACTIVE
    clock.advance(1)
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    assert session.seconds_left() == 15
    clock.advance(14.5)
    assert session.seconds_left() == 1
    clock.advance(0.5)
    session.tick()
    assert session.state is SessionState.IDLE
    assert reasons == [EndReason.TIMEOUT]


def test_touch_cancels_the_countdown(session: Session, clock: FakeClock) -> None:
    reasons: list[EndReason] = []
    session.add_wipe_callback(reasons.append)
    session.touch()
    clock.advance(80)
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    session.touch()
    assert session.state is SessionState.ACTIVE
    clock.advance(80)
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    assert reasons == []


def test_touch_keeps_it_alive(session: Session, clock: FakeClock) -> None:
    session.touch()
    for _ in range(10):
        clock.advance(60)
        session.touch()
        session.tick()
    assert session.state is SessionState.ACTIVE


def test_elder_mode_waits_longer(session: Session, clock: FakeClock) -> None:
    session.set_elder_mode(True)
    session.touch()
    clock.advance(120)
    session.tick()
    assert session.state is SessionState.ACTIVE
    clock.advance(60)
    session.tick()
    assert session.state is SessionState.IDLE


def test_finish_ends_and_wipes(session: Session) -> None:
    reasons: list[EndReason] = []
    session.add_wipe_callback(reasons.append)
    session.touch()
    session.finish()
    assert session.state is SessionState.IDLE
    assert reasons == [EndReason.FINISHED]


def test_card_removal_ends_only_where_a_step_needs_the_card(session: Session) -> None:
    reasons: list[EndReason] = []
    session.add_wipe_callback(reasons.append)
    session.card_presented()
    session.card_removed()
    assert session.state is SessionState.ACTIVE
    session.require_card(True)
    session.card_removed()
    assert session.state is SessionState.IDLE
    assert reasons == [EndReason.CARD_REMOVED]
    assert not session.card_required


def test_one_failing_wipe_does_not_stop_the_others(session: Session, expected_logs: Any) -> None:
    expected_logs("kiosk.resident.session", "wipe callback .* failed")
    done: list[EndReason] = []

    def broken(_reason: EndReason) -> None:
        raise RuntimeError("boom")

    session.add_wipe_callback(broken)
    session.add_wipe_callback(done.append)
    session.touch()
    session.finish()
    assert done == [EndReason.FINISHED]


def test_attract_after_long_idle_and_touch_starts(session: Session, clock: FakeClock) -> None:
    states: list[SessionState] = []
    session.add_state_listener(states.append)
    clock.advance(299)
    session.tick()
    assert session.state is SessionState.IDLE
    assert session.seconds_until_due() == pytest.approx(1)
    clock.advance(1)
    session.tick()
    assert session.state is SessionState.ATTRACT
    assert session.seconds_until_due() is None
    session.touch()
    assert states == [SessionState.ATTRACT, SessionState.ACTIVE]


def test_seconds_until_due(session: Session, clock: FakeClock) -> None:
    session.touch()
    assert session.seconds_until_due() == pytest.approx(75)
    clock.advance(75)
    session.tick()
    assert session.seconds_until_due() == pytest.approx(1)
