"""pyscard exceptions → typed errors, by PC/SC return code (no pcscd needed)."""

from __future__ import annotations

import pytest

from drivers.citizencard import pcsc_reader
from drivers.citizencard.errors import (
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    CitizenCardError,
    NoCardPresent,
    PcscUnavailable,
    ReaderNotFound,
)


class CardConnectionException(Exception):
    def __init__(self, hresult: int) -> None:
        super().__init__("x")
        self.hresult = hresult


@pytest.mark.parametrize(
    ("hresult", "connected", "error"),
    [
        (0x80100069, True, CardRemoved),
        (-2146434967, True, CardRemoved),  # the same code as a signed 32-bit value
        (0x80100068, True, CardRemoved),
        (0x8010000C, True, CardRemoved),
        (0x8010000C, False, NoCardPresent),
        (0x80100009, False, ReaderNotFound),
        (0x80100017, True, ReaderNotFound),
        (0x8010001D, False, PcscUnavailable),
        (0x8010000A, True, CardTimeout),
        (0x80100066, False, CardProtocolError),
        (-1, True, CardProtocolError),
    ],
)
def test_map_pcsc_error(hresult: int, connected: bool, error: type[CitizenCardError]) -> None:
    mapped = pcsc_reader.map_pcsc_error(CardConnectionException(hresult), connected=connected)
    assert type(mapped) is error


def test_a_typed_error_passes_through() -> None:
    error = CardRemoved("x")
    assert pcsc_reader.map_pcsc_error(error, connected=True) is error


def test_a_call_that_overruns_is_abandoned() -> None:
    import threading

    release = threading.Event()
    value, call = pcsc_reader.call_with_timeout(lambda: release.wait(5), 0.01, connected=True)
    assert value is None
    assert not call.done.is_set()
    release.set()
    assert call.done.wait(5)
