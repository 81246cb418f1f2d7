"""Resident-facing texts for the ID-card reader's message keys, Chinese first, then English.

The UI looks a key up here (errors carry `message_key`); technicians' output adds the error's `code`.
"""

from __future__ import annotations

from drivers.errors import DeviceError

MESSAGES: dict[str, tuple[str, str]] = {
    "idcard.no_card": ("请将身份证放在读卡区", "No card on the reader: place your ID card on the reader."),
    "idcard.place_again": ("证件未能读取，请取下后重新放置", "The card could not be read: lift it and place it again."),
    "idcard.unsupported_card": ("无法识别的证件类型，请使用居民身份证或居住证",
                                "This card type is not recognised: please use an ID card or residence permit."),
    "idcard.sam_fault": ("读卡器安全模块故障，请联系工作人员",
                         "The reader's security module has a fault: please ask a member of staff."),
    "idcard.reader_error": ("读卡器通信异常，请稍后重试",
                            "The card reader did not answer correctly: please try again."),
    "idcard.reader_no_answer": ("读卡器无响应，请稍后重试", "The card reader is not answering: please try again."),
    "idcard.reader_offline": ("读卡器未连接，请联系工作人员",
                              "The card reader is not connected: please ask a member of staff."),
    "idcard.reader_busy": ("读卡器正被其他程序使用", "The card reader is in use by another program."),
    "idcard.cancelled": ("读卡已取消", "Card reading was cancelled."),
    "idcard.photo_unavailable": ("本机未安装证件照片解码组件，无法显示照片",
                                 "The photo cannot be shown: no ID photo decoder is installed on this terminal."),
    # The generic keys of drivers.errors, for errors raised outside this package.
    "device.error": ("设备故障", "Device fault."),
    "device.not_found": ("未找到设备", "Device not found."),
    "device.timeout": ("设备无响应", "The device is not answering."),
    "device.disconnected": ("设备已断开", "The device was disconnected."),
    "device.busy": ("设备忙", "The device is busy."),
    "device.protocol": ("设备通信异常", "The device did not answer correctly."),
    "device.backend_unavailable": ("设备驱动未安装", "The device driver is not installed."),
}


def message(key: str) -> tuple[str, str]:
    """(Chinese, English) for a key; an unknown key gets the generic device text, never a KeyError."""
    return MESSAGES.get(key, MESSAGES["device.error"])


def message_for(error: DeviceError) -> tuple[str, str]:
    return message(error.message_key)
