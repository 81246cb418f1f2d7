"""The home screen: a greeting and one large tile per service."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.tile import ServiceTile


@dataclass(frozen=True)
class ServiceEntry:
    key: str  # screen name the tile opens, and the tile's objectName is f"tile_{key}"
    title: str
    subtitle: str


SERVICES = (
    ServiceEntry("guide", "办事指南", "Service guides"),
    ServiceEntry("forms", "表格打印", "Print forms"),
    ServiceEntry("declare", "网上申报", "Apply online"),
    ServiceEntry("progress", "办件查询", "Check progress"),
    ServiceEntry("rating", "服务评价", "Rate our service"),
)


class HomeScreen(QWidget):
    service_requested = Signal(str)

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
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(16)
        grid = QGridLayout()
        grid.setSpacing(28)
        self.tiles: dict[str, ServiceTile] = {}
        for index, entry in enumerate(SERVICES):
            tile = ServiceTile(f"tile_{entry.key}", self.tr(entry.title), entry.subtitle, index, self)
            tile.clicked.connect(lambda _checked=False, key=entry.key: self.service_requested.emit(key))
            self.tiles[entry.key] = tile
            # Three on top, two wider ones below: the most used services sit where a hand reaches first.
            if index < 3:
                grid.addWidget(tile, 0, index * 2, 1, 2)
            else:
                grid.addWidget(tile, 1, (index - 3) * 3, 1, 3)
        for column in range(6):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid, 1)
        hint = QLabel(self.tr("轻触屏幕上的方块即可开始；如需帮助，请联系工作人员。"), self)
        hint.setProperty("role", "subtitle")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
