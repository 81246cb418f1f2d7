"""The resident's identity for a session, from whichever card they used.

Every screen after identification works with a `Resident`, never with a card model, so the ID card,
the citizen card and the social security card are interchangeable from there on. A `Resident` is
immutable; the session keeps it only in an `IdentitySlot`, whose `wipe()` drops the one reference
(Python cannot overwrite a str in place, so dropping every reference is what "wipe" can honestly mean;
nothing here caches, logs or copies the values). Its repr is masked, so a stray log line or traceback
shows no personal data.
"""

from __future__ import annotations

import datetime as dt
import enum
import threading
from dataclasses import dataclass

from drivers.citizencard.models import CardKind, CitizenCard
from drivers.idcard.models import IdCard
from kiosk.identity.validate import check_citizen_card, check_id_card
from kiosk.privacy import mask_id_number, mask_name, mask_phone, mask_tail


class IdentitySource(enum.Enum):
    ID_CARD = "id_card"
    CITIZEN_CARD = "citizen_card"
    SOCIAL_SECURITY_CARD = "social_security_card"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    IdentitySource.ID_CARD: "居民身份证 / ID card",
    IdentitySource.CITIZEN_CARD: "市民卡 / Citizen card",
    IdentitySource.SOCIAL_SECURITY_CARD: "社会保障卡 / Social security card",
}


class Gender(enum.Enum):
    """GB/T 2261.1 codes."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"

    @property
    def label(self) -> str:
        return {"0": "未知", "1": "男", "2": "女", "9": "未说明"}[self.value]

    @classmethod
    def parse(cls, value: object) -> Gender:
        """A code ('1'), a Chinese label ('男'), or an enum with either as its value; anything else is UNKNOWN."""
        if isinstance(value, enum.Enum):
            value = value.value
        text = str(value or "").strip()
        by_label = {"男": cls.MALE, "女": cls.FEMALE, "未知": cls.UNKNOWN, "未说明": cls.UNSPECIFIED}
        if text in by_label:
            return by_label[text]
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN


class IdentityUnavailable(ValueError):
    """The card read fine but names no holder (a transport-only card): it cannot identify the resident."""

    code = "identity.unavailable"
    message_key = "identity.unavailable"


@dataclass(frozen=True, repr=False)
class Resident:
    source: IdentitySource
    name: str
    id_number: str
    gender: Gender
    birth_date: dt.date | None
    nation: str = ""
    address: str = ""
    phone: str = ""
    card_number: str = ""

    def __repr__(self) -> str:
        return f"Resident(source={self.source.value}, name={mask_name(self.name)!r}, " \
               f"id_number={mask_id_number(self.id_number)!r})"

    __str__ = __repr__

    def masked(self) -> dict[str, str]:
        """Display values with the personal parts masked (ID 6+4, name's last character, phone 3+4)."""
        return {
            "source": self.source.label,
            "name": mask_name(self.name),
            "id_number": mask_id_number(self.id_number),
            "gender": self.gender.label,
            "birth_date": "****-**-**" if self.birth_date else "",
            "nation": self.nation,
            "address": _mask_address(self.address),
            "phone": mask_phone(self.phone) if self.phone else "",
            "card_number": mask_tail(self.card_number),
        }

    def display(self, *, show_personal_data: bool = False) -> dict[str, str]:
        """Values for a screen or the CLI: masked unless the caller asked for the full data."""
        if not show_personal_data:
            return self.masked()
        return {
            "source": self.source.label,
            "name": self.name,
            "id_number": self.id_number,
            "gender": self.gender.label,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "nation": self.nation,
            "address": self.address,
            "phone": self.phone,
            "card_number": self.card_number,
        }


def _mask_address(value: str) -> str:
    # The province and city (about the first 6 characters) help the resident recognise it; the rest is private.
    return value[:6] + "*" * 6 if len(value) > 6 else "*" * len(value)


def birth_date_from_id(id_number: str) -> dt.date | None:
    """The birth date in an 18-digit ID number (digits 7-14), if it is a calendar date."""
    digits = id_number[6:14]
    if len(id_number) != 18 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def gender_from_id(id_number: str) -> Gender:
    """The 17th digit of an 18-digit ID number: odd male, even female (GB 11643)."""
    if len(id_number) == 18 and id_number[16].isdigit():
        return Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
    return Gender.UNKNOWN


def from_citizen_card(card: CitizenCard, *, phone: str = "") -> Resident:
    """The resident named on a citizen or social security card; IdentityUnavailable if it names nobody,
    CardDataRejected (kiosk/identity/validate.py) if what it says cannot be a real card's."""
    if not card.has_holder:
        raise IdentityUnavailable(f"card read with profile {card.profile} carries no holder data")
    check_citizen_card(card)
    source = (IdentitySource.SOCIAL_SECURITY_CARD if card.kind is CardKind.SOCIAL_SECURITY_CARD
              else IdentitySource.CITIZEN_CARD)
    name = card.name
    extension = card.text("name_extension")
    if extension:
        name = f"{name} {extension}"
    id_number = card.id_number.upper()
    gender = Gender.parse(card.gender_code) if card.gender_code else gender_from_id(id_number)
    return Resident(
        source=source,
        name=name,
        id_number=id_number,
        gender=gender,
        birth_date=card.birth_date or birth_date_from_id(id_number),
        nation=card.nation,
        address=card.text("address"),
        phone=phone,
        card_number=card.card_number,
    )


def from_id_card(card: IdCard, *, phone: str = "") -> Resident:
    """The resident on an ID card (or residence permit / foreigner's permanent residence card).

    The ID card has no separate card number: its number is the ID number, so card_number stays empty.
    Raises CardDataRejected (kiosk/identity/validate.py) if what it says cannot be a real card's.
    """
    check_id_card(card)
    return Resident(
        source=IdentitySource.ID_CARD,
        name=card.name,
        id_number=card.id_number.upper(),
        gender=Gender.parse(card.gender_code or card.gender),
        birth_date=card.birth_date,
        nation=card.nation or "",
        address=card.address or "",
        phone=phone,
    )


class IdentitySlot:
    """Where a session keeps the identified resident; `wipe()` at session end drops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resident: Resident | None = None

    def set(self, resident: Resident) -> None:
        with self._lock:
            self._resident = resident

    @property
    def resident(self) -> Resident | None:
        return self._resident

    def wipe(self) -> None:
        with self._lock:
            self._resident = None

    def __repr__(self) -> str:
        return f"IdentitySlot({'set' if self._resident is not None else 'empty'})"
