"""What every scanner backend offers: settings in, encoded page images out, blocking with a cancel."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from drivers.status import DeviceStatus

A4_MM = (210.0, 297.0)
ID_CARD_MM = (85.6, 54.0)


class ColorMode(enum.Enum):
    COLOR = "color"
    GRAY = "gray"
    LINEART = "lineart"


class Source(enum.Enum):
    FLATBED = "flatbed"
    ADF = "adf"
    ADF_DUPLEX = "adf_duplex"

    @property
    def is_feeder(self) -> bool:
        return self is not Source.FLATBED


@dataclass(frozen=True)
class ScanSettings:
    """What to scan. The backend picks the nearest resolution the device offers and clips the area."""

    resolution: int = 200
    mode: ColorMode = ColorMode.COLOR
    source: Source = Source.FLATBED
    # Width and height of the scan area from the top-left corner of the glass, in millimetres.
    page_mm: tuple[float, float] = A4_MM
    # A feeder scan stops after this many pages even if paper remains (a stuck sensor must not loop).
    max_pages: int = 100
    jpeg_quality: int = 90
    # One page is one blocking SANE read; a page taking longer than this is cancelled.
    page_timeout_s: float = 60.0

    def __post_init__(self) -> None:
        if self.resolution <= 0:
            raise ValueError("resolution must be positive")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if not 1 <= self.jpeg_quality <= 95:
            raise ValueError("jpeg_quality must be within 1..95")
        if min(self.page_mm) <= 0:
            raise ValueError("page_mm must be positive")


@dataclass(frozen=True)
class ScannerInfo:
    name: str
    vendor: str
    model: str
    kind: str


@dataclass(frozen=True)
class OptionInfo:
    """One raw device option, for `kiosk devices probe scanner`."""

    name: str
    title: str
    value: str
    constraint: str


@dataclass(frozen=True)
class ScannerOptions:
    """What the open device can do, in our terms, plus its raw options."""

    device: str
    modes: tuple[ColorMode, ...]
    sources: tuple[Source, ...]
    # Either a (min, max, step) range or a list of values; one of the two is set.
    resolution_range: tuple[int, int, int] | None
    resolutions: tuple[int, ...]
    max_area_mm: tuple[float, float] | None
    raw: tuple[OptionInfo, ...] = ()


@dataclass(frozen=True)
class ScannedPage:
    """One page as the scanner delivered it, already encoded (JPEG, or PNG for line art)."""

    data: bytes = field(repr=False)
    media_type: str
    width_px: int
    height_px: int
    dpi: int
    mode: ColorMode
    source: Source
    index: int
    device: str
    captured_at: datetime


class Scanner(Protocol):
    """A scanner. Every method blocks; `cancel()` may be called from another thread at any time."""

    def list_devices(self) -> list[ScannerInfo]: ...

    def options(self) -> ScannerOptions: ...

    def scan_pages(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        """Yield pages as they are read (one for the flatbed, until the feeder is empty for the ADF)."""
        ...

    def scan(self, settings: ScanSettings) -> list[ScannedPage]: ...

    def cancel(self) -> None:
        """Stop the scan in progress; the scanning call raises `ScanCancelled`."""
        ...

    def status(self) -> DeviceStatus: ...

    def close(self) -> None: ...
