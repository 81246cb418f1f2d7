"""The strip along the top of every screen: station, network, devices, clock, the elder-mode switch and
the call-for-help button."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QDateTime, QEvent, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.status import DEVICE_ROLES, DeviceState, NetworkState, SystemStatus
from ui.i18n import QT_TRANSLATE_NOOP


class StatusStrip(QFrame):
    """Shows `SystemStatus`; lives on the GUI thread and only paints what it is given."""

    elder_mode_toggled = Signal(bool)
    help_requested = Signal()

    ROLE_NAMES: ClassVar[dict[str, str]] = {
        "idcard": QT_TRANSLATE_NOOP("StatusStrip", "身份证"),
        "citizencard": QT_TRANSLATE_NOOP("StatusStrip", "市民卡"),
        "printer": QT_TRANSLATE_NOOP("StatusStrip", "打印机"),
        "camera": QT_TRANSLATE_NOOP("StatusStrip", "高拍仪"),
        "scanner": QT_TRANSLATE_NOOP("StatusStrip", "扫描仪"),
    }

    def __init__(self, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_strip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 6, 20, 6)
        layout.setSpacing(16)
        self.station_label = QLabel(station, self)
        self.station_label.setObjectName("status_station")
        self.network_label = QLabel(self)
        self.network_label.setObjectName("status_network")
        self.devices_label = QLabel(self)
        self.devices_label.setObjectName("status_devices")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("status_clock")
        # The names and states give way (a second line) before the two buttons do: in English and elder type
        # on a 1080-px portrait screen the buttons were squeezed to "dard m" and "ll for he" (see _hold).
        for label in (self.station_label, self.network_label, self.devices_label):
            label.setWordWrap(True)
        self.elder_button = QPushButton(self)
        self.elder_button.setObjectName("elder_mode_button")
        self.elder_button.setProperty("role", "secondary")
        self.elder_button.setCheckable(True)
        self.elder_button.toggled.connect(self._on_elder_button_toggled)
        # On every screen, so a resident who is stuck anywhere can call staff.
        self.help_button = QPushButton(self.tr("呼叫工作人员"), self)
        self.help_button.setObjectName("help_button")
        self.help_button.setAccessibleName("呼叫工作人员 Call for help")
        self.help_button.clicked.connect(self.help_requested)
        layout.addWidget(self.station_label)
        layout.addStretch(1)
        layout.addWidget(self.network_label)
        layout.addWidget(self.devices_label)
        layout.addWidget(self.clock_label)
        layout.addWidget(self.elder_button)
        layout.addWidget(self.help_button)
        self._update_elder_text(False)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._tick()

    # The clock only runs while the strip is on screen, so a closed window leaves no timer behind.
    def showEvent(self, event: QShowEvent) -> None:
        self._clock.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._clock.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.clock_label.setText(QDateTime.currentDateTime().toString("MM-dd HH:mm"))

    def _on_elder_button_toggled(self, checked: bool) -> None:
        self._update_elder_text(checked)
        self.elder_mode_toggled.emit(checked)

    def _update_elder_text(self, on: bool) -> None:
        self.elder_button.setText(self.tr("标准模式") if on else self.tr("长辈模式 Elder"))
        # The text names where a tap goes (标准模式 while elder mode is on), but a screen reader says a
        # switch's name with its state: "标准模式, on" would say the opposite of what is so. The name stays
        # the mode the switch turns on; the description says what a tap does now.
        self.elder_button.setAccessibleName(self.tr("长辈模式 Elder"))
        self.elder_button.setAccessibleDescription(self.tr("已开启，点按回到标准模式") if on else "")
        self._hold_later()

    def _hold_later(self) -> None:
        # Once the buttons have the new text and style (elder type comes with the window's new sheet).
        QTimer.singleShot(0, self, self._hold)

    def _hold(self) -> None:
        """The buttons keep their whole text: the theme's min-width, an explicit minimum, would otherwise let
        the layout squeeze them as much as the labels beside them."""
        for button in (self.elder_button, self.help_button):
            button.setMinimumWidth(0)
            button.setMinimumWidth(button.sizeHint().width())

    def set_elder_mode(self, on: bool) -> None:
        self.elder_button.setChecked(on)

    _status: SystemStatus | None = None  # the last status shown, re-shown in a new language

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._update_elder_text(self.elder_button.isChecked())
            self.help_button.setText(self.tr("呼叫工作人员"))
            if self._status is not None:
                self.show_status(self._status)
        elif event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._hold_later()
        super().changeEvent(event)

    def show_status(self, status: SystemStatus) -> None:
        self._status = status
        network_text = {
            NetworkState.ONLINE: self.tr("网络：已连接"),
            NetworkState.OFFLINE: self.tr("网络：离线，申报将在联网后发送"),
            NetworkState.CREDENTIALS_REFUSED: self.tr("网络：终端凭据被拒绝，申报暂存本机"),
            NetworkState.UNKNOWN: self.tr("网络：检测中"),
            NetworkState.DISABLED: self.tr("离线模式"),
        }[status.network]
        if status.outbox_depth:
            network_text += self.tr("　待发送 %n 件", "", status.outbox_depth)
        self.network_label.setText(network_text)
        down = [self.tr(self.ROLE_NAMES[r]) for r in DEVICE_ROLES if status.device(r).state is DeviceState.OFFLINE]
        unknown = [r for r in DEVICE_ROLES if status.device(r).state is DeviceState.UNKNOWN]
        if down:
            self.devices_label.setText(self.tr("设备故障：") + "、".join(down))
        elif unknown:
            self.devices_label.setText(self.tr("设备：未检测"))
        else:
            self.devices_label.setText(self.tr("设备：正常"))
