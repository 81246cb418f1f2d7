"""Builds the configured citizen-card reader: backend "pcsc", "simulated" or "none"."""

from __future__ import annotations

from pathlib import Path

from drivers.citizencard.auth import Authenticator, OnlineKeyService, OnlineKeyServiceAuthenticator, PsamAuthenticator
from drivers.citizencard.errors import CitizenCardError
from drivers.citizencard.protocol import CitizenCardReader
from drivers.citizencard.simulated import DEMO_FIXTURE, SimulatedCitizenCardReader

BACKENDS = ("pcsc", "simulated", "none")


class ReaderNotConfigured(CitizenCardError):
    code = "citizencard.not_configured"
    message_key = "citizencard.reader_unavailable"


def create_reader(
    backend: str,
    *,
    reader: str = "",
    profile: str = "",
    psam_reader: str = "",
    key_service: OnlineKeyService | None = None,
    fixture: Path | None = None,
    card_placed: bool = True,
) -> CitizenCardReader:
    """The reader for `backend`. A PSAM reader (PC/SC) or an online key service enables 3.00 cards.
    `card_placed` (simulated backend): whether the card is in the reader from the start."""
    if backend == "none":
        raise ReaderNotConfigured("the citizen-card reader is switched off (backend = none)")
    if backend == "simulated":
        return SimulatedCitizenCardReader(fixture or DEMO_FIXTURE, profile=profile,
                                          authenticator=_online(key_service), card_placed=card_placed)
    if backend != "pcsc":
        raise ReaderNotConfigured(f"unknown citizen-card backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    from drivers.citizencard.pcsc_reader import PcscCitizenCardReader, psam_opener

    authenticator: Authenticator | None = _online(key_service)
    if psam_reader:
        authenticator = PsamAuthenticator(psam_opener(psam_reader))
    return PcscCitizenCardReader(reader, profile=profile, authenticator=authenticator,
                                 exclude_readers=(psam_reader,) if psam_reader else ())


def _online(service: OnlineKeyService | None) -> Authenticator | None:
    return OnlineKeyServiceAuthenticator(service) if service is not None else None
