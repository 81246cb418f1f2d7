"""Card and reader insertion / removal events from pyscard's monitors.

pyscard calls observers on its own monitoring threads. The observers here only turn the call into
`CardEvent`s and hand them on (a queue, and the optional `on_event` callback, which must itself only
forward, e.g. emit a Qt signal); they never call back into a reader, because a read from the
monitor's thread would block every later event.
"""

from __future__ import annotations

import enum
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.citizencard.pcsc_reader import _smartcard, list_readers


class CardEventKind(enum.Enum):
    CARD_INSERTED = "card_inserted"
    CARD_REMOVED = "card_removed"
    READER_ADDED = "reader_added"
    READER_REMOVED = "reader_removed"


@dataclass(frozen=True)
class CardEvent:
    kind: CardEventKind
    reader: str
    atr: str = ""
    # Reported when the monitor started, for cards and readers that were already there.
    initial: bool = False


class CardEventMonitor:
    """Watches PC/SC readers and cards. Use as a context manager, or start()/stop()."""

    def __init__(self, on_event: Callable[[CardEvent], None] | None = None, *, reader_filter: str = "",
                 watch_readers: bool = True) -> None:
        self._on_event = on_event
        self._filter = reader_filter
        self._watch_readers = watch_readers
        self._queue: queue.Queue[CardEvent] = queue.Queue()
        self._card_observer: Any = None
        self._reader_observer: Any = None
        self._card_monitor: Any = None
        self._reader_monitor: Any = None

    def _emit(self, event: CardEvent) -> None:
        if self._filter not in event.reader:
            return
        self._queue.put(event)
        if self._on_event is not None:
            self._on_event(event)

    def start(self) -> None:
        if self._card_observer is not None:
            return
        _smartcard()  # BackendUnavailable naming what to install
        list_readers()  # PcscUnavailable now rather than a traceback from pyscard's thread later
        from smartcard.CardMonitoring import CardMonitor, CardObserver
        from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver
        from smartcard.util import toHexString

        emit = self._emit
        first = {"cards": True, "readers": True}

        class _Cards(CardObserver):  # type: ignore[misc]
            def update(self, observable: Any, handlers: Any) -> None:
                added, removed = handlers
                initial, first["cards"] = first["cards"], False
                for card in added:
                    emit(CardEvent(CardEventKind.CARD_INSERTED, str(card.reader), toHexString(card.atr), initial))
                for card in removed:
                    emit(CardEvent(CardEventKind.CARD_REMOVED, str(card.reader), toHexString(card.atr)))

        class _Readers(ReaderObserver):  # type: ignore[misc]
            def update(self, observable: Any, handlers: Any) -> None:
                added, removed = handlers
                initial, first["readers"] = first["readers"], False
                for reader in added:
                    emit(CardEvent(CardEventKind.READER_ADDED, str(reader), initial=initial))
                for reader in removed:
                    emit(CardEvent(CardEventKind.READER_REMOVED, str(reader)))

        self._card_observer = _Cards()
        self._card_monitor = CardMonitor()
        self._card_monitor.addObserver(self._card_observer)
        if self._watch_readers:
            self._reader_observer = _Readers()
            # Keep this instance: every ReaderMonitor() call resets the shared observer list (pyscard's
            # Borg pattern re-runs Observable.__init__), so stop() must not make a new one.
            self._reader_monitor = ReaderMonitor()
            self._reader_monitor.addObserver(self._reader_observer)

    def stop(self) -> None:
        if self._card_observer is None:
            return
        self._card_monitor.deleteObserver(self._card_observer)
        if self._reader_observer is not None and self._reader_observer in self._reader_monitor.obs:
            self._reader_monitor.deleteObserver(self._reader_observer)
        self._card_observer = self._reader_observer = None

    def __enter__(self) -> CardEventMonitor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_event(self, timeout_s: float) -> CardEvent | None:
        """The next event, or None if none came within timeout_s."""
        try:
            return self._queue.get(timeout=max(timeout_s, 0.0))
        except queue.Empty:
            return None

    def wait_for(self, kind: CardEventKind, timeout_s: float, *, reader: str = "",
                 include_initial: bool = False) -> CardEvent | None:
        """The first event of `kind` (on a reader containing `reader`) within timeout_s; others are dropped."""
        end = time.monotonic() + timeout_s
        while (left := end - time.monotonic()) > 0:
            event = self.next_event(left)
            if event is None:
                return None
            if event.kind is kind and reader in event.reader and (include_initial or not event.initial):
                return event
        return None

    def drain(self) -> list[CardEvent]:
        events = []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events
