"""Choice buttons that follow the resident however the check changes: a tap, or assistive technology.

A screen reader's or an automation tool's default action on a checkable button, over AT-SPI, is Qt's
"Toggle": it flips the check with no click, so a screen that listens only to `clicked` shows the choice
made and keeps none (scripts/atspi_walk.py found the rating's grades and the guide themes so). Listening
to `toggled` instead hears every change, the screen's own `setChecked` calls too; those happen after the
screen changed its own state, so a change is taken only where the button and the screen disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton


def follow_toggles(button: QAbstractButton, chosen: Callable[[], bool], choose: Callable[[], None], *,
                   exclusive: bool = False) -> None:
    """Calls `choose()` whenever `button`'s check changes to disagree with `chosen()`, the screen's own
    idea of whether the button is chosen. `choose()` acts as a tap on the button would and leaves the
    screen and every button of the choice agreeing again.

    In an exclusive group checking one button unchecks the previous one first, before the new one says
    it was checked; so there only a button becoming checked is followed (the group never lets a
    resident uncheck the chosen one)."""

    def toggled(checked: bool) -> None:
        if exclusive and not checked:
            return
        if checked != chosen():
            choose()

    button.toggled.connect(toggled)
