"""Whole reads in-process: the shipped profiles against the virtual card, with and without authentication.

The virtual card is written from the spec tables independently of the profiles, so these tests check the
profiles' layout as well as the runner. The same cards are read through pcscd in the integration tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from drivers.citizencard import apdu
from drivers.citizencard.auth import (
    AuthRequest,
    OnlineKeyServiceAuthenticator,
    PsamAuthenticator,
    load_psam_commands,
)
from drivers.citizencard.card_emulator import VirtualCard, load_fixture, stand_in_cryptogram
from drivers.citizencard.channel import Deadline
from drivers.citizencard.errors import (
    AuthenticationFailed,
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    NoCardPresent,
    ProfileInvalid,
    ReaderNotFound,
    SecurityModuleError,
    SecurityModuleRequired,
    UnknownCard,
)
from drivers.citizencard.messages import message_for
from drivers.citizencard.models import AuthMethod, CardKind
from drivers.citizencard.simulated import EmulatedChannel, SimulatedCitizenCardReader
from drivers.status import DeviceState

FIXTURES = Path(__file__).parents[3] / "fixtures" / "citizencard"


def fixture(name: str) -> Path:
    return FIXTURES / f"{name}.toml"


def test_second_generation_social_security_card() -> None:
    card = SimulatedCitizenCardReader(fixture("ssse-2.00")).read_card()
    assert card.kind is CardKind.SOCIAL_SECURITY_CARD
    assert card.profile == "ssse"
    assert card.name == "王建国"
    assert card.id_number == "330106199003070014"
    assert card.gender_code == "1"
    assert card.nation == "汉"
    assert card.birth_date == dt.date(1990, 3, 7)
    assert card.card_number == "A00000001"
    assert card.spec_version == "2.00"
    assert card.fields["card_identifier"] == "330100D15600000500000001FFFFFFFF"
    assert card.fields["valid_to"] == dt.date(2029, 6, 1)
    assert card.auth is AuthMethod.NONE
    assert "name_extension" not in card.fields


def test_a_t0_style_card_needs_get_response_and_6c_handling() -> None:
    card = SimulatedCitizenCardReader(fixture("ssse-t0")).read_card()
    assert card.name == "蓝秀英"
    assert card.fields["name_extension"] == "LAN XIUYING"
    assert card.nation == "畲"
    assert card.gender_code == "2"


def test_citizen_card_with_purse_and_holder() -> None:
    card = SimulatedCitizenCardReader(fixture("citizen-tunion")).read_card()
    assert card.kind is CardKind.CITIZEN_CARD
    assert card.card_number == "3100999000000012345"
    assert card.balance_fen == 12345
    assert card.fields["valid_to"] == dt.date(2030, 12, 31)
    assert card.fields["social_security_card_number"] == "A00000003"
    assert card.has_holder


def test_purse_only_card_has_no_holder() -> None:
    card = SimulatedCitizenCardReader(fixture("purse-only")).read_card()
    assert card.balance_fen == 250
    assert not card.has_holder


def test_forced_profile_that_does_not_fit_is_an_unknown_card() -> None:
    with pytest.raises(UnknownCard):
        SimulatedCitizenCardReader(fixture("purse-only"), profile="ssse").read_card()
    with pytest.raises(UnknownCard):
        SimulatedCitizenCardReader(fixture("psam")).read_card()


def test_third_generation_card_without_security_module() -> None:
    reader = SimulatedCitizenCardReader(fixture("ssse-3.00"))
    with pytest.raises(SecurityModuleRequired) as caught:
        reader.read_card()
    assert caught.value.message_key == "citizencard.needs_security_module"
    zh, en = message_for(caught.value.message_key)
    assert "安全模块" in zh
    assert "身份证" in zh
    assert "security module" in en
    # A card-level refusal says nothing about the reader's health.
    assert reader.status().state is DeviceState.OK


def _psam(name: str) -> PsamAuthenticator:
    psam = EmulatedChannel(VirtualCard(load_fixture(fixture(name))))

    @contextmanager
    def open_psam(deadline: Deadline) -> Iterator[EmulatedChannel]:
        psam.card.reset()
        yield psam

    return PsamAuthenticator(open_psam)


def test_third_generation_card_with_psam() -> None:
    card = SimulatedCitizenCardReader(fixture("ssse-3.00"), authenticator=_psam("psam")).read_card()
    assert card.auth is AuthMethod.PSAM
    assert card.name == "林晓雨"
    assert card.gender_code == "2"


def test_psam_with_the_wrong_key_is_refused_by_the_card() -> None:
    reader = SimulatedCitizenCardReader(fixture("ssse-3.00"), authenticator=_psam("psam-wrong-key"))
    with pytest.raises(AuthenticationFailed) as caught:
        reader.read_card()
    assert caught.value.sw & 0xFFF0 == 0x63C0


def test_a_card_in_the_psam_slot_that_is_not_a_psam() -> None:
    reader = SimulatedCitizenCardReader(fixture("ssse-3.00"), authenticator=_psam("ssse-2.00"))
    with pytest.raises(SecurityModuleError, match="PSAM refused"):
        reader.read_card()


def test_second_generation_card_does_not_ask_the_psam() -> None:
    card = SimulatedCitizenCardReader(fixture("ssse-2.00"), authenticator=_psam("psam-wrong-key")).read_card()
    assert card.auth is AuthMethod.NONE


class FakeKeyService:
    """Stands in for the province's key service: it knows the card key and checks what it is asked."""

    def __init__(self, key: bytes, *, fail: Exception | None = None) -> None:
        self.key = key
        self.fail = fail
        self.requests: list[AuthRequest] = []

    def cryptogram(self, request: AuthRequest, challenge: bytes, timeout_s: float) -> bytes:
        assert 0 < timeout_s <= 1.0
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        return stand_in_cryptogram(self.key, request.diversifier, challenge)


def test_third_generation_card_with_online_key_service() -> None:
    service = FakeKeyService(bytes.fromhex("00112233445566778899AABBCCDDEEFF"))
    reader = SimulatedCitizenCardReader(fixture("ssse-3.00"), authenticator=OnlineKeyServiceAuthenticator(service))
    card = reader.read_card()
    assert card.auth is AuthMethod.ONLINE
    assert card.id_number == "330302198506150025"
    (request,) = service.requests
    assert request.key == "RKSSSE"
    assert request.diversifier == bytes.fromhex("330300D15600000500000002FFFFFFFF")


def test_online_key_service_down() -> None:
    service = FakeKeyService(b"", fail=ConnectionRefusedError("refused"))
    reader = SimulatedCitizenCardReader(fixture("ssse-3.00"), authenticator=OnlineKeyServiceAuthenticator(service))
    with pytest.raises(SecurityModuleError, match="ConnectionRefusedError"):
        reader.read_card()


def test_psam_command_set_fills_in_the_placeholders() -> None:
    commands = load_psam_commands().commands(AuthRequest("RKSSSE", 1, b"\x33\x01", b""), bytes(range(8)))
    assert [c.to_bytes().hex(" ").upper() for _, c in commands] == [
        "00 A4 02 00 02 DF 01", "BF DE 01 00 02 33 01", "80 FA 00 00 08 00 01 02 03 04 05 06 07 08"]


def test_psam_command_set_without_the_key(tmp_path: Path) -> None:
    with pytest.raises(SecurityModuleError, match="no index for key"):
        load_psam_commands().commands(AuthRequest("OTHER", 1, b"", b""), bytes(8))
    bad = tmp_path / "bad.toml"
    bad.write_text('[[steps]]\nheader = "00A40200"\n', encoding="utf-8")
    with pytest.raises(ProfileInvalid, match="result = true"):
        load_psam_commands(str(bad))


def test_no_card_and_removal() -> None:
    reader = SimulatedCitizenCardReader(None)
    assert not reader.card_present()
    with pytest.raises(NoCardPresent):
        reader.read_card()
    reader.insert(fixture("ssse-2.00"))
    assert reader.card_present()
    assert reader.read_card().name == "王建国"
    reader.remove()
    with pytest.raises(NoCardPresent):
        reader.read_card()


def test_card_pulled_mid_read_is_card_removed() -> None:
    card = VirtualCard(load_fixture(fixture("ssse-2.00")))
    channel = EmulatedChannel(card)
    answers = iter(range(100))

    original = card.apdu

    def pulled_after_three(raw: bytes) -> bytes:
        if next(answers) == 3:
            channel.pulled = True
        return original(raw)

    card.apdu = pulled_after_three  # type: ignore[method-assign]
    from drivers.citizencard import profile_runner
    from drivers.citizencard.profiles import resolve_profiles

    with pytest.raises(CardRemoved):
        profile_runner.read_card(channel, resolve_profiles("ssse"), reader="r", authenticator=None,
                                 deadline=Deadline(5))


def test_deadline_spent_is_card_timeout() -> None:
    deadline = Deadline(0.0)
    with pytest.raises(CardTimeout):
        deadline.step_timeout()
    assert Deadline(10.0, step_s=0.5).step_timeout() == 0.5


def test_a_record_with_the_wrong_tag_is_a_protocol_error() -> None:
    card = VirtualCard(load_fixture(fixture("ssse-2.00")))
    card.files[0xEF06].records[1] = bytes((0x09, 0x28)) + "王".encode("gbk")  # claims 40 bytes, holds 2
    channel = EmulatedChannel(card)
    from drivers.citizencard import profile_runner
    from drivers.citizencard.profiles import resolve_profiles

    with pytest.raises(CardProtocolError, match="TLV tag 09 claims 40 bytes"):
        profile_runner.read_card(channel, resolve_profiles("ssse"), reader="r", authenticator=None,
                                 deadline=Deadline(5))


def test_the_virtual_card_answers_like_a_card() -> None:
    card = VirtualCard(load_fixture(fixture("ssse-2.00")))

    def send(text: str) -> str:
        return card.apdu(apdu.parse_hex(text)).hex(" ").upper()

    assert send("00 B2 01 04 12") == "69 86"  # nothing selected
    assert send("00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF") == "90 00"
    assert send("00 A4 02 00 02 EF 07") == "6A 82"
    assert send("00 B2 07 2C 0B").startswith("07 09 41")  # SFI 5, record 7: the §6.7 vector
    assert send("00 B2 01 34 14").startswith("08 12 33")  # SFI 6, record 1 = tag 08
    assert send("00 B2 07 2C 05") == "6C 0B"
    assert send("00 12 00 00") == "6D 00"
    assert send("A0 A4 00 00 02 3F 00") == "6E 00"


def test_pcsc_reader_reports_each_reader_failure_as_one_failed_look(monkeypatch: pytest.MonkeyPatch) -> None:
    # The PC/SC backend with pcscd stood in for: no reader at all, however often, is a failed look each
    # time and never OFFLINE by itself; the device manager decides that after several in a row.
    from drivers.citizencard import pcsc_reader

    readers: list[str] = []
    monkeypatch.setattr(pcsc_reader, "list_readers", lambda: list(readers))
    monkeypatch.setattr(pcsc_reader, "card_present_in", lambda names: [])
    reader = pcsc_reader.PcscCitizenCardReader()
    assert reader.status().state is DeviceState.UNKNOWN
    for _ in range(4):
        with pytest.raises(ReaderNotFound):
            reader.read_card(timeout_s=0.5)
        status = reader.status()
        assert (status.state, status.detail, status.message_key) == (
            DeviceState.DEGRADED, ReaderNotFound.code, ReaderNotFound.message_key)
    readers.append("Kiosk Reader 00")
    # The reader is back and answers that there is no card: a card-level outcome, so the reader is fine.
    with pytest.raises(NoCardPresent):
        reader.read_card(timeout_s=0.5)
    assert reader.status().state is DeviceState.OK
