"""Outbox: state machine, receipts, ordering, recovery, privacy at rest, purge, look-ups."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from offline_cache.crypto import Sealer
from offline_cache.db import Database
from offline_cache.errors import IllegalTransitionError, ItemLockedError, OutboxItemNotFound, TamperedDataError
from offline_cache.outbox import CapturedPage, Outbox
from tests.unit.offline_cache.factories import FakeClock

NAME = "欧阳娜娜测试"
ID_NUMBER = "33010619901231987X"
PHONE = "13912345678"
ADDRESS = "杭州市西湖区文三路九十九号"
PAGE_BYTES = b"\x89PNG distinctive-scan-bytes 4f1c2e" * 50


def personal() -> dict[str, str]:
    return {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS}


def page(clock: FakeClock, data: bytes = PAGE_BYTES) -> CapturedPage:
    return CapturedPage(data, "image/jpeg", "camera:0", clock.now, identified_by_card=True)


def submit(outbox: Outbox, clock: FakeClock, **kwargs: object) -> str:
    item = outbox.add_submission(
        "330000-GA-XK-0001", {"reason": "到期换领"}, personal(), [page(clock)], **kwargs  # type: ignore[arg-type]
    )
    return item.uuid


# --- adding and receipts ----------------------------------------------------------------------------


def test_add_submission_returns_the_committed_item(outbox: Outbox, clock: FakeClock, db: Database) -> None:
    item = outbox.add_submission("330000-GA-XK-0001", {"reason": "到期换领"}, personal(), [page(clock)])
    assert item.state == "pending"
    assert item.kind == "submission"
    assert item.receipt_no == "T0001-000001"
    assert item.attempts == 0
    assert item.created_at == clock.now
    assert outbox.read_fields(item.uuid) == {"reason": "到期换领"}
    assert [(a.size, a.media_type, a.device, a.identified_by_card) for a in item.attachments] == [
        (len(PAGE_BYTES), "image/jpeg", "camera:0", True)
    ]
    # Committed: a second connection (another thread's) sees it.
    other = Database(db.path)
    try:
        assert other.connection().execute("SELECT count(*) FROM outbox_item").fetchone()[0] == 1
    finally:
        other.close()
    assert outbox.read_personal(item.uuid) == personal()
    assert outbox.read_attachment(item.attachments[0].sha256) == PAGE_BYTES
    assert NAME not in repr(item)
    assert ID_NUMBER not in repr(item)


def test_receipt_numbers_are_unique_and_monotonic_even_after_purge(
    outbox: Outbox, clock: FakeClock, db: Database, sealer: Sealer
) -> None:
    numbers = []
    for _ in range(3):
        uuid = submit(outbox, clock)
        numbers.append(outbox.get(uuid).receipt_no)
        outbox.mark_sending(uuid)
        outbox.mark_accepted(uuid, f"CASE-{uuid[:6]}")
    numbers.append(outbox.add_rating({"grade": 5}).receipt_no)
    numbers.append(outbox.add_heartbeat({"depth": 0}).receipt_no)
    clock.advance(days=40)
    assert outbox.purge_accepted(timedelta(days=30)) == 3
    # A fresh Outbox on the same file (a restart) continues the sequence.
    restarted = Outbox(db, sealer, "T0001", clock=clock)
    numbers.append(restarted.add_heartbeat({}).receipt_no)
    sequence = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert sequence == list(range(1, 7))
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("T0001-") and len(n) == len("T0001-000001") for n in numbers)


def test_bad_terminal_id_and_payloads_are_refused(db: Database, sealer: Sealer) -> None:
    with pytest.raises(ValueError, match="terminal id"):
        Outbox(db, sealer, "T 1")
    outbox = Outbox(db, sealer, "T0001")
    with pytest.raises(ValueError, match="JSON"):
        outbox.add_submission("X", {"when": object()}, {})
    with pytest.raises(ValueError, match="service_code"):
        outbox.add_submission("", {}, {})


def test_same_attachment_bytes_are_stored_once(outbox: Outbox, clock: FakeClock, db: Database) -> None:
    first = submit(outbox, clock)
    second = submit(outbox, clock)
    assert outbox.get(first).attachments[0].sha256 == outbox.get(second).attachments[0].sha256
    assert db.connection().execute("SELECT count(*) FROM attachment").fetchone()[0] == 1


# --- state machine --------------------------------------------------------------------------------------


def test_legal_path_pending_sending_accepted(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    sending = outbox.mark_sending(uuid)
    assert (sending.state, sending.attempts, sending.locked) == ("sending", 1, True)
    accepted = outbox.mark_accepted(uuid, "ZJ2026-0001", {"status": "受理"})
    assert (accepted.state, accepted.case_no, accepted.accepted_at) == ("accepted", "ZJ2026-0001", clock.now)
    assert outbox.read_answer(uuid) == {"status": "受理"}


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], "mark_accepted"),  # pending → accepted
        ([], "mark_rejected"),  # pending → rejected
        ([], "mark_retry"),  # pending → pending
        ([], "requeue"),  # pending → pending
        (["mark_sending"], "mark_sending"),  # sending → sending
        (["mark_sending", "mark_accepted"], "mark_sending"),  # accepted is final
        (["mark_sending", "mark_accepted"], "mark_retry"),
        (["mark_sending", "mark_accepted"], "mark_rejected"),
        (["mark_sending", "mark_accepted"], "requeue"),
        (["mark_sending", "mark_rejected"], "mark_accepted"),
        (["mark_sending", "mark_rejected"], "mark_sending"),  # quarantined until requeued
    ],
)
def test_illegal_transitions_raise(outbox: Outbox, clock: FakeClock, steps: list[str], illegal: str) -> None:
    uuid = submit(outbox, clock)

    def call(name: str) -> None:
        method = getattr(outbox, name)
        if name == "mark_accepted":
            method(uuid, "CASE-1")
        elif name == "mark_rejected":
            method(uuid, "400 bad form")
        elif name == "mark_retry":
            method(uuid, "timeout", clock.now)
        else:
            method(uuid)

    for step in steps:
        call(step)
    before = outbox.get(uuid)
    with pytest.raises(IllegalTransitionError) as caught:
        call(illegal)
    assert caught.value.uuid == uuid
    assert outbox.get(uuid) == before  # nothing changed


def test_unknown_uuid_raises_not_found(outbox: Outbox) -> None:
    with pytest.raises(OutboxItemNotFound):
        outbox.mark_sending("00000000-0000-4000-8000-000000000000")
    with pytest.raises(OutboxItemNotFound):
        outbox.get("nope")


def test_locked_item_cannot_be_amended_only_superseded(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    amended = outbox.amend_submission(uuid, fields={"reason": "遗失补领"}, personal={"name": "改"})
    assert outbox.read_fields(amended.uuid) == {"reason": "遗失补领"}
    assert outbox.read_personal(uuid) == {"name": "改"}
    outbox.mark_sending(uuid)
    outbox.mark_retry(uuid, "connection reset", clock.now)
    with pytest.raises(ItemLockedError, match="supersede"):
        outbox.amend_submission(uuid, fields={"reason": "x"})
    newer = outbox.add_submission("330000-GA-XK-0001", {"reason": "x"}, personal(), supersedes=uuid)
    assert newer.supersedes == uuid
    with pytest.raises(OutboxItemNotFound):
        outbox.add_submission("X", {}, {}, supersedes="no-such-uuid")


# --- delivery order ------------------------------------------------------------------------------------


def test_next_due_is_oldest_first_and_honours_next_attempt_at(outbox: Outbox, clock: FakeClock) -> None:
    first = submit(outbox, clock)
    clock.advance(seconds=1)
    second = outbox.add_heartbeat({"depth": 1}).uuid
    assert outbox.next_due().uuid == first  # type: ignore[union-attr]
    outbox.mark_sending(first)
    assert outbox.next_due().uuid == second  # type: ignore[union-attr]
    outbox.mark_retry(first, "HTTP 503", clock.now + timedelta(seconds=30))
    assert outbox.next_due().uuid == second  # type: ignore[union-attr]
    outbox.mark_sending(second)
    assert outbox.next_due() is None
    clock.advance(seconds=30)
    assert outbox.next_due().uuid == first  # type: ignore[union-attr]
    assert outbox.next_due(clock.now - timedelta(seconds=1)) is None


def test_rejected_items_never_block_the_queue(outbox: Outbox, clock: FakeClock) -> None:
    bad = submit(outbox, clock)
    good = submit(outbox, clock)
    outbox.mark_sending(bad)
    outbox.mark_rejected(bad, "HTTP 422: 材料不全")
    assert outbox.next_due().uuid == good  # type: ignore[union-attr]
    assert [(i.uuid, i.last_error) for i in outbox.rejected()] == [(bad, "HTTP 422: 材料不全")]
    requeued = outbox.requeue(bad)
    assert (requeued.state, requeued.uuid) == ("pending", bad)
    assert outbox.next_due().uuid == bad  # type: ignore[union-attr]
    assert outbox.rejected() == []


def test_rating_waits_for_its_submission_and_gets_the_case_number(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    receipt = outbox.get(uuid).receipt_no
    rating = outbox.add_rating({"grade": "非常满意"}, rated_receipt_no=receipt)
    outbox.mark_sending(uuid)
    outbox.mark_retry(uuid, "timeout", clock.now + timedelta(minutes=5))
    assert outbox.next_due() is None  # the rating waits for the submission in backoff
    clock.advance(minutes=5)
    assert outbox.next_due().uuid == uuid  # type: ignore[union-attr]
    outbox.mark_sending(uuid)
    outbox.mark_accepted(uuid, "ZJ2026-0042")
    due = outbox.next_due()
    assert due is not None
    assert (due.uuid, due.rated_receipt_no, due.rated_case_no) == (rating.uuid, receipt, "ZJ2026-0042")
    # A rating made after acceptance is tied at once.
    later = outbox.add_rating({"grade": "满意"}, rated_receipt_no=receipt)
    assert later.rated_case_no == "ZJ2026-0042"


def test_rating_on_a_rejected_submission_is_not_held_back(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    rating = outbox.add_rating({"grade": 1}, rated_receipt_no=outbox.get(uuid).receipt_no)
    outbox.mark_sending(uuid)
    outbox.mark_rejected(uuid, "HTTP 400")
    assert outbox.next_due().uuid == rating.uuid  # type: ignore[union-attr]


def test_recover_interrupted_items_retries_with_the_same_uuid(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    outbox.mark_sending(uuid)
    other = submit(outbox, clock)
    clock.advance(seconds=10)
    assert outbox.recover_interrupted() == 1
    item = outbox.get(uuid)
    assert (item.state, item.attempts, item.next_attempt_at) == ("pending", 1, clock.now)
    assert item.last_error is not None
    assert "interrupted" in item.last_error
    assert outbox.next_due().uuid == uuid  # type: ignore[union-attr]
    assert outbox.get(other).state == "pending"
    assert outbox.recover_interrupted() == 0


# --- stats, look-ups, purge --------------------------------------------------------------------------


def test_stats(outbox: Outbox, clock: FakeClock) -> None:
    assert outbox.stats().depth == 0
    assert outbox.stats().oldest_unsent_at is None
    first = submit(outbox, clock)
    oldest = clock.now
    clock.advance(hours=1)
    second = submit(outbox, clock)
    third = outbox.add_heartbeat({}).uuid
    outbox.mark_sending(first)
    outbox.mark_sending(second)
    outbox.mark_accepted(second, "C2")
    outbox.mark_sending(third)
    outbox.mark_rejected(third, "HTTP 401")
    stats = outbox.stats()
    assert stats.depth == 1
    assert stats.oldest_unsent_at == oldest
    assert dict(stats.by_state) == {"pending": 0, "sending": 1, "accepted": 1, "rejected": 1}


def test_lookup_by_receipt_and_case_number(outbox: Outbox, clock: FakeClock) -> None:
    uuid = submit(outbox, clock)
    receipt = outbox.get(uuid).receipt_no
    assert outbox.find_by_receipt(receipt).uuid == uuid  # type: ignore[union-attr]
    assert outbox.find_by_case("ZJ-1") is None
    outbox.mark_sending(uuid)
    outbox.mark_accepted(uuid, "ZJ-1")
    assert outbox.find_by_case("ZJ-1").receipt_no == receipt  # type: ignore[union-attr]
    assert outbox.find_by_receipt("T0001-999999") is None


def test_purge_drops_personal_data_and_unreferenced_blobs_after_retention(
    outbox: Outbox, clock: FakeClock, db: Database
) -> None:
    shared = b"shared page bytes" * 10
    old = outbox.add_submission("S", {"f": 1}, personal(), [page(clock), page(clock, shared)]).uuid
    keep = outbox.add_submission("S", {"f": 2}, personal(), [page(clock, shared)]).uuid
    beat = outbox.add_heartbeat({}).uuid
    for uuid in (old, beat):
        outbox.mark_sending(uuid)
        outbox.mark_accepted(uuid, "CASE-OLD" if uuid == old else "HB")
    clock.advance(days=29)
    assert outbox.purge_accepted(timedelta(days=30)) == 0
    clock.advance(days=2)
    assert outbox.purge_accepted(timedelta(days=30)) == 1
    purged = outbox.get(old)
    assert purged.purged_at == clock.now
    assert outbox.read_fields(old) == {}
    assert purged.attachments == ()
    assert (purged.receipt_no, purged.case_no) == ("T0001-000001", "CASE-OLD")
    assert outbox.read_personal(old) == {}
    assert outbox.read_answer(old) is None
    with pytest.raises(OutboxItemNotFound):
        outbox.read_attachment(outbox.get(keep).attachments[0].sha256.replace("0", "1", 1) + "x")
    with pytest.raises(OutboxItemNotFound):
        outbox.get(beat)  # accepted heartbeats go entirely
    # The page only the purged item used is gone; the shared one stays for the pending item.
    remaining = [row[0] for row in db.connection().execute("SELECT sha256 FROM attachment")]
    assert remaining == [outbox.get(keep).attachments[0].sha256]
    assert outbox.read_attachment(remaining[0]) == shared
    assert outbox.read_personal(keep) == personal()
    assert outbox.find_by_case("CASE-OLD").uuid == old  # type: ignore[union-attr]


# --- privacy at rest --------------------------------------------------------------------------------


def _raw_files(db: Database) -> bytes:
    blobs = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(str(db.path) + suffix)
        if path.exists():
            blobs += path.read_bytes()
    return blobs


def test_no_personal_data_in_clear_in_db_wal_or_shm(outbox: Outbox, clock: FakeClock, db: Database) -> None:
    uuid = submit(outbox, clock)
    outbox.mark_sending(uuid)
    outbox.mark_accepted(uuid, "ZJ-7", {"applicant": NAME, "phone": PHONE})
    outbox.add_rating({"grade": 5}, personal={"name": NAME, "phone": PHONE})
    raw = _raw_files(db)
    assert len(raw) > 0
    assert Path(str(db.path) + "-wal").exists()  # the check covers the WAL while it holds the data
    for value in (NAME, ID_NUMBER, PHONE, ADDRESS):
        for encoding in ("utf-8", "gbk", "utf-16-le"):
            assert value.encode(encoding) not in raw, (value, encoding)
    assert b"distinctive-scan-bytes" not in raw
    # ... and after a checkpoint moved everything into the main file.
    db.checkpoint()
    raw = _raw_files(db)
    assert NAME.encode() not in raw
    assert ID_NUMBER.encode() not in raw
    assert b"distinctive-scan-bytes" not in raw


def test_personal_data_never_reaches_logs(
    outbox: Outbox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="offline_cache")
    uuid = submit(outbox, clock)
    outbox.mark_sending(uuid)
    outbox.mark_rejected(uuid, "HTTP 422")
    outbox.requeue(uuid)
    outbox.mark_sending(uuid)
    outbox.mark_accepted(uuid, "ZJ-9", {"name": NAME})
    clock.advance(days=100)
    outbox.purge_accepted(timedelta(days=1))
    assert caplog.records  # the outbox does log; just nothing personal
    for value in (NAME, ID_NUMBER, PHONE, ADDRESS):
        assert value not in caplog.text


# --- tampering ------------------------------------------------------------------------------------------


def test_swapped_ciphertext_between_items_fails_authentication(
    outbox: Outbox, clock: FakeClock, db: Database
) -> None:
    first = submit(outbox, clock)
    second = outbox.add_submission("S", {}, {"name": "另一人"}, [page(clock, b"other bytes")]).uuid
    conn = db.connection()
    conn.execute(
        "UPDATE outbox_item SET sealed_personal = (SELECT sealed_personal FROM outbox_item WHERE uuid = ?) "
        "WHERE uuid = ?",
        (first, second),
    )
    with pytest.raises(TamperedDataError, match=second):
        outbox.read_personal(second)
    sha_first = outbox.get(first).attachments[0].sha256
    sha_second = outbox.get(second).attachments[0].sha256
    conn.execute(
        "UPDATE attachment SET sealed = (SELECT sealed FROM attachment WHERE sha256 = ?) WHERE sha256 = ?",
        (sha_first, sha_second),
    )
    with pytest.raises(TamperedDataError, match="failed authentication"):
        outbox.read_attachment(sha_second)


def test_flipped_ciphertext_bit_raises_a_clear_error(outbox: Outbox, clock: FakeClock, db: Database) -> None:
    uuid = submit(outbox, clock)
    conn = db.connection()
    sealed = bytearray(conn.execute("SELECT sealed_personal FROM outbox_item WHERE uuid = ?", (uuid,)).fetchone()[0])
    sealed[-5] ^= 0x01
    conn.execute("UPDATE outbox_item SET sealed_personal = ? WHERE uuid = ?", (bytes(sealed), uuid))
    with pytest.raises(TamperedDataError, match="altered"):
        outbox.read_personal(uuid)


def test_concurrent_writers_on_two_threads_get_distinct_receipts(
    db: Database, sealer: Sealer, clock: FakeClock
) -> None:
    import threading

    outbox = Outbox(db, sealer, "T0001", clock=clock)
    receipts: list[str] = []
    lock = threading.Lock()

    adders = {
        "submission": lambda: outbox.add_submission("S", {}, {"name": "x"}),
        "heartbeat": lambda: outbox.add_heartbeat({}),
    }

    def writer(kind: str) -> None:
        for _ in range(25):
            item = adders[kind]()
            with lock:
                receipts.append(item.receipt_no)
        db.close_thread_connection()

    threads = [threading.Thread(target=writer, args=(kind,)) for kind in ("submission", "heartbeat")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(receipts) == [f"T0001-{n:06d}" for n in range(1, 51)]


# --- licence uses ---------------------------------------------------------------------------------------------

LICENCE_ID = "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K.2019000123.001.K"
CONSENT_ID = "3a0e5f7c-1d2b-4c6e-9f80-7b1a2c3d4e5f"


def test_licence_uses_are_stored_with_their_declaration_and_sealed(
    outbox: Outbox, clock: FakeClock, db: Database
) -> None:
    from offline_cache.outbox import LicenceUse

    declaration = outbox.add_submission(
        "330000-GA-QR-0005", {}, personal(), licence_uses=[LicenceUse(LICENCE_ID, CONSENT_ID)] * 2
    )
    uses = [outbox.find_by_receipt(f"T0001-00000{n}") for n in (2, 3)]
    assert [(u.kind, u.service_code, u.state) for u in uses if u] == [("licence_use", "330000-GA-QR-0005",
                                                                        "pending")] * 2
    assert outbox.read_fields(uses[0].uuid) == {  # type: ignore[union-attr]
        "licence_id": LICENCE_ID, "consent_id": CONSENT_ID,
        "declaration": {"idempotency_key": declaration.uuid, "local_receipt_no": declaration.receipt_no},
    }
    # Delivered after the declaration, not held back by it, and counted like every item.
    assert outbox.next_due(clock.now).uuid == declaration.uuid  # type: ignore[union-attr]
    assert outbox.stats().depth == 3
    raw = _raw_files(db)
    assert LICENCE_ID.encode() not in raw
    assert CONSENT_ID.encode() not in raw


def test_no_licence_use_is_stored_without_its_declaration(outbox: Outbox, clock: FakeClock) -> None:
    from offline_cache.outbox import LicenceUse

    with pytest.raises(OutboxItemNotFound):
        outbox.add_submission("S1", {}, personal(), supersedes="no-such-item",
                              licence_uses=[LicenceUse(LICENCE_ID, CONSENT_ID)])
    assert outbox.stats().depth == 0
    assert outbox.add_heartbeat({}).receipt_no == "T0001-000001"  # nothing was numbered either
