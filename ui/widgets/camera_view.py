"""A picture that fits its box: the live camera preview, or a captured page for review.

Paints a QImage scaled to fit (aspect kept, centred) instead of a QLabel pixmap, so a new frame ten
times a second never changes the layout. An optional bar along the bottom shows auto-capture progress.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PROGRESS_COLOUR = QColor("#1f9d55")
BACKGROUND = QColor("#2b2f36")


def qimage_from_rgb(rgb: npt.NDArray[np.uint8]) -> QImage:
    """A QImage holding a copy of the pixels. Copied row by row into Qt's own buffer: building a QImage
    on a Python buffer ties its lifetime to that object, which PySide6 does not track reliably."""
    height, width = rgb.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if rgb.ndim == 2 else QImage.Format.Format_RGB888
    row_bytes = width * (1 if rgb.ndim == 2 else 3)
    image = QImage(width, height, fmt)
    target = np.frombuffer(image.bits(), np.uint8).reshape(height, image.bytesPerLine())
    target[:, :row_bytes] = rgb.reshape(height, row_bytes)
    return image


class CameraView(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._image: QImage | None = None
        self._progress = 0.0
        self.frames_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    @property
    def image(self) -> QImage | None:
        return self._image

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        if image is not None:
            self.frames_shown += 1
        self.update()

    def set_progress(self, progress: float) -> None:
        self._progress = max(0.0, min(1.0, progress))
        self.update()

    def clear(self) -> None:
        self._image = None
        self._progress = 0.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        image = self._image
        if image is not None and not image.isNull():
            size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) / 2
            y = (self.height() - size.height()) / 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(x, y, size.width(), size.height()), image)
        if self._progress > 0:
            bar = max(8, self.height() // 40)
            painter.fillRect(QRectF(0, self.height() - bar, self.width() * self._progress, bar), PROGRESS_COLOUR)
        painter.end()
