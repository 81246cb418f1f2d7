"""Encryption at rest for the outbox: AES-256-GCM with a key file readable by the kiosk user only.

Every ciphertext is bound by its associated data to what it belongs to (purpose and item UUID, or
the attachment's sha256), so a blob copied onto another row fails authentication instead of being
decrypted as someone else's data.

The key file is created on first start with mode 0600 by writing a temporary file and hard-linking
it into place, so a crash never leaves a short key file and two processes starting together agree
on one key. A key file with group/other permission bits, of the wrong length, or not a regular file
is refused with a message that says how to fix it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_cache.errors import KeyFileError, KeyFilePermissionError, TamperedDataError

_log = logging.getLogger(__name__)

KEY_BYTES = 32
_NONCE_BYTES = 12
_FORMAT = b"\x01"  # first byte of every sealed blob, so the scheme can change later
_AAD_PREFIX = b"gov-kiosk/outbox/1|"


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise KeyFileError(f"cannot open key file {path}: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(f"key file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise KeyFilePermissionError(
                f"key file {path} has mode {stat.S_IMODE(info.st_mode):04o}; it must be readable by the kiosk "
                f"user only (chmod 600 {path})"
            )
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        raise KeyFileError(
            f"key file {path} holds {len(data) if len(data) <= KEY_BYTES else 'more than ' + str(KEY_BYTES)} "
            f"bytes; a key is exactly {KEY_BYTES} bytes (restore the original key file)"
        )
    return data


def _create_key(path: Path) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise KeyFileError(f"cannot create key file in {path.parent}: {exc.strerror}") from exc
    try:
        try:
            # The umask may only remove bits, but make the mode exact rather than assume.
            os.fchmod(fd, 0o600)
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            # link() never replaces an existing file: if another process won the race, we use its key.
            os.link(temporary, path)
    except OSError as exc:
        raise KeyFileError(f"cannot create key file {path}: {exc.strerror}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    _log.info("created a new outbox key file at %s", path)


def load_or_create_key(path: Path | str) -> bytes:
    """The 32-byte key in `path`, creating the file (mode 0600) if it does not exist yet."""
    path = Path(path)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    _create_key(path)
    try:
        return _read_key(path)
    except FileNotFoundError as exc:
        raise KeyFileError(f"key file {path} vanished right after it was created") from exc


class Sealer:
    """AES-GCM sealing of byte strings bound to a purpose and an identifier. Thread-safe."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise KeyFileError(f"a key is exactly {KEY_BYTES} bytes, got {len(key)}")
        self._aead = AESGCM(key)
        # Stored in the database to notice a replaced key file before anything is sealed with it.
        self.key_id = hashlib.sha256(b"gov-kiosk key id|" + key).hexdigest()[:16]

    @classmethod
    def from_key_file(cls, path: Path | str) -> Sealer:
        return cls(load_or_create_key(path))

    @staticmethod
    def _aad(purpose: str, ident: str) -> bytes:
        return _AAD_PREFIX + purpose.encode() + b"|" + ident.encode()

    def seal(self, plaintext: bytes, *, purpose: str, ident: str) -> bytes:
        """Format byte, random 96-bit nonce, ciphertext and tag."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, self._aad(purpose, ident))

    def open(self, blob: bytes, *, purpose: str, ident: str) -> bytes:
        """Decrypt a sealed blob; `TamperedDataError` if it was altered, moved or sealed with another key."""
        if len(blob) < 1 + _NONCE_BYTES + 16 or blob[:1] != _FORMAT:
            raise TamperedDataError(f"sealed {purpose} for {ident} is truncated or of an unknown format")
        nonce = blob[1 : 1 + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[1 + _NONCE_BYTES :], self._aad(purpose, ident))
        except InvalidTag:
            raise TamperedDataError(
                f"sealed {purpose} for {ident} failed authentication: altered, moved from another item, "
                "or sealed with a different key"
            ) from None
