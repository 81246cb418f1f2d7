"""`kiosk demo`'s card keys: F5 places or takes away the ID card, F6 the citizen card.

Only the demo installs them. The keys move the card on the simulated reader (kiosk.devices.demo_cards);
the card watch sees it as it would a real card and the session and screens react on their own. The
window title names the keys and what lies on each reader now, so whoever tries the demo finds them
without reading anything else; nothing is added inside the kiosk's own screens.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from kiosk.devices.demo_cards import DemoCards
from ui.main_window import MainWindow

KEYS = {"idcard": Qt.Key.Key_F5, "citizencard": Qt.Key.Key_F6}


class DemoCardKeys(QObject):
    def __init__(self, window: MainWindow, cards: DemoCards) -> None:
        super().__init__(window)
        self.setObjectName("demo_card_keys")
        self.window = window
        self.cards = cards
        self.placed = {role: False for role in KEYS}
        for role, key in KEYS.items():
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setObjectName(f"demo_{role}_shortcut")
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda role=role: self.toggle(role))
        window.installEventFilter(self)
        self.show_title()

    def toggle(self, role: str) -> None:
        placed = self.cards.toggle(role)
        if placed is not None:
            self.placed[role] = placed
        self.show_title()

    def show_title(self) -> None:
        id_state = self.tr("已放上") if self.placed["idcard"] else self.tr("未放")
        citizen_state = self.tr("已插入") if self.placed["citizencard"] else self.tr("未插")
        hint = (self.tr("演示：F5 放上/取走身份证（%1），F6 插入/拔出市民卡（%2）")
                .replace("%1", id_state).replace("%2", citizen_state))
        # Qt adds the application's display name (政务服务自助终端) after it.
        self.window.setWindowTitle(hint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.show_title()
        return False


def install_demo_card_keys(window: MainWindow, cards: DemoCards) -> DemoCardKeys:
    return DemoCardKeys(window, cards)
