"""Key file handling and sealing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from offline_cache.crypto import KEY_BYTES, Sealer, load_or_create_key
from offline_cache.db import Database
from offline_cache.errors import KeyFileError, KeyFilePermissionError, KeyMismatchError, TamperedDataError
from offline_cache.outbox import Outbox


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "outbox.key"
    old_umask = os.umask(0o000)  # even a permissive umask must not loosen the mode
    try:
        key = load_or_create_key(path)
    finally:
        os.umask(old_umask)
    assert len(key) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["outbox.key"]  # no temporary file left behind


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_key_file_with_loose_permissions_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "outbox.key"
    load_or_create_key(path)
    path.chmod(mode)
    with pytest.raises(KeyFilePermissionError, match="chmod 600"):
        load_or_create_key(path)


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_key_file_of_wrong_length_is_refused(tmp_path: Path, length: int) -> None:
    path = tmp_path / "outbox.key"
    path.write_bytes(b"k" * length)
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="32 bytes"):
        load_or_create_key(path)


def test_key_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.key"
    path.mkdir(mode=0o700)
    with pytest.raises(KeyFileError):
        load_or_create_key(path)


def test_seal_binds_purpose_and_identifier() -> None:
    sealer = Sealer(b"\x01" * KEY_BYTES)
    blob = sealer.seal(b"secret", purpose="personal", ident="uuid-1")
    assert b"secret" not in blob
    assert sealer.open(blob, purpose="personal", ident="uuid-1") == b"secret"
    with pytest.raises(TamperedDataError):
        sealer.open(blob, purpose="personal", ident="uuid-2")
    with pytest.raises(TamperedDataError):
        sealer.open(blob, purpose="answer", ident="uuid-1")
    with pytest.raises(TamperedDataError, match="different key"):
        Sealer(b"\x02" * KEY_BYTES).open(blob, purpose="personal", ident="uuid-1")
    with pytest.raises(TamperedDataError, match="truncated"):
        sealer.open(blob[:10], purpose="personal", ident="uuid-1")
    # Two seals of the same plaintext differ (random nonce).
    assert sealer.seal(b"x", purpose="p", ident="i") != sealer.seal(b"x", purpose="p", ident="i")


def test_replaced_key_file_is_detected_before_use(tmp_path: Path) -> None:
    db = Database(tmp_path / "kiosk.db")
    try:
        Outbox(db, Sealer(b"\x01" * KEY_BYTES), "T0001").add_heartbeat({})
        with pytest.raises(KeyMismatchError, match="different key"):
            Outbox(db, Sealer(b"\x02" * KEY_BYTES), "T0001")
    finally:
        db.close()
