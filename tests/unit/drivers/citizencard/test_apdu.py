"""APDU builders against the reference vectors, the T=0 answer rules, and status words → typed errors."""

from __future__ import annotations

import pytest

from drivers.citizencard import apdu
from drivers.citizencard.errors import (
    AuthenticationFailed,
    CardFileNotFound,
    CardProtocolError,
    SecurityStatusNotSatisfied,
    StatusWordError,
)


def h(text: str) -> bytes:
    return apdu.parse_hex(text)


def test_builders_match_the_reference_vectors() -> None:
    # device-protocols.md §6.7 and §5.1
    assert apdu.select_by_name("sx1.sh.社会保障".encode("gbk")).to_bytes() == h(
        "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF")
    assert apdu.read_record(7, mode="sfi", sfi=5, le=0x0B).to_bytes() == h("00 B2 07 2C 0B")
    assert apdu.read_record(8, mode="identifier", le=0x14).to_bytes() == h("00 B2 08 00 14")
    assert apdu.read_record(1, mode="number", le=0x14).to_bytes() == h("00 B2 01 04 14")
    assert apdu.select_fid(0xEF05).to_bytes() == h("00 A4 02 00 02 EF 05")
    assert apdu.select_fid(0xEF05, p1=0).to_bytes() == h("00 A4 00 00 02 EF 05")
    assert apdu.read_binary(sfi=0x15).to_bytes() == h("00 B0 95 00 00")
    assert apdu.get_response(0x1E).to_bytes() == h("00 C0 00 00 1E")
    assert apdu.get_challenge().to_bytes() == h("00 84 00 00 08")
    assert apdu.external_authenticate(1, bytes(8)).to_bytes() == h("00 82 00 01 08") + bytes(8)


@pytest.mark.parametrize("text", ["00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF",
                                  "00 B2 07 2C 0B", "80 5C 00 02 04", "00 84 00 00 08", "00 A4 00 00 02 3F 00 00",
                                  "00 0E 00 00"])
def test_command_round_trips(text: str) -> None:
    assert apdu.Command.from_bytes(h(text)).to_bytes() == h(text)


@pytest.mark.parametrize("bad", ["00 A4", "00 A4 04 00 05 01 02", "00 A4 04 00 00 01"])
def test_malformed_commands_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="APDU"):
        apdu.Command.from_bytes(h(bad))


def test_builders_refuse_out_of_range_values() -> None:
    with pytest.raises(ValueError, match="SFI"):
        apdu.read_record(1, mode="sfi", sfi=None)
    with pytest.raises(ValueError, match="record mode"):
        apdu.read_record(1, mode="tag")
    with pytest.raises(ValueError, match="Le"):
        apdu.Command(0, 0xB0, 0, 0, le=300)
    with pytest.raises(ValueError, match="not a hex"):
        apdu.parse_hex("00 GG")


class ScriptedCard:
    """Answers each command from a script of (expected command, answer) pairs."""

    def __init__(self, *script: tuple[str, str]) -> None:
        self.script = [(h(c), h(a)) for c, a in script]
        self.sent: list[bytes] = []

    def __call__(self, command: bytes) -> bytes:
        self.sent.append(command)
        expected, answer = self.script.pop(0)
        assert command == expected, (command.hex(), expected.hex())
        return answer


def test_61xx_is_followed_by_get_response() -> None:
    card = ScriptedCard(("00 A4 04 00 02 DF 01", "61 04"), ("00 C0 00 00 04", "6F 02 84 00 90 00"))
    response = apdu.transceive(card, apdu.select_by_name(h("DF01")))
    assert response.ok
    assert response.data == h("6F 02 84 00")


def test_chained_61xx_answers_are_concatenated() -> None:
    card = ScriptedCard(("00 B0 00 00 00", "61 02"), ("00 C0 00 00 02", "AA BB 61 01"), ("00 C0 00 00 01", "CC 90 00"))
    response = apdu.transceive(card, apdu.read_binary())
    assert response.data == h("AA BB CC")
    assert response.sw == 0x9000


def test_6cxx_reissues_the_command_with_the_cards_le() -> None:
    card = ScriptedCard(("00 B2 09 00 14", "6C 20"), ("00 B2 09 00 20", "09 1E" + " 20" * 30 + " 90 00"))
    response = apdu.transceive(card, apdu.read_record(9, mode="identifier", le=0x14))
    assert response.ok
    assert len(response.data) == 32


def test_6c00_means_le_256() -> None:
    card = ScriptedCard(("00 B0 00 00 10", "6C 00"), ("00 B0 00 00 00", "01 90 00"))
    assert apdu.transceive(card, apdu.read_binary(le=0x10)).data == b"\x01"


def test_6cxx_on_get_response_asks_again_with_that_length() -> None:
    card = ScriptedCard(
        ("00 A4 04 00 01 AA", "61 05"), ("00 C0 00 00 05", "6C 03"), ("00 C0 00 00 03", "01 02 03 90 00"))
    assert apdu.transceive(card, apdu.select_by_name(b"\xaa")).data == h("01 02 03")


def test_6cxx_then_61xx() -> None:
    card = ScriptedCard(("00 B2 01 04 00", "6C 03"), ("00 B2 01 04 03", "61 03"), ("00 C0 00 00 03", "01 01 41 90 00"))
    assert apdu.transceive(card, apdu.read_record(1, le=0)).data == h("01 01 41")


def test_a_card_that_keeps_asking_for_another_le_is_a_protocol_error() -> None:
    card = ScriptedCard(("00 B2 01 04 05", "6C 03"), ("00 B2 01 04 03", "6C 04"))
    with pytest.raises(CardProtocolError, match="twice"):
        apdu.transceive(card, apdu.read_record(1, le=5))


def test_endless_61xx_is_a_protocol_error() -> None:
    def forever(command: bytes) -> bytes:
        return h("00 61 01")

    with pytest.raises(CardProtocolError, match="61xx"):
        apdu.transceive(forever, apdu.read_binary())


def test_an_answer_without_status_word_is_a_protocol_error() -> None:
    with pytest.raises(CardProtocolError, match="no status word"):
        apdu.transceive(lambda c: b"\x90", apdu.read_binary())


def test_other_status_words_are_returned_unchanged() -> None:
    card = ScriptedCard(("00 B2 01 04 00", "6A 83"))
    assert apdu.transceive(card, apdu.read_record(1, le=0)).sw == 0x6A83


@pytest.mark.parametrize(
    ("sw", "error", "code"),
    [
        (0x6A82, CardFileNotFound, "citizencard.file_not_found"),
        (0x6A83, CardFileNotFound, "citizencard.file_not_found"),
        (0x6982, SecurityStatusNotSatisfied, "citizencard.security_status"),
        (0x63C2, AuthenticationFailed, "citizencard.auth_failed"),
        (0x6300, AuthenticationFailed, "citizencard.auth_failed"),
        (0x6983, AuthenticationFailed, "citizencard.auth_failed"),
        (0x6F00, StatusWordError, "citizencard.status_word"),
        (0x6D00, StatusWordError, "citizencard.status_word"),
    ],
)
def test_status_words_map_to_typed_errors(sw: int, error: type[StatusWordError], code: str) -> None:
    with pytest.raises(error) as caught:
        apdu.check(apdu.Response(b"", sw), "READ RECORD 09")
    assert caught.value.sw == sw
    assert caught.value.code == code
    assert f"{sw:04X}" in str(caught.value)


def test_9000_passes() -> None:
    response = apdu.Response(b"\x01", 0x9000)
    assert apdu.check(response, "x") is response
