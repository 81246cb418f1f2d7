"""The service guide's "how to apply" lines, worded once for the screen (kiosk/resident/guides.py) and
for the print-out (kiosk/forms/guide_printout.py): the paper a resident takes home must say what the
screen said, above all whether the service can be declared at this terminal. No reportlab here, so the
guide screen does not load it."""

from __future__ import annotations


def here_text(declarable_here: bool) -> str:
    return "可以在这里申报" if declarable_here else "不能在这里申报，请到窗口办理"


def online_text(online: bool) -> str:
    return "可以网上申报" if online else "需要到现场办理"


def delivery_text(express: bool) -> str:
    return "可以快递送达" if express else "到窗口领取"
