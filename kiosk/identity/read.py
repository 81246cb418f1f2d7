"""Who is at the kiosk: read a `Resident` from whichever configured card reader has a card.

A screen that needs the resident's identity (a pre-filled form, a declaration) runs
`read_resident_from(devices, ...)` on a worker thread, with the readers the device manager owns. It waits
for a card on the ID-card reader and the citizen-card reader in turns of at most a second each, so
`cancel` stops it at once, and ends with a Resident or a typed `DeviceError` (never None). `message_for`
gives every error's resident text.

Every card found ends accepted or refused for its data (the decoders' typed errors, or the validator's
`CardDataRejected` where the card becomes a Resident); `read_resident_from` reports each to the device
manager, which counts them in the reader's health.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from drivers.citizencard.errors import CardProtocolError
from drivers.citizencard.messages import message_for as citizencard_message
from drivers.citizencard.protocol import CitizenCardReader
from drivers.errors import DeviceError, DeviceNotFound, DeviceTimeout
from drivers.idcard.errors import CardDataError
from drivers.idcard.messages import MESSAGES as IDCARD_MESSAGES
from drivers.idcard.protocol import IdCardReader
from kiosk.devices.manager import CITIZENCARD, IDCARD, DeviceManager, DeviceNotConfigured, DeviceRole
from kiosk.identity.resident import IdentityUnavailable, Resident, from_citizen_card, from_id_card
from kiosk.identity.validate import CardDataRejected

STEP_S = 0.5

R = TypeVar("R")

# A card was there and answered, but what it holds was refused: the card's data, not the link to the reader.
CARD_DATA_ERRORS: tuple[type[DeviceError], ...] = (CardDataRejected, CardDataError, CardProtocolError)

# Told of each card read: the reader's role, and the refusal (None when the card was accepted).
ReadReport = Callable[[DeviceRole[Any], DeviceError | None], None]


class NoCardPresented(DeviceTimeout):
    """No card reached any reader before the timeout."""

    code = "identify.no_card"
    message_key = "identify.no_card"


class NoReaderAvailable(DeviceNotFound):
    """Neither card reader is configured, or every configured one failed to open or answer."""

    code = "identify.no_reader"
    message_key = "identify.no_reader"


class IdentifyCanceled(DeviceError):
    code = "identify.canceled"
    message_key = "identify.canceled"


class NoHolderOnCard(DeviceError):
    """The card read fine but names nobody (a transport-only citizen card)."""

    code = "identify.unavailable"
    message_key = "identity.unavailable"


_MESSAGES: dict[str, tuple[str, str]] = {
    "identify.no_card": ("没有读到卡片，请将身份证或市民卡放在读卡区",
                         "No card was read. Place your ID card or citizen card on the reader."),
    "identify.no_reader": ("读卡器暂时无法使用，请联系工作人员",
                           "The card reader is not available. Please ask a member of staff."),
    "identify.canceled": ("已取消读卡", "Card reading was canceled."),
    "identity.unavailable": ("这张卡没有持卡人信息，请换用身份证",
                             "This card carries no holder details. Please use your ID card."),
    "identity.card_data": ("无法读取这张卡，请重新放卡再试，或联系工作人员",
                           "This card could not be read. Please try again or ask a member of staff."),
}


def message_for(error: BaseException) -> tuple[str, str]:
    """Chinese and English text for an identification error from either reader or from this module."""
    key = error.message_key if isinstance(error, DeviceError) else ""
    if key in _MESSAGES:
        return _MESSAGES[key]
    if key in IDCARD_MESSAGES:
        return IDCARD_MESSAGES[key]
    if key.startswith("citizencard."):
        text = citizencard_message(key)
        return text.zh, text.en
    return ("读卡失败，请重新放卡或联系工作人员",
            "The card could not be read. Place it again or ask a member of staff.")


@dataclass
class CardReaders:
    """The configured readers that could be opened; `problems` holds why the others could not."""

    idcard: IdCardReader | None = None
    citizencard: CitizenCardReader | None = None
    problems: list[DeviceError] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.idcard is not None or self.citizencard is not None

    def cancel(self) -> None:
        """Stops an ID-card exchange in progress (thread-safe); the citizen-card steps are short anyway."""
        if self.idcard is not None:
            self.idcard.cancel()


@contextlib.contextmanager
def managed_card_readers(manager: DeviceManager) -> Iterator[CardReaders]:
    """The card readers the device manager owns, held for the block (its health checks wait meanwhile).

    On a terminal the manager keeps the serial port and the PC/SC handle open; opening a second reader
    next to it would find the port busy, so screens read cards through this.
    """
    readers = CardReaders()
    with contextlib.ExitStack() as stack:
        readers.idcard = _borrow(stack, manager, IDCARD, readers.problems)
        readers.citizencard = _borrow(stack, manager, CITIZENCARD, readers.problems)
        yield readers


def _borrow(stack: contextlib.ExitStack, manager: DeviceManager, role: DeviceRole[R],
            problems: list[DeviceError]) -> R | None:
    """The role's reader held until `stack` closes; None (and the error noted) when it cannot be had."""
    try:
        return stack.enter_context(manager.use(role))
    except DeviceNotConfigured:
        return None
    except DeviceError as exc:
        problems.append(exc)
        return None


def _no_report(role: DeviceRole[Any], refusal: DeviceError | None) -> None:
    pass


def _id_card_holder(reader: IdCardReader, timeout_s: float, report: ReadReport) -> Resident:
    try:
        resident = from_id_card(reader.read_found_card(timeout_s=timeout_s))
    except CARD_DATA_ERRORS as exc:
        report(IDCARD, exc)
        raise
    report(IDCARD, None)
    return resident


def _citizen_card_holder(reader: CitizenCardReader, timeout_s: float, report: ReadReport) -> Resident:
    try:
        resident = from_citizen_card(reader.read_card(timeout_s=timeout_s))
    except IdentityUnavailable as exc:
        report(CITIZENCARD, None)  # the card read well; it just names nobody
        raise NoHolderOnCard(str(exc)) from exc
    except CARD_DATA_ERRORS as exc:
        report(CITIZENCARD, exc)
        raise
    report(CITIZENCARD, None)
    return resident


def read_resident(
    readers: CardReaders, timeout_s: float, *, cancel: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic, step_s: float = STEP_S, report: ReadReport = _no_report,
) -> Resident:
    """Waits up to timeout_s for a card on any reader and returns its holder.

    Raises NoCardPresented (timeout), IdentifyCanceled, NoReaderAvailable (no reader works), NoHolderOnCard,
    CardDataRejected (a card no real card could be), or the reader's own typed error when a card was found
    but could not be read. `report` hears how each card found ended (accepted, or refused for its data).
    """
    event = cancel if cancel is not None else threading.Event()
    idcard, citizen = readers.idcard, readers.citizencard
    problems = list(readers.problems)
    deadline = clock() + timeout_s
    while True:
        if idcard is None and citizen is None:
            raise NoReaderAvailable("no card reader is available" +
                                    (f": {', '.join(p.code for p in problems)}" if problems else ""))
        if event.is_set():
            raise IdentifyCanceled("card reading canceled")
        if idcard is not None:
            try:
                if idcard.find_card(timeout_s=step_s):
                    return _id_card_holder(idcard, max(step_s, 3.0), report)
            except (DeviceNotFound, DeviceTimeout) as exc:
                # This reader is gone or silent; keep waiting on the other one.
                problems.append(exc)
                idcard = None
        if citizen is not None:
            try:
                if citizen.card_present():
                    return _citizen_card_holder(citizen, max(step_s, 5.0), report)
            except DeviceNotFound as exc:
                problems.append(exc)
                citizen = None
        if clock() >= deadline:
            raise NoCardPresented(f"no card within {timeout_s:g} s")
        if event.wait(step_s if citizen is not None and idcard is None else 0.05):
            raise IdentifyCanceled("card reading canceled")


def read_resident_from(devices: DeviceManager, timeout_s: float, cancel: threading.Event | None = None) -> Resident:
    """Waits up to timeout_s for a card on the device manager's readers and returns its holder.

    Blocking: call it on a worker thread. Raises what `read_resident` raises.
    """
    with managed_card_readers(devices) as readers:
        return read_resident(readers, timeout_s, cancel=cancel, report=devices.note_card_read)
