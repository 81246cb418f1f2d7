"""Bad bytes never escape as anything but DocumentRefused, and no change to signed bytes is accepted.

Bounded so the suite stays fast: each case is one verify_pdf call of a few tens of milliseconds.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.documents.verify import DocumentRefused, Reason, verify_pdf
from tests.fixtures import signed_documents as sd

pytestmark = pytest.mark.usefixtures("refusals")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@functools.cache
def _good() -> bytes:
    return sd.signed()


def _signed_ranges(data: bytes) -> list[range]:
    match = re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", data)
    assert match is not None
    a, b, c, d = (int(n) for n in match.groups())
    return [range(a, a + b), range(c, c + d)]


def _outcome(data: bytes) -> DocumentRefused | None:
    try:
        verify_pdf(data, [sd.pki().root.cert])
    except DocumentRefused as refused:
        return refused
    return None


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10**6))
def test_a_truncated_document_is_refused(cut: int) -> None:
    good = _good()
    assert _outcome(good[: cut % len(good)]) is not None


@FUZZ
@given(position=st.integers(min_value=0, max_value=10**6), value=st.integers(min_value=0, max_value=255))
def test_a_changed_byte_is_refused_unless_it_lies_outside_what_is_signed(position: int, value: int) -> None:
    good = _good()
    at = position % len(good)
    if good[at] == value:
        value ^= 0x01
    changed = good[:at] + bytes([value]) + good[at + 1:]
    refused = _outcome(changed)
    if refused is None:
        # Only the signature's own /Contents (the gap in the byte range: its padding) may change unnoticed.
        assert not any(at in r for r in _signed_ranges(good)), f"byte {at} changed and the document still verified"


@FUZZ
@given(body=st.binary(min_size=0, max_size=4096))
def test_random_bytes_behind_a_pdf_header_are_refused(body: bytes) -> None:
    refused = _outcome(b"%PDF-1.7\n" + body)
    assert refused is not None


@FUZZ
@given(body=st.binary(min_size=1, max_size=300), at=st.integers(min_value=0, max_value=10**6))
def test_bytes_inserted_into_a_signed_document_are_refused(body: bytes, at: int) -> None:
    good = _good()
    at %= len(good)
    assert _outcome(good[:at] + body + good[at:]) is not None


def _replace_same_length(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new)
    assert old in data
    return data.replace(old, new, 1)


def _broken_contents(data: bytes, fill: bytes) -> bytes:
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", data)
    assert match is not None
    start, end = match.span(1)
    return data[:start] + (fill * (end - start))[: end - start] + data[end:]


def _shifted_range(data: bytes) -> bytes:
    match = re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", data)
    assert match is not None
    a, b, c, d = (int(n) for n in match.groups())
    old = match.group(0)
    new = f"/ByteRange [{a} {b - 1} {c} {d}]".encode().ljust(len(old))
    return _replace_same_length(data, old, new[: len(old)])


BROKEN = {
    "no ByteRange": lambda d: _replace_same_length(d, b"/ByteRange", b"/ByteRangX"),
    "ByteRange one byte short": _shifted_range,
    "Contents all zero": lambda d: _broken_contents(d, b"0"),
    "Contents garbage": lambda d: _broken_contents(d, b"3082ffff"),
    "Contents half DER": lambda d: _broken_contents(d, b"30"),
    "Type not Sig": lambda d: _replace_same_length(d, b"/Type /Sig", b"/Type /Xig"),
    "SubFilter none": lambda d: _replace_same_length(d, b"/SubFilter", b"/SubFiltex"),
    "V not a dictionary": lambda d: re.sub(
        rb"/V (\d+) 0 R", lambda m: b"/V " + b"9" * len(m.group(1)) + b" 0 R", d, count=1),
    "Filter unknown": lambda d: _replace_same_length(d, b"/Filter /Adobe.PPKLite", b"/Filter /Adobe.PPKLitX"),
    "xref gone": lambda d: _replace_same_length(d, b"startxref", b"startxrex"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_signature_dictionary_is_refused_with_a_reason(name: str) -> None:
    broken = BROKEN[name](_good())
    assert broken != _good()
    refused = _outcome(broken)
    assert refused is not None, f"{name}: accepted"
    assert refused.reason in set(Reason) - {Reason.EXPIRED, Reason.REVOKED}
