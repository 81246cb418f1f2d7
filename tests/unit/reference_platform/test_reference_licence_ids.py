"""The identifiers of docs/platform-api.md's licence section, as the reference platform checks them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference_platform import samples
from reference_platform.validation import id_number_ok, licence_id_parts, make_licence_id, mod37_36_check

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_the_check_character_is_iso_7064_mod_37_36() -> None:
    # The published example of the MOD 37,36 hybrid system (as python-stdnum's iso7064.mod_37_36 documents it).
    assert mod37_36_check("A12425GABC1234002") == "M"


def test_an_identifier_is_its_parts_and_a_check_character() -> None:
    licence_id = make_licence_id(samples.HUKOU, samples.XIHU_POLICE.code, "2019000123")
    assert licence_id == "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K.2019000123.001.K"
    assert licence_id_parts(licence_id) == {
        "type": samples.HUKOU, "issuer": samples.XIHU_POLICE.code, "serial": "2019000123", "version": "001",
    }


@settings(max_examples=200, deadline=None)
@given(serial=st.text(_ALPHABET, min_size=1, max_size=32), version=st.integers(1, 999),
       position=st.integers(0, 200), replacement=st.sampled_from(_ALPHABET))
def test_one_changed_character_is_always_caught(serial: str, version: int, position: int, replacement: str) -> None:
    licence_id = make_licence_id(samples.MARRIAGE, samples.XIHU_CIVIL.code, serial, version)
    assert licence_id_parts(licence_id) is not None
    i = 15 + position % (len(licence_id) - 15)  # anywhere after the fixed prefix
    if licence_id[i] == "." or licence_id[i] == replacement:
        return
    changed = licence_id[:i] + replacement + licence_id[i + 1:]
    assert licence_id_parts(changed) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1.2.156.3005.2",
        "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K.2019000123.001",  # no check character
        "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K.2019000123.01.K",  # a 2-digit version
        "1.2.156.3005.2.11100000MB0143028I001.11330106MB1777772K.2019000123.001.K",  # I: not a credit code letter
        "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K." + "1" * 33 + ".001.K",  # serial too long
        "1.2.156.3005.2.11100000MB0143028R001.11330106MB1777772K.2019000123.001.K\n",
        None,
        12,
    ],
)
def test_malformed_identifiers_are_refused(value: object) -> None:
    assert licence_id_parts(value) is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("330106199003070014", True),
        ("33010619781111002X", True),
        ("33010619781111002x", False),  # the contract's X is upper case
        ("330106199003070015", False),  # a wrong check digit
        ("933124198001010029", True),  # a 2023 foreigner's permanent residence card
        ("810000198506150020", True),  # a residence permit for Hong Kong and Macao residents
        ("CAN330019800101", True),  # a 2017 foreigner's permanent residence card
        ("can330019800101", False),
        ("33010619900307001", False),
        ("３３０１０６１９９００３０７００１４", False),  # full-width digits
        (330106199003070014, False),
    ],
)
def test_holder_id_numbers(value: object, ok: bool) -> None:
    assert id_number_ok(value) is ok


def test_the_sample_codes_carry_valid_credit_code_check_characters() -> None:
    codes = [d.code for d in samples.DEPARTMENTS] + [t[:18] for t in samples.CERTIFICATE_TYPES]
    for code in codes:
        assert samples.uscc(code[:17]) == code
    assert len({d.code for d in samples.DEPARTMENTS}) == len(samples.DEPARTMENTS)
    assert all(licence_id_parts(lic.licence_id) is not None for lic in samples.LICENCES)


def test_the_contract_names_the_sample_type_codes_and_holders() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "platform-api.md").read_text(encoding="utf-8")
    section = " ".join(doc.split("**Sample licences and certificates**", 1)[1].split("\n## ", 1)[0].split())
    codes = {lic.type_code: lic.name for lic in samples.LICENCES}
    codes.update({code: kind.name for code, kind in samples.CERTIFICATE_TYPES.items()})
    for code, name in codes.items():
        assert f"{name} `{code}`" in section
    for holder, name in samples.HOLDERS.items():
        assert f"{name} `{holder}`" in section
