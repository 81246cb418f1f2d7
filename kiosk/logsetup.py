"""Logging, set up once per process: a rotating file in the data directory and stderr.

Personal data must never reach a log, whoever logs it. Two layers make sure of it:
a log-record factory scrubs the message of every record at creation (any logger, any handler,
including third-party libraries and pytest's capture), and the handlers' formatter scrubs the
final text again, which also covers tracebacks whose exception messages carried a number.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import Any

from kiosk.privacy import scrub

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# The handlers the last setup_logging() installed, so a second call replaces them instead of doubling.
_handlers: list[logging.Handler] = []
_plain = logging.Formatter()


class ScrubbingFormatter(logging.Formatter):
    """Formats as usual, then masks ID and phone numbers in the whole text (message, args, traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def _scrubbing_factory(base: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A malformed %-format is the caller's bug; leave the record for logging to report as usual.
            return record
        record.msg = scrub(message)
        record.args = None
        # Formatters reuse a record's exc_text when set; filling it here scrubbed means every handler
        # prints the masked traceback, not only ours.
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(_plain.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return record

    factory.kiosk_scrubbing = True  # type: ignore[attr-defined]
    return factory


def install_record_scrubber() -> None:
    """Makes every log record of the process carry a scrubbed message; idempotent."""
    base = logging.getLogRecordFactory()
    if getattr(base, "kiosk_scrubbing", False):
        return
    logging.setLogRecordFactory(_scrubbing_factory(base))


def setup_logging(log_dir: Path | None, *, level: str = "INFO", max_bytes: int = 5_000_000,
                  backup_count: int = 5, stderr: bool = True) -> None:
    """Configures the root logger: rotating `kiosk.log` under `log_dir` (if given) and stderr.

    Calling it again replaces the handlers of the previous call (a command that switches data
    directory, or tests), never adds a second copy.
    """
    install_record_scrubber()
    root = logging.getLogger()
    for old in _handlers:
        root.removeHandler(old)
        old.close()
    _handlers.clear()
    root.setLevel(level)
    formatter = ScrubbingFormatter(LOG_FORMAT)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        _handlers.append(file_handler)
    if stderr:
        stream_handler = logging.StreamHandler(sys.stderr)
        stream_handler.setFormatter(formatter)
        _handlers.append(stream_handler)
    for handler in _handlers:
        root.addHandler(handler)
