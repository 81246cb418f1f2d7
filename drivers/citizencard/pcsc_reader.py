"""The real backend: pyscard over pcscd.

pyscard's calls block without a timeout, so each one runs on a short-lived daemon thread and the caller
waits at most the step time. A call that overruns is abandoned: the read fails with CardTimeout, the
connection is never used again, and it is disconnected once the stuck call returns (pcscd answers it
when the card answers or goes away). pyscard is imported here only, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from drivers.citizencard import profile_runner
from drivers.citizencard.auth import Authenticator
from drivers.citizencard.channel import DEFAULT_STEP_S, Deadline
from drivers.citizencard.errors import (
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    CitizenCardError,
    NoCardPresent,
    PcscUnavailable,
    ReaderNotFound,
)
from drivers.citizencard.health import Health
from drivers.citizencard.models import CitizenCard
from drivers.citizencard.profiles import resolve_profiles
from drivers.status import DeviceStatus

T = TypeVar("T")

# PC/SC return codes (winscard.h), as unsigned 32-bit values.
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_UNKNOWN_READER = 0x80100009
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_READER_UNAVAILABLE = 0x80100017
SCARD_E_NOT_TRANSACTED = 0x80100016
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_E_SERVICE_STOPPED = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
SCARD_W_UNRESPONSIVE_CARD = 0x80100066
SCARD_W_UNPOWERED_CARD = 0x80100067
SCARD_W_RESET_CARD = 0x80100068
SCARD_W_REMOVED_CARD = 0x80100069

_INSTALL_HINT = "pyscard is missing: pip install 'pyscard>=2.2,<3' (builds against libpcsclite-dev; needs pcscd)"


def _smartcard() -> Any:
    try:
        import smartcard.Exceptions
        import smartcard.scard
        import smartcard.System
    except ImportError as exc:
        raise PcscUnavailable(_INSTALL_HINT) from exc
    return smartcard


def map_pcsc_error(exc: BaseException, *, connected: bool) -> CitizenCardError:
    """The typed error for a pyscard exception. `connected`: a card was powered, so "no card" means removed."""
    if isinstance(exc, CitizenCardError):
        return exc
    hresult = getattr(exc, "hresult", -1)
    code = hresult & 0xFFFFFFFF if isinstance(hresult, int) and hresult != -1 else None
    text = f"{type(exc).__name__} (PC/SC 0x{code:08X})" if code is not None else type(exc).__name__
    if code in (SCARD_W_REMOVED_CARD, SCARD_W_RESET_CARD) or (code == SCARD_E_NO_SMARTCARD and connected):
        return CardRemoved(f"card removed: {text}")
    if code == SCARD_E_NO_SMARTCARD or type(exc).__name__ == "NoCardException":
        return NoCardPresent(f"no card: {text}")
    if code in (SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE, SCARD_E_NO_READERS_AVAILABLE):
        return ReaderNotFound(f"reader gone: {text}")
    if code in (SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED) or type(exc).__name__ == "EstablishContextException":
        return PcscUnavailable(f"pcscd not available: {text}")
    if code == SCARD_E_TIMEOUT:
        return CardTimeout(f"reader timed out: {text}")
    if code in (SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD):
        return CardProtocolError(f"card does not answer to reset: {text}", message_key="citizencard.read_failed")
    return CardProtocolError(f"PC/SC failure: {text}")


class _Call:
    """Runs one blocking pyscard call on a daemon thread; the caller waits at most timeout_s."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True, name="citizencard-pcsc")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.value = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which types it
            self.error = exc
        finally:
            self.done.set()


def call_with_timeout(fn: Callable[[], T], timeout_s: float, *, connected: bool) -> tuple[T | None, _Call]:
    call = _Call(fn)
    if not call.done.wait(max(timeout_s, 0.0)):
        return None, call
    if call.error is not None:
        raise map_pcsc_error(call.error, connected=connected) from call.error
    return call.value, call


def list_readers() -> list[str]:
    """Reader names from pcscd; PcscUnavailable when pcscd does not answer."""
    sc = _smartcard()
    value, call = call_with_timeout(sc.System.readers, 2.0, connected=False)
    if not call.done.is_set():
        raise PcscUnavailable("pcscd did not answer within 2 s")
    return [str(r) for r in value or []]


class PcscChannel:
    """One connection to a powered card; unusable after a timeout (see the module docstring)."""

    def __init__(self, connection: Any, reader: str, atr: bytes, protocol: str) -> None:
        self._conn = connection
        self.reader = reader
        self._atr = atr
        self.protocol = protocol
        self._stuck: _Call | None = None

    @property
    def atr(self) -> bytes:
        return self._atr

    def transmit(self, command: bytes, timeout_s: float) -> bytes:
        if self._stuck is not None:
            raise CardTimeout("connection abandoned after a timeout")
        try:
            value, call = call_with_timeout(lambda: self._conn.transmit(list(command)), timeout_s, connected=True)
        except CardProtocolError as exc:
            # A card pulled in the middle of an APDU gives "not transacted" (real readers) or an empty answer
            # (vpcd) before pcscd has noticed it is gone; ask pcscd whether it is, for up to the step time.
            hresult = getattr(exc.__cause__, "hresult", None)
            if hresult in (0, SCARD_E_NOT_TRANSACTED) and wait_card_gone(self.reader, timeout_s):
                raise CardRemoved("card removed during an APDU") from exc
            raise
        if not call.done.is_set():
            self._stuck = call
            raise CardTimeout(f"card did not answer within {timeout_s:.2f} s")
        assert value is not None
        data, sw1, sw2 = value
        return bytes(data) + bytes((sw1, sw2))

    def close(self) -> None:
        stuck = self._stuck
        if stuck is None:
            self._disconnect()
            return

        def later() -> None:
            stuck.done.wait()
            self._disconnect()

        threading.Thread(target=later, daemon=True, name="citizencard-pcsc-close").start()

    def _disconnect(self) -> None:
        _release(self._conn)


def _release(connection: Any) -> None:
    try:
        connection.disconnect()
        connection.release()
    except Exception:  # noqa: BLE001 - the card is gone or pcscd restarted: nothing left to release
        return


def _protocol_name(sc: Any, protocol: int) -> str:
    names = {sc.scard.SCARD_PROTOCOL_T0: "T=0", sc.scard.SCARD_PROTOCOL_T1: "T=1"}
    return names.get(protocol, f"0x{protocol:X}")


def open_channel(reader_name: str, deadline: Deadline) -> PcscChannel:
    """Connects to the card in `reader_name` with whichever protocol (T=0 or T=1) it offers."""
    sc = _smartcard()
    listed, _ = call_with_timeout(sc.System.readers, deadline.step_timeout(), connected=False)
    readers = {str(r): r for r in listed or []}
    if reader_name not in readers:
        raise ReaderNotFound(f"reader {reader_name!r} is not there")
    connection = readers[reader_name].createConnection()

    def connect() -> tuple[bytes, int]:
        connection.connect()  # T0 | T1: pcscd negotiates what the ATR offers
        return bytes(connection.getATR()), int(connection.getProtocol())

    value, call = call_with_timeout(connect, deadline.step_timeout(), connected=False)
    if value is None:
        # Whenever the abandoned connect completes, let go of the card again.
        def release_later() -> None:
            call.done.wait()
            _release(connection)

        threading.Thread(target=release_later, daemon=True, name="citizencard-pcsc-close").start()
        raise CardTimeout("connecting to the card took too long")
    atr, protocol = value
    return PcscChannel(connection, reader_name, atr, _protocol_name(sc, protocol))


def card_present_in(reader_names: list[str]) -> list[str]:
    """The readers among `reader_names` that hold a card now (no power-up)."""
    sc = _smartcard()
    s = sc.scard

    def query() -> list[str]:
        hresult, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
        if hresult != s.SCARD_S_SUCCESS:
            raise map_pcsc_error(sc.Exceptions.EstablishContextException(hresult), connected=False)
        try:
            hresult, states = s.SCardGetStatusChange(context, 0, [(r, s.SCARD_STATE_UNAWARE) for r in reader_names])
            if hresult != s.SCARD_S_SUCCESS:
                raise map_pcsc_error(sc.Exceptions.SmartcardException(hresult=hresult), connected=False)
            return [name for name, state, _atr in states if state & s.SCARD_STATE_PRESENT]
        finally:
            s.SCardReleaseContext(context)

    value, call = call_with_timeout(query, 1.0, connected=False)
    if not call.done.is_set():
        raise PcscUnavailable("pcscd did not answer within 1 s")
    return value or []


def wait_card_gone(reader_name: str, timeout_s: float) -> bool:
    """Whether the card leaves `reader_name` within timeout_s (pcscd's status-change wait, not polling)."""
    sc = _smartcard()
    s = sc.scard

    def wait() -> bool:
        hresult, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
        if hresult != s.SCARD_S_SUCCESS:
            return False
        try:
            hresult, states = s.SCardGetStatusChange(context, 0, [(reader_name, s.SCARD_STATE_UNAWARE)])
            if hresult != s.SCARD_S_SUCCESS:
                return False
            _, state, _ = states[0]
            if not state & s.SCARD_STATE_PRESENT:
                return True
            hresult, states = s.SCardGetStatusChange(context, int(timeout_s * 1000), [(reader_name, state)])
            return hresult == s.SCARD_S_SUCCESS and not states[0][1] & s.SCARD_STATE_PRESENT
        finally:
            s.SCardReleaseContext(context)

    value, _ = call_with_timeout(wait, timeout_s + 0.5, connected=True)
    return bool(value)


class PcscCitizenCardReader:
    """Reads citizen / social security cards in a PC/SC reader (the first with a card, or the configured one)."""

    def __init__(
        self,
        reader: str = "",
        *,
        profile: str = "",
        authenticator: Authenticator | None = None,
        exclude_readers: tuple[str, ...] = (),
        step_timeout_s: float = DEFAULT_STEP_S,
    ) -> None:
        self.reader_filter = reader
        self._profiles = resolve_profiles(profile)
        self._authenticator = authenticator
        # The PSAM's reader is never mistaken for the resident's card slot.
        self._exclude = exclude_readers
        self._step_s = step_timeout_s
        self._health = Health()
        self._lock = threading.Lock()

    def candidate_readers(self) -> list[str]:
        names = [n for n in list_readers() if not any(x and x in n for x in self._exclude)]
        matching = [n for n in names if self.reader_filter in n]
        if not matching:
            wanted = f"matching {self.reader_filter!r}" if self.reader_filter else "at all"
            raise ReaderNotFound(f"no PC/SC reader {wanted} (readers: {len(names)})")
        return matching

    def card_present(self) -> bool:
        return bool(card_present_in(self.candidate_readers()))

    def _reader_with_card(self) -> str:
        present = card_present_in(self.candidate_readers())
        if not present:
            raise NoCardPresent("no card in the reader")
        return present[0]

    def read_card(self, timeout_s: float = 5.0) -> CitizenCard:
        deadline = Deadline(timeout_s, step_s=self._step_s)
        # One read at a time: a second caller would only fight over the same card.
        with self._lock:
            try:
                reader = self._reader_with_card()
                channel = open_channel(reader, deadline)
                try:
                    card = profile_runner.read_card(channel, self._profiles, reader=reader,
                                                    authenticator=self._authenticator, deadline=deadline)
                finally:
                    channel.close()
            except CitizenCardError as exc:
                self._health.failed(exc)
                raise
        self._health.ok()
        return card

    def status(self) -> DeviceStatus:
        return self._health.status()

    def close(self) -> None:
        """Nothing is held between reads; present for the reader interface."""


def psam_opener(reader: str) -> Callable[[Deadline], AbstractContextManager[PcscChannel]]:
    """Opens the PSAM in the PC/SC reader whose name contains `reader`, for PsamAuthenticator."""

    @contextmanager
    def open_psam(deadline: Deadline) -> Iterator[PcscChannel]:
        from drivers.citizencard.errors import SecurityModuleError

        try:
            names = [n for n in list_readers() if reader in n]
            if not names:
                raise SecurityModuleError(f"no PSAM reader matching {reader!r}")
            channel = open_channel(names[0], deadline)
        except (NoCardPresent, ReaderNotFound, CardRemoved) as exc:
            raise SecurityModuleError(f"PSAM not available: {exc.code}") from exc
        try:
            yield channel
        finally:
            channel.close()

    return open_psam
