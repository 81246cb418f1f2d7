"""The technician audit log: one JSON line per technician action, under the data directory.

Every action taken on the setup screen (PIN accepted or refused, a device assigned or tested, the
config written, an export made, a rejected item retried) is appended here, with the time, the
action and a few details. Details are for technicians and auditors, so they carry setting names,
device names and counts, never a resident's data: values that look like ID or phone numbers are
masked by kiosk/privacy.py's scrubber before they are written, as a second line of defence.

The file is opened in append mode for each record and fsynced: a terminal that loses power right
after a change still has the line saying who changed what. It is created with mode 0600.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.privacy import scrub

AUDIT_FILE = "audit.log"

Detail = str | int | float | bool | None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str
    details: dict[str, Detail]


class AuditLog:
    """Appends technician actions to `path` (JSON lines); safe to call from any thread."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()

    def record(self, action: str, **details: Detail) -> AuditEntry:
        """Appends one action (`"pin.accepted"`, `"config.written"` …) and returns what was written.

        Raises OSError when the line cannot be written (a full disk): the caller decides whether the
        action may go ahead unaudited; the setup screen refuses to write config it cannot audit.
        """
        clean = {key: scrub(value) if isinstance(value, str) else value for key, value in details.items()}
        entry = AuditEntry(self._clock(), action, clean)
        line = json.dumps({"at": entry.at.isoformat(), "action": action, **clean}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry

    def tail(self, limit: int = 200) -> list[AuditEntry]:
        """The last `limit` entries, oldest first; lines that do not parse are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()[-limit:]
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                raw = json.loads(line)
                at = datetime.fromisoformat(raw.pop("at"))
                action = str(raw.pop("action"))
            except (ValueError, KeyError, TypeError):
                continue
            entries.append(AuditEntry(at, action, raw))
        return entries


def audit_log_for(data_dir: Path) -> AuditLog:
    """The terminal's audit log in `data_dir`."""
    return AuditLog(data_dir / AUDIT_FILE)
