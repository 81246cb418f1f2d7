"""Typed errors of the ID-card reader: each has a stable `code` and a `message_key` (see `messages`).

Three families: the host could not talk to the reader (port, timeout, bad frames), the reader's SAM
answered with a failure result code (see `status_codes`), or the card's data could not be decoded.
Messages never carry personal data: they name fields and codes, never values read from a card.
"""

from __future__ import annotations

from drivers.errors import (
    BackendUnavailable,
    DeviceBusy,
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    ProtocolError,
)


class IdCardError(DeviceError):
    code = "idcard.error"
    message_key = "idcard.reader_error"


# --- host side: the link to the reader ------------------------------------------------------------


class PortUnavailable(IdCardError, DeviceNotFound):
    """The serial port does not exist or cannot be opened (unplugged, wrong path, no permission)."""

    code = "idcard.port_unavailable"
    message_key = "idcard.reader_offline"


class PortBusy(IdCardError, DeviceBusy):
    """Another process holds the port (the kiosk itself while a technician probes, for instance)."""

    code = "idcard.port_busy"
    message_key = "idcard.reader_busy"


class ReaderDisconnected(IdCardError, DeviceDisconnected):
    """The port went away during an exchange (USB unplugged); the next call reopens it."""

    code = "idcard.disconnected"
    message_key = "idcard.reader_offline"


class ReaderTimeout(IdCardError, DeviceTimeout):
    """No complete reply within the step's timeout."""

    code = "idcard.timeout"
    message_key = "idcard.reader_no_answer"


class FrameTruncated(ReaderTimeout):
    """Part of a reply arrived, then nothing more before the timeout."""

    code = "idcard.frame.truncated"


class BaudNotDetected(IdCardError, DeviceNotFound):
    """No usual baud rate gave a valid reply to SAM status: wrong port, or the reader is off."""

    code = "idcard.baud_not_detected"
    message_key = "idcard.reader_offline"


class ReadCancelled(IdCardError):
    """`cancel()` was called while an exchange was in progress."""

    code = "idcard.cancelled"
    message_key = "idcard.cancelled"


class ReaderNotConfigured(IdCardError, DeviceNotFound):
    code = "idcard.not_configured"
    message_key = "idcard.reader_offline"


class SerialLibraryMissing(IdCardError, BackendUnavailable):
    code = "idcard.pyserial_missing"
    message_key = "idcard.reader_offline"


class FrameError(IdCardError, ProtocolError):
    """A frame on the wire is malformed. The parser has already skipped past it."""

    code = "idcard.frame"
    message_key = "idcard.reader_error"


class FrameChecksumError(FrameError):
    code = "idcard.frame.checksum"


class FrameLengthError(FrameError):
    code = "idcard.frame.length"


class StatusWordError(FrameError):
    """SW1 SW2 were not 00 00, which no reader has been seen to send."""

    code = "idcard.frame.status_word"


class UnexpectedReply(FrameError):
    """A well-formed reply that does not fit the command sent (a stale reply, or a reader bug)."""

    code = "idcard.frame.unexpected"


# --- reader side: SW3 result codes ----------------------------------------------------------------


class ReaderStatusError(IdCardError):
    """The SAM answered with a failure result code; `sw3` holds it. Subclasses are in `status_codes`."""

    sw3: int = -1

    def __init__(self, message: str = "", *, sw3: int | None = None) -> None:
        if sw3 is not None:
            self.sw3 = sw3
        super().__init__(message or f"{self.code} (SW3=0x{self.sw3:02X})")


class CardStatusError(ReaderStatusError):
    """A failure caused by the card or its placement: placing it again usually helps."""

    message_key = "idcard.place_again"


class SamFaultError(ReaderStatusError):
    """A failure of the reader's security module (SAM): staff must look at the reader."""

    message_key = "idcard.sam_fault"


class RequestRejected(ReaderStatusError):
    """The SAM rejected a frame we sent (checksum, length, command): a host or line fault."""

    message_key = "idcard.reader_error"


# --- card data ------------------------------------------------------------------------------------


class CardDataError(IdCardError, ProtocolError):
    """The reply was well formed but the card's text could not be decoded; the message names the field."""

    code = "idcard.card_data"
    message_key = "idcard.place_again"


class CardTextError(CardDataError):
    code = "idcard.card_data.text"


class CardDateError(CardDataError):
    code = "idcard.card_data.date"


class InvalidIdNumber(CardDataError):
    code = "idcard.card_data.id_number"


class PhotoUnavailable(IdCardError):
    """No licensed WLT decoder is installed, or it failed; the UI shows a neutral placeholder."""

    code = "idcard.photo.unavailable"
    message_key = "idcard.photo_unavailable"
