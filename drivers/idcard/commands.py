"""The commands of the SAM protocol (device-protocols.md 1.3) and the reply each may legitimately get.

Replies carry no command id, so a stale reply (one that arrived after its command timed out) could
be mistaken for the answer to the next command. Each command therefore names the reply shapes it
accepts; the backend skips anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.idcard.decode import split_read_reply
from drivers.idcard.errors import CardDataError
from drivers.idcard.frames import Response, build_request
from drivers.idcard.status_codes import SUCCESS_CODES, SW3_FIND_OK, SW3_NO_CONTENT, SW3_OK


def _failure(r: Response) -> bool:
    return r.sw3 not in SUCCESS_CODES and not r.data


def _read_reply(with_fingerprint: bool) -> Callable[[Response], bool]:
    def accept(r: Response) -> bool:
        if r.sw3 != SW3_OK:
            return _failure(r)
        try:
            split_read_reply(r.data, with_fingerprint=with_fingerprint)
        except CardDataError:
            return False
        return True

    return accept


@dataclass(frozen=True)
class Command:
    name: str
    cmd: int
    para: int
    accepts: Callable[[Response], bool]

    @property
    def frame(self) -> bytes:
        return build_request(self.cmd, self.para)


RESET_SAM = Command("reset SAM", 0x10, 0xFF, lambda r: not r.data)
SAM_STATUS = Command("SAM status", 0x11, 0xFF, lambda r: not r.data)
SAM_ID = Command("read SAM ID", 0x12, 0xFF, lambda r: (r.sw3 == SW3_OK and len(r.data) == 16) or _failure(r))
# 9F is unique to find-card; its 4 data bytes are observed as zeros, their meaning is unknown [U].
FIND_CARD = Command("find card", 0x20, 0x01, lambda r: r.sw3 == SW3_FIND_OK or _failure(r))
# Select's 8 data bytes are observed as zeros (some write-ups call them a serial number [U]); accept
# other lengths too, bounded so that a stale read reply can never pass for a select reply.
SELECT_CARD = Command("select card", 0x20, 0x02, lambda r: (r.sw3 == SW3_OK and len(r.data) <= 32) or _failure(r))
READ_TEXT_PHOTO = Command("read text+photo", 0x30, 0x01, _read_reply(False))
READ_WITH_FINGERPRINT = Command("read text+photo+fingerprint", 0x30, 0x10, _read_reply(True))
# The reply layout of 30 03 is not documented [U]: any 90 reply with data, or 91 for "none".
READ_ADDITIONAL_ADDRESS = Command(
    "read new address", 0x30, 0x03,
    lambda r: (r.sw3 == SW3_OK and 0 < len(r.data) <= 256) or r.sw3 == SW3_NO_CONTENT or _failure(r),
)

COMMANDS = (RESET_SAM, SAM_STATUS, SAM_ID, FIND_CARD, SELECT_CARD, READ_TEXT_PHOTO, READ_WITH_FINGERPRINT,
            READ_ADDITIONAL_ADDRESS)
