"""`python -m reference_platform --port N --db FILE [--catalog FILE] [--terminal ID:TOKEN ...]`.

Prints one line `listening on http://HOST:PORT` (the real port when --port 0) on stdout once it accepts
connections, and stops cleanly on SIGTERM or Ctrl-C. With `--export-trust-anchor PATH` it writes the test
authority's root certificate (PEM) to PATH, prints its SHA-256 fingerprint and exits without serving.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from types import FrameType

from reference_platform.faults import MALFORMED_KINDS, Faults
from reference_platform.runner import SetupError, create_server, open_authority, parse_terminal
from reference_platform.validation import ApiError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m reference_platform",
        description="A stand-in for the provincial platform (docs/platform-api.md). Dev and test only.",
    )
    p.add_argument("--port", type=int, default=8080, help="TCP port; 0 picks a free one (default 8080)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--db", required=True, help="SQLite database file (created if missing)")
    p.add_argument("--catalog", help="catalogue file (docs/catalog-format.md) loaded into an empty catalogue")
    p.add_argument(
        "--terminal", action="append", default=[], metavar="ID:TOKEN", help="register a terminal (repeatable)"
    )
    p.add_argument("--admin-token", help="enables /admin/* for requests with 'Authorization: Bearer TOKEN'")
    p.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain)")
    p.add_argument("--tls-key", help="PEM private key for --tls-cert (if not in the same file)")
    p.add_argument("--ca-dir", help="the test certificate authority's directory (default: DB-ca beside --db)")
    p.add_argument("--export-trust-anchor", metavar="PATH",
                   help="write the test authority's root certificate (PEM) to PATH and exit: the trust anchor a "
                   "terminal's technician imports")
    f = p.add_argument_group("fault switches (also settable at run time: POST /admin/faults)")
    f.add_argument("--error-rate", type=float, default=0.0, help="share of API requests answered 500/503")
    f.add_argument("--latency-ms", type=float, default=0.0, help="delay before every API request")
    f.add_argument(
        "--drop-after-store",
        type=float,
        default=0.0,
        metavar="RATE",
        help="share of new submissions stored and then answered by closing the connection",
    )
    f.add_argument("--malformed-rate", type=float, default=0.0, help="share of 2xx answers made malformed")
    f.add_argument("--malformed-kind", choices=MALFORMED_KINDS, default="invalid_json")
    f.add_argument("--reject-key", action="append", default=[], metavar="UUID", help="422 this idempotency key")
    f.add_argument("--reject-service", action="append", default=[], metavar="CODE", help="422 this service code")
    f.add_argument("--seed", type=int, help="seed of the fault dice, for repeatable runs")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request (no bodies)")
    return p


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.export_trust_anchor is not None:
        try:
            authority = open_authority(args.db, args.ca_dir)
            path = authority.export_root(args.export_trust_anchor)
        except (SetupError, OSError) as exc:
            print(f"reference_platform: {exc}", file=sys.stderr)
            return 2
        print(f"trust anchor written to {path}: SHA-256 {authority.root_fingerprint()}")
        return 0
    faults = Faults()
    try:
        faults.update(
            {
                "error_rate": args.error_rate,
                "latency_ms": args.latency_ms,
                "drop_after_store": args.drop_after_store,
                "malformed_rate": args.malformed_rate,
                "malformed_kind": args.malformed_kind,
                "reject": [{"idempotency_key": k} for k in args.reject_key]
                + [{"service_code": c} for c in args.reject_service],
                "seed": args.seed,
            }
        )
        terminals = [parse_terminal(spec) for spec in args.terminal]
        server = create_server(
            args.db,
            host=args.host,
            port=args.port,
            catalog=args.catalog,
            terminals=terminals,
            admin_token=args.admin_token,
            faults=faults,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            ca_dir=args.ca_dir,
        )
    except (SetupError, ApiError, OSError) as exc:
        print(f"reference_platform: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)
    print(f"listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stopping.set()
        server.close_connections()
        server.server_close()
        server.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
