"""The accessibility interface Qt hands to assistive technology for scroll areas, replaced by a safe one.

Qt 6's own (QAccessibleAbstractScrollArea) counts a scroll area's children as its view and whichever
scroll bars show, and `child(index)` reads that list without checking the index. A screen reader or an
automation tool asks over AT-SPI how many children there are, then for each one: two D-Bus calls, with
the kiosk's own events in between. When a scroll bar hid in between (a list grew shorter: the search
results as a resident types, a step's page changing), Qt read past the end of the list and the kiosk
died with SIGSEGV. scripts/atspi_walk.py met it in about one walk in three.

QAccessibleWidget, which Qt gives every other container, counts every child widget, shown or hidden, and
checks the index: the count stays the same as bars come and go, and a stale index gets no child. Its
role is the same (a client area, "filler" over AT-SPI); the view and the bar holders are its children
as before, and AT-SPI marks the hidden ones as not showing.

PySide keeps every interface a Python factory returns until the application ends; Qt deletes one when
its scroll area goes, and the wrapper then lets go of it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAbstractScrollArea, QAccessibleWidget

_installed: list[bool] = []


def scroll_area_interface(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    """The factory: a bounds-checked interface for any scroll area, Qt's own for everything else."""
    if isinstance(obj, QAbstractScrollArea):
        return QAccessibleWidget(obj, QAccessible.Role.Client)
    return None


def install_scroll_area_interfaces() -> None:
    """Once per process, after the QApplication exists: Qt asks the factories installed last first, and
    the widgets' own factory is installed when the application is made."""
    if not _installed:
        QAccessible.installFactory(scroll_area_interface)
        _installed.append(True)
