"""CUPS printer-state + printer-state-reasons + message → typed printer status."""

from __future__ import annotations

import pytest

from drivers.printer.messages import MESSAGES, message_for
from drivers.printer.status import PrinterCondition, condition_for_reason, parse_printer_status
from drivers.status import DeviceState


@pytest.mark.parametrize(
    ("reason", "condition"),
    [
        ("media-empty-error", PrinterCondition.MEDIA_EMPTY),
        ("media-needed", PrinterCondition.MEDIA_EMPTY),
        ("media-jam-error", PrinterCondition.MEDIA_JAM),
        ("door-open-error", PrinterCondition.DOOR_OPEN),
        ("cover-open-warning", PrinterCondition.DOOR_OPEN),
        ("toner-low-warning", PrinterCondition.TONER_LOW),
        ("marker-supply-low-report", PrinterCondition.TONER_LOW),
        ("toner-empty-error", PrinterCondition.TONER_EMPTY),
        ("offline-report", PrinterCondition.OFFLINE),
        ("paused", PrinterCondition.PAUSED),
        ("vendor-specific-thing-error", PrinterCondition.OTHER_ERROR),
        ("vendor-specific-thing-warning", None),
        ("none", None),
        ("connecting-to-device", None),
    ],
)
def test_reason_keywords_map_to_conditions(reason: str, condition: PrinterCondition | None) -> None:
    assert condition_for_reason(reason) is condition


def test_idle_printer_is_ready() -> None:
    status = parse_printer_status("Q", 3, ["none"], "")
    assert status.condition is PrinterCondition.READY
    assert status.can_print
    assert status.device_status().state is DeviceState.OK


def test_out_of_paper_as_cupsd_reports_it() -> None:
    status = parse_printer_status("Q", 5, ["media-empty-error", "paused"], "Out of paper (simulated)")
    assert status.condition is PrinterCondition.MEDIA_EMPTY
    assert PrinterCondition.PAUSED in status.conditions
    assert not status.can_print
    assert status.message == "Out of paper (simulated)"
    assert status.message_key == "printer.media_empty"
    device = status.device_status()
    assert device.state is DeviceState.OFFLINE
    assert device.detail == "Out of paper (simulated)"


def test_stopped_without_a_reason_is_paused_with_its_message() -> None:
    status = parse_printer_status("Q", 5, ["paused"], "paused for maintenance")
    assert status.condition is PrinterCondition.PAUSED
    assert status.message == "paused for maintenance"


def test_unreachable_network_printer_is_offline_even_though_reasons_say_none() -> None:
    status = parse_printer_status("Q", 4, ["none"], "The printer may not exist or is unavailable at this time.")
    assert status.condition is PrinterCondition.OFFLINE


def test_toner_low_still_prints_but_is_degraded() -> None:
    status = parse_printer_status("Q", 3, ["toner-low-warning"])
    assert status.can_print
    assert status.device_status().state is DeviceState.DEGRADED


def test_not_accepting_jobs_blocks() -> None:
    status = parse_printer_status("Q", 3, [], accepting=False)
    assert status.condition is PrinterCondition.NOT_ACCEPTING
    assert not status.can_print


def test_every_condition_has_resident_text_in_both_languages() -> None:
    for condition in PrinterCondition:
        text = MESSAGES[f"printer.{condition.value}"]
        assert text.zh
        assert text.en
    assert message_for("printer.no-such-key") == MESSAGES["printer.error"]
