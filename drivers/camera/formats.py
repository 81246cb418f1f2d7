"""Physical page formats the deskewed image can have."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PageFormat:
    name: str
    # Portrait dimensions in millimetres (width < height); an ID card is used landscape.
    width_mm: float
    height_mm: float

    def pixels(self, dpi: int, *, landscape: bool = False) -> tuple[int, int]:
        """(width, height) in pixels at `dpi`, portrait unless `landscape`."""
        w = round(self.width_mm / MM_PER_INCH * dpi)
        h = round(self.height_mm / MM_PER_INCH * dpi)
        return (h, w) if landscape else (w, h)

    @property
    def aspect(self) -> float:
        """Long side over short side."""
        return self.height_mm / self.width_mm


A4 = PageFormat("a4", 210.0, 297.0)
# ISO/IEC 7810 ID-1: the resident ID card, bank cards, the citizen card.
ID_CARD = PageFormat("id_card", 53.98, 85.6)

FORMATS = {A4.name: A4, ID_CARD.name: ID_CARD}


def page_format(name: str) -> PageFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown page format {name!r}; known: {', '.join(FORMATS)}") from None
