"""A simulated scanner: the real `SaneScanner` talking to an in-process stand-in for python-sane.

The stand-in offers the options a typical flatbed-with-feeder driver has (mode, depth, resolution,
source, scan area), produces generated page images of the right pixel size, empties its feeder after
`feeder_pages` sheets, and fails each way a real device does, with SANE's own status texts, so the
backend's option resolution, page loop and error mapping are what the tests exercise.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from drivers.scanner.options import (
    TYPE_BOOL,
    TYPE_FIXED,
    TYPE_GROUP,
    TYPE_INT,
    TYPE_STRING,
    UNIT_BIT,
    UNIT_DPI,
    UNIT_MM,
    UNIT_NONE,
)
from drivers.scanner.sane_scanner import SaneScanner
from drivers.scanner.status_map import CANCELLED, NO_DOCS

# The failures `fail_next` accepts, as SANE reports them.
FAILURES: dict[str, str] = {
    "no_document": NO_DOCS,
    "jammed": "Document feeder jammed",
    "cover_open": "Scanner cover is open",
    "busy": "Device busy",
    "io_error": "Error during device I/O",
    "no_memory": "Out of memory",
    "access_denied": "Access to resource has been denied",
}
_CAP_SETTABLE = 1 | 4  # SOFT_SELECT | SOFT_DETECT
_MAX_MM = 216.0, 297.0
FLATBED, FEEDER = "Flatbed", "ADF Front"


class SimulatedSaneError(Exception):
    """Plays `_sane.error`: carries only SANE's status text."""


class _Option:
    """Shaped like `sane.Option`."""

    def __init__(self, index: int, name: str, title: str, type_: int, unit: int, constraint: Any) -> None:
        self.index, self.name, self.title, self.desc = index, name, title, title
        self.type, self.unit, self.size, self.cap = type_, unit, 4, _CAP_SETTABLE
        self.constraint = constraint
        self.py_name = name.replace("-", "_")


class SimulatedDevice:
    """Shaped like `sane.SaneDev` (options as attributes, start/snap/cancel/close)."""

    def __init__(self, owner: SimulatedSane, name: str) -> None:
        specs: list[tuple[str, str, int, int, Any, Any]] = [
            ("", "Scan mode", TYPE_GROUP, UNIT_NONE, None, None),
            ("mode", "Scan mode", TYPE_STRING, UNIT_NONE, ["Lineart", "Gray", "Color"], "Gray"),
            ("depth", "Bit depth", TYPE_INT, UNIT_BIT, [1, 8, 16], 8),
            ("resolution", "Scan resolution", TYPE_INT, UNIT_DPI, [75, 100, 150, 200, 300, 600], 150),
            ("source", "Scan source", TYPE_STRING, UNIT_NONE, [FLATBED, FEEDER, "ADF Duplex"], FLATBED),
            ("preview", "Preview", TYPE_BOOL, UNIT_NONE, None, False),
            ("tl-x", "Top-left x", TYPE_FIXED, UNIT_MM, (0.0, _MAX_MM[0], 0.0), 0.0),
            ("tl-y", "Top-left y", TYPE_FIXED, UNIT_MM, (0.0, _MAX_MM[1], 0.0), 0.0),
            ("br-x", "Bottom-right x", TYPE_FIXED, UNIT_MM, (0.0, _MAX_MM[0], 0.0), _MAX_MM[0]),
            ("br-y", "Bottom-right y", TYPE_FIXED, UNIT_MM, (0.0, _MAX_MM[1], 0.0), _MAX_MM[1]),
        ]
        options = {}
        values: dict[str, Any] = {}
        for index, (opt_name, title, type_, unit, constraint, value) in enumerate(specs):
            option = _Option(index, opt_name, title, type_, unit, constraint)
            options[option.py_name] = option
            values[option.py_name] = value
        self.__dict__.update(owner=owner, devname=name, opt=options, _values=values, _started=False)

    def __getattr__(self, key: str) -> Any:
        values = self.__dict__["_values"]
        if key in values:
            return values[key]
        raise AttributeError(f"No such attribute: {key}")

    def __setattr__(self, key: str, value: Any) -> None:
        option = self.opt.get(key)
        if option is None:
            self.__dict__[key] = value
            return
        if self._started:
            raise SimulatedSaneError("Device busy")
        constraint = option.constraint
        if isinstance(constraint, list) and value not in constraint:
            raise SimulatedSaneError("Invalid argument")
        if isinstance(constraint, tuple) and not constraint[0] <= value <= constraint[1]:
            raise SimulatedSaneError("Invalid argument")
        self._values[key] = value

    def start(self) -> None:
        owner: SimulatedSane = self.owner
        with owner.lock:
            failure = owner.take_failure("start")
            if failure:
                raise SimulatedSaneError(failure)
            if self.source == FLATBED:
                if not owner.document_on_glass:
                    raise SimulatedSaneError(NO_DOCS)
            elif owner.feeder_pages <= 0:
                raise SimulatedSaneError(NO_DOCS)
            self.__dict__["_started"] = True

    def snap(self, no_cancel: bool = False) -> Any:
        from PIL import Image, ImageDraw

        owner: SimulatedSane = self.owner
        if not self._started:
            raise SimulatedSaneError("Invalid argument")
        if owner.on_read is not None:
            owner.on_read()  # outside the lock: the hook may cancel from another thread
        with owner.lock:
            failure = owner.take_failure("read")
            if failure or owner.cancelled:
                owner.cancelled = False
                self.__dict__["_started"] = False
                raise SimulatedSaneError(failure or CANCELLED)
            if self.source != FLATBED:
                owner.feeder_pages -= 1
            owner.pages_scanned += 1
            number = owner.pages_scanned
            face_up = owner.face_up
        dpi = int(self.resolution)
        width = int((self.br_x - self.tl_x) / 25.4 * dpi)
        height = int((self.br_y - self.tl_y) / 25.4 * dpi)
        image = Image.new("RGB", (width, height), "white")
        if face_up:
            self.__dict__["_started"] = False
            return image if self.mode == "Color" else image.convert("L")
        draw = ImageDraw.Draw(image)
        margin = max(2, width // 12)
        draw.rectangle((margin, margin, width - margin, height - margin), outline="black", width=max(1, dpi // 75))
        line = max(8, dpi // 6)
        draw.text((margin * 2, margin * 2), f"Simulated page {number}", fill="black")
        for y in range(margin * 2 + line * 2, height - margin * 2, line):
            draw.line((margin * 2, y, width - margin * 2, y), fill=(90, 90, 90), width=max(1, dpi // 100))
        # A real feeder page read with no_cancel leaves the batch open until cancel(); each page here
        # is complete in itself, which is all the backend can observe.
        self.__dict__["_started"] = False
        return image if self.mode == "Color" else image.convert("L")

    def cancel(self) -> None:
        owner: SimulatedSane = self.owner
        with owner.lock:
            if self._started:
                owner.cancelled = True
            self.__dict__["_started"] = False

    def close(self) -> None:
        self.__dict__["_started"] = False


class SimulatedSane:
    """Plays the `sane` module for `SaneScanner`; the knobs say what the next scans meet."""

    error = SimulatedSaneError

    def __init__(
        self,
        devices: tuple[str, ...] = ("sim:flatbed-adf",),
        *,
        feeder_pages: int = 10,
        document_on_glass: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.devices = devices
        self.feeder_pages = feeder_pages
        self.document_on_glass = document_on_glass
        # A page laid face up on the glass: the scanner sees its blank back.
        self.face_up = False
        self.pages_scanned = 0
        self.cancelled = False
        self.initialised = False
        self._failures: collections.deque[tuple[str, str]] = collections.deque()
        self.on_read: Callable[[], None] | None = None

    def fail_next(self, kind: str, *, at: str = "read") -> None:
        """Make the next `at` step ("start" or "read") fail as `kind` (a key of `FAILURES`)."""
        if at not in ("start", "read"):
            raise ValueError("at must be 'start' or 'read'")
        self._failures.append((at, FAILURES[kind]))

    def take_failure(self, step: str) -> str:
        if self._failures and self._failures[0][0] == step:
            return self._failures.popleft()[1]
        return ""

    def init(self) -> object:
        self.initialised = True
        return (0x01010001, 1, 1, 1)

    def exit(self) -> None:
        self.initialised = False

    def get_devices(self) -> list[tuple[str, str, str, str]]:
        return [(name, "Kiosk", "Simulated flatbed with feeder", "flatbed scanner") for name in self.devices]

    def open(self, name: str) -> SimulatedDevice:
        if not self.initialised:
            raise SimulatedSaneError("Invalid argument")
        if name not in self.devices:
            raise SimulatedSaneError("Invalid argument")
        return SimulatedDevice(self, name)


class SimulatedScanner(SaneScanner):
    """`SaneScanner` on the simulated SANE; `sim` holds the knobs (feeder, failures)."""

    def __init__(
        self,
        device: str = "",
        *,
        feeder_pages: int = 10,
        document_on_glass: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sim = SimulatedSane(feeder_pages=feeder_pages, document_on_glass=document_on_glass)
        super().__init__(device, api=self.sim, clock=clock)
