"""The `kiosk` command.

`kiosk run` and `kiosk demo` start the touch screen; every other subcommand works without a
display and without Qt, so technicians can check a terminal over a serial console or SSH.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__, crash
from kiosk.cli import catalog as cli_catalog
from kiosk.cli import certificates as cli_certificates
from kiosk.cli import devices as cli_devices
from kiosk.cli import forms as cli_forms
from kiosk.cli import licences as cli_licences
from kiosk.cli import setpin as cli_setpin
from kiosk.cli import sync as cli_sync
from kiosk.cli.demo_platform import DemoPlatform, PlatformUnavailable
from kiosk.cli.launch import LaunchOptions
from kiosk.config import (
    Config,
    ConfigError,
    config_warnings,
    example_toml,
    load_config,
    path_problems,
    resolve_data_dir,
    with_overrides,
)
from kiosk.documents.anchors import TrustAnchorError, configured_anchors
from kiosk.logsetup import setup_logging
from kiosk.runtime import demo_config
from kiosk.technician.config_write import DEFAULT_CONFIG_NAME

log = logging.getLogger("kiosk.cli.main")

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CONFIG = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="政务服务自助终端 / Self-service kiosk for government services",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", type=Path, metavar="FILE", help="TOML configuration file")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="data directory (overrides paths.data_dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="start the kiosk full screen with the configured devices")
    demo = sub.add_parser(
        "demo",
        help="start the kiosk in a window with simulated devices and the sample catalogue",
        description="Windowed kiosk with simulated devices. Uses a fresh temporary data directory "
        "unless --data-dir is given.",
    )
    demo.add_argument("--fullscreen", action="store_true", help="full screen instead of a window")
    demo.add_argument("--platform", action="store_true",
                      help="also start the reference platform on 127.0.0.1 (from a source checkout) and "
                      "connect to it, to see sync, live progress and the online states")
    for gui in (run, demo):
        gui.add_argument("--self-test", action="store_true",
                         help="start, show the home screen, check the bundled files, exit 0 (1 on any failure)")

    config = sub.add_parser("config", help="configuration tools")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_sub.add_parser("check", help="validate a configuration file")
    check.add_argument("file", type=Path, metavar="FILE")
    config_sub.add_parser("example", help="print a commented file with every key at its default")
    cli_catalog.add_parser(sub)
    cli_sync.add_parser(sub)
    cli_devices.add_parser(sub)
    cli_forms.add_parser(sub)
    cli_licences.add_parser(sub)
    cli_setpin.add_parser(sub)
    cli_certificates.add_parser(sub)
    return parser


def _refused(exc: ConfigError) -> int:
    """What every command prints for a configuration it cannot use: the file and each bad key."""
    print(f"配置有误 / invalid configuration: {exc.source or 'the configuration'}", file=sys.stderr)
    for problem in exc.problems:
        print(f"  - {problem}", file=sys.stderr)
    return EXIT_CONFIG


def checked_config(path: Path | None, data_dir: Path | None) -> tuple[Config, Path]:
    """The configuration and its data directory, with the checks that need both (paths confined to the
    data directory, files that must exist); raises ConfigError naming every bad key."""
    config = load_config(path)
    resolved = resolve_data_dir(config, data_dir)
    problems = path_problems(config, resolved)
    if problems:
        raise ConfigError(problems, str(path) if path is not None else "")
    return config, resolved


def _cmd_config_check(args: argparse.Namespace) -> int:
    try:
        config, data_dir = checked_config(args.file, args.data_dir)
        # The trust anchors' contents too: a file that is there but holds no certificate is a set-up
        # mistake the technician should meet here, not as every certificate refused at the counter.
        configured_anchors(config, data_dir)
    except ConfigError as exc:
        return _refused(exc)
    except TrustAnchorError as exc:
        return _refused(ConfigError([f"documents.trust_anchors: {exc}"], str(args.file)))
    for warning in config_warnings(config):
        print(f"警告 / WARNING: {warning}", file=sys.stderr)
    print(f"配置正确 / configuration OK: {args.file}")
    return EXIT_OK


def _cmd_gui(args: argparse.Namespace, config: Config) -> int:
    demo = args.command == "demo"
    data_dir: Path | None = args.data_dir
    temporary: tempfile.TemporaryDirectory[str] | None = None
    if demo:
        config = demo_config(config)
        if args.fullscreen:
            config = with_overrides(config, ui={"fullscreen": True})
        if data_dir is None:
            temporary = tempfile.TemporaryDirectory(prefix="kiosk-demo-")
            data_dir = Path(temporary.name)
    resolved = resolve_data_dir(config, data_dir)
    problems = path_problems(config, resolved)
    if problems:
        return _refused(ConfigError(problems, str(args.config) if args.config is not None else ""))
    resolved.mkdir(parents=True, exist_ok=True)
    setup_logging(resolved / "logs", level=config.logging.level, max_bytes=config.logging.max_bytes,
                  backup_count=config.logging.backup_count)
    log.info("starting kiosk %s (%s), data dir %s", __version__, args.command, resolved)
    platform = DemoPlatform(resolved / "reference-platform", config.terminal.id) if demo and args.platform else None
    try:
        if platform is not None:
            try:
                platform.start()
            except PlatformUnavailable as exc:
                print(f"无法启动参考平台 / cannot start the reference platform: {exc}", file=sys.stderr)
                return EXIT_CONFIG
            config = platform.configure(config)
        options = LaunchOptions(config=config, data_dir=resolved, demo=demo, self_test=args.self_test,
                                config_path=args.config)
        # The one place the core reaches up to the screen layer: the composition root. The import-linter
        # contract allows exactly this edge, and only here, so `config check` and friends never load Qt.
        from ui.app import run_app

        code: int = run_app(options)
        return code
    finally:
        if platform is not None:
            platform.stop()
        if temporary is not None:
            temporary.cleanup()


def saved_config_path(data_dir: Path | None) -> Path | None:
    """The config the setup screen saved in the data directory, when the kiosk was started without
    --config: the terminal keeps what the technician set there from one start to the next."""
    candidate = resolve_data_dir(Config(), data_dir) / DEFAULT_CONFIG_NAME
    return candidate if candidate.is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    # First of all: a bug anywhere below, in any command, leaves its traceback in the log (scrubbed).
    crash.install()
    args = _parser().parse_args(argv)
    if args.command == "config":
        if args.config_command == "example":
            print(example_toml(), end="")
            return EXIT_OK
        return _cmd_config_check(args)
    if args.config is None and args.command != "demo":
        args.config = saved_config_path(args.data_dir)
    if args.command in ("run", "demo"):
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            return _refused(exc)
        # The data directory of `kiosk demo` is made later (a temporary one by default): paths are checked there.
        return _cmd_gui(args, config)
    try:
        config, data_dir = checked_config(args.config, args.data_dir)
    except ConfigError as exc:
        return _refused(exc)
    # Technicians read the outcome on stdout; the details go to the kiosk's own log file.
    setup_logging(data_dir / "logs", level=config.logging.level, max_bytes=config.logging.max_bytes,
                  backup_count=config.logging.backup_count, stderr=False)
    if args.command == "catalog":
        return cli_catalog.run(args, config, data_dir)
    if args.command == "sync":
        return cli_sync.run(args, config, data_dir)
    if args.command == "devices":
        return cli_devices.run(args, config, data_dir)
    if args.command in ("forms", "print"):
        return cli_forms.run(args, config, data_dir)
    if args.command == "set-pin":
        return cli_setpin.run(args, config, data_dir)
    if args.command == "certificates":
        return cli_certificates.run(args, config, data_dir)
    if args.command == "licences":
        return cli_licences.run(args, config, data_dir)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands first
