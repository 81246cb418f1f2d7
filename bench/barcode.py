"""QR and barcode decoding on 1920×1080 frames: pyzbar (zbar) against zxing-cpp.

Frames are photo-like (a lighting gradient with sensor noise of σ 2, and a grainy σ 6 variant) with
one of our QR codes (full QR, ECI, UTF-8) at about 7 px per module, and the same frames without a
code (the idle scan loop). Each decoder runs limited to QR and with all its formats. The script also
checks which decoder reads every kind we need (our QR with Chinese text, Micro QR, Code 128) and
prints the default: the faster one (QR only, σ 2 frame with a code) among those that decode
everything. Prints figures only; nothing is asserted.

Run: .venv/bin/python bench/barcode.py [--rounds 5 --repeat 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.barcode.factory import make_decoder
from drivers.barcode.protocol import QR_FORMATS, BarcodeFormat, Decoder
from drivers.barcode.qr import qr_png

TEXT = "受理编号 T0001-000042 浙江政务服务"


def frame(with_code: bool, noise: float, seed: int = 7) -> np.ndarray:
    from PIL import Image

    rng = np.random.default_rng(seed)
    x = np.linspace(60, 200, 1920, dtype=np.float32)
    y = np.linspace(0, 40, 1080, dtype=np.float32)[:, None]
    base = x[None, :] + y + rng.normal(0, noise, (1080, 1920)).astype(np.float32)
    if with_code:
        code = np.asarray(Image.open(io.BytesIO(qr_png(TEXT, scale=7, border=4))).convert("L"), dtype=np.float32)
        h, w = code.shape
        top, left = 390, 810
        base[top:top + h, left:left + w] = code * 0.8 + 20
    return np.clip(base, 0, 255).astype(np.uint8)


def timed(decoder: Decoder, image: np.ndarray, repeat: int) -> tuple[float, int]:
    found = 0
    start = time.perf_counter()
    for _ in range(repeat):
        found = len(decoder.decode(image))
    return (time.perf_counter() - start) / repeat * 1000, found


def capability(backend: str) -> dict[str, bool]:
    import zxingcpp
    from PIL import Image

    def read(image: np.ndarray, text: str, fmt: BarcodeFormat) -> bool:
        try:
            decoder = make_decoder(backend, {fmt})
        except ValueError:
            return False  # the decoder cannot even be asked for this format
        return any(c.text == text for c in decoder.decode(image))

    qr = np.asarray(Image.open(io.BytesIO(qr_png("中文"))).convert("L"))
    micro = np.asarray(zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode("A12", zxingcpp.BarcodeFormat.MicroQRCode), scale=8, add_quiet_zones=True))
    linear = np.asarray(zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode("T0001-000042", zxingcpp.BarcodeFormat.Code128), scale=3, add_quiet_zones=True))
    return {
        "QR (UTF-8, ECI)": read(qr, "中文", BarcodeFormat.QR_CODE),
        "Micro QR": read(micro, "A12", BarcodeFormat.MICRO_QR),
        "Code 128": read(linear, "T0001-000042", BarcodeFormat.CODE_128),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    # σ 2: a camera frame after the sensor's own denoising; σ 6: a dim, grainy frame (the hard case).
    frames = {"with code": frame(True, 2), "no code": frame(False, 2),
              "code, σ6": frame(True, 6), "none, σ6": frame(False, 6)}
    results: dict[tuple[str, str, str], list[float]] = {}
    found: dict[tuple[str, str, str], int] = {}
    for _ in range(args.rounds):
        # Interleaved round by round so machine noise hits both decoders alike.
        for backend in ("pyzbar", "zxing"):
            for scope, formats in (("QR only", QR_FORMATS), ("all formats", None)):
                decoder = make_decoder(backend, formats)
                for name, image in frames.items():
                    ms, n = timed(decoder, image, args.repeat)
                    results.setdefault((backend, scope, name), []).append(ms)
                    found[(backend, scope, name)] = n
    print(f"1920×1080 gray frame, median of {args.rounds} rounds × {args.repeat} decodes (ms per frame)")
    print(f"{'decoder':<8} {'formats':<12} {'frame':<10} {'median':>8} {'min':>8} {'max':>8}  codes")
    for (backend, scope, name), values in results.items():
        print(f"{backend:<8} {scope:<12} {name:<10} {statistics.median(values):8.2f} {min(values):8.2f} "
              f"{max(values):8.2f}  {found[(backend, scope, name)]}")
    print()
    complete = {}
    for backend in ("pyzbar", "zxing"):
        caps = capability(backend)
        complete[backend] = all(caps.values()) and found[(backend, "QR only", "with code")] == 1
        print(f"{backend:<8} reads: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in caps.items()))
    qr_ms = {b: statistics.median(results[(b, "QR only", "with code")]) for b in complete}
    eligible = [b for b, ok in complete.items() if ok] or list(complete)
    default = min(eligible, key=lambda b: qr_ms[b])
    print()
    print(f"default decoder: {default} (QR decode {qr_ms[default]:.2f} ms per 1080p frame; target < 5 ms: "
          f"{'met' if qr_ms[default] < 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
