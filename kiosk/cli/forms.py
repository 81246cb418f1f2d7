"""`kiosk forms list|render|guide` and `kiosk print`: forms and the printer from a technician's shell.

Nothing personal is printed on the terminal: problems name fields by their label, never by value.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from drivers.errors import DeviceError
from drivers.printer.messages import message_for
from kiosk.config import Config, sample_catalog_path
from kiosk.devices.printer import make_printer
from kiosk.forms.fonts import FontMissing
from kiosk.forms.guide_printout import render_guide
from kiosk.forms.prefill import PrefillError, prefill, read_prefill_file
from kiosk.forms.renderer import FormOverflow, render_form
from kiosk.forms.template import TemplateError, bundled_templates, get_template
from kiosk.forms.validation import validate
from kiosk.runtime import SetupError, open_cache
from offline_cache.catalog import ServiceItem, parse_items
from offline_cache.errors import CacheError

EXIT_OK = 0
EXIT_FAILED = 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    forms = sub.add_parser("forms", help="application forms, guide print-outs: list, render, guide")
    actions = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the form templates this kiosk has")
    listing.add_argument("--json", action="store_true")
    render = actions.add_parser("render", help="render a form to PDF, blank or pre-filled")
    render.add_argument("form_id", metavar="FORM_ID")
    render.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    render.add_argument("--prefill", type=Path, metavar="FILE.json",
                        help='identity fields {"name": …, "id_number": …} or {"identity": {…}, "fields": {…}}')
    render.add_argument("--allow-overflow", action="store_true",
                        help="render even if a value does not fit (cut values end with …)")
    guide = actions.add_parser("guide", help="render the service guide of a catalogue item to PDF")
    guide.add_argument("code", metavar="CODE", help="service item code, e.g. 330000-WJ-QR-0001")
    guide.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")

    printing = sub.add_parser("print", help="print a PDF on the configured printer and wait for the outcome")
    printing.add_argument("file", type=Path, metavar="FILE.pdf")
    printing.add_argument("--queue", metavar="NAME", help="CUPS queue (default: devices.printer.queue)")
    printing.add_argument("--timeout", type=float, metavar="SECONDS",
                          help="give up after this long (default: devices.printer.job_timeout_s)")


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        if args.command == "print":
            return _print(args, config, data_dir)
        if args.forms_command == "list":
            return _list(args)
        if args.forms_command == "render":
            return _render(args)
        return _guide(args, config, data_dir)
    except (TemplateError, PrefillError, FontMissing, SetupError, CacheError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _list(args: argparse.Namespace) -> int:
    templates = sorted(bundled_templates().values(), key=lambda t: t.id)
    if args.json:
        rows = [{"id": t.id, "title": t.title, "title_en": t.title_en, "department": t.department,
                 "version": t.version, "services": list(t.services), "fields": len(list(t.fields()))}
                for t in templates]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    for t in templates:
        print(f"{t.id:<20} {t.title}  [{t.department}; {len(list(t.fields()))} fields; {', '.join(t.services)}]")
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    template = get_template(args.form_id)
    values: dict[str, str] = {}
    if args.prefill is not None:
        identity, fields = read_prefill_file(args.prefill)
        values = prefill(template, identity, fields)
        # Empty required fields are normal on a pre-filled form (the resident writes them); wrong values are not.
        for problem in validate(template, values):
            if problem.code != "required":
                print(f"注意 / check: 「{problem.label}」 {problem.zh} / {problem.en}", file=sys.stderr)
    try:
        result = render_form(template, args.out, values, allow_overflow=args.allow_overflow)
    except FormOverflow as exc:
        for overflow in exc.overflows:
            print(f"放不下 / does not fit: {overflow.describe()}", file=sys.stderr)
        print("未生成 / not written (use --allow-overflow to render anyway)", file=sys.stderr)
        return EXIT_FAILED
    for overflow in result.overflows:
        print(f"已截断 / cut: {overflow.describe()}", file=sys.stderr)
    kind = "pre-filled" if values else "blank"
    print(f"已生成 / written: {args.out} ({template.title}, {kind}, {result.pages} pages)")
    return EXIT_FAILED if result.overflows else EXIT_OK


def _find_item(code: str, config: Config, data_dir: Path) -> ServiceItem | None:
    cache = open_cache(config, data_dir)
    try:
        if cache.catalog.version() is not None:
            return cache.catalog.get(code)
    finally:
        cache.close()
    # No catalogue imported yet: the bundled sample is what the kiosk would show.
    items = parse_items(json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"])
    return next((item for item in items if item.code == code), None)


def _guide(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    item = _find_item(args.code, config, data_dir)
    if item is None:
        print(f"错误 / error: no service item {args.code!r} in the catalogue", file=sys.stderr)
        return EXIT_FAILED
    pages = render_guide(item, args.out, station=config.terminal.station)
    print(f"已生成 / written: {args.out} ({item.name} 办事指南, {pages} pages)")
    return EXIT_OK


def _print(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        printer = make_printer(config, data_dir, args.queue)
        result = printer.print_pdf(args.file, f"kiosk-{args.file.stem}", timeout_s=args.timeout)
    except DeviceError as exc:
        text = message_for(exc.message_key)
        print(f"打印失败 / print failed: {text.zh} / {text.en}", file=sys.stderr)
        print(f"  {exc.code}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已打印 / printed: job {result.job_id} on {result.queue}")
    after = result.status_after
    if after.condition.value not in ("ready", "printing"):
        text = message_for(after.message_key)
        print(f"注意 / note: {text.zh} / {text.en}")
    return EXIT_OK
