"""Lines from hand-held scanners: character sets and AIM symbology identifiers."""

from __future__ import annotations

import pytest

from drivers.barcode.errors import UnreadableCode
from drivers.barcode.protocol import BarcodeFormat
from drivers.barcode.serial_scanner import decode_line


def test_utf8_and_gb18030_lines() -> None:
    assert decode_line("受理编号".encode()).text == "受理编号"
    assert decode_line("受理编号".encode("gb18030")).text == "受理编号"


@pytest.mark.parametrize(
    ("prefix", "fmt"),
    [("]Q1", BarcodeFormat.QR_CODE), ("]E0", BarcodeFormat.EAN_13), ("]E4", BarcodeFormat.EAN_8),
     ("]C0", BarcodeFormat.CODE_128), ("]X0", BarcodeFormat.UNKNOWN)],
)
def test_aim_identifier_is_stripped_and_names_the_format(prefix: str, fmt: BarcodeFormat) -> None:
    code = decode_line((prefix + "T0001-000042").encode(), aim_ids=True)
    assert (code.format, code.text) == (fmt, "T0001-000042")


def test_without_aim_ids_the_text_is_kept_whole() -> None:
    code = decode_line(b"]Q1abc")
    assert (code.format, code.text) == (BarcodeFormat.UNKNOWN, "]Q1abc")


def test_an_identifier_alone_is_unreadable() -> None:
    with pytest.raises(UnreadableCode):
        decode_line(b"]Q1", aim_ids=True)
