"""Generated camera scenes: a printed page with known text lines lying on a desk.

Each scene is fully described by a `SceneSpec` (pose, perspective, blur, light, glare, noise, seed) and
rendering it twice gives the same pixels. The result carries the ground truth (the page's corners in the
frame and where the known text lines are on the page), so tests can check detection and deskew against it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from drivers.camera._cv import require_cv2, typed
from drivers.camera.formats import A4, ID_CARD, PageFormat
from drivers.camera.protocol import Image

# Resolution of the page texture; the camera never resolves more than this on an A4 page.
TEMPLATE_DPI = 150
PAPER_BGR = (232, 236, 238)
INK_BGR = (40, 32, 30)


@dataclass(frozen=True)
class TextLine:
    """A line of printed text: left end of the baseline and the capital height, in page millimetres."""

    text: str
    x_mm: float
    y_mm: float
    height_mm: float

    def box_mm(self, width_mm: float) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) around the line in page millimetres; `width_mm` is its rendered length."""
        return (self.x_mm, self.y_mm - self.height_mm * 1.2, self.x_mm + width_mm, self.y_mm + self.height_mm * 0.4)


A4_LINES: tuple[TextLine, ...] = (
    TextLine("HOUSEHOLD REGISTER 2026", 45.0, 35.0, 7.0),
    TextLine("REGISTRATION No. 330212-0417", 25.0, 62.0, 4.5),
    TextLine("MEMBER: SAMPLE PERSON ONE", 25.0, 80.0, 4.5),
    TextLine("RELATION: HEAD OF HOUSEHOLD", 25.0, 95.0, 4.5),
    TextLine("ADDRESS: 18 HARBOUR ROAD, ISLAND TOWN", 25.0, 110.0, 4.5),
    TextLine("ISSUED BY THE PUBLIC SECURITY BUREAU", 25.0, 160.0, 4.5),
    TextLine("DATE OF ISSUE 2026-03-14", 25.0, 175.0, 4.5),
    TextLine("THIS PAGE IS A SAMPLE FOR TESTS ONLY", 25.0, 260.0, 4.5),
)
ID_CARD_LINES: tuple[TextLine, ...] = (
    TextLine("SAMPLE CARD", 8.0, 10.0, 3.2),
    TextLine("NAME SAMPLE PERSON", 8.0, 22.0, 2.4),
    TextLine("No. 0000 0000 0000", 8.0, 44.0, 2.4),
)
# The line the deskew tests measure: long, near the middle, and not part of the title.
REFERENCE_LINE = A4_LINES[4]


@dataclass(frozen=True)
class SceneSpec:
    width: int = 1920
    height: int = 1080
    page_format: str = "a4"
    # In-plane rotation of the page on the desk, degrees, counter-clockwise as seen on screen.
    angle_deg: float = 0.0
    # Tilt of the page plane against the camera (perspective), degrees about the frame's x and y axes.
    tilt_x_deg: float = 0.0
    tilt_y_deg: float = 0.0
    # Height of the untilted page as a fraction of the frame height.
    page_height_frac: float = 0.82
    # Page centre as a fraction of the frame size; move it off-centre to cut the page off.
    center_x: float = 0.5
    center_y: float = 0.5
    blur_sigma: float = 0.0
    motion_blur_px: int = 0
    brightness: float = 1.0
    # Strength (0–1) and position (fractions of the page size from its centre) of a specular highlight.
    glare: float = 0.0
    glare_x: float = 0.15
    glare_y: float = -0.15
    noise_sigma: float = 2.0
    seed: int = 0
    # Varies only the sensor noise, so consecutive frames of a still scene differ as a real camera's do.
    frame_seed: int = 0

    def replace(self, **changes: object) -> SceneSpec:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Scene:
    image: Image
    # Page corners in frame pixels: top-left, top-right, bottom-right, bottom-left of the printed content.
    corners: npt.NDArray[np.float32]
    page: PageFormat
    lines: tuple[TextLine, ...]
    # Rendered length of each line in millimetres, so a test can crop exactly that line.
    line_widths_mm: tuple[float, ...]


def _format(name: str) -> tuple[PageFormat, tuple[TextLine, ...], bool]:
    """Page format, its text, and whether it lies landscape (cards do)."""
    if name == "id_card":
        return ID_CARD, ID_CARD_LINES, True
    return A4, A4_LINES, False


def _font_scale(line: TextLine, px_per_mm: float, thickness: int) -> float:
    import cv2

    (_, cap), _ = cv2.getTextSize("H", cv2.FONT_HERSHEY_SIMPLEX, 1.0, thickness)
    return float(line.height_mm * px_per_mm / cap)


@functools.lru_cache(maxsize=4)
def _template(name: str) -> tuple[Image, tuple[float, ...]]:
    """The page as printed, at TEMPLATE_DPI (ID cards at twice that), and each line's width in mm."""
    require_cv2()
    import cv2

    fmt, lines, landscape = _format(name)
    dpi = TEMPLATE_DPI * (2 if fmt is ID_CARD else 1)
    w, h = fmt.pixels(dpi, landscape=landscape)
    px_per_mm = dpi / 25.4
    page = np.empty((h, w, 3), np.uint8)
    page[:] = PAPER_BGR
    thickness = max(2, round(0.45 * px_per_mm))
    widths: list[float] = []
    for line in lines:
        scale = _font_scale(line, px_per_mm, thickness)
        (tw, _), _ = cv2.getTextSize(line.text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
        org = (round(line.x_mm * px_per_mm), round(line.y_mm * px_per_mm))
        cv2.putText(page, line.text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, INK_BGR, thickness, cv2.LINE_AA)
        widths.append(tw / px_per_mm)
    if fmt is A4:
        # A printed table frame, as household register pages have: detection must not take it for the page.
        m = round(15 * px_per_mm)
        cv2.rectangle(page, (m, m), (w - m, h - m), INK_BGR, max(1, thickness // 2))
        cv2.line(page, (m, round(130 * px_per_mm)), (w - m, round(130 * px_per_mm)), INK_BGR, max(1, thickness // 2))
    page.setflags(write=False)
    result: Image = page
    return result, tuple(widths)


@functools.lru_cache(maxsize=4)
def _desk(width: int, height: int, seed: int) -> Image:
    """A wooden desk: brown with soft low-frequency variation and a little grain."""
    require_cv2()
    import cv2

    rng = np.random.default_rng(seed + 7919)
    coarse = rng.normal(0.0, 1.0, (max(2, height // 120), max(2, width // 120))).astype(np.float32)
    soft = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = cv2.resize(rng.normal(0.0, 1.0, (height // 4, width // 4)).astype(np.float32), (width, height))
    shade = 1.0 + 0.06 * soft + 0.03 * grain
    base = np.array([62, 88, 118], np.float32)
    desk = np.clip(shade[..., None] * base, 0, 255).astype(np.uint8)
    desk.setflags(write=False)
    result: Image = desk
    return result


@functools.lru_cache(maxsize=4)
def _noise(width: int, height: int, seed: int) -> npt.NDArray[np.float32]:
    """Unit sensor noise, generated once per size; frames take shifted views of it (generation is slow)."""
    rng = np.random.default_rng(seed + 104729)
    noise = rng.standard_normal((height + 64, width + 64), dtype=np.float32)
    noise.setflags(write=False)
    return noise


def page_corners(spec: SceneSpec) -> npt.NDArray[np.float32]:
    """Where the page's corners land in the frame, by a pinhole projection of the rotated, tilted page."""
    fmt, _, landscape = _format(spec.page_format)
    w_mm, h_mm = (fmt.height_mm, fmt.width_mm) if landscape else (fmt.width_mm, fmt.height_mm)
    local = np.array([[-w_mm / 2, -h_mm / 2, 0], [w_mm / 2, -h_mm / 2, 0], [w_mm / 2, h_mm / 2, 0],
                      [-w_mm / 2, h_mm / 2, 0]], np.float64)
    # Counter-clockwise on screen is a negative angle in image coordinates (y points down).
    t = math.radians(-spec.angle_deg)
    rz = np.array([[math.cos(t), -math.sin(t), 0], [math.sin(t), math.cos(t), 0], [0, 0, 1]])
    ax, ay = math.radians(spec.tilt_x_deg), math.radians(spec.tilt_y_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    # Camera about 1.3 page heights above the desk, like a document camera's arm.
    distance = 1.3 * A4.height_mm
    pts = local @ rz.T @ rx.T @ ry.T + np.array([0, 0, distance])
    # Scale so the untilted page's height is page_height_frac of the frame.
    focal = spec.page_height_frac * spec.height * distance / h_mm
    u = focal * pts[:, 0] / pts[:, 2] + spec.center_x * spec.width
    v = focal * pts[:, 1] / pts[:, 2] + spec.center_y * spec.height
    return np.stack([u, v], axis=1).astype(np.float32)


def render(spec: SceneSpec) -> Scene:
    """The camera frame for `spec` and its ground truth."""
    clean = _render_clean(spec.replace(noise_sigma=0.0, frame_seed=0))
    if spec.noise_sigma <= 0:
        return clean
    # Dark frames come from high sensor gain, which amplifies the noise as well.
    sigma = spec.noise_sigma / max(spec.brightness, 0.2)
    rng = np.random.default_rng([spec.seed, spec.frame_seed])
    dx, dy = (int(v) for v in rng.integers(0, 64, 2))
    noise = _noise(spec.width, spec.height, 0)[dy:dy + spec.height, dx:dx + spec.width]
    noisy = clean.image.astype(np.float32) + (sigma * noise)[..., None]
    return dataclasses.replace(clean, image=np.clip(noisy, 0, 255).astype(np.uint8))


@functools.lru_cache(maxsize=4)
def _render_clean(spec: SceneSpec) -> Scene:
    require_cv2()
    import cv2

    fmt, lines, _ = _format(spec.page_format)
    page, widths = _template(spec.page_format)
    ph, pw = page.shape[:2]
    corners = page_corners(spec)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    homography = cv2.getPerspectiveTransform(src, corners)
    frame: Image = np.array(_desk(spec.width, spec.height, spec.seed))
    cv2.warpPerspective(page, homography, (spec.width, spec.height), dst=frame, flags=cv2.INTER_AREA,
                        borderMode=cv2.BORDER_TRANSPARENT)
    light = _lighting(spec, corners)
    if light is not None:
        frame = np.clip(frame.astype(np.float32) * light[..., None], 0, 255).astype(np.uint8)
    if spec.motion_blur_px > 1:
        k = np.zeros((spec.motion_blur_px, spec.motion_blur_px), np.float32)
        k[spec.motion_blur_px // 2, :] = 1.0 / spec.motion_blur_px
        frame = typed(cv2.filter2D(frame, -1, k), np.uint8)
    if spec.blur_sigma > 0:
        frame = typed(cv2.GaussianBlur(frame, (0, 0), spec.blur_sigma), np.uint8)
    if spec.glare > 0:
        frame = _add_glare(frame, spec, corners)
    frame.setflags(write=False)
    return Scene(frame, corners, fmt, lines, widths)


def _lighting(spec: SceneSpec, corners: npt.NDArray[np.float32]) -> npt.NDArray[np.float32] | None:
    if spec.brightness == 1.0:
        return None
    # Uneven, as a desk lamp gives: a little brighter towards the top-left.
    ys, xs = np.mgrid[0:spec.height, 0:spec.width].astype(np.float32)
    slope = 1.0 - 0.15 * (xs / spec.width + ys / spec.height) / 2
    result: npt.NDArray[np.float32] = spec.brightness * slope
    return result


def _add_glare(frame: Image, spec: SceneSpec, corners: npt.NDArray[np.float32]) -> Image:

    center = corners.mean(axis=0)
    across = corners[1] - corners[0]
    down = corners[3] - corners[0]
    pos = center + spec.glare_x * across + spec.glare_y * down
    radius = 0.16 * float(np.linalg.norm(down))
    ys, xs = np.mgrid[0:spec.height, 0:spec.width].astype(np.float32)
    d2 = ((xs - pos[0]) ** 2 + (ys - pos[1]) ** 2) / (radius * radius)
    # A flat saturated core with a soft rim, like a lamp's reflection on glossy paper or a plastic sleeve.
    blob = 400.0 * spec.glare * np.exp(-(d2**2))
    result: Image = np.clip(frame.astype(np.float32) + blob[..., None], 0, 255).astype(np.uint8)
    return result
