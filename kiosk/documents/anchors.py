"""Trust anchors: the certificate authorities whose seals the terminal accepts, from PEM files.

`documents.trust_anchors` names the files (inside the data directory, checked by kiosk.config); each may
hold several certificates (a bundle). A file that cannot be used is an error naming the file, never a
silently smaller set of anchors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from kiosk.config import Config, confined_path

# A bundle of a province's authorities is a few dozen KiB; a file far larger is not a PEM bundle.
MAX_PEM_BYTES = 1 << 20
MAX_CERTIFICATES_PER_FILE = 100


class TrustAnchorError(ValueError):
    """A trust-anchor file that cannot be used; the message names the file and what is wrong."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclasses.dataclass(frozen=True)
class Anchor:
    """One trusted certificate and the file it came from, as the technician checks it."""

    certificate: x509.Certificate
    source: str

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, in the colon-separated form certificate viewers show."""
        return fingerprint(self.certificate)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        value = names[0].value if names else ""
        return value if isinstance(value, str) else value.decode("utf-8", "replace")

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.certificate.not_valid_before_utc <= moment <= self.certificate.not_valid_after_utc


def fingerprint(certificate: x509.Certificate) -> str:
    digest = hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def parse_pem(data: bytes, source: str) -> list[Anchor]:
    """The certificates of one PEM bundle; raises TrustAnchorError naming `source`."""
    if len(data) > MAX_PEM_BYTES:
        raise TrustAnchorError(source, f"larger than {MAX_PEM_BYTES} bytes: not a PEM certificate bundle")
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise TrustAnchorError(source, "no PEM certificate in it (-----BEGIN CERTIFICATE-----)")
    if data.count(b"-----BEGIN CERTIFICATE-----") > MAX_CERTIFICATES_PER_FILE:
        raise TrustAnchorError(source, f"more than {MAX_CERTIFICATES_PER_FILE} certificates")
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise TrustAnchorError(source, f"not a readable PEM certificate bundle ({exc})") from None
    return [Anchor(certificate, source) for certificate in certificates]


def load_anchor_files(paths: Iterable[Path]) -> list[Anchor]:
    """Every certificate of every file, in order; raises TrustAnchorError for the first unusable file."""
    anchors: list[Anchor] = []
    for path in paths:
        try:
            with path.open("rb") as file:
                data = file.read(MAX_PEM_BYTES + 1)
        except OSError as exc:
            raise TrustAnchorError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
        anchors.extend(parse_pem(data, str(path)))
    return _unique(anchors)


def configured_anchors(config: Config, data_dir: Path) -> list[Anchor]:
    """The anchors `documents.trust_anchors` names, each path confined to the data directory.

    Raises TrustAnchorError (a file that cannot be read or parsed) or ConfigError (a path leading out of
    the data directory: the files are the terminal's trust, not whatever a path points at)."""
    paths: list[Path] = []
    for index, value in enumerate(config.documents.trust_anchors):
        paths.append(confined_path(f"documents.trust_anchors[{index}]", value, data_dir))
    return load_anchor_files(paths)


def certificates(anchors: Sequence[Anchor]) -> list[x509.Certificate]:
    return [anchor.certificate for anchor in anchors]


def _unique(anchors: list[Anchor]) -> list[Anchor]:
    """The same certificate in two files is one anchor."""
    seen: set[bytes] = set()
    out: list[Anchor] = []
    for anchor in anchors:
        der = anchor.certificate.public_bytes(Encoding.DER)
        if der not in seen:
            seen.add(der)
            out.append(anchor)
    return out

