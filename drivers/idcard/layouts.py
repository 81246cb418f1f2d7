"""Byte layouts of the 256-byte text block (UCS-2LE, space-padded), one per card kind.

Offsets are from device-protocols.md 2.1–2.4; `decode` reads them and `encode` (the simulator)
writes them, so both sides agree by construction.
"""

from __future__ import annotations

from drivers.idcard.models import CardKind

TEXT_SIZE = 256
PHOTO_SIZE = 1024
TYPE_MARKER = slice(248, 250)

# field name -> (byte offset, byte length)
Layout = dict[str, tuple[int, int]]

RESIDENT: Layout = {
    "name": (0, 30),
    "gender": (30, 2),
    "nation": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuer": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}

HMT: Layout = {
    "name": (0, 30),
    "gender": (30, 2),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuer": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "pass_number": (220, 18),
    "issue_count": (238, 4),
}

FOREIGNER_2017: Layout = {
    "english_name": (0, 120),
    "gender": (120, 2),
    "id_number": (122, 30),
    "nationality": (152, 6),
    "chinese_name": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "birth_date": (220, 16),
    "card_version": (236, 4),
    "issuer_code": (240, 8),
}

FOREIGNER_2023: Layout = {
    "chinese_name": (0, 30),
    "gender": (30, 2),
    "renewal_count": (32, 4),
    "birth_date": (36, 16),
    "english_name_1": (52, 70),
    "id_number": (122, 36),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "english_name_2": (220, 22),
    "nationality": (242, 6),
    "previous_number_link": (250, 6),
}

LAYOUTS: dict[CardKind, Layout] = {
    CardKind.RESIDENT: RESIDENT,
    CardKind.HMT_RESIDENCE_PERMIT: HMT,
    CardKind.FOREIGNER_PERMANENT_2017: FOREIGNER_2017,
    CardKind.FOREIGNER_PERMANENT_2023: FOREIGNER_2023,
}

MARKERS: dict[bytes, CardKind] = {
    b"J\x00": CardKind.HMT_RESIDENCE_PERMIT,
    b"I\x00": CardKind.FOREIGNER_PERMANENT_2017,
    b"Y\x00": CardKind.FOREIGNER_PERMANENT_2023,
}

LONG_TERM = "长期"
