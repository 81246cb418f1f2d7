"""Declaration benchmark: how long the resident waits between 提交申报 and 已提交.

Submitting commits the declaration to the encrypted outbox (kiosk/resident/declaration.py `submit` →
Outbox.add_submission: AES-GCM sealing of the personal data and of every page, one SQLite transaction,
fsync) before the screen may say it is submitted. Measured with a realistic declaration: 住房公积金提取
(购房), the form filled, two materials of one A4 page each captured at 150 dpi (about 1.3 MB as JPEG,
made from noise so they do not compress away), on the data directory's disk:

1. `attach`: turning one captured page into an outbox attachment (size check, hash);
2. `submit`: median, p95 and max over `--runs` declarations into one outbox (it grows as on a terminal
   that was offline for a while).

perf-baselines: an SQLite commit with fsync costs a few ms on an SSD; sealing 1 MB with AES-GCM about
1 ms. Target: submit under 200 ms median, so 已提交 appears at once.

Run:
    .venv/bin/python bench/declare.py                 # 30 declarations
    .venv/bin/python bench/declare.py --runs 100 --dir /var/lib/gov-kiosk/bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import tempfile
import time
from pathlib import Path

PURCHASE = "330000-GJJ-GG-0001"
FORM = {"phone": "13912345678", "account_no": "12345678", "employer": "示例公司",
        "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
        "bank_account": "6222000011112222", "reason": "购买商品住房"}


def page_jpeg(seed: int) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    # A4 at 150 dpi, mostly white paper with printed-looking noise: a JPEG of roughly the size a camera page has.
    pixels = np.full((1754, 1240), 235, dtype=np.uint8)
    pixels[rng.random(pixels.shape) < 0.08] = 30
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=85, dpi=(150, 150))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dir", type=Path, help="data directory to use (default: a temporary one)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of 5 declarations")
    args = parser.parse_args()
    if args.quick:
        args.runs = 5

    from kiosk.config import sample_catalog_path
    from kiosk.identity.resident import Gender, IdentitySource, Resident
    from kiosk.resident.declaration import Declaration, submit
    from kiosk.resident.materials import attach
    from offline_cache.catalog import parse_items
    from offline_cache.store import OfflineCache

    raw = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]
    item = next(i for i in parse_items(raw) if i.code == PURCHASE)
    resident = Resident(source=IdentitySource.ID_CARD, name="测试样例", id_number="330106199003070014",
                        gender=Gender.MALE, birth_date=dt.date(1990, 3, 7), nation="汉",
                        address="浙江省杭州市西湖区测试路1号")
    pages = [page_jpeg(seed) for seed in range(2 * args.runs)]
    print(f"page size: {statistics.mean(len(p) for p in pages) / 1024:.0f} KiB on average")

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.dir or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        cache = OfflineCache.open(data_dir, terminal_id="T0001")
        attach_ms: list[float] = []
        submit_ms: list[float] = []
        try:
            for run in range(args.runs):
                declaration = Declaration(item, resident)
                for field_id, value in FORM.items():
                    declaration.set_value(field_id, value)
                for n, material in enumerate(("购房合同或不动产权证书", "本人银行卡或银行账户信息")):
                    start = time.perf_counter()
                    attachment = attach(pages[2 * run + n], item=item, material=material, device="camera",
                                        captured_at=dt.datetime.now(dt.UTC), identified_by_card=True)
                    attach_ms.append((time.perf_counter() - start) * 1000)
                    declaration.attach(attachment)
                declaration.waive("购房发票或契税完税凭证")
                start = time.perf_counter()
                submit(cache.outbox, declaration)
                submit_ms.append((time.perf_counter() - start) * 1000)
        finally:
            cache.close()
    attach_ms.sort()
    submit_ms.sort()
    print(f"attach one page:  median {statistics.median(attach_ms):7.1f} ms   max {attach_ms[-1]:7.1f} ms")
    p95 = submit_ms[int(0.95 * (len(submit_ms) - 1))]
    print(f"submit (2 pages): median {statistics.median(submit_ms):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {submit_ms[-1]:7.1f} ms   ({args.runs} declarations)")


if __name__ == "__main__":
    main()
