"""PDF rendering benchmark: pre-filled two-page forms and receipts with the embedded Chinese font.

What is measured (perf-baselines row 4: reportlab's floor for a 2-page CJK form is about 15 ms with the
embedded WenQuanYi subset; the target is < 25 ms median):

1. first use in a fresh process: `import reportlab` and friends, then registering the TrueType font
   (once per process, as the kiosk does);
2. a pre-filled two-page form (shengyu_dengji, every identity field pre-filled plus typed values,
   written to memory): median, p95, min over `--runs` documents after one warm-up;
3. a receipt with its QR code: median, p95, min;
4. forms/s: 100 pre-filled forms of all five templates in turn, each written to a file, in one process.
   Also printed: the size of one form (the embedded subset dominates it).

Run:
    .venv/bin/python bench/forms.py            # 200 runs each (about 5 s)
    .venv/bin/python bench/forms.py --quick    # 20 runs each
Options: --runs N, --count N (documents for the forms/s figure), --keep DIR (leave the PDFs there).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

RESIDENT = {
    "name": "张秀英", "id_number": "330102195203071229", "gender": "女", "birth_date": "1952-03-07",
    "nation": "汉", "address": "浙江省杭州市上城区清波街道河坊街126号3幢2单元501室", "phone": "13812345678",
}
TYPED = {
    "shengyu_dengji": {"spouse_name": "王建国", "spouse_id_number": "11010519491231002X", "marital_status": "初婚",
                       "marriage_date": "2020-05-20", "child_order": "二孩", "pregnancy_status": "已怀孕",
                       "existing_children": "王小明，男，2021年6月1日出生"},
}


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"median {median:6.2f} ms   p95 {p95:6.2f} ms   min {ordered[0]:6.2f} ms   n={len(ordered)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    runs = 20 if args.quick else args.runs

    t0 = time.perf_counter()
    import reportlab.pdfgen.canvas  # noqa: F401

    from kiosk.forms.fonts import register_font
    from kiosk.forms.prefill import prefill
    from kiosk.forms.receipt import ReceiptData, render_receipt
    from kiosk.forms.renderer import render_form
    from kiosk.forms.template import bundled_templates, get_template

    t1 = time.perf_counter()
    register_font()
    t2 = time.perf_counter()
    print(f"imports (reportlab, kiosk.forms)      {1000 * (t1 - t0):7.1f} ms")
    print(f"font registration (once per process)  {1000 * (t2 - t1):7.1f} ms")

    printed_at = datetime(2026, 11, 27, 10, 30)
    template = get_template("shengyu_dengji")
    values = prefill(template, RESIDENT, TYPED["shengyu_dengji"])
    first = io.BytesIO()
    t = time.perf_counter()
    pages = render_form(template, first, values, printed_at=printed_at).pages
    first_ms = 1000 * (time.perf_counter() - t)
    assert pages == 2, pages
    size_kib = len(first.getvalue()) / 1024
    print(f"first pre-filled form                  {first_ms:7.1f} ms ({pages} pages, {size_kib:.1f} KiB)")

    form_ms = []
    for _ in range(runs):
        buf = io.BytesIO()
        t = time.perf_counter()
        render_form(template, buf, values, printed_at=printed_at)
        form_ms.append(1000 * (time.perf_counter() - t))
    print(f"pre-filled 2-page form                 {_stats(form_ms)}   (target < 25 ms median)")

    receipt = ReceiptData(
        receipt_no="T0001-00000042", terminal_id="T0001", station="示例社区服务中心",
        service_name="住房公积金提取（购房）", service_code="330000-GJJ-GG-0001", received_at=printed_at,
        applicant_name=RESIDENT["name"], applicant_id_number=RESIDENT["id_number"],
        materials=("居民身份证", "购房合同或不动产权证书", "购房发票或契税完税凭证", "本人银行卡"), delivery="邮政快递",
    )
    render_receipt(receipt, io.BytesIO(), printed_at=printed_at)
    receipt_ms = []
    for _ in range(runs):
        buf = io.BytesIO()
        t = time.perf_counter()
        render_receipt(receipt, buf, printed_at=printed_at)
        receipt_ms.append(1000 * (time.perf_counter() - t))
    print(f"receipt with QR code                   {_stats(receipt_ms)}")

    templates = sorted(bundled_templates().values(), key=lambda tpl: tpl.id)
    filled = [(tpl, prefill(tpl, RESIDENT, TYPED.get(tpl.id))) for tpl in templates]
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-forms-") as tmp:
        out_dir = args.keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        for i in range(args.count):
            tpl, vals = filled[i % len(filled)]
            render_form(tpl, out_dir / f"{i:03d}-{tpl.id}.pdf", vals, printed_at=printed_at)
        elapsed = time.perf_counter() - t
    print(f"{args.count} pre-filled forms to disk           {elapsed:7.2f} s = {args.count / elapsed:6.1f} forms/s "
          f"({len(templates)} templates in turn)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
