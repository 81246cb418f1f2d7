"""A resident's session: when it starts, when it warns, when it ends, and who must forget what.

Qt-free and driven by an injectable clock, so every timing rule is tested without sleeping. The UI
feeds it activity (`touch`), card events and `tick`s, and reacts to its state; it never keeps time
itself.

States:
- IDLE: nobody is using the kiosk; the home screen shows. After `attract_after_s` → ATTRACT.
- ACTIVE: a resident is here. A touch or card keeps it alive.
- COUNTDOWN: no activity for `idle_timeout_s - countdown_s`; the screen shows the seconds left and
  any touch returns to ACTIVE. At `idle_timeout_s` the session ends.
- ATTRACT: the calm full-screen invitation after long idle; a touch starts a session.

A session ends on `finish()`, on card removal while a step needs the card (`require_card`), or on
timeout. Ending runs every registered wipe callback (each one, even if an earlier one fails) and
returns to IDLE.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import Config

log = logging.getLogger("kiosk.resident.session")

Clock = Callable[[], float]


class SessionState(enum.StrEnum):
    IDLE = "idle"
    ACTIVE = "active"
    COUNTDOWN = "countdown"
    ATTRACT = "attract"


class EndReason(enum.StrEnum):
    FINISHED = "finished"
    CARD_REMOVED = "card_removed"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class SessionTimings:
    idle_timeout_s: float
    countdown_s: float
    attract_after_s: float

    @classmethod
    def from_config(cls, config: Config, *, elder_mode: bool = False) -> SessionTimings:
        s = config.session
        timeout = s.elder_idle_timeout_s if elder_mode else s.idle_timeout_s
        # A countdown longer than the timeout would start the moment a session does.
        return cls(float(timeout), float(min(s.countdown_s, timeout)), float(s.attract_after_s))


class Session:
    """The state machine; not thread-safe: call it from one thread (the GUI thread)."""

    def __init__(self, config: Config, *, clock: Clock = time.monotonic, elder_mode: bool = False) -> None:
        self._config = config
        self._clock = clock
        self.timings = SessionTimings.from_config(config, elder_mode=elder_mode)
        self.state = SessionState.IDLE
        self.card_required = False
        self._last_activity = clock()
        self._wipe_callbacks: list[Callable[[EndReason], None]] = []
        self._state_listeners: list[Callable[[SessionState], None]] = []

    # --- wiring -----------------------------------------------------------------------------------

    def add_wipe_callback(self, callback: Callable[[EndReason], None]) -> None:
        """`callback(reason)` runs when a session ends; it must drop every personal value it holds."""
        self._wipe_callbacks.append(callback)

    def add_state_listener(self, callback: Callable[[SessionState], None]) -> None:
        self._state_listeners.append(callback)

    def set_elder_mode(self, on: bool) -> None:
        self.timings = SessionTimings.from_config(self._config, elder_mode=on)

    # --- inputs -----------------------------------------------------------------------------------

    def touch(self, now: float | None = None) -> None:
        """Any touch, click or key: starts a session, keeps it alive, or cancels the countdown."""
        self._last_activity = self._now(now)
        if self.state is not SessionState.ACTIVE:
            self._set_state(SessionState.ACTIVE)

    def card_presented(self, now: float | None = None) -> None:
        self.touch(now)

    def card_removed(self, now: float | None = None) -> None:
        """A card left the reader: ends the session only if the current step needs the card."""
        if self.card_required and self.state in (SessionState.ACTIVE, SessionState.COUNTDOWN):
            self.end(EndReason.CARD_REMOVED, now)

    def require_card(self, required: bool) -> None:
        """Screens whose step reads the card set this while the step is shown."""
        self.card_required = required

    def finish(self, now: float | None = None) -> None:
        """The resident is done (receipt printed, 退出 pressed)."""
        if self.state in (SessionState.ACTIVE, SessionState.COUNTDOWN):
            self.end(EndReason.FINISHED, now)

    def tick(self, now: float | None = None) -> None:
        """Moves the state on by the clock; call it whenever `seconds_until_due` says so."""
        t = self._now(now)
        idle_for = t - self._last_activity
        if self.state in (SessionState.ACTIVE, SessionState.COUNTDOWN):
            if idle_for >= self.timings.idle_timeout_s:
                self.end(EndReason.TIMEOUT, t)
            elif idle_for >= self.timings.idle_timeout_s - self.timings.countdown_s:
                self._set_state(SessionState.COUNTDOWN)
        elif self.state is SessionState.IDLE and idle_for >= self.timings.attract_after_s:
            self._set_state(SessionState.ATTRACT)

    def end(self, reason: EndReason, now: float | None = None) -> None:
        """Ends the session now: every wipe callback runs, then the kiosk is IDLE."""
        self._last_activity = self._now(now)
        self.card_required = False
        for callback in list(self._wipe_callbacks):
            try:
                callback(reason)
            except Exception:  # one broken screen must not keep the others' data on screen
                log.exception("wipe callback %s failed", getattr(callback, "__qualname__", repr(callback)))
        self._set_state(SessionState.IDLE)

    # --- queries ----------------------------------------------------------------------------------

    def seconds_left(self, now: float | None = None) -> int:
        """Whole seconds until an idle session ends (rounded up, as a countdown shows them)."""
        remaining = self.timings.idle_timeout_s - (self._now(now) - self._last_activity)
        return max(0, int(-(-remaining // 1)))

    def seconds_until_due(self, now: float | None = None) -> float | None:
        """Seconds until `tick` may change something; None when nothing is due (attract)."""
        idle_for = self._now(now) - self._last_activity
        if self.state is SessionState.ACTIVE:
            return max(0.0, self.timings.idle_timeout_s - self.timings.countdown_s - idle_for)
        if self.state is SessionState.COUNTDOWN:
            # Every second, so the visible number counts down.
            return min(1.0, max(0.0, self.timings.idle_timeout_s - idle_for))
        if self.state is SessionState.IDLE:
            return max(0.0, self.timings.attract_after_s - idle_for)
        return None

    # --- internals --------------------------------------------------------------------------------

    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now

    def _set_state(self, state: SessionState) -> None:
        if state is self.state:
            return
        self.state = state
        for listener in list(self._state_listeners):
            listener(state)
