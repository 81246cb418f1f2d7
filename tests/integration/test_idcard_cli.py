"""`kiosk devices simulate|probe|test idcard` as a technician runs them, against the simulator on a pty."""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.idcard.encode import load_card_fixture
from drivers.idcard.simulator import Fault, IdCardSimulator
from kiosk.cli import main as cli

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "idcard"


@pytest.fixture
def sim() -> Iterator[IdCardSimulator]:
    with IdCardSimulator(load_card_fixture(FIXTURES / "resident.json")) as simulator:
        yield simulator


def probe(tmp_path: Path, port: str, *extra: str) -> list[str]:
    return ["--data-dir", str(tmp_path), "devices", "probe", "idcard", "--port", port, *extra]


def test_simulate_prints_its_port_and_probe_reads_the_card(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "devices", "simulate", "idcard",
         "--card", str(FIXTURES / "hmt_residence_permit.json")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as simulate:
        _probe_through(simulate, tmp_path)


def _probe_through(simulate: subprocess.Popen[str], tmp_path: Path) -> None:
    try:
        assert simulate.stdout is not None
        port = simulate.stdout.readline().strip()
        assert port.startswith("/dev/")
        out = subprocess.run(
            [sys.executable, "-m", "kiosk", *probe(tmp_path, port, "--json")],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
        )
        record = json.loads(out.stdout)
        assert record["kind"] == "hmt_residence_permit"
        assert record["id_number"] == "810000********0020"
        assert record["pass_number"] != "H12345678"
        assert record["valid_to"] == "2026-07-01"
    finally:
        simulate.send_signal(signal.SIGINT)
        assert simulate.wait(timeout=30) == 0


def test_probe_json_keys_and_masking(sim: IdCardSimulator, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(probe(tmp_path, sim.port, "--json")) == 0
    record = json.loads(capsys.readouterr().out)
    assert list(record)[:10] == ["kind", "name", "gender", "nation", "birth_date", "address", "id_number", "issuer",
                                 "valid_from", "valid_to"]
    assert record["id_number"] == "330106********0014"
    assert record["birth_date"] == "1990-03-07"
    assert cli.main(probe(tmp_path, sim.port, "--json", "--show-personal-data")) == 0
    assert json.loads(capsys.readouterr().out)["id_number"] == "330106199003070014"


def test_probe_long_term_is_null(sim: IdCardSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sim.place_card(load_card_fixture(FIXTURES / "resident_long_term.json"))
    assert cli.main(probe(tmp_path, sim.port, "--json")) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["valid_to"] is None
    assert record["nation"] == "畲"
    assert cli.main(probe(tmp_path, sim.port)) == 0
    text = capsys.readouterr().out
    assert "长期" in text
    assert "331127195602290021" not in text


@pytest.mark.parametrize(
    ("fault", "text", "code"),
    [(Fault.NO_CARD, "请将身份证放在读卡区", "idcard.sw.no_card"),
     (Fault.READ_FAILURE, "重新放置", "idcard.sw.read_failed")],
)
def test_probe_failure_exits_non_zero_with_the_message(
    sim: IdCardSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], fault: Fault, text: str, code: str
) -> None:
    sim.inject(fault, count=100)
    assert cli.main(probe(tmp_path, sim.port, "--timeout", "0")) == 1
    err = capsys.readouterr().err
    assert text in err
    assert code in err


def test_probe_without_a_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(probe(tmp_path, str(tmp_path / "ttyNONE"))) == 1
    assert "idcard.port_unavailable" in capsys.readouterr().err


def test_test_command_reports_the_sam(sim: IdCardSimulator, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--data-dir", str(tmp_path), "devices", "test", "idcard", "--port", sim.port, "--json"]
    assert cli.main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["sam_id"] == "05.01-20101117-0052152654-1712318975"
    assert result["card_present"] is True


def test_bad_fixture_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "resident", "gender": "x"}', encoding="utf-8")
    argv = ["--data-dir", str(tmp_path), "devices", "simulate", "idcard", "--card", str(bad)]
    assert cli.main(argv) == 2
    assert "gender" in capsys.readouterr().err


def test_probe_says_why_the_kiosk_would_refuse_a_card(sim: IdCardSimulator, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(probe(tmp_path, sim.port, "--json")) == 0
    assert json.loads(capsys.readouterr().out)["refused"] is None
    card = load_card_fixture(FIXTURES / "resident.json")
    sim.place_card(dataclasses.replace(card, gender="女", gender_code="2"))
    assert cli.main(probe(tmp_path, sim.port, "--json")) == 0
    record = json.loads(capsys.readouterr().out)
    assert "gender" in record["refused"]
    assert "identity.card_data.gender" in record["refused"]
