"""The technician audit log: appended, private, and free of residents' numbers."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from kiosk.technician.audit import AuditLog, audit_log_for


def test_records_are_appended_and_read_back(tmp_path: Path) -> None:
    log = audit_log_for(tmp_path)
    log.record("pin.accepted")
    log.record("config.written", key="devices.idcard.port", value="/dev/ttyS1")
    entries = log.tail()
    assert [e.action for e in entries] == ["pin.accepted", "config.written"]
    assert entries[1].details == {"key": "devices.idcard.port", "value": "/dev/ttyS1"}
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_personal_numbers_in_details_are_masked(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.log", clock=lambda: datetime(2026, 1, 2, tzinfo=UTC))
    log.record("test.card", note="read 11010519491231002X and 13812345678")
    text = log.path.read_text(encoding="utf-8")
    assert "11010519491231002X" not in text
    assert "13812345678" not in text
    assert "2026-01-02" in text


def test_a_damaged_line_is_skipped(tmp_path: Path) -> None:
    log = audit_log_for(tmp_path)
    log.record("one")
    with log.path.open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    log.record("two")
    assert [e.action for e in log.tail()] == ["one", "two"]
