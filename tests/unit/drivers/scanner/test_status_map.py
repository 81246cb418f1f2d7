"""SANE status texts become typed errors with screen messages in Chinese and English."""

from __future__ import annotations

import pytest

from drivers.errors import DeviceBusy
from drivers.scanner import errors, messages
from drivers.scanner.status_map import error_for


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Document feeder out of documents", errors.NoDocument, "scanner.no_document"),
        ("Document feeder jammed", errors.PaperJammed, "scanner.jammed"),
        ("Scanner cover is open", errors.CoverOpen, "scanner.cover_open"),
        ("Device busy", errors.ScannerBusy, "scanner.busy"),
        ("Error during device I/O", errors.ScannerIOError, "scanner.io_error"),
        ("Operation was canceled", errors.ScanCancelled, "scanner.cancelled"),
        ("Access to resource has been denied", errors.ScannerError, "scanner.access_denied"),
        ("Something new in SANE 2", errors.ScannerError, "scanner.error"),
    ],
)
def test_status_text_maps_to_a_typed_error(text: str, kind: type, code: str) -> None:
    err = error_for(text)
    assert isinstance(err, kind)
    assert err.code == code
    assert text in str(err)


def test_busy_is_also_the_generic_device_busy() -> None:
    assert isinstance(error_for("Device busy"), DeviceBusy)


def test_every_message_key_has_chinese_and_english_text() -> None:
    keys = {
        cls.message_key for cls in vars(errors).values()
        if isinstance(cls, type) and cls.__module__ == errors.__name__
    }
    for key in keys:
        assert key in messages.MESSAGES, key
        zh, en = messages.MESSAGES[key]
        assert zh != en
    assert messages.message("scanner.jammed", "en").startswith("The feeder is jammed")
    assert "卡纸" in messages.message("scanner.jammed")
