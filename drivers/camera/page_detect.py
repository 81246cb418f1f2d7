"""Finding the page in a frame: its four corners, in a stable order.

Detection runs on a downscaled copy (the page is a large object, and 640–960 px is plenty to find it), then
each side is refined on the full-resolution frame by fitting a line to the strongest edge along it, and the
corners are the intersections of those lines. That keeps detection cheap enough for the preview and the
corners accurate to a pixel or so for the deskew.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from drivers.camera._cv import require_cv2, typed
from drivers.camera.protocol import Image

Corners = npt.NDArray[np.float32]

# A page smaller than this share of the frame is not what the resident means to capture.
MIN_AREA_FRACTION = 0.04
# Contour points this close to the frame border (in work-image pixels) mean the page runs off the frame.
EDGE_MARGIN_PX = 3
# Share of the outline that must run along a detected edge (see _edge_support).
MIN_EDGE_SUPPORT = 0.6


@dataclass(frozen=True)
class PageDetection:
    # Top-left, top-right, bottom-right, bottom-left in full-frame pixels (see order_corners).
    corners: Corners
    # Page area over frame area.
    area_fraction: float
    # The page touches the frame border: part of it is probably outside the picture.
    cut_off: bool
    frame_width: int
    frame_height: int

    def scaled(self, factor: float) -> Corners:
        """Corners in the coordinates of a copy `factor` times the frame's size (a preview)."""
        scaled: Corners = (self.corners * factor).astype(np.float32)
        return scaled


def order_corners(points: npt.ArrayLike) -> Corners:
    """Four points as top-left, top-right, bottom-right, bottom-left, clockwise on screen.

    The points are sorted clockwise around their centroid, then started so that the first side (TL→TR)
    is the one pointing most nearly to the right. That holds for any aspect ratio and perspective as long
    as the page is turned less than about 45° (less with strong keystoning). The x+y / x−y trick of many
    examples, and "the corner pointing up-left", both swap corners well before that on long pages.
    """
    pts = np.asarray(points, np.float64).reshape(4, 2)
    center = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - center[1], pts[:, 0] - center[0])
    clockwise = pts[np.argsort(angles)]
    sides = np.roll(clockwise, -1, axis=0) - clockwise
    start = int(np.argmin(np.abs(np.arctan2(sides[:, 1], sides[:, 0]))))
    ordered: Corners = np.roll(clockwise, -start, axis=0).astype(np.float32)
    return ordered


def detect_page(image: Image, *, work_width: int = 640, refine: bool = True) -> PageDetection | None:
    """The largest page-like quadrilateral in `image` (BGR or gray), or None when there is none.

    None is an ordinary answer here (an empty desk), not a failure; `capture` turns it into PageNotFound.
    """
    require_cv2()
    import cv2

    gray_full = image if image.ndim == 2 else typed(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), np.uint8)
    height, width = gray_full.shape[:2]
    scale = min(1.0, work_width / width)
    gray = gray_full if scale == 1.0 else typed(cv2.resize(
        gray_full, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    ), np.uint8)
    found = _find_quad(gray)
    if found is None:
        return None
    quad, cut_off = found
    if not cut_off and _paper_beyond(gray, quad):
        # The outline is something printed on a larger sheet (a table frame) and the sheet itself did
        # not close into a quadrilateral: it runs off the picture.
        cut_off = True
    corners = order_corners(quad / scale)
    if refine and not cut_off:
        corners = _refine(gray_full, corners, search_px=max(3.0, 2.5 / scale))
    area = abs(float(cv2.contourArea(corners))) / (width * height)
    return PageDetection(corners, area, cut_off, width, height)


def _find_quad(gray: Image) -> tuple[npt.NDArray[np.float64], bool] | None:
    import cv2

    smooth = typed(cv2.GaussianBlur(gray, (5, 5), 0), np.uint8)
    median = float(np.median(smooth))
    edges = typed(cv2.Canny(smooth, max(10.0, 0.66 * median * 0.5), max(30.0, 1.33 * median * 0.5)), np.uint8)
    edges = typed(cv2.dilate(edges, np.ones((3, 3), np.uint8)), np.uint8)
    quad = _best_quad(edges, edges)
    if quad is None:
        # Heavy blur or low contrast defeats the edge detector; a bright page on a darker desk still
        # separates by brightness.
        _, otsu = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        mask = typed(cv2.morphologyEx(otsu, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)), np.uint8)
        quad = _best_quad(mask, edges)
    return quad


def _paper_beyond(gray: Image, quad: npt.NDArray[np.float64]) -> bool:
    """Whether paper-bright pixels fill much of a band just outside the outline."""
    import cv2

    center = quad.mean(axis=0)
    inner = np.zeros(gray.shape[:2], np.uint8)
    outer = np.zeros_like(inner)
    cv2.fillConvexPoly(inner, np.round(center + (quad - center) * 0.9).astype(np.int32), 255)
    cv2.fillConvexPoly(outer, np.round(center + (quad - center) * 1.08).astype(np.int32), 255)
    cv2.fillConvexPoly(outer, np.round(center + (quad - center) * 1.02).astype(np.int32), 0)
    ring = gray[outer > 0]
    if ring.size == 0:
        return False
    paper = float(np.percentile(gray[inner > 0], 75))
    return float(np.count_nonzero(ring >= 0.85 * paper)) / ring.size > 0.25


def _edge_support(quad: npt.NDArray[np.float64], edges: Image) -> float:
    """Share of the outline (away from the frame border) that runs along detected edges.

    Desk grain and shadows can close into a large blob; only a real sheet has an edge all round.
    """
    h, w = edges.shape[:2]
    hits = total = 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        n = max(2, int(np.hypot(*(b - a)) / 2))
        t = np.linspace(0.0, 1.0, n)[:, None]
        pts = np.round(a + t * (b - a)).astype(int)
        inside = ((pts[:, 0] > EDGE_MARGIN_PX + 1) & (pts[:, 0] < w - 2 - EDGE_MARGIN_PX)
                  & (pts[:, 1] > EDGE_MARGIN_PX + 1) & (pts[:, 1] < h - 2 - EDGE_MARGIN_PX))
        pts = pts[inside]
        total += len(pts)
        hits += int(np.count_nonzero(edges[pts[:, 1], pts[:, 0]]))
    return hits / total if total else 0.0


def _best_quad(binary: Image, edges: Image) -> tuple[npt.NDArray[np.float64], bool] | None:
    import cv2

    h, w = binary.shape[:2]
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = MIN_AREA_FRACTION * w * h
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        if cv2.contourArea(contour) < min_area:
            break
        pts = contour.reshape(-1, 2)
        cut_off = bool(
            (pts[:, 0] <= EDGE_MARGIN_PX).any() or (pts[:, 1] <= EDGE_MARGIN_PX).any()
            or (pts[:, 0] >= w - 1 - EDGE_MARGIN_PX).any() or (pts[:, 1] >= h - 1 - EDGE_MARGIN_PX).any()
        )
        hull = cv2.convexHull(contour)
        perimeter = cv2.arcLength(hull, True)
        for eps in (0.02, 0.03, 0.045, 0.06):
            approx = cv2.approxPolyDP(hull, eps * perimeter, True)
            if len(approx) == 4:
                break
        else:
            if not cut_off:
                continue
            # A page running off the frame is clipped by the border into 5 or more sides; its rotated
            # bounding box is still a fair outline for the preview and the "move it in" advice.
            approx = cv2.boxPoints(cv2.minAreaRect(contour))
        # A contour with a big area but far from its hull is a cluttered desk, not a page.
        if cv2.contourArea(approx.reshape(-1, 1, 2).astype(np.float32)) > 1.25 * cv2.contourArea(contour):
            continue
        quad = approx.reshape(4, 2).astype(np.float64)
        if _edge_support(quad, edges) < MIN_EDGE_SUPPORT:
            continue
        return quad, cut_off
    return None


def _refine(gray: Image, corners: Corners, *, search_px: float) -> Corners:
    """Moves each side onto the strongest brightness edge near it and re-intersects the sides.

    Falls back to the coarse corners when an edge is too weak to trust (soft shadows, blank desks).
    """
    lines = []
    for i in range(4):
        line = _fit_side(gray, corners[i], corners[(i + 1) % 4], search_px)
        if line is None:
            return corners
        lines.append(line)
    refined = []
    for i in range(4):
        point = _intersect(lines[(i - 1) % 4], lines[i])
        if point is None or np.hypot(*(point - corners[i])) > 3 * search_px:
            return corners
        refined.append(point)
    result: Corners = np.array(refined, np.float32)
    return result


def _fit_side(
    gray: Image, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32], search_px: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    import cv2

    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    direction = b64 - a64
    length = float(np.hypot(*direction))
    if length < 20:
        return None
    direction /= length
    normal = np.array([-direction[1], direction[0]])
    # Sample profiles across the side, keeping clear of the corners where two edges meet.
    samples = max(8, min(64, int(length / 8)))
    t = np.linspace(0.1, 0.9, samples) * length
    offsets = np.arange(-search_px, search_px + 0.5, 0.5)
    base = a64 + t[:, None] * direction
    grid = base[:, None, :] + offsets[None, :, None] * normal
    map_x = grid[..., 0].astype(np.float32)
    map_y = grid[..., 1].astype(np.float32)
    profiles = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    profiles = cv2.GaussianBlur(profiles.astype(np.float32), (1, 5), 0)
    gradient = np.abs(np.diff(profiles, axis=1))
    best = gradient.argmax(axis=1)
    strength = gradient[np.arange(samples), best]
    strong = strength > max(2.0, 0.5 * float(np.median(strength)))
    if strong.sum() < samples // 2:
        return None
    shift = (offsets[best] + 0.25)[strong]
    points = base[strong] + shift[:, None] * normal
    vx, vy, x0, y0 = cv2.fitLine(points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)


def _intersect(
    l1: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    l2: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64] | None:
    (p, r), (q, s) = l1, l2
    cross = r[0] * s[1] - r[1] * s[0]
    if abs(cross) < 1e-6:
        return None
    diff = q - p
    t = (diff[0] * s[1] - diff[1] * s[0]) / cross
    point: npt.NDArray[np.float64] = p + t * r
    return point
