"""Requests for help (呼叫工作人员) a resident made at this terminal, until a heartbeat carries them.

Each press of the help button adds one to a counter kept in the offline cache's sync state, so a
request survives a restart. When the sync engine queues the next heartbeat it `take()`s the count:
the number moves into that heartbeat, which the outbox stores durably and delivers exactly once
however long the link is down, and the counter starts again from zero. A heartbeat therefore
reports the requests made since the previous one.

`record()` commits to SQLite (an fsync): call it from a worker thread, never the GUI thread.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from kiosk.config import Config

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
