"""Blocking calls off the GUI thread: one long-lived QThread per device, results back by signals.

A `DeviceWorker` owns a QThread. `submit(fn, *args)` runs `fn(*args)` on that thread, one call after
another (a device is never used by two threads at once), and returns a `Call` whose `finished(object)`
or `failed(object)` signal fires on the GUI thread. The GUI thread never waits: a screen connects to the
signals, shows progress meanwhile, and may `cancel()` a call, which drops its result (the device code
itself must honour its own timeouts of a second or less per step).

`failed` carries one of two things. An expected failure, the typed error itself (kiosk.crash's
EXPECTED_ERRORS, plus the types a call names in `submit(..., expected=...)`), which the screen explains.
Or a `Bug` (anything else): the worker has already logged its traceback, and the screen shows the plain
"please ask staff" notice (ui/widgets/bug_notice.py), never a device fault.

    worker = DeviceWorker("idcard", parent=self)
    call = worker.submit(reader.read_card, 5.0)
    call.finished.connect(self._on_card)
    call.failed.connect(self._on_error)      # a DeviceError, or a Bug
    ...
    worker.shutdown()   # at teardown: finishes the call in hand, stops the thread
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk.crash import ErrorTypes, is_expected, log_bug

log = logging.getLogger("kiosk.ui.workers")


@dataclass(frozen=True)
class Bug:
    """What `failed` carries when a call raised something no screen expects. Already logged."""

    error: BaseException

    def __str__(self) -> str:
        return f"bug: {type(self.error).__name__}"


def _name(fn: Callable[..., Any]) -> str:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"


class Call(QObject):
    """One submitted call. Lives on the GUI thread; its signals are emitted there."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], parent: QObject | None = None, *,
                 expected: ErrorTypes = ()) -> None:
        super().__init__(parent)
        self.fn = fn
        self.args = args
        self.expected = expected
        self.cancelled = False
        self.done = False

    def cancel(self) -> None:
        """Drop the result: neither signal will fire for this call."""
        self.cancelled = True

    @Slot(object, bool)
    def _deliver(self, value: object, ok: bool) -> None:
        self.done = True
        if self.cancelled:
            return
        (self.finished if ok else self.failed).emit(value)


class _Runner(QObject):
    """Lives on the worker thread and runs calls in the order they arrive."""

    result = Signal(object, object, bool)  # call, value or exception or Bug, ok

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    @Slot(object)
    def run(self, call: Call) -> None:
        if call.cancelled:
            self.result.emit(call, None, False)
            return
        try:
            value = call.fn(*call.args)
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the screen as a value
            if is_expected(exc, call.expected):
                self.result.emit(call, exc, False)
            else:
                # Logged here, once, on the thread that raised it: the screen only says "ask staff".
                log_bug(log, f"bug in the {self.name} worker calling {_name(call.fn)}", exc)
                self.result.emit(call, Bug(exc), False)
        else:
            self.result.emit(call, value, True)


class DeviceWorker(QObject):
    """A QThread for one device; see the module docstring."""

    _dispatch = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._thread = QThread(self)
        self._thread.setObjectName(f"device-{name}")
        self._runner = _Runner(name)
        self._runner.moveToThread(self._thread)
        self._dispatch.connect(self._runner.run)
        self._runner.result.connect(self._on_result)
        self._thread.finished.connect(self._runner.deleteLater)
        self._thread.start()
        self._pending: set[Call] = set()

    def submit(self, fn: Callable[..., Any], *args: Any, expected: ErrorTypes = ()) -> Call:
        """Runs `fn(*args)` on the thread; `expected` adds the error types this call's screen explains."""
        call = Call(fn, args, self, expected=expected)
        self._pending.add(call)
        self._dispatch.emit(call)
        return call

    @Slot(object, object, bool)
    def _on_result(self, call: Call, value: object, ok: bool) -> None:
        self._pending.discard(call)
        call._deliver(value, ok)
        call.deleteLater()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancels queued calls, lets the one in hand finish, and stops the thread."""
        for call in list(self._pending):
            call.cancel()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.warning("device worker %s did not stop within %d ms", self.name, timeout_ms)


class LazyWorker:
    """A DeviceWorker made on first use and stopped on request: for a page that keeps no thread while
    it is hidden (the setup pages), where every call goes to the same thread one after another."""

    def __init__(self, name: str, parent: QObject) -> None:
        self.name = name
        self._parent = parent
        self._worker: DeviceWorker | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def submit(self, fn: Callable[..., Any], *args: Any, expected: ErrorTypes = ()) -> Call:
        if self._worker is None:
            self._worker = DeviceWorker(self.name, self._parent)
        return self._worker.submit(fn, *args, expected=expected)

    def stop(self) -> None:
        """Cancels queued calls, lets the one in hand finish, stops the thread; the next submit starts anew."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()
