"""Picking the scanner backend by its configured name."""

from __future__ import annotations

from drivers.scanner.protocol import Scanner


def open_scanner(backend: str, device: str = "") -> Scanner:
    """`backend` is "sane" or "simulated" (configuration decides, never the test harness)."""
    if backend == "sane":
        from drivers.scanner.sane_scanner import SaneScanner

        return SaneScanner(device)
    if backend == "simulated":
        from drivers.scanner.simulated import SimulatedScanner

        return SimulatedScanner(device)
    raise ValueError(f"unknown scanner backend {backend!r} (sane | simulated)")
