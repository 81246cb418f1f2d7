"""The reference platform's test certificate authority, and PAdES signing with it (dev and test only).

One root and one signing certificate per issuing department, made on first need and kept as PEM files in a
directory of the platform's own (beside its database): the root is the trust anchor a terminal's technician
imports (`python -m reference_platform --export-trust-anchor PATH`, or `GET /admin/trust-anchor`). Keys are
ECDSA P-256: made in about a millisecond, so a test platform starts at once, and verified by every PAdES
validator. Nothing here is a real authority: the names say so.

Signatures are PAdES baseline B-B (ETSI.CAdES.detached, SHA-256) made with pyhanko, the library the terminal's
verifier uses too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from reference_platform.samples import Department

ROOT_CERT = "root.pem"
ROOT_KEY = "root.key"
_ORGANISATION = "政务服务参考平台测试证书（非真实） Reference platform test PKI (not real)"
_ROOT_DAYS = 20 * 365
_SIGNER_DAYS = 5 * 365
# A signing certificate this close to its end is replaced by a new one at the next signature.
_RENEW_BEFORE = dt.timedelta(days=30)


class AuthorityError(Exception):
    """The authority's directory or files cannot be used (the message names the file)."""


def _name(common_name: str, serial_number: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial_number is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    return x509.Name(attributes)


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer, content_commitment=signer, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=not signer, crl_sign=not signer, encipher_only=False, decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Authority:
    """A root CA in `directory` (created on first use) that issues one signing certificate per department."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._signers: dict[str, signers.SimpleSigner] = {}
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._root_key, self._root = self._load_or_make_root()
        except (OSError, ValueError) as exc:
            raise AuthorityError(f"test authority in {self.directory}: {exc}") from exc

    def _load_or_make_root(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        cert_path, key_path = self.directory / ROOT_CERT, self.directory / ROOT_KEY
        if cert_path.is_file() and key_path.is_file():
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError(f"{key_path} is not an EC key")
            return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        # Each platform's root has a name of its own: a validator builds chains by name, and two test platforms'
        # roots must not be taken for one another.
        name = _name(f"参考平台测试根证书 test root {os.urandom(4).hex()}")
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=_ROOT_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(signer=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write_private(key_path, _key_pem(key))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    # -- the trust anchor ----------------------------------------------------------------------------------

    def root_pem(self) -> bytes:
        return self._root.public_bytes(serialization.Encoding.PEM)

    def root_fingerprint(self) -> str:
        """SHA-256 of the root certificate's DER, lower-case hex (what a setup screen shows)."""
        return hashlib.sha256(self._root.public_bytes(serialization.Encoding.DER)).hexdigest()

    def export_root(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(self.root_pem())
        return target

    # -- signing -------------------------------------------------------------------------------------------

    def _signer_files(self, department: Department) -> tuple[Path, Path]:
        return self.directory / f"signer-{department.code}.pem", self.directory / f"signer-{department.code}.key"

    def _usable(self, cert_path: Path) -> bool:
        if not cert_path.is_file():
            return False
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        return cert.issuer == self._root.subject and cert.not_valid_after_utc - _RENEW_BEFORE > dt.datetime.now(dt.UTC)

    def signing_certificate(self, department: Department) -> x509.Certificate:
        """The department's signing certificate, made (or renewed) when needed."""
        cert_path, key_path = self._signer_files(department)
        with self._lock:
            if not (self._usable(cert_path) and key_path.is_file()):
                self._make_signer(department, cert_path, key_path)
                self._signers.pop(department.code, None)
        return x509.load_pem_x509_certificate(cert_path.read_bytes())

    def _make_signer(self, department: Department, cert_path: Path, key_path: Path) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(department.name, department.code))
            .issuer_name(self._root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=_SIGNER_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signer=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._root_key.public_key()), critical=False
            )
            .sign(self._root_key, hashes.SHA256())
        )
        _write_private(key_path, _key_pem(key))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def _signer(self, department: Department) -> signers.SimpleSigner:
        self.signing_certificate(department)
        with self._lock:
            signer = self._signers.get(department.code)
            if signer is None:
                cert_path, key_path = self._signer_files(department)
                # pyhanko's loader has no annotations; it returns None only for a key it cannot read.
                loaded = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
                    str(key_path), str(cert_path), ca_chain_files=(str(self.directory / ROOT_CERT),)
                )
                if loaded is None:
                    raise AuthorityError(f"cannot load the signing key {key_path}")
                signer = self._signers[department.code] = loaded
        return signer

    def sign_pdf(
        self, pdf: bytes, department: Department, *, reason: str, verification_code: str | None = None
    ) -> bytes:
        """`pdf` with the department's PAdES signature over the whole file.

        The verification code goes into the document information dictionary (`/VerificationCode`) in the same
        incremental update as the signature, so the signature covers it.
        """
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if verification_code is not None:
            info = writer.trailer["/Info"]  # reportlab always writes one
            info[generic.NameObject("/VerificationCode")] = generic.TextStringObject(verification_code)
            writer.update_container(info)
        meta = signers.PdfSignatureMetadata(
            field_name="Signature1",
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=department.place,
            name=department.name,
        )
        out = signers.sign_pdf(writer, meta, signer=self._signer(department))
        return bytes(out.getvalue())
