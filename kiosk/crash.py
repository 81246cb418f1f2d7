"""Bugs are loud: what the kiosk does with an exception nobody expected.

Expected failures are the typed errors a screen or command explains to a person: a device that does
not answer (`DeviceError`), the offline store (`CacheError`), the platform (`PlatformError`), a bad
configuration (`ConfigError`). Anything else is a bug. A bug is logged once with its whole traceback,
scrubbed of personal data here, before it reaches any handler: a traceback carries the exception's
message, and a message may carry an ID number that a handler without our formatter would print as is.

`install()` makes the process's last-resort handlers do that: `sys.excepthook` (the main thread, and
the exceptions PySide6 catches in slots, after which it carries on) and `threading.excepthook` (plain
Python threads such as the sync engine's). `on_uncaught(action)` lets the screen layer act after the
log line: under `kiosk run` it ends the event loop with `EXIT_BUG`, and systemd starts a fresh process
(packaging/kiosk.service restarts on every non-zero exit; the outbox is durable, so nothing a resident
was told is saved is lost).

Qt-free: the screen layer reaches the driver and cache error types through `EXPECTED_ERRORS` here.
"""

from __future__ import annotations

import errno
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from drivers.errors import DeviceError
from kiosk.config import ConfigError
from kiosk.platform.errors import PlatformError
from kiosk.privacy import scrub
from offline_cache.errors import CacheError

log = logging.getLogger("kiosk.crash")

# EX_SOFTWARE from sysexits.h, "internal software error": `kiosk run` ends with it after an uncaught
# exception on the GUI thread. Distinct from the codes a person acts on (2 usage, 3 configuration, 4 no
# display) so the journal tells a bug from a set-up problem; systemd's Restart=on-failure restarts it.
EXIT_BUG = 70

# The typed failures every caller may meet and explain; a call adds its own (OSError for a disk or USB
# write, a module's typed error) where its screen has words for them.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (DeviceError, CacheError, PlatformError, ConfigError)

ErrorTypes = tuple[type[BaseException], ...]
UncaughtAction = Callable[[BaseException], None]

_actions: list[UncaughtAction] = []


def is_expected(exc: BaseException, also: ErrorTypes = ()) -> bool:
    """Whether `exc` is a failure a screen explains (typed), rather than a bug."""
    return isinstance(exc, EXPECTED_ERRORS + also)


def error_code(exc: BaseException) -> str:
    """The stable code of a typed failure for a log line ("device.timeout", "ENOSPC"); "" if it has none.
    Never the message: messages of OS errors name files, and files may be named after a person."""
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code
    if isinstance(exc, OSError) and exc.errno is not None:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return ""


def traceback_text(exc: BaseException, tb: TracebackType | None = None) -> str:
    """The whole traceback (chained causes and notes included), personal data masked."""
    return scrub("".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__)).rstrip())


def log_bug(logger: logging.Logger, what: str, exc: BaseException, *, level: int = logging.ERROR,
            tb: TracebackType | None = None) -> None:
    """Logs a bug with its traceback in the message itself, already scrubbed: no handler ever sees the
    exception object, so none can format its message unmasked."""
    logger.log(level, "%s: %s\n%s", what, type(exc).__name__, traceback_text(exc, tb))


def _excepthook(exc_type: type[BaseException], exc: BaseException | None,
                tb: TracebackType | None) -> None:
    if exc is None:
        exc = exc_type()
    if isinstance(exc, KeyboardInterrupt):
        # Ctrl-C in a terminal is the person's choice, not a bug.
        log.info("interrupted")
        return
    log_bug(log, "uncaught exception", exc, level=logging.CRITICAL, tb=tb)
    # The traceback went to the log (a command other than run/demo logs to the file only); whoever
    # ran the command learns there was a bug and where to look, without the message's contents.
    print(f"kiosk: 程序出错 / internal error ({exc_type.__name__}); the traceback is in the kiosk log",  # noqa: T201
          file=sys.stderr)
    for action in list(_actions):
        try:
            action(exc)
        except Exception as second:  # noqa: BLE001 - a failing action must not hide the first bug
            log_bug(log, "the action after an uncaught exception failed", second, level=logging.CRITICAL)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # what threading's own hook does too: a thread may end itself that way
    exc = args.exc_value if args.exc_value is not None else args.exc_type()
    name = args.thread.name if args.thread is not None else "?"
    log_bug(log, f"uncaught exception in thread {name}", exc, level=logging.CRITICAL, tb=args.exc_traceback)


def install() -> None:
    """Routes uncaught exceptions of every thread to the log, scrubbed. Idempotent.

    Never hands them on to Python's default hooks: those print the unmasked message to stderr, which
    systemd keeps in the journal.
    """
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


@contextmanager
def on_uncaught(action: UncaughtAction) -> Iterator[None]:
    """Runs `action(exc)` after logging each uncaught exception on the main thread (or in a Qt slot),
    for as long as the block lasts."""
    _actions.append(action)
    try:
        yield
    finally:
        _actions.remove(action)
