"""`kiosk devices probe|test printer`: the printer from a technician's shell.

    kiosk devices probe printer [--queue NAME] [--json]   queues on the server and the chosen one's state
    kiosk devices test printer [--queue NAME]             prints a one-page test sheet and waits for it
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from drivers.errors import DeviceError
from drivers.printer.messages import message_for
from kiosk.config import Config
from kiosk.devices.printer import make_printer
from kiosk.forms.test_page import render_test_page

EXIT_OK = 0
EXIT_FAILED = 1


def _say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


def register(
    probe: argparse._SubParsersAction[argparse.ArgumentParser],
    test: argparse._SubParsersAction[argparse.ArgumentParser],
    simulate: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = probe.add_parser("printer", help="printer: the server's queues and the configured queue's state")
    p.add_argument("--queue", help="override devices.printer.queue")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_probe)
    t = test.add_parser("printer", help="print a test sheet and wait until it is out")
    t.add_argument("--queue", help="override devices.printer.queue")
    t.add_argument("--timeout", type=float, default=None, metavar="SECONDS")
    t.set_defaults(handler=_test)


def _failed(exc: DeviceError) -> int:
    text = message_for(exc.message_key)
    _say(f"失败 / failed: {text.zh} / {text.en}", error=True)
    _say(f"  {exc.code}: {exc}", error=True)
    return EXIT_FAILED


def _probe(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        printer = make_printer(config, data_dir, args.queue)
        queues = printer.queues()
        status = printer.printer_status()
    except DeviceError as exc:
        return _failed(exc)
    health = status.device_status()
    if args.json:
        _say(json.dumps({
            "backend": config.devices.printer.backend,
            "queues": [{"name": q.name, "description": q.description, "default": q.is_default} for q in queues],
            "queue": status.queue,
            "state": health.state.value,
            "conditions": [c.value for c in status.conditions],
            "message": status.message,
            "reasons": list(status.reasons),
            "accepting": status.accepting,
        }, ensure_ascii=False, indent=1))
        return EXIT_OK
    _say(f"后端 / backend: {config.devices.printer.backend}")
    for q in queues:
        _say(f"  {'*' if q.is_default else ' '} {q.name}  {q.description}")
    text = message_for(status.message_key)
    _say(f"队列 / queue {status.queue}: {health.state.value} — {text.zh} / {text.en}")
    if status.message:
        _say(f"  printer says: {status.message}")
    return EXIT_OK


def _test(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "test-page.pdf"
        render_test_page(pdf, config)
        try:
            printer = make_printer(config, data_dir, args.queue)
            result = printer.print_pdf(pdf, "kiosk-test-page", timeout_s=args.timeout)
        except DeviceError as exc:
            return _failed(exc)
    _say(f"已打印 / printed: test page, job {result.job_id} on {result.queue}")
    return EXIT_OK
