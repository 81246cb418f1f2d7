"""`kiosk devices probe citizencard` on the simulated backend: masked unless asked, typed failures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from drivers.citizencard.simulated import SimulatedCitizenCardReader
from kiosk.cli.device.citizencard import card_record
from kiosk.cli.main import main

FIXTURES = Path(__file__).parents[3] / "fixtures" / "citizencard"


def config(tmp_path: Path, backend: str = "simulated", profile: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[devices.citizencard]\nbackend = "{backend}"\nprofile = "{profile}"\n', encoding="utf-8")
    return path


def probe(tmp_path: Path, *args: str, backend: str = "simulated", profile: str = "") -> int:
    return main(["--config", str(config(tmp_path, backend, profile)), "--data-dir", str(tmp_path / "data"),
                 "devices", "probe", "citizencard", *args])


def test_probe_masks_personal_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert probe(tmp_path, "--json") == 0
    record = json.loads(capsys.readouterr().out)
    assert record["kind"] == "citizen_card"
    assert record["profile"] == "citizen-tunion"
    fields = record["fields"]
    assert fields["id_number"] == "330102********0038"
    assert fields["name"] == "**明"
    assert fields["birth_date"] == "**********"
    assert fields["balance_fen"] == 12345
    assert fields["spec_version"] == "2.00"
    assert record["resident"]["id_number"] == "330102********0038"
    assert "陈志明" not in json.dumps(record, ensure_ascii=False)


def test_probe_shows_personal_data_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert probe(tmp_path, "--json", "--show-personal-data") == 0
    record = json.loads(capsys.readouterr().out)
    assert record["fields"]["name"] == "陈志明"
    assert record["fields"]["birth_date"] == "1978-11-20"
    assert record["resident"]["source"].startswith("市民卡")


def test_probe_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert probe(tmp_path) == 0
    out = capsys.readouterr().out
    assert "profile: citizen-tunion" in out
    assert "330102********0038" in out
    assert "330102197811200038" not in out


def test_probe_failure_prints_the_message_and_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "bank.toml"
    other.write_text('kind = "citizen_card"\n[[sections]]\n[[sections.steps]]\nop = "select"\naid = "A0000000031010"\n',
                     encoding="utf-8")
    assert probe(tmp_path, "--profile", str(other)) == 1
    err = capsys.readouterr().err
    assert "[citizencard.unknown_card]" in err
    assert "身份证" in err


def test_probe_with_backend_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert probe(tmp_path, backend="none") == 1
    assert "[citizencard.not_configured]" in capsys.readouterr().err


def test_probe_with_an_unknown_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert probe(tmp_path, "--profile", "hangzhou") == 1
    assert "[citizencard.profile_invalid]" in capsys.readouterr().err


def test_probe_says_why_the_kiosk_would_refuse_a_card() -> None:
    card = SimulatedCitizenCardReader(FIXTURES / "ssse-2.00.toml").read_card()
    assert card_record(card)["refused"] is None
    bad = dataclasses.replace(card, fields={**card.fields, "id_number": "330106199003070015"})
    record = card_record(bad)
    assert record["resident"] is None
    assert "id_number" in record["refused"]
    assert "identity.card_data.check_digit" in record["refused"]
    assert "330106199003070015" not in json.dumps(record)
