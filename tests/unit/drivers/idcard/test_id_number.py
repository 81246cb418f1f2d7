"""GB 11643 check characters and the foreigner card number formats (device-protocols.md 4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.idcard import id_number


@pytest.mark.parametrize(
    "number",
    ["330106199003070014", "440304200012311237", "810000198506150020", "11010519491231002X",
     "932682198501010017", "911124198108030024", "933124198001010029"],
)
def test_reference_numbers_validate(number: str) -> None:
    assert id_number.is_valid_mod11_2(number)


def test_worked_example_sums() -> None:
    assert id_number.check_char("33010619900307001") == "4"
    assert id_number.check_char("44030420001231123") == "7"
    assert id_number.check_char("81000019850615002") == "0"


def test_lower_case_x_is_accepted() -> None:
    assert id_number.is_valid_mod11_2("11010519491231002x")


@pytest.mark.parametrize("number", ["330106199003070015", "33010619900307001", "3301061990030700141",
                                    "33010619900307001A", "３３０１０６１９９００３０７００１４", ""])
def test_bad_numbers_fail_without_raising(number: str) -> None:
    assert not id_number.is_valid_mod11_2(number)


def test_kinds() -> None:
    assert id_number.is_valid_resident("330106199003070014")
    assert not id_number.is_valid_resident("933124198001010029")
    assert id_number.is_valid_foreigner_2023("933124198001010029")
    assert not id_number.is_valid_foreigner_2023("330106199003070014")
    assert id_number.is_valid_foreigner_2017("CAN330019800101")
    assert not id_number.is_valid_foreigner_2017("CA1330019800101")


@pytest.mark.parametrize("body", ["81000019850615002", "71000019850615002", "00000019850615002",
                                  "99010619900307001", "66010619900307001"])
def test_a_resident_number_begins_with_a_province_code(body: str) -> None:
    number = body + id_number.check_char(body)
    assert id_number.is_valid_mod11_2(number)
    assert not id_number.is_valid_resident(number)


def test_permit_numbers() -> None:
    for prefix in ("810000", "820000", "830000"):
        body = prefix + "19850615002"
        assert id_number.is_valid_hmt(body + id_number.check_char(body))
    assert not id_number.is_valid_hmt("330106199003070014")
    body = "81000119850615002"
    assert not id_number.is_valid_hmt(body + id_number.check_char(body))


def test_upgrade_15() -> None:
    assert id_number.upgrade_15("330106900307001") == "330106199003070014"
    with pytest.raises(ValueError, match="15"):
        id_number.upgrade_15("12345")


def test_mask() -> None:
    assert id_number.mask("330106199003070014") == "330106********0014"
    assert id_number.mask("123") == "***"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(body: str, position: int, delta: int) -> None:
    number = body + id_number.check_char(body)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert id_number.is_valid_mod11_2(number)
    assert not id_number.is_valid_mod11_2(changed)
