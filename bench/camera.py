"""Document camera benchmark: preview frame rate with page detection, and capture-to-JPEG latency.

    python bench/camera.py            # full run (about a minute)
    python bench/camera.py --quick    # a few seconds

Prints:
1. Preview frames per second at 1920×1080 with detection on (reduced copy, outline, auto-capture), for the
   processing alone and with the MJPEG decode a UVC camera's 1080p stream needs (OpenCVCamera reading an
   MJPG .avi of the same frames); then the same decode+preview loop on a worker thread while the main
   thread runs a 16 ms ticker, reporting how late the ticks were (what the UI thread would feel).
2. Milliseconds from a captured frame to the deskewed A4 JPEG, quality checks included
   (capture_page: detect, refine, warp, assess, encode), on 1920×1080 and 3264×2448 frames, with the
   split by stage. Target (issue 7): ≥ 30 preview fps at 1080p, < 150 ms at 3264×2448.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2

from drivers.camera.capture import CAPTURE_WORK_WIDTH, capture_page
from drivers.camera.deskew import deskew
from drivers.camera.formats import A4
from drivers.camera.opencv_camera import OpenCVCamera
from drivers.camera.output import encode_jpeg
from drivers.camera.page_detect import detect_page
from drivers.camera.preview import PreviewProcessor
from drivers.camera.protocol import Frame
from drivers.camera.quality import assess_page
from drivers.camera.settings import CameraSettings
from drivers.camera.simulated import SCENARIOS
from drivers.camera.synthetic import SceneSpec, render


def _frames(width: int, height: int, count: int, scenario: str) -> list[Frame]:
    base = SceneSpec(width=width, height=height)
    out = []
    for i in range(count):
        spec = SCENARIOS[scenario](base.replace(frame_seed=i), i)
        out.append(Frame(render(spec if spec is not None else base.replace(center_x=9.0)).image, i / 30.0, i))
    return out


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"


def bench_preview(frames: list[Frame], rounds: int, per_round: int) -> None:
    print("\n1. Preview at 1920x1080 with page detection (960-px preview, detection on a 480-px copy)")
    processor = PreviewProcessor()
    fps = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(per_round):
            frame = frames[i % len(frames)]
            processor.process(Frame(frame.image, frame.timestamp + i, i))
        fps.append(per_round / (time.perf_counter() - start))
    print(f"   processing only:               {_spread(fps)} fps")

    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "cam.avi"
        writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, frames[0].size)
        for frame in frames:
            writer.write(frame.image)
        writer.release()
        settings = CameraSettings(source=str(video))

        def loop(n: int) -> float:
            camera = OpenCVCamera(settings)
            camera.open()
            processor = PreviewProcessor()
            start = time.perf_counter()
            for _ in range(n):
                processor.process(camera.read_frame())
            elapsed = time.perf_counter() - start
            camera.close()
            return n / elapsed

        fps = [loop(per_round) for _ in range(rounds)]
        print(f"   MJPEG decode + processing:     {_spread(fps)} fps")

        lateness: list[float] = []
        worker_fps: list[float] = []
        for _ in range(rounds):
            done = threading.Event()

            def work(done: threading.Event = done) -> None:
                worker_fps.append(loop(per_round))
                done.set()

            thread = threading.Thread(target=work)
            thread.start()
            due = time.perf_counter()
            while not done.is_set():
                due += 0.016
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                lateness.append((time.perf_counter() - due) * 1000)
            thread.join()
        lateness.sort()
        p99 = lateness[int(0.99 * (len(lateness) - 1))]
        print(f"   same on a worker thread:       {_spread(worker_fps)} fps")
        print(f"   main-thread 16 ms ticks late:  p50 {statistics.median(lateness):.2f} ms, p99 {p99:.2f} ms, "
              f"max {lateness[-1]:.2f} ms ({len(lateness)} ticks)")


def bench_capture(width: int, height: int, rounds: int, per_round: int, dpi: int) -> None:
    angles = [-25.0, -12.0, 0.0, 8.0, 20.0]
    frames = [
        Frame(render(SceneSpec(width=width, height=height, angle_deg=a, tilt_x_deg=8, tilt_y_deg=-6,
                               page_height_frac=0.7, frame_seed=n)).image, 0.0, n)
        for n, a in enumerate(angles)
    ]
    totals: list[float] = []
    for _ in range(rounds):
        times = []
        for i in range(per_round):
            start = time.perf_counter()
            page = capture_page(frames[i % len(frames)], fmt=A4, dpi=dpi)
            times.append((time.perf_counter() - start) * 1000)
        totals.append(statistics.median(times))
    stages: dict[str, list[float]] = {"detect": [], "deskew": [], "quality": [], "jpeg": []}
    for i in range(per_round):
        image = frames[i % len(frames)].image
        t0 = time.perf_counter()
        detection = detect_page(image, work_width=CAPTURE_WORK_WIDTH)
        t1 = time.perf_counter()
        assert detection is not None
        warped = deskew(image, detection.corners, A4, dpi)
        t2 = time.perf_counter()
        assess_page(warped, detection, A4)
        t3 = time.perf_counter()
        encode_jpeg(warped, 85, dpi)
        t4 = time.perf_counter()
        for key, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            value_ms = value * 1000
            stages[key].append(value_ms)
    split = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items())
    print(f"   {width}x{height} -> A4 @{dpi} dpi ({page.width}x{page.height}, {len(page.jpeg) // 1024} KiB): "
          f"{_spread(totals)} ms  [{split} ms]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    args = parser.parse_args()
    rounds, per_round = (2, 60) if args.quick else (5, 300)
    print(f"cpus {os.cpu_count()}, OpenCV {cv2.__version__} with {cv2.getNumThreads()} threads")
    bench_preview(_frames(1920, 1080, 60, "moving"), rounds, per_round)
    print("\n2. Capture to the deskewed A4 JPEG, quality checks included (capture_page)")
    capture_rounds, capture_n = (2, 10) if args.quick else (5, 30)
    for dpi in (150, 300):
        for width, height in ((1920, 1080), (3264, 2448)):
            bench_capture(width, height, capture_rounds, capture_n, dpi)


if __name__ == "__main__":
    main()
