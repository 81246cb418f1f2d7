"""Drain benchmark: the real SyncEngine delivers a full outbox to the reference platform over loopback HTTP.

What is measured (perf-baselines rows 8-9 give the limits of SQLite and of loopback HTTP on this machine):

1. enqueue: 10,000 submissions stored with `Outbox.add_submission` into a fresh `OfflineCache` (sealed,
   synchronous=FULL, one transaction each); 1,000 of them carry one 300 KiB attachment of random bytes
   (so every attachment is distinct). Only the `add_submission` calls are timed, not making the bytes.
2. drain: a reference platform is started as a subprocess on 127.0.0.1 (`python -m reference_platform
   --port 0 ...`, its "listening on" line gives the URL) and `SyncEngine.run_round()` is called in a loop
   until the outbox depth is 0. Printed: seconds, submissions/s, MB/s of attachment bytes; target < 30 s.
3. verification: `GET /admin/stats` must show exactly 10,000 submissions with one case per idempotency key,
   and every local item must be accepted with the case number the platform stored for its key
   (`GET /admin/submissions/{key}`).

Run (about a minute):

    .venv/bin/python bench/sync.py                 # 10,000 submissions, 1,000 attachments of 300 KiB
    .venv/bin/python bench/sync.py --quick         # 500 submissions, 50 attachments: a few seconds
    .venv/bin/python bench/sync.py --profile       # also cProfiles enqueue and drain (top 25)

Options: --items N, --attachments N, --attachment-kib N, --keep (leave the temporary directory), --seed N.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.config import SyncConfig  # noqa: E402
from kiosk.platform.client import PlatformClient  # noqa: E402
from kiosk.platform.sync import SyncEngine  # noqa: E402
from offline_cache.outbox import CapturedPage  # noqa: E402
from offline_cache.store import OfflineCache  # noqa: E402

TERMINAL = "T0001"
TOKEN = "bench-terminal-token"
ADMIN_TOKEN = "bench-admin-token"
SERVICE_CODES = ("330000-GA-XK-0001", "330000-GA-XK-0002", "330100-RS-SB-0013", "330106-GJJ-TQ-0004")
TARGET_DRAIN_S = 30.0
LOOPBACK_FLOOR_S = 10.0


# -- the reference platform as a subprocess ----------------------------------------------------------------------


@dataclass
class PlatformProcess:
    """`python -m reference_platform` on 127.0.0.1 with a free port; stop() sends SIGTERM."""

    proc: subprocess.Popen[str]
    url: str
    log_file: IO[str]

    @classmethod
    def start(cls, db: Path, log_path: Path, *extra: str, timeout_s: float = 30.0) -> PlatformProcess:
        log_file = log_path.open("w", encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "reference_platform", "--port", "0", "--db", str(db),
             "--terminal", f"{TERMINAL}:{TOKEN}", "--admin-token", ADMIN_TOKEN, *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=log_file, text=True,
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        line = proc.stdout.readline()  # blocks until the server prints its one line (or exits)
        if not line.startswith("listening on ") or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            log_file.close()
            raise RuntimeError(f"reference platform did not start: {line!r}; see {log_path}")
        return cls(proc, line.split("listening on ", 1)[1].strip(), log_file)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log_file.close()


class Admin:
    """The platform's /admin endpoints (docs/platform-api.md)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def stats(self, *, per_key: bool = True) -> dict[str, Any]:
        response = self.session.get(f"{self.url}/admin/stats", params=None if per_key else {"per_key": "0"},
                                    timeout=60)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def submission(self, key: str) -> dict[str, Any] | None:
        response = self.session.get(f"{self.url}/admin/submissions/{key}", timeout=30)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def faults(self, **switches: Any) -> dict[str, Any]:
        response = self.session.post(f"{self.url}/admin/faults", json=switches, timeout=30)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def close(self) -> None:
        self.session.close()


class TimedClient(PlatformClient):
    """The real client, also summing the wall time spent in HTTP calls (client stack + loopback + platform)."""

    http_s = 0.0
    calls = 0

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            return super()._send(method, path, **kwargs)
        finally:
            self.http_s += time.perf_counter() - started
            self.calls += 1


# -- submissions ---------------------------------------------------------------------------------------------------


def submission_parts(rng: random.Random, n: int, pages: int) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(service code, non-personal fields, personal fields) of a realistic declaration (~1.5 KB of JSON)."""
    fields = {
        "form": {
            "reason": "有效期满换领",
            "household_register_no": f"{rng.randrange(10**9):09d}",
            "previous_card_valid_until": "2026-12-31",
            "photo_source": "现场拍照",
            "remarks": "申请人持户口簿原件到场办理，材料齐全。" * 3,
            "sequence": n,
        },
        "delivery": {"method": rng.choice(["pickup", "express", "electronic"])},
        "attachments": [{"material": "居民户口簿", "pages": 1} for _ in range(pages)],
    }
    personal = {
        "name": rng.choice(["张三", "李四", "王五", "赵六"]) + rng.choice(["", "明", "华", "伟"]),
        "id_number": f"330106{rng.randrange(1950, 2005)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
                     f"{rng.randrange(1000):03d}{rng.choice('0123456789X')}",
        "phone": f"13{rng.randrange(10**9):09d}",
        "address": "浙江省杭州市西湖区文三路" + str(rng.randrange(1, 999)) + "号" + str(rng.randrange(1, 30)) + "幢",
        "identified_by": "id_card",
    }
    return rng.choice(SERVICE_CODES), fields, personal


def enqueue(cache: OfflineCache, *, items: int, with_attachment: int, attachment_bytes: int,
            rng: random.Random) -> tuple[list[str], float, int]:
    """Store `items` submissions, every (items/with_attachment)-th with one attachment; returns (uuids, s, bytes)."""
    every = items // with_attachment if with_attachment else 0
    uuids: list[str] = []
    spent = 0.0
    stored_bytes = 0
    for n in range(items):
        has_page = bool(every) and n % every == 0 and stored_bytes < with_attachment * attachment_bytes
        pages: list[CapturedPage] = []
        if has_page:
            pages = [CapturedPage(rng.randbytes(attachment_bytes), "image/jpeg", "camera", datetime.now(UTC), True)]
            stored_bytes += attachment_bytes
        service_code, fields, personal = submission_parts(rng, n, len(pages))
        started = time.perf_counter()
        item = cache.outbox.add_submission(service_code, fields, personal, pages)
        spent += time.perf_counter() - started
        uuids.append(item.uuid)
    return uuids, spent, stored_bytes


def drain(engine: SyncEngine, cache: OfflineCache, *, timeout_s: float) -> tuple[float, int, int]:
    """run_round() until the outbox is empty; returns (seconds, rounds, failed rounds)."""
    started = time.perf_counter()
    rounds = failed = 0
    while True:
        result = engine.run_round()
        rounds += 1
        if not result.reached_platform:
            failed += 1
            print(f"  round {rounds} did not reach the platform: {result.error}")
            time.sleep(0.2)
        if cache.outbox.stats().depth == 0:
            break
        if time.perf_counter() - started > timeout_s:
            print(f"  gave up after {timeout_s:.0f} s with {cache.outbox.stats().depth} item(s) left")
            break
    return time.perf_counter() - started, rounds, failed


def verify(admin: Admin, cache: OfflineCache, uuids: list[str]) -> list[str]:
    """Problems found (empty = exactly once, and local case numbers equal the platform's)."""
    problems: list[str] = []
    stats = admin.stats()
    idem = stats["idempotency"]
    per_key: dict[str, int] = idem["cases_per_key"]
    print(f"  platform: submissions={stats['submissions']} cases={stats['cases']} "
          f"attachments={stats['attachments']} heartbeats={stats['heartbeats']} requests={stats['requests']} "
          f"by status={stats['requests_by_status']}")
    print(f"  idempotency: keys={idem['keys']} min/max cases per key={idem['min_cases_per_key']}/"
          f"{idem['max_cases_per_key']} keys without exactly one case={len(idem['keys_without_exactly_one_case'])}")
    if stats["submissions"] != len(uuids):
        problems.append(f"platform holds {stats['submissions']} submissions, expected {len(uuids)}")
    if idem["keys_without_exactly_one_case"]:
        problems.append(f"{len(idem['keys_without_exactly_one_case'])} key(s) without exactly one case")
    missing_keys = [u for u in uuids if per_key.get(u) != 1]
    if missing_keys:
        problems.append(f"{len(missing_keys)} local key(s) without exactly one platform case, e.g. {missing_keys[0]}")
    started = time.perf_counter()
    not_accepted, mismatched = compare_cases(admin, cache, uuids)
    by_state = dict(cache.outbox.stats().by_state)
    print(f"  outbox: {by_state}; checked {len(uuids)} case numbers against the platform "
          f"in {time.perf_counter() - started:.1f} s")
    if not_accepted:
        problems.append(f"{not_accepted} local item(s) not accepted")
    if mismatched:
        problems.append(f"{mismatched} accepted local item(s) whose case number differs from the platform's")
    return problems


def compare_cases(admin: Admin, cache: OfflineCache, uuids: list[str]) -> tuple[int, int]:
    """How many of the local submissions are not accepted, and how many accepted ones hold a case number
    other than the one the platform answered with."""
    not_accepted = mismatched = 0
    for key in uuids:
        item = cache.outbox.get(key)
        stored = admin.submission(key)
        if item.state != "accepted":
            not_accepted += 1
        elif stored is None or stored["answer"]["case_no"] != item.case_no:
            mismatched += 1
    return not_accepted, mismatched


def print_profile(profile: cProfile.Profile, what: str, top: int = 25) -> None:
    for sort in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"\n-- cProfile of the {what}, top {top} by {sort} --")
        print(text[start:] if start >= 0 else text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 submissions, 50 attachments (a few seconds)")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--attachments", type=int, default=1_000, help="submissions with one attachment")
    parser.add_argument("--attachment-kib", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the drain and print the top functions")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.quick:
        args.items, args.attachments = 500, 50
    logging.basicConfig(level=logging.WARNING)
    attachment_bytes = args.attachment_kib * 1024
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    print(f"bench/sync.py: {args.items} submissions, {args.attachments} with a {args.attachment_kib} KiB attachment; "
          f"work dir {work}")
    platform: PlatformProcess | None = None
    cache = OfflineCache.open(work / "kiosk", terminal_id=TERMINAL)
    try:
        enqueue_profile = cProfile.Profile() if args.profile else None
        if enqueue_profile is not None:
            enqueue_profile.enable()
        uuids, enqueue_s, blob_bytes = enqueue(cache, items=args.items, with_attachment=args.attachments,
                                               attachment_bytes=attachment_bytes, rng=rng)
        if enqueue_profile is not None:
            enqueue_profile.disable()
        db_size = sum(p.stat().st_size for p in (work / "kiosk").glob("kiosk.db*"))
        print(f"enqueue: {enqueue_s:.2f} s, {args.items / enqueue_s:,.0f} records/s "
              f"(perf-baselines row 8: ~4,300/s at synchronous=FULL); outbox DB+WAL {db_size / 2**20:.0f} MiB")

        platform = PlatformProcess.start(work / "platform.db", work / "platform.log")
        client = TimedClient(platform.url, TERMINAL, TOKEN, timeout=(5.0, 60.0))
        engine = SyncEngine(cache, client, SyncConfig(), rng=random.Random(args.seed))
        profile = cProfile.Profile() if args.profile else None
        if profile is not None:
            profile.enable()
        drain_s, rounds, failed = drain(engine, cache, timeout_s=600)
        if profile is not None:
            profile.disable()
        engine.stop()
        verdict = "OK" if drain_s < TARGET_DRAIN_S else "OVER TARGET"
        print(f"drain: {drain_s:.2f} s in {rounds} round(s) ({failed} failed) — target < {TARGET_DRAIN_S:.0f} s "
              f"for 10,000 (loopback HTTP alone ~{LOOPBACK_FLOOR_S:.0f} s): {verdict}")
        print(f"  of which in HTTP calls (requests + loopback + platform): {client.http_s:.2f} s for {client.calls} "
              f"requests ({client.http_s / max(client.calls, 1) * 1000:.2f} ms each); the engine and outbox around "
              f"them: {drain_s - client.http_s:.2f} s")
        print(f"  {args.items / drain_s:,.0f} submissions/s, {blob_bytes / 1e6 / drain_s:,.1f} MB/s of attachments "
              f"({blob_bytes / 1e6:,.0f} MB in {args.attachments} attachments)")

        admin = Admin(platform.url)
        problems = verify(admin, cache, uuids)
        admin.close()
        print("verification: " + ("PASS (exactly once, case numbers match)" if not problems
                                  else "FAIL: " + "; ".join(problems)))
        if enqueue_profile is not None:
            print_profile(enqueue_profile, "enqueue (includes making the random bytes)")
        if profile is not None:
            print_profile(profile, "drain")
        return 0 if not problems else 1
    finally:
        cache.close()
        if platform is not None:
            platform.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
