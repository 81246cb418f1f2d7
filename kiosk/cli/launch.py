"""What the command line hands to the screen layer when it starts the kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config


@dataclass(frozen=True)
class LaunchOptions:
    config: Config
    data_dir: Path
    demo: bool = False
    # Exit once the home screen has painted: 0 when it did and the bundled files are there, else 1.
    self_test: bool = False
    # The --config file, which the setup screen writes back to; None = started without one.
    config_path: Path | None = None
