"""The typed failures of talking to the provincial platform (see kiosk/platform/client.py).

Kept apart from the client so the sync engine and the screens can name them without importing
`requests`, which the kiosk loads only when a platform is configured.
"""

from __future__ import annotations

from typing import ClassVar


class PlatformError(Exception):
    """Base of every failure talking to the platform.

    `code` is stable: the platform's error code when it sent one, else one of ours (`timeout`,
    `connection_error`, `tls_error`, `http_<status>`, `protocol_error`). `status` is the HTTP status, or
    None when no answer arrived. `transient` tells the sync engine whether a retry may succeed.
    The message never carries personal data.
    """

    transient: ClassVar[bool] = False

    def __init__(self, message: str, *, code: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status is not None else ""
        return f"{where}{self.code}: {self.message}"


class PlatformUnavailable(PlatformError):
    """No usable answer now (network, timeout, TLS, 5xx, 408, 429): retry later with backoff."""

    transient = True

    def __init__(self, message: str, *, code: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after  # seconds the platform asked us to wait, if it said


class PlatformProtocolError(PlatformError):
    """The answer breaks the contract (invalid JSON, missing or mistyped fields). Transient; keep `reason`."""

    transient = True

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason, code="protocol_error", status=status)
        self.reason = reason


class PlatformAuthError(PlatformError):
    """401/403: the terminal id or token is wrong, or the terminal may not do this."""


class PlatformRejected(PlatformError):
    """A 4xx for this item: the platform will never accept it as it is. Quarantine it with `code`/`message`."""


class CaseNotFound(PlatformRejected):
    """`get_case`: the platform knows no case by this case or local receipt number (yet)."""


class AttachmentMissing(PlatformError):
    """409 `attachment_missing`: upload `missing` (SHA-256 hashes), then submit again with the same key."""

    def __init__(self, message: str, *, missing: tuple[str, ...], status: int = 409) -> None:
        super().__init__(message, code="attachment_missing", status=status)
        self.missing = missing


class LicenceNotFound(PlatformRejected):
    """404 `licence_not_found`: no such licence held by the holder named (or the consent's holder)."""


class ConsentRefused(PlatformRejected):
    """The platform did not take the resident's consent (`consent_*`) or the holder's name (`holder_mismatch`):
    the terminal steps aside for this visit, as when offline."""


# Platform error codes that have a class of their own (docs/platform-api.md, "How the kiosk treats answers").
REJECTION_CLASSES: dict[str, type[PlatformRejected]] = {
    "licence_not_found": LicenceNotFound,
    "consent_expired": ConsentRefused,
    "consent_mismatch": ConsentRefused,
    "consent_out_of_scope": ConsentRefused,
    "consent_unknown": ConsentRefused,
    "holder_mismatch": ConsentRefused,
}
