"""Picking the decoder by its configured name; zxing-cpp is the default (bench/barcode.py says why)."""

from __future__ import annotations

from collections.abc import Iterable

from drivers.barcode.protocol import BarcodeFormat, Decoder

DEFAULT_DECODER = "zxing"


def make_decoder(backend: str = DEFAULT_DECODER, formats: Iterable[BarcodeFormat] | None = None) -> Decoder:
    """`backend` is "zxing" or "pyzbar"; `formats` limits the symbologies (None = all the decoder reads)."""
    if backend == "zxing":
        from drivers.barcode.zxing_decoder import ZxingDecoder

        return ZxingDecoder(formats)
    if backend == "pyzbar":
        from drivers.barcode.pyzbar_decoder import PyzbarDecoder

        return PyzbarDecoder(formats)
    raise ValueError(f"unknown barcode decoder {backend!r} (zxing | pyzbar)")
