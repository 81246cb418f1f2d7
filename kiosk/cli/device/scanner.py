"""`kiosk devices probe scanner` (devices and options) and `kiosk devices test scanner --out DIR` (one scan)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

from drivers.errors import DeviceError
from drivers.scanner.factory import open_scanner
from drivers.scanner.protocol import ColorMode, Scanner, ScanSettings, Source
from kiosk.config import Config

EXIT_OK, EXIT_FAILED, EXIT_NOT_CONFIGURED = 0, 1, 3

T = TypeVar("T")


def _say(text: str) -> None:
    # The CLI's output channel (ruff allows print only in kiosk/cli*.py).
    sys.stdout.write(text + "\n")


def register(probe: Any, test: Any, simulate: Any) -> None:
    parser = probe.add_parser("scanner", help="list SANE devices and the configured device's options")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--backend", choices=("sane", "simulated"), help="override devices.scanner.backend")
    parser.add_argument("--device", help="override devices.scanner.device (e.g. test:0)")
    parser.set_defaults(handler=_probe)
    scan = test.add_parser("scanner", help="scan once and write the pages to --out")
    scan.add_argument("--out", type=Path, required=True, metavar="DIR")
    scan.add_argument("--backend", choices=("sane", "simulated"))
    scan.add_argument("--device")
    scan.add_argument("--source", choices=[s.value for s in Source], default=Source.FLATBED.value)
    scan.add_argument("--mode", choices=[m.value for m in ColorMode], default=ColorMode.COLOR.value)
    scan.add_argument("--resolution", type=int, help="dpi; default devices.scanner.resolution")
    scan.set_defaults(handler=_test)


def _open(args: argparse.Namespace, config: Config) -> Scanner | None:
    backend = args.backend or config.devices.scanner.backend
    if backend == "none":
        return None
    device = args.device if args.device is not None else config.devices.scanner.device
    return open_scanner(backend, device)


def _on_scanner(args: argparse.Namespace, config: Config, use: Callable[[Scanner], T]) -> T | int:
    """What `use` returned, the scanner closed after it; or, said why, the exit code when no scanner is
    configured or it failed."""
    try:
        scanner = _open(args, config)
        if scanner is None:
            _say("scanner: not configured (devices.scanner.backend = none)")
            return EXIT_NOT_CONFIGURED
        try:
            return use(scanner)
        finally:
            scanner.close()
    except DeviceError as exc:
        _say(f"scanner: {exc.code}: {exc}")
        return EXIT_FAILED


def _probe(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    found = _on_scanner(args, config, lambda scanner: (scanner.list_devices(), scanner.options()))
    if isinstance(found, int):
        return found
    devices, options = found
    if args.json:
        _say(json.dumps({"devices": [asdict(d) for d in devices], "options": asdict(options)},
                         ensure_ascii=False, indent=1, default=lambda v: v.value))
        return EXIT_OK
    for d in devices:
        _say(f"device   {d.name}: {d.vendor} {d.model} ({d.kind})")
    _say(f"selected {options.device}")
    _say(f"modes    {', '.join(m.value for m in options.modes)}")
    _say(f"sources  {', '.join(s.value for s in options.sources)}")
    if options.resolution_range:
        low, high, step = options.resolution_range
        _say(f"dpi      {low}..{high} step {step}")
    else:
        _say(f"dpi      {', '.join(str(r) for r in options.resolutions)}")
    if options.max_area_mm:
        _say(f"area     {options.max_area_mm[0]:g} × {options.max_area_mm[1]:g} mm")
    for o in options.raw:
        _say(f"  {o.name:<28} {o.value:<20} {o.constraint}")
    return EXIT_OK


def _test(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    settings = ScanSettings(
        resolution=args.resolution or config.devices.scanner.resolution,
        mode=ColorMode(args.mode),
        source=Source(args.source),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    pages = _on_scanner(args, config, lambda scanner: scanner.scan(settings))
    if isinstance(pages, int):
        return pages
    for page in pages:
        suffix = ".png" if page.media_type == "image/png" else ".jpg"
        path = args.out / f"scan-{page.index + 1:03d}{suffix}"
        path.write_bytes(page.data)
        _say(f"{path}  {page.width_px}×{page.height_px} px at {page.dpi} dpi, {len(page.data)} bytes")
    return EXIT_OK
