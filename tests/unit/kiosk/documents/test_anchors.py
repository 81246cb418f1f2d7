"""Trust anchors from PEM files: bundles, fingerprints, and every file that cannot be used named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import Config, ConfigError, config_from_mapping
from kiosk.documents.anchors import (
    MAX_PEM_BYTES,
    TrustAnchorError,
    configured_anchors,
    fingerprint,
    load_anchor_files,
    parse_pem,
)
from tests.fixtures import signed_documents as sd


def _config(*paths: str) -> Config:
    return config_from_mapping({"documents": {"trust_anchors": list(paths)}})


def test_a_bundle_gives_every_certificate_once(tmp_path: Path) -> None:
    pki = sd.pki()
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(b"# the province's roots\n" + pki.root.pem + pki.other_root.pem)
    single = tmp_path / "root.pem"
    single.write_bytes(pki.root.pem)
    anchors = load_anchor_files([bundle, single])
    assert [a.certificate for a in anchors] == [pki.root.cert, pki.other_root.cert]
    assert anchors[0].source == str(bundle)
    assert anchors[0].common_name == "测试省电子政务根 CA"


def test_the_fingerprint_is_the_colon_separated_sha256() -> None:
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding

    cert = sd.pki().root.cert
    text = fingerprint(cert)
    assert text.replace(":", "").lower() == hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
    assert len(text.split(":")) == 32


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "no PEM certificate"),
        (b"hello", "no PEM certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a readable PEM"),
        (b"-----BEGIN CERTIFICATE-----\n" + b"A" * (MAX_PEM_BYTES + 10), "larger than"),
    ],
    ids=["empty", "text", "bad base64 / DER", "too large"],
)
def test_an_unusable_file_is_named_with_what_is_wrong(data: bytes, why: str) -> None:
    with pytest.raises(TrustAnchorError, match=why) as caught:
        parse_pem(data, "trust/x.pem")
    assert caught.value.source == "trust/x.pem"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrustAnchorError, match="cannot read the file") as caught:
        load_anchor_files([tmp_path / "nope.pem"])
    assert "nope.pem" in str(caught.value)


def test_configured_anchors_are_read_from_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "root.pem").write_bytes(sd.pki().root.pem)
    anchors = configured_anchors(_config("trust/root.pem"), tmp_path)
    assert [a.certificate for a in anchors] == [sd.pki().root.cert]
    assert configured_anchors(Config(), tmp_path) == []


def test_a_configured_anchor_outside_the_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "elsewhere.pem"
    outside.write_bytes(sd.pki().root.pem)
    os.symlink(outside, data / "link.pem")
    for value in ("../elsewhere.pem", "link.pem", str(outside)):
        with pytest.raises(ConfigError, match=r"documents.trust_anchors\[0\]: must stay inside the data directory"):
            configured_anchors(_config(value), data)
