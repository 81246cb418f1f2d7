"""The home screen: a greeting and one large tile per service."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import QT_TRANSLATE_NOOP, current_language, toggle_language
from ui.widgets.corner_taps import CornerTaps
from ui.widgets.tile import ServiceTile


@dataclass(frozen=True)
class ServiceEntry:
    key: str  # screen name the tile opens, and the tile's objectName is f"tile_{key}"
    title: str
    subtitle: str


SERVICES = (
    ServiceEntry("guide", QT_TRANSLATE_NOOP("HomeScreen", "办事指南"), "Service guides"),
    ServiceEntry("forms", QT_TRANSLATE_NOOP("HomeScreen", "表格打印"), "Print forms"),
    ServiceEntry("declare", QT_TRANSLATE_NOOP("HomeScreen", "网上申报"), "Apply online"),
    ServiceEntry("progress", QT_TRANSLATE_NOOP("HomeScreen", "办件查询"), "Check progress"),
    ServiceEntry("rating", QT_TRANSLATE_NOOP("HomeScreen", "服务评价"), "Rate our service"),
)


class HomeScreen(QWidget):
    service_requested = Signal(str)
    prompt = "您好，请选择要办理的业务。"  # spoken by ui/voice.py when the screen appears

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home_screen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 40)
        layout.setSpacing(12)
        title = QLabel(self.tr("您好，请选择要办理的业务"), self)
        title.setObjectName("home_title")
        title.setProperty("role", "title")
        subtitle = QLabel("Hello, please choose a service", self)
        subtitle.setProperty("role", "subtitle")
        subtitle.setProperty("otherLanguage", True)  # the other language's line, deliberately
        self.title_label, self.subtitle_label = title, subtitle
        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(subtitle)
        heading.addLayout(titles, 1)
        # Labelled in the language it switches to, so a resident who cannot read the current one finds it.
        self.language_button = QPushButton(self)
        self.language_button.setObjectName("language_button")
        self.language_button.setProperty("role", "secondary")
        self.language_button.clicked.connect(toggle_language)
        self.language_button.setProperty("otherLanguage", True)
        heading.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        layout.addSpacing(16)
        self.grid = QGridLayout()
        self.grid.setSpacing(28)
        self.tiles: dict[str, ServiceTile] = {}
        for index, entry in enumerate(SERVICES):
            tile = ServiceTile(f"tile_{entry.key}", self.tr(entry.title), entry.subtitle, index, self)
            tile.clicked.connect(lambda _checked=False, key=entry.key: self.service_requested.emit(key))
            tile.subtitle_label.setProperty("otherLanguage", True)
            self.tiles[entry.key] = tile
        self.orientation = ""
        self.set_orientation("landscape")
        layout.addLayout(self.grid, 1)
        hint = QLabel(self.tr("轻触屏幕上的方块即可开始；如需帮助，请联系工作人员。"), self)
        hint.setObjectName("home_hint")
        self.hint_label = hint
        hint.setProperty("role", "subtitle")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        # The technician's hidden entry: five taps in the top-left corner ask the main window for the
        # PIN pad through the same signal as a tile, so the window needs no hook of its own.
        self.corner_taps = CornerTaps(self)
        self.corner_taps.triggered.connect(lambda: self.service_requested.emit("setup_pin"))
        self.retranslate()

    def set_orientation(self, orientation: str) -> None:
        """Lays the tiles out for a landscape or a portrait screen (ui/screen_fit.py)."""
        if orientation == self.orientation:
            return
        self.orientation = orientation
        grid = self.grid
        for tile in self.tiles.values():
            grid.removeWidget(tile)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        portrait = orientation == "portrait"
        for index, tile in enumerate(self.tiles.values()):
            if portrait:
                # Two to a row down the tall screen, the last one the whole width: tiles as wide as the
                # landscape ones, in the height a portrait screen has to spare.
                columns = 2 if index == len(self.tiles) - 1 else 1
                grid.addWidget(tile, index // 2, (index % 2), 1, columns)
            elif index < 3:
                # Three on top, two wider ones below: the most used services sit where a hand reaches first.
                grid.addWidget(tile, 0, index * 2, 1, 2)
            else:
                grid.addWidget(tile, 1, (index - 3) * 3, 1, 3)
        rows, columns = (3, 2) if portrait else (2, 6)
        for row in range(rows):
            grid.setRowStretch(row, 1)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    def retranslate(self) -> None:
        """Re-sets every text in the current language; in English the second line shows the Chinese."""
        english = current_language() != "zh_CN"
        self.title_label.setText(self.tr("您好，请选择要办理的业务"))
        self.subtitle_label.setText("您好，请选择要办理的业务" if english else "Hello, please choose a service")
        self.hint_label.setText(self.tr("轻触屏幕上的方块即可开始；如需帮助，请联系工作人员。"))
        self.language_button.setText("中文" if english else "English")
        for entry in SERVICES:
            tile = self.tiles[entry.key]
            title = QCoreApplication.translate("HomeScreen", entry.title)
            tile.title_label.setText(title)
            tile.subtitle_label.setText(entry.title if english else entry.subtitle)
            tile.setAccessibleName(f"{title} {tile.subtitle_label.text()}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
