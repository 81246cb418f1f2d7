"""`kiosk devices probe|test|simulate citizencard`: the citizen / social security card reader from a shell.

probe reads the card once and prints it, personal fields masked (how, each profile field says) unless
--show-personal-data, with the reason the kiosk would refuse it as a resident's identity, if it would;
test waits for a card to go in, reads it, and waits for it to come out, printing
the reader's events; simulate runs the virtual card on pcscd's vpcd reader. On failure the commands print
the message for the error's key (Chinese, then English) with its stable code, and exit non-zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from drivers.citizencard.decoders import FieldValue
from drivers.citizencard.errors import CitizenCardError
from drivers.citizencard.factory import create_reader
from drivers.citizencard.messages import message_for
from drivers.citizencard.models import CitizenCard
from drivers.citizencard.profiles import resolve_profiles
from drivers.citizencard.simulated import DEMO_FIXTURE
from kiosk.config import Config
from kiosk.identity.resident import IdentityUnavailable, from_citizen_card
from kiosk.identity.validate import CardDataRejected
from kiosk.privacy import mask_id_number, mask_name

EXIT_OK = 0
EXIT_DEVICE = 1

KIND = "citizencard"


def register(
    probe: argparse._SubParsersAction[argparse.ArgumentParser],
    test: argparse._SubParsersAction[argparse.ArgumentParser],
    simulate: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = probe.add_parser(KIND, help="read one citizen / social security card and print it")
    _reader_args(p)
    p.add_argument("--timeout", type=float, default=5.0, metavar="S", help="seconds the read may take (5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--show-personal-data", action="store_true", help="print names and numbers unmasked")
    p.set_defaults(handler=_probe)

    t = test.add_parser(KIND, help="wait for a card, read it, wait for its removal (PC/SC events)")
    _reader_args(t)
    t.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for each event (30)")
    t.set_defaults(handler=_test)

    s = simulate.add_parser(KIND, help="run the virtual card on pcscd's vpcd reader")
    s.add_argument("--fixture", type=Path, default=DEMO_FIXTURE, metavar="FILE", help="card fixture (TOML)")
    s.add_argument("--port", type=int, default=35963, help="vpcd port: 35963 = 'Virtual PCD 00 00', 35964 = '00 01'")
    s.add_argument("--control", type=Path, metavar="PATH", help="Unix socket for run-time faults")
    s.add_argument("--fault", action="append", default=[], metavar="SPEC", help="pull:N, sw:XXXX[@N], slow:S")
    s.set_defaults(handler=_simulate)


def _reader_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reader", help="PC/SC reader name or part of it (default: devices.citizencard.reader)")
    p.add_argument("--profile", help="card profile name or .toml file (default: detect)")
    p.add_argument("--psam-reader", default="", metavar="NAME", help="PC/SC reader holding the PSAM (3.00 cards)")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _fail(error: CitizenCardError) -> int:
    zh, en = message_for(error.message_key)
    sys.stderr.write(f"{zh} / {en} [{error.code}]\n")
    return EXIT_DEVICE


def _mask(value: str, how: str) -> str:
    if how == "none":
        return value
    if how == "id":
        return mask_id_number(value)
    if how == "name":
        return mask_name(value)
    if how == "tail4" and len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def _plain(value: FieldValue) -> str | int:
    return value.isoformat() if isinstance(value, dt.date) else value


def card_record(card: CitizenCard, profile_selector: str = "", *, show_personal_data: bool = False) -> dict[str, Any]:
    """The card as `probe --json` prints it; each field masked as its profile says (unknown fields fully)."""
    specs = {p.name: p.field_specs for p in resolve_profiles(profile_selector)}.get(card.profile, {})
    fields: dict[str, str | int] = {}
    for name, value in card.fields.items():
        plain = _plain(value)
        how = specs[name].mask if name in specs else "all"
        fields[name] = plain if show_personal_data or isinstance(plain, int) else _mask(plain, how)
    record: dict[str, Any] = {
        "kind": card.kind.value,
        "profile": card.profile,
        "reader": card.reader,
        "atr": card.atr,
        "auth": card.auth.value,
        "fields": fields,
    }
    record["refused"] = None
    try:
        record["resident"] = from_citizen_card(card).display(show_personal_data=show_personal_data)
    except IdentityUnavailable:
        record["resident"] = None
    except CardDataRejected as exc:
        # What the kiosk would refuse, and why (field and rule, never the value): the probe's job.
        record["resident"] = None
        record["refused"] = f"{exc} [{exc.code}]"
    return record


def _reader(args: argparse.Namespace, config: Config) -> tuple[Any, str]:
    section = config.devices.citizencard
    profile = section.profile if args.profile is None else args.profile
    reader = create_reader(
        section.backend,
        reader=section.reader if args.reader is None else args.reader,
        profile=profile,
        psam_reader=args.psam_reader,
    )
    return reader, profile


def _print(record: dict[str, Any]) -> None:
    for key in ("kind", "profile", "reader", "atr", "auth"):
        _out(f"{key}: {record[key]}")
    for name, value in record["fields"].items():
        _out(f"  {name}: {value}")
    resident = record["resident"]
    if record["refused"] is not None:
        _out(f"resident: 拒绝 / refused: {record['refused']}")
    elif resident is None:
        _out("resident: 此卡不含持卡人信息 / the card names no holder")
    else:
        _out("resident: " + ", ".join(f"{k}={v}" for k, v in resident.items() if v))


def _probe(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        reader, profile = _reader(args, config)
        try:
            card = reader.read_card(args.timeout)
        finally:
            reader.close()
    except CitizenCardError as exc:
        return _fail(exc)
    record = card_record(card, profile, show_personal_data=args.show_personal_data)
    if args.json:
        _out(json.dumps(record, ensure_ascii=False))
    else:
        _print(record)
    return EXIT_OK


def _test(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from drivers.citizencard.monitor import CardEventKind, CardEventMonitor

    try:
        reader, _ = _reader(args, config)
        with CardEventMonitor(reader_filter=getattr(reader, "reader_filter", "")) as monitor:
            if not reader.card_present():
                _out("请插入卡片 / insert a card…")
                if monitor.wait_for(CardEventKind.CARD_INSERTED, args.timeout) is None:
                    return _fail(_no_card())
            _out("event: card inserted")
            card = reader.read_card(5.0)
            _out(f"read: {card.kind.value} with profile {card.profile}, {len(card.fields)} fields")
            _out("请取出卡片 / remove the card…")
            if monitor.wait_for(CardEventKind.CARD_REMOVED, args.timeout) is None:
                _out("the card was not removed within the timeout")
                return EXIT_DEVICE
            _out("event: card removed")
    except CitizenCardError as exc:
        return _fail(exc)
    return EXIT_OK


def _no_card() -> CitizenCardError:
    from drivers.citizencard.errors import NoCardPresent

    return NoCardPresent("no card was inserted")


def _simulate(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from drivers.citizencard import virtual_card

    argv = ["--fixture", str(args.fixture), "--port", str(args.port), "--retry"]
    if args.control is not None:
        argv += ["--control", str(args.control)]
    for spec in args.fault:
        argv += ["--fault", spec]
    return virtual_card.main(argv)
