"""The screens the navigator can show, by name, and how to build each from the `AppContext`.

A screen is a QWidget with an `objectName`. It may define:
- `enter(payload)`: called each time it is shown, with what the caller passed to `navigate`;
- `wipe()`: called when a resident's session ends, and before its home tile opens it (a tile always
  starts clean): clear every personal value it shows or holds.
Screens navigate with `context.navigate(name, payload)` and `context.go_home()`.
Home tiles open the screen whose name is the tile's key (guide, forms, declare, progress, rating);
a tile without a registered screen opens the "not available yet" screen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.context import AppContext

ScreenFactory = Callable[[AppContext, QWidget], QWidget]


def _lazy(module: str, cls: str) -> ScreenFactory:
    """A factory that imports the screen's module on first use: the home screen paints without
    waiting for the forms, printing and reading code behind the other screens."""

    def build(context: AppContext, parent: QWidget) -> QWidget:
        factory: ScreenFactory = getattr(importlib.import_module(module), cls)
        return factory(context, parent)

    return build


# name -> factory(context, parent). One line per screen.
SCREENS: dict[str, ScreenFactory] = {}
SCREENS["attract"] = _lazy("ui.screens.attract", "AttractScreen")
SCREENS["print"] = _lazy("ui.screens.print_job", "PrintJobScreen")
SCREENS["guide"] = _lazy("ui.screens.guide.search", "GuideScreen")
SCREENS["guide_detail"] = _lazy("ui.screens.guide.detail", "GuideDetailScreen")
SCREENS["forms"] = _lazy("ui.screens.forms.choose", "FormsScreen")
SCREENS["help"] = _lazy("ui.screens.help", "HelpScreen")
SCREENS["rating"] = _lazy("ui.screens.rating", "RatingScreen")
SCREENS["declare"] = _lazy("ui.screens.declare.wizard", "DeclareScreen")
SCREENS["setup_pin"] = _lazy("ui.screens.setup.pin", "SetupPinScreen")
SCREENS["progress"] = _lazy("ui.screens.progress", "ProgressScreen")
SCREENS["setup"] = _lazy("ui.screens.setup.screen", "SetupScreen")
