"""The card models keep personal data out of reprs, and the SAM ID formats as the reference says."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from drivers.idcard.encode import load_card_fixture
from drivers.idcard.models import CardKind, IdCard, SamId

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "idcard"


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_repr_shows_no_personal_data(fixture: str) -> None:
    card = load_card_fixture(FIXTURES / fixture)
    text = repr(card) + str(card)
    assert card.name not in text
    assert card.id_number not in text
    assert card.birth_date.isoformat() not in text


def test_cards_are_frozen_and_share_the_agreed_fields() -> None:
    card = load_card_fixture(FIXTURES / "resident.json")
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.name = "x"  # type: ignore[misc]
    agreed = {"kind", "name", "gender", "nation", "birth_date", "address", "id_number", "issuer", "valid_from",
              "valid_to", "photo_wlt"}
    assert agreed <= {f.name for f in dataclasses.fields(IdCard)}
    assert {k.value for k in CardKind} == {" ", "J", "I", "Y"}
    assert CardKind.FOREIGNER_PERMANENT_2023.slug == "foreigner_permanent_2023"


def test_sam_id_display() -> None:
    sam = SamId(bytes.fromhex("05000100FDB732014EC91B03FFE90F66"))
    assert sam.display == "05.01-20101117-0052152654-1712318975"
    assert SamId(b"\xff" * 16).display == "65535.65535-4294967295-4294967295-4294967295"
