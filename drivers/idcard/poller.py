"""Card-placed / card-removed events, once per physical event.

A card left on the reader is read once: while it stays, find-card keeps answering 9F and nothing
is reported again. Removal is declared after `removal_misses` consecutive "no card" answers, so one
RF glitch does not end a resident's session. If a read fails while the card stays, `CardReadFailed`
is reported once and the read is retried on later polls (the resident may adjust the card);
success then reports `CardPlaced`.

Whether a real module answers 9F to find-card for a card it has already read (ISO 14443-B halts a
card after use; the reader's find may or may not wake it) is not documented [U]. If a module
answers 80 instead, this poller reports a removal and a new placement for the same card; compare
`photo_digest` of the two reads to tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.idcard.errors import CardDataError, CardStatusError
from drivers.idcard.models import IdCard
from drivers.idcard.protocol import IdCardReader


@dataclass(frozen=True)
class CardPlaced:
    card: IdCard


@dataclass(frozen=True)
class CardRemoved:
    pass


@dataclass(frozen=True)
class CardReadFailed:
    """A card is on the reader but could not be read; `error.message_key` says what to tell the resident."""

    error: CardStatusError | CardDataError


CardEvent = CardPlaced | CardRemoved | CardReadFailed


class CardPoller:
    """Call `poll()` in a loop on the reader's worker thread (e.g. every 0.2 s).

    Device errors (timeouts, a vanished port) propagate to the caller unchanged; the reader counts
    them towards its offline status.
    """

    def __init__(self, reader: IdCardReader, *, removal_misses: int = 2, read_timeout_s: float = 3.0) -> None:
        self.reader = reader
        self.removal_misses = removal_misses
        self.read_timeout_s = read_timeout_s
        self._present = False  # an event for the card now on the reader has been reported
        self._read_ok = False
        self._misses = 0

    @property
    def card_present(self) -> bool:
        return self._present

    def poll(self, timeout_s: float = 1.0) -> CardEvent | None:
        if not self.reader.find_card(timeout_s):
            if not self._present:
                return None
            self._misses += 1
            if self._misses < self.removal_misses:
                return None
            self._present = self._read_ok = False
            self._misses = 0
            return CardRemoved()
        self._misses = 0
        if self._present and self._read_ok:
            return None
        try:
            card = self.reader.read_found_card(self.read_timeout_s)
        except (CardStatusError, CardDataError) as exc:
            if self._present:
                return None  # already reported for this placement
            self._present = True
            return CardReadFailed(exc)
        self._present = self._read_ok = True
        return CardPlaced(card)

    def reset(self) -> None:
        """Forget the card on the reader (after a reconnect, say): the next card found is reported."""
        self._present = self._read_ok = False
        self._misses = 0
