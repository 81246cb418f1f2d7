"""Discovery against the real stacks scripts/services.sh runs: the CUPS queue, the vpcd reader and SANE's
test device."""

from __future__ import annotations

import os

import pytest

from kiosk.devices.discovery import discover


@pytest.mark.services
def test_the_test_services_are_discovered() -> None:
    queue = os.environ.get("KIOSK_TEST_CUPS_QUEUE", "KioskPDF")
    printers = discover("printer")
    assert queue in [c.name for c in printers.candidates if c.backend == "cups"], printers.reasons
    readers = discover("citizencard")
    assert any(c.name.startswith("Virtual PCD") for c in readers.candidates), readers.reasons
    scanners = discover("scanner")
    assert "test:0" in [c.name for c in scanners.candidates], scanners.reasons
    # libsane set SIGPIPE back to its default while it was loaded; the driver restores "ignored".
    from drivers.scanner.sigpipe import python_ignores_sigpipe, sigpipe_ignored_by_kernel

    assert sigpipe_ignored_by_kernel() == python_ignores_sigpipe()
