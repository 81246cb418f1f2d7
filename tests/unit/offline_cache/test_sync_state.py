"""Sync state: contact times, errors, free values, case statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from offline_cache.catalog import Catalog
from offline_cache.db import Database
from offline_cache.sync_state import CaseStatus, SyncState
from tests.unit.offline_cache.factories import catalogue, make_item

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_contact_and_error(db: Database) -> None:
    state = SyncState(db)
    assert state.last_contact is None
    assert state.last_error is None
    state.record_error("HTTP 503 from platform", NOW)
    assert state.last_error == ("HTTP 503 from platform", NOW)
    state.record_contact(NOW + timedelta(minutes=1))
    assert state.last_contact == NOW + timedelta(minutes=1)
    assert state.last_error is None


def test_catalog_version_is_the_catalogues(db: Database) -> None:
    state = SyncState(db)
    assert state.catalog_version is None
    Catalog(db).import_document(catalogue([make_item("A", "港澳通行证")], version=12))
    assert state.catalog_version == 12


def test_free_values(db: Database) -> None:
    state = SyncState(db)
    assert state.get("next_heartbeat") is None
    state.put("next_heartbeat", {"at": 5})
    assert state.get("next_heartbeat") == {"at": 5}


def test_case_status_cache_keeps_the_newest(db: Database) -> None:
    state = SyncState(db)
    assert state.case_status("ZJ-1") is None
    state.put_case_status("ZJ-1", "受理", NOW)
    state.put_case_status("ZJ-1", "办结", NOW + timedelta(hours=1))
    state.put_case_status("ZJ-1", "审核中", NOW + timedelta(minutes=30))  # late, older answer
    assert state.case_status("ZJ-1") == CaseStatus("ZJ-1", "办结", NOW + timedelta(hours=1))
