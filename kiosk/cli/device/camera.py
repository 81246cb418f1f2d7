"""`kiosk devices probe|test|simulate camera`: the document camera from a technician's shell.

    kiosk devices probe camera [--source S] [--json]       backend, source, resolution, one frame's verdict
    kiosk devices test camera --out DIR [--timeout 15]     waits for a still page, writes the deskewed JPEG
    kiosk devices simulate camera --out FILE.avi           writes a generated scene as a video (MJPG) that
                                                           the opencv backend can play as its source
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from drivers.camera.capture import CAPTURE_WORK_WIDTH, capture_page
from drivers.camera.deskew import deskew
from drivers.camera.errors import CaptureRejected
from drivers.camera.formats import page_format
from drivers.camera.messages import bilingual
from drivers.camera.output import write_atomically
from drivers.camera.page_detect import detect_page
from drivers.camera.preview import PreviewProcessor
from drivers.camera.protocol import Camera, Frame
from drivers.camera.quality import QualityReport, assess_detection, assess_page
from drivers.camera.settings import CameraSettings
from drivers.errors import DeviceError
from kiosk.config import CameraConfig, Config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_NOT_CONFIGURED = 2
_READ_ATTEMPTS = 5


def _say(text: str) -> None:
    # The CLI's output channel (ruff allows print only in kiosk/cli*.py).
    sys.stdout.write(text + "\n")


def settings_from_config(config: CameraConfig, **overrides: Any) -> CameraSettings:
    """The drivers' view of the `[devices.camera]` section (keys the config lacks keep driver defaults)."""
    settings = CameraSettings(
        backend="simulated" if config.backend == "simulated" else "opencv",
        source=config.source, width=config.width, height=config.height, dpi=config.dpi,
    )
    return dataclasses.replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def register(
    probe: argparse._SubParsersAction[argparse.ArgumentParser],
    test: argparse._SubParsersAction[argparse.ArgumentParser],
    simulate: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = probe.add_parser("camera", help="document camera: backend, resolution and one frame's quality verdict")
    p.add_argument("--source", help="override devices.camera.source (e.g. scene:dark, a file)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_probe)
    t = test.add_parser("camera", help="capture one deskewed page to a directory")
    t.add_argument("--out", type=Path, required=True, metavar="DIR")
    t.add_argument("--source", help="override devices.camera.source")
    t.add_argument("--format", choices=("a4", "id_card"), default="a4", dest="page_format")
    t.add_argument("--timeout", type=float, default=15.0, metavar="S", help="give up after S seconds (15)")
    t.set_defaults(handler=_test)
    s = simulate.add_parser("camera", help="write a generated camera scene as an MJPG video file")
    s.add_argument("--out", type=Path, required=True, metavar="FILE.avi")
    s.add_argument("--scene", default="demo", help="demo, still, moving, blurred, dark, glare, cutoff, empty")
    s.add_argument("--frames", type=int, default=150)
    s.set_defaults(handler=_simulate)


def _open(config: Config, source: str | None) -> Camera | None:
    from drivers.camera.factory import make_camera

    if config.devices.camera.backend == "none":
        _say("未配置高拍仪 / no camera configured (devices.camera.backend = none)")
        return None
    # The simulator need not keep real time for a technician's one-off check.
    camera = make_camera(settings_from_config(config.devices.camera, source=source), realtime=False)
    camera.open(timeout_s=1.0)
    return camera


def _read(camera: Camera) -> Frame:
    last: DeviceError | None = None
    for _ in range(_READ_ATTEMPTS):
        try:
            return camera.read_frame(timeout_s=1.0)
        except DeviceError as exc:
            last = exc
    assert last is not None
    raise last


def _verdict(frame: Frame, fmt_name: str, dpi: int) -> tuple[dict[str, Any], QualityReport]:
    fmt = page_format(fmt_name)
    detection = detect_page(frame.image, work_width=CAPTURE_WORK_WIDTH)
    if detection is None:
        return {"page_found": False}, assess_detection(None, fmt)
    report = assess_page(deskew(frame.image, detection.corners, fmt, dpi), detection, fmt)
    return {"page_found": True, "cut_off": detection.cut_off}, report


def _probe(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    try:
        camera = _open(config, args.source)
        if camera is None:
            return EXIT_NOT_CONFIGURED
        try:
            frame = _read(camera)
            info = camera.info
            page, report = _verdict(frame, "a4", config.devices.camera.dpi)
        finally:
            camera.close()
    except DeviceError as exc:
        _say(f"{bilingual(exc.message_key)}\n  [{exc.code}] {exc}")
        return EXIT_FAILED
    width, height = frame.size
    result = {
        "backend": info.backend,
        "source": info.source,
        "resolution": f"{width}x{height}",
        "fourcc": info.fourcc,
        **page,
        "quality_ok": report.ok,
        "advice": [bilingual(key) for key in report.message_keys],
        "issues": [issue.kind.value for issue in report.issues],
        "measurements": {k: round(v, 3) for k, v in report.measurements.items()},
    }
    if args.json:
        _say(json.dumps(result, ensure_ascii=False, indent=1))
        return EXIT_OK
    _say(f"backend     {info.backend}")
    _say(f"source      {info.source}")
    _say(f"resolution  {width}x{height}" + (f" ({info.fourcc})" if info.fourcc else ""))
    m = report.measurements
    if not page["page_found"]:
        _say("page        not found")
    else:
        _say(f"page        found, {100 * m.get('area_fraction', 0):.0f}% of the frame, "
              f"{m.get('effective_dpi', 0):.0f} px per inch of paper")
    if report.ok:
        _say(f"quality     OK (sharpness {m.get('sharpness', 0):.2f}, white {m.get('white_level', 0):.0f}, "
              f"glare {100 * m.get('glare_fraction', 0):.1f}%)")
    for issue in report.issues:
        measured = f"{issue.value:.3g} vs {issue.limit:.3g}"
        _say(f"quality     {issue.kind.value} ({measured}): {bilingual(issue.message_key)}")
    return EXIT_OK


def _test(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    fmt = page_format(args.page_format)
    dpi = config.devices.camera.dpi
    try:
        camera = _open(config, args.source)
        if camera is None:
            return EXIT_NOT_CONFIGURED
        try:
            return _capture_loop(camera, args, fmt.name, dpi)
        finally:
            camera.close()
    except DeviceError as exc:
        _say(f"{bilingual(exc.message_key)}\n  [{exc.code}] {exc}")
        return EXIT_FAILED


def _capture_loop(camera: Camera, args: argparse.Namespace, fmt_name: str, dpi: int) -> int:
    fmt = page_format(fmt_name)
    preview = PreviewProcessor(fmt=fmt, draw=False)
    deadline = time.monotonic() + args.timeout
    advice = "camera.quality.no_page"
    rejected = ""
    while time.monotonic() < deadline:
        frame = _read(camera)
        result = preview.process(frame)
        advice = result.auto.advice or advice
        if not result.auto.capture:
            continue
        try:
            page = capture_page(frame, fmt=fmt, dpi=dpi)
        except CaptureRejected as exc:
            # Remembered: after the retry the preview only says "hold still", which is not the problem.
            rejected = exc.message_key
            preview.auto.retry()
            continue
        path = args.out / f"page-{time.strftime('%Y%m%d-%H%M%S')}-{frame.index:05d}.jpg"
        write_atomically(path, page.jpeg)
        _say(f"captured    {path}")
        _say(f"page        {page.width}x{page.height} px, {dpi} dpi, {fmt.name}, {len(page.jpeg) // 1024} KiB")
        _say(f"processing  {page.elapsed_ms:.0f} ms (detect, deskew, quality, JPEG)")
        return EXIT_OK
    _say(f"no page captured within {args.timeout:g} s: {bilingual(rejected or advice)}")
    return EXIT_FAILED


def _simulate(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from drivers.camera._cv import require_cv2
    from drivers.camera.simulated import SimulatedCamera

    cfg = config.devices.camera
    settings = CameraSettings(backend="simulated", source=f"scene:{args.scene}", width=cfg.width, height=cfg.height)
    require_cv2()
    import cv2

    try:
        camera = SimulatedCamera(settings, realtime=False)
        camera.open()
    except DeviceError as exc:
        _say(f"[{exc.code}] {exc}")
        return EXIT_FAILED
    args.out.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(args.out), cv2.VideoWriter.fourcc(*"MJPG"), settings.fps, (cfg.width, cfg.height))
    try:
        for _ in range(args.frames):
            writer.write(camera.read_frame().image)
    finally:
        writer.release()
        camera.close()
    _say(f"wrote {args.frames} frames of scene {args.scene} ({cfg.width}x{cfg.height} MJPG) to {args.out}")
    return EXIT_OK
