"""External authentication of a card, as a pluggable step of a profile.

Third-generation social security cards give the holder's data only after EXTERNAL AUTHENTICATE with a
cryptogram over the card's challenge, made with the RKSSSE key. The key lives either in a PSAM (a second
card in the terminal's SAM slot: `PsamAuthenticator`) or behind the province's online key service
(`OnlineKeyService`, an interface; the provincial client is not public). The PSAM's command set is
vendor-specific, so it is data too (`psam/*.toml`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from drivers.citizencard import apdu
from drivers.citizencard.channel import CardChannel, Deadline, exchange
from drivers.citizencard.errors import CitizenCardError, ProfileInvalid, SecurityModuleError, StatusWordError
from drivers.citizencard.models import AuthMethod

PSAM_DIR = Path(__file__).with_name("psam")
CHALLENGE_LENGTH = 8


@dataclass(frozen=True)
class AuthRequest:
    key: str  # the key's name in the card's spec, e.g. "RKSSSE"
    key_ref: int  # P2 of EXTERNAL AUTHENTICATE
    diversifier: bytes  # card data the key is diversified with (the SSSE card identifier)
    atr: bytes


class Authenticator(Protocol):
    method: AuthMethod

    def cryptogram(self, request: AuthRequest, challenge: bytes, deadline: Deadline) -> bytes:
        """The answer to the card's challenge; raises SecurityModuleError when it cannot make one."""
        ...


class OnlineKeyService(Protocol):
    """The province's key service (the "HSM two-step" path): the challenge goes out, a cryptogram comes back.

    Implementations raise SecurityModuleError (unreachable, refused) and honour timeout_s.
    """

    def cryptogram(self, request: AuthRequest, challenge: bytes, timeout_s: float) -> bytes: ...


class OnlineKeyServiceAuthenticator:
    method = AuthMethod.ONLINE

    def __init__(self, service: OnlineKeyService) -> None:
        self._service = service

    def cryptogram(self, request: AuthRequest, challenge: bytes, deadline: Deadline) -> bytes:
        try:
            return self._service.cryptogram(request, challenge, deadline.step_timeout())
        except CitizenCardError:
            raise
        except (OSError, ValueError) as exc:
            raise SecurityModuleError(f"online key service failed: {type(exc).__name__}") from exc


@dataclass(frozen=True)
class PsamStep:
    label: str
    header: str  # CLA INS P1 P2 as hex, may hold {key_index}
    data: str  # hex, may hold {challenge}, {diversifier}
    le: int | None
    result: bool  # this step's answer is the cryptogram


@dataclass(frozen=True)
class PsamCommands:
    name: str
    key_indexes: dict[str, int]
    steps: tuple[PsamStep, ...]

    def commands(self, request: AuthRequest, challenge: bytes) -> list[tuple[PsamStep, apdu.Command]]:
        if request.key not in self.key_indexes:
            raise SecurityModuleError(f"PSAM command set {self.name!r} has no index for key {request.key}")
        values = {
            "key_index": f"{self.key_indexes[request.key]:02X}",
            "challenge": challenge.hex().upper(),
            "diversifier": request.diversifier.hex().upper(),
        }
        out = []
        for step in self.steps:
            try:
                cla, ins, p1, p2 = apdu.parse_hex(step.header.format(**values))
                data = apdu.parse_hex(step.data.format(**values))
                out.append((step, apdu.Command(cla, ins, p1, p2, data, step.le)))
            except (KeyError, ValueError) as exc:
                raise ProfileInvalid(f"PSAM command set {self.name!r}, step {step.label!r}: {exc}") from exc
        return out


def load_psam_commands(selector: str = "generic", directory: Path = PSAM_DIR) -> PsamCommands:
    path = Path(selector) if selector.endswith(".toml") else directory / f"{selector}.toml"
    try:
        with path.open("rb") as f:
            data: dict[str, Any] = tomllib.load(f)
        steps = tuple(
            PsamStep(
                label=str(s.get("label", s["header"])),
                header=str(s["header"]),
                data=str(s.get("data", "")),
                le=int(s["le"]) if "le" in s else None,
                result=bool(s.get("result", False)),
            )
            for s in data["steps"]
        )
        keys = {str(k): int(v) for k, v in data.get("keys", {}).items()}
    except OSError as exc:
        raise ProfileInvalid(f"{path}: cannot read ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ProfileInvalid(f"{path.name}: {exc}") from exc
    if sum(s.result for s in steps) != 1:
        raise ProfileInvalid(f"{path.name}: exactly one step must have result = true")
    return PsamCommands(name=str(data.get("name", path.stem)), key_indexes=keys, steps=steps)


class PsamAuthenticator:
    """Makes the cryptogram in a PSAM reached through `open_psam` (a PC/SC reader, or a virtual card in tests)."""

    method = AuthMethod.PSAM

    def __init__(
        self,
        open_psam: Callable[[Deadline], AbstractContextManager[CardChannel]],
        commands: PsamCommands | None = None,
    ) -> None:
        self._open = open_psam
        self._commands = commands or load_psam_commands()

    def cryptogram(self, request: AuthRequest, challenge: bytes, deadline: Deadline) -> bytes:
        result = b""
        try:
            with self._open(deadline) as psam:
                for step, command in self._commands.commands(request, challenge):
                    response = apdu.check(exchange(psam, command, deadline), f"PSAM {step.label}")
                    if step.result:
                        result = response.data
        except StatusWordError as exc:
            raise SecurityModuleError(f"PSAM refused: {exc}") from exc
        if len(result) != CHALLENGE_LENGTH:
            raise SecurityModuleError(f"PSAM gave a {len(result)}-byte cryptogram, expected {CHALLENGE_LENGTH}")
        return result


def external_authenticate(
    card: CardChannel, authenticator: Authenticator, request: AuthRequest, deadline: Deadline
) -> None:
    """GET CHALLENGE from the card, cryptogram from the authenticator, EXTERNAL AUTHENTICATE to the card."""
    challenge = apdu.check(exchange(card, apdu.get_challenge(CHALLENGE_LENGTH), deadline), "GET CHALLENGE").data
    if len(challenge) != CHALLENGE_LENGTH:
        raise SecurityModuleError(f"card gave a {len(challenge)}-byte challenge")
    cryptogram = authenticator.cryptogram(request, challenge, deadline)
    answer = exchange(card, apdu.external_authenticate(request.key_ref, cryptogram), deadline)
    apdu.check(answer, "EXTERNAL AUTHENTICATE")
