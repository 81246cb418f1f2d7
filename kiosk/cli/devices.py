"""`kiosk devices list|probe|test|simulate`: the attached devices from a technician's shell.

`list` shows each device role with its configured backend. `probe KIND` reads once from a device,
`test KIND` exercises it (prints a page, captures an image), `simulate KIND` runs a simulator for
development. The kinds plug in from kiosk/cli/device/.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.device import camera as camera_cli
from kiosk.cli.device import citizencard as citizencard_cli
from kiosk.cli.device import idcard as idcard_cli
from kiosk.cli.device import printer as printer_cli
from kiosk.cli.device import scanner as scanner_cli
from kiosk.config import Config
from kiosk.status import DEVICE_ROLES

# Each module adds its kind to probe/test/simulate (kiosk/cli/device/__init__.py says how).
KIND_MODULES: tuple[Any, ...] = (scanner_cli, idcard_cli, camera_cli, citizencard_cli, printer_cli)

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    devices = sub.add_parser("devices", help="attached devices: list, probe, test, simulate")
    actions = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="each device role with its configured backend")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    probe = actions.add_parser("probe", help="read once from a device and print what it says")
    test = actions.add_parser("test", help="exercise a device (print a page, capture an image)")
    simulate = actions.add_parser("simulate", help="run a device simulator for development")
    groups = [
        p.add_subparsers(dest="kind", metavar="KIND", required=True) for p in (probe, test, simulate)
    ]
    for module in KIND_MODULES:
        module.register(*groups)


def _list(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    rows = []
    for role in (*DEVICE_ROLES, "barcode"):
        section = getattr(config.devices, role)
        settings = {k: v for k, v in vars(section).items() if k != "backend" and v not in ("", None)}
        rows.append({"role": role, "backend": section.backend, "settings": settings})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            details = ", ".join(f"{k}={v}" for k, v in row["settings"].items())
            print(f"{row['role']:<12} {row['backend']:<10} {details}")
    return EXIT_OK


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    handler = getattr(args, "handler", None)
    if handler is None:  # pragma: no cover - argparse requires a kind first
        print("usage: kiosk devices list|probe|test|simulate KIND", file=sys.stderr)
        return 2
    code: int = handler(args, config, data_dir)
    return code
