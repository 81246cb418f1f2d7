"""Our scan settings mapped onto the option names and constraints different SANE drivers use."""

from __future__ import annotations

import pytest

from drivers.scanner import options as opts
from drivers.scanner.errors import UnsupportedSetting
from drivers.scanner.protocol import ColorMode, ScanSettings, Source


def option(name: str, constraint: object, type_: int = opts.TYPE_STRING, unit: int = opts.UNIT_NONE) -> opts.RawOption:
    return opts.RawOption(name, name.replace("-", "_"), name, type_, unit, constraint, True, True)


@pytest.mark.parametrize(
    ("requested", "constraint", "expected"),
    [
        (200, (1.0, 1200.0, 1.0), 200),
        (5000, (50.0, 1200.0, 1.0), 1200),
        (10, (50.0, 1200.0, 1.0), 50),
        (210, (75.0, 600.0, 75.0), 225),
        (200, [75, 150, 300, 600], 150),
        (225, [150, 300], 300),  # a tie goes to the sharper one
        (240, [], 240),
        (240, None, 240),
    ],
)
def test_resolution_snaps_to_what_the_device_offers(requested: int, constraint: object, expected: int) -> None:
    assert opts.pick_resolution(requested, constraint) == expected


def test_modes_and_sources_match_each_driver_spelling() -> None:
    assert opts.pick_mode(ColorMode.COLOR, ["Lineart", "Gray", "Color"]) == "Color"
    assert opts.pick_mode(ColorMode.GRAY, ["Binary", "True Gray", "24bit Color"]) == "True Gray"
    assert opts.pick_mode(ColorMode.LINEART, ["Black & White", "Grayscale"]) == "Black & White"
    assert opts.pick_source(Source.ADF, ["Flatbed", "ADF Duplex", "ADF Front"]) == "ADF Front"
    assert opts.pick_source(Source.ADF_DUPLEX, ["Flatbed", "ADF Front", "ADF Duplex"]) == "ADF Duplex"
    assert opts.pick_source(Source.FLATBED, ["FlatBed", "Automatic Document Feeder"]) == "FlatBed"
    with pytest.raises(UnsupportedSetting):
        opts.pick_mode(ColorMode.LINEART, ["Gray", "Color"])


def test_plan_sets_source_first_and_clips_the_area_to_the_glass() -> None:
    raw = {
        "mode": option("mode", ["Gray", "Color"]),
        "source": option("source", ["Flatbed", "Automatic Document Feeder"]),
        "resolution": option("resolution", (1.0, 1200.0, 1.0), opts.TYPE_FIXED, opts.UNIT_DPI),
        "tl-x": option("tl-x", (0.0, 200.0, 1.0), opts.TYPE_FIXED, opts.UNIT_MM),
        "tl-y": option("tl-y", (0.0, 200.0, 1.0), opts.TYPE_FIXED, opts.UNIT_MM),
        "br-x": option("br-x", (0.0, 200.0, 1.0), opts.TYPE_FIXED, opts.UNIT_MM),
        "br-y": option("br-y", (0.0, 200.0, 1.0), opts.TYPE_FIXED, opts.UNIT_MM),
    }
    plan = opts.plan(ScanSettings(resolution=300, source=Source.ADF), raw)
    values = dict(plan.values)
    assert plan.values[0] == ("source", "Automatic Document Feeder")
    assert values["mode"] == "Color"
    assert values["resolution"] == 300.0
    assert (values["br_x"], values["br_y"]) == (200.0, 200.0)  # A4 does not fit this glass
    assert plan.resolution == 300


def test_a_scanner_without_a_source_option_has_no_feeder() -> None:
    raw = {"mode": option("mode", ["Gray", "Color"])}
    assert opts.plan(ScanSettings(), raw).source is Source.FLATBED
    with pytest.raises(UnsupportedSetting, match="no document feeder"):
        opts.plan(ScanSettings(source=Source.ADF), raw)


def test_describe_summarises_the_device() -> None:
    raw = {
        "": option("", None, opts.TYPE_INT),
        "mode": option("mode", ["Gray", "Color"]),
        "resolution": option("resolution", [100, 200, 300], opts.TYPE_INT, opts.UNIT_DPI),
    }
    summary = opts.describe("x:0", raw, {"mode": "Gray"})
    assert summary.modes == (ColorMode.COLOR, ColorMode.GRAY)
    assert summary.sources == (Source.FLATBED,)
    assert summary.resolutions == (100, 200, 300)
    assert [o.name for o in summary.raw] == ["mode", "resolution"]
