"""The Sync page's logic: rejected items by their non-personal metadata, retry, export, and the overview."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.status import NetworkState
from kiosk.technician.audit import audit_log_for
from kiosk.technician.outbox_admin import (
    NoLongerRejected,
    export_rejected,
    rejected_records,
    retry_rejected,
    sync_overview,
)
from kiosk.technician.support_export import ExportError
from offline_cache.store import OfflineCache

NAME = "张三丰"
ID_NUMBER = "110101199003071234"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[OfflineCache]:
    opened = OfflineCache.open(tmp_path / "data", terminal_id="T0007")
    yield opened
    opened.close()


def reject(cache: OfflineCache, service_code: str, reason: str) -> str:
    item = cache.outbox.add_submission(service_code, {"count": 1}, {"name": NAME, "id_number": ID_NUMBER})
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_rejected(item.uuid, reason)
    return item.uuid


def test_rejected_records_carry_no_personal_data(cache: OfflineCache) -> None:
    uuid = reject(cache, "SVC-001", f"field id_number {ID_NUMBER} invalid")
    cache.outbox.add_rating({"grade": 5})
    [record] = rejected_records(cache.outbox)
    assert record.uuid == uuid
    assert record.receipt_no == "T0007-000001"
    assert record.kind == "submission"
    assert record.service_code == "SVC-001"
    assert record.attempts == 1
    assert ID_NUMBER not in record.reason
    assert "invalid" in record.reason
    text = json.dumps(record.to_json(), ensure_ascii=False)
    assert NAME not in text
    assert ID_NUMBER not in text


def test_overview_counts_and_sync_state(cache: OfflineCache) -> None:
    reject(cache, "SVC-001", "bad")
    cache.outbox.add_rating({"grade": 4})
    cache.sync_state.record_error("connection refused", datetime(2026, 1, 2, tzinfo=UTC))
    overview = sync_overview(cache, None)
    assert (overview.pending, overview.sending, overview.rejected, overview.depth) == (1, 0, 1, 1)
    assert overview.network is NetworkState.DISABLED
    assert not overview.running
    assert overview.last_error == "connection refused"
    assert overview.oldest_unsent_at is not None
    assert overview.oldest_unsent_age_s(overview.oldest_unsent_at) == 0.0
    assert [r.service_code for r in overview.rejected_items] == ["SVC-001"]
    assert overview.outbox_json()["rejected"] == 1


def test_retry_moves_the_item_back_to_pending_and_audits(cache: OfflineCache, tmp_path: Path) -> None:
    uuid = reject(cache, "SVC-002", "bad")
    record = retry_rejected(cache, None, uuid, tmp_path / "data")
    assert record.receipt_no == "T0007-000001"
    assert cache.outbox.get(uuid).state == "pending"
    [entry] = audit_log_for(tmp_path / "data").tail()
    assert entry.action == "sync.retry_rejected"
    assert entry.details == {"receipt_no": "T0007-000001", "kind": "submission", "service_code": "SVC-002"}
    with pytest.raises(NoLongerRejected):
        retry_rejected(cache, None, uuid, tmp_path / "data")


def test_export_rejected_writes_the_metadata(cache: OfflineCache, tmp_path: Path) -> None:
    reject(cache, "SVC-001", "reason one")
    reject(cache, "SVC-002", "reason two")
    folder = tmp_path / "stick"
    folder.mkdir()
    path, count = export_rejected(cache, folder, terminal_id="T0007", data_dir=tmp_path / "data",
                                  clock=lambda: datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC))
    assert count == 2
    assert [p.name for p in folder.iterdir()] == [path.name]
    document = json.loads(path.read_text("utf-8"))
    assert document["terminal_id"] == "T0007"
    assert [item["reason"] for item in document["items"]] == ["reason one", "reason two"]
    assert NAME not in path.read_text("utf-8")
    assert audit_log_for(tmp_path / "data").tail()[-1].details == {"items": 2, "folder": str(folder)}


def test_export_rejected_to_a_missing_folder(cache: OfflineCache, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export_rejected(cache, tmp_path / "gone", terminal_id="T0007", data_dir=tmp_path / "data")
    assert audit_log_for(tmp_path / "data").tail() == []


def test_export_support_puts_outbox_figures_in_the_manifest(cache: OfflineCache, tmp_path: Path) -> None:
    from kiosk.config import Config
    from kiosk.technician.outbox_admin import export_support

    reject(cache, "SVC-001", "bad code")
    folder = tmp_path / "stick"
    folder.mkdir()
    result = export_support(cache, None, folder, config=Config(), data_dir=tmp_path / "data")
    manifest = json.loads((result.path / "manifest.json").read_text("utf-8"))
    assert manifest["outbox"]["rejected"] == 1
    rejected = json.loads((result.path / "outbox-rejected.json").read_text("utf-8"))
    assert [item["reason"] for item in rejected] == ["bad code"]
    assert NAME not in (result.path / "outbox-rejected.json").read_text("utf-8")
    assert audit_log_for(tmp_path / "data").tail()[-1].action == "logs.exported"
    with pytest.raises(ExportError):
        export_support(cache, None, tmp_path / "gone", config=Config(), data_dir=tmp_path / "data")
    assert audit_log_for(tmp_path / "data").tail()[-1].details == {"folder": str(tmp_path / "gone"),
                                                                    "reason": "missing"}


@pytest.mark.parametrize(("seconds", "text"), [
    (5, "5 秒 / 5 s"), (180, "3 分钟 / 3 min"), (7500, "2 小时 5 分 / 2 h 5 min"), (3 * 86400, "3 天 / 3 d"),
])
def test_format_age(seconds: float, text: str) -> None:
    from kiosk.technician.outbox_admin import format_age

    assert format_age(seconds) == text


def test_request_sync_and_its_outcome(cache: OfflineCache, tmp_path: Path) -> None:
    from kiosk.technician.outbox_admin import request_sync, sync_outcome

    before = request_sync(cache, None, tmp_path / "data")
    assert audit_log_for(tmp_path / "data").tail()[-1].action == "sync.now"
    assert sync_outcome(before, sync_overview(cache, None)) is None
    cache.sync_state.record_error("timeout", datetime(2026, 1, 1, tzinfo=UTC))
    assert sync_outcome(before, sync_overview(cache, None)) == "error"
    cache.sync_state.record_contact(datetime(2026, 1, 1, 0, 1, tzinfo=UTC))
    assert sync_outcome(before, sync_overview(cache, None)) == "contact"
