"""`kiosk certificates verify FILE [--trust PEM]...`: exit 0 with signer, chain, time and code; exit 1 with the
reason; exit 3 without a usable trust anchor. And pdfsig (poppler), an independent checker, agrees."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import certificates as cli_certificates
from kiosk.cli import main as cli
from tests.conftest import ExpectedLogs
from tests.fixtures import signed_documents as sd


@pytest.fixture
def refusals(expected_logs: ExpectedLogs) -> None:
    expected_logs("kiosk.documents", "document refused: ")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pki = sd.pki()
    good = sd.signed()
    made = {
        "valid": good,
        "ecdsa": sd.signed(pki.ecdsa_seal),
        "tampered": sd.flip_signed_byte(good),
        "modified": sd.append_page_edit(good),
        "expired": sd.signed(pki.expired_seal),
        "untrusted": sd.signed(pki.other_seal),
        "unsigned": sd.make_pdf(),
        "malformed": b"this is not a PDF\n",
    }
    folder = tmp_path_factory.mktemp("documents")
    paths = {}
    for name, data in made.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(data)
    paths["root"] = folder / "root.pem"
    paths["root"].write_bytes(pki.root.pem)
    return paths


def verify(tmp_path: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(tmp_path / "data"), "certificates", "verify", *args])


def test_a_valid_certificate_prints_signer_chain_time_and_code(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    assert verify(tmp_path, str(files["valid"]), "--trust", str(files["root"])) == cli_certificates.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("有效 / valid:")
    assert "测试市人力资源和社会保障局电子印章" in out
    chain = out.split("issuer chain:")[1]
    assert chain.index("测试省电子印章 CA") < chain.index("测试省电子政务根 CA")
    assert "trust anchor" in chain
    assert "signing time: 20" in out
    assert f"verification code: {sd.CODE}" in out


def test_json_output(tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(tmp_path, str(files["ecdsa"]), "--trust", str(files["root"]), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is True
    assert result["signer"]["common_name"] == "测试市公安局电子印章"
    assert [i["common_name"] for i in result["issuers"]] == ["测试省电子印章 CA", "测试省电子政务根 CA"]
    assert result["verification_code"] == sd.CODE
    assert result["time_source"] == "signer"


@pytest.mark.usefixtures("refusals")
@pytest.mark.parametrize(
    ("name", "reason"),
    [("tampered", "tampered"), ("modified", "modified_after_signing"), ("expired", "expired"),
     ("untrusted", "untrusted"), ("unsigned", "unsigned"), ("malformed", "malformed")],
)
def test_a_refused_document_exits_1_with_the_reason(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str], name: str, reason: str,
) -> None:
    assert verify(tmp_path, str(files[name]), "--trust", str(files["root"])) == cli_certificates.EXIT_REFUSED
    out = capsys.readouterr().out
    assert out.startswith(f"拒绝 / refused: {reason} ")
    assert "detail:" in out
    assert verify(tmp_path, str(files[name]), "--trust", str(files["root"]), "--json") == 1
    result = json.loads(capsys.readouterr().out)
    assert (result["valid"], result["reason"]) == (False, reason)


def test_without_trust_the_configured_anchors_are_used(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    (data / "trust").mkdir(parents=True)
    shutil.copy(files["root"], data / "trust" / "root.pem")
    config = tmp_path / "kiosk.toml"
    config.write_text('[documents]\ntrust_anchors = ["trust/root.pem"]\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "--data-dir", str(data), "certificates", "verify",
                     str(files["valid"])]) == 0
    assert "有效 / valid" in capsys.readouterr().out


def test_no_anchor_at_all_exits_3(tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(tmp_path, str(files["valid"])) == cli_certificates.EXIT_CONFIG
    assert "no trust anchors" in capsys.readouterr().err


def test_an_unusable_trust_file_exits_3_naming_it(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    assert verify(tmp_path, str(files["valid"]), "--trust", str(files["valid"])) == cli_certificates.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "unusable trust anchor" in err
    assert "valid.pdf" in err


def test_a_configured_anchor_outside_the_data_dir_exits_3(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[documents]\ntrust_anchors = ["{files["root"]}"]\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "certificates", "verify",
                     str(files["valid"])]) == 3
    assert "documents.trust_anchors[0]" in capsys.readouterr().err


def test_a_missing_file_exits_1(tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(tmp_path, str(tmp_path / "nope.pdf"), "--trust", str(files["root"])) == 1
    assert "cannot read" in capsys.readouterr().err


# --- pdfsig, the second opinion -----------------------------------------------------------------------

PDFSIG = shutil.which("pdfsig")


def _pdfsig(path: Path) -> str:
    assert PDFSIG is not None
    return subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=60, check=False).stdout


@pytest.mark.skipif(PDFSIG is None, reason="pdfsig (poppler-utils) is not installed")
@pytest.mark.usefixtures("refusals")
def test_pdfsig_agrees_on_valid_tampered_and_modified(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    # pdfsig has no trust store of ours, so it is asked only what it can judge on its own: the signature
    # value over the signed bytes, and whether the signature covers the whole file.
    for name in ("valid", "ecdsa"):
        report = _pdfsig(files[name])
        assert "Signature Validation: Signature is Valid." in report, report
        assert "Total document signed" in report, report
        assert verify(tmp_path, str(files[name]), "--trust", str(files["root"])) == 0
    report = _pdfsig(files["tampered"])
    assert "Digest Mismatch" in report, report
    assert verify(tmp_path, str(files["tampered"]), "--trust", str(files["root"])) == 1
    report = _pdfsig(files["modified"])
    assert "Not total document signed" in report, report
    assert verify(tmp_path, str(files["modified"]), "--trust", str(files["root"])) == 1
    capsys.readouterr()


def test_config_check_reads_the_anchor_files_too(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    (data / "trust").mkdir(parents=True)
    (data / "trust" / "root.pem").write_text("copied the wrong file\n", encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text('[documents]\ntrust_anchors = ["trust/root.pem"]\n', encoding="utf-8")
    assert cli.main(["--data-dir", str(data), "config", "check", str(config)]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "documents.trust_anchors" in err
    assert "no PEM certificate" in err
    shutil.copy(files["root"], data / "trust" / "root.pem")
    assert cli.main(["--data-dir", str(data), "config", "check", str(config)]) == cli.EXIT_OK
