"""`kiosk sync status|now`: the outbox and the platform link from a technician's shell."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.on_cache import EXIT_FAILED, run_on_cache
from kiosk.config import Config
from kiosk.platform.sync import CREDENTIALS_REFUSED_TEXT
from kiosk.runtime import SetupError, make_sync_engine
from kiosk.status import NetworkState
from offline_cache.store import OfflineCache
from offline_cache.timeutil import utc_now

EXIT_OK = 0
# `sync now` exits 2 when the platform could not be reached or items remain: scripts can tell it apart.
EXIT_PENDING = 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="outbox and platform: status, send now")
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="outbox depth, oldest unsent item, rejected items, last contact")
    status.add_argument("--json", action="store_true")
    now = actions.add_parser("now", help="send everything that is due now and pull catalogue changes")
    now.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                     help="give up after this long (default 300)")


def _age(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "-"
    seconds = int((now - then).total_seconds())
    hours, rest = divmod(max(0, seconds), 3600)
    return f"{hours} h {rest // 60} min" if hours else f"{rest // 60} min {rest % 60} s"


def status_report(cache: OfflineCache) -> dict[str, Any]:
    """The persisted sync state, readable while the kiosk itself is running (another process)."""
    now = utc_now()
    stats = cache.outbox.stats()
    last_contact = cache.sync_state.last_contact
    last_error = cache.sync_state.last_error
    if last_error is not None and (last_contact is None or last_error[1] > last_contact):
        # The engine saved what the failure said about the link; an older database did not: offline.
        network = cache.sync_state.last_error_link or NetworkState.OFFLINE.value
    elif last_contact is not None:
        network = "online"
    else:
        network = "unknown"
    return {
        "network": network,
        "last_contact": None if last_contact is None else last_contact.isoformat(),
        "last_error": None if last_error is None else {"message": last_error[0], "at": last_error[1].isoformat()},
        "outbox_depth": stats.depth,
        "oldest_unsent_at": None if stats.oldest_unsent_at is None else stats.oldest_unsent_at.isoformat(),
        "oldest_unsent_age_s": None if stats.oldest_unsent_at is None
        else round((now - stats.oldest_unsent_at).total_seconds(), 1),
        "by_state": dict(stats.by_state),
        "rejected": [
            {"receipt_no": item.receipt_no, "kind": item.kind, "service_code": item.service_code,
             "reason": item.last_error}
            for item in cache.outbox.rejected()
        ],
        "catalog_version": cache.catalog.version(),
    }


def _print_status(report: dict[str, Any], cache: OfflineCache) -> None:
    now = utc_now()
    names = {"online": "在线 online", "offline": "离线 offline", "unknown": "未联系过平台 never reached",
             NetworkState.CREDENTIALS_REFUSED.value: CREDENTIALS_REFUSED_TEXT}
    contact = report["last_contact"]
    print(f"网络 / network:        {names.get(report['network'], report['network'])}"
          + (f" (last contact {contact})" if contact else ""))
    oldest = cache.outbox.stats().oldest_unsent_at
    print(f"待发送 / queued:       {report['outbox_depth']}"
          + (f" (oldest waiting {_age(oldest, now)})" if oldest else ""))
    print(f"已送达 / accepted:     {report['by_state']['accepted']}")
    print(f"被退回 / rejected:     {len(report['rejected'])}")
    for item in report["rejected"]:
        print(f"  {item['receipt_no']}  {item['kind']}  {item['service_code'] or ''}  {item['reason']}")
    if report["last_error"]:
        print(f"最近错误 / last error: {report['last_error']['message']} ({report['last_error']['at']})")
    print(f"目录版本 / catalogue:  {report['catalog_version']}")


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    return run_on_cache(config, data_dir, lambda cache: _run(args, config, data_dir, cache))


def _run(args: argparse.Namespace, config: Config, data_dir: Path, cache: OfflineCache) -> int:
    if args.sync_command == "status":
        report = status_report(cache)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            _print_status(report, cache)
        return EXIT_OK
    return _sync_now(config, data_dir, cache, args.timeout)


def _sync_now(config: Config, data_dir: Path, cache: OfflineCache, timeout_s: float) -> int:
    try:
        engine = make_sync_engine(config, data_dir, cache)
    except SetupError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if engine.status().network.value == "disabled":
        print("未配置平台 / no platform configured (platform.url): the terminal works offline only")
        engine.stop()
        return EXIT_PENDING
    deadline = time.monotonic() + timeout_s
    sent = rejected = 0
    try:
        while True:
            result = engine.run_round()
            sent += result.sent
            rejected += result.rejected
            if not result.reached_platform:
                if engine.status().network is NetworkState.CREDENTIALS_REFUSED:
                    print(f"{CREDENTIALS_REFUSED_TEXT}: {result.error}")
                else:
                    print(f"平台不可达 / platform not reachable: {result.error}")
                print(f"已发送 / sent {sent}, 被退回 / rejected {rejected}, 待发送 / queued {engine.status().depth}")
                return EXIT_PENDING
            if not result.more_due or time.monotonic() > deadline:
                break
    finally:
        engine.stop()
    depth = cache.outbox.stats().depth
    print(f"已发送 / sent {sent}, 被退回 / rejected {rejected}, 待发送 / queued {depth}")
    return EXIT_OK if depth == 0 else EXIT_PENDING
