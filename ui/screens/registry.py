"""The screens the navigator can show, by name, and how to build each from the `AppContext`.

A screen is a QWidget with an `objectName`. It may define:
- `enter(payload)`: called each time it is shown, with what the caller passed to `navigate`;
- `wipe()`: called when a resident's session ends: clear every personal value it shows or holds.
Screens navigate with `context.navigate(name, payload)` and `context.go_home()`.
Home tiles open the screen whose name is the tile's key (guide, forms, declare, progress, rating);
a tile without a registered screen opens the "not available yet" screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.screens.attract import AttractScreen
from ui.screens.forms import FormsScreen
from ui.screens.guide import GuideScreen
from ui.screens.guide_detail import GuideDetailScreen
from ui.screens.help import HelpScreen
from ui.screens.print_job import PrintJobScreen

ScreenFactory = Callable[[AppContext, QWidget], QWidget]

# name -> factory(context, parent). One line per screen module.
SCREENS: dict[str, ScreenFactory] = {}
SCREENS["attract"] = AttractScreen
SCREENS["print"] = PrintJobScreen
SCREENS["guide"] = GuideScreen
SCREENS["guide_detail"] = GuideDetailScreen
SCREENS["forms"] = FormsScreen
SCREENS["help"] = HelpScreen
