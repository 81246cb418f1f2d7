"""`kiosk licences list --id-number N`: a resident's electronic licences, from the configured platform.

For a technician helping a resident at the terminal (is the platform's licence library answering, does it
hold this resident's 户口簿?). The platform lets nobody list a holder's licences without a consent
(docs/platform-api.md): the command sends one given by the technician (`given_by` `technician`, scope `list`:
the licences are listed, never fetched or used), by running it the technician states that the resident,
present, agreed, and the command writes that to the audit log (the consent's id, never the ID number).
Names and numbers are masked unless `--show-personal-data`.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from kiosk.cli.setpin import hand_over_to_data_dir_owner
from kiosk.config import Config
from kiosk.platform.errors import PlatformAuthError, PlatformError, PlatformRejected
from kiosk.platform.models import CHINA_TIME, Consent, Holder, Licence, id_number_ok
from kiosk.platform.sync import CREDENTIALS_REFUSED_TEXT
from kiosk.privacy import mask_id_number, mask_name, mask_tail
from kiosk.runtime import SetupError, make_client
from kiosk.technician.audit import audit_log_for
from offline_cache.timeutil import utc_now

EXIT_OK = 0
EXIT_FAILED = 1  # no platform configured, not reachable, credentials or request refused
EXIT_USAGE = 2  # a malformed --id-number or --name (argparse's own exit status)


def _id_number(text: str) -> str:
    value = text.strip().upper()
    if not id_number_ok(value):
        # The value is not repeated: it may be a resident's ID number with one digit wrong.
        raise argparse.ArgumentTypeError(
            "not an ID number (18 characters with a valid check character, or 15 of a 2017 foreigner's card)"
        )
    return value


def _name(text: str) -> str:
    value = text.strip()
    if not 1 <= len(value) <= 100 or not value.isprintable():
        raise argparse.ArgumentTypeError("a name of 1 to 100 printable characters")
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    licences = sub.add_parser("licences", help="electronic licences (电子证照) of a resident, from the platform")
    actions = licences.add_subparsers(dest="licences_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="list a resident's licences (masked); records a technician's consent of scope 'list'",
        description="Asks the configured platform for the licences of the resident with this ID number. The "
        "request carries a consent given by the technician (scope 'list': listed, never fetched or used); run "
        "it only with the resident's agreement. The consent is written to the audit log.",
    )
    listing.add_argument("--id-number", type=_id_number, required=True, metavar="N",
                         help="the resident's ID number (公民身份号码, or a foreigner's permanent residence number)")
    listing.add_argument("--name", type=_name, help="the resident's name: the platform checks it when given")
    listing.add_argument("--show-personal-data", action="store_true",
                         help="show names and numbers in full instead of masked")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _row(licence: Licence, show: bool) -> dict[str, Any]:
    return {
        "name": licence.name,
        "status": licence.status.value,
        "number": licence.number if show else mask_tail(licence.number),
        "type_code": licence.type_code,
        "issuer": licence.issuer.name,
        "issued_on": licence.issued_on.isoformat(),
        "valid_until": None if licence.valid_until is None else licence.valid_until.isoformat(),
        "usable_today": licence.usable_on(utc_now().astimezone(CHINA_TIME).date()),
        "pdf": None if licence.document is None else licence.document.original_format,
        "licence_id": licence.licence_id,
    }


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        client = make_client(config, data_dir)
    except SetupError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if client is None:
        print("未配置平台 / no platform configured (platform.url): licences are only on the platform", file=sys.stderr)
        return EXIT_FAILED
    holder = Holder(args.id_number, args.name)
    consent = Consent(id=str(uuid.uuid4()), scope="list", given_at=utc_now(), given_by="technician",
                      terminal_id=config.terminal.id)
    audit = audit_log_for(data_dir)
    try:
        audit.record("licences.list", consent_id=consent.id, scope="list", given_by="technician")
    except OSError as exc:
        print(f"无法写入审计日志，未查询 / cannot write the audit log, nothing asked: {exc.strerror or exc}",
              file=sys.stderr)
        client.close()
        return EXIT_FAILED
    hand_over_to_data_dir_owner(data_dir, [audit.path])
    try:
        with client:
            answer = client.query_licences(holder, consent)
    except PlatformAuthError as exc:
        print(f"{CREDENTIALS_REFUSED_TEXT} ({exc.code})", file=sys.stderr)
        return EXIT_FAILED
    except PlatformRejected as exc:
        print(f"平台拒绝 / the platform refused: {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except PlatformError as exc:
        print(f"平台不可达 / platform not reachable: {exc}", file=sys.stderr)
        return EXIT_FAILED
    show = args.show_personal_data
    rows = [_row(licence, show) for licence in answer.licences]
    who = (args.id_number if show else mask_id_number(args.id_number)) + (
        "" if args.name is None else f" {args.name if show else mask_name(args.name)}")
    if args.json:
        print(json.dumps({"holder": who, "consent_id": consent.id, "licences": rows}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"持证人 / holder: {who}  (consent {consent.id}, scope list)")
    if not rows:
        print("没有电子证照 / no licences")
        return EXIT_OK
    for row in rows:
        state = "可用 usable" if row["usable_today"] else f"不可用 not usable ({row['status']})"
        until = row["valid_until"] or "长期"
        document = "no PDF" if row["pdf"] is None else f"PDF of {row['pdf']}"
        print(f"  {row['name']}  {row['number']}  {state}  {row['issued_on']} – {until}  {row['issuer']}  "
              f"[{row['type_code']}, {document}]")
    print(f"{len(rows)} 项 / licence(s)")
    return EXIT_OK
