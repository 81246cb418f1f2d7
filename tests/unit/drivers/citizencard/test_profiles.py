"""The shipped profiles load and send the reference APDUs; a broken profile names its file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.citizencard import apdu
from drivers.citizencard.errors import ProfileInvalid
from drivers.citizencard.models import CardKind
from drivers.citizencard.profiles import load_profile_file, resolve_profiles, shipped_profiles


def test_shipped_profiles_in_detection_order() -> None:
    profiles = shipped_profiles()
    assert [p.name for p in profiles] == ["citizen-tunion", "ssse"]
    assert profiles[1].kind is CardKind.SOCIAL_SECURITY_CARD


def test_ssse_profile_sends_the_reference_apdus() -> None:
    (ssse,) = resolve_profiles("ssse")
    commands = [s.command.to_bytes().hex(" ").upper() for s in ssse.sections[0].steps if s.command is not None]
    assert commands[0] == "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"
    assert "00 B2 08 00 14" in commands
    assert "00 B2 07 00 0B" in commands
    assert "00 A4 02 00 02 EF 06" in commands
    auth = [s for s in ssse.sections[0].steps if s.op == "authenticate"]
    assert auth[0].when_field == "spec_version"
    assert auth[0].when_in == ("3.00",)


def test_citizen_profile_reads_purse_then_optional_holder() -> None:
    (citizen,) = resolve_profiles("citizen-tunion")
    purse, holder = citizen.sections
    assert purse.required
    assert not holder.required
    assert purse.steps[0].command == apdu.select_by_name(bytes.fromhex("A000000632010105"))
    assert purse.steps[2].command is not None
    assert purse.steps[2].command.to_bytes() == apdu.parse_hex("80 5C 00 02 04")


def test_profile_by_path(tmp_path: Path) -> None:
    src = resolve_profiles("ssse")[0].path
    copy = tmp_path / "my-city.toml"
    copy.write_text(src.read_text(encoding="utf-8").replace('name = "ssse"', 'name = "my-city"', 1), encoding="utf-8")
    (profile,) = resolve_profiles(str(copy))
    assert profile.name == "my-city"


def test_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileInvalid, match="citizen-tunion, ssse"):
        resolve_profiles("hangzhou")


MINIMAL = """
kind = "citizen_card"
[[sections]]
[[sections.steps]]
op = "select"
aid = "A000000632010105"
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "citizen_card"', 'kind = "bus_card"'), r"x\.toml\.kind: must be one of"),
        (('aid = "A000000632010105"', 'aid = "A0ZZ"'), r"steps\[0\]\.aid: not a hex string"),
        (('op = "select"', 'op = "read"'), r"steps\[0\]\.op: must be one of"),
        (('aid = "A000000632010105"', 'aid = "A0"\nfid = "EF05"'), "exactly one of name, aid, fid"),
        (('aid = "A000000632010105"', 'aid = "A0"\nfields = [{ name = "x", decoder = "base64" }]'),
         r"fields\[0\]\.decoder: unknown decoder 'base64'"),
        (('aid = "A000000632010105"', 'aid = "A0"\nfields = [{ name = "x", decoder = "hex", mask = "half" }]'),
         r"fields\[0\]\.mask"),
        (('aid = "A000000632010105"', 'aid = "A0"\nfields = [{ name = "x", decoder = "hex", tag = 1, offset = 2 }]'),
         "not both"),
        (('aid = "A000000632010105"', 'aid = "A0"\ncolour = "red"'), r"steps\[0\]\.colour: unknown key"),
        (('op = "select"\naid = "A000000632010105"', 'op = "read_record"\nrecord = true'),
         r"steps\[0\]\.record: expected int, got bool"),
        (('op = "select"\naid = "A000000632010105"', 'op = "read_record"\nrecord = 1\nmode = "tag"'), "record mode"),
        (('op = "select"\naid = "A000000632010105"', 'op = "authenticate"'), r"steps\[0\]\.key: missing"),
        (('kind = "citizen_card"', 'kind = "citizen_card"\n[oops'), "x.toml"),
    ],
)
def test_profile_errors_name_the_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(MINIMAL.replace(*change), encoding="utf-8")
    with pytest.raises(ProfileInvalid, match=message):
        load_profile_file(path)


def test_minimal_profile_loads(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    profile = load_profile_file(path)
    assert profile.name == "x"
    assert profile.sections[0].required


def test_missing_file() -> None:
    with pytest.raises(ProfileInvalid, match="cannot read"):
        load_profile_file(Path("/nonexistent/profile.toml"))
