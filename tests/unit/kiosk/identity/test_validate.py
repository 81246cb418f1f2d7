"""The one validator of card data: every rule, for both card kinds, refused with a typed error that names the
field and the rule but never the value."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.citizencard.models import CardKind, CitizenCard
from drivers.citizencard.simulated import SimulatedCitizenCardReader
from drivers.errors import DeviceError, ProtocolError
from drivers.idcard.encode import load_card_fixture
from drivers.idcard.id_number import PROVINCE_CODES, check_char
from drivers.idcard.models import IdCard
from kiosk.identity.read import message_for
from kiosk.identity.resident import from_citizen_card, from_id_card
from kiosk.identity.validate import CardDataRejected, Rule, check_citizen_card, check_id_card

TESTS = Path(__file__).parents[3]
ID_FIXTURES = TESTS / "fixtures" / "idcard"
CITIZEN_FIXTURES = TESTS / "fixtures" / "citizencard"


def id_card(fixture: str, **changes: Any) -> IdCard:
    return dataclasses.replace(load_card_fixture(ID_FIXTURES / fixture), **changes)


def citizen_card(fixture: str = "ssse-2.00", **fields: Any) -> CitizenCard:
    card = SimulatedCitizenCardReader(CITIZEN_FIXTURES / f"{fixture}.toml").read_card()
    values = {**card.fields, **fields}
    return dataclasses.replace(card, fields={k: v for k, v in values.items() if v is not None})


def number(body17: str) -> str:
    return body17 + check_char(body17)


@pytest.mark.parametrize("fixture", sorted(p.name for p in ID_FIXTURES.glob("*.json")))
def test_every_id_card_fixture_is_a_real_card(fixture: str) -> None:
    check_id_card(load_card_fixture(ID_FIXTURES / fixture))


@pytest.mark.parametrize("fixture", ["ssse-2.00", "ssse-t0", "citizen-tunion"])
def test_every_citizen_card_fixture_is_a_real_card(fixture: str) -> None:
    check_citizen_card(citizen_card(fixture))


ID_CASES: list[tuple[str, dict[str, Any], str, Rule]] = [
    ("resident.json", {"name": ""}, "name", Rule.REQUIRED),
    ("resident.json", {"name": "SMITH"}, "name", Rule.CHARACTERS),
    ("resident.json", {"name": "测试\u3000样例"}, "name", Rule.CHARACTERS),
    ("resident.json", {"name": "测试😀"}, "name", Rule.CHARACTERS),
    ("resident.json", {"address": ""}, "address", Rule.REQUIRED),
    ("resident.json", {"address": "浙江省杭州市@测试路"}, "address", Rule.CHARACTERS),
    ("resident.json", {"issuer": ""}, "issuer", Rule.REQUIRED),
    ("resident.json", {"nation_code": "1"}, "nation", Rule.CHARACTERS),
    ("resident.json", {"birth_date": dt.date(1990, 3, 8)}, "birth_date", Rule.BIRTH_DATE),
    ("resident.json", {"gender_code": "2", "gender": "女"}, "gender", Rule.GENDER),
    ("resident.json", {"gender_code": "0", "gender": "未知"}, "gender", Rule.GENDER),
    ("resident.json", {"valid_to": dt.date(2019, 12, 31)}, "valid_to", Rule.DATE_ORDER),
    ("resident.json", {"valid_from": dt.date(1990, 3, 6)}, "valid_from", Rule.DATE_ORDER),
    ("resident.json", {"id_number": "330106199003070015"}, "id_number", Rule.CHECK_DIGIT),
    ("resident.json", {"id_number": number("93312419900307001")}, "id_number", Rule.NUMBER_FORM),
    ("resident.json", {"id_number": number("81000019900307001")}, "id_number", Rule.NUMBER_FORM),
    ("resident.json", {"id_number": number("33010619901307001")}, "id_number", Rule.NUMBER_FORM),
    ("resident.json", {"id_number": "330106199003070014 "}, "id_number", Rule.NUMBER_FORM),
    ("resident_x_check.json", {"id_number": "33010619781111002x"}, "id_number", Rule.NUMBER_FORM),
    ("resident.json", {"additional_address": "浙江省\u202e杭州市"}, "additional_address", Rule.CHARACTERS),
    ("hmt_residence_permit.json", {"valid_to": None}, "valid_to", Rule.EXPIRY),
    ("hmt_residence_permit.json", {"pass_number": ""}, "pass_number", Rule.REQUIRED),
    ("hmt_residence_permit.json", {"id_number": "330106199003070014"}, "id_number", Rule.NUMBER_FORM),
    ("foreigner_2017.json", {"id_number": "NZL330019800101"}, "id_number", Rule.NUMBER_FORM),
    ("foreigner_2017.json", {"english_name": "SAMPLE,  TESTCASE"}, "english_name", Rule.CHARACTERS),
    ("foreigner_2017.json", {"english_name": ""}, "english_name", Rule.REQUIRED),
    ("foreigner_2017.json", {"nationality_code": "CA"}, "nationality", Rule.CHARACTERS),
    ("foreigner_2017.json", {"valid_to": None}, "valid_to", Rule.EXPIRY),
    ("foreigner_2023.json", {"birth_date": dt.date(1980, 1, 2)}, "birth_date", Rule.BIRTH_DATE),
    ("foreigner_2023.json", {"gender_code": "1", "gender": "男"}, "gender", Rule.GENDER),
    ("foreigner_2023.json", {"english_name": "EXAMPLE\u200bFAMILY"}, "english_name", Rule.CHARACTERS),
    ("foreigner_2023.json", {"id_number": "330106199003070014"}, "id_number", Rule.NUMBER_FORM),
]


@pytest.mark.parametrize(("fixture", "changes", "field", "rule"), ID_CASES)
def test_an_id_card_breaking_a_rule_is_refused(fixture: str, changes: dict[str, Any], field: str, rule: Rule) -> None:
    card = id_card(fixture, **changes)
    with pytest.raises(CardDataRejected) as caught:
        from_id_card(card)
    _check_refusal(caught.value, field, rule, changes)


CITIZEN_CASES: list[tuple[dict[str, Any], str, Rule]] = [
    # The citizen-card path never checked the check character: the finding of the issue.
    ({"id_number": "330106199003070015"}, "id_number", Rule.CHECK_DIGIT),
    ({"id_number": "33010690030700"}, "id_number", Rule.NUMBER_FORM),
    ({"id_number": number("71000019900307001")}, "id_number", Rule.NUMBER_FORM),
    ({"id_number": number("00000019900307001")}, "id_number", Rule.NUMBER_FORM),
    ({"gender": "0"}, "gender", Rule.GENDER),
    ({"gender": "2"}, "gender", Rule.GENDER),
    ({"birth_date": dt.date(1990, 3, 8)}, "birth_date", Rule.BIRTH_DATE),
    ({"issue_date": dt.date(2030, 1, 1)}, "valid_to", Rule.DATE_ORDER),
    ({"issue_date": dt.date(1980, 1, 1)}, "issue_date", Rule.DATE_ORDER),
    ({"name": "王\u3000建国"}, "name", Rule.CHARACTERS),
    ({"name": "王建国1"}, "name", Rule.CHARACTERS),
    ({"name_extension": "LAN\nXIUYING"}, "name_extension", Rule.CHARACTERS),
    ({"card_number": "a0000001"}, "card_number", Rule.CHARACTERS),
    ({"spec_version": "2.00\t"}, "spec_version", Rule.CHARACTERS),
]


@pytest.mark.parametrize(("fields", "field", "rule"), CITIZEN_CASES)
def test_a_citizen_card_breaking_a_rule_is_refused(fields: dict[str, Any], field: str, rule: Rule) -> None:
    with pytest.raises(CardDataRejected) as caught:
        from_citizen_card(citizen_card(**fields))
    _check_refusal(caught.value, field, rule, fields)


def _check_refusal(error: CardDataRejected, field: str, rule: Rule, changes: dict[str, Any]) -> None:
    assert (error.field, error.rule) == (field, rule)
    assert isinstance(error, ProtocolError)
    assert error.code == f"identity.card_data.{rule.value}"
    assert error.message_key == "identity.card_data"
    message = str(error)
    assert field in message
    for value in changes.values():
        if isinstance(value, str) and len(value) > 1:
            assert value not in message
        if isinstance(value, dt.date):
            assert value.isoformat() not in message
            assert value.strftime("%Y%m%d") not in message
    for personal in ("330106199003070014", "王建国", "测试样例", "1990-03-07", "19900307"):
        assert personal not in message


def test_the_resident_is_told_plainly_and_the_technician_precisely() -> None:
    with pytest.raises(CardDataRejected) as caught:
        from_citizen_card(citizen_card(id_number="330106199003070015"))
    zh, en = message_for(caught.value)
    assert "请" in zh
    assert "staff" in en
    assert "check" not in en
    assert "id_number" not in en
    assert "GB 11643" in str(caught.value)


def test_a_citizen_card_without_gender_or_birth_date_takes_them_from_the_number() -> None:
    card = CitizenCard(CardKind.SOCIAL_SECURITY_CARD, "x", "r", "", {"name": "甲", "id_number": "330302198506150025"})
    resident = from_citizen_card(card)
    assert resident.birth_date == dt.date(1985, 6, 15)


def test_a_foreigner_may_hold_a_social_security_card_with_a_latin_name() -> None:
    holder = number("93312419800101002")
    card = citizen_card(id_number=holder, name="EXAMPLE, ANNE-MARIE", gender="2", birth_date=dt.date(1980, 1, 1),
                        name_extension=None)
    assert from_citizen_card(card).name == "EXAMPLE, ANNE-MARIE"


def test_a_card_refused_is_a_device_error_the_screens_already_handle() -> None:
    assert issubclass(CardDataRejected, DeviceError)


# --- properties: any real card passes, and one broken rule is enough to refuse it -------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗䶮𠀀\ue000"
RESIDENT = load_card_fixture(ID_FIXTURES / "resident.json")


@st.composite
def resident_cards(draw: st.DrawFn) -> IdCard:
    birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2020, 12, 31)))
    male = draw(st.booleans())
    area = draw(st.sampled_from(sorted(PROVINCE_CODES))) + f"{draw(st.integers(0, 9999)):04d}"
    sequence = f"{draw(st.integers(0, 99)):02d}" + draw(st.sampled_from("13579" if male else "02468"))
    start = draw(st.dates(birth, dt.date(2030, 1, 1)))
    end = draw(st.one_of(st.none(), st.dates(start, dt.date(2060, 1, 1))))
    name = draw(st.text(st.sampled_from(SURNAMES), min_size=1, max_size=4))
    if draw(st.booleans()):
        name += "·" + draw(st.text(st.sampled_from(SURNAMES), min_size=1, max_size=4))
    return dataclasses.replace(RESIDENT, name=name, id_number=number(area + birth.strftime("%Y%m%d") + sequence),
                   birth_date=birth, gender_code="1" if male else "2", gender="男" if male else "女",
                   valid_from=start, valid_to=end)


@settings(max_examples=300, deadline=None)
@given(resident_cards())
def test_any_real_resident_card_is_accepted(card: IdCard) -> None:
    check_id_card(card)


@settings(max_examples=300, deadline=None)
@given(resident_cards(), st.data())
def test_one_broken_rule_is_enough_to_refuse(card: IdCard, data: st.DataObject) -> None:
    breakage = data.draw(st.sampled_from(["check", "birth", "gender", "order", "name", "hidden"]))
    if breakage == "check":
        wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != card.id_number[-1]]))
        card = dataclasses.replace(card, id_number=card.id_number[:-1] + wrong)
    elif breakage == "birth":
        card = dataclasses.replace(card, birth_date=card.birth_date - dt.timedelta(days=data.draw(st.integers(1, 900))))
    elif breakage == "gender":
        card = dataclasses.replace(card, gender_code=data.draw(
            st.sampled_from([c for c in "0129" if c != card.gender_code])))
    elif breakage == "order":
        card = dataclasses.replace(card, valid_to=card.valid_from - dt.timedelta(days=data.draw(st.integers(1, 900))))
    elif breakage == "name":
        card = dataclasses.replace(card, name=data.draw(st.text(st.characters(codec="ascii"), max_size=6)))
    else:
        hidden = data.draw(st.sampled_from("\x00\x1b\x7f\x85\u200b\u200e\u202e\u2066\u2028\ufeff"))
        at = data.draw(st.integers(0, len(card.name)))
        card = dataclasses.replace(card, name=card.name[:at] + hidden + card.name[at:])
    with pytest.raises(CardDataRejected):
        check_id_card(card)
