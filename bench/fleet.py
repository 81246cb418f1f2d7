"""Fleet simulation: 2,000 terminals whose link returns at the same moment after a long outage.

A discrete-event simulation in simulated time (no sleeping, no network). Every terminal runs the REAL
`kiosk.platform.schedule.DrainSchedule` and `kiosk.background.Backoff` with the defaults of `kiosk.config.SyncConfig`
(interval 30 s, backoff base 2 s, cap 900 s, heartbeat every 300 s), and its rounds follow
`SyncEngine._round` step by step:

- a round first queues a heartbeat if 300 s have passed since the last one was queued and no heartbeat is
  still unsent (one waits in the outbox at a time, also while offline);
- then it sends the oldest due item, one request at a time: a submission with an attachment is HEAD (404 the
  first time) + PUT + POST, as `_send_submission` does; a plain submission or a heartbeat is one POST;
- on a failure the round stops; the item stays due at once after a link failure (no answer) and gets its own
  backoff only after three answered failures (`SyncEngine._item_delay`); the next round comes from
  `DrainSchedule.after_failure(now, retry_after)`;
- when nothing is due it pulls the catalogue (one GET) if `catalog_interval_s` has passed, or if the round
  delivered nothing while the link is not known to be up; the next round comes from
  `DrainSchedule.after_success(now, more_due)` (at once when items are still due, else after 30 s).

The outage: from t = -outage every request fails at once (connection refused); each terminal's outbox fills
with 0-200 submissions (log-normal, median 30, capped at 200; ~10 % with one attachment) created at random
moments of the outage. At t = 0 the link returns. The platform model admits at most `--capacity` requests in
each calendar second and answers the rest `503` with `Retry-After: --retry-after`; an admitted request takes
the round-trip time (`--rtt-ms`, default 20) plus a service time (5 ms, 30 ms for an attachment PUT), a 503
takes the round trip plus 1 ms. No new items arrive after t = 0.

Printed for the real schedule and, for comparison, for a naive one (the same DrainSchedule with a fixed 30 s
retry and no jitter, per round and per item): the peak number of distinct terminals sending requests in any
one second after t = 0 and the peak requests in one second (also as a share of the fleet), how long until each
outbox is empty (p50 / p95 / max), the 503s, and the criterion "no second sees more than a tenth of the
terminals calling at once".

Run:

    .venv/bin/python bench/fleet.py                                 # 2,000 terminals, 12 h outage (~1-2 min)
    .venv/bin/python bench/fleet.py --quick                         # 200 terminals, 1 h outage (seconds)
    .venv/bin/python bench/fleet.py --terminals 5000 --outage-h 48 --capacity 300 --seed 3 --retry-after 1
    .venv/bin/python bench/fleet.py --aligned                       # every terminal's rounds in phase at start
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.background import Backoff  # noqa: E402
from kiosk.config import SyncConfig  # noqa: E402
from kiosk.platform.schedule import DrainSchedule  # noqa: E402

DEFAULTS = SyncConfig()
REFUSED_S = 0.001  # a refused connection fails at once
SERVICE_S = {"head": 0.005, "put": 0.030, "post": 0.005, "heartbeat": 0.005, "catalog": 0.005}
HORIZON_S = 6 * 3600.0
ITEM_FAILURES_BEFORE_OWN_BACKOFF = 3  # as kiosk.platform.sync  # give up simulating this long after the link returns


@dataclass(frozen=True)
class FixedDelay(Backoff):
    """The naive schedule: always `cap_s` after a failure, no growth, no jitter."""

    def delay(self, failures: int, rng: random.Random) -> float:
        return self.cap_s if failures > 0 else 0.0


@dataclass(eq=False)
class Item:
    seq: int
    kind: str  # "submission", "attachment" (a submission with one attachment), "heartbeat"
    created: float
    next_attempt: float
    attempts: int = 0
    uploaded: bool = False


@dataclass(eq=False)
class Terminal:
    index: int
    rng: random.Random
    backoff: Backoff
    schedule: DrainSchedule
    heartbeat_queued_at: float
    future: list[Item]  # not yet created, by creation time
    outbox: list[Item] = field(default_factory=list)  # by seq (oldest first)
    seq: int = 0
    item: Item | None = None  # the item in hand during a round
    steps: list[str] = field(default_factory=list)  # its requests still to send
    empty_at: float | None = None
    heartbeats_at_return: int = 0
    out_of_order: int = 0
    online: bool = False
    delivered_in_round: int = 0
    catalog_pulled_at: float = -math.inf

    def next_due(self, now: float) -> Item | None:
        for item in self.outbox:
            if item.next_attempt <= now:
                return item
        return None


@dataclass
class Platform:
    capacity: int
    retry_after: float
    rtt: float
    window: int = -10**9
    admitted: int = 0
    rejected_total: int = 0

    def answer(self, now: float, kind: str) -> tuple[bool, float]:
        """(admitted, seconds until the terminal has the answer)."""
        second = math.floor(now)
        if second != self.window:
            self.window, self.admitted = second, 0
        if self.admitted < self.capacity:
            self.admitted += 1
            return True, self.rtt + SERVICE_S[kind]
        self.rejected_total += 1
        return False, self.rtt + 0.001


@dataclass
class Result:
    name: str
    terminals: int
    peak_terminals: int
    peak_terminals_at: int
    peak_requests: int
    peak_requests_at: int
    empty_times: list[float]
    unfinished: int
    rejected_503: int
    requests_after_return: Counter[str]
    heartbeats_at_return: list[int]
    items_at_return: list[int]
    outage_requests: int
    seconds_over_tenth: int
    out_of_order: int
    out_of_order_terminals: int
    wall_s: float

    @property
    def passed(self) -> bool:
        return self.peak_terminals <= self.terminals / 10 and self.unfinished == 0


def queue_size(rng: random.Random) -> int:
    """Submissions queued at one terminal during the outage: log-normal, median 30, capped at 200."""
    return min(200, int(rng.lognormvariate(math.log(30), 1.0)))


def build_fleet(n: int, outage_s: float, seed: int, naive: bool, aligned: bool) -> list[Terminal]:
    fleet = []
    for i in range(n):
        # The same draws for both schedules: the queues and phases are identical, only the schedule differs.
        rng = random.Random(seed * 1_000_003 + i)
        count = queue_size(rng)
        created = sorted(rng.uniform(-outage_s, 0.0) for _ in range(count))
        kinds = ["attachment" if rng.random() < 0.10 else "submission" for _ in range(count)]
        future = [Item(0, k, c, c) for k, c in zip(kinds, created, strict=True)]
        if naive:
            backoff: Backoff = FixedDelay(DEFAULTS.backoff_base_s, DEFAULTS.interval_s)
        else:
            backoff = Backoff(DEFAULTS.backoff_base_s, DEFAULTS.backoff_cap_s)
        schedule = DrainSchedule(backoff, DEFAULTS.interval_s, rng)
        last_heartbeat = -outage_s - rng.uniform(0.0, DEFAULTS.heartbeat_interval_s)
        fleet.append(Terminal(i, rng, backoff, schedule, last_heartbeat, future))
    return fleet


class Simulation:
    def __init__(self, fleet: list[Terminal], platform: Platform, outage_s: float, aligned: bool) -> None:
        self.fleet = fleet
        self.platform = platform
        self.events: list[tuple[float, int, int, str, bool, float | None]] = []
        self.counter = 0
        self.terminals_per_second: dict[int, set[int]] = {}
        self.requests_per_second: Counter[int] = Counter()
        self.requests_after_return: Counter[str] = Counter()
        self.outage_requests = 0
        self.remaining = len(fleet)
        self.returned = False
        for t in fleet:
            first = -outage_s + (0.0 if aligned else t.rng.uniform(0.0, DEFAULTS.interval_s))
            self.push(first, t.index, "round")

    def push(self, when: float, index: int, what: str, ok: bool = True, retry_after: float | None = None) -> None:
        self.counter += 1
        heapq.heappush(self.events, (when, self.counter, index, what, ok, retry_after))

    # -- one terminal, as SyncEngine._round ------------------------------------------------------------------

    def start_round(self, t: Terminal, now: float) -> None:
        while t.future and t.future[0].created <= now:
            item = t.future.pop(0)
            t.seq += 1
            item.seq = t.seq
            t.outbox.append(item)
        t.delivered_in_round = 0
        unsent_heartbeat = any(i.kind == "heartbeat" for i in t.outbox)
        if now - t.heartbeat_queued_at >= DEFAULTS.heartbeat_interval_s and not unsent_heartbeat:
            t.seq += 1
            t.outbox.append(Item(t.seq, "heartbeat", now, now))
            t.heartbeat_queued_at = now
        self.next_item(t, now)

    def next_item(self, t: Terminal, now: float) -> None:
        item = t.next_due(now)
        t.item = item
        if item is None:
            due = now - t.catalog_pulled_at >= DEFAULTS.catalog_interval_s
            if not due and (t.delivered_in_round or t.online):
                self.push(t.schedule.after_success(now, more_due=False), t.index, "round")
                return
            t.steps = ["catalog"]
        else:
            item.attempts += 1  # mark_sending
            t.steps = ["head", "post"] if item.kind == "attachment" else \
                ["heartbeat" if item.kind == "heartbeat" else "post"]
        self.send(t, now)

    def send(self, t: Terminal, now: float) -> None:
        kind = t.steps[0]
        if now < 0:
            self.outage_requests += 1
            # The link is down: handle the refusal inline (it cannot outlast the outage by more than 1 ms).
            self.done(t, now + REFUSED_S, ok=False, retry_after=None)
            return
        second = math.floor(now)
        self.terminals_per_second.setdefault(second, set()).add(t.index)
        self.requests_per_second[second] += 1
        self.requests_after_return[kind] += 1
        admitted, took = self.platform.answer(now, kind)
        self.push(now + took, t.index, "done", admitted, None if admitted else self.platform.retry_after)

    def done(self, t: Terminal, now: float, *, ok: bool, retry_after: float | None) -> None:
        item = t.item
        if not ok:
            answered = now >= 0  # a 503 from the platform; before t = 0 the connection was refused
            if item is not None and answered and item.attempts >= ITEM_FAILURES_BEFORE_OWN_BACKOFF:
                item.next_attempt = now + t.backoff.delay(item.attempts - ITEM_FAILURES_BEFORE_OWN_BACKOFF + 1, t.rng)
            t.online = answered
            t.item = None
            self.push(t.schedule.after_failure(now, retry_after=retry_after), t.index, "round")
            return
        t.online = True
        kind = t.steps.pop(0)
        if kind == "catalog":
            t.catalog_pulled_at = now
            more_due = t.next_due(now) is not None
            self.push(t.schedule.after_success(now, more_due=more_due), t.index, "round")
            return
        assert item is not None
        if kind == "head" and not item.uploaded:
            t.steps.insert(0, "put")
        elif kind == "put":
            item.uploaded = True
        if not t.steps:  # mark_accepted
            if item.kind != "heartbeat" and any(
                i.seq < item.seq and i.kind != "heartbeat" for i in t.outbox if i is not item
            ):
                t.out_of_order += 1
            t.outbox.remove(item)
            t.delivered_in_round += 1
            t.item = None
            if not t.outbox and not t.future and t.empty_at is None and now >= 0:
                t.empty_at = now
                self.remaining -= 1
            self.next_item(t, now)
        else:
            self.send(t, now)

    def run(self) -> None:
        while self.events:
            when, _, index, what, ok, retry_after = heapq.heappop(self.events)
            if not self.returned and when >= 0:
                self.returned = True
                for t in self.fleet:
                    t.heartbeats_at_return = sum(1 for i in t.outbox if i.kind == "heartbeat")
            if when > HORIZON_S or (self.remaining == 0 and when > 60):
                break
            t = self.fleet[index]
            if what == "round":
                self.start_round(t, when)
            else:
                self.done(t, when, ok=ok, retry_after=retry_after)


def simulate(name: str, args: argparse.Namespace, *, naive: bool) -> Result:
    started = time.perf_counter()
    outage_s = args.outage_h * 3600.0
    fleet = build_fleet(args.terminals, outage_s, args.seed, naive, args.aligned)
    items_at_return = [len(t.future) for t in fleet]
    sim = Simulation(fleet, Platform(args.capacity, args.retry_after, args.rtt_ms / 1000), outage_s, args.aligned)
    sim.run()
    per_second = {s: len(ids) for s, ids in sim.terminals_per_second.items()}
    peak_t_at = max(per_second, key=lambda s: (per_second[s], -s)) if per_second else 0
    peak_r_at = max(sim.requests_per_second, key=lambda s: (sim.requests_per_second[s], -s)) \
        if sim.requests_per_second else 0
    empties = [t.empty_at for t in fleet if t.empty_at is not None]
    return Result(
        name=name,
        terminals=args.terminals,
        peak_terminals=per_second.get(peak_t_at, 0),
        peak_terminals_at=peak_t_at,
        peak_requests=sim.requests_per_second.get(peak_r_at, 0),
        peak_requests_at=peak_r_at,
        empty_times=sorted(empties),
        unfinished=args.terminals - len(empties),
        rejected_503=sim.platform.rejected_total,
        requests_after_return=sim.requests_after_return,
        heartbeats_at_return=[t.heartbeats_at_return for t in fleet],
        items_at_return=items_at_return,
        outage_requests=sim.outage_requests,
        seconds_over_tenth=sum(1 for n in per_second.values() if n > args.terminals / 10),
        out_of_order=sum(t.out_of_order for t in fleet),
        out_of_order_terminals=sum(1 for t in fleet if t.out_of_order),
        wall_s=time.perf_counter() - started,
    )


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def print_result(r: Result) -> None:
    n = r.terminals
    hb = r.heartbeats_at_return
    print(f"\n== {r.name} ==  (simulated in {r.wall_s:.1f} s)")
    print(f"  queued at return: {sum(r.items_at_return):,} submissions (mean {sum(r.items_at_return) / n:.1f}, "
          f"max {max(r.items_at_return)}) + {sum(hb):,} heartbeats (mean {sum(hb) / n:.1f} per terminal); "
          f"{r.outage_requests:,} refused attempts during the outage")
    print(f"  peak distinct terminals calling in one second: {r.peak_terminals} = {r.peak_terminals / n:.1%} of the "
          f"fleet (at t = {r.peak_terminals_at} s); seconds above a tenth of the fleet: {r.seconds_over_tenth}")
    idle = DEFAULTS.heartbeat_interval_s
    print(f"    (for scale: once drained, each terminal calls about once every {idle:g} s (its heartbeat), "
          f"i.e. ~{n / idle:.0f} terminals/s = {1 / idle:.1%} of the fleet)")
    print(f"  peak requests in one second: {r.peak_requests} = {r.peak_requests / n:.1%} of the fleet "
          f"(at t = {r.peak_requests_at} s)")
    total = sum(r.requests_after_return.values())
    parts = ", ".join(f"{k} {v:,}" for k, v in sorted(r.requests_after_return.items()))
    print(f"  requests after the return: {total:,} ({parts}); 503 answers: {r.rejected_503:,}")
    e = r.empty_times
    if e:
        print(f"  outbox empty after the return, per terminal: p50 {quantile(e, 0.5):,.0f} s, "
              f"p95 {quantile(e, 0.95):,.0f} s, max {e[-1]:,.0f} s; "
              f"whole fleet empty at {e[-1]:,.0f} s ({e[-1] / 60:.1f} min)")
    print(f"  submissions accepted while an older submission of the same terminal was still queued: "
          f"{r.out_of_order:,} (at {r.out_of_order_terminals} terminals)")
    if r.unfinished:
        print(f"  {r.unfinished} terminal(s) still had items when the simulation stopped ({HORIZON_S / 3600:.0f} h)")
    verdict = "PASS" if r.passed else "FAIL"
    print(f"  criterion 'no second sees more than a tenth of the terminals calling at once': {verdict} "
          f"({r.peak_terminals} vs limit {n / 10:.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 terminals, 1 h outage (a few seconds)")
    parser.add_argument("--terminals", type=int, default=2000)
    parser.add_argument("--outage-h", type=float, default=12.0)
    parser.add_argument("--capacity", type=int, default=500, help="requests the platform admits per second")
    parser.add_argument("--retry-after", type=float, default=5.0, help="Retry-After of the platform's 503, seconds")
    parser.add_argument("--rtt-ms", type=float, default=20.0, help="network round trip per request")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--aligned", action="store_true", help="all terminals' rounds in phase when the outage starts")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive-schedule comparison")
    args = parser.parse_args(argv)
    if args.quick:
        args.terminals, args.outage_h = 200, 1.0
    print(f"bench/fleet.py: {args.terminals} terminals, outage {args.outage_h:g} h, platform capacity "
          f"{args.capacity} req/s (Retry-After {args.retry_after:g} s), RTT {args.rtt_ms:g} ms, seed {args.seed}"
          f"{', aligned phases' if args.aligned else ''}")
    print(f"schedule: SyncConfig defaults interval {DEFAULTS.interval_s:g} s, "
          f"backoff base {DEFAULTS.backoff_base_s:g} s, cap {DEFAULTS.backoff_cap_s:g} s, "
          f"heartbeat every {DEFAULTS.heartbeat_interval_s:g} s")
    real = simulate("kiosk DrainSchedule + Backoff (full jitter)", args, naive=False)
    print_result(real)
    if not args.no_naive:
        naive = simulate("naive: fixed 30 s retry, no jitter (same DrainSchedule, FixedDelay backoff)", args,
                         naive=True)
        print_result(naive)
    return 0 if real.passed else 1


if __name__ == "__main__":
    sys.exit(main())
