"""Resident-facing text for every printer message key: Chinese first, English second.

Keys are `printer.<condition>` (drivers.printer.status.PrinterCondition) and the job outcomes raised by
drivers.printer.errors. The screen looks them up by `DeviceError.message_key` / `PrinterStatus.message_key`.
"""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    zh: str
    en: str


MESSAGES: dict[str, Message] = {
    "printer.ready": Message("打印机已就绪", "The printer is ready."),
    "printer.printing": Message("正在打印，请稍候", "Printing, please wait."),
    "printer.offline": Message("打印机未连接，暂时无法打印，请联系工作人员", "The printer is not connected. "
                               "Printing is not possible right now; please ask a member of staff."),
    "printer.paused": Message("打印机已暂停，暂时无法打印，请联系工作人员",
                              "The printer is paused. Please ask a member of staff."),
    "printer.media_empty": Message("打印机缺纸，请联系工作人员加纸",
                                   "The printer is out of paper. Please ask a member of staff to refill it."),
    "printer.media_low": Message("打印纸即将用完，仍可打印", "Paper is running low; printing still works."),
    "printer.media_jam": Message("打印机卡纸，请联系工作人员处理",
                                 "Paper is jammed in the printer. Please ask a member of staff."),
    "printer.door_open": Message("打印机舱门未关好，请联系工作人员",
                                 "A printer door is open. Please ask a member of staff."),
    "printer.toner_low": Message("墨粉不足，打印可能偏淡", "Toner is low; the print may be faint."),
    "printer.toner_empty": Message("墨粉已用完，暂时无法打印，请联系工作人员",
                                   "The toner is empty. Please ask a member of staff."),
    "printer.not_accepting": Message("打印机暂停接收任务，请联系工作人员",
                                     "The printer is not taking jobs. Please ask a member of staff."),
    "printer.other_error": Message("打印机故障，请联系工作人员",
                                   "The printer has a fault. Please ask a member of staff."),
    "printer.error": Message("打印失败，请联系工作人员", "Printing failed. Please ask a member of staff."),
    "printer.job_failed": Message("打印未完成，请联系工作人员",
                                  "The print did not finish. Please ask a member of staff."),
    "printer.job_timeout": Message("打印超时未完成，请联系工作人员",
                                   "Printing is taking too long. Please ask a member of staff."),
    "printer.canceled": Message("已取消打印", "Printing was canceled."),
    "printer.not_configured": Message("本终端未配置打印机", "This terminal has no printer."),
}


def message_for(key: str) -> Message:
    """The text for a message key; an unknown key falls back to the generic printer error, never to nothing."""
    return MESSAGES.get(key, MESSAGES["printer.error"])
