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
