"""When the sync engine next calls the platform: the pure, clock-free part of the sync loop.

The engine (kiosk/platform/sync.py) and the fleet simulation (bench/fleet.py) both drive this class, so the
simulation measures the schedule the terminals really run.

- After a round that reached the platform, the next round is due after `interval_s`, or at once if
  items are still due (a queue is drained in one go, not one item per interval).
- After a round that could not reach the platform, the next try waits a full-jitter backoff that
  grows with each consecutive failure up to the cap; a `Retry-After` from the platform is honoured
  as a floor, itself capped at the backoff cap (docs/platform-api.md) so that a wrong header cannot
  stop delivery for days. A thousand terminals whose link returns together therefore come back spread
  over the whole backoff window instead of at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kiosk.background import Backoff


@dataclass
class DrainSchedule:
    backoff: Backoff
    interval_s: float
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def after_success(self, now: float, *, more_due: bool) -> float:
        """The round reached the platform; returns when the next round is due (monotonic seconds)."""
        self.failures = 0
        return now if more_due else now + self.interval_s

    def after_failure(self, now: float, *, retry_after: float | None = None) -> float:
        """The round could not reach the platform (or was told to back off); returns the next try."""
        self.failures += 1
        delay = self.backoff.delay(self.failures, self.rng)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff.cap_s))
        return now + delay

    @property
    def offline(self) -> bool:
        return self.failures > 0
