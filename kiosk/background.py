"""What the core's background threads share: retry delays and the stoppable daemon thread.

Retry delays: exponential growth, capped, with full jitter. Full jitter (a uniform draw between zero
and the capped exponential) is what keeps a fleet of terminals whose link returns at the same moment
from calling the platform in lock-step: their next attempts are spread over the whole window instead
of bunching at its end. `bench/fleet.py` measures the effect with this very function.

The device manager, the card watcher and the sync engine each run one loop on a plain daemon thread
that any other thread may wake or stop; `BackgroundThread` is that start/stop/join sequence, once.
It lives here, below the rooms, because kiosk.devices and kiosk.platform may not import each other.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


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


class BackgroundThread:
    """One named daemon thread running a loop that watches `stopping` and sleeps on `wake`.

    `start`, `stop` and `wake.set()` are for any other thread. The loop must return soon after
    `stopping` is set; `stop` sets `wake` too, so a loop sleeping on it notices at once.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, loop: Callable[[], None]) -> None:
        """Runs `loop` on a new thread; does nothing if one was started and not stopped."""
        if self._thread is not None:
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float) -> bool:
        """Asks the loop to end and waits up to `timeout_s`; False (and a warning) if it is still running.

        A loop stuck in a call that ignores its timeout stays behind as a daemon thread: shutting down
        must not hang on it.
        """
        self.stopping.set()
        self.wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning("%s: the thread did not stop within %.0f s", self.name, timeout_s)
            return False
        return True
