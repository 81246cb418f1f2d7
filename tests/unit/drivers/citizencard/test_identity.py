"""The kiosk's `Resident`: built from either card, source recorded, masked for display, dropped by wipe()."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from drivers.citizencard.models import CardKind, CitizenCard
from drivers.citizencard.simulated import SimulatedCitizenCardReader
from drivers.idcard.models import CardKind as IdCardKind
from drivers.idcard.models import IdCard
from kiosk.identity.resident import (
    Gender,
    IdentitySlot,
    IdentitySource,
    IdentityUnavailable,
    Resident,
    from_citizen_card,
    from_id_card,
)

FIXTURES = Path(__file__).parents[3] / "fixtures" / "citizencard"


def read(name: str) -> CitizenCard:
    return SimulatedCitizenCardReader(FIXTURES / f"{name}.toml").read_card()


def test_from_social_security_card() -> None:
    resident = from_citizen_card(read("ssse-2.00"))
    assert resident.source is IdentitySource.SOCIAL_SECURITY_CARD
    assert resident.name == "王建国"
    assert resident.id_number == "330106199003070014"
    assert resident.gender is Gender.MALE
    assert resident.birth_date == dt.date(1990, 3, 7)
    assert resident.nation == "汉"
    assert resident.card_number == "A00000001"
    assert resident.address == ""


def test_from_citizen_card_uses_the_citizen_card_number() -> None:
    resident = from_citizen_card(read("citizen-tunion"), phone="13812345678")
    assert resident.source is IdentitySource.CITIZEN_CARD
    assert resident.card_number == "3100999000000012345"
    assert resident.phone == "13812345678"


def test_name_extension_is_appended() -> None:
    assert from_citizen_card(read("ssse-t0")).name == "蓝秀英 LAN XIUYING"


def test_a_card_without_holder_cannot_identify() -> None:
    with pytest.raises(IdentityUnavailable):
        from_citizen_card(read("purse-only"))


def test_gender_and_birth_date_fall_back_to_the_id_number() -> None:
    card = CitizenCard(CardKind.SOCIAL_SECURITY_CARD, "x", "r", "", {"name": "甲", "id_number": "330302198506150025"})
    resident = from_citizen_card(card)
    assert resident.gender is Gender.FEMALE
    assert resident.birth_date == dt.date(1985, 6, 15)


def test_from_id_card() -> None:
    card = IdCard(
        kind=IdCardKind.RESIDENT, name="王建国", gender="男", gender_code="1", nation="汉",
        birth_date=dt.date(1990, 3, 7), address="浙江省杭州市西湖区文三路100号", id_number="330106199003070014",
        issuer="杭州市公安局西湖分局", valid_from=dt.date(2020, 1, 1), valid_to=None, photo_wlt=b"\x00" * 1024,
    )
    resident = from_id_card(card)
    assert resident.source is IdentitySource.ID_CARD
    assert resident.gender is Gender.MALE
    assert resident.address.startswith("浙江省")
    assert resident.card_number == ""
    # Either card gives the same person for every later screen.
    assert dataclasses.replace(resident, source=IdentitySource.SOCIAL_SECURITY_CARD, address="",
                               card_number="A00000001") == from_citizen_card(read("ssse-2.00"))


def test_foreigner_card_without_nation_or_address() -> None:
    card = IdCard(
        kind=IdCardKind.HMT_RESIDENCE_PERMIT, name="陈大文", gender="女", gender_code="2", nation=None,
        birth_date=dt.date(1985, 6, 15), address=None, id_number="810000198506150020", issuer="x",
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1), photo_wlt=b"",
    )
    resident = from_id_card(card)
    assert resident.nation == ""
    assert resident.address == ""
    assert resident.gender is Gender.FEMALE


def test_masked_display_and_repr_hold_no_personal_data() -> None:
    resident = from_citizen_card(read("citizen-tunion"), phone="13812345678")
    masked = resident.masked()
    assert masked["id_number"] == "330102********0038"
    assert masked["name"] == "**明"
    assert masked["phone"] == "138****5678"
    assert masked["birth_date"] == "****-**-**"
    assert masked["card_number"].endswith("2345")
    assert "3100999000000012345" not in masked["card_number"]
    for text in (repr(resident), str(resident), repr(IdentitySlot())):
        assert "陈志明" not in text
        assert "330102197811200038" not in text
    assert resident.display(show_personal_data=True)["id_number"] == "330102197811200038"
    assert resident.display()["id_number"] == masked["id_number"]


def test_address_masking() -> None:
    resident = Resident(IdentitySource.ID_CARD, "张三", "330106199003070014", Gender.MALE, None,
                        address="浙江省杭州市西湖区文三路100号")
    assert resident.masked()["address"] == "浙江省杭州市******"


def test_resident_is_immutable_and_the_slot_wipes_it() -> None:
    resident = from_citizen_card(read("ssse-2.00"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        resident.name = "x"  # type: ignore[misc]
    slot = IdentitySlot()
    slot.set(resident)
    assert slot.resident is resident
    slot.wipe()
    assert slot.resident is None


@pytest.mark.parametrize(("value", "gender"), [("1", Gender.MALE), ("女", Gender.FEMALE), ("9", Gender.UNSPECIFIED),
                                               ("", Gender.UNKNOWN), ("x", Gender.UNKNOWN), (Gender.MALE, Gender.MALE)])
def test_gender_parse(value: object, gender: Gender) -> None:
    assert Gender.parse(value) is gender
