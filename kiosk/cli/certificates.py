"""`kiosk certificates verify FILE`: check a signed certificate (电子证明) as the kiosk does before printing.

Exit 0: valid, with the signer, the issuer chain, the signing time and the verification code. Exit 1: the
document is refused (the reason is the first line, and `--json` has it as `reason`) or FILE cannot be read.
Exit 3: no usable trust anchor (a `--trust` file or a `documents.trust_anchors` file that cannot be used, or
none at all). The checks are docs/signed-documents.md's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config, ConfigError
from kiosk.documents.anchors import Anchor, TrustAnchorError, certificates, configured_anchors, load_anchor_files

if TYPE_CHECKING:
    from kiosk.documents.verify import Party

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_CONFIG = 3


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("certificates", help="signed certificates (电子证明): verify one as before printing")
    actions = group.add_subparsers(dest="certificates_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check a signed PDF's seal, chain and integrity as the kiosk does before printing",
        description="Exit 0 when valid (signer, issuer chain, signing time, verification code); 1 when refused "
        "(unsigned, tampered, modified_after_signing, expired, untrusted, revoked, unsupported, malformed) or "
        "FILE cannot be read; 3 when there is no usable trust anchor.")
    verify.add_argument("file", type=Path, metavar="FILE", help="the signed PDF")
    verify.add_argument("--trust", type=Path, action="append", metavar="PEM",
                        help="trust the certificates of this PEM file instead of documents.trust_anchors "
                        "(repeat for several files)")
    verify.add_argument("--json", action="store_true", help="one JSON object instead of text")


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    anchors = _anchors(args, config, data_dir)
    if anchors is None:
        return EXIT_CONFIG
    # pyHanko (and the HTTP stack it brings) loads only for this command, not for every `kiosk` start.
    from kiosk.documents.verify import MAX_DOCUMENT_BYTES, DocumentRefused, verify_pdf

    try:
        with args.file.open("rb") as file:
            data = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        print(f"无法读取 / cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        verified = verify_pdf(data, certificates(anchors))
    except DocumentRefused as refused:
        if args.json:
            _print_json({"file": str(args.file), "valid": False, "reason": refused.reason.value,
                         "message_zh": refused.zh, "message_en": refused.en, "detail": refused.detail})
        else:
            print(f"拒绝 / refused: {refused.reason.value}  {args.file}")
            print(f"  {refused.zh}")
            print(f"  {refused.en}")
            print(f"  详情 / detail: {refused.detail}")
        return EXIT_REFUSED
    signing_time = verified.signing_time.astimezone() if verified.signing_time is not None else None
    if args.json:
        _print_json({
            "file": str(args.file), "valid": True, "signer": _party(verified.signer),
            "issuers": [_party(p) for p in verified.issuers],
            "signing_time": signing_time.isoformat(timespec="seconds") if signing_time else None,
            "time_source": verified.time_source.value, "verification_code": verified.verification_code,
            "signatures": verified.signatures,
        })
        return EXIT_OK
    print(f"有效 / valid: {args.file}")
    print(f"  签章 / signer: {verified.signer.subject}")
    print("  证书链 / issuer chain:")
    for number, issuer in enumerate(verified.issuers, 1):
        anchor = "  (信任锚 / trust anchor)" if number == len(verified.issuers) else ""
        print(f"    {number}. {issuer.subject}{anchor}")
    if not verified.issuers:
        print("    (签章证书本身即信任锚 / the signer's certificate is itself a trust anchor)")
    print(f"  签章时间 / signing time: {_time_text(signing_time, verified.time_source.value)}")
    print(f"  核验码 / verification code: {verified.verification_code or '(无 / none)'}")
    if verified.signatures > 1:
        print(f"  签章数 / signatures: {verified.signatures} (all valid; the last one is shown)")
    return EXIT_OK


def _anchors(args: argparse.Namespace, config: Config, data_dir: Path) -> list[Anchor] | None:
    """The anchors to check against, or None after saying why there are none usable."""
    try:
        anchors = load_anchor_files(args.trust) if args.trust else configured_anchors(config, data_dir)
    except TrustAnchorError as exc:
        print(f"信任锚无法使用 / unusable trust anchor: {exc}", file=sys.stderr)
        return None
    except ConfigError as exc:
        print(f"配置有误 / invalid configuration: {'; '.join(exc.problems)}", file=sys.stderr)
        return None
    if not anchors:
        print("没有信任锚 / no trust anchors: set documents.trust_anchors in the configuration or give --trust PEM",
              file=sys.stderr)
        return None
    return anchors


def _time_text(moment: dt.datetime | None, source: str) -> str:
    if moment is None:
        return "(未注明 / not stated)"
    how = ("由可信时间戳证明 / proven by a trusted timestamp" if source == "timestamp"
           else "签章方自述 / as stated by the signer")
    return f"{moment.isoformat(sep=' ', timespec='seconds')} ({how})"


def _party(party: Party) -> dict[str, str]:
    return {"common_name": party.common_name, "organization": party.organization, "subject": party.subject,
            "sha256": party.sha256}


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=1))
