"""The virtual card's fault specs and control commands (the vpcd side is in the integration tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.citizencard.virtual_card import Faults, VirtualCardServer

FIXTURE = Path(__file__).parents[3] / "fixtures" / "citizencard" / "ssse-2.00.toml"


def test_fault_specs() -> None:
    faults = Faults()
    faults.apply("pull:3")
    faults.apply("sw:6F00@2")
    faults.apply("slow:0.5")
    assert (faults.pull_after, faults.sw, faults.sw_after, faults.delay_s) == (3, 0x6F00, 2, 0.5)


@pytest.mark.parametrize("spec", ["sw:6F", "sw:XYZW", "slow:-1", "slow:99", "burn:1", "pull:x"])
def test_bad_fault_specs(spec: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        Faults().apply(spec)


def server() -> VirtualCardServer:
    return VirtualCardServer(FIXTURE, host="127.0.0.1", port=1, retry=False, control=None)


def test_faults_apply_in_order_to_the_apdus() -> None:
    s = server()
    assert s.command("fault sw:6982@1 pull:2") == "ok"
    select = bytes.fromhex("00A404000F" + "7378312E73682E".upper()) + "社会保障".encode("gbk")
    assert s._answer(select) == b"\x90\x00"
    assert s._answer(select) == b"\x69\x82"  # the second APDU gets the injected status word
    assert s._answer(b"\x04") == s.card.atr  # control messages are not APDUs
    assert s._answer(select) == b""  # the third: the card is pulled
    assert not s.want_inserted
    assert s._answer(select) == b"\x90\x00"  # each fault fires once


def test_control_commands() -> None:
    s = server()
    assert s.command("status").startswith("ok removed apdus=0 fixture=ssse-2.00.toml")
    assert s.command("fault nonsense").startswith("error unknown fault")
    assert s.command("dance").startswith("error unknown command")
    assert s.command("remove") == "ok"
    assert not s.want_inserted
    assert s.command("insert /nonexistent.toml").startswith("error cannot load fixture")
    assert s.command(f"insert {FIXTURE}") == "ok"
    assert s.want_inserted
    assert s.command("clear") == "ok"
    assert s.command("") == "error empty command"
