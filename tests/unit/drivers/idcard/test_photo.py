"""The WLT photo stays raw unless a licensed decoder is plugged in; without one the UI learns why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.idcard import photo


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    yield
    photo.set_photo_decoder(None)


def test_without_decoder_the_reason_is_given() -> None:
    photo.set_photo_decoder(None)
    result = photo.decode_photo(bytes(1024))
    assert result.bmp is None
    assert result.message_key == "idcard.photo_unavailable"


def test_a_plugged_decoder_is_used() -> None:
    class Fake:
        name = "fake"

        def decode(self, wlt: bytes) -> bytes:
            return b"BM" + wlt[:4]

    photo.set_photo_decoder(Fake())
    assert photo.decode_photo(b"\x01\x02\x03\x04" + bytes(1020)) == photo.PhotoResult(b"BM\x01\x02\x03\x04", "")
    assert photo.photo_decoder().name == "fake"


def test_digest_is_stable() -> None:
    assert photo.photo_digest(bytes(1024)) == photo.photo_digest(bytes(1024))
    assert photo.photo_digest(bytes(1024)) != photo.photo_digest(b"\x01" + bytes(1023))
