"""`kiosk devices probe|test|simulate idcard`: the resident ID-card reader from a technician's shell.

probe reads one card and prints it (the ID number masked unless --show-personal-data), with the reason
the kiosk would refuse it as a resident's identity, if it would; test checks
the reader's security module without a card; simulate runs the protocol simulator on a pty and
prints the port to connect to. On failure the commands print the message for the error's key (Chinese,
then English) with its stable code, and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from drivers.errors import DeviceError
from drivers.idcard.demo_card import DEMO_CARD
from drivers.idcard.encode import FixtureError, card_from_dict, load_card_fixture
from drivers.idcard.messages import message_for
from drivers.idcard.models import IdCard
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.simulator import IdCardSimulator
from kiosk.config import Config
from kiosk.identity.validate import CardDataRejected, check_id_card
from kiosk.privacy import mask_id_number

EXIT_OK = 0
EXIT_DEVICE = 1
EXIT_USAGE = 2

KIND = "idcard"
HELP = "resident ID-card reader (SAM serial protocol)"
# Fields that identify a person by themselves: masked unless --show-personal-data.
_MASKED = ("id_number", "pass_number")


def register(
    probe: argparse._SubParsersAction[argparse.ArgumentParser],
    test: argparse._SubParsersAction[argparse.ArgumentParser],
    simulate: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = probe.add_parser(KIND, help="read one card and print it")
    _port_args(p)
    p.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds to wait for a card (3)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--show-personal-data", action="store_true", help="print the ID number unmasked")
    p.set_defaults(handler=_probe)

    t = test.add_parser(KIND, help="check the reader's security module (no card needed)")
    _port_args(t)
    t.add_argument("--json", action="store_true")
    t.set_defaults(handler=_test)

    s = simulate.add_parser(KIND, help="run a reader simulator on a pseudo terminal")
    s.add_argument("--card", type=Path, metavar="FILE", help="JSON card fixture (default: a bundled demo card)")
    s.add_argument("--link", type=Path, metavar="PATH", help="also make PATH a symlink to the pty")
    s.add_argument("--pace-baud", type=int, default=0, metavar="N",
                   help="send replies at N baud (10 bits a byte) as a real line would; 0 = instantly")
    s.set_defaults(handler=_simulate)


def _port_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", help="serial port (default: devices.idcard.port)")
    p.add_argument("--baud", type=int, help="baud rate; 0 = detect (default: devices.idcard.baud)")


def _reader(args: argparse.Namespace, config: Config) -> SerialIdCardReader:
    section = config.devices.idcard
    port = args.port or section.port
    baud = section.baud if args.baud is None else args.baud
    return SerialIdCardReader(port, baud)


def _out(text: str) -> None:
    # The CLI's output channel (ruff allows print only in kiosk/cli*.py); flushed so scripts see it.
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _fail(error: DeviceError) -> int:
    zh, en = message_for(error)
    _err(f"{zh} / {en} [{error.code}]")
    return EXIT_DEVICE


def card_record(card: IdCard, *, show_personal_data: bool = False) -> dict[str, Any]:
    """The card as the JSON object `probe --json` prints: common keys, then the kind's own."""
    record: dict[str, Any] = {
        "kind": card.kind.slug,
        "name": card.name,
        "gender": card.gender,
        "nation": card.nation,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": card.valid_to.isoformat() if card.valid_to else None,
        "additional_address": card.additional_address,
        **card.extra_fields(),
        "photo_wlt_bytes": len(card.photo_wlt),
        "refused": _refusal(card),
    }
    if not show_personal_data:
        for key in _MASKED:
            if record.get(key):
                record[key] = mask_id_number(record[key])
    return record


def _refusal(card: IdCard) -> str | None:
    """Why the kiosk would refuse the card as a resident's identity (field and rule, never the value)."""
    try:
        check_id_card(card)
    except CardDataRejected as exc:
        return f"{exc} [{exc.code}]"
    return None


_LABELS = {
    "kind": "证件类型 / Kind", "name": "姓名 / Name", "gender": "性别 / Gender", "nation": "民族或国籍 / Nation",
    "birth_date": "出生日期 / Birth date", "address": "住址 / Address", "id_number": "证件号码 / ID number",
    "issuer": "签发机关 / Issuer", "valid_from": "有效期起 / Valid from", "valid_to": "有效期止 / Valid to",
    "refused": "拒绝 / Refused",
}


def _print_card(card: IdCard, record: dict[str, Any]) -> None:
    _out(f"{_LABELS['kind']}: {card.kind.label_zh} / {card.kind.label_en}")
    for key, value in record.items():
        if key == "kind" or value is None:
            continue
        _out(f"{_LABELS.get(key, key)}: {value}")
    if card.valid_to is None:
        _out(f"{_LABELS['valid_to']}: 长期 / no expiry")


def _probe(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    reader = _reader(args, config)
    try:
        card = reader.read_card(args.timeout)
    except DeviceError as exc:
        return _fail(exc)
    finally:
        reader.close()
    record = card_record(card, show_personal_data=args.show_personal_data)
    if args.json:
        _out(json.dumps(record, ensure_ascii=False))
    else:
        _print_card(card, record)
    return EXIT_OK


def _test(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    reader = _reader(args, config)
    try:
        reader.sam_status()
        sam = reader.sam_id()
        card_present = reader.find_card()
    except DeviceError as exc:
        return _fail(exc)
    finally:
        reader.close()
    result = {"port": reader.port, "baud": reader.baud, "sam_status": "ok", "sam_id": sam.display,
              "card_present": card_present}
    if args.json:
        _out(json.dumps(result, ensure_ascii=False))
    else:
        _out(f"读卡器正常 / reader OK: {reader.port} @ {reader.baud} baud")
        _out(f"SAM ID: {sam.display}")
        _out(f"有证件 / card on the reader: {'是 / yes' if card_present else '否 / no'}")
    return EXIT_OK


def _simulate(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        card = load_card_fixture(args.card) if args.card else card_from_dict(DEMO_CARD)
    except FixtureError as exc:
        _err(f"证件样例有误 / invalid card fixture: {exc}")
        return EXIT_USAGE
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    simulator = IdCardSimulator(card, link=args.link, pace_baud=args.pace_baud)
    try:
        port = simulator.start()
        # The port on a line of its own first, flushed: scripts read it to connect.
        _out(port)
        _err(f"模拟读卡器运行中，按 Ctrl+C 停止 / simulated reader on {port}; Ctrl+C stops it")
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK
