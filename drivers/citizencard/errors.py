"""Typed failures of the citizen-card reader, each with a stable code and a message key for the screen.

Status-word errors keep the status word (`sw`) for technicians; none of them carries card content.
"""

from __future__ import annotations

from drivers.errors import (
    BackendUnavailable,
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    ProtocolError,
)


class CitizenCardError(DeviceError):
    code = "citizencard.error"
    message_key = "citizencard.error"


class PcscUnavailable(CitizenCardError, BackendUnavailable):
    """pyscard is missing or pcscd does not answer."""

    code = "citizencard.pcsc_unavailable"
    message_key = "citizencard.reader_unavailable"


class ReaderNotFound(CitizenCardError, DeviceNotFound):
    """No PC/SC reader matches the configuration, or the reader went away mid-read."""

    code = "citizencard.reader_gone"
    message_key = "citizencard.reader_gone"


class NoCardPresent(CitizenCardError, DeviceTimeout):
    code = "citizencard.no_card"
    message_key = "citizencard.no_card"


class CardRemoved(CitizenCardError, DeviceDisconnected):
    code = "citizencard.card_removed"
    message_key = "citizencard.card_removed"


class CardTimeout(CitizenCardError, DeviceTimeout):
    """The card (or the reader) did not answer within the step's time."""

    code = "citizencard.timeout"
    message_key = "citizencard.timeout"


class CardProtocolError(CitizenCardError, ProtocolError):
    """A malformed answer: too short, a TLV that does not parse, a field that does not decode."""

    code = "citizencard.protocol"
    message_key = "citizencard.read_failed"


class StatusWordError(CitizenCardError, ProtocolError):
    """The card answered with a status word other than 90 00."""

    code = "citizencard.status_word"
    message_key = "citizencard.read_failed"

    def __init__(self, message: str = "", *, sw: int, code: str | None = None, message_key: str | None = None) -> None:
        super().__init__(message or f"card answered {sw:04X}", code=code, message_key=message_key)
        self.sw = sw


class CardFileNotFound(StatusWordError):
    """6A82 (file or application not found) or 6A83 (record not found)."""

    code = "citizencard.file_not_found"
    message_key = "citizencard.unsupported_card"


class SecurityStatusNotSatisfied(StatusWordError):
    """6982: the card wants an authentication (PIN or external authentication) first."""

    code = "citizencard.security_status"
    message_key = "citizencard.needs_security_module"


class AuthenticationFailed(StatusWordError):
    """The card refused the cryptogram (63Cx / 6300) or the key is blocked (6983)."""

    code = "citizencard.auth_failed"
    message_key = "citizencard.auth_failed"


class SecurityModuleRequired(CitizenCardError):
    """The card's profile needs external authentication and the terminal has neither a PSAM nor a key service.

    Third-generation (spec "3.00") social security cards only give the holder's data after external
    authentication with RKSSSE; the screen offers the ID card instead.
    """

    code = "citizencard.needs_security_module"
    message_key = "citizencard.needs_security_module"


class SecurityModuleError(CitizenCardError):
    """The PSAM or the online key service failed (missing, wrong DF, refused, unreachable)."""

    code = "citizencard.security_module_error"
    message_key = "citizencard.security_module_error"


class UnknownCard(CitizenCardError):
    """No shipped or configured profile recognises the card."""

    code = "citizencard.unknown_card"
    message_key = "citizencard.unsupported_card"


class ProfileInvalid(CitizenCardError):
    """A profile file is wrong; the message names the file and the key."""

    code = "citizencard.profile_invalid"
    message_key = "citizencard.error"
