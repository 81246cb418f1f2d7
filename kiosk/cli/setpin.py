"""`kiosk set-pin`: sets the technician PIN that opens the setup screen.

Asks twice without echo (getpass), or reads one line from standard input with `--stdin` for
scripted installs (`printf '%s\\n' "$PIN" | kiosk set-pin --stdin`). The PIN rules and the storage
are kiosk/technician/pin.py's; this module only talks to the technician.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from kiosk.config import Config
from kiosk.technician.audit import audit_log_for
from kiosk.technician.pin import MAX_LENGTH, MIN_LENGTH, PinRuleError, TechnicianPin

EXIT_OK = 0
EXIT_FAILED = 1  # the PIN could not be stored (read-only or full disk): the old PIN still holds
EXIT_USAGE = 2  # nothing typed, the two entries differ, or the PIN breaks a rule


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "set-pin",
        help="set the technician PIN that opens the setup screen",
        description=f"Sets the technician PIN ({MIN_LENGTH}-{MAX_LENGTH} digits, not one digit repeated, "
        "not a straight run such as 123456). Asks twice without echo unless --stdin is given.",
    )
    parser.add_argument("--stdin", action="store_true",
                        help="read the PIN from one line of standard input (for scripted installs)")


def _read_pin(from_stdin: bool) -> str | None:
    """The PIN typed, or None (with the reason printed) when the two entries differ or none came."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            print("未读到 PIN / no PIN on standard input", file=sys.stderr)
            return None
        return line.rstrip("\r\n")
    first = getpass.getpass("新的技术员 PIN / new technician PIN: ")
    second = getpass.getpass("再输入一次 / repeat the PIN: ")
    if first != second:
        print("两次输入的 PIN 不一致，未作更改 / the two PINs differ; nothing changed", file=sys.stderr)
        return None
    return first


def hand_over_to_data_dir_owner(data_dir: Path, paths: list[Path]) -> None:
    """Run as root, gives the files just written to the owner of the data directory.

    The kiosk runs as its own user; a PIN file or audit log left owned by root with mode 0600 would
    be unreadable to it, and the pad would refuse every PIN. Does nothing when not run as root.
    """
    if os.geteuid() != 0:
        return
    owner = data_dir.stat()
    if owner.st_uid == 0:
        return
    for path in paths:
        try:
            if path.stat().st_uid == 0:
                os.chown(path, owner.st_uid, owner.st_gid)
        except FileNotFoundError:
            continue


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    del config  # the PIN lives in the data directory, whatever the configuration says
    try:
        pin = _read_pin(args.stdin)
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，未作更改 / cancelled; nothing changed", file=sys.stderr)
        return EXIT_USAGE
    if pin is None:
        return EXIT_USAGE
    store = TechnicianPin(data_dir)
    replacing = store.is_set()
    try:
        store.set_pin(pin)
    except PinRuleError as exc:
        print(f"PIN 不符合要求，未作更改 / PIN refused, nothing changed: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"无法保存 PIN 或写入审计日志 / could not store the PIN or audit it in {data_dir}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    hand_over_to_data_dir_owner(data_dir, [store.pin_path, audit_log_for(data_dir).path])
    verb = "已更换 / replaced" if replacing else "已设置 / set"
    print(f"技术员 PIN {verb}: {store.pin_path}")
    return EXIT_OK
