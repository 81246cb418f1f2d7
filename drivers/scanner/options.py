"""Mapping our scan settings onto a SANE device's own options (names differ from driver to driver).

Pure logic over option descriptions, so it is tested without a scanner. The numeric type and unit codes
are SANE's (sane.h), the same values python-sane exposes as `_sane.TYPE_*` and `_sane.UNIT_*`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drivers.scanner.errors import UnsupportedSetting
from drivers.scanner.protocol import ColorMode, OptionInfo, ScannerOptions, ScanSettings, Source

TYPE_BOOL, TYPE_INT, TYPE_FIXED, TYPE_STRING, TYPE_BUTTON, TYPE_GROUP = range(6)
UNIT_NONE, UNIT_PIXEL, UNIT_BIT, UNIT_MM, UNIT_DPI, UNIT_PERCENT, UNIT_MICROSECOND = range(7)
_CAP_SOFT_SELECT = 1
_CAP_INACTIVE = 32

# Case-insensitive words by which drivers name each mode and source (genesys, epson2, fujitsu, pixma…).
_MODE_WORDS: dict[ColorMode, tuple[str, ...]] = {
    ColorMode.COLOR: ("color", "colour", "rgb"),
    ColorMode.GRAY: ("gray", "grey"),
    ColorMode.LINEART: ("lineart", "binary", "black & white", "black and white", "monochrome"),
}
_SOURCE_WORDS: dict[Source, tuple[str, ...]] = {
    Source.FLATBED: ("flatbed", "platen", "normal", "glass"),
    Source.ADF_DUPLEX: ("duplex",),
    Source.ADF: ("adf", "feeder", "automatic document"),
}


@dataclass(frozen=True)
class RawOption:
    """A device option as python-sane describes it (`sane.Option`), reduced to what we use."""

    name: str
    attr: str
    title: str
    type: int
    unit: int
    constraint: Any
    active: bool
    settable: bool

    @classmethod
    def from_sane(cls, option: Any) -> RawOption:
        cap = int(option.cap)
        return cls(
            name=str(option.name),
            attr=str(option.py_name),
            title=str(option.title or ""),
            type=int(option.type),
            unit=int(option.unit),
            constraint=option.constraint,
            active=not cap & _CAP_INACTIVE,
            settable=bool(cap & _CAP_SOFT_SELECT),
        )


@dataclass(frozen=True)
class Plan:
    """The option values to set, in order, and what the scan will really be."""

    values: tuple[tuple[str, object], ...]
    resolution: int
    mode: ColorMode
    source: Source


def pick_resolution(requested: int, constraint: Any) -> int:
    """The supported resolution nearest to `requested` (ties go to the higher, sharper one)."""
    if isinstance(constraint, tuple) and len(constraint) == 3:
        low, high, step = (float(v) for v in constraint)
        value = min(max(float(requested), low), high)
        if step > 0:
            value = low + round((value - low) / step) * step
        return round(min(value, high))
    if isinstance(constraint, list | tuple) and constraint:
        values = sorted(int(v) for v in constraint)
        return min(values, key=lambda v: (abs(v - requested), -v))
    return requested


def _match(words: tuple[str, ...], choices: list[str]) -> str | None:
    for choice in choices:
        lowered = choice.lower()
        if any(word in lowered for word in words):
            return choice
    return None


def pick_mode(mode: ColorMode, choices: list[str]) -> str:
    found = _match(_MODE_WORDS[mode], choices)
    if found is None:
        raise UnsupportedSetting(f"the scanner offers no {mode.value} mode (it has {', '.join(choices)})")
    return found


def pick_source(source: Source, choices: list[str]) -> str:
    if source is Source.ADF:
        # "ADF Duplex" also contains "adf": prefer a simplex feeder entry.
        simplex = [c for c in choices if "duplex" not in c.lower()]
        found = _match(_SOURCE_WORDS[Source.ADF], simplex)
    else:
        found = _match(_SOURCE_WORDS[source], choices)
    if found is None:
        raise UnsupportedSetting(f"the scanner has no {source.value} source (it has {', '.join(choices)})")
    return found


def classify_sources(choices: list[str]) -> tuple[Source, ...]:
    found = []
    for source in Source:
        try:
            pick_source(source, choices)
        except UnsupportedSetting:
            continue
        found.append(source)
    return tuple(found)


def classify_modes(choices: list[str]) -> tuple[ColorMode, ...]:
    return tuple(mode for mode in ColorMode if _match(_MODE_WORDS[mode], choices) is not None)


def _usable(options: dict[str, RawOption], name: str) -> RawOption | None:
    option = options.get(name)
    if option is None or not option.active or not option.settable:
        return None
    return option


def plan(settings: ScanSettings, options: dict[str, RawOption]) -> Plan:
    """The option values that make the device scan as `settings` asks, as closely as it can.

    Source comes first because drivers reload their option lists on a source change (the feeder
    often has other resolutions and a different maximum area).
    """
    values: list[tuple[str, object]] = []
    source_opt = _usable(options, "source")
    if source_opt is not None and isinstance(source_opt.constraint, list):
        values.append((source_opt.attr, pick_source(settings.source, [str(c) for c in source_opt.constraint])))
    elif settings.source is not Source.FLATBED:
        raise UnsupportedSetting("the scanner has no document feeder")
    mode_opt = _usable(options, "mode")
    mode = settings.mode
    if mode_opt is not None and isinstance(mode_opt.constraint, list):
        values.append((mode_opt.attr, pick_mode(mode, [str(c) for c in mode_opt.constraint])))
    elif mode is not ColorMode.GRAY:
        raise UnsupportedSetting("the scanner has no colour mode option")
    depth_opt = _usable(options, "depth")
    if depth_opt is not None and isinstance(depth_opt.constraint, list) and 8 in depth_opt.constraint:
        # 16-bit samples double the data for nothing a clerk can see.
        values.append((depth_opt.attr, 8))
    resolution = settings.resolution
    res_opt = _usable(options, "resolution")
    if res_opt is not None:
        resolution = pick_resolution(settings.resolution, res_opt.constraint)
        values.append((res_opt.attr, float(resolution) if res_opt.type == TYPE_FIXED else resolution))
    values.extend(_area(settings.page_mm, options))
    return Plan(tuple(values), resolution, mode, settings.source)


def _area(page_mm: tuple[float, float], options: dict[str, RawOption]) -> list[tuple[str, object]]:
    values: list[tuple[str, object]] = []
    for corner, size, far in (("tl-x", page_mm[0], "br-x"), ("tl-y", page_mm[1], "br-y")):
        near_opt, far_opt = _usable(options, corner), _usable(options, far)
        if near_opt is None or far_opt is None or far_opt.unit != UNIT_MM:
            continue
        low, high = _range(near_opt.constraint)
        values.append((near_opt.attr, _typed(near_opt, low)))
        _, far_high = _range(far_opt.constraint)
        values.append((far_opt.attr, _typed(far_opt, min(low + size, far_high if far_high else high))))
    return values


def _range(constraint: Any) -> tuple[float, float]:
    if isinstance(constraint, tuple) and len(constraint) == 3:
        return float(constraint[0]), float(constraint[1])
    return 0.0, 0.0


def _typed(option: RawOption, value: float) -> object:
    return float(value) if option.type == TYPE_FIXED else int(value)


def describe(device: str, options: dict[str, RawOption], current: dict[str, object]) -> ScannerOptions:
    """Our summary of a device's options (for the setup screen and `kiosk devices probe scanner`)."""
    def choices(name: str) -> list[str]:
        option = options.get(name)
        if option is None or not isinstance(option.constraint, list):
            return []
        return [str(c) for c in option.constraint]

    sources = classify_sources(choices("source")) if "source" in options else (Source.FLATBED,)
    modes = classify_modes(choices("mode"))
    res_range: tuple[int, int, int] | None = None
    resolutions: tuple[int, ...] = ()
    res_opt = options.get("resolution")
    if res_opt is not None:
        if isinstance(res_opt.constraint, tuple) and len(res_opt.constraint) == 3:
            low, high, step = res_opt.constraint
            res_range = (int(low), int(high), max(1, int(step)))
        elif isinstance(res_opt.constraint, list):
            resolutions = tuple(int(v) for v in res_opt.constraint)
    max_area: tuple[float, float] | None = None
    bx, by = options.get("br-x"), options.get("br-y")
    if bx is not None and by is not None and bx.unit == UNIT_MM:
        max_area = (_range(bx.constraint)[1], _range(by.constraint)[1])
    raw = tuple(
        OptionInfo(o.name, o.title, str(current.get(o.name, "")), _constraint_text(o.constraint))
        for o in options.values()
        if o.name and o.type not in (TYPE_GROUP, TYPE_BUTTON) and o.active
    )
    return ScannerOptions(device, modes, sources, res_range, resolutions, max_area, raw)


def _constraint_text(constraint: Any) -> str:
    if isinstance(constraint, tuple) and len(constraint) == 3:
        low, high, step = constraint
        return f"{low:g}..{high:g} step {step:g}"
    if isinstance(constraint, list):
        return " | ".join(str(c) for c in constraint)
    return ""
