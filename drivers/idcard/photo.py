"""The ID photo: 1024 bytes of proprietary WLT, decodable only by a licensed vendor library.

No open decoder exists (device-protocols.md 3), and guessing at the format is not an option, so the
card keeps the raw bytes and decoding goes through this small interface. A vendor package plugs in
by exposing a `PhotoDecoder` factory under the entry-point group `gov_kiosk.wlt_decoders`, or the
application calls `set_photo_decoder()`. Without one, `decode_photo` says why the UI shows a neutral
placeholder (`PhotoResult.message_key`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Protocol

from drivers.idcard.errors import PhotoUnavailable

log = logging.getLogger("drivers.idcard.photo")

ENTRY_POINT_GROUP = "gov_kiosk.wlt_decoders"
PHOTO_WIDTH = 102
PHOTO_HEIGHT = 126


class PhotoDecoder(Protocol):
    name: str

    def decode(self, wlt: bytes) -> bytes:
        """The photo as a BMP file (102 × 126, 24-bit; 38,862 bytes); raises PhotoUnavailable on failure."""
        ...


class NoPhotoDecoder:
    name = "none"

    def decode(self, wlt: bytes) -> bytes:
        raise PhotoUnavailable("no WLT photo decoder installed")


@dataclass(frozen=True)
class PhotoResult:
    bmp: bytes | None = field(repr=False)
    message_key: str  # empty when bmp is set; else why the placeholder is shown


_lock = threading.Lock()
_decoder: PhotoDecoder | None = None


def set_photo_decoder(decoder: PhotoDecoder | None) -> None:
    """Installs a decoder (None: go back to discovery through entry points)."""
    global _decoder
    with _lock:
        _decoder = decoder


def photo_decoder() -> PhotoDecoder:
    """The installed decoder, else the first entry point that loads, else `NoPhotoDecoder`."""
    global _decoder
    with _lock:
        if _decoder is None:
            _decoder = NoPhotoDecoder()
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                try:
                    _decoder = ep.load()()
                    break
                except Exception:  # a broken vendor plug-in must not stop the kiosk
                    log.exception("WLT decoder plug-in %s failed to load", ep.name)
        return _decoder


def decode_photo(wlt: bytes, decoder: PhotoDecoder | None = None) -> PhotoResult:
    decoder = decoder or photo_decoder()
    try:
        return PhotoResult(decoder.decode(wlt), "")
    except PhotoUnavailable as exc:
        return PhotoResult(None, exc.message_key)


def photo_digest(wlt: bytes) -> str:
    """SHA-256 of the raw photo: recognises the same card presented again without decoding it."""
    return hashlib.sha256(wlt).hexdigest()
