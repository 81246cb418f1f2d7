"""The Qt bindings keep Python's reference counts straight.

PySide6 6.12.0 drops a reference to None on every call of a method that returns nothing and one to True
on every emit(); Python 3.11 aborts the process when either count reaches zero, which a camera preview
(about a hundred such calls a second) reaches within minutes. pyproject.toml keeps that release out;
this test says so plainly if a later one brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def test_qt_calls_do_not_leak_references_to_none_or_true() -> None:
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        probe.setObjectName("probe")
        probe.ping.emit()
    # Other threads may hold or drop a few references meanwhile; the bug loses one per call.
    assert sys.getrefcount(None) > none_before - 100, f"PySide6 {pyside_version} leaks references to None"
    assert sys.getrefcount(True) > true_before - 100, f"PySide6 {pyside_version} leaks references to True"
    probe.deleteLater()
