"""Exactly-once under kill -9: a sync process is SIGKILLed again and again while it drains the outbox.

How it works:

1. A data directory gets N submissions (default 400; every 5th with one attachment of 32-300 KiB random bytes)
   and a reference platform is started as a subprocess on 127.0.0.1.
2. `--kills` times (default 200): a child process (`python bench/crash.py --child DATA_DIR URL`) opens the
   OfflineCache, builds the real SyncEngine, prints "ready" and calls `engine.start()` (which first recovers
   items a previous kill left in 'sending'). The parent SIGKILLs it after a random delay after "ready":
   10 % within 0-3 ms (before the first request), 70 % within 0-300 ms, 20 % within 0.3-2 s. So that the
   queue lasts through all kills, the platform's `latency_ms` switch paces requests (chosen per kill from the
   items left and the kills left, times a random factor 0.5-1.5); a child killed while the platform sleeps on
   its request leaves the platform to store the submission without anyone hearing the answer. For about a
   quarter of the kills `drop_after_store` is 0.2 (stored, then the connection is closed without an answer).
   After each kill the parent looks at what was left behind and classifies the kill: no item in 'sending'
   (before the first request or between items), an item in 'sending' the platform does not hold (killed before
   the platform stored it), or one it does hold (killed after the platform stored it but before the outbox
   committed the answer).
3. All faults are reset and one child runs to completion.
4. Checked: the platform holds exactly the N submissions, every idempotency key has exactly one case, every
   local submission is accepted with the platform's case number, nothing pending. Prints PASS or FAIL.

The children use SyncConfig(backoff_base_s=0.05, backoff_cap_s=0.5) so a retry after a dropped answer comes
within half a second of real time (exactly-once does not depend on the delays; the schedule is fleet.py's
subject). `kiosk sync now` was not available when this was written, hence the small entry point here.

Run:

    .venv/bin/python bench/crash.py                  # 400 submissions, 200 kills: about 2-3 minutes on 2 cores
    .venv/bin/python bench/crash.py --quick          # 40 submissions, 12 kills: a few seconds
    .venv/bin/python bench/crash.py --items 1000 --kills 500 --seed 7
"""

from __future__ import annotations

import argparse
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sync import TERMINAL, TOKEN, Admin, PlatformProcess, compare_cases, submission_parts  # noqa: E402
from kiosk.config import SyncConfig  # noqa: E402
from kiosk.platform.client import PlatformClient  # noqa: E402
from kiosk.platform.sync import SyncEngine, SyncStatus  # noqa: E402
from kiosk.status import NetworkState  # noqa: E402
from offline_cache.outbox import CapturedPage  # noqa: E402
from offline_cache.store import OfflineCache  # noqa: E402

CHILD_SYNC = SyncConfig(backoff_base_s=0.05, backoff_cap_s=0.5)
READY_TIMEOUT_S = 30.0
FINAL_TIMEOUT_S = 300.0
ATTACHMENT_EVERY = 5


# -- the child: one kiosk sync process ------------------------------------------------------------------------


def child_main(data_dir: Path, url: str) -> int:
    """Open the cache, print 'ready', run the engine thread until the outbox is empty, print 'done'."""
    cache = OfflineCache.open(data_dir, terminal_id=TERMINAL)
    engine = SyncEngine(cache, PlatformClient(url, TERMINAL, TOKEN, timeout=(2.0, 10.0)), CHILD_SYNC)
    drained = threading.Event()

    def listener(status: SyncStatus) -> None:
        if status.depth == 0 and status.network is NetworkState.ONLINE:
            drained.set()

    engine.add_listener(listener)
    print("ready", flush=True)
    engine.start()
    finished = drained.wait(FINAL_TIMEOUT_S)
    engine.stop()
    print("done" if finished else "timeout", engine.status().depth, flush=True)
    cache.close()
    return 0 if finished else 1


# -- the parent -------------------------------------------------------------------------------------------------


def prepare(data_dir: Path, items: int, rng: random.Random) -> tuple[OfflineCache, list[str]]:
    cache = OfflineCache.open(data_dir, terminal_id=TERMINAL)
    uuids = []
    for n in range(items):
        pages = []
        if n % ATTACHMENT_EVERY == 0:
            size = rng.randrange(32, 301) * 1024
            pages = [CapturedPage(rng.randbytes(size), "image/jpeg", "camera", datetime.now(UTC), True)]
        service_code, fields, personal = submission_parts(rng, n, len(pages))
        uuids.append(cache.outbox.add_submission(service_code, fields, personal, pages).uuid)
    return cache, uuids


def spawn_child(data_dir: Path, url: str, log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(data_dir), url],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
    )


def read_line(proc: subprocess.Popen[str], timeout_s: float) -> str | None:
    """The child's next stdout line, or None if it exits or says nothing within `timeout_s`."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    if not ready:
        return None
    line = proc.stdout.readline()
    return line.strip() or None


def kill_delay(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.10:
        return rng.uniform(0.0, 0.003)
    if roll < 0.80:
        return rng.uniform(0.0, 0.300)
    return rng.uniform(0.300, 2.0)


MEAN_DELAY_S = 0.10 * 0.005 + 0.70 * 0.150 + 0.20 * 1.15
REQUESTS_PER_ITEM = 1 + 2 / ATTACHMENT_EVERY  # HEAD + PUT before the submission of every 5th item


def pacing_latency_ms(pending: int, kills_left: int, rng: random.Random) -> float:
    """Platform latency that spreads the `pending` items over the kills left (randomised ±50 %)."""
    if pending <= 0 or kills_left <= 0:
        return 0.0
    per_kill = pending / kills_left
    latency = 1000 * MEAN_DELAY_S / (per_kill * REQUESTS_PER_ITEM) - 2.0
    return round(max(0.0, min(250.0, latency)) * rng.uniform(0.5, 1.5), 1)


def sending_items(cache: OfflineCache) -> list[tuple[str, str]]:
    with cache.db.read() as conn:
        return [(u, k) for u, k in conn.execute("SELECT uuid, kind FROM outbox_item WHERE state = 'sending'")]


def accepted_count(cache: OfflineCache) -> int:
    return cache.outbox.stats().by_state["accepted"]


def classify(cache: OfflineCache, admin: Admin, client: PlatformClient, accepted_before: int,
             latency_ms: float) -> str:
    sending = sending_items(cache)
    if not sending:
        return "no item in flight: before the first request" if accepted_count(cache) == accepted_before \
            else "no item in flight: between items / after the drain"
    uuid, kind = sending[0]
    if kind != "submission":
        return f"{kind} in flight"
    # The platform may still be sleeping on the request (latency switch): let it finish before looking.
    time.sleep(latency_ms / 1000 + 0.05)
    if admin.submission(uuid) is None:
        refs = cache.outbox.get(uuid).attachments
        if not refs:
            return "submission in flight, never stored by the platform"
        if all(client.has_attachment(ref.sha256) for ref in refs):
            return "submission (attachment already on the platform) in flight, never stored by the platform"
        return "submission in flight during its attachment upload (HEAD/PUT), blob not on the platform"
    return "submission stored by the platform, answer not committed locally"


def parent_main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-crash-"))
    data_dir = work / "kiosk"
    print(f"bench/crash.py: {args.items} submissions, {args.kills} kills, seed {args.seed}; work dir {work}")
    cache, uuids = prepare(data_dir, args.items, rng)
    platform = PlatformProcess.start(work / "platform.db", work / "platform.log")
    admin = Admin(platform.url)
    probe = PlatformClient(platform.url, TERMINAL, TOKEN)  # HEAD /attachments/... to classify kills
    child_log = (work / "children.log").open("w", encoding="utf-8")
    phases: Counter[str] = Counter()
    finished_early = drop_rounds = 0
    try:
        # Rounds go on until `--kills` children were really killed; one that finished first does not count.
        kills = k = 0
        while kills < args.kills:
            drop = 0.2 if rng.random() < 0.25 else 0.0
            drop_rounds += drop > 0
            latency = pacing_latency_ms(cache.outbox.stats().depth, args.kills - kills, rng)
            admin.faults(latency_ms=latency, drop_after_store=drop, seed=rng.randrange(2**31))
            before = accepted_count(cache)
            proc = spawn_child(data_dir, platform.url, child_log)
            line = read_line(proc, READY_TIMEOUT_S)
            if line != "ready":
                proc.kill()
                proc.wait()
                raise RuntimeError(f"child {k} did not report ready (said {line!r}); see {work / 'children.log'}")
            time.sleep(kill_delay(rng))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            else:
                finished_early += 1
            k += 1
            proc.wait()
            assert proc.stdout is not None
            proc.stdout.close()
            phases[classify(cache, admin, probe, before, latency)] += 1
            if kills % 50 == 0 and proc.returncode == -signal.SIGKILL:
                print(f"  {kills} kills, {time.monotonic() - started:.0f} s, "
                      f"{accepted_count(cache)} items accepted, depth {cache.outbox.stats().depth}")
        # Finally one child without faults and without a kill.
        admin.faults(reset=True)
        proc = spawn_child(data_dir, platform.url, child_log)
        final_lines = [read_line(proc, READY_TIMEOUT_S), read_line(proc, FINAL_TIMEOUT_S)]
        proc.wait(30)
        assert proc.stdout is not None
        proc.stdout.close()
        return report(args, cache, admin, uuids, phases, finished_early, drop_rounds, final_lines, started)
    finally:
        child_log.close()
        probe.close()
        admin.close()
        cache.close()
        platform.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, cache: OfflineCache, admin: Admin, uuids: list[str], phases: Counter[str],
           finished_early: int, drop_rounds: int, final_lines: list[str | None], started: float) -> int:
    stats = admin.stats()
    per_key: dict[str, int] = stats["idempotency"]["cases_per_key"]
    bad_keys = [k for k, n in per_key.items() if n != 1]
    not_accepted, mismatched = compare_cases(admin, cache, uuids)
    outbox = cache.outbox.stats()
    rejected = cache.outbox.rejected()
    print(f"final child: {final_lines}")
    print("where the kills landed (after-the-fact classification):")
    for phase, count in sorted(phases.items(), key=lambda p: -p[1]):
        print(f"  {count:4d}  {phase}")
    print(f"  ({finished_early} child(ren) had already exited when the kill was due; "
          f"{drop_rounds} kill rounds ran with drop_after_store=0.2)")
    print(f"platform requests by status: {stats['requests_by_status']} ('0' = dropped by the fault; the parent's "
          "HEAD probes are counted too)")
    checks = {
        "kills done": (args.kills, None),
        "submissions queued": (len(uuids), None),
        "submissions on the platform": (stats["submissions"], len(uuids)),
        "keys with != 1 case": (len(bad_keys) + len(stats["idempotency"]["keys_without_exactly_one_case"]), 0),
        "local submissions not accepted": (not_accepted, 0),
        "local accepted items whose case number differs from the platform's": (mismatched, 0),
        "items still pending (pending+sending, incl. heartbeats)": (outbox.depth, 0),
        "items rejected (quarantined)": (len(rejected), 0),
    }
    ok = True
    for name, (value, expected) in checks.items():
        flag = "" if expected is None else ("  ok" if value == expected else f"  EXPECTED {expected}")
        ok = ok and (expected is None or value == expected)
        print(f"  {name}: {value}{flag}")
    for item in rejected[:5]:
        print(f"    rejected {item.receipt_no} {item.kind}: {item.last_error}")
    print(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("DATA_DIR", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="40 submissions, 12 kills (a few seconds)")
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (platform.log, children.log)")
    args = parser.parse_args(argv)
    if args.child:
        return child_main(Path(args.child[0]), args.child[1])
    if args.quick:
        args.items, args.kills = 40, 12
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
