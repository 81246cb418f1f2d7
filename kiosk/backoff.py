"""Retry delays: exponential growth, capped, with full jitter.

Full jitter (a uniform draw between zero and the capped exponential) is what keeps a fleet of
terminals whose link returns at the same moment from calling the platform in lock-step: their next
attempts are spread over the whole window instead of bunching at its end. `bench/fleet.py` measures
the effect with this very function.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base_s: float = 2.0
    cap_s: float = 900.0

    def ceiling(self, failures: int) -> float:
        """The upper bound of the delay after `failures` consecutive failures (1 = the first)."""
        if failures <= 0:
            return 0.0
        # Exponent bounded so a terminal offline for weeks does not overflow a float.
        return min(self.cap_s, self.base_s * 2.0 ** min(failures - 1, 62))

    def delay(self, failures: int, rng: random.Random) -> float:
        """A delay drawn uniformly from [0, ceiling]; zero when nothing failed."""
        return rng.uniform(0.0, self.ceiling(failures))
