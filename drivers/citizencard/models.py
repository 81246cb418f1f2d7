"""What a read gives: the card's kind, the profile that read it, and the decoded fields.

`CitizenCard` holds personal data. Its repr shows only the profile and the field names, so an
accidental log line or traceback carries nothing personal.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from drivers.citizencard.decoders import FieldValue


class CardKind(enum.Enum):
    CITIZEN_CARD = "citizen_card"
    SOCIAL_SECURITY_CARD = "social_security_card"


class AuthMethod(enum.Enum):
    NONE = "none"
    PSAM = "psam"
    ONLINE = "online"


def _frozen(values: Mapping[str, FieldValue]) -> Mapping[str, FieldValue]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True, repr=False)
class CitizenCard:
    """One read of one card. Field names follow the profile; the common ones have typed accessors."""

    kind: CardKind
    profile: str
    reader: str
    atr: str
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    auth: AuthMethod = AuthMethod.NONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _frozen(self.fields))

    def __repr__(self) -> str:
        return f"CitizenCard(kind={self.kind.value}, profile={self.profile!r}, fields={sorted(self.fields)})"

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        return value if isinstance(value, str) else ""

    def date(self, name: str) -> dt.date | None:
        value = self.fields.get(name)
        return value if isinstance(value, dt.date) else None

    @property
    def card_number(self) -> str:
        return self.text("card_number")

    @property
    def name(self) -> str:
        return self.text("name")

    @property
    def id_number(self) -> str:
        return self.text("id_number")

    @property
    def gender_code(self) -> str:
        return self.text("gender")

    @property
    def nation(self) -> str:
        return self.text("nation")

    @property
    def birth_date(self) -> dt.date | None:
        return self.date("birth_date")

    @property
    def spec_version(self) -> str:
        return self.text("spec_version")

    @property
    def balance_fen(self) -> int | None:
        value = self.fields.get("balance_fen")
        return value if isinstance(value, int) else None

    @property
    def has_holder(self) -> bool:
        """Whether the card named its holder (a transport-only card does not)."""
        return bool(self.name and self.id_number)
