"""What every screen may use: the configuration, the kiosk's long-lived parts, and navigation.

Screens receive one `AppContext` when they are built. The runtime is always there: tests build one
from the simulators (tests/demo_runtime.py) the way `kiosk demo` does, so screens never carry a second
way of doing things for a kiosk without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.resident.session import Session
from kiosk.runtime import KioskRuntime


@dataclass
class AppContext:
    config: Config
    data_dir: Path
    runtime: KioskRuntime
    # Set by the main window: navigate("guide_detail", payload) switches screens; go_home() ends up home.
    navigate: Callable[[str, Any], None] = field(default=lambda name, payload=None: None)
    go_home: Callable[[], None] = field(default=lambda: None)
    # Later parts plug in here, one line each (device manager, session, voice ...).
    session: Session | None = None  # the resident's session (ui.session_ui): finish(), require_card()
    config_path: Path | None = None  # the --config file the setup screen writes; None = data dir fallback
