"""The one check of card data, where a card becomes a resident's identity.

Both card kinds pass here on their way to a `Resident` (kiosk/identity/resident.py): the ID card in its
four layouts and the citizen / social security card of any profile. The decoders have already refused
what cannot be decoded (bad UCS-2 or GBK, dates that are not dates, controls and invisible characters);
this module refuses what decodes but no real card holds:

- the ID number's GB 11643 check character (ISO 7064 MOD 11-2), and a number of the card kind's own
  range: a province's code for a resident card, 810000/820000/830000 for a residence permit, a leading 9
  for the 2023 foreigner card, the nationality's three letters and 12 digits for the 2017 one; a citizen
  card names a holder by an 18-character number of one of the first three ranges;
- the birth date and the gender agree with the number (digits 7–14; the 17th odd for male, even for
  female), where the number carries them;
- dates in order: birth ≤ issue ≤ expiry (no expiry, 长期, is allowed on resident ID cards only);
- the name is not empty, and every text field holds only the characters of its script: Chinese names
  (ideographs, the private-use rare characters of names, the middle dot), Latin names (capitals, space,
  comma, hyphen, apostrophe, full stop), addresses, digits, codes.

A broken rule raises `CardDataRejected`: a typed device error whose message names the field and the
rule for a technician (never the value read), whose code (`identity.card_data.<rule>`) is counted in the
reader's health, and whose message key gives the resident a plain "this card could not be read" text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable

from drivers.citizencard.models import CitizenCard
from drivers.errors import ProtocolError
from drivers.idcard import id_number as ids
from drivers.idcard.models import (
    CardKind,
    ForeignerPermanentIdCard2017,
    ForeignerPermanentIdCard2023,
    HmtResidencePermit,
    IdCard,
    ResidentIdCard,
)
from drivers.text import has_unsafe


class Rule(enum.Enum):
    """What a refused card broke; the value is the last part of the error's code."""

    REQUIRED = "required"
    CHARACTERS = "characters"
    CHECK_DIGIT = "check_digit"
    NUMBER_FORM = "number_form"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    DATE_ORDER = "date_order"
    EXPIRY = "expiry"


class CardDataRejected(ProtocolError):
    """A card whose data no real card holds. `field` and `rule` say which check failed; the message is
    for technicians and names them, never the value read from the card."""

    code = "identity.card_data"
    message_key = "identity.card_data"

    def __init__(self, field: str, rule: Rule, explanation: str) -> None:
        super().__init__(f"card data refused: {field}: {explanation}", code=f"identity.card_data.{rule.value}")
        self.field = field
        self.rule = rule


# --- scripts --------------------------------------------------------------------------------------

_IDEOGRAPHS = (
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2FFFD),  # plane 2: extensions B–F, I and the compatibility supplement
    (0x30000, 0x3FFFD),  # plane 3: extensions G, H (the last two code points of a plane are noncharacters)
)
# Rare characters of names that Unicode lacks are written in the private-use area on ID cards.
_PRIVATE_USE = (0xE000, 0xF8FF)
_IDEOGRAPHIC_ZERO = "〇"
# The separator of transcribed names (阿依古丽·买买提): U+00B7, and its look-alikes U+2022 and U+30FB.
_NAME_DOTS = "·•・"
_ADDRESS_PUNCTUATION = " -#()/.,（）、，。－—～＃．／"


def _in(ch: str, ranges: Iterable[tuple[int, int]]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _chinese(ch: str) -> bool:
    return _in(ch, _IDEOGRAPHS) or _in(ch, (_PRIVATE_USE,)) or ch == _IDEOGRAPHIC_ZERO


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _fullwidth_alnum(ch: str) -> bool:
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ"


def _chinese_name(value: str) -> bool:
    return all(_chinese(ch) or ch in _NAME_DOTS for ch in value) and any(_chinese(ch) for ch in value)


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z,.'-]*(?: [A-Za-z,.'-]+)*")


def _latin_name(value: str) -> bool:
    # Words of letters and name punctuation, one space between them, none before or after.
    return _LATIN_NAME.fullmatch(value) is not None


def _address(value: str) -> bool:
    return all(_chinese(ch) or _ascii_alnum(ch) or _fullwidth_alnum(ch) or ch in _ADDRESS_PUNCTUATION
               or ch in _NAME_DOTS for ch in value)


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _code(value: str) -> bool:
    return value.isascii() and value.isalnum() and value == value.upper()


def _letters3(value: str) -> bool:
    return len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()


def _plain(value: str) -> bool:
    # Fields the resident never sees (versions, identifiers): no hidden characters, no whitespace but spaces.
    return not has_unsafe(value) and all(ch == " " or not ch.isspace() for ch in value)


class Script(enum.Enum):
    """The characters a text field may hold; the value is the words a message uses for them."""

    CHINESE_NAME = "ideographs and the name dot"
    LATIN_NAME = "Latin letters, single spaces and name punctuation"
    NAME = "a Chinese or a Latin name"
    ADDRESS = "ideographs, digits, Latin letters and address punctuation"
    DIGITS = "ASCII digits"
    NATION_CODE = "two ASCII digits"
    CODE = "ASCII capitals and digits"
    NATIONALITY = "three ASCII capitals"
    PLAIN = "printable characters"


def _name(value: str) -> bool:
    return _chinese_name(value) or _latin_name(value)


def _nation_code(value: str) -> bool:
    return len(value) == 2 and _digits(value)


_SCRIPT_CHECKS: dict[Script, Callable[[str], bool]] = {
    Script.CHINESE_NAME: _chinese_name,
    Script.LATIN_NAME: _latin_name,
    Script.NAME: _name,
    Script.ADDRESS: _address,
    Script.DIGITS: _digits,
    Script.NATION_CODE: _nation_code,
    Script.CODE: _code,
    Script.NATIONALITY: _letters3,
    Script.PLAIN: _plain,
}


# --- what is checked ------------------------------------------------------------------------------


class NumberForm(enum.Enum):
    """The number range a card kind's holders are numbered in."""

    RESIDENT = "a resident's number (a province code, 18 characters)"
    HMT = "a residence permit's number (810000, 820000 or 830000)"
    FOREIGNER_2017 = "a 2017 permanent-residence number (the nationality's 3 letters and 12 digits)"
    FOREIGNER_2023 = "a 2023 permanent-residence number (9 and 17 more characters)"
    # A citizen or social security card: a resident, a permit holder or a 2023 foreigner card holder.
    ANY_18 = "an 18-character resident, residence-permit or 2023 permanent-residence number"


@dataclasses.dataclass(frozen=True, repr=False)
class TextField:
    name: str
    value: str
    script: Script
    required: bool = False


@dataclasses.dataclass(frozen=True, repr=False)
class Period:
    """A start (issue) date and an end (expiry) date; end None is 长期, no expiry."""

    start_field: str
    start: dt.date
    end_field: str
    end: dt.date | None
    # Whether the holder must have been born by the start: true for the identity's own issue date.
    after_birth: bool = True
    # Whether the card kind has 长期 cards: resident ID cards do; permits and foreigners' cards always expire.
    open_ended: bool = True


@dataclasses.dataclass(frozen=True, repr=False)
class CardFacts:
    """What one card says, in the terms the rules need; the adapters below build it for each card kind.

    gender_code and birth_date are None when the card does not carry them (a citizen card whose profile
    reads no such field); then there is nothing to compare with the number.
    """

    form: NumberForm
    id_number: str
    texts: tuple[TextField, ...]
    gender_code: str | None
    birth_date: dt.date | None
    periods: tuple[Period, ...] = ()
    nationality: str = ""


def validate(facts: CardFacts) -> None:
    """Raises CardDataRejected for the first broken rule; returns when the card could be real."""
    for text in facts.texts:
        _check_text(text)
    # As read: the check character is a capital X on every card; a small x is a flipped bit.
    number = facts.id_number
    _check_number(facts.form, number, facts.nationality)
    if facts.form is NumberForm.FOREIGNER_2017:
        # Its 12 digits follow a layout not confirmed by public sources: no birth date or gender in them.
        encoded_birth, encoded_gender = None, None
    else:
        encoded_birth = _birth_in(number)
        encoded_gender = "1" if int(number[16]) % 2 else "2"
    if facts.birth_date is not None and encoded_birth is not None and facts.birth_date != encoded_birth:
        raise CardDataRejected("birth_date", Rule.BIRTH_DATE, "disagrees with the birth date in the ID number")
    if facts.gender_code is not None and encoded_gender is not None and facts.gender_code != encoded_gender:
        raise CardDataRejected("gender", Rule.GENDER, "disagrees with the ID number's 17th digit (odd male, "
                                                      "even female)")
    birth = facts.birth_date or encoded_birth
    for period in facts.periods:
        if period.after_birth and birth is not None and period.start < birth:
            raise CardDataRejected(period.start_field, Rule.DATE_ORDER, "is before the holder's birth date")
        if period.end is None and not period.open_ended:
            raise CardDataRejected(period.end_field, Rule.EXPIRY, "is 长期 (no expiry), which only resident ID "
                                                                  "cards have")
        if period.end is not None and period.end < period.start:
            raise CardDataRejected(period.end_field, Rule.DATE_ORDER, f"is before {period.start_field}")


def _check_text(text: TextField) -> None:
    if not text.value:
        if text.required:
            raise CardDataRejected(text.name, Rule.REQUIRED, "is empty")
        return
    if not _SCRIPT_CHECKS[text.script](text.value):
        raise CardDataRejected(text.name, Rule.CHARACTERS, f"holds characters outside {text.script.value}")


def _check_number(form: NumberForm, number: str, nationality: str) -> None:
    if form is NumberForm.FOREIGNER_2017:
        if not ids.is_valid_foreigner_2017(number):
            raise CardDataRejected("id_number", Rule.NUMBER_FORM, f"is not {form.value}")
        if number[:3] != nationality:
            raise CardDataRejected("id_number", Rule.NUMBER_FORM, "does not begin with the card's nationality code")
        return
    if not re.fullmatch(r"\d{17}[\dX]", number) or not number.isascii():
        raise CardDataRejected("id_number", Rule.NUMBER_FORM, "is not 17 digits and a check character")
    if not ids.is_valid_mod11_2(number):
        raise CardDataRejected("id_number", Rule.CHECK_DIGIT, "fails the GB 11643 (MOD 11-2) check character")
    if not _NUMBER_RANGES[form](number):
        raise CardDataRejected("id_number", Rule.NUMBER_FORM, f"is not {form.value}")
    if _birth_in(number) is None:
        raise CardDataRejected("id_number", Rule.NUMBER_FORM, "digits 7–14 are not a calendar date")


def _any_18(number: str) -> bool:
    return ids.is_valid_resident(number) or ids.is_valid_hmt(number) or ids.is_valid_foreigner_2023(number)


_NUMBER_RANGES: dict[NumberForm, Callable[[str], bool]] = {
    NumberForm.RESIDENT: ids.is_valid_resident,
    NumberForm.HMT: ids.is_valid_hmt,
    NumberForm.FOREIGNER_2023: ids.is_valid_foreigner_2023,
    NumberForm.ANY_18: _any_18,
}


def _birth_in(number: str) -> dt.date | None:
    digits = number[6:14]
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


# --- the two card kinds ---------------------------------------------------------------------------


_ID_CARD_FORMS = {
    CardKind.RESIDENT: NumberForm.RESIDENT,
    CardKind.HMT_RESIDENCE_PERMIT: NumberForm.HMT,
    CardKind.FOREIGNER_PERMANENT_2017: NumberForm.FOREIGNER_2017,
    CardKind.FOREIGNER_PERMANENT_2023: NumberForm.FOREIGNER_2023,
}


def id_card_facts(card: IdCard) -> CardFacts:
    """The facts of an ID card, residence permit or foreigner's permanent residence card."""
    texts: tuple[TextField, ...]
    nationality = ""
    if isinstance(card, ResidentIdCard):
        texts = (
            TextField("name", card.name, Script.CHINESE_NAME, required=True),
            TextField("nation", card.nation_code, Script.NATION_CODE, required=True),
            TextField("address", card.address or "", Script.ADDRESS, required=True),
            TextField("issuer", card.issuer, Script.ADDRESS, required=True),
        )
    elif isinstance(card, HmtResidencePermit):
        texts = (
            TextField("name", card.name, Script.CHINESE_NAME, required=True),
            TextField("address", card.address or "", Script.ADDRESS, required=True),
            TextField("issuer", card.issuer, Script.ADDRESS, required=True),
            TextField("pass_number", card.pass_number, Script.CODE, required=True),
            TextField("issue_count", card.issue_count, Script.DIGITS, required=True),
        )
    elif isinstance(card, ForeignerPermanentIdCard2017):
        nationality = card.nationality_code
        texts = (
            TextField("english_name", card.english_name, Script.LATIN_NAME, required=True),
            TextField("chinese_name", card.chinese_name, Script.CHINESE_NAME),
            TextField("nationality", nationality, Script.NATIONALITY, required=True),
            TextField("card_version", card.card_version, Script.DIGITS, required=True),
            TextField("issuer_code", card.issuer_code, Script.DIGITS, required=True),
        )
    elif isinstance(card, ForeignerPermanentIdCard2023):
        nationality = card.nationality_code
        texts = (
            TextField("english_name", card.english_name, Script.LATIN_NAME, required=True),
            TextField("chinese_name", card.chinese_name, Script.CHINESE_NAME),
            TextField("nationality", nationality, Script.NATIONALITY, required=True),
            TextField("renewal_count", card.renewal_count, Script.DIGITS, required=True),
            TextField("previous_number_link", card.previous_number_link, Script.DIGITS),
        )
    else:
        # A card built from the common fields only (no layout of its own): what those say is checked.
        nationality = card.nation or ""
        texts = (
            TextField("name", card.name, Script.NAME, required=True),
            TextField("address", card.address or "", Script.ADDRESS),
            TextField("issuer", card.issuer, Script.ADDRESS),
        )
    texts += (TextField("additional_address", card.additional_address or "", Script.ADDRESS),)
    period = Period("valid_from", card.valid_from, "valid_to", card.valid_to,
                    open_ended=card.kind is CardKind.RESIDENT)
    return CardFacts(_ID_CARD_FORMS[card.kind], card.id_number, texts, card.gender_code or None, card.birth_date,
                     (period,), nationality=nationality)


# Citizen-card fields by name, as the shipped profiles call them; a field a city's profile adds is PLAIN.
_CITIZEN_SCRIPTS: dict[str, Script] = {
    "name": Script.NAME,
    "name_extension": Script.NAME,
    "address": Script.ADDRESS,
    "nation": Script.CHINESE_NAME,
    "card_number": Script.CODE,
    "social_security_card_number": Script.CODE,
}
# (start, end, whether the holder was born by the start): the social security application's own dates
# are the holder's; a transport purse's are the card's, which may have been made before it was given out.
_CITIZEN_PERIODS = (
    ("issue_date", "valid_to", True),
    ("social_security_issue_date", "social_security_valid_to", True),
    ("valid_from", "valid_to", False),
)


def citizen_card_facts(card: CitizenCard) -> CardFacts:
    """The facts of a citizen or social security card that names its holder."""
    texts = [TextField("name", card.name, Script.NAME, required=True)]
    for name, value in sorted(card.fields.items()):
        if isinstance(value, str) and name not in ("name", "id_number", "gender"):
            texts.append(TextField(name, value, _CITIZEN_SCRIPTS.get(name, Script.PLAIN)))
    periods = []
    for start_field, end_field, after_birth in _CITIZEN_PERIODS:
        start, end = card.date(start_field), card.date(end_field)
        if start is not None:
            periods.append(Period(start_field, start, end_field, end, after_birth))
    gender = card.gender_code or None
    return CardFacts(NumberForm.ANY_18, card.id_number, tuple(texts), gender, card.birth_date, tuple(periods))


def check_id_card(card: IdCard) -> None:
    validate(id_card_facts(card))


def check_citizen_card(card: CitizenCard) -> None:
    validate(citizen_card_facts(card))
