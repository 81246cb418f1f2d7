"""Requests for help (呼叫工作人员) a resident made at this terminal, until a heartbeat carries them.

Each press of the help button adds one to a counter kept in the offline cache's sync state, so a
request survives a restart. When the sync engine queues the next heartbeat it `take()`s the count:
the number moves into that heartbeat, which the outbox stores durably and delivers exactly once
however long the link is down, and the counter starts again from zero. A heartbeat therefore
reports the requests made since the previous one.

`record()` commits to SQLite (an fsync): call it from a worker thread, never the GUI thread.

So a request reaches staff only through the platform, with a heartbeat: within about one heartbeat
interval while the link works, after the link returns when it does not, and never on a terminal with
no platform configured. `ask_for_help` records it (or not, with no platform: nobody would ever read
it) and says which of these is true, so the screen tells the resident nothing it cannot keep.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kiosk.config import Config
from kiosk.status import NetworkState

_KEY = "help.requests_unsent"


class KeyValueState(Protocol):
    """The part of offline_cache's SyncState used here."""

    def get(self, name: str) -> Any: ...

    def put(self, name: str, value: Any) -> None: ...


class HelpRequests:
    def __init__(self, state: KeyValueState) -> None:
        self._state = state
        # Record and take come from different threads (GUI worker, sync thread): the read-modify-write
        # must not interleave or a request could be counted twice or lost.
        self._lock = threading.Lock()

    def record(self) -> int:
        """One more request, durable when this returns; returns the requests not yet reported."""
        with self._lock:
            count = self.pending() + 1
            self._state.put(_KEY, count)
            return count

    def pending(self) -> int:
        value = self._state.get(_KEY)
        return int(value) if isinstance(value, int) else 0

    def take(self) -> int:
        """The requests since the last heartbeat, reset to zero: the sync engine's `help_requests=`."""
        with self._lock:
            count = self.pending()
            if count:
                self._state.put(_KEY, 0)
            return count


def station_phone(config: Config) -> str:
    """The number residents may call for help at this station (`terminal.help_phone`); may be empty."""
    return config.terminal.help_phone.strip()


HelpOutcome = Literal["on_its_way", "kept", "no_platform"]


@dataclass(frozen=True)
class HelpAnswer:
    """What became of a request: `on_its_way` (online: staff see it within about `minutes`), `kept`
    (the link is down or not yet tried: stored, sent when it works), `no_platform` (not recorded)."""

    outcome: HelpOutcome
    minutes: int = 0


def ask_for_help(requests: HelpRequests, network: Callable[[], NetworkState], heartbeat_interval_s: float,
                 wake: Callable[[], None] = lambda: None) -> HelpAnswer:
    """One resident's request (on a worker thread: it writes to SQLite); see the module docstring."""
    state = network()
    if state is NetworkState.DISABLED:
        return HelpAnswer("no_platform")
    requests.record()
    wake()
    minutes = max(1, math.ceil(heartbeat_interval_s / 60))
    return HelpAnswer("on_its_way" if state is NetworkState.ONLINE else "kept", minutes)
